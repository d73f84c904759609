package render

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// memSink keeps the files a render writes.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}} }

func (s *memSink) File(path string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = bytes.Clone(data)
	return nil
}

func (s *memSink) Copy(path string, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return s.File(path, b)
}

// exampleSite loads the example site with the default theme, as of the
// date the example is built with.
func exampleSite(t *testing.T) (*model.Site, *Theme) {
	t.Helper()
	siteFS := os.DirFS("../..")
	in, errs := load.Dir(siteFS)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	theme, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, siteFS, "en", Funcs(), true)
	if err != nil {
		t.Fatal(err)
	}
	return site, theme
}

// TestJobListsAgree checks that build (All) and the dev server (Prepared)
// write the same files, byte for byte, that no two jobs write one file, and
// that every job is named by what it writes, so that Prepared.Update runs
// again the right ones. Both take their jobs from renderer.jobs; this fails
// if a page kind is added to one path and not the other.
func TestJobListsAgree(t *testing.T) {
	site, theme := exampleSite(t)
	ctx := context.Background()
	opt := Options{Theme: theme, Version: "test"}
	all := newMemSink()
	if _, err := All(ctx, site, opt, all); err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(ctx, site, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Prepared's jobs, one at a time: what each writes, and all they write.
	prep := newMemSink()
	by := map[string]string{} // path → the job that wrote it
	for _, j := range p.jobs {
		one := newMemSink()
		if _, err := p.runJobs(ctx, []func() error{j.run}, one); err != nil {
			t.Fatalf("%s: %v", j.key, err)
		}
		for path, b := range one.files {
			if other, dup := by[path]; dup {
				t.Errorf("%s: written by two jobs, %s and %s", path, other, j.key)
			}
			by[path] = j.key
			prep.files[path] = b
		}
		if strings.Contains(j.key, "#") {
			continue // briefing#1, newsletter#3: named by their place
		}
		want := outPath(j.key)
		if rest, ok := strings.CutPrefix(j.key, "static:"); ok {
			want = strings.TrimPrefix(theme.Asset("/"+rest), "/") // fingerprinted or as it is
		}
		if rest, ok := strings.CutPrefix(j.key, "media:"); ok {
			want = rest
		}
		if _, ok := one.files[want]; !ok {
			paths := make([]string, 0, len(one.files))
			for path := range one.files {
				paths = append(paths, path)
			}
			slices.Sort(paths)
			t.Errorf("job %s does not write %s; it writes %v", j.key, want, paths)
		}
	}
	for path, want := range all.files {
		if got, ok := prep.files[path]; !ok {
			t.Errorf("%s: written by All, not by Prepared", path)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s: All and Prepared write different bytes", path)
		}
	}
	for path := range prep.files {
		if _, ok := all.files[path]; !ok {
			t.Errorf("%s: written by Prepared, not by All", path)
		}
	}
	// Every page kind is there: a file of each.
	for _, path := range []string{"index.html", "stories/index.html", "tags/index.html", "impact/index.html",
		"partners/index.html", "scorecard/index.html", "governance/index.html", "join/index.html",
		"decisions/index.html", "404.html", "robots.txt", "sitemap.xml", "feed.xml", "briefing/index.html",
		"newsletter/index.html"} {
		if _, ok := all.files[path]; !ok {
			t.Errorf("%s: not written", path)
		}
	}
}
