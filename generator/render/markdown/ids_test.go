package markdown

import (
	"bytes"
	"regexp"
	"slices"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

var headingIDRe = regexp.MustCompile(`<h[1-6] id="([^"]*)"`)

// headingIDsOf returns the ids of the headings in html, in order.
func headingIDsOf(html []byte) []string {
	var ids []string
	for _, m := range headingIDRe.FindAllSubmatch(html, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// goldmarkIDs returns the heading ids goldmark itself gives src.
func goldmarkIDs(t *testing.T, src string) []string {
	t.Helper()
	var buf bytes.Buffer
	md := goldmark.New(goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	if err := md.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	return headingIDsOf(buf.Bytes())
}

// TestHeadingIDs checks the ids of headings: goldmark's for headings
// without letters outside ASCII (so that no anchor moves), slug.Make's for
// the others, "heading" when nothing is left, and duplicates numbered
// across both kinds.
func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		ascii     bool // goldmark alone gives the same ids
	}{
		{"ascii", "## What happened\n", []string{"what-happened"}, true},
		{"ascii apostrophe", "## Women's health\n", []string{"womens-health"}, true},
		{"ascii punctuation", "## Q3 2026: results_final -- v2.0 (draft)!\n", []string{"q3-2026-results-final----v20-draft"}, true},
		{"ascii markup", "## *Why* it `matters` [here](/x/)\n", []string{"why-it-matters-herex"}, true},
		{"ascii setext", "What we learned\n---------------\n", []string{"what-we-learned"}, true},
		{"typographic quote and dash", "## Women’s health — 2026\n", []string{"womens-health--2026"}, true},
		{"accented latin", "## Santé publique\n", []string{"sante-publique"}, false},
		{"accented latin, setext", "Über uns\n========\n", []string{"uber-uns"}, false},
		{"accent in markup", "## *Santé* publique\n", []string{"sante-publique"}, false},
		{"cjk", "## 健康\n", []string{"健康"}, false},
		{"cjk and ascii", "## 健康 Data 2026\n", []string{"健康-data-2026"}, false},
		{"cyrillic", "## Здоровье детей\n", []string{"здоровье-детей"}, false},
		{"cyrillic short i keeps its mark", "## Май\n", []string{"май"}, false},
		{"arabic", "## الصحة العامة\n", []string{"الصحة-العامة"}, false},
		{"devanagari", "## हिन्दी\n", []string{"हिन्दी"}, false},
		{"emoji only", "## 🌍\n", []string{"heading"}, true},
		{"emojis", "## 🌍🎉\n", []string{"heading"}, true},
		{"emoji and spaces, as goldmark", "## 🌍 !!! 🎉\n", []string{"--"}, true},
		{"empty", "##\n", []string{"heading"}, true},
		{"duplicates", "## 健康\n\n## 健康\n\n## Health\n\n## Health\n\n## 🌍\n\n## 🌍\n",
			[]string{"健康", "健康-1", "health", "health-1", "heading", "heading-1"}, false},
		{"duplicates across kinds", "## Sante\n\n## Santé\n\n## SANTÉ\n\n## sante\n",
			[]string{"sante", "sante-1", "sante-2", "sante-3"}, false},
		{"number taken by a heading", "## Health 1\n\n## Health\n\n## Health\n",
			[]string{"health-1", "health", "health-2"}, true},
		{"heading after emoji", "## Heading\n\n## 🎉\n\n## Здоровье\n\n## здоровье\n",
			[]string{"heading", "heading-1", "здоровье", "здоровье-1"}, false},
	}
	c := New(Options{})
	for _, tc := range tests {
		out, _, err := c.Convert([]byte(tc.src), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := headingIDsOf(out); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ids %q, want %q\n%s", tc.name, got, tc.want, out)
		}
		if gm := goldmarkIDs(t, tc.src); tc.ascii != slices.Equal(gm, tc.want) {
			t.Errorf("%s: goldmark gives %q; the same as drumbeat: %v, want %v", tc.name, gm, !tc.ascii, tc.ascii)
		}
	}
}

// TestHeadingIDsMatchGoldmarkOnASCII checks that every heading without
// letters outside ASCII keeps the id goldmark gives it, whatever its
// punctuation, so no existing anchor moves.
func TestHeadingIDsMatchGoldmarkOnASCII(t *testing.T) {
	var src bytes.Buffer
	for c := 1; c < 0x80; c++ {
		if c == '\n' || c == '\r' {
			continue
		}
		src.WriteString("## a" + string(rune(c)) + "b" + string(rune(c)) + "\n\n")
	}
	src.WriteString("## Women’s 🌍 health — “2026”…\n\n## \u00a0Trim\u00a0\n\n## Health\n\n## health\n")
	out, _, err := New(Options{}).Convert(src.Bytes(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := headingIDsOf(out), goldmarkIDs(t, src.String())
	if len(want) < 100 || !slices.Equal(got, want) {
		t.Errorf("ids differ from goldmark's:\n got %q\nwant %q", got, want)
	}
}

// TestHeadingIDsPut checks that an id written by hand is not given again.
func TestHeadingIDsPut(t *testing.T) {
	ids := newHeadingIDs()
	ids.Put([]byte("sante"))
	ids.Put([]byte("健康"))
	for _, tc := range []struct{ in, want string }{
		{"Santé", "sante-1"}, {"健康", "健康-1"}, {"Sante", "sante-2"},
	} {
		if got := string(ids.Generate([]byte(tc.in), ast.KindHeading)); got != tc.want {
			t.Errorf("Generate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHeadingIDsPerDocument converts documents at once with one Converter:
// each gets its own ids, numbered from its first heading.
func TestHeadingIDsPerDocument(t *testing.T) {
	c := New(Options{})
	want := []string{"sante", "健康", "heading"}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				out, _, err := c.Convert([]byte("## Santé\n\n## 健康\n\n## 🌍\n"), "", nil)
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := headingIDsOf(out); !slices.Equal(got, want) {
					errs <- string(out)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a document's ids depend on the others: %s", e)
	}
}
