package generator

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserPhotos opens a story with a cover and a story with a photo in
// its body on a phone (390 × 844 CSS pixels at 2×) and checks what a reader
// gets: the browser picks a file near the shown size from the srcset (not
// the largest), the photo takes its place before it loads (no layout
// shift), a body photo below the fold waits until it is scrolled to, and
// the page with its images weighs a small part of the original photo.
func TestBrowserPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, true)
	if err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	// Layout shifts are recorded from the start of each page.
	shifts := `new Promise(r => { let s = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) s += e.value }).observe({type: "layout-shift", buffered: true}); setTimeout(() => r(Math.round(s * 1000)), 300) })`
	for _, p := range []string{"/stories/cold-chain-handover/", "/stories/saturday-clinics-six-months/"} {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("figure.story-image img")); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector("figure.story-image img").complete`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("%s: the cover did not load: %v", p, err)
		}
		// The width of the file the browser took, from its name
		// (naturalWidth is divided by the srcset's density).
		natural := b.eval(t, `+(document.querySelector("figure.story-image img").currentSrc.match(/-([0-9]+)-[0-9a-f]{10}\.(jpg|webp)$/) || [0, 0])[1]`)
		shown := b.eval(t, `Math.round(document.querySelector("figure.story-image img").getBoundingClientRect().width)`)
		if natural < 2*shown-20 || natural > 1200 {
			t.Errorf("%s: the cover is shown %d px wide at 2× and the browser took a %d px file; want about %d, not the largest", p, shown, natural, 2*shown)
		}
		if n := b.eval(t, `document.querySelectorAll('figure.story-image img[loading="lazy"]').length`); n != 0 {
			t.Errorf("%s: the cover at the top of the page is lazy", p)
		}
		ratio := b.eval(t, `(() => { const i = document.querySelector("figure.story-image img"); const r = i.getBoundingClientRect(); return Math.round(1000 * (r.height / r.width - i.naturalHeight / i.naturalWidth)) })()`)
		if ratio < -5 || ratio > 5 {
			t.Errorf("%s: the cover is shown out of proportion (%d/1000)", p, ratio)
		}
		cls, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](shifts, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if cls > 10 {
			t.Errorf("%s: cumulative layout shift %.3f, want about 0 (width and height keep the photo's place)", p, float64(cls)/1000)
		}
		bytes := b.eval(t, `Math.round(performance.getEntriesByType("navigation")[0].encodedBodySize + performance.getEntriesByType("resource").filter(r => r.initiatorType === "img").reduce((s, r) => s + r.encodedBodySize, 0))`)
		t.Logf("%s at 390 px (2×): page and its images %d kB, cover file %d px wide", p, bytes/1000, natural)
	}
	// The body photo of the hill villages story is below the fold: lazy.
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/stories/spotlight-hill-villages-parents/"), chromedp.WaitReady("figure.prose-image img")); err != nil {
		t.Fatal(err)
	}
	// Below the fold it is lazy (the browser decides how near it must
	// come); the cover at the top is not.
	if n := b.eval(t, `document.querySelectorAll('figure.prose-image img[loading="lazy"]').length`); n != 1 {
		t.Errorf("the body photo is not loading=lazy")
	}
	if err := chromedp.Do(b.ctx, chromedp.ScrollIntoView("figure.prose-image img")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector("figure.prose-image img").complete && document.querySelector("figure.prose-image img").naturalWidth > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the body photo did not load when scrolled to: %v", err)
	}
	if c := b.eval(t, `document.querySelector("figure.prose-image figcaption .credit") ? 1 : 0`); c != 1 {
		t.Error("the body photo has no credit under it")
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %v", b.errors)
	}
}
