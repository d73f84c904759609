package model

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// refFold is foldText written plainly, over the whole string.
func refFold(s string) string {
	s = strings.Map(func(r rune) rune {
		if ignorable(r) {
			return -1
		}
		return r
	}, s)
	s = norm.NFKD.String(s)
	return strings.Map(func(r rune) rune {
		if ignorable(r) || unicode.Is(unicode.Mn, r) {
			return -1
		}
		return foldRune(r)
	}, s)
}

// findRef is the reference mention finder: fold the whole text, split it
// into words, and at each word take the longest partner name whose words
// follow.
func findRef(partners []*Partner, text []byte) []string {
	split := func(s string) []string {
		return strings.FieldsFunc(refFold(s), func(r rune) bool { return !isWordRune(r) })
	}
	words := split(string(text))
	var out []string
	for i := range words {
		best, bestLen := "", 0
		for _, p := range partners {
			name := split(p.Name)
			if len(name) > bestLen && i+len(name) <= len(words) && slices.Equal(words[i:i+len(name)], name) {
				best, bestLen = p.ID, len(name)
			}
		}
		if best != "" && !slices.Contains(out, best) {
			out = append(out, best)
		}
	}
	return out
}

var mentionPartners = []*Partner{
	{ID: "valley", Name: "Valley Health"},
	{ID: "valley-dept", Name: "Valley Health Department"},
	{ID: "kestrel", Name: "Kestrel Pharmacy & Co"},
	{ID: "sao", Name: "São Bento Clínica"},
	{ID: "parents", Name: "Parents' Circle"},
	{ID: "northgate", Name: "Northgate Foundation"},
	{ID: "wide", Name: "Ｗｉｄｅ Ｗｏｒｌｄ"},
}

func TestMentionFind(t *testing.T) {
	x := newMentionIndex(mentionPartners)
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Thanks to the VALLEY HEALTH DEPARTMENT and valley health.", []string{"valley-dept", "valley"}},
		{"Valley, Health", []string{"valley"}},
		{"Valley Healthcare", nil},
		{"kestrel pharmacy & co. said", []string{"kestrel"}},
		{"Kestrel Pharmacy and Co", nil},
		{"with SÃO BENTO CLÍNICA", []string{"sao"}},
		{"with Sa\u0303o Bento Cli\u0301nica", []string{"sao"}}, // decomposed
		{"with Sao Bento Clinica", []string{"sao"}},             // accents do not count
		{"the Parents' Circle met", []string{"parents"}},
		{"Valley\xffHealth", []string{"valley"}},
		{"Valley Health Valley Health", []string{"valley"}},
		{"the wide world", []string{"wide"}}, // the name is folded too
		{"Ｎｏｒｔｈｇａｔｅ Ｆｏｕｎｄａｔｉｏｎ", []string{"northgate"}},
	}
	for _, tc := range tests {
		if got := x.find([]byte(tc.text)); !slices.Equal(got, tc.want) {
			t.Errorf("find(%q) = %v, want %v", tc.text, got, tc.want)
		}
		if got := findRef(mentionPartners, []byte(tc.text)); !slices.Equal(got, tc.want) {
			t.Errorf("findRef(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// mentionsIn runs the model on a story made by the loader's rules (its
// text read from the Markdown body) and returns the partners it names.
func mentionsIn(t *testing.T, mod func(st *Story)) []string {
	t.Helper()
	st := &Story{Path: "content/stories/s.md", Section: "stories", Slug: "s", Kind: KindStory,
		Date: ymd("2025-01-01"), Title: "A story", Body: []byte("Some text.\n")}
	mod(st)
	r := markdown.Read(st.Body)
	st.Text, st.Figures = r.Text, r.Figures
	in := &Input{
		Partners:   []*Partner{{ID: "northgate", Name: "Northgate Foundation"}, {ID: "acme", Name: "Acme"}},
		Governance: Governance{Communication: Communication{ApprovalRequired: true}},
		Stories:    []*Story{st},
	}
	New(in, Options{Now: ymd("2025-06-01")})
	return st.Mentioned
}

// TestMentionEvasions is a corpus of ways to write a partner's name so
// that readers see it but a search of the raw Markdown does not: each
// must be found, so the story waits for the partner's approval. (On the
// old finder, over the raw Markdown, title and summary, most were not.)
// Near misses must not be found.
func TestMentionEvasions(t *testing.T) {
	body := func(s string) func(*Story) { return func(st *Story) { st.Body = []byte(s) } }
	found := []struct {
		name string
		mod  func(*Story)
	}{
		{"link text", body("Thanks to [Northgate](https://n.example/) Foundation.")},
		{"emphasis inside the name", body("Thanks to *North*gate **Foundation**.")},
		{"no-break space entity", body("Northgate&nbsp;Foundation gave.")},
		{"no-break space", body("Northgate\u00a0Foundation gave.")},
		{"zero-width space", body("North\u200bgate Foundation")},
		{"zero-width non-joiner", body("North\u200cgate Foundation")},
		{"zero-width joiner", body("North\u200dgate Foundation")},
		{"word joiner", body("North\u2060gate Foundation")},
		{"byte-order mark", body("North\ufeffgate Foundation")},
		{"soft hyphen", body("North\u00adgate Foundation")},
		{"soft hyphen entity", body("North&shy;gate Foundation")},
		{"zero-width space entity", body("North&#x200B;gate Foundation")},
		{"decimal entity letter", body("North&#103;ate Foundation")},
		{"hex entity letter", body("North&#x67;ate Foundation")},
		{"Cyrillic o", body("N\u043erthgate Foundation")},
		{"Cyrillic a and e", body("Northg\u0430t\u0435 Foundation")},
		{"Greek omicron", body("Northgate F\u03bfundation")},
		// Found in review.
		{"Armenian o", body("N\u0585rthgate Foundation")},
		{"Lisu N", body("\ua4e0orthgate Foundation")},
		{"Latin small capitals", body("\u0274\u1d0frthgate Foundation")},
		{"Coptic o", body("N\u2c9frthgate Foundation")},
		{"Cherokee capitals", body("NORTH\u13c0ATE FOUNDATION")},
		{"Greek capital Nu", body("\u039dORTHGATE FOUNDATION")},
		{"fullwidth", body("Ｎｏｒｔｈｇａｔｅ Ｆｏｕｎｄａｔｉｏｎ")},
		{"combining mark", body("Nort\u0301hgate Foundation")},
		{"upper case across a line break", body("NORTHGATE\nFOUNDATION")},
		{"hard line break", body("Northgate\\\nFoundation")},
		{"code span", body("`Northgate Foundation`")},
		{"code block", body("    Northgate Foundation\n")},
		{"image alt text in the body", body("![Northgate Foundation staff](/images/x.jpg)")},
		{"image title", body("![staff](/images/x.jpg \"Northgate Foundation\")")},
		{"link title", body("[staff](/a/ \"Northgate Foundation\")")},
		{"table cell", body("| who | what |\n|---|---|\n| Northgate Foundation | money |\n")},
		{"heading", body("## Northgate Foundation\n")},
		{"footnote", body("Money came.[^1]\n\n[^1]: Northgate Foundation.\n")},
		{"raw HTML span", body("<span>Northgate</span> Foundation")},
		{"formatting tag inside the name", body("North<b></b>gate Foundation")},
		{"HTML block", body("<div>\nNorthgate <i>Foundation</i>\n</div>\n")},
		{"HTML attribute", body("<abbr title=\"Northgate Foundation\">NF</abbr>")},
		{"escaped punctuation", body("Northgate\\-Foundation")},
		{"title with a look-alike", func(st *Story) { st.Title = "N\u043erthgate Foundation" }},
		{"summary with a zero-width space", func(st *Story) { st.Summary = "North\u200bgate Foundation helps" }},
		{"image alt text", func(st *Story) { st.ImageAlt = "Staff of the Northgate Foundation" }},
		{"tag", func(st *Story) { st.Tags = []string{"Northgate Foundation"} }},
	}
	for _, tc := range found {
		if got := mentionsIn(t, tc.mod); !slices.Equal(got, []string{"northgate"}) {
			t.Errorf("%s: mentioned %v, want [northgate]", tc.name, got)
		}
	}
	missed := []struct {
		name string
		mod  func(*Story)
	}{
		{"first word alone", body("Northgate is a town.")},
		{"last word alone", body("A Foundation.")},
		{"name inside a longer word", body("Southnorthgate Foundation")},
		{"words joined", body("NorthgateFoundation")},
		{"plural", body("Northgate Foundations")},
		{"words apart", body("Northgate road, then the Foundation")},
		{"only in a link address", body("[our funder](https://northgate-foundation.example/)")},
		{"only in an image address", body("![a pump](/images/northgate-foundation.jpg)")},
		{"another partner's name as a prefix", body("Acmes and Acmeville")},
	}
	for _, tc := range missed {
		if got := mentionsIn(t, tc.mod); len(got) != 0 {
			t.Errorf("%s: mentioned %v, want none", tc.name, got)
		}
	}
}

// FuzzMentionFind checks that the finder agrees with the reference on any
// text: fold the whole text, split it into words, compare word sequences.
func FuzzMentionFind(f *testing.F) {
	x := newMentionIndex(mentionPartners)
	f.Add("Thanks to the Valley Health Department")
	f.Add("São Bento Clínica & Kestrel Pharmacy & Co")
	f.Add("N\u043erth\u200bgate F\u03bfundation and Ｗｉｄｅ Ｗｏｒｌｄ")
	f.Add("North\u00adgate\u00a0Foundation, Valley\u2060Health")
	f.Add("Sa\u0303o Bento Cli\u0301nica \ufb01 \xff")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := x.find([]byte(text)), findRef(mentionPartners, []byte(text)); !slices.Equal(got, want) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	})
}

// mentionText is a story-sized text: words, a few names, and (when
// unicode) the curly quotes and dashes most real text has.
func mentionText(unicode bool) []byte {
	var b strings.Builder
	for i := 0; b.Len() < 8000; i++ {
		b.WriteString("The clinic opened on Saturdays and the families came back for second doses. ")
		if i%10 == 0 {
			b.WriteString("Valley Health Department nurses helped. ")
		}
		if unicode && i%3 == 0 {
			b.WriteString("“It works” — São Bento said. ")
		}
	}
	return []byte(b.String())
}

// TestMentionFindAllocations: finding names in ASCII text makes no copy
// of it, and folding other text copies it a bounded number of times, not
// once a word.
func TestMentionFindAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	x := newMentionIndex(mentionPartners)
	for _, tc := range []struct {
		unicode bool
		max     float64
	}{{false, 2}, {true, 8}} {
		text := mentionText(tc.unicode)
		if n := testing.AllocsPerRun(20, func() { x.find(text) }); n > tc.max {
			t.Errorf("find (unicode %v) makes %v allocations, want at most %v", tc.unicode, n, tc.max)
		}
	}
}

func BenchmarkMentionFind(b *testing.B) {
	x := newMentionIndex(mentionPartners)
	for _, u := range []bool{false, true} {
		text := mentionText(u)
		name := "ascii"
		if u {
			name = "unicode"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				x.find(text)
			}
		})
	}
}
