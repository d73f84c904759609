package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/write"
)

// fileState is what a test remembers of an output file.
type fileState struct {
	data  []byte
	ino   uint64
	mtime time.Time
}

// snapshot reads every file under dir with its inode and modification time.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	m := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = fileState{data: b, ino: fi.Sys().(*syscall.Stat_t).Ino, mtime: fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIncrementalBuildMatchesCleanBuild builds a copy of the example into
// one output again and again across an edit, a deletion and a rename, and
// checks after each build that the output is byte-identical to a clean
// build of the same sources, that every file whose bytes did not change
// kept its inode and modification time, that the counts are right, and
// that a build with no change writes no file.
func TestIncrementalBuildMatchesCleanBuild(t *testing.T) {
	src := copyExample(t)
	cache, _ := filepath.Abs(filepath.Join(exampleDir, ".drumbeat-cache"))
	out := filepath.Join(t.TempDir(), "public")
	build := func(dest string) Result {
		t.Helper()
		res, err := Build(context.Background(), Options{Source: src, Output: dest, Now: exampleNow, CacheDir: cache})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return res
	}
	// clean is a clean build of src as it is now; builds are
	// reproducible, so sources that did not change (the "no change"
	// step) reuse the last one.
	var cleanOf string
	var cleanState map[string]fileState
	clean := func() map[string]fileState {
		t.Helper()
		if h := hashTree(t, src); h != cleanOf {
			dest := filepath.Join(t.TempDir(), "public")
			build(dest)
			cleanOf, cleanState = h, snapshot(t, dest)
		}
		return cleanState
	}
	res := build(out)
	if c := res.Output; c.Written != res.Stats.Files || c.Unchanged != 0 || c.Removed != 0 {
		t.Errorf("first build: counts %+v, want %d written", c, res.Stats.Files)
	}
	lesson := filepath.Join(src, "content/stories/2025-11-20-when-the-returns-stopped.md")
	steps := []struct {
		name    string
		change  func() error
		removed []string // output paths that must go
		added   []string // output paths that must appear
	}{
		{"edit a story", func() error {
			b, err := os.ReadFile(lesson)
			if err != nil {
				return err
			}
			return os.WriteFile(lesson, append(b, "\nA sentence added in the incremental test.\n"...), 0o644)
		}, nil, nil},
		{"delete a story", func() error {
			return os.Remove(filepath.Join(src, "content/stories/2026-02-19-pharmacy-vaccine-days-year.md"))
		}, []string{"stories/pharmacy-vaccine-days-year/index.html"}, nil},
		{"rename a story", func() error {
			return os.Rename(lesson, filepath.Join(src, "content/stories/2025-11-20-returns-stopped.md"))
		}, []string{"stories/when-the-returns-stopped/index.html"}, []string{"stories/returns-stopped/index.html"}},
		{"no change", func() error { return nil }, nil, nil},
	}
	for _, st := range steps {
		before := snapshot(t, out)
		foldersBefore := folderTimes(t, out)
		if err := st.change(); err != nil {
			t.Fatal(err)
		}
		res := build(out)
		after := snapshot(t, out)
		want := clean()
		if len(after) != len(want) {
			t.Errorf("%s: %d files, a clean build has %d", st.name, len(after), len(want))
		}
		for p, w := range want {
			if g, ok := after[p]; !ok {
				t.Errorf("%s: %s missing", st.name, p)
			} else if !bytes.Equal(g.data, w.data) {
				t.Errorf("%s: %s differs from a clean build", st.name, p)
			}
		}
		for p := range after {
			if _, ok := want[p]; !ok {
				t.Errorf("%s: %s is not in a clean build", st.name, p)
			}
		}
		for _, p := range st.removed {
			if _, ok := before[p]; !ok {
				t.Errorf("%s: %s was not there before", st.name, p)
			}
			if _, ok := after[p]; ok {
				t.Errorf("%s: %s survived", st.name, p)
			}
		}
		for _, p := range st.added {
			if _, ok := after[p]; !ok {
				t.Errorf("%s: %s did not appear", st.name, p)
			}
		}
		// Files with the same bytes are the same files, untouched;
		// the others are new files.
		var written, unchanged, removed int
		for p, a := range after {
			b, ok := before[p]
			switch {
			case ok && bytes.Equal(a.data, b.data):
				if a.ino != b.ino || !a.mtime.Equal(b.mtime) {
					t.Errorf("%s: %s has the same bytes but was rewritten (inode %d→%d, mtime %v→%v)", st.name, p, b.ino, a.ino, b.mtime, a.mtime)
				}
				if p != write.Marker {
					unchanged++
				}
			default:
				if ok && a.ino == b.ino {
					t.Errorf("%s: %s changed in place (inode %d kept)", st.name, p, a.ino)
				}
				written++
			}
		}
		for p := range before {
			if _, ok := after[p]; !ok {
				removed++
			}
		}
		if got := res.Output; got != (write.Counts{Written: written, Unchanged: unchanged, Removed: removed}) {
			t.Errorf("%s: counts %+v, want %d written, %d unchanged, %d removed", st.name, got, written, unchanged, removed)
		}
		if !strings.Contains(res.Summary(), "unchanged") {
			t.Errorf("%s: summary %q does not give the counts", st.name, res.Summary())
		}
		t.Logf("%s: %s", st.name, res.Summary())
		switch st.name {
		case "no change":
			if written != 0 || removed != 0 {
				t.Errorf("a build with no change wrote %d files and removed %d", written, removed)
			}
			for dir, tm := range folderTimes(t, out) {
				if !tm.Equal(foldersBefore[dir]) {
					t.Errorf("a build with no change changed the time of the folder %s", dir)
				}
			}
		default:
			if written == 0 || unchanged == 0 {
				t.Errorf("%s: %d written, %d unchanged: want some of each", st.name, written, unchanged)
			}
		}
	}
}

// folderTimes returns the modification time of every folder under dir.
func folderTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	m := map[string]time.Time{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if fi, err := d.Info(); err == nil {
				m[p] = fi.ModTime()
			}
		}
		return nil
	})
	return m
}
