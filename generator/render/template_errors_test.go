package render

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// TestTemplateErrors checks that errors in a theme's templates or a site's
// overrides, from parsing, escaping or executing them, name the file as the
// user sees it, its line and column, and the template's own words.
func TestTemplateErrors(t *testing.T) {
	const base = `{{define "base"}}<html><body>{{template "main" .}}</body></html>{{end}}`
	const card = `{{define "card"}}<p>{{.Title}}</p>{{end}}`
	tests := []struct {
		name      string
		theme     map[string]string // layouts/…, over a base, a card partial and a page layout
		site      map[string]string // the site's overrides in layouts/
		want      string            // the error's beginning
		wantParse bool              // LoadTheme fails (else executing "page" does)
	}{{
		name: "parse error in a site override",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<article>\n  <p>{{.Title | nofunc}}</p>\n</article>\n{{end}}"},
		want: `layouts/page.html:3:17: function "nofunc" not defined`, wantParse: true,
	}, {
		name: "unexpected end in a site override",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<p>{{.Title}}</p>\n{{end}}\n  {{end}}"},
		want: `layouts/page.html:4:5: unexpected {{end}}`, wantParse: true,
	}, {
		name: "if branches end in different contexts",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<article>\n  <p>{{if .Title}}<a href=\"{{end}}\">x</a></p>\n</article>\n{{end}}"},
		want: `layouts/page.html:3:11: {{if}} branches end in different contexts: `,
	}, {
		name: "missing field in a site override",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<article>\n  <p>{{.Nope}}</p>\n</article>\n{{end}}"},
		want: `layouts/page.html:3:8: executing "main" at <.Nope>: can't evaluate field Nope in type *render.Page`,
	}, {
		name: "missing method in a site override",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<p>{{.Rel}}</p>\n{{end}}"},
		want: `layouts/page.html:2:6: executing "main" at <.Rel>: wrong number of args for Rel: want 1 got 0`,
	}, {
		name: "no such template in a site override",
		site: map[string]string{"layouts/page.html": "{{define \"main\"}}\n<p>{{template \"nothere\" .}}</p>\n{{end}}"},
		want: `layouts/page.html:2:15: no such template "nothere"`,
	}, {
		name:  "parse error in a theme file",
		theme: map[string]string{"layouts/partials/card.html": "{{define \"card\"}}\n<p>{{.Title}</p>\n{{end}}"},
		want:  `themes/test/layouts/partials/card.html:2:`, wantParse: true,
	}, {
		name:  "execution error in a theme file",
		theme: map[string]string{"layouts/page.html": "{{define \"main\"}}\n\n<p>{{.Title}} {{.Story.Title}}</p>\n{{end}}"},
		want:  `themes/test/layouts/page.html:3:23: executing "main" at <.Story.Title>: nil pointer evaluating *render.StoryView.Title`,
	}}
	for _, tc := range tests {
		for _, minify := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/minify=%v", tc.name, minify), func(t *testing.T) {
				themeFS := fstest.MapFS{
					"layouts/baseof.html":        {Data: []byte(base)},
					"layouts/partials/card.html": {Data: []byte(card)},
					"layouts/page.html":          {Data: []byte(`{{define "main"}}<p>{{.Title}}</p>{{end}}`)},
				}
				for name, text := range tc.theme {
					themeFS[name] = &fstest.MapFile{Data: []byte(text)}
				}
				siteFS := fstest.MapFS{}
				for name, text := range tc.site {
					siteFS[name] = &fstest.MapFile{Data: []byte(text)}
				}
				theme, err := LoadTheme(themeFS, "themes/test", siteFS, "en", Funcs(), minify)
				if tc.wantParse {
					if err == nil {
						t.Fatal("LoadTheme: no error")
					}
				} else {
					if err != nil {
						t.Fatalf("LoadTheme: %v", err)
					}
					_, err = theme.execute("page", &Page{Title: "T", Path: "/x/"})
					if err == nil {
						t.Fatal("execute: no error")
					}
				}
				if got := err.Error(); !strings.HasPrefix(got, tc.want) {
					t.Errorf("minify %v:\n got %s\nwant %s…", minify, got, tc.want)
				}
			})
		}
	}
}

// TestSortedOnce: an error found on every page made with a layout is told
// once; different errors, and a warning beside an error, all stay.
func TestSortedOnce(t *testing.T) {
	e := func(file string, line int, msg string) *diag.Error {
		return &diag.Error{Pos: diag.Pos{File: file, Line: line}, Msg: msg}
	}
	w := e("layouts/page.html", 2, "m")
	w.Severity = diag.SevWarning
	l := diag.List{e("layouts/page.html", 2, "m"), e("a.md", 1, "x"), e("layouts/page.html", 2, "m"), w, e("layouts/page.html", 2, "n")}
	got := sortedOnce(l)
	var s []string
	for _, e := range got {
		s = append(s, e.Error())
	}
	want := []string{"a.md:1: x", "layouts/page.html:2: m", "layouts/page.html:2: warning: m", "layouts/page.html:2: n"}
	if strings.Join(s, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", s, want)
	}
}
