package generator

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestZZDebug(t *testing.T) {
	srv := serveExample(t)
	b := newBrowser(t, 718, 1000, true)
	for _, p := range strings.Split(os.Getenv("DBG_PAGES"), ",") {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		if os.Getenv("DBG_PRINT") != "" {
			emulatePrint(b.ctx)
		}
		s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](os.Getenv("DBG_JS")))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", p, s)
	}
}
