package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/internal/heavy"
)

// needChromium skips the test with a visible message when Chromium is not
// installed; with DRUMBEAT_REQUIRE_CHROMIUM=1 (set by CI) it fails instead.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := findChromium(); err == nil {
		return
	}
	if os.Getenv("DRUMBEAT_REQUIRE_CHROMIUM") != "" {
		t.Fatal("Chromium is required (DRUMBEAT_REQUIRE_CHROMIUM is set) but not installed")
	}
	t.Skip("SKIPPED: drumbeat briefing --pdf needs Chromium; install Debian's chromium package to run this test")
}

func TestBriefingPDF(t *testing.T) {
	heavy.Test(t)
	needChromium(t)
	for _, paper := range []string{"a4", "letter"} {
		out := filepath.Join(t.TempDir(), "briefing.pdf")
		code, stdout, stderr := runCmd("briefing", "-s", "../..", "--now", "2026-11-27", "--pdf", out, "--paper", paper)
		if code != exitOK {
			t.Fatalf("%s: exit %d:\n%s%s", paper, code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
			t.Fatalf("%s: not a complete PDF (%d bytes)", paper, len(b))
		}
		n := pdfPages(b)
		if n < 1 || n > 2 {
			t.Errorf("%s: %d pages, want at most 2", paper, n)
		}
		if !strings.HasPrefix(stdout, "wrote "+out+" (") || !strings.Contains(stdout, "landscape") {
			t.Errorf("%s: stdout = %q", paper, stdout)
		}
		// The PDF carries the takeaways as text, not pictures of text.
		if !bytes.Contains(b, []byte("/Font")) {
			t.Errorf("%s: the PDF has no fonts", paper)
		}
	}
}

func TestBriefingWithoutChromium(t *testing.T) {
	for _, p := range []string{"/Applications/Chromium.app", "/Applications/Google Chrome.app"} {
		if _, err := os.Stat(p); err == nil {
			t.Skip("a browser is installed where drumbeat always looks")
		}
	}
	t.Setenv("PATH", t.TempDir())
	t.Setenv("DRUMBEAT_CHROMIUM", "")
	out := filepath.Join(t.TempDir(), "briefing.pdf")
	code, stdout, stderr := runCmd("briefing", "-s", "../..", "--now", "2026-11-27", "--pdf", out)
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	if !strings.Contains(stderr, "drumbeat briefing --pdf needs Chromium: install it with `sudo apt-get install chromium` (Debian/Ubuntu)") {
		t.Errorf("stderr does not say how to install Chromium:\n%s%s", stdout, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PDF was written without a browser")
	}

	t.Setenv("DRUMBEAT_CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if code, _, stderr := runCmd("briefing", "--pdf", out); code != exitInput || !strings.Contains(stderr, "DRUMBEAT_CHROMIUM") {
		t.Errorf("a wrong DRUMBEAT_CHROMIUM: exit %d: %s", code, stderr)
	}
}

func TestBriefingUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"briefing"}, exitUsage, "--pdf FILE"},
		{[]string{"briefing", "--pdf", "x.pdf", "--paper", "a3"}, exitUsage, `--paper "a3" is not a4 or letter`},
		{[]string{"briefing", "--pdf", "x.pdf", "--now", "tomorrow"}, exitUsage, `--now "tomorrow" is not a date`},
		{[]string{"briefing", "--help"}, exitOK, "-pdf FILE"},
		{[]string{"briefing", "--pdf", "x.pdf", "extra"}, exitUsage, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.out) {
			t.Errorf("drumbeat %s: exit %d (want %d), output:\n%s%s\nwant it to contain %q", strings.Join(tc.args, " "), code, tc.code, stdout, stderr, tc.out)
		}
	}
}

func TestBriefingNeedsABriefing(t *testing.T) {
	// A browser that is never started: the site has no briefing to print.
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	t.Setenv("DRUMBEAT_CHROMIUM", exe)
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runCmd("new", dir); code != exitOK {
		t.Fatal(stderr)
	}
	code, _, stderr := runCmd("briefing", "-s", dir, "--now", "2026-11-27", "--pdf", filepath.Join(t.TempDir(), "b.pdf"))
	if code != exitInput || !strings.Contains(stderr, "the site has no content/briefing.md") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// A briefing with problems stops before printing, naming file and line.
	os.WriteFile(filepath.Join(dir, "content", "briefing.md"), []byte("---\ntitle: x\ncharts: []\n---\n"), 0o644)
	code, _, stderr = runCmd("briefing", "-s", dir, "--now", "2026-11-27", "--pdf", filepath.Join(t.TempDir(), "b.pdf"))
	if code != exitInput || !strings.Contains(stderr, "content/briefing.md:3:1: the briefing has 0 charts; it needs exactly six") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
