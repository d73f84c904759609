package generator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

// browser is a tab of the test binary's headless Chromium
// (browsertest.Tab), watching console errors and every request.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	errors   []string
	requests []string
}

// newBrowser opens a tab whose viewport is width × height CSS pixels, with
// scripts on or off.
func newBrowser(t *testing.T, width, height int, js bool) *browser {
	t.Helper()
	ctx := browsertest.Tab(t)
	b := &browser{}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.errors = append(b.errors, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, "exception: "+e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				b.errors = append(b.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: int64(height), DeviceScaleFactor: 1}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js})
		return err
	}))
	if err != nil {
		t.Fatalf("setting up the tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	b.ctx = ctx
	return b
}

// eval evaluates a JavaScript expression that gives a number.
func (b *browser) eval(t *testing.T, expr string) int {
	t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return n
}

// example is the server of the example site for every browser test of
// the test binary (TestMain closes it).
var example struct {
	once sync.Once
	srv  *httptest.Server
}

// serveExample returns the server of the example site, built once for
// the test binary with https://alliance.example.org/ as its base URL
// (builtExample), the first time a test asks.
func serveExample(t *testing.T) *httptest.Server {
	t.Helper()
	srv, _ := servedExample(t)
	return srv
}

// servedExample is serveExample with the build's result.
func servedExample(t *testing.T) (*httptest.Server, Result) {
	t.Helper()
	browsertest.Chromium(t) // skips, or fails in CI, before building for nothing
	out, res := builtExample(t, "https://alliance.example.org/")
	example.once.Do(func() {
		example.srv = httptest.NewServer(http.FileServer(http.Dir(out)))
	})
	return example.srv, res
}

// closeExample stops the server of serveExample.
func closeExample() {
	if example.srv != nil {
		example.srv.Close()
	}
}

// leftSite returns the requests that went to another host than the server.
func (b *browser) leftSite(srv *httptest.Server) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	host, _ := url.Parse(srv.URL)
	var out []string
	for _, r := range b.requests {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "data" && u.Host != host.Host) {
			out = append(out, r)
		}
	}
	return out
}

func TestBrowserChartsDraw(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	pages := []string{"/scorecard/", "/metrics/coverage_2y/", "/metrics/doses_given/", "/stories/two-quarters-without-measles/"}
	b := newBrowser(t, 1280, 900, true)
	for _, p := range pages {
		err := chromedp.Do(b.ctx,
			chromedp.Navigate(srv.URL+p),
			chromedp.WaitReady("body"),
		)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		containers := b.eval(t, `document.querySelectorAll("[data-chart]").length`)
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`[...document.querySelectorAll("[data-chart]")].every(el => el.classList.contains("is-live") && el.querySelector("svg path"))`,
			chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Errorf("%s: charts were not drawn: %v", p, err)
		}
		drawn := b.eval(t, `[...document.querySelectorAll("[data-chart]")].filter(el => el.querySelector("svg") && el.querySelector("svg").getBoundingClientRect().height > 50).length`)
		sparks := b.eval(t, `document.querySelectorAll("svg.sparkline").length`)
		emptySparks := b.eval(t, `[...document.querySelectorAll("svg.sparkline")].filter(s => !s.querySelector("path")).length`)
		if p == "/scorecard/" {
			if sparks < 10 || emptySparks > 0 {
				t.Errorf("%s: %d sparklines, %d empty", p, sparks, emptySparks)
			}
		} else if containers == 0 {
			t.Errorf("%s: no chart containers", p)
		}
		if drawn != containers {
			t.Errorf("%s: %d of %d charts drawn", p, drawn, containers)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %v", b.errors)
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}

func TestBrowserChartsWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, false)
	err := chromedp.Do(b.ctx,
		chromedp.Navigate(srv.URL+"/metrics/coverage_2y/"),
		chromedp.WaitReady("body"),
	)
	if err != nil {
		t.Fatal(err)
	}
	containers := b.eval(t, `document.querySelectorAll("[data-chart]").length`)
	static := b.eval(t, `[...document.querySelectorAll("[data-chart] svg.chart-static")].filter(s => s.getBoundingClientRect().width > 200 && s.querySelector("path")).length`)
	if containers == 0 || static != containers {
		t.Errorf("without JavaScript %d of %d charts show their static SVG", static, containers)
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}
