package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	if testing.Short() {
		t.Skip("crash test is not short")
	}
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
