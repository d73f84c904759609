// Package browsertest finds headless Chromium for the browser tests and
// shares one Chromium process among the tests of a test binary.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
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

// options are the flags every browser test's Chromium runs with: headless,
// no sandbox, GPU, background networking or sync, its profile in dir, and
// dir/tmp as its TMPDIR, so that the org.chromium.Chromium.* folders it
// leaves go with dir.
func options(path, dir string) []chromedp.ExecAllocatorOption {
	tmp := filepath.Join(dir, "tmp")
	os.MkdirAll(tmp, 0o700)
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Env("TMPDIR="+tmp),
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
}

// Start starts a headless Chromium of t's own, with options's flags, a
// fresh profile and then opts, and returns the context of a tab in it.
// Chromium is found as Chromium finds it. The browser is closed by stop,
// or when the test ends. Tab is cheaper when a test needs no flags of its
// own.
func Start(t testing.TB, opts ...chromedp.ExecAllocatorOption) (ctx context.Context, stop func()) {
	t.Helper()
	all := append(options(Chromium(t), t.TempDir()), opts...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), all...)
	ctx, cancelTab := chromedp.NewContext(actx)
	stop = func() {
		cancelTab()
		cancelAlloc()
	}
	t.Cleanup(stop)
	return ctx, stop
}

// shared is the Chromium that Tab opens its tabs in: one process for the
// whole test binary, started by the first Tab and stopped by Close.
var shared struct {
	once sync.Once
	ctx  context.Context // the browser's first tab
	stop func()
	err  error
}

// Tab returns the context of a new tab in the test binary's one headless
// Chromium, started by the first call (flags as Start's, the profile in a
// temporary folder Close removes). The tab is in a browser context of its
// own, like a fresh profile: no cache, cookies, storage or service worker
// of another test's tab reaches it. It has its own window, so that it is
// visible and draws (animation frames) while other tabs run in parallel.
// The tab and its browser context are closed when the test ends. Chromium
// is found as Chromium finds it: absent, the test is skipped with a
// visible message, or fails under DRUMBEAT_REQUIRE_CHROMIUM.
//
// The tab has Chromium's defaults: a test sets its viewport
// (emulation.SetDeviceMetricsOverride, chromedp.EmulateViewport), turns
// scripts off (emulation.SetScriptExecutionDisabled) or emulates a colour
// scheme (emulation.SetEmulatedMedia) in the tab.
func Tab(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "drumbeat-chromium-")
		if err != nil {
			shared.err = err
			return
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), options(path, dir)...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		shared.ctx = bctx
		shared.stop = func() {
			cancelBrowser()
			cancelAlloc()
			os.RemoveAll(dir)
		}
		// The first Do starts the browser, for as long as bctx lives.
		if err := chromedp.Do(bctx); err != nil {
			shared.err = err
		}
	})
	if shared.err != nil {
		t.Fatalf("starting Chromium: %v", shared.err)
	}
	ctx, cancel := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	// The tab's first Do opens it, for as long as ctx lives (not a
	// shorter context the test derives from it).
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("opening a tab in Chromium: %v", err)
	}
	t.Cleanup(cancel)
	return ctx
}

// Close stops the Chromium that Tab started, if it did, and removes its
// profile. A test binary whose tests call Tab calls Close in its TestMain,
// after m.Run.
func Close() {
	if shared.stop != nil {
		shared.stop()
	}
}
