package load

import (
	"reflect"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestShareConfig(t *testing.T) {
	const f = ConfigFile
	tests := []struct {
		name    string
		src     string
		tag     string
		cards   int
		wantErr []string
	}{
		{"left out", "title: x\n", "", 6, nil},
		{"with #", "title: x\nshare:\n  hashtag: \"#RiverbendAlliance\"\n", "RiverbendAlliance", 6, nil},
		{"without #", "title: x\nshare:\n  hashtag: Riverbend_2026\n  kit_cards: 0\n", "Riverbend_2026", 0, nil},
		{"non-Latin letters", "title: x\nshare:\n  hashtag: 予防接種\n  kit_cards: 3\n", "予防接種", 3, nil},
		{"two words", "title: x\nshare:\n  hashtag: Riverbend Alliance\n", "", 6,
			[]string{f + `:3:3: share.hashtag "Riverbend Alliance" has a space: a hashtag is one word (write one word of letters, digits and _`}},
		{"punctuation", "title: x\nshare:\n  kit_cards: 2\n  hashtag: river-bend\n", "", 2,
			[]string{f + `:4:3: share.hashtag "river-bend" has '-': a hashtag holds only letters, digits and _`}},
		{"digits only", "title: x\nshare:\n  hashtag: \"2026\"\n", "", 6,
			[]string{f + `:3:3: share.hashtag "2026" has only digits`}},
		{"two #", "title: x\nshare:\n  hashtag: \"##x\"\n", "", 6,
			[]string{f + `:3:3: share.hashtag "##x" has more than one #`}},
		{"negative cards", "title: x\nshare:\n  kit_cards: -1\n", "", 6,
			[]string{f + `:3:3: share.kit_cards -1 should be 0 or more`}},
		{"no stories", "title: x\nshare:\n  kit_stories: 0\n", "", 6,
			[]string{f + `:3:3: share.kit_stories 0 should be 1 or more`}},
		{"unknown key", "title: x\nshare:\n  hashtags: x\n", "", 6,
			[]string{f + `:3:3: unknown key "hashtags" in ` + "`share`" + ` (did you mean "hashtag"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.wantErr...)
			if got := src.Config.Share; got.Hashtag != tt.tag || got.KitCards != tt.cards {
				t.Errorf("share = %q, %d; want %q, %d", got.Hashtag, got.KitCards, tt.tag, tt.cards)
			}
			if got := src.Config.Share.KitStories; got != 20 {
				t.Errorf("kit_stories = %d, want 20 (its default, also after an error)", got)
			}
		})
	}
}

func TestHandles(t *testing.T) {
	const f = PartnersFile
	head := "- id: a\n  name: A\n  sector: civil\n  handles:\n"
	tests := []struct {
		name    string
		src     string
		want    model.Handles
		wantErr []string
	}{
		{"all of them", "    x: \"@KestrelRx\"\n    bluesky: \"@Kestrel.Example.org\"\n    mastodon: \"@kestrel@social.example.org\"\n    linkedin: https://www.linkedin.com/company/kestrel-pharmacy/\n",
			model.Handles{X: "@KestrelRx", Bluesky: "@kestrel.example.org", Mastodon: "@kestrel@social.example.org", LinkedIn: "https://www.linkedin.com/company/kestrel-pharmacy/"}, nil},
		{"without @", "    x: KestrelRx\n    bluesky: kestrel.bsky.social\n    mastodon: kestrel@social.example.org\n    linkedin: Kestrel Pharmacy\n",
			model.Handles{X: "@KestrelRx", Bluesky: "@kestrel.bsky.social", Mastodon: "@kestrel@social.example.org", LinkedIn: "Kestrel Pharmacy"}, nil},
		{"linkedin without scheme", "    linkedin: linkedin.com/in/ana-perez\n", model.Handles{LinkedIn: "https://www.linkedin.com/in/ana-perez"}, nil},
		{"x too long", "    x: \"@KestrelPharmacyValley\"\n", model.Handles{},
			[]string{f + `:5:5: partner "a": X handle "@KestrelPharmacyValley" is not a handle (write it like @KestrelPharmacy: at most 15 letters`}},
		{"x with a dot", "    x: \"@kestrel.rx\"\n", model.Handles{},
			[]string{f + `:5:5: partner "a": X handle "@kestrel.rx" is not a handle`}},
		{"bluesky without a domain", "    bluesky: \"@kestrel\"\n", model.Handles{},
			[]string{f + `:5:5: partner "a": Bluesky handle "@kestrel" is not a handle (write it like @kestrel.bsky.social`}},
		{"mastodon without server", "    mastodon: \"@kestrel\"\n", model.Handles{},
			[]string{f + `:5:5: partner "a": Mastodon handle "@kestrel" is not a handle (write it like @kestrel@social.example.org`}},
		{"mastodon profile address", "    mastodon: https://social.example.org/@kestrel\n", model.Handles{},
			[]string{f + `:5:5: partner "a": Mastodon handle "https://social.example.org/@kestrel" is not a handle (write @kestrel@social.example.org rather than the profile's address)`}},
		{"linkedin elsewhere", "    linkedin: https://example.org/company/kestrel\n", model.Handles{},
			[]string{f + `:5:5: partner "a": LinkedIn page "https://example.org/company/kestrel" is not a LinkedIn company or profile address`}},
		{"linkedin feed", "    linkedin: https://www.linkedin.com/feed/\n", model.Handles{},
			[]string{f + `:5:5: partner "a": LinkedIn page "https://www.linkedin.com/feed/" is not a LinkedIn company`}},
		{"linkedin name with @", "    linkedin: \"@kestrel\"\n", model.Handles{},
			[]string{f + `:5:5: partner "a": LinkedIn page "@kestrel" is not a page name`}},
		{"unknown network", "    mastodn: \"@kestrel@social.example.org\"\n", model.Handles{},
			[]string{f + `:5:5: unknown key "mastodn" in ` + "`[1].handles`" + ` (did you mean "mastodon"?)`}},
		{"unknown network, no suggestion", "    myspace: kestrel\n", model.Handles{},
			[]string{f + `:5:5: unknown key "myspace" in ` + "`[1].handles`" + ` (known keys here: bluesky, linkedin, mastodon, x`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{ConfigFile: "title: x\n", f: head + tt.src})
			checkErrs(t, errs, tt.wantErr...)
			if len(src.Partners) != 1 {
				t.Fatalf("%d partners", len(src.Partners))
			}
			got := src.Partners[0].Handles
			got.Lines = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handles = %+v; want %+v", got, tt.want)
			}
		})
	}
}
