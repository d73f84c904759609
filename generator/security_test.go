package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
		"data/observations/o.csv": "metric,period,value,partner,note\nm1,2025-Q1,2,evil,\"" + strings.ReplaceAll(x, `"`, `""`) + "\"\nm1,2025-Q2,3,evil,\n",
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
		regexp.MustCompile(`(?i)<img[^>]+onerror`),
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
		for _, re := range bad {
			if loc := re.FindIndex(b); loc != nil {
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
