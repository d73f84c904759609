package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestCounts(t *testing.T) {
	long := "https://alliance.example.org/stories/" + strings.Repeat("a", 100) + "/"
	tests := []struct {
		name              string
		s                 string
		x, mastodon, bsky int
	}{
		{"plain", "Saturday clinics", 16, 16, 16},
		{"a long link counts 23 on X and Mastodon", "Read " + long, 5 + 23, 5 + 23, 5 + utf8.RuneCountInString(long)},
		{"a short link too", "See http://a.io", 4 + 23, 4 + 23, 15},
		{"CJK weighs two on X", "予防接種", 8, 4, 4},
		// X counts an emoji sequence as 2; three emoji and two joiners counted
		// one by one (8) is more, never less, than X counts.
		{"an emoji family is one grapheme", "👨‍👩‍👧", 8, 5, 1},
		{"accents", "naïve café", 10, 10, 10},
		{"combining accent", "cafe\u0301", 5, 5, 4},
	}
	for _, tc := range tests {
		if got := CountX(tc.s); got != tc.x {
			t.Errorf("%s: CountX = %d, want %d", tc.name, got, tc.x)
		}
		if got := CountMastodon(tc.s); got != tc.mastodon {
			t.Errorf("%s: CountMastodon = %d, want %d", tc.name, got, tc.mastodon)
		}
		if got := CountGraphemes(tc.s); got != tc.bsky {
			t.Errorf("%s: CountGraphemes = %d, want %d", tc.name, got, tc.bsky)
		}
	}
}

var kestrel = model.Handles{X: "@KestrelRx", Bluesky: "@kestrel.example.org", Mastodon: "@kestrel@social.example.org", LinkedIn: "Kestrel Rx"}

func TestPostText(t *testing.T) {
	link := "https://alliance.example.org/stories/pharmacy-vaccine-days-year/"
	key := &model.Figure{Value: "910 doses", Label: "Vaccine doses given", Detail: "Q3 2026", Source: "Partner clinic and pharmacy returns"}
	post := Post{Title: "A year of pharmacy vaccine days", Summary: "Kestrel's branches opened on Saturdays.", Key: key,
		Partner: "Kestrel Pharmacy Group", Handles: kestrel, Gives: []string{"Pharmacist time", "Vaccine days in its branches"}, Hashtag: "RiverbendAlliance", Link: link}
	tests := []struct {
		network string
		want    string
	}{
		{"x", "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses. With Kestrel Pharmacy Group (@KestrelRx). #RiverbendAlliance " + link},
		{"bluesky", "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses. With Kestrel Pharmacy Group (@kestrel.example.org). #RiverbendAlliance " + link},
		{"mastodon", "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses\n\nWith Kestrel Pharmacy Group (@kestrel@social.example.org). #RiverbendAlliance\n\n" + link},
		{"linkedin", "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses\n\nWith Kestrel Pharmacy Group (Kestrel Rx). #RiverbendAlliance\n\n" + link},
		{"linkedin_long", "A year of pharmacy vaccine days\n\nKestrel's branches opened on Saturdays.\n\nVaccine doses given, Q3 2026: 910 doses (source: Partner clinic and pharmacy returns)\n\n" +
			"What Kestrel Pharmacy Group (Kestrel Rx) gives the partnership: Pharmacist time, Vaccine days in its branches.\n\n#RiverbendAlliance\n\n" + link},
		{"whatsapp", "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses\n" + link},
	}
	for _, tc := range tests {
		if got := PostText(english(), network(tc.network), post); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.network, got, tc.want)
		}
	}
	// Without handles, the partner is named alone; without a hashtag, none.
	bare := post
	bare.Handles, bare.Hashtag = model.Handles{}, ""
	if got := PostText(english(), network("x"), bare); got != "A year of pharmacy vaccine days — Vaccine doses given, Q3 2026: 910 doses. With Kestrel Pharmacy Group. "+link {
		t.Errorf("no handles: %q", got)
	}
	// A LinkedIn page named as the partner is not written twice.
	same := post
	same.Handles.LinkedIn = "kestrel pharmacy group"
	if got := PostText(english(), network("linkedin"), same); !strings.Contains(got, "With Kestrel Pharmacy Group.") {
		t.Errorf("linkedin page named as the partner: %q", got)
	}
	// A LinkedIn page given by its address is not written in the post.
	byURL := post
	byURL.Handles.LinkedIn = "https://www.linkedin.com/company/kestrel/"
	if got := PostText(english(), network("linkedin"), byURL); strings.Contains(got, "linkedin.com") || !strings.Contains(got, "With Kestrel Pharmacy Group.") {
		t.Errorf("linkedin by address: %q", got)
	}
}

// TestPostTextWithinLimits tries long titles, summaries, partner names,
// handles and non-Latin scripts on every network: each text stays within
// the network's limit as the network counts it, keeps the whole link at
// its end, never splits a grapheme, and names the partner with the
// network's own handle whenever that fits.
func TestPostTextWithinLimits(t *testing.T) {
	titles := []string{
		"Two quarters without measles",
		strings.Repeat("Saturday clinics bring second doses within reach of hill families ", 8),
		strings.Repeat("予防接種の土曜クリニック", 30),
		strings.Repeat("Vacunación «très» naïve 👨‍👩‍👧 ", 20),
		strings.Repeat("x", 400),
	}
	partners := []struct {
		name    string
		handles model.Handles
	}{
		{"Kestrel Pharmacy Group", kestrel},
		{strings.Repeat("Upper Valley Youth and Families Network ", 6), model.Handles{X: "@" + strings.Repeat("a", 15), Bluesky: "@" + strings.Repeat("b", 60) + ".example.org", Mastodon: "@" + strings.Repeat("c", 30) + "@" + strings.Repeat("d", 60) + ".example", LinkedIn: strings.Repeat("Page ", 20)}},
		{"リバーベンド薬局", model.Handles{X: "@rx"}},
	}
	links := []string{"https://alliance.example.org/stories/two-quarters/", "https://alliance.example.org/stories/" + strings.Repeat("long-slug-", 25) + "/"}
	keys := []*model.Figure{nil, {Value: "82.6 %", Label: "Children fully immunised by age two", Detail: "Q3 2026", Source: "Register"}, {Value: strings.Repeat("9", 60), Label: strings.Repeat("label ", 40), Detail: "Q3 2026"}}
	summary := strings.Repeat("The clinics opened on Saturdays and families came. ", 80)
	for _, n := range Networks {
		for _, title := range titles {
			for _, pt := range partners {
				for _, link := range links {
					for _, key := range keys {
						p := Post{Title: title, Summary: summary, Key: key, Partner: pt.name, Handles: pt.handles, Gives: []string{"Space", "Nurses"}, Hashtag: "RiverbendAlliance", Link: link}
						got := PostText(english(), n, p)
						if c := n.Count(got); c > n.Max {
							t.Fatalf("%s: %d > %d for title %.20q, partner %.20q, link %d: %q", n.ID, c, n.Max, title, pt.name, len(link), got)
						}
						if !strings.HasSuffix(got, link) || !utf8.ValidString(got) {
							t.Fatalf("%s: the link is cut or the text broken: %q", n.ID, got)
						}
						if strings.Contains(got, "\u200d…") || strings.Contains(got, "\u0301…") {
							t.Fatalf("%s: a grapheme is split: %q", n.ID, got)
						}
						if n.Handle != nil && len([]rune(pt.name)) < 40 && len([]rune(title)) < 40 && len(link) < 100 {
							if h := n.Handle(pt.handles); h != "" && !strings.Contains(got, h) {
								t.Errorf("%s: the handle %q is missing: %q", n.ID, h, got)
							}
						}
						for _, other := range Networks {
							if other.Handle == nil || other.ID == n.ID || n.Handle == nil {
								continue
							}
							if h := other.Handle(pt.handles); strings.HasPrefix(h, "@") && (n.Handle(pt.handles) == "" || !strings.Contains(n.Handle(pt.handles), h)) && strings.Contains(got, h) {
								t.Errorf("%s: the text has %s's handle %q: %q", n.ID, other.ID, h, got)
							}
						}
					}
				}
			}
		}
	}
}

// FuzzPostText: whatever the title, partner, handle and figure, every
// network's post keeps to its limit as the network counts it, is valid
// UTF-8, and ends with the whole link.
func FuzzPostText(f *testing.F) {
	f.Add("Two quarters without measles", "Kestrel Pharmacy Group", "@KestrelRx", "82.6 %", "Children fully immunised")
	f.Add(strings.Repeat("予防接種 ", 90), strings.Repeat("👨‍👩‍👧", 40), "@a", "", "")
	f.Add("cafe\u0301 "+strings.Repeat("x", 300), "", "", strings.Repeat("9", 500), "https://x.example/y")
	f.Fuzz(func(t *testing.T, title, partner, handle, value, label string) {
		link := "https://alliance.example.org/stories/s/"
		p := Post{Title: title, Summary: title, Partner: partner, Handles: model.Handles{X: handle, Bluesky: handle, Mastodon: handle, LinkedIn: handle},
			Gives: []string{label}, Hashtag: "Riverbend", Link: link}
		if value != "" {
			p.Key = &model.Figure{Value: value, Label: label, Detail: "Q3 2026"}
		}
		for _, n := range Networks {
			got := PostText(english(), n, p)
			if !utf8.ValidString(title + partner + handle + value + label) {
				continue
			}
			if c := n.Count(got); c > n.Max || !utf8.ValidString(got) || !strings.HasSuffix(got, link) {
				t.Fatalf("%s: %d of %d: %q", n.ID, c, n.Max, got)
			}
		}
	})
}
