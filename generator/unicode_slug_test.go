package generator

import (
	"context"
	"encoding/xml"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
		// Held, and linked to three ways: none of it may reach the output.
		"content/stories/秘密計画.md": "---\ntitle: Secret\ndate: 2027-08-01\ntags: [機密]\n---\nBody.\n",
		// Held too, with a slug in Cyrillic, тайный-план: linked to with й
		// decomposed (и and a combining breve), percent-encoded and as is.
		"content/stories/Тайный план.md": "---\ntitle: Secret plan\ndate: 2027-08-01\n---\nBody.\n",
		"content/stories/d.md": "---\ntitle: D\ndate: 2025-07-01\n---\n" +
			"See [plan](/stories/秘密計画/), [enc](/stories/%E7%A7%98%E5%AF%86%E8%A8%88%E7%94%BB/) and [rel](../秘密計画/).\n\n" +
			"See [nfd](/stories/\u0442\u0430\u0438%CC%86\u043d\u044b\u0438%CC%86-\u043f\u043b\u0430\u043d/), " +
			"[nfd abs](https://t.example/stories/%D1%82%D0%B0%D0%B8%CC%86%D0%BD%D1%8B%D0%B8%CC%86-%D0%BF%D0%BB%D0%B0%D0%BD/) and " +
			"[nfd raw](../\u0442\u0430\u0438\u0306\u043d\u044b\u0438\u0306-\u043f\u043b\u0430\u043d/).\n",
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
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, secret := range []string{"秘密", "機密", "%e7%a7%98", "%E7%A7%98", "%e6%a9%9f", "%E6%A9%9F",
			"тайн", "таи\u0306", "%cc%86", "%CC%86", "%d1%82%d0%b0", "%D1%82%D0%B0"} {
			if strings.Contains(p, secret) || strings.Contains(string(b), secret) {
				t.Errorf("%s holds %q, of a held story", p, secret)
			}
		}
		return nil
	})
	b, err := os.ReadFile(filepath.Join(out, "stories", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `href="../../tags/%e5%81%a5%e5%ba%b7/"`) && !strings.Contains(string(b), `href="../../tags/%E5%81%A5%E5%BA%B7/"`) {
		t.Errorf("story page does not link to the 健康 tag percent-encoded:\n%s", b)
	}
}

// TestUnicodeSlugURIs checks that the sitemap's <loc>s, the feeds' links
// and ids and the pages' og:url are URIs (RFC 3986: what is not ASCII
// percent-encoded) that name the pages written.
func TestUnicodeSlugURIs(t *testing.T) {
	out := buildSmall(t, unicodeSite(t), Options{})
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(read("sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	for _, want := range []string{"https://t.example/tags/%E5%81%A5%E5%BA%B7/", "https://t.example/tags/%D0%B7%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D1%8C%D0%B5/",
		"https://t.example/tags/sante/", "https://t.example/stories/%E5%81%A5%E5%BA%B7%E6%97%A5/"} {
		if !slices.Contains(locs, want) {
			t.Errorf("sitemap has no <loc>%s</loc>", want)
		}
	}
	uris := regexp.MustCompile(`(?:<loc>|<link>|<guid[^>]*>|<id>|href="|content=")(https?://[^<"]*)`)
	for _, file := range []string{"sitemap.xml", "feed.xml", "index.xml", "stories/健康日/index.html", "tags/健康/index.html"} {
		for _, m := range uris.FindAllStringSubmatch(read(file), -1) {
			u, err := url.Parse(m[1])
			if err != nil || m[1] != strings.ToValidUTF8(m[1], "") || hasNonASCII(m[1]) {
				t.Errorf("%s: %q is not a URI", file, m[1])
				continue
			}
			if u.Host != "t.example" || strings.Contains(u.Path, ".") {
				continue
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(u.Path), "index.html")); err != nil {
				t.Errorf("%s: %s leads nowhere", file, m[1])
			}
		}
	}
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// TestUnicodeHeldRawHTML checks that raw HTML holding the address of a
// held story whose slug is not ASCII is refused with its letters
// decomposed too (й as и and a combining breve), percent-encoded or not.
func TestUnicodeHeldRawHTML(t *testing.T) {
	for _, href := range []string{
		"/stories/тайный-план/",
		"/stories/\u0442\u0430\u0438%CC%86\u043d\u044b\u0438%CC%86-\u043f\u043b\u0430\u043d/",
		"/stories/%D1%82%D0%B0%D0%B8%CC%86%D0%BD%D1%8B%D0%B8%CC%86-%D0%BF%D0%BB%D0%B0%D0%BD/",
		"/stories/\u0442\u0430\u0438\u0306\u043d\u044b\u0438\u0306-\u043f\u043b\u0430\u043d/",
		"/stories/\u0442\u0430\u0438&#x306;\u043d\u044b\u0438&#774;-\u043f\u043b\u0430\u043d/",
	} {
		src := writeSite(t, map[string]string{
			"site.yaml": "title: Test\nbase_url: https://t.example/\nmarkdown:\n  unsafe_html: true\n",
			"content/stories/Тайный план.md": "---\ntitle: Secret plan\ndate: 2027-08-01\n---\nBody.\n",
			"content/stories/d.md":           "---\ntitle: D\ndate: 2025-07-01\n---\nSee <a href=\"" + href + "\">the plan</a>.\n",
		})
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow, CacheDir: filepath.Join(t.TempDir(), "c")})
		if err == nil || !strings.Contains(err.Error(), "content/stories/d.md:5:5: the raw HTML here holds the address of") {
			t.Errorf("%q: want an error at d.md:5:5, got %v", href, err)
		}
	}
}
