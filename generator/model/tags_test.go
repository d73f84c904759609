package model

import (
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

func TestTags(t *testing.T) {
	story := func(file, date string, tags ...string) *Story {
		lines := map[string]diag.Pos{"tags": {File: file, Line: 4}}
		for i := range tags {
			lines["tags."+string(rune('0'+i))] = diag.Pos{File: file, Line: 5 + i}
		}
		return &Story{Path: file, Section: "stories", Slug: strings.TrimSuffix(strings.TrimPrefix(file, "content/stories/"), ".md"),
			Kind: KindStory, Date: ymd(date), Title: "T", Summary: "S.", Text: "x", Tags: tags, Lines: lines}
	}
	in := &Input{
		Config: Config{Title: "Test"},
		Stories: []*Story{
			story("content/stories/a.md", "2025-01-01", "Santé", "健康", "Über", "Здоровье", "🌍", "Health"),
			story("content/stories/b.md", "2025-02-01", "Sante", "health", "!!!", "Santé"),
		},
	}
	site, errs := New(in, Options{Now: ymd("2025-12-01")})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	var got []string
	for _, tg := range site.Tags {
		got = append(got, tg.Name+"→"+tg.URL()+"("+string(rune('0'+len(tg.Stories)))+")")
	}
	// Spellings with one address merge: the newest story's spelling names
	// the page. Tags are in the order of their slugs.
	want := "health→/tags/health/(2) Sante→/tags/sante/(2) Über→/tags/uber/(1) Здоровье→/tags/здоровье/(1) 健康→/tags/健康/(1)"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("tags:\n got %s\nwant %s", s, want)
	}
	var warns []string
	for _, e := range errs {
		warns = append(warns, e.Error())
	}
	wantWarns := []string{
		`content/stories/a.md:9: warning: tag "🌍" has no letters or digits to make a web address from; it is left out and has no page (give the tag a word (letters or digits), or remove it)`,
		`content/stories/b.md:5: warning: tag "Sante" has the same address (/tags/sante/) as tag "Santé" at content/stories/a.md:5: their stories are listed together on one page (spell the tag the same way in every story)`,
		`content/stories/b.md:7: warning: tag "!!!" has no letters or digits to make a web address from; it is left out and has no page (give the tag a word (letters or digits), or remove it)`,
	}
	if strings.Join(warns, "\n") != strings.Join(wantWarns, "\n") {
		t.Errorf("warnings:\n%s\nwant\n%s", strings.Join(warns, "\n"), strings.Join(wantWarns, "\n"))
	}
}
