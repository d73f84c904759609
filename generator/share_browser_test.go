package generator

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserStoriesPrintOnOnePage prints every public story of the
// example on A4 and on Letter: one page each, with the figures kept and
// the navigation, sharing and related stories left out. On screen, the
// share text is in its box and the copy button shows.
func TestBrowserStoriesPrintOnOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv, res := servedExample(t)
	b := newBrowser(t, 1280, 900, true)
	for _, st := range res.Site.Stories {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+st.URL()), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", st.URL(), err)
		}
		if n := b.eval(t, `document.querySelector(".share-copy") && !document.querySelector(".share-copy").hidden ? 1 : 0`); n != 1 {
			t.Errorf("%s: no copy button for the share text", st.URL())
		}
		if n := b.eval(t, `[...document.getElementById("share-text").value].length`); n < 40 || n > 280 {
			t.Errorf("%s: share text of %d characters", st.URL(), n)
		}
		for _, paper := range []struct {
			name string
			size chromedp.PaperSize
		}{{"A4", chromedp.PaperA4}, {"Letter", chromedp.PaperLetter}} {
			pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(paper.size)))
			if err != nil {
				t.Fatalf("%s on %s: %v", st.URL(), paper.name, err)
			}
			if n := pdfPages(pdf); n != 1 {
				t.Errorf("%s prints on %d %s pages, want 1", st.URL(), n, paper.name)
			}
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %s", strings.Join(b.errors, "; "))
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}
