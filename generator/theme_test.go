package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestEmailLayoutErrorsNameFileAndLine: an error in a site's newsletter
// email layouts (layouts/newsletter-email.html and .txt), from parsing,
// escaping or executing them, is told by build and check as the theme's
// layouts' are (TestTemplateErrorsNameFileAndLine): the file, its line and
// column, the template's words; once, however many issues the email
// renders.
func TestEmailLayoutErrorsNameFileAndLine(t *testing.T) {
	const siteYAML = "title: T\nbase_url: https://t.example/\nnewsletter:\n  from: T <t@t.example>\n  unsubscribe: https://t.example/u\n  address: 1 High St\n"
	stories := map[string]string{
		"public.md":    story("Public story", "2025-03-01", "kind: lesson\n", "A lesson for everyone."),
		"embargoed.md": story("Embargoed", "2025-03-02", "embargo_until: 2025-12-01\nkind: lesson\n", "Later."),
		"draft.md":     story("Draft", "2025-03-03", "draft: true\nkind: lesson\n", "Not yet."),
	}
	tests := []struct{ name, file, layout, want string }{
		{"html parse", "newsletter-email.html", "<html><body>\n<p>{{.Subject}}</p>\n<p>{{.Subject | nofunc}}</p>\n</body></html>",
			`layouts/newsletter-email.html:3:17: function "nofunc" not defined`},
		{"html unexpected end", "newsletter-email.html", "<html><body>\n<p>{{.Subject}}</p>\n  {{end}}\n</body></html>",
			`layouts/newsletter-email.html:3:5: unexpected {{end}}`},
		{"html execution", "newsletter-email.html", "<html><body>\n<p>{{.Subject}}</p>\n  <p>{{.Nope}}</p>\n</body></html>",
			`layouts/newsletter-email.html:3:8: executing "layouts/newsletter-email.html" at <.Nope>: can't evaluate field Nope in type email.HTMLData`},
		{"html if branches", "newsletter-email.html", "<html><body>\n\n<p>{{if .Subject}}<a href=\"{{end}}\">x</a></p>\n</body></html>",
			`layouts/newsletter-email.html:3:9: {{if}} branches end in different contexts: `},
		{"html function error", "newsletter-email.html", "<html><body>\n<p>{{.Subject}}</p>\n<p>{{index .Stories 99}}</p>\n</body></html>",
			`layouts/newsletter-email.html:3:6: executing "layouts/newsletter-email.html" at <index .Stories 99>: error calling index: index out of range: 99`},
		{"text parse", "newsletter-email.txt", "{{.Subject}}\n\n{{if}}\n{{end}}\n",
			`layouts/newsletter-email.txt:3:3: missing value for if`},
		{"text execution", "newsletter-email.txt", "{{.Subject}}\n\n  {{.Nope}}\n{{.Unsubscribe}}\n",
			`layouts/newsletter-email.txt:3:5: executing "layouts/newsletter-email.txt" at <.Nope>: can't evaluate field Nope in type *email.Issue`},
		{"text function error", "newsletter-email.txt", "{{.Subject}}\n{{heading .Subject}}\n{{.Unsubscribe}}\n",
			`layouts/newsletter-email.txt:2:3: executing "layouts/newsletter-email.txt" at <heading>: wrong number of args for heading: want 2 got 1`},
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := newsletterSite(t, siteYAML, stories)
			// A second issue: the error is told once, not once an issue.
			if err := os.WriteFile(filepath.Join(src, "content", "newsletter", "2025-04.md"), []byte("---\nsubject: April news\ndate: 2025-04-28\nitems: [public]\n---\nHello again.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(src, "layouts"), 0o755)
			if err := os.WriteFile(filepath.Join(src, "layouts", tc.file), []byte(tc.layout), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: now})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Count(err.Error(), tc.want) != 1 {
				t.Errorf("build:\n got %v\nwant %s…", err, tc.want)
			}
			_, l := Check(context.Background(), Options{Source: src, Now: now})
			if err := l.Err(); err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Count(err.Error(), tc.want) != 1 {
				t.Errorf("check:\n got %v\nwant %s…", err, tc.want)
			}
		})
	}
}
