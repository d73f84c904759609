package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/write"
)

// TestBuildDraftsNeedsOutput: build --drafts never writes the preview to
// the public output; it says to pass -o. (On the old code it wrote public/.)
func TestBuildDraftsNeedsOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	code, stdout, stderr := runCmd("build", "-s", dir, "--drafts", "--now", "2026-11-27")
	if code == exitOK || !strings.Contains(stderr, "pass a folder for the preview, such as -o preview/") {
		t.Errorf("build --drafts: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("build --drafts wrote public/")
	}
	preview := filepath.Join(dir, "preview")
	if code, _, stderr := runCmd("build", "-s", dir, "--drafts", "-o", preview, "--now", "2026-11-27"); code != exitOK {
		t.Errorf("build --drafts -o preview: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(preview, "index.html")); err != nil {
		t.Error("build --drafts -o preview wrote no preview")
	}
}

// TestBaseURLFlag: --base-url is checked as base_url in site.yaml is.
// (On the old code javascript:alert(1) was built into og:image and JSON-LD.)
func TestBaseURLFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	want := `--base-url: "javascript:alert(1)" is not an absolute http(s) URL (write it like https://partnership.example.org/)`
	for _, cmd := range []string{"build", "check"} {
		code, stdout, stderr := runCmd(cmd, "-s", dir, "--base-url", "javascript:alert(1)", "--now", "2026-11-27")
		if code != exitInput || !strings.Contains(stdout+stderr, want) {
			t.Errorf("%s --base-url javascript:alert(1): exit %d\n%s%s", cmd, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("the site was built with --base-url javascript:alert(1)")
	}
}

// TestBadLayout: a site's layouts/page.html whose {{if}} branches end in
// different HTML contexts is named with its line and column by build and
// check (it was "html/template: template: {{if}} branches…", no file).
func TestBadLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	bad := "{{define \"main\"}}\n<article>\n  <p>{{if .Story}}<a href=\"{{end}}\">x</a></p>\n</article>\n{{end}}"
	if err := os.WriteFile(filepath.Join(dir, "layouts", "page.html"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "layouts/page.html:3:11: {{if}} branches end in different contexts: "
	for _, cmd := range []string{"build", "check"} {
		code, stdout, stderr := runCmd(cmd, "-s", dir, "--now", "2026-11-27")
		if code == exitOK || !strings.Contains(stdout+stderr, want) {
			t.Errorf("%s with a bad layouts/page.html: exit %d, want %q in\n%s%s", cmd, code, want, stdout, stderr)
		}
	}
}

// TestBuildWhileAnotherBuilds: a build of an output another build is
// writing stops at once and names it, or waits with --wait.
func TestBuildWhileAnotherBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	out := filepath.Join(dir, "public")
	other, err := write.New(out, write.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27")
	if code != exitInput || !strings.Contains(stderr, "(process "+strconv.Itoa(os.Getpid())) ||
		!strings.Contains(stderr, "is writing "+out) || !strings.Contains(stderr, "--wait 2m") || strings.Contains(stdout, "built ") {
		t.Errorf("build while another builds: exit %d\n%s%s", code, stdout, stderr)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		other.Abort()
	}()
	if code, _, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27", "--wait", "30s"); code != exitOK {
		t.Errorf("build --wait 30s: exit %d\n%s", code, stderr)
	}
}

// TestBuildStopsOnSignals runs the real program on a large site and stops
// it with Ctrl-C (SIGINT) and with SIGTERM while it reads the files: it
// ends within a second, says so, and the previous output is as it was.
// (On the old code reading the files ignored both.)
func TestBuildStopsOnSignals(t *testing.T) {
	heavy.Test(t)
	bin := filepath.Join(t.TempDir(), "drumbeat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src := filepath.Join(t.TempDir(), "site")
	size := corpus.Corpus{Stories: 4000, Partners: 100, Metrics: 50, Rows: 300000, Seed: 1}
	if slack > 1 {
		// The race detector slows the test, not the program: a smaller
		// site is as slow to read here, and the signal still comes early.
		size.Stories, size.Rows = 1500, 100000
	}
	if err := corpus.Write(size, src, ""); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	load.Dir(os.DirFS(src))
	reading := time.Since(start)
	t.Logf("reading the site's files takes %s", reading)
	out := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, write.Marker), nil, 0o644)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("the previous build"), 0o644)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		var cmd *exec.Cmd
		var stderr strings.Builder
		var took time.Duration
		// A signal that comes before main has set up its handler kills the
		// program as any Go program (on a loaded machine, starting the
		// program can take longer than the wait): that is not what this
		// test is about, so it tries again, waiting longer.
		for attempt := 1; ; attempt++ {
			cmd = exec.Command(bin, "build", "-s", src, "-o", out, "--now", "2026-11-27")
			stderr.Reset()
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(attempt) * reading / 4)
			cmd.Process.Signal(sig)
			signalled := time.Now()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%v: still running after 30s", sig)
			}
			took = time.Since(signalled)
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || attempt == 3 {
				break
			}
			t.Logf("%v came before the program set up its handler (killed after %s); again, waiting longer", sig, time.Duration(attempt)*reading/4)
		}
		t.Logf("%v: ended %s after the signal", sig, took)
		if took > time.Second {
			t.Errorf("%v: the build ended %s after the signal, want under 1s", sig, took)
		}
		if code := cmd.ProcessState.ExitCode(); code != exitInput || !strings.Contains(stderr.String(), "stopped; the previous output is as it was") {
			t.Errorf("%v: exit %d\n%s", sig, code, stderr.String())
		}
		if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "the previous build" {
			t.Errorf("%v: the previous output changed: %q", sig, b)
		}
	}
}
