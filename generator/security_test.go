package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestHostileContentIsEscaped feeds script and markup through every field
// that reaches a page (partner, metric, story, governance, decision) and
// checks that no output carries a live script, handler or dangerous URL.
func TestHostileContentIsEscaped(t *testing.T) {
	const x = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`
	yq := func(s string) string {
		return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
	}
	src := writeSite(t, map[string]string{
		"site.yaml": "title: " + yq("Site "+x) + "\ntagline: " + yq(x) + "\nbase_url: https://h.example/\ncontact:\n  email: " + yq("a@b.org"+x) + "\n  address: " + yq(x) + "\n",
		"data/partners.yaml": "- id: evil\n  name: " + yq("Evil "+x) + "\n  sector: civil\n  role: member\n  about: " + yq(x) + "\n  gives: [" + yq(x) + "]\n  spotlight_consent: true\n" +
			"  contributions:\n    - {period: 2025, kind: cash, amount: 5, note: " + yq(x) + "}\n",
		"data/governance.yaml":    "purpose:\n  statement: " + yq(x) + "\n  vision: " + yq(x) + "\nroles:\n  - {id: member, name: " + yq(x) + ", gives: [" + yq(x) + "]}\ncommunication:\n  approval_required: false\n  rules: [" + yq(x) + "]\n",
		"data/decisions.yaml":     "- {id: d1, date: 2025-01-01, decision: " + yq(x) + ", rationale: " + yq(x) + ", decided_by: " + yq(x) + "}\n",
		"data/metrics.csv":        "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\nm1,\"M </script><script>alert(3)</script>\",impact,output,\"u<b>\",up,1,10,2027,\"" + strings.ReplaceAll(x, `"`, `""`) + "\",\"" + strings.ReplaceAll(x, `"`, `""`) + "\"\n",
		"data/observations/o.csv": "metric,period,value,partner,note\nm1,2025-Q1,2,evil,\"" + strings.ReplaceAll(x, `"`, `""`) + "\"\nm1,2025-Q2,3,evil,\"=HYPERLINK(\"\"https://evil.example\"\")\"\n",
		"content/stories/s.md": "---\ntitle: " + yq("T "+x) + "\ndate: 2025-06-01\nsummary: " + yq(x) + "\npartners: [evil]\nmetrics: [m1]\ntags: [" + yq(x) + "]\n---\n" +
			"Body " + x + "\n\n[click](javascript:alert(4)) [data](data:text/html,<script>alert(5)</script>) ![i](javascript:alert(6))\n\n{{m1 chart}}\n\n<iframe src=\"https://evil.example\"></iframe>\n",
		"content/pages/p.md": "---\ntitle: " + yq(x) + "\n---\n" + x + "\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	bad := []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script>alert`),
		imgHandler,
		regexp.MustCompile(`(?i)<iframe`),
		regexp.MustCompile(`(?i)(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):`),
		regexp.MustCompile(`(?i)</script><script>`),
	}
	pages := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "vendor") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.HasSuffix(p, ".html") {
			pages++
		}
		if strings.HasSuffix(p, ".csv") {
			// A metric's data.csv holds the data as given (markup in a
			// note is text to a spreadsheet, and the file is a download,
			// never a page), but no cell may start a formula.
			if re := regexp.MustCompile(`(?m)(^|,)"?[=+@]`); re.Match(b) {
				t.Errorf("%s: a cell starts a spreadsheet formula: %s", p, b)
			}
			return nil
		}
		for _, re := range bad {
			if loc := re.FindIndex(b); loc != nil {
				if re == imgHandler && strings.HasSuffix(p, ".html") && !imgHasHandler(b) {
					// The text sits escaped in an attribute's value (a
					// tile's alt names the partner): no img has a handler.
					continue
				}
				lo, hi := max(0, loc[0]-60), min(len(b), loc[1]+60)
				t.Errorf("%s: hostile content got through (%s): …%s…", p, re, b[lo:hi])
			}
		}
		return nil
	})
	if pages < 8 {
		t.Fatalf("only %d pages built", pages)
	}
	// The escaped text is still shown to readers.
	b, _ := os.ReadFile(filepath.Join(out, "stories", "s", "index.html"))
	if !bytes.Contains(b, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("the story should show the markup as text")
	}
}

// imgHandler finds an img tag with an onerror handler in raw bytes; in an
// HTML page it also matches escaped text in an attribute's value, which
// imgHasHandler tells apart.
var imgHandler = regexp.MustCompile(`(?i)<img[^>]+onerror`)

// imgHasHandler reports whether an img element of the HTML page b has an
// event handler attribute (on…), as a browser parses the page.
func imgHasHandler(b []byte) bool {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "img" {
				continue
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					return true
				}
			}
		}
	}
}

// TestUnsafeURLsInDataAreRefused checks that data files cannot carry
// script URLs into links and images.
func TestUnsafeURLsInDataAreRefused(t *testing.T) {
	for _, tc := range []struct{ file, body, want string }{
		{"data/partners.yaml", "- {id: a, name: A, sector: civil, url: \"javascript:alert(1)\"}\n", `data/partners.yaml:1:`},
		{"data/partners.yaml", "- {id: a, name: A, sector: civil, logo: \"data:image/svg+xml,<svg onload=alert(1)>\"}\n", `data/partners.yaml:1:`},
		{"content/stories/s.md", "---\ntitle: S\ndate: 2025-01-01\nimage: \"javascript:alert(1)\"\nimage_alt: x\n---\nx\n", "content/stories/s.md:4:"},
		{"site.yaml", "title: T\nlogo: \"//evil.example/x.svg\"\n", "site.yaml:2:"},
	} {
		src := writeSite(t, map[string]string{"site.yaml": "title: T\n", tc.file: tc.body})
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: want an error at %s, got %v", tc.file, tc.body, tc.want, err)
		}
	}
}

// TestHeldLinksRemovedInEveryForm links a public story to an embargoed one
// in every way Markdown allows and checks that each link is dropped with a
// warning at its line, its text kept, and the held slug nowhere in the
// output. On the old code only the site-path forms were dropped.
func TestHeldLinksRemovedInEveryForm(t *testing.T) {
	links := []struct {
		name, md string
		text     string // what readers still see; "" when the whole link goes
	}{
		{"site path", "[site path](/stories/embargoed/)", "site path"},
		{"relative up", "[relative up](../embargoed/)", "relative up"},
		{"relative down", "[relative down](embargoed/)", "relative down"},
		{"index.html", "[index file](/stories/embargoed/index.html)", "index file"},
		{"percent-encoded", "[encoded](/stories/%65mbargoed/)", "encoded"},
		{"upper case", "[upper](/stories/EMBARGOED/)", "upper"},
		{"absolute", "[absolute](https://p.example/stories/embargoed/)", "absolute"},
		{"absolute http www", "[www](http://www.p.example/stories/embargoed/#top)", "www"},
		{"feed of the story", "[attachment](https://p.example/stories/embargoed/card.png)", "attachment"},
		{"autolink", "<https://p.example/stories/embargoed/>", ""},
		{"bare URL", "see https://p.example/stories/embargoed/ now", "see"},
		{"bare www", "see www.p.example/stories/embargoed/ now", "see"},
		{"reference", "[by reference][r]\n\n[r]: /stories/embargoed/", "by reference"},
		{"text is the address", "[https://p.example/stories/embargoed/](https://p.example/stories/embargoed/)", ""},
		{"fragment", "[anchor](/decisions/#embargoed)", "anchor"},
		// Found in review: forms a browser follows or that carry the
		// slug, which the site-path rules did not see.
		{"character references", "[refs](/stories/&#101;mbargoed/)", "refs"},
		{"double-encoded references", "[refs2](/stories/&amp;#101;mbargoed/)", "refs2"},
		{"backslash", "[backslash](/stories\\embargoed/)", "backslash"},
		{"tab inside", "[tab](/stories/embar&#9;goed/)", "tab"},
		{"html file", "[html](/stories/embargoed.html)", "html"},
		{"path parameter", "[param](/stories/embargoed;x/)", "param"},
		{"scheme without slashes", "[noslash](https:p.example/stories/embargoed/)", "noslash"},
	}
	var body strings.Builder
	lines := map[string]int{}
	line := 6 // the body's first line in the file
	for _, l := range links {
		lines[l.name] = line
		body.WriteString(l.md + "\n\n")
		line += strings.Count(l.md, "\n") + 2
	}
	body.WriteString("[public](../approved-ok/) [external](https://other.example/stories/embargoed/)\n")
	src := protocolSite(t, map[string]string{
		"public.md":      story("Public story", "2025-03-01", "kind: lesson\n", body.String()),
		"embargoed.md":   story("Embargoed", "2025-03-01", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret."),
		"approved-ok.md": story("Other public", "2025-03-01", "kind: lesson\n", "Fine."),
	})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), Options{Source: src, Output: out, Now: now, NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories", "public", "index.html"))
	for _, l := range links {
		want := fmt.Sprintf("content/stories/public.md:%d:", lines[l.name])
		found := false
		for _, w := range res.Warnings {
			if strings.HasPrefix(w.Error(), want) && strings.Contains(w.Msg, "not public") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no warning at %s in %v", l.name, want, res.Warnings)
		}
		if l.text != "" && !bytes.Contains(page, []byte(l.text)) {
			t.Errorf("%s: the link text %q should stay", l.name, l.text)
		}
	}
	if !bytes.Contains(page, []byte(`href="../approved-ok/"`)) || !bytes.Contains(page, []byte(`href="https://other.example/stories/embargoed/"`)) {
		t.Errorf("links to public stories and other sites should stay:\n%s", page)
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		b = bytes.ReplaceAll(b, []byte("https://other.example/stories/embargoed/"), nil)
		if i := bytes.Index(bytes.ToLower(b), []byte("mbargoed")); i >= 0 {
			t.Errorf("%s holds the held slug: …%s…", p, b[max(0, i-80):min(len(b), i+40)])
		}
		return nil
	})
}

// TestHeldLinksInRawHTMLAreErrors checks raw HTML that holds a held
// story's address, which cannot be dropped as a Markdown link is: with
// unsafe HTML on it would be a live link, and off it is shown as text.
func TestHeldLinksInRawHTMLAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		unsafe     bool
		want       string
	}{
		{"inline, shown as text", "Intro.\n\nSee <a href=\"/stories/embargoed/\">the plan</a>.", false, "content/stories/public.md:8:5:"},
		{"inline, live", "Intro.\n\nSee <a href=\"/stories/embargoed/\">the plan</a>.", true, "content/stories/public.md:8:5:"},
		{"block, entity-encoded", "Intro.\n\n<div><a href=\"https://p.example/stories/&#101;mbargoed/\">the plan</a></div>\n", true, "content/stories/public.md:8:1:"},
	} {
		src := protocolSite(t, map[string]string{
			"public.md":    story("Public story", "2025-03-01", "kind: lesson\n", tc.body),
			"embargoed.md": story("Embargoed", "2025-03-01", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret."),
		})
		if tc.unsafe {
			os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: Protocol test\nbase_url: https://p.example/\nmarkdown:\n  unsafe_html: true\n"), 0o644)
		}
		now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: now})
		if err == nil || !strings.Contains(err.Error(), tc.want+" the raw HTML here holds the address of /stories/embargoed/, which is not public") {
			t.Errorf("%s: want an error at %s, got %v", tc.name, tc.want, err)
		}
		// A preview build shows it.
		if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "p"), Now: now, Drafts: true}); err != nil {
			t.Errorf("%s: a --drafts build: %v", tc.name, err)
		}
	}
}

// TestHeldSlugInTextWarns: a held story's address written as text or in
// code is no link to drop, but check says so (found in review).
func TestHeldSlugInTextWarns(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"public.md":               story("Public story", "2025-03-01", "kind: lesson\n", "Soon at /stories/grant-for-the-valley/ and `https://p.example/stories/grant-for-the-valley/`."),
		"grant-for-the-valley.md": story("Grant", "2025-03-01", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret."),
		// A slug in Cyrillic, written in the text with й decomposed (и
		// and a combining breve): it reads the same.
		"other.md":       story("Other", "2025-03-01", "kind: lesson\n", "Soon: `/stories/\u0442\u0430\u0438\u0306\u043d\u044b\u0438\u0306-\u043f\u043b\u0430\u043d/`."),
		"Тайный план.md": story("Secret plan", "2025-03-01", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret."),
	})
	_, list := Check(context.Background(), Options{Source: src, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	for _, want := range []string{
		`content/stories/public.md:1: warning: its text holds "grant-for-the-valley", the address of /stories/grant-for-the-valley/, which is not public`,
		`content/stories/other.md:1: warning: its text holds "тайный-план", the address of /stories/тайный-план/, which is not public`,
	} {
		if !containsMsg(list, want) {
			t.Errorf("check lacks %q in:\n%v", want, list)
		}
	}
}
