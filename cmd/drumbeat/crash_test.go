package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/internal/s3test"
)

// TestMain lets the test binary act as drumbeat itself, so crash tests can
// kill a real build process.
func TestMain(m *testing.M) {
	if os.Getenv("DRUMBEAT_TEST_AS_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	s3test.Stop() // the S3 server of the deploy tests, if one was started
	os.Exit(code)
}

func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestKilledBuildLeavesPreviousSite kills builds with SIGKILL at random
// moments and checks after each that the previous site is complete and
// intact, and that the next build cleans up what the killed one left.
func TestKilledBuildLeavesPreviousSite(t *testing.T) {
	heavy.Test(t)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-s", "../..", "-o", out, "--now", "2026-11-27"); code != 0 {
		t.Fatal(stderr)
	}
	want := treeHash(t, out)
	// Time one whole build as a process, to spread the kills over all of it.
	start := time.Now()
	probe := exec.Command(os.Args[0], "build", "-s", "../..", "-o", out, "--now", "2026-11-27")
	probe.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
	if err := probe.Run(); err != nil {
		t.Fatal(err)
	}
	span := time.Since(start) * 6 / 5
	r := rand.New(rand.NewPCG(1, 2))
	killed := 0
	for i := 0; i < 25; i++ {
		cmd := exec.Command(os.Args[0], "build", "-s", "../..", "-o", out, "--now", "2026-11-27")
		cmd.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(span))))
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			killed++
		}
		cmd.Wait()
		if got := treeHash(t, out); got != want {
			t.Fatalf("after kill %d the output is not the previous complete site", i)
		}
	}
	if killed == 0 {
		t.Fatal("no build was killed")
	}
	// The next build removes what killed builds left beside the output.
	if code, _, stderr := runCmd("build", "-s", "../..", "-o", out, "--now", "2026-11-27"); code != 0 {
		t.Fatal(stderr)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.Contains(e.Name(), "drumbeat-tmp") {
			t.Errorf("leftover %s after a successful build", e.Name())
		}
	}
	if treeHash(t, out) != want {
		t.Error("the rebuilt site differs")
	}
}

// fileMeta is a file's bytes (as a hash), inode and modification time.
type fileMeta struct {
	sum   [32]byte
	ino   uint64
	mtime time.Time
}

func treeMeta(t *testing.T, dir string) map[string]fileMeta {
	t.Helper()
	m := map[string]fileMeta{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[rel] = fileMeta{sha256.Sum256(b), fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKilledIncrementalBuild kills builds into an existing output, which
// link the old output's unchanged files and write the changed ones, with
// SIGKILL at random moments, switching between two versions of a site of
// 400 stories (the second with stories removed and one edited). After each
// kill the output must be exactly the old site or exactly the new one, as
// a clean build makes it; and when it is still the old one, no file of it
// was touched (same inode and modification time).
func TestKilledIncrementalBuild(t *testing.T) {
	heavy.Test(t)
	tmp := t.TempDir()
	srcA, srcB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	c := corpus.Corpus{Stories: 400, Partners: 20, Metrics: 10, Rows: 2000, Seed: 7}
	if err := corpus.Write(c, srcA, ""); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(srcB, os.DirFS(srcA)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 400; i += 25 {
		os.Remove(filepath.Join(srcB, "content/stories", fmt.Sprintf("story-%05d.md", i)))
	}
	edited := filepath.Join(srcB, "content/stories/story-00101.md")
	if b, err := os.ReadFile(edited); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(edited, append(b, "\nAn edited sentence.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(tmp, "cache")
	args := func(src, out string) []string {
		return []string{"build", "-s", src, "-o", out, "--now", "2026-11-27", "--cache-dir", cache}
	}
	want := map[string]string{}
	for _, src := range []string{srcA, srcB} {
		out := filepath.Join(tmp, "clean-"+filepath.Base(src))
		if code, _, stderr := runCmd(args(src, out)...); code != 0 {
			t.Fatal(stderr)
		}
		want[src] = treeHash(t, out)
	}
	if want[srcA] == want[srcB] {
		t.Fatal("the two versions build the same site")
	}
	out := filepath.Join(tmp, "out", "public")
	if code, _, stderr := runCmd(args(srcA, out)...); code != 0 {
		t.Fatal(stderr)
	}
	cur, other := srcA, srcB
	// Time one incremental build as a process, to spread the kills over it.
	start := time.Now()
	probe := exec.Command(os.Args[0], args(other, out)...)
	probe.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
	if b, err := probe.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	cur, other = other, cur
	// Up to half again as long: some kills come late in the build (while
	// it swaps the output in and removes the old one) or after it.
	span := time.Since(start) * 3 / 2
	r := rand.New(rand.NewPCG(3, 4))
	outcomes := map[string]int{}
	for i := 0; i < 16; i++ {
		before := treeMeta(t, out)
		cmd := exec.Command(os.Args[0], args(other, out)...)
		cmd.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(span))))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		switch got := treeHash(t, out); got {
		case want[cur]:
			if err == nil {
				t.Fatalf("kill %d: the build ended well but the output is the old site", i)
			}
			after := treeMeta(t, out)
			for p, m := range before {
				if after[p] != m {
					t.Errorf("kill %d: the old site is back but %s was touched", i, p)
				}
			}
			outcomes["old"]++
		case want[other]:
			cur, other = other, cur
			outcomes["new"]++
		default:
			t.Fatalf("kill %d (%v): the output is neither the old site nor the new one", i, err)
		}
	}
	t.Logf("after 16 kills: %v", outcomes)
	if outcomes["old"] == 0 {
		t.Error("no build was killed before it swapped the output in")
	}
}
