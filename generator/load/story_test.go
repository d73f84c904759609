package load

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// day is a date alone as front matter gives it: the model reads it in the
// site's time zone.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, model.DateOnly) }

const yamlStory = `---
title: Saturday clinics bring second doses within reach
date: 2026-03-14
summary: Opening two clinics on Saturdays doubled second-dose visits.
kind: spotlight
partners: [lakeside-clinic, valley-health-dept]
metrics: [second_dose_visits]
tags: [access, clinics]
image: /images/saturday.jpg
image_alt: A nurse greets a family at the clinic door
draft: true
embargo_until: 2026-03-20
approved_by:
  - partner: lakeside-clinic
    by: Amina Osei
    on: 2026-03-10
spotlight: lakeside-clinic
slug: saturday-clinics
weight: 3
colour: teal
related:
  - a
  - b
---
Body in **Markdown**.
`

func TestStoryYAML(t *testing.T) {
	// The image is a file of the site: a missing one is an error.
	src, errs := loadFiles(t, map[string]string{"content/stories/2026-03-14-saturday.md": yamlStory,
		"static/images/saturday.jpg": "a photo",
		ConfigFile:                   "title: Test\nfront_matter:\n  extra_keys: [colour, related]\n"})
	checkErrs(t, errs)
	if len(src.Stories) != 1 {
		t.Fatalf("%d stories", len(src.Stories))
	}
	s := src.Stories[0]
	const file = "content/stories/2026-03-14-saturday.md"
	want := &model.Story{
		Path:         file,
		Section:      "stories",
		Slug:         "saturday-clinics",
		Title:        "Saturday clinics bring second doses within reach",
		Date:         day(2026, 3, 14),
		Summary:      "Opening two clinics on Saturdays doubled second-dose visits.",
		Kind:         model.KindSpotlight,
		Partners:     []string{"lakeside-clinic", "valley-health-dept"},
		Metrics:      []string{"second_dose_visits"},
		Tags:         []string{"access", "clinics"},
		Image:        "/images/saturday.jpg",
		ImageAlt:     "A nurse greets a family at the clinic door",
		Draft:        true,
		EmbargoUntil: day(2026, 3, 20),
		Approvals: []model.Approval{{Partner: "lakeside-clinic", By: "Amina Osei", On: "2026-03-10",
			Date: day(2026, 3, 10), Pos: diag.Pos{File: file, Line: 14, Col: 5}}},
		Spotlight: "lakeside-clinic",
		Weight:    3,
		Extra:     map[string]any{"colour": "teal", "related": []any{"a", "b"}},
		Body:      []byte("Body in **Markdown**.\n"),
		BodyLine:  25,
		Text:      "Body in Markdown.\n", // what readers see of it
		Pictures:  "/images/saturday.jpg " + digestOf("a photo") + "\n",
		Cover: &model.Image{Pos: diag.Pos{File: file, Line: 9, Col: 1}, Src: "/images/saturday.jpg", File: "static/images/saturday.jpg",
			Alt: "A nurse greets a family at the clinic door", FocusX: 0.5, FocusY: 0.5},
	}
	lines := s.Lines
	s.Lines = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("story =\n%#v\nwant\n%#v", s, want)
	}
	// Positions are file lines: the front matter starts at line 2.
	for key, pos := range map[string]diag.Pos{
		"title":      {File: file, Line: 2, Col: 1},
		"partners":   {File: file, Line: 6, Col: 1},
		"partners.1": {File: file, Line: 6, Col: 29},
		"slug":       {File: file, Line: 18, Col: 1},
		"colour":     {File: file, Line: 20, Col: 1},
		"related.1":  {File: file, Line: 23, Col: 5},
	} {
		if lines[key] != pos {
			t.Errorf("Lines[%q] = %v, want %v", key, lines[key], pos)
		}
	}
}

const tomlStory = `+++
title = "Cold chain handover"
date = 2026-07-16
partners = ["lakeside-clinic", "valley-health-dept"]
embargo_until = 2026-07-20T09:30:00Z
draft = false
colour = "teal"

[extra_table]
x = 1

[[approved_by]]
partner = "lakeside-clinic"
by = "Amina Osei"
on = 2026-07-10

[[approved_by]]
partner = "valley-health-dept"
by = "Dr. Ruth Mbeki"
on = "2026-07-11"
+++

Body.
`

func TestStoryTOML(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{"content/stories/cold-chain.md": tomlStory,
		ConfigFile: "title: Test\nfront_matter:\n  extra_keys: [colour, extra_table]\n"})
	checkErrs(t, errs)
	if len(src.Stories) != 1 {
		t.Fatalf("%d stories", len(src.Stories))
	}
	s := src.Stories[0]
	const file = "content/stories/cold-chain.md"
	if s.Title != "Cold chain handover" || s.Slug != "cold-chain" || s.Kind != model.KindStory {
		t.Errorf("title %q, slug %q, kind %q", s.Title, s.Slug, s.Kind)
	}
	if !s.Date.Equal(day(2026, 7, 16)) || s.Date.Location() != model.DateOnly {
		t.Errorf("date = %v, want 2026-07-16 as a date alone (a TOML local date)", s.Date)
	}
	if want := time.Date(2026, 7, 20, 9, 30, 0, 0, time.UTC); !s.EmbargoUntil.Equal(want) {
		t.Errorf("embargo_until = %v, want %v", s.EmbargoUntil, want)
	}
	if !reflect.DeepEqual(s.Partners, []string{"lakeside-clinic", "valley-health-dept"}) {
		t.Errorf("partners = %v", s.Partners)
	}
	want := []model.Approval{
		{Partner: "lakeside-clinic", By: "Amina Osei", On: "2026-07-10", Date: day(2026, 7, 10), Pos: diag.Pos{File: file, Line: 12}},
		{Partner: "valley-health-dept", By: "Dr. Ruth Mbeki", On: "2026-07-11", Date: day(2026, 7, 11), Pos: diag.Pos{File: file, Line: 17}},
	}
	if !reflect.DeepEqual(s.Approvals, want) {
		t.Errorf("approvals =\n%+v\nwant\n%+v", s.Approvals, want)
	}
	if s.Extra["colour"] != "teal" {
		t.Errorf("Extra[colour] = %v", s.Extra["colour"])
	}
	if tbl, ok := s.Extra["extra_table"].(map[string]any); !ok || tbl["x"] != int64(1) {
		t.Errorf("Extra[extra_table] = %#v", s.Extra["extra_table"])
	}
	if len(s.Extra) != 2 {
		t.Errorf("Extra = %v, want only the two unknown keys", s.Extra)
	}
	if s.Pos("date") != (diag.Pos{File: file, Line: 3}) || s.Pos("partners") != (diag.Pos{File: file, Line: 4}) {
		t.Errorf("Lines = %v", s.Lines)
	}
	if s.BodyLine != 22 || string(s.Body) != "\nBody.\n" {
		t.Errorf("body at line %d: %q", s.BodyLine, s.Body)
	}
}

func TestStoryProblems(t *testing.T) {
	const f = "content/stories/x.md"
	long := strings.Repeat("word ", 61)
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"YAML error on the first line of the block is line 2",
			"---\ntitle: [unclosed\ndate: 2026-01-01\n---\n",
			[]string{f + ":2: YAML: did not find expected ',' or ']'"}},
		{"YAML error after blank lines before the front matter",
			"\n\n---\ntitle: x\n  bad: indent\n---\n",
			[]string{f + ":5: YAML: mapping values are not allowed in this context"}},
		{"bad date value is at its key",
			"---\ntitle: x\ndate: 2026-13-01\n---\n",
			[]string{f + `:3:1: date "2026-13-01" is not a date (write dates as YYYY-MM-DD`}},
		{"date given as a number",
			"---\ntitle: x\ndate: 20260101\n---\n",
			[]string{f + ":3:1: date 20260101 is not a date"}},
		{"wrong type is at its value",
			"---\ntitle: x\ndate: 2026-01-01\nweight: heavy\n---\n",
			[]string{f + ":4:9: `weight` should be a whole number, not \"heavy\""}},
		{"a list where a value belongs",
			"---\ntitle: [a, b]\ndate: 2026-01-01\n---\n",
			[]string{f + ":2:8: `title` should be a single value, not a list"}},
		// Found in review: a right-to-left override shows reversed letters
		// as a partner's name the mention check cannot see.
		{"direction override",
			"---\ntitle: x\ndate: 2026-01-01\n---\nThanks to \u202enoitadnuoF etaghtroN\u202c.\n",
			[]string{f + ":5:11: an invisible direction control (U+202E) would make this text show otherwise than it is written",
				f + ":5:32: an invisible direction control (U+202C)"}},
		// Found in review: yaml.v3 stopped at "...", so an embargo or a
		// draft flag below it was dropped without a word.
		{"document end marker hides the keys below it",
			"---\ntitle: x\ndate: 2026-01-01\n...\nembargo_until: 2026-12-15\ndraft: true\n---\n",
			[]string{f + `:4: a line "..." or "---" ends the YAML here, and drumbeat would ignore everything after it`}},
		{"duplicate key",
			"---\ntitle: x\ndate: 2026-01-01\ntitle: y\n---\n",
			[]string{f + `:4:1: key "title" appears twice in this block (first at line 2)`}},
		{"duplicate unknown key",
			"---\ntitle: x\ndate: 2026-01-01\nfoo:\n  a: 1\n  a: 2\n---\n",
			[]string{f + `:6:3: key "a" appears twice in this block (first at line 5)`}},
		{"tab indentation",
			"---\ntitle: x\ndate: 2026-01-01\ntags:\n\t- a\n---\n",
			[]string{f + ":5:1: a tab is used for indentation"}},
		{"unclosed front matter",
			"---\ntitle: x\ndate: 2026-01-01\n",
			[]string{f + ":1: the front matter opened here with --- is never closed (end it with a line holding only ---)"}},
		{"unclosed after a blank line",
			"\n---\ntitle: x\n",
			[]string{f + ":2: the front matter opened here with --- is never closed"}},
		{"unclosed TOML",
			"+++\ntitle = \"x\"\n",
			[]string{f + ":1: the front matter opened here with +++ is never closed (end it with a line holding only +++)"}},
		{"only a delimiter",
			"---",
			[]string{f + ":1: the front matter opened here with --- is never closed"}},
		{"no front matter",
			"# Just Markdown\n\nNo front matter here.\n",
			[]string{f + ":1: the file has no front matter"}},
		{"empty file",
			"",
			[]string{f + ":1: the file has no front matter"}},
		{"empty front matter",
			"---\n---\nBody\n",
			[]string{f + ":1: no date in the front matter", f + ":1: no title in the front matter"}},
		{"TOML syntax error",
			"+++\ntitle = \"x\"\n\ndate = 2026-01-01\nfoo = [1,\n+++\n",
			[]string{f + ":5:10: TOML: unexpected EOF; expected value"}},
		{"TOML type error is at its file line",
			"+++\ntitle = \"x\"\n\ndate = 2026-01-01\n\nweight = \"heavy\"\n+++\n",
			[]string{f + ":6: TOML: `weight`: incompatible types: TOML value has type string; destination has type integer"}},
		{"TOML duplicate key",
			"+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n",
			[]string{f + ":3:13: TOML: Key 'title' has already been defined."}},
		{"TOML approval without by is at its table",
			"+++\ntitle = \"x\"\ndate = 2026-01-01\n\n[[approved_by]]\npartner = \"a\"\non = 2026-01-01\n\n[[approved_by]]\npartner = \"b\"\n+++\n",
			[]string{f + `:5: the approval of "a" does not say who approved`, f + `:9: the approval of "b" does not say who approved`, f + `:9: the approval of "b" has no date`}},
		{"title too long",
			"---\ndate: 2026-01-01\ntitle: " + long + "\n---\n",
			[]string{f + ":3:1: the title is 304 characters long; keep it under 300"}},
		{"no date",
			"---\ntitle: x\n---\n",
			[]string{f + ":1: no date in the front matter (add `date: YYYY-MM-DD`"}},
		{"unknown kind",
			"---\ntitle: x\ndate: 2026-01-01\nkind: essay\n---\n",
			[]string{f + `:4:1: kind "essay" is not a story kind (use story, spotlight, roi or lesson)`}},
		{"bad period",
			"---\ntitle: x\ndate: 2026-01-01\nperiod: 2026-Q5\n---\n",
			[]string{f + `:4:1: period: "2026-Q5" is not a period`}},
		{"period misspelt",
			"---\ntitle: x\ndate: 2026-01-01\nperiode: 2026-Q3\n---\n",
			[]string{f + `:4:1: unknown field "periode" (did you mean "period"?)`}},
		{"spotlight without a partner",
			"---\ntitle: x\ndate: 2026-01-01\nkind: spotlight\n---\n",
			[]string{f + ":4:1: a spotlight story needs `spotlight: <partner id>`"}},
		{"javascript: image",
			"---\ntitle: x\ndate: 2026-01-01\nimage: javascript:alert(1)\nimage_alt: x\n---\n",
			[]string{f + `:4:1: image "javascript:alert(1)" must be a path under static/`}},
		{"image path leaving static",
			"---\ntitle: x\ndate: 2026-01-01\nimage: /images/../../etc/passwd\nimage_alt: x\n---\n",
			[]string{f + `:4:1: image "/images/../../etc/passwd" must be a path under static/`}},
		{"protocol-relative image",
			"---\ntitle: x\ndate: 2026-01-01\nimage: //evil.example/x.png\nimage_alt: x\n---\n",
			[]string{f + `:4:1: image "//evil.example/x.png" must be a path`}},
		{"image without alt text",
			"---\ntitle: x\ndate: 2026-01-01\nimage: /images/x.jpg\n---\n",
			// Since photos are processed (issue #18), a missing image is an error too.
			[]string{f + ":4:1: the image /images/x.jpg is not in static/", f + ":4:1: the image has no image_alt text"}},
		{"approval problems are at the approval",
			"---\ntitle: x\ndate: 2026-01-01\napproved_by:\n  - by: A\n    on: 2026-01-01\n  - partner: p\n    on: 2026-02-30\n  - partner: q\n    by: B\n---\n",
			[]string{f + ":5:5: an approval has no partner", f + `:7:5: on "2026-02-30" is not a date`, f + `:7:5: the approval of "p" does not say who approved`, f + `:9:5: the approval of "q" has no date`}},
		{"slug with ../",
			"---\ntitle: x\ndate: 2026-01-01\nslug: ../../etc\n---\n",
			[]string{f + `:4:1: slug "../../etc" may use only lower-case letters, digits and dashes (for example "etc")`}},
		{"upper-case slug",
			"---\ntitle: x\ndate: 2026-01-01\nslug: Saturday-Clinics\n---\n",
			[]string{f + `:4:1: slug "Saturday-Clinics" may use only lower-case letters, digits and dashes (for example "saturday-clinics")`}},
		{"NUL byte",
			"---\ntitle: x\ndate: 2026-01-01\n---\nab\x00c\n",
			[]string{f + ":5:3: the file contains a NUL byte"}},
		{"Latin-1",
			"---\ntitle: Caf\xe9\ndate: 2026-01-01\n---\n",
			[]string{f + ":2:11: the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252)"}},
		{"UTF-16",
			"\xff\xfe-\x00-\x00-\x00\n\x00",
			[]string{f + ":1: the file is UTF-16, not UTF-8"}},
		{"alias bomb in an unknown key",
			"---\ntitle: x\ndate: 2026-01-01\n" + laughs(9) + "---\n",
			[]string{f + ":7:5: YAML: document contains excessive aliasing"}},
		{"deep nesting",
			"---\ntitle: x\ndate: 2026-01-01\nx: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n---\n",
			[]string{f + ":4: YAML: exceeded max depth of 10000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The alias bomb's keys are declared, so that it is decoded.
			_, errs := loadFiles(t, map[string]string{f: tt.src,
				ConfigFile: "title: Test\nfront_matter:\n  extra_keys: [l0, l1, l2, l3, l4, l5, l6, l7, l8]\n"})
			checkErrs(t, errs, tt.want...)
		})
	}
}

// laughs returns the "billion laughs" YAML: n keys, each a list of nine
// aliases of the one before.
func laughs(n int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < n; i++ {
		a := "*l" + string(rune('0'+i-1))
		b.WriteString("l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [" + strings.Repeat(a+", ", 8) + a + "]\n")
	}
	return b.String()
}

func TestStoryBOMAndCRLF(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{
		"content/stories/crlf.md": "\xef\xbb\xbf---\r\ntitle: Windows story\r\ndate: 2026-01-02\r\ntags: [a, b]\r\n---\r\nBody\r\n",
	})
	checkErrs(t, errs)
	if len(src.Stories) != 1 {
		t.Fatalf("%d stories", len(src.Stories))
	}
	s := src.Stories[0]
	if s.Title != "Windows story" || !s.Date.Equal(date(2026, 1, 2)) || len(s.Tags) != 2 || s.Tags[1] != "b" {
		t.Errorf("story = %q %v %q", s.Title, s.Date, s.Tags)
	}
	if s.BodyLine != 6 || string(s.Body) != "Body\r\n" {
		t.Errorf("body at line %d: %q", s.BodyLine, s.Body)
	}
	if p := s.Pos("date"); p.Line != 3 {
		t.Errorf("date at %v, want line 3", p)
	}
}

func TestStorySlugs(t *testing.T) {
	tests := []struct {
		file, slug string
	}{
		{"content/stories/saturday-clinics.md", "saturday-clinics"},
		{"content/stories/2026-03-14-saturday-clinics.md", "saturday-clinics"},
		{"content/stories/My First Story.md", "my-first-story"},
		// Letters of any script are kept, accents on Latin ones folded
		// (this was "ber-caf" before drumbeat's slugs knew Unicode).
		{"content/stories/Über café.md", "uber-cafe"},
		{"content/stories/U\u0308ber cafe\u0301.md", "uber-cafe"}, // a macOS (NFD) name
		{"content/stories/健康.md", "健康"},
		{"content/stories/2026-03-14-Здоровье детей.md", "здоровье-детей"},
		{"content/stories/" + strings.Repeat("健", 30) + ".md", strings.Repeat("健", 26)}, // 80 bytes at most
		{"content/stories/2026-03-14.md", "2026-03-14"},
		{"content/stories/a__b--c.MD", "a-b-c"},
		{"content/stories/" + strings.Repeat("x", 120) + ".md", strings.Repeat("x", 80)},
	}
	for _, tt := range tests {
		src, errs := loadFiles(t, map[string]string{tt.file: "---\ntitle: x\ndate: 2026-01-01\n---\n"})
		checkErrs(t, errs)
		if len(src.Stories) != 1 || src.Stories[0].Slug != tt.slug {
			t.Errorf("%s: stories %v, want slug %q", tt.file, src.Stories, tt.slug)
		}
	}
	_, errs := loadFiles(t, map[string]string{"content/stories/!!!.md": "---\ntitle: x\ndate: 2026-01-01\n---\n"})
	checkErrs(t, errs, `content/stories/!!!.md:1: cannot make a web address from the file name "!!!.md"`)
	// A given slug may be in any script, as slugs are made.
	for given, want := range map[string]string{"健康": "", "здоровье-детей": "", "Santé": `slug "Santé" may use only lower-case letters, digits and dashes (for example "sante")`, "santé": `for example "sante"`, "健康--x": `for example "健康-x"`} {
		src, errs := loadFiles(t, map[string]string{"content/stories/x.md": "---\ntitle: x\ndate: 2026-01-01\nslug: " + given + "\n---\n"})
		if want == "" {
			checkErrs(t, errs)
			if len(src.Stories) != 1 || src.Stories[0].Slug != given {
				t.Errorf("slug: %s: %v", given, src.Stories)
			}
		} else if !strings.Contains(errs.Error(), want) {
			t.Errorf("slug: %s: %v, want %s", given, errs, want)
		}
	}
	// A given slug wins over the file name.
	src, _ := loadFiles(t, map[string]string{"content/stories/File Name.md": "---\ntitle: x\ndate: 2026-01-01\nslug: given\n---\n"})
	if len(src.Stories) != 1 || src.Stories[0].Slug != "given" {
		t.Errorf("given slug: %v", src.Stories)
	}
}

func TestPagesAndNewsletters(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{
		"content/pages/about.md":        "---\ntitle: About us\nweight: 2\n---\nWho we are.\n",
		"content/pages/.DS_Store":       "junk",
		"content/pages/notes.txt":       "not Markdown",
		"content/newsletter/2026-10.md": "---\nsubject: October news\npreheader: What the partners did in October, in three short stories.\nitems: [a, b]\nspotlight: p\n---\nHello.\n",
		"content/newsletter/2026-11.md": "---\nsubject: " + strings.Repeat("s", 61) + "\n---\n",
		"content/newsletter/october.md": "---\nsubject: x\n---\n",
		"content/newsletter/2026-12.md": "---\npreheader: short\n---\n",
	})
	checkErrs(t, errs,
		"content/newsletter/2026-11.md:2:1: warning: the subject is 61 characters",
		"content/newsletter/2026-12.md:1: the newsletter has no subject",
		"content/newsletter/2026-12.md:2:1: warning: the preheader is 5 characters",
		"content/newsletter/october.md: a newsletter file must be named after its month, like 2026-10.md",
	)
	if len(src.Pages) != 1 || src.Pages[0].Section != "pages" || src.Pages[0].Weight != 2 || src.Pages[0].URL() != "/about/" {
		t.Errorf("pages = %+v", src.Pages)
	}
	if len(src.Newsletters) != 3 {
		t.Fatalf("%d newsletters", len(src.Newsletters))
	}
	n := src.Newsletters[len(src.Newsletters)-1] // oldest last
	if n.Month.String() != "2026-10" || n.Subject != "October news" || len(n.Items) != 2 || n.Spotlight != "p" || n.BodyLine != 7 {
		t.Errorf("newsletter = %+v", n)
	}
}

// TestSplitFrontMatterBOM checks that a byte-order mark before the front
// matter is skipped: callers with the raw file, such as AddApproval for
// `drumbeat approve`, found no front matter in a file saved with one.
func TestSplitFrontMatterBOM(t *testing.T) {
	for _, src := range []string{"\xef\xbb\xbf---\ntitle: x\n---\nBody\n", "\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nBody\r\n"} {
		var errs diag.List
		fm, body, line, ok := splitFrontMatter("x.md", []byte(src), &errs)
		if !ok || fm == nil || fm.format != "yaml" || fm.startLine != 2 || line != 4 || !strings.HasPrefix(string(body), "Body") {
			t.Errorf("%q: front matter %+v, body %q at line %d, ok %v, %v", src, fm, body, line, ok, errs)
		}
	}
}

// TestSplitFrontMatterBodyOwnSize checks that a story's body is a copy of
// its own size, not the end of the front matter parser's buffer, which
// holds the whole file with room to grow: every story keeps its body for
// the whole build.
func TestSplitFrontMatterBodyOwnSize(t *testing.T) {
	src := "---\ntitle: x\n---\n" + strings.Repeat("A line of the story's text.\n", 200)
	var errs diag.List
	_, body, _, ok := splitFrontMatter("x.md", []byte(src), &errs)
	if !ok || string(body) != src[len("---\ntitle: x\n---\n"):] {
		t.Fatalf("body %q, ok %v, %v", body, ok, errs)
	}
	if c := cap(body); c > len(body)+len(body)/8 {
		t.Errorf("the body (%d bytes) keeps %d bytes", len(body), c)
	}
}
