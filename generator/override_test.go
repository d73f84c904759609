package generator

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/render/email"
)

// overrideExample is the example site override docs/themes.md shows.
const overrideExample = "../docs/examples/override"

// The lines the example override adds, as they come out.
var (
	overridePage  = regexp.MustCompile(`\n\s*<p class="override-note">Example override: this line comes from the site’s layouts/partials/footer.html.</p>`)
	overrideEmail = regexp.MustCompile(`\n<p class="override-note"[^>]*>Example override: this line comes from the site’s layouts/newsletter-email.html.</p>`)
)

const overrideText = "Example override: this line comes from the site’s layouts/newsletter-email.txt.\n"

// TestExampleOverride builds a small site with a newsletter, without and
// with the layouts of docs/examples/override: every page gets the
// footer's added line, the email's HTML, plain text and .eml the email
// layouts' lines, and nothing else changes. Sending and exporting the
// issue use the overrides too.
func TestExampleOverride(t *testing.T) {
	const siteYAML = "title: T\nbase_url: https://t.example/\nnewsletter:\n  from: T <t@t.example>\n  unsubscribe: https://t.example/u?list=news&x=1\n  address: 1 High St\n  smtp_host: smtp.t.example\n"
	stories := map[string]string{
		"public.md":    story("Public story", "2025-03-01", "kind: lesson\n", "A lesson for everyone."),
		"embargoed.md": story("Embargoed", "2025-03-02", "embargo_until: 2025-12-01\nkind: lesson\n", "Later."),
		"draft.md":     story("Draft", "2025-03-03", "draft: true\nkind: lesson\n", "Not yet."),
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	build := func(src string) string {
		out := filepath.Join(t.TempDir(), "out")
		if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: now, NoMinify: true}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	ref := build(newsletterSite(t, siteYAML, stories))
	src := newsletterSite(t, siteYAML, stories)
	if err := os.CopyFS(filepath.Join(src, "layouts"), os.DirFS(filepath.Join(overrideExample, "layouts"))); err != nil {
		t.Fatal(err)
	}
	out := build(src)

	files := map[string]bool{}
	for _, dir := range []string{ref, out} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				files[filepath.ToSlash(rel)] = true
			}
			return nil
		})
	}
	pages := 0
	for rel := range files {
		want, err1 := os.ReadFile(filepath.Join(ref, rel))
		got, err2 := os.ReadFile(filepath.Join(out, rel))
		if err1 != nil || err2 != nil {
			t.Errorf("%s is in one output only", rel)
			continue
		}
		var line *regexp.Regexp
		switch {
		case strings.HasSuffix(rel, "email.html"):
			line = overrideEmail
		case strings.HasSuffix(rel, ".html") && bytes.Contains(want, []byte(`<footer class="site-footer">`)):
			line, pages = overridePage, pages+1
		case strings.HasSuffix(rel, "email.txt"):
			if string(got) != string(want)+overrideText {
				t.Errorf("%s is not the theme's with the override's line at the end:\n%s", rel, got)
			}
			continue
		case strings.HasSuffix(rel, "email.eml"):
			checkOverrideEML(t, rel, want, got, out)
			continue
		}
		if line == nil {
			if !bytes.Equal(got, want) {
				t.Errorf("%s changed, but the override does not touch it", rel)
			}
			continue
		}
		if n := len(line.FindAll(got, -1)); n != 1 {
			t.Errorf("%s holds the override's line %d times, want once", rel, n)
		} else if rest := line.ReplaceAll(got, nil); !bytes.Equal(rest, want) {
			t.Errorf("%s, without the override's line, is not the theme's", rel)
		}
	}
	if pages < 5 || !files["newsletter/2025-03/email.eml"] {
		t.Fatalf("the example built %d pages with a footer, and email.eml: %v", pages, files["newsletter/2025-03/email.eml"])
	}

	// Sending and exporting use the site's email layouts too.
	opt := Options{Source: src, Output: out, Now: now}
	rep, err := SendNewsletter(context.Background(), opt, "2025-03", Send{To: []Recipient{{Addr: "pat@example.org"}}, DryRun: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !overrideEmail.Match(rep.Message.HTML) || !bytes.HasSuffix(rep.Message.Text, []byte(overrideText)) {
		t.Error("newsletter send does not use the site's email layouts")
	}
	dir := t.TempDir()
	if _, err := ExportNewsletter(context.Background(), opt, "2025-03", email.Listmonk, dir); err != nil {
		t.Fatal(err)
	}
	h, _ := os.ReadFile(filepath.Join(dir, "email.html"))
	x, _ := os.ReadFile(filepath.Join(dir, "email.txt"))
	if !overrideEmail.Match(h) || !bytes.HasSuffix(x, []byte(overrideText)) {
		t.Error("newsletter export does not use the site's email layouts")
	}
}

// checkOverrideEML checks the .eml's headers are the theme's and its
// parts are the email.txt and email.html written beside it.
func checkOverrideEML(t *testing.T, rel string, want, got []byte, out string) {
	t.Helper()
	wm, err1 := mail.ReadMessage(bytes.NewReader(want))
	gm, err2 := mail.ReadMessage(bytes.NewReader(got))
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: %v %v", rel, err1, err2)
	}
	for k, v := range wm.Header {
		if k != "Content-Type" && strings.Join(gm.Header[k], "\n") != strings.Join(v, "\n") {
			t.Errorf("%s: header %s changed: %q, was %q", rel, k, gm.Header[k], v)
		}
	}
	_, params, err := mime.ParseMediaType(gm.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, filepath.Dir(rel))
	mr := multipart.NewReader(gm.Body, params["boundary"])
	parts := 0
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, _ := io.ReadAll(body)
		name := "email.txt"
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			name = "email.html"
		}
		file, _ := os.ReadFile(filepath.Join(dir, name))
		if !bytes.Equal(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), file) {
			t.Errorf("%s: its %s part is not %s", rel, p.Header.Get("Content-Type"), name)
		}
		parts++
	}
	if parts != 2 {
		t.Errorf("%s has %d parts, want 2", rel, parts)
	}
}

// TestThemesDocShowsTestedExample: every code block docs/themes.md marks
// as coming from a file (a line "<!-- from PATH -->" before the fence) is
// in that file as it is, so the doc shows the example TestExampleOverride
// builds.
func TestThemesDocShowsTestedExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/themes.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?m)^<!-- from (\\S+) -->\n```[a-z]*\n((?s:.*?))```\n")
	found := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(doc), -1) {
		b, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(m[1])))
		if err != nil {
			t.Errorf("docs/themes.md shows %s, which cannot be read: %v", m[1], err)
			continue
		}
		if !strings.Contains(string(b), m[2]) {
			t.Errorf("docs/themes.md shows a part of %s that is not in it:\n%s", m[1], m[2])
		}
		found[m[1]] = true
	}
	for _, f := range []string{"layouts/partials/footer.html", "layouts/newsletter-email.html", "layouts/newsletter-email.txt"} {
		if !found["docs/examples/override/"+f] {
			t.Errorf("docs/themes.md shows nothing of docs/examples/override/%s", f)
		}
	}
}
