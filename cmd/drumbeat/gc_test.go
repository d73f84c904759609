package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuildGCLine: build --gc says what it removed and kept from the
// image cache, in one line after the summary; a build without it says
// nothing of the cache when it removed nothing.
func TestBuildGCLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runCmd("new", dir); code != exitOK {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	cache := t.TempDir()
	args := []string{"build", "-s", dir, "--now", "2026-11-27", "--cache-dir", cache}
	code, stdout, stderr := runCmd(args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "cache:") {
		t.Errorf("a build without --gc that removed nothing printed %q", stdout)
	}
	code, stdout, stderr = runCmd(append(args, "--gc")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	line := regexp.MustCompile(`(?m)^cache: removed 0 unused files \(0\.0 MB\), kept [1-9][0-9]* \([0-9.]+ MB\)$`)
	if !line.MatchString(stdout) {
		t.Errorf("build --gc printed %q, want a line like %q", stdout, "cache: removed 0 unused files (0.0 MB), kept 12 (0.4 MB)")
	}
}
