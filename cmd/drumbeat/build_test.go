package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
