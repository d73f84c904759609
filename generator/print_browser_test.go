package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// printPages are the page types of the example site a reader may print,
// with the most A4 pages each may take (0: no limit but the page must
// print at all).
var printPages = []struct {
	path     string
	maxPages int
}{
	{"/", 0},
	{"/stories/", 0},
	{"/stories/two-quarters-without-measles/", 1},
	{"/stories/when-the-returns-stopped/", 1},
	{"/scorecard/", 2},
	{"/briefing/", 2},
	{"/metrics/coverage_2y/", 0},
	{"/metrics/doses_given/", 0},
	{"/partners/", 0},
	{"/partners/lakeside-clinic/", 0},
	{"/governance/", 0},
	{"/decisions/", 0},
	{"/impact/", 0},
	{"/join/", 0},
	{"/newsletter/", 0},
	{"/newsletter/2026-11/", 0},
	{"/about/", 0},
	{"/tags/", 0},
}

// emulatePrint makes the tab of ctx lay pages out for print (media "print").
func emulatePrint(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
}

// TestBrowserPrint prints every page type of the example on A4, portrait,
// as a reader's browser does: the scorecard and the briefing fit two pages,
// a story one; and, laid out for print, no page shows the navigation or
// is wider than the paper, no chart is split, and no heading is as large
// as the page's title. With DRUMBEAT_PRINT_DIR
// set, the PDFs are written there to be looked at.
func TestBrowserPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 1280, 900, true)
	dir := os.Getenv("DRUMBEAT_PRINT_DIR")
	for _, pg := range printPages {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+pg.path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", pg.path, err)
		}
		// A reader prints a page once its charts are drawn.
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll(".chart.is-live svg[viewBox]").length === document.querySelectorAll(".chart[data-chart]").length`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s: the charts were not drawn: %v", pg.path, err)
		}
		pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		if err != nil {
			t.Fatalf("%s: %v", pg.path, err)
		}
		n := pdfPages(pdf)
		t.Logf("%s: %d A4 pages", pg.path, n)
		if n < 1 || (pg.maxPages > 0 && n > pg.maxPages) {
			t.Errorf("%s prints on %d A4 pages, want 1 to %d", pg.path, n, pg.maxPages)
		}
		if dir != "" {
			name := strings.Trim(strings.ReplaceAll(pg.path, "/", "_"), "_")
			if name == "" {
				name = "home"
			}
			if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Laid out for print at A4's width (210 mm less 2 × 1 cm of margin,
		// 718 CSS pixels): no navigation, nothing wider than the paper.
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(718, 1000)); err != nil {
			t.Fatal(err)
		}
		if err := emulatePrint(b.ctx); err != nil {
			t.Fatal(err)
		}
		if n := b.eval(t, `[...document.querySelectorAll("header nav, .skip, .share, .pager")].filter(el => el.getClientRects().length > 0).length`); n != 0 {
			t.Errorf("%s: %d navigation elements print", pg.path, n)
		}
		if n := b.eval(t, `[...document.querySelectorAll("main *")].filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && el.getClientRects().length > 0 && !el.closest(".sr-only") && !(el.ownerSVGElement)).length`); n != 0 {
			t.Errorf("%s: %d elements are wider than the paper in print", pg.path, n)
		}
		if n := b.eval(t, `[...document.querySelectorAll("figure, .chart-figure, .mtile, .tile, .card, .bfig")].filter(el => el.getClientRects().length > 0 && getComputedStyle(el).breakInside !== "avoid" && getComputedStyle(el).breakInside !== "avoid-page").length`); n != 0 {
			t.Errorf("%s: %d figures or tiles may be split across pages", pg.path, n)
		}
		if n := b.eval(t, `(() => {
			const h1 = document.querySelector("main h1");
			if (!h1) return 0;
			const size = el => parseFloat(getComputedStyle(el).fontSize);
			return [...document.querySelectorAll("main h2, main h3, main h4, main .chart-title")].filter(el => el.getClientRects().length > 0 && !el.closest(".sr-only") && size(el) >= size(h1)).length })()`); n != 0 {
			t.Errorf("%s: %d headings print as large as the page's title or larger", pg.path, n)
		}
		if err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}), chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %s", strings.Join(b.errors, "; "))
	}
}

// TestBrowserPrintStoryTitleIsLargest checks that every printed story of
// the example has its title as its largest heading: no chart title,
// section heading or headline figure is set bigger than the h1.
func TestBrowserPrintStoryTitleIsLargest(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv, res := servedExample(t)
	b := newBrowser(t, 718, 1000, true)
	if err := emulatePrint(b.ctx); err != nil {
		t.Fatal(err)
	}
	const headings = `main h2, main h3, main h4, main h5, main h6, main [role=heading], main .chart-title, main figcaption, main .roi-headline-value, main .roi-key dd a`
	for _, st := range res.Site.Stories {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+st.URL()), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", st.URL(), err)
		}
		if err := emulatePrint(b.ctx); err != nil {
			t.Fatal(err)
		}
		h1 := b.eval(t, `Math.round(parseFloat(getComputedStyle(document.querySelector("main h1")).fontSize) * 100)`)
		max := b.eval(t, `Math.round(Math.max(0, ...[...document.querySelectorAll("`+headings+`")].filter(el => el.getClientRects().length > 0 && !el.closest(".sr-only")).map(el => parseFloat(getComputedStyle(el).fontSize))) * 100)`)
		if h1 <= max {
			t.Errorf("%s: printed title is %.2fpx, a heading or figure is %.2fpx; the title should be the largest", st.URL(), float64(h1)/100, float64(max)/100)
		}
	}
}

// TestBrowserPartnerNamesWrap gives every partner card of /partners/ a long
// name with a long word, as partners in some languages have, and checks on
// a 390 px phone that the names wrap inside their cards and the page does
// not scroll sideways.
func TestBrowserPartnerNamesWrap(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, true)
	for _, path := range []string{"/partners/", "/partners/lakeside-clinic/", "/"} {
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+path), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		n := b.eval(t, `(() => {
			const names = [...document.querySelectorAll(".logo-name, .partner-head h1")];
			names.forEach(el => el.textContent = "Landesarbeitsgemeinschaft Gesundheitsförderung Riverbend-Lakeside e.V.");
			return names.length })()`)
		if n == 0 {
			t.Errorf("%s: no partner names", path)
			continue
		}
		if n := b.eval(t, `[...document.querySelectorAll(".logo-name, .partner-head h1")].filter(el => {
			const c = el.closest(".logo-card, .partner-card, .partner-head") || el.parentElement;
			return el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > c.getBoundingClientRect().right + 1 || c.getBoundingClientRect().right > innerWidth;
		}).length`); n != 0 {
			t.Errorf("%s: %d long partner names overflow their cards on a 390 px phone", path, n)
		}
		if n := b.eval(t, `document.documentElement.scrollWidth > innerWidth ? 1 : 0`); n != 0 {
			t.Errorf("%s scrolls sideways on a phone with long partner names", path)
		}
	}
}

// TestBrowserFiguresKeepUnits opens the pages with the most figures on a
// 390 px phone and a 1000 px laptop: every figure (tile and fact values,
// data-table cells, changes, figures in prose) is on one line, its number
// never apart from its unit, no tile value overflows its tile, and the
// page does not scroll sideways.
func TestBrowserFiguresKeepUnits(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, true)
	for _, pg := range []struct {
		path  string
		width int
	}{
		{"/", 390}, {"/scorecard/", 390}, {"/metrics/doses_given/", 390}, {"/metrics/coverage_2y/", 390},
		{"/stories/two-quarters-without-measles/", 390}, {"/stories/saturday-clinics-six-months/", 390},
		// Four narrow columns of tiles on a small laptop.
		{"/scorecard/", 1000}, {"/", 1000}, {"/metrics/doses_given/", 1000},
	} {
		path := fmt.Sprintf("%s at %d px", pg.path, pg.width)
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(int64(pg.width), 844), chromedp.Navigate(srv.URL+pg.path), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		const figures = `[...document.querySelectorAll(".num, .nb, a.fig, .change, .tile-value, .mtile-value, .fact-value, .roi-key dd a")].filter(el => el.getClientRects().length > 0 && !el.closest(".sr-only") && /[0-9]/.test(el.textContent))`
		if n := b.eval(t, figures+`.length`); n < 5 {
			t.Errorf("%s: %d figures found", path, n)
		}
		broken, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](figures+`.filter(el => {
			const r = document.createRange(); r.selectNodeContents(el);
			return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.bottom))).size > 1;
		}).map(el => el.textContent.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Errorf("%s: figures broken across lines on a phone: %q", path, broken)
		}
		if n := b.eval(t, figures+`.filter(el => el.matches(".tile-value, .mtile-value, .fact-value") && el.scrollWidth > el.clientWidth + 1).length`); n != 0 {
			t.Errorf("%s: %d tile values overflow their tiles", path, n)
		}
		if n := b.eval(t, `document.documentElement.scrollWidth > innerWidth ? 1 : 0`); n != 0 {
			t.Errorf("%s scrolls sideways", path)
		}
	}
}
