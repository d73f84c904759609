// Package browsertest finds headless Chromium for the browser tests.
package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a Chromium binary, or skips the test with a
// visible message. With DRUMBEAT_REQUIRE_CHROMIUM=1 (set by CI) a missing
// browser fails the test instead.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DRUMBEAT_REQUIRE_CHROMIUM") != "" {
		t.Fatal("Chromium is required (DRUMBEAT_REQUIRE_CHROMIUM is set) but not installed")
	}
	t.Skip("SKIPPED: browser test needs Chromium; install Debian's chromium package to run it")
	return ""
}
