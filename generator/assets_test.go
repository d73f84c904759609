package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// fingerprinted matches a published stylesheet or script:
// css/site.1a2b3c4d5e.css.
var fingerprinted = regexp.MustCompile(`^(.+)\.([0-9a-f]{10})\.(css|js|mjs)$`)

// assetFiles returns the stylesheets and scripts of an output, from their
// own path (css/site.css) to their published one, and fails the test on
// any whose name does not carry the hash of its bytes.
func assetFiles(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		switch path.Ext(rel) {
		case ".css", ".js", ".mjs":
		default:
			return nil
		}
		m := fingerprinted.FindStringSubmatch(rel)
		if m == nil {
			t.Errorf("%s is published without a fingerprint in its name", rel)
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if want := hex.EncodeToString(sum[:])[:10]; m[2] != want {
			t.Errorf("%s: the name holds %s, the SHA-256 of its bytes begins %s", rel, m[2], want)
		}
		got[m[1]+"."+m[3]] = rel
		return nil
	})
	return got
}

func buildSmall(t *testing.T, src string, opt Options) string {
	t.Helper()
	opt.Source = src
	opt.Output = filepath.Join(t.TempDir(), "out")
	if opt.Now.IsZero() {
		opt.Now = exampleNow
	}
	opt.CacheDir = filepath.Join(t.TempDir(), "cache")
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	return opt.Output
}

// TestFingerprintedAssets checks that every stylesheet and script is
// published under a name holding the hash of the bytes written (minified
// or not), that no page refers to the plain names, and that every
// reference leads to a file.
func TestFingerprintedAssets(t *testing.T) {
	src := figureSite(t, "Intro.\n\n{{cov chart}}\n")
	os.MkdirAll(filepath.Join(src, "static", "js"), 0o755)
	os.WriteFile(filepath.Join(src, "static", "js", "extra.js"), []byte("// the site's own script\nvar  answer = 40 + 2;\n"), 0o644)
	os.MkdirAll(filepath.Join(src, "layouts", "partials"), 0o755)
	os.WriteFile(filepath.Join(src, "layouts", "decisions.html"),
		[]byte(`{{define "main"}}<p>Ours</p><script src="{{.Rel "/js/extra.js"}}"></script>{{end}}`), 0o644)
	for _, noMinify := range []bool{false, true} {
		out := buildSmall(t, src, Options{NoMinify: noMinify})
		assets := assetFiles(t, out)
		for _, want := range []string{"css/site.css", "css/newsletter.css", "css/briefing.css", "js/charts.js", "vendor/echarts/echarts.min.js", "js/extra.js"} {
			if assets[want] == "" {
				t.Errorf("NoMinify %v: no fingerprinted %s; have %v", noMinify, want, assets)
			}
		}
		extra, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(assets["js/extra.js"])))
		if minified := !strings.Contains(string(extra), "//"); minified == noMinify {
			t.Errorf("NoMinify %v: js/extra.js written as %q", noMinify, extra)
		}
		checkLinks(t, out)
		pages := map[string]string{
			"index.html":           `href="` + assets["css/site.css"] + `"`,
			"stories/s/index.html": `src="../../` + assets["vendor/echarts/echarts.min.js"] + `"`,
			"decisions/index.html": `src="../` + assets["js/extra.js"] + `"`,
			"404.html":             `href="/` + assets["css/site.css"] + `"`,
		}
		for page, want := range pages {
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(page)))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), want) {
				t.Errorf("%s does not refer to %s", page, want)
			}
			for _, plain := range []string{"css/site.css", "js/charts.js", "echarts.min.js", "js/extra.js"} {
				if strings.Contains(string(b), plain) {
					t.Errorf("%s refers to the plain name %s", page, plain)
				}
			}
		}
	}
}

// TestFingerprintFollowsContent checks that a change to a stylesheet
// changes its name and no other, that a site's static/css/site.css
// replaces the theme's under a name of its own, and that the names are
// the same from one build to the next.
func TestFingerprintFollowsContent(t *testing.T) {
	src := figureSite(t, "Hello.")
	theme := assetFiles(t, buildSmall(t, src, Options{}))
	again := assetFiles(t, buildSmall(t, src, Options{}))
	if !equalMaps(theme, again) {
		t.Errorf("two builds name the assets differently:\n%v\n%v", theme, again)
	}
	os.MkdirAll(filepath.Join(src, "static", "css"), 0o755)
	os.WriteFile(filepath.Join(src, "static", "css", "site.css"), []byte("body { color: red }\n"), 0o644)
	red := assetFiles(t, buildSmall(t, src, Options{}))
	os.WriteFile(filepath.Join(src, "static", "css", "site.css"), []byte("body { color: blue }\n"), 0o644)
	blue := assetFiles(t, buildSmall(t, src, Options{}))
	var changed []string
	for k := range theme {
		if theme[k] != red[k] {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	if strings.Join(changed, " ") != "css/site.css" {
		t.Errorf("overriding css/site.css changed the names of %v", changed)
	}
	if red["css/site.css"] == blue["css/site.css"] {
		t.Errorf("a changed stylesheet kept its name %s", red["css/site.css"])
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
