package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// exampleNow is the date the example site is built at in tests.
var exampleNow = Day(2026, 11, 27) // the end of 27 November 2026 in the site's zone, as --now 2026-11-27

// exampleDir is the repository root, which holds the example partnership.
const exampleDir = ".."

func buildExample(t *testing.T, opt Options) (string, Result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	opt.Source = exampleDir
	opt.Output = out
	if opt.Now.IsZero() {
		opt.Now = exampleNow
	}
	res, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatalf("build of the example site failed:\n%v", err)
	}
	return out, res
}

// builtExamples are the example site's shared builds (builtExample), by
// base URL.
var builtExamples struct {
	mu     sync.Mutex
	builds map[string]*sharedBuild
	dirs   []string
}

// sharedBuild is one build of builtExample.
type sharedBuild struct {
	once sync.Once
	out  string
	res  Result
	err  error
}

// builtExample returns the output folder and result of a build of the
// example with base URL baseURL ("" for none) and otherwise the defaults,
// made once for every test of the binary that asks for it: tests that only
// read the example's output share it, and must not write to it or change
// the result. removeBuiltExamples (TestMain) removes the folders. A test
// about the build itself, or needing other options, calls buildExample.
func builtExample(t *testing.T, baseURL string) (string, Result) {
	t.Helper()
	builtExamples.mu.Lock()
	if builtExamples.builds == nil {
		builtExamples.builds = map[string]*sharedBuild{}
	}
	b := builtExamples.builds[baseURL]
	if b == nil {
		b = &sharedBuild{}
		builtExamples.builds[baseURL] = b
	}
	builtExamples.mu.Unlock()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "drumbeat-example-")
		if err != nil {
			b.err = err
			return
		}
		builtExamples.mu.Lock()
		builtExamples.dirs = append(builtExamples.dirs, dir)
		builtExamples.mu.Unlock()
		b.out = filepath.Join(dir, "public")
		b.res, b.err = Build(context.Background(), Options{Source: exampleDir, Output: b.out, Now: exampleNow, BaseURL: baseURL})
	})
	if b.err != nil {
		t.Fatalf("build of the example site failed:\n%v", b.err)
	}
	return b.out, b.res
}

// removeBuiltExamples removes the folders of builtExample's builds.
func removeBuiltExamples() {
	builtExamples.mu.Lock()
	defer builtExamples.mu.Unlock()
	for _, d := range builtExamples.dirs {
		os.RemoveAll(d)
	}
}

// hashTree returns a hash of every file's path and content under dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestBuildExample(t *testing.T) {
	out, res := builtExample(t, "")
	if res.Stats.Pages < 30 {
		t.Errorf("only %d pages built", res.Stats.Pages)
	}
	for _, want := range []string{
		"index.html", "stories/index.html", "partners/index.html", "governance/index.html",
		"decisions/index.html", "sitemap.xml", "robots.txt", "404.html", "feed.xml",
		"partners/lakeside-clinic/index.html",
		// A partner's share kit: its posts per network, figures to quote.
		"partners/kestrel-pharmacy/kit/index.html", "stories/two-quarters-without-measles/index.html",
		"about/index.html", "tags/index.html",
	} {
		if _, err := os.Stat(filepath.Join(out, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}
	// Stylesheets and scripts are published under fingerprinted names.
	if assetFiles(t, out)["css/site.css"] == "" {
		t.Error("missing css/site.<hash>.css")
	}
	checkLinks(t, out)
}

// checkLinks parses every HTML page and checks that every internal link,
// image, script and stylesheet resolves to a file of the output, and that
// every #fragment names an id on its page.
func checkLinks(t *testing.T, out string) {
	t.Helper()
	ids := map[string]map[string]bool{}
	type ref struct{ from, target string }
	var refs []ref
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		b, _ := os.ReadFile(p)
		pageIDs := map[string]bool{}
		z := html.NewTokenizer(bytes.NewReader(b))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			for _, a := range tok.Attr {
				switch a.Key {
				case "id":
					pageIDs[a.Val] = true
				case "href", "src":
					if tok.Data == "link" && a.Key == "href" {
						rels := attr(tok, "rel")
						if rels == "canonical" || rels == "alternate" && strings.HasPrefix(a.Val, "http") {
							continue
						}
					}
					refs = append(refs, ref{rel, a.Val})
				}
			}
		}
		ids[rel] = pageIDs
		return nil
	})
	if len(refs) == 0 {
		t.Fatal("no links found")
	}
	for _, r := range refs {
		u, err := url.Parse(r.target)
		if err != nil {
			t.Errorf("%s: bad URL %q", r.from, r.target)
			continue
		}
		if u.Scheme != "" || strings.HasPrefix(r.target, "//") {
			continue // external; checked elsewhere that no page loads from another host
		}
		target := r.from
		if u.Path != "" {
			if strings.HasPrefix(u.Path, "/") {
				// Root-relative links break under a sub-path; the 404 page is the one exception.
				if r.from != "404.html" {
					t.Errorf("%s: root-relative link %q (links should be relative)", r.from, r.target)
				}
				target = strings.TrimPrefix(u.Path, "/")
			} else {
				target = path.Join(path.Dir(r.from), u.Path)
			}
			if strings.HasSuffix(u.Path, "/") || target == "." {
				target = path.Join(target, "index.html")
			}
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s: link %q leads nowhere (%s)", r.from, r.target, target)
			continue
		}
		if u.Fragment != "" && strings.HasSuffix(target, ".html") {
			if pageIDs, ok := ids[target]; ok && !pageIDs[u.Fragment] {
				t.Errorf("%s: link %q names a fragment that %s does not have", r.from, r.target, target)
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestBuildIsReproducible(t *testing.T) {
	heavy.Test(t)
	t.Parallel() // heavy and independent: runs beside the others
	// Each with an empty image cache: the photos are processed twice.
	// Under the race detector, where decoding photos is some twenty times
	// slower, both take them from the shared cache (the plain lane's
	// TestPhotosReachReadersClean builds from an empty one).
	var ca, cb string
	if !raceEnabled {
		ca, cb = t.TempDir(), t.TempDir()
	}
	a, _ := buildExample(t, Options{CacheDir: ca})
	b, _ := buildExample(t, Options{CacheDir: cb})
	if ha, hb := hashTree(t, a), hashTree(t, b); ha != hb {
		t.Fatalf("two builds with the same --now differ: %s vs %s", ha, hb)
	}
}

// TestGolden compares representative pages, unminified, with
// testdata/golden. Run `go test ./generator -run TestGolden -update` after
// an intended change and review the diff.
func TestGolden(t *testing.T) {
	out, _ := buildExample(t, Options{NoMinify: true})
	files := []string{
		"index.html",
		"stories/index.html",
		"stories/two-quarters-without-measles/index.html",
		// A story of 2025: its card, share text and data box are as of its
		// own quarter, with today's value beside it in the box.
		"stories/text-reminders-second-doses/index.html",
		"partners/index.html",
		"partners/lakeside-clinic/index.html",
		// A partner's share kit: its posts per network, figures to quote.
		"partners/kestrel-pharmacy/kit/index.html",
		"governance/index.html",
		"decisions/index.html",
		"sitemap.xml",
		"feed.xml",
		"robots.txt",
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		// The fingerprints of stylesheets and scripts are checked by
		// TestFingerprintedAssets; here they are left out, so that an
		// edit of the CSS does not change every golden page.
		got = assetHash.ReplaceAll(got, []byte(".HASH.$1"))
		golden := filepath.Join("testdata", "golden", filepath.FromSlash(f))
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: no golden file (run go test -update): %v", f, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run `go test ./generator -run TestGolden -update` and review the diff", f, golden)
		}
	}
}

// assetHash matches the fingerprint in the name of a stylesheet or script.
var assetHash = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js)\b`)

func TestHeldStoriesReachNoOutput(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	out, res := builtExample(t, "")
	if len(res.Site.Held) < 2 {
		t.Fatalf("the example should hold back a draft and an embargoed story, got %d held", len(res.Site.Held))
	}
	for _, st := range res.Site.Held {
		needle := []byte(st.Slug)
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, needle) || bytes.Contains(b, []byte(html.EscapeString(st.Title))) ||
				decodedContains(p, b, st.Slug) || decodedContains(p, b, st.Title) {
				t.Errorf("held story %s (%s) appears in %s", st.Path, strings.Join(st.Held, "; "), p)
			}
			return nil
		})
	}
}

func TestDraftsBuildMarksPreviews(t *testing.T) {
	out, res := buildExample(t, Options{Drafts: true})
	for _, st := range res.Site.Held {
		b, err := os.ReadFile(filepath.Join(out, "stories", st.Slug, "index.html"))
		if err != nil {
			t.Errorf("--drafts build lacks %s: %v", st.Slug, err)
			continue
		}
		if !bytes.Contains(b, []byte("Preview: not public")) || !bytes.Contains(b, []byte(`content="noindex"`)) {
			t.Errorf("%s is not marked as a preview", st.Slug)
		}
	}
	sm, _ := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	for _, st := range res.Site.Held {
		if bytes.Contains(sm, []byte(st.Slug)) {
			t.Errorf("sitemap of a drafts build lists held story %s", st.Slug)
		}
	}
}

func TestOutputRefusesSourceFolders(t *testing.T) {
	for _, out := range []string{exampleDir, filepath.Join(exampleDir, "content", "x"), filepath.Join(exampleDir, "data")} {
		_, err := Build(context.Background(), Options{Source: exampleDir, Output: out, Now: exampleNow})
		if err == nil {
			t.Errorf("build with -o %s should be refused", out)
		}
	}
}

func TestOutputRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep"), 0o644)
	_, err := Build(context.Background(), Options{Source: exampleDir, Output: dir, Now: exampleNow})
	if err == nil || !strings.Contains(err.Error(), "not made by drumbeat") {
		t.Fatalf("want a refusal to replace a folder drumbeat did not make, got %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "precious.txt")); string(b) != "keep" {
		t.Fatal("the foreign folder was touched")
	}
}

func TestCheckExample(t *testing.T) {
	res, list := Check(context.Background(), Options{Source: exampleDir, Now: exampleNow})
	if list.HasErrors() {
		t.Fatalf("check of the example reports errors:\n%v", list.Errors())
	}
	if len(res.Site.Held) == 0 {
		t.Error("check should know what is held back")
	}
	var heldWarnings int
	for _, w := range list.Warnings() {
		if strings.Contains(w.Msg, "held back") {
			heldWarnings++
		}
	}
	if heldWarnings < 2 {
		t.Errorf("check should list what is held back and why, got %d warnings: %v", heldWarnings, list.Warnings())
	}
}
