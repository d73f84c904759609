package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unicodeSite is figureSite's data with stories tagged in four scripts,
// one of them with a file name in Chinese.
func unicodeSite(t *testing.T) string {
	return writeSite(t, map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"cov,Coverage,impact,impact,%,up,70,90,2027-Q4,Register,Share covered\n",
		"data/observations/q.csv":     "period,cov\n2025-Q1,72\n2025-Q2,80\n",
		"content/stories/a.md":        "---\ntitle: A\ndate: 2025-10-01\ntags: [Santé, 健康]\n---\nCoverage is {{cov}}.\n",
		"content/stories/Über uns.md": "---\ntitle: B\ndate: 2025-09-01\ntags:\n  - Über\n  - Здоровье\n  - 健康\n---\nBody.\n",
		"content/stories/健康日.md":      "---\ntitle: C\ndate: 2025-08-01\ntags: [Santé]\n---\nBody.\n",
	})
}

// TestUnicodeSlugs builds a site whose tags and one story's file name are
// not ASCII, and checks where the pages are written, that every link
// between them resolves, and that the sitemap and feeds hold URIs.
func TestUnicodeSlugs(t *testing.T) {
	out := buildSmall(t, unicodeSite(t), Options{})
	for _, want := range []string{
		"tags/sante/index.html", "tags/健康/index.html", "tags/uber/index.html", "tags/здоровье/index.html",
		"stories/uber-uns/index.html", "stories/健康日/index.html",
	} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want))); err != nil {
			t.Errorf("missing %s", want)
		}
	}
	checkLinks(t, out)
	b, err := os.ReadFile(filepath.Join(out, "stories", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `href="../../tags/%e5%81%a5%e5%ba%b7/"`) && !strings.Contains(string(b), `href="../../tags/%E5%81%A5%E5%BA%B7/"`) {
		t.Errorf("story page does not link to the 健康 tag percent-encoded:\n%s", b)
	}
}
