package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSiteLayoutsOverrideTheme(t *testing.T) {
	src := figureSite(t, "Hello.")
	os.MkdirAll(filepath.Join(src, "layouts"), 0o755)
	os.WriteFile(filepath.Join(src, "layouts", "decisions.html"), []byte(`{{define "main"}}<p>OUR OWN DECISIONS PAGE</p>{{end}}`), 0o644)
	os.MkdirAll(filepath.Join(src, "static", "css"), 0o755)
	os.WriteFile(filepath.Join(src, "static", "css", "site.css"), []byte("body{color:red}"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "decisions", "index.html"))
	if !strings.Contains(string(b), "OUR OWN DECISIONS PAGE") {
		t.Error("layouts/decisions.html of the site did not override the theme's")
	}
	// The stylesheet is published under its fingerprinted name.
	css, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(assetFiles(t, out)["css/site.css"])))
	if !strings.Contains(string(css), "color:red") {
		t.Errorf("static/css/site.css of the site did not override the theme's: %.60s", css)
	}
	b, _ = os.ReadFile(filepath.Join(out, "governance", "index.html"))
	if !strings.Contains(string(b), "Governance") {
		t.Error("other theme layouts should still be used")
	}
}

func TestTemplateErrorsNameFileAndLine(t *testing.T) {
	tests := []struct{ layout, want string }{
		{"{{define \"main\"}}\n<p>\n{{.Nope}}</p>{{end}}", "layouts/decisions.html:3:3: executing \"main\" at <.Nope>: can't evaluate field Nope"},
		{"{{define \"main\"}}\n\n{{if}}{{end}}", "layouts/decisions.html:3:3: missing value for if"},
		{"{{define \"main\"}}\n<p>{{if .Decisions}}<a href=\"{{end}}\">x</a></p>{{end}}", "layouts/decisions.html:2:9: {{if}} branches end in different contexts"},
	}
	for _, tc := range tests {
		src := figureSite(t, "Hello.")
		os.MkdirAll(filepath.Join(src, "layouts"), 0o755)
		os.WriteFile(filepath.Join(src, "layouts", "decisions.html"), []byte(tc.layout), 0o644)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
	}
}

func TestRawHTMLIsEscapedUnlessOptedIn(t *testing.T) {
	body := "Hello <script>alert(1)</script> and [x](javascript:alert(2)).\n\n<div class=\"box\">block</div>\n"
	for _, unsafe := range []bool{false, true} {
		src := figureSite(t, body)
		if unsafe {
			cfg := filepath.Join(src, "site.yaml")
			b, _ := os.ReadFile(cfg)
			os.WriteFile(cfg, append(b, []byte("markdown:\n  unsafe_html: true\n")...), 0o644)
		}
		out := filepath.Join(t.TempDir(), "o")
		if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, NoMinify: true}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(out, "stories", "s", "index.html"))
		page := string(b)
		if strings.Contains(page, "javascript:") {
			t.Errorf("unsafe=%v: a javascript: link reached the page", unsafe)
		}
		if unsafe {
			if !strings.Contains(page, `<div class="box">block</div>`) {
				t.Error("with unsafe_html the raw HTML should pass through")
			}
			continue
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, `<div class="box">`) {
			t.Error("raw HTML reached the page without opting in")
		}
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "&lt;div class=&#34;box&#34;&gt;") && !strings.Contains(page, "&lt;div class=&quot;box&quot;&gt;") {
			t.Error("raw HTML should be shown escaped")
		}
	}
}
