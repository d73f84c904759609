package generator

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/scaffold"
	"github.com/drumbeat/drumbeat/generator/write"
)

// newSmallSite writes drumbeat new's site into a new folder.
func newSmallSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listTree returns the files under dir, sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestConcurrentBuildsOneOutput: a build of an output another build is
// writing fails at once, naming that build, and leaves both the output
// and the other build's work alone; two builds started together leave a
// complete output every time, and a build never reports success over an
// empty one. (On the old code the second build went ahead and deleted the
// first one's temporary folder: the first one then failed, or left the
// output empty and still printed "built N pages".)
func TestConcurrentBuildsOneOutput(t *testing.T) {
	src := newSmallSite(t)
	out := filepath.Join(t.TempDir(), "public")
	opt := Options{Source: src, Output: out, Now: exampleNow}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	want := listTree(t, out)
	if len(want) < 10 {
		t.Fatalf("the small site has %d files", len(want))
	}

	// A build is under way (it holds the output) when another starts.
	running, err := write.New(out, write.Options{})
	if err != nil {
		t.Fatal(err)
	}
	running.File("index.html", []byte("the running build's page"))
	_, err = Build(context.Background(), opt)
	var busy *write.BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || !strings.Contains(err.Error(), "is writing") {
		t.Errorf("a build while another is writing the output: %v, want a BusyError naming process %d", err, os.Getpid())
	}
	if got := listTree(t, out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the refused build changed the output: %d files, want %d", len(got), len(want))
	}
	if err := running.Commit(); err != nil {
		t.Fatalf("the running build lost its work: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "the running build's page" {
		t.Errorf("the running build's output: %q", b)
	}

	// Builds started together: one wins, the other reports the lock or
	// (if it started after the first ended) builds too.
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		gate := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				_, errs[i] = Build(context.Background(), opt)
			}()
		}
		close(gate)
		wg.Wait()
		built := 0
		for _, err := range errs {
			switch {
			case err == nil:
				built++
			case !errors.As(err, &busy):
				t.Errorf("round %d: %v", round, err)
			}
		}
		if built == 0 {
			t.Errorf("round %d: neither build went ahead: %v", round, errs)
		}
		if got := listTree(t, out); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("round %d (%v): the output has %d files, want %d", round, errs, len(got), len(want))
		}
	}
	// Only the output, and the manifest the next build reads.
	entries, _ := os.ReadDir(filepath.Dir(out))
	var left []string
	for _, e := range entries {
		if e.Name() != filepath.Base(write.ManifestPath(out)) {
			left = append(left, e.Name())
		}
	}
	if len(left) != 1 {
		t.Errorf("left beside the output: %v", left)
	}
}

// TestOutputThroughLink: the output check follows links, so an output
// reached through a linked folder cannot land in the site's static/ (and
// be published again by the next build) or replace the site. (On the old
// code both builds went ahead.)
func TestOutputThroughLink(t *testing.T) {
	src := newSmallSite(t)
	os.MkdirAll(filepath.Join(src, "static"), 0o755)
	before := listTree(t, filepath.Join(src, "static"))
	links := t.TempDir()
	for name, target := range map[string]string{"to-static": filepath.Join(src, "static"), "to-site": src, "to-parent": filepath.Dir(src)} {
		if err := os.Symlink(target, filepath.Join(links, name)); err != nil {
			t.Skipf("cannot make links here: %v", err)
		}
	}
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(links, "to-static", "public"), "inside the site's static/ folder"},
		{filepath.Join(links, "to-static", "new", "deeper"), "inside the site's static/ folder"},
		{filepath.Join(links, "to-site", "content", "x"), "inside the site's content/ folder"},
		{filepath.Join(links, "to-site"), "would replace the site's own files"},
		{filepath.Join(links, "to-parent"), "would replace the site's own files"},
	} {
		_, err := Build(context.Background(), Options{Source: src, Output: tc.out, Now: exampleNow})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "through a link") {
			t.Errorf("-o %s: %v, want an error saying %q", tc.out, err, tc.want)
		}
	}
	if got := listTree(t, filepath.Join(src, "static")); len(got) != len(before) {
		t.Errorf("static/ now holds %v", got)
	}
	// A link to a folder elsewhere is fine.
	other := t.TempDir()
	os.Symlink(other, filepath.Join(links, "elsewhere"))
	if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(links, "elsewhere", "public"), Now: exampleNow}); err != nil {
		t.Errorf("an output through a link to another folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "public", "index.html")); err != nil {
		t.Error("the output is not where the link leads")
	}
}

// TestBaseURLFlagValidated: --base-url is held to the rule of base_url in
// site.yaml, so a javascript: address never reaches og:image or JSON-LD.
// (On the old code the build went ahead with it.)
func TestBaseURLFlagValidated(t *testing.T) {
	src := newSmallSite(t)
	for _, bad := range []string{"javascript:alert(1)", "javascript://example.org/%0aalert(1)", "data:text/html,x", "//evil.example/", "example.org", "ftp://example.org/", "http://"} {
		out := filepath.Join(t.TempDir(), "public")
		_, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, BaseURL: bad})
		l := diag.AsList(err)
		if l == nil || !strings.Contains(err.Error(), "--base-url: ") || !strings.Contains(err.Error(), "is not an absolute http(s) URL") {
			t.Errorf("--base-url %s: %v", bad, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--base-url %s: the site was written", bad)
		}
		if _, errs := Check(context.Background(), Options{Source: src, Now: exampleNow, BaseURL: bad}); !errs.HasErrors() {
			t.Errorf("check --base-url %s: no error", bad)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, BaseURL: "https://partnership.example.org/sub"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(b), "https://partnership.example.org/sub/") {
		t.Error("a good --base-url is not used")
	}
}

// TestDraftsNeedOutput: a --drafts build is never written to the site's
// public output unless an output is named. (On the old code it was.)
func TestDraftsNeedOutput(t *testing.T) {
	src := newSmallSite(t)
	_, err := Build(context.Background(), Options{Source: src, Now: exampleNow, Drafts: true})
	if err == nil || !strings.Contains(err.Error(), "-o preview/") || !strings.Contains(err.Error(), filepath.Join(src, "public")) {
		t.Errorf("build --drafts without -o: %v", err)
	}
	if _, err := os.Stat(filepath.Join(src, "public")); err == nil {
		t.Error("the preview was written to public/")
	}
	if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(src, "preview"), Now: exampleNow, Drafts: true}); err != nil {
		t.Errorf("build --drafts -o preview: %v", err)
	}
}

// TestBuildCancelledStopsWithinASecond: Ctrl-C while a large site's files
// are read, checked or rendered stops the build within a second, and the
// previous output stays. (On the old code reading, checking and the
// Markdown conversion that starts rendering went on to their end.)
func TestBuildCancelledStopsWithinASecond(t *testing.T) {
	heavy.Test(t)
	src := filepath.Join(t.TempDir(), "site")
	size := corpus.Corpus{Stories: 5000, Partners: 100, Metrics: 50, Rows: 400000, Seed: 1}
	if raceEnabled {
		size.Stories, size.Rows = 800, 50000 // about as slow to read under the race detector as the larger one without
	}
	if err := corpus.Write(size, src, ""); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, write.Marker), nil, 0o644)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("the previous build"), 0o644)

	// How long reading the files takes here: the cancel must fall inside it.
	var loading time.Duration
	for i := 0; i < 2; i++ {
		start := time.Now()
		load.Dir(os.DirFS(src))
		if d := time.Since(start); i == 0 || d < loading {
			loading = d
		}
	}
	t.Logf("reading the site's files takes %s", loading)

	// Stopped while reading files, then while checking or rendering.
	for i, at := range []time.Duration{loading / 10, loading * 11 / 10, loading * 3 / 2, loading * 5 / 2} {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(at)
			cancel()
		}()
		start := time.Now()
		// A build stopped while rendering holds the output until its
		// renderer stops: the next one waits for it.
		_, err := Build(ctx, Options{Source: src, Output: out, Now: exampleNow, Wait: time.Minute})
		stopped := time.Since(start) - at
		t.Logf("cancelled at %s: stopped %s later", at, stopped)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a build cancelled at %s returned %v", at, err)
		}
		if stopped > time.Second || (i == 0 && stopped > loading/2) {
			t.Errorf("the build cancelled at %s stopped %s later, want under 1s (and, while reading, well before the %s reading takes)", at, stopped, loading)
		}
		cancel()
	}
	// The last stopped build has cleaned up once the lock is free again.
	if d, err := write.New(out, write.Options{Wait: time.Minute}); err != nil {
		t.Fatal(err)
	} else {
		d.Abort()
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
	if got := listTree(t, out); len(got) != 2 {
		t.Errorf("the previous output changed: %v", got)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "the previous build" {
		t.Errorf("index.html = %q", b)
	}
}
