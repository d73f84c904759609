// Package browsertest finds headless Chromium for the browser tests.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
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

// Start starts headless Chromium for t, with the options every browser test
// uses (no sandbox, GPU, background networking or sync, a fresh profile)
// and then opts, and returns the context of a tab in it. Chromium is found
// as Chromium finds it. The browser is closed by stop, or when the test
// ends.
func Start(t testing.TB, opts ...chromedp.ExecAllocatorOption) (ctx context.Context, stop func()) {
	t.Helper()
	all := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(all, opts...)...)
	ctx, cancelTab := chromedp.NewContext(actx)
	stop = func() {
		cancelTab()
		cancelAlloc()
	}
	t.Cleanup(stop)
	return ctx, stop
}
