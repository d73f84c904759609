package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/render"
)

// memSink keeps rendered files in memory.
type memSink struct {
	mu      sync.Mutex
	files   map[string][]byte
	removed map[string]bool // what an incremental rebuild took back (render.Remover)
}

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}, removed: map[string]bool{}} }

func (m *memSink) Remove(p string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, p)
	m.removed[p] = true
	return nil
}

func (m *memSink) File(p string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[p] = append([]byte(nil), b...)
	return nil
}

func (m *memSink) Copy(p string, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return m.File(p, b)
}

// copyExample copies the example site's sources into a new folder.
func copyExample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"site.yaml", "content", "data", "static", "layouts"} {
		src := filepath.Join(exampleDir, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(src)); err != nil {
			// site.yaml is a file, not a folder
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dst
}

// renderAll renders the site in dir with render.All, the way build does.
func renderAll(t *testing.T, opt Options) map[string][]byte {
	t.Helper()
	site, errs := Load(opt)
	if errs.HasErrors() {
		t.Fatalf("load: %v", errs.Err())
	}
	theme, err := loadTheme(opt.Source, site.Config.Language, true)
	if err != nil {
		t.Fatal(err)
	}
	set, merrs := pictures(context.Background(), opt, site, false, nil)
	if merrs.HasErrors() {
		t.Fatal(merrs.Err())
	}
	defer set.Processor().Close()
	sink := newMemSink()
	if _, err := render.All(context.Background(), site, render.Options{Theme: theme, Version: Version, Media: set}, sink); err != nil {
		t.Fatal(err)
	}
	return sink.files
}

func diffFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	n := 0
	for _, p := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: missing", p)
		case !bytes.Equal(g, want[p]):
			t.Errorf("%s: differs from a full build", p)
		default:
			continue
		}
		if n++; n > 10 {
			t.Fatal("too many differences")
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: not in a full build", p)
		}
	}
}

func TestSessionFullBuildMatchesAll(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	modes := []bool{false, true}
	if raceEnabled {
		modes = modes[1:]
	}
	for _, drafts := range modes {
		opt := Options{Source: exampleDir, Now: exampleNow, Drafts: drafts}
		s := NewSession(opt)
		sink := newMemSink()
		res, err := s.Build(context.Background(), nil, sink)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Full || res.Stats.Pages == 0 {
			t.Fatalf("first build: %+v", res)
		}
		if s.Title() != "Riverbend Immunisation Alliance" {
			t.Errorf("title %q", s.Title())
		}
		diffFiles(t, sink.files, renderAll(t, opt))
	}
}

// TestSessionEditsMatchFullBuild edits the example site's stories one
// change after another and checks, after each, that the last build with
// the files an incremental rebuild wrote laid over it is exactly what a
// full build of the edited site gives.
func TestSessionEditsMatchFullBuild(t *testing.T) {
	heavy.Test(t)
	t.Parallel() // heavy and independent: runs beside the others
	const (
		lesson    = "content/stories/2026-07-16-cold-chain-handover/index.md"
		approved  = "content/stories/2025-06-18-text-reminders-second-doses.md"
		spotlight = "content/stories/2026-01-29-spotlight-hill-villages-parents/index.md"
		draft     = "content/stories/2026-08-20-youth-network-first-season.md"
	)
	type edit struct {
		name string
		file string
		from string // replaced once by to; "" appends to to the file
		to   string
		mode string // "drafts" or "public": only in that build
		full bool   // the change needs a full build
		err  string
		// create writes to as the whole file; remove removes the file.
		create, remove bool
		// Under the race detector, which makes builds slow, only raced
		// edits are compared with a full build, and only raced full ones
		// are made.
		raced bool
	}
	edits := []edit{
		{name: "lesson text", file: lesson, to: "\nA new closing line about the cold chain.\n"},
		{name: "lesson title", file: lesson, from: "title: \"", to: "title: \"Renamed "},
		{name: "lesson cites a metric", file: lesson, to: "\nCoverage reached {{coverage_2y}}.\n"},
		{name: "lesson names a partner", file: lesson, to: "\nThanks to Lakeside Community Clinic.\n", raced: true},
		// The lesson leaves Valley Health's kit, whose cards it had: a
		// full build, which leaves no card files of it behind.
		{name: "lesson partners", file: lesson, from: "partners: [quayside-logistics, valley-health-dept]", to: "partners: [quayside-logistics]", full: true},
		{name: "unknown metric", file: lesson, to: "\nOops {{coverage_2z}}.\n", err: lesson + ":"},
		{name: "fixed", file: lesson, from: "{{coverage_2z}}", to: "{{coverage_2y}}"},
		{name: "bad front matter", file: lesson, from: "kind: lesson", to: "kind: [", err: lesson + ":"},
		{name: "front matter fixed", file: lesson, from: "kind: [", to: "kind: lesson"},
		{name: "approved text held back", file: approved, to: "\nAn unapproved line.\n", mode: "public", full: true},
		// Previewed, the story leaves its partners' kits, whose cards it
		// had: a full build, which leaves no card files of it behind.
		{name: "approved text previewed", file: approved, to: "\nAn unapproved line.\n", mode: "drafts", full: true, raced: true},
		{name: "date moves it", file: lesson, from: "date: 2026-07-16", to: "date: 2026-07-17", full: true, raced: true},
		{name: "previewed text", file: approved, to: "\nAnother unapproved line.\n", mode: "drafts"},
		{name: "draft text", file: draft, to: "\nMore of the draft.\n", mode: "drafts"},
		// As "approved text previewed": it leaves the kits' cards.
		{name: "approved text in preview", file: "content/stories/2025-09-25-saturday-clinics-lakeside.md", to: "\nA line.\n", mode: "drafts", full: true, raced: true},
		{name: "spotlight text in preview", file: spotlight, to: "\nA line.\n", mode: "drafts", full: true},
		{name: "an editor's temporary file", file: "content/stories/.cold-chain.md.swp", to: "junk", create: true},
		{name: "tags", file: lesson, from: "tags: [", to: "tags: [extra, ", full: true},
		{name: "new story", file: "content/stories/2026-11-21-new.md", to: "---\ntitle: New\ndate: 2026-11-21\nkind: lesson\n---\nNew.\n", create: true, full: true},
		{name: "story removed", file: "content/stories/2026-11-21-new.md", remove: true, full: true},
		{name: "data", file: "data/partners.yaml", to: "\n", full: true},
	}
	modes := []bool{false, true}
	if raceEnabled {
		modes = []bool{true} // a --drafts build meets every kind of edit
	}
	for _, drafts := range modes {
		dir := copyExample(t)
		opt := Options{Source: dir, Now: exampleNow, Drafts: drafts}
		s := NewSession(opt)
		sink := newMemSink()
		if _, err := s.Build(context.Background(), nil, sink); err != nil {
			t.Fatal(err)
		}
		served := sink.files
		for _, e := range edits {
			if e.mode == "drafts" && !drafts || e.mode == "public" && drafts || raceEnabled && e.full && !e.raced {
				continue
			}
			full := filepath.Join(dir, e.file)
			switch {
			case e.remove:
				if err := os.Remove(full); err != nil {
					t.Fatal(err)
				}
			case e.create:
				if err := os.WriteFile(full, []byte(e.to), 0o644); err != nil {
					t.Fatal(err)
				}
			default:
				b, err := os.ReadFile(full)
				if err != nil {
					t.Fatal(err)
				}
				src := string(b)
				if e.from == "" {
					src += e.to
				} else if !strings.Contains(src, e.from) {
					t.Fatalf("%s: %q is not in %s", e.name, e.from, e.file)
				} else {
					src = strings.Replace(src, e.from, e.to, 1)
				}
				if err := os.WriteFile(full, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := newMemSink()
			res, err := s.Build(context.Background(), []string{e.file}, out)
			if e.err != "" {
				if err == nil || !strings.Contains(err.Error(), e.err) || diag.AsList(err) == nil {
					t.Fatalf("%s (drafts %v): error %v, want one at %s", e.name, drafts, err, e.err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s (drafts %v): %v", e.name, drafts, err)
			}
			if res.Full != e.full {
				t.Errorf("%s (drafts %v): full build %v, want %v", e.name, drafts, res.Full, e.full)
			}
			if s.Stale() {
				if res.Full {
					t.Errorf("%s: a full build left files to flush", e.name)
				}
				if _, err := s.Flush(context.Background(), out); err != nil {
					t.Fatalf("%s: flush: %v", e.name, err)
				}
				if s.Stale() {
					t.Errorf("%s: still stale after Flush", e.name)
				}
			}
			t.Logf("%s (drafts %v): full %v, %d pages, %v", e.name, drafts, res.Full, res.Stats.Pages, res.Duration)
			if res.Full {
				// A full build is Prepared.All, which TestSessionFullBuildMatchesAll checks.
				served = out.files
				continue
			}
			served = maps.Clone(served)
			maps.Copy(served, out.files)
			for p := range out.removed {
				delete(served, p)
			}
			if res.Stats.Pages > 30 {
				t.Errorf("%s (drafts %v): %d pages rendered again", e.name, drafts, res.Stats.Pages)
			}
			if raceEnabled && !e.raced {
				continue
			}
			diffFiles(t, served, renderAll(t, opt))
			if t.Failed() {
				t.Fatalf("after %q (drafts %v)", e.name, drafts)
			}
		}
	}
}

func TestOnlyFS(t *testing.T) {
	dir := copyExample(t)
	story := "content/stories/2026-07-16-cold-chain-handover/index.md"
	o := newOnlyFS(os.DirFS(dir), []string{story, "content/stories/gone.md"})
	var seen []string
	fs.WalkDir(o, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, p)
		return nil
	})
	want := []string{".", "content", "content/stories", path.Dir(story), story}
	if !slices.Equal(seen, want) {
		t.Errorf("walk = %q, want %q", seen, want)
	}
	if _, err := fs.ReadFile(o, "site.yaml"); err == nil {
		t.Error("site.yaml is shown")
	}
	if _, err := fs.ReadFile(o, story); err != nil {
		t.Error(err)
	}
}

// TestSessionStopsWhileReading: a preview rebuild stopped (Ctrl-C) while
// the files are read returns at once, reading no more files.
func TestSessionStopsWhileReading(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := NewSession(Options{Source: copyExample(t), Now: exampleNow})
	sink := newMemSink()
	if _, err := s.Build(ctx, nil, sink); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled rebuild returned %v, want context.Canceled", err)
	}
	if len(sink.files) != 0 {
		t.Errorf("a cancelled rebuild wrote %d files", len(sink.files))
	}
}
