package generator

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// openBriefing opens /briefing/ in a browser whose viewport is exactly
// width × height CSS pixels.
func openBriefing(t *testing.T, srvURL string, width, height int, js bool) *browser {
	t.Helper()
	b := newBrowser(t, width, height, js)
	err := chromedp.Do(b.ctx,
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate(srvURL+"/briefing/"),
		chromedp.WaitReady("body"),
	)
	if err != nil {
		t.Fatalf("opening the briefing: %v", err)
	}
	return b
}

// TestBrowserBriefing opens the briefing on a phone and on a desktop: six
// interactive charts are drawn, nothing fails, nothing leaves the site, and
// the layout is one chart per screen on the phone and two rows of three on
// the desktop.
func TestBrowserBriefing(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	for _, vp := range []struct{ w, h int }{{390, 844}, {1440, 900}} {
		t.Run(fmt.Sprintf("%dx%d", vp.w, vp.h), func(t *testing.T) {
			b := openBriefing(t, srv.URL, vp.w, vp.h, true)
			const drawn = `[...document.querySelectorAll(".bchart-live.is-live")].filter(el => {
				const svg = el.querySelector("svg");
				return svg && svg.querySelectorAll("path").length > 2 && svg.getBoundingClientRect().height > 150 && svg.getBoundingClientRect().width > 250;
			}).length`
			if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](drawn+` === 6`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Errorf("six charts were not drawn: %d of 6 (%v)", b.eval(t, drawn), err)
			}
			if n := b.eval(t, `document.querySelectorAll(".bfig").length`); n != 6 {
				t.Errorf("%d charts on the page, want 6", n)
			}
			if n := b.eval(t, `[...document.querySelectorAll(".bchart-static")].filter(el => el.offsetParent !== null).length`); n != 0 {
				t.Errorf("%d static drawings still shown beside the interactive charts", n)
			}
			// Each takeaway is in big type.
			if n := b.eval(t, `[...document.querySelectorAll(".bfig-title")].filter(h => parseFloat(getComputedStyle(h).fontSize) >= 20).length`); n != 6 {
				t.Errorf("%d of 6 takeaways in big type", n)
			}
			if vp.w < 600 {
				// One chart per screen, snapped.
				if n := b.eval(t, `[...document.querySelectorAll(".bfig")].filter(f => Math.abs(f.getBoundingClientRect().height - innerHeight) <= 1).length`); n != 6 {
					t.Errorf("%d of 6 charts fill the %dpx screen", n, vp.h)
				}
				if n := b.eval(t, `getComputedStyle(document.documentElement).scrollSnapType.startsWith("y") ? 1 : 0`); n != 1 {
					t.Error("the page does not snap from chart to chart")
				}
				// Scrolled to chart 4, it fills the screen with its takeaway.
				n := b.eval(t, `(() => { const f = document.getElementById("chart-4"); f.scrollIntoView(); const r = f.getBoundingClientRect(); const h = f.querySelector(".bfig-title").getBoundingClientRect(); const c = f.querySelector(".bchart-live").getBoundingClientRect(); return Math.abs(r.top) <= 1 && h.top >= 0 && c.bottom <= innerHeight + 1 && c.height > innerHeight / 2 ? 1 : 0 })()`)
				if n != 1 {
					t.Error("chart 4 does not fill the screen with its takeaway when scrolled to")
				}
				if n := b.eval(t, `document.documentElement.scrollWidth > innerWidth ? 1 : 0`); n != 0 {
					t.Error("the page scrolls sideways on a phone")
				}
			} else {
				cols := b.eval(t, `new Set([...document.querySelectorAll(".bfig")].map(f => Math.round(f.getBoundingClientRect().left))).size`)
				rows := b.eval(t, `new Set([...document.querySelectorAll(".bfig")].map(f => Math.round(f.getBoundingClientRect().top))).size`)
				if cols != 3 || rows != 2 {
					t.Errorf("the charts are in %d columns and %d rows, want a grid of 2 × 3", cols, rows)
				}
			}
			if len(b.errors) > 0 {
				t.Errorf("console errors: %v", b.errors)
			}
			if left := b.leftSite(srv); len(left) > 0 {
				t.Errorf("requests left the site: %v", left)
			}
		})
	}
}

// TestBrowserBriefingWithoutJavaScript checks that readers without scripts
// see six static SVG charts, on a phone and on a desktop.
func TestBrowserBriefingWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	for _, vp := range []struct{ w, h int }{{390, 844}, {1440, 900}} {
		t.Run(fmt.Sprintf("%dx%d", vp.w, vp.h), func(t *testing.T) {
			b := openBriefing(t, srv.URL, vp.w, vp.h, false)
			visible := b.eval(t, `[...document.querySelectorAll("svg.chart-static")].filter(s => {
				const r = s.getBoundingClientRect();
				return s.closest(".bchart-static").offsetParent !== null && r.width > 250 && r.height > 150 && s.querySelectorAll("rect, path").length > 0;
			}).length`)
			if visible != 6 {
				t.Errorf("without JavaScript %d static charts are visible, want 6", visible)
			}
			if n := b.eval(t, `document.querySelectorAll(".bchart-live.is-live").length`); n != 0 {
				t.Errorf("%d charts went live with scripts off", n)
			}
			if left := b.leftSite(srv); len(left) > 0 {
				t.Errorf("requests left the site: %v", left)
			}
		})
	}
}

// TestBrowserBriefingPrint prints the briefing on A4 and Letter, landscape:
// at most two pages, and the print shows the static SVG of every chart.
func TestBrowserBriefingPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := openBriefing(t, srv.URL, 1280, 900, true)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll(".bchart-live.is-live svg").length === 6`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts not drawn: %v", err)
	}
	for _, paper := range []struct {
		name string
		size chromedp.PaperSize
	}{{"A4", chromedp.PaperA4}, {"Letter", chromedp.PaperLetter}} {
		pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(paper.size), chromedp.PDFLandscape(), chromedp.PDFPrintBackground()))
		if err != nil {
			t.Fatalf("%s: %v", paper.name, err)
		}
		if n := pdfPages(pdf); n < 1 || n > 2 {
			t.Errorf("%s landscape: %d pages, want at most 2", paper.name, n)
		}
	}
	// In print, the sharp static SVGs are shown, three charts a page.
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n := b.eval(t, `[...document.querySelectorAll(".bchart-portrait svg.chart-static")].filter(s => s.getBoundingClientRect().height > 200).length`); n != 6 {
		t.Errorf("in print %d of 6 static charts are shown", n)
	}
	if n := b.eval(t, `[...document.querySelectorAll(".bchart-live")].filter(el => el.offsetParent !== null).length`); n != 0 {
		t.Errorf("in print %d interactive charts are shown", n)
	}
}

var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pdfPages counts the page objects of a PDF written by Chromium.
func pdfPages(b []byte) int {
	if len(b) < 5 || string(b[:5]) != "%PDF-" {
		return 0
	}
	return len(pdfPageRE.FindAll(b, -1))
}
