package generator

import (
	"strings"
	"testing"
	"time"

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

// TestBrowserShareCopyWord: the copy button of the share kit says the word
// of its data-copied attribute (share_copied in the catalogue, "Copied" in
// English) once clicked, not a word of the script's own.
func TestBrowserShareCopyWord(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 1280, 900, true)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/stories/two-quarters-without-measles/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if n := b.eval(t, `document.querySelector(".share-copy").dataset.copied === "Copied" ? 1 : 0`); n != 1 {
		t.Fatal(`the copy button's data-copied is not "Copied" in English`)
	}
	b.eval(t, `(function(){var c=document.querySelector(".share-copy");c.dataset.copied="Kopiert";c.click();return 0})()`)
	for i := 0; ; i++ {
		if b.eval(t, `document.querySelector(".share-copy").textContent === "Kopiert" ? 1 : 0`) == 1 {
			break
		}
		if i == 30 {
			text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".share-copy").textContent`))
			t.Fatalf("after a click the copy button says %q, not its data-copied", text)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
