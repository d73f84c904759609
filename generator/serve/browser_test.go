package serve

import (
	"context"
	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium binary, or skips the test.

// TestBrowserReloadsAndShowsErrors opens a page in Chromium, edits the
// story and waits for the page to show the new text by itself; then
// breaks the data and waits for the overlay, and fixes it and waits for
// the overlay to go.
func TestBrowserReloadsAndShowsErrors(t *testing.T) {
	ctx, _ := browsertest.Start(t)
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	defer cancel3()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+storyURL)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	// Scroll down: the reload comes back to the same place.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.scrollTo(0, 400)`)); err != nil {
		t.Fatal(err)
	}
	// waitJS polls expr until it is true. The page reloads meanwhile, so
	// an evaluation may fail; it is tried again.
	waitJS := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		var err error
		for time.Now().Before(deadline) {
			var ok bool
			if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("%s: not within 30s (last error: %v); log:\n%s", what, err, ts.log())
	}
	// The reload stream is open before the edit.
	waitJS("connected", `document.documentElement.hasAttribute("data-drumbeat-live")`)
	// A page without charts is updated in place: what the old page's
	// window held is still there, and the new body's scripts have run
	// (the story's "Copy the text" button is shown by one).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.drumbeatTestMark = 1; document.querySelector(".share-copy").hidden = true`)); err != nil {
		t.Fatal(err)
	}
	story := readFile(t, dir, storyFile)
	writeFile(t, dir, storyFile, story+"\nThe browser sees this sentence by itself.\n")
	waitJS("reload after an edit", `document.body.innerText.includes("The browser sees this sentence by itself.")`)
	waitJS("scroll kept", `window.scrollY > 300`)
	waitJS("updated in place", `window.drumbeatTestMark === 1`)
	waitJS("the new body's scripts ran", `document.querySelector(".share-copy").hidden === false`)
	writeFile(t, dir, storyFile, story+"\nA second edit shows too.\n")
	waitJS("a second edit", `document.body.innerText.includes("A second edit shows too.") && window.drumbeatTestMark === 1`)

	// A page with charts is reloaded, so that its charts are drawn again.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+"metrics/people_reached/")); err != nil {
		t.Fatal(err)
	}
	waitJS("chart drawn", `document.documentElement.hasAttribute("data-drumbeat-live") && document.querySelector("[data-chart].is-live") !== null`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.drumbeatTestMark = 2`)); err != nil {
		t.Fatal(err)
	}
	metricsCSV := readFile(t, dir, "data/metrics.csv")
	writeFile(t, dir, "data/metrics.csv", strings.Replace(metricsCSV, "Distinct people contacted", "Distinct people reached", 1))
	waitJS("chart page reloaded", `document.body.innerText.includes("Distinct people reached") && window.drumbeatTestMark === undefined`)
	waitJS("chart drawn again", `document.querySelector("[data-chart].is-live") !== null`)
	writeFile(t, dir, "data/metrics.csv", metricsCSV)

	// A theme whose pages load a script of their own: the script's work
	// on the old body would be lost, so such a page is reloaded (and the
	// script runs once for the new page).
	footer, err := os.ReadFile(filepath.Join(exampleDir, "themes", "default", "layouts", "partials", "footer.html"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "static/js/extra.js", `window.extraRuns = (window.extraRuns || 0) + 1;`)
	writeFile(t, dir, "layouts/partials/footer.html", strings.Replace(string(footer), "</footer>", `</footer><script src="{{.Rel "/js/extra.js"}}"></script>`, 1))
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+storyURL)); err != nil {
		t.Fatal(err)
	}
	waitJS("the theme's script ran", `window.extraRuns === 1 && document.documentElement.hasAttribute("data-drumbeat-live")`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.drumbeatTestMark = 3`)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, storyFile, story+"\nA third edit, on a page with a script of its own.\n")
	waitJS("page with a script reloaded", `document.body.innerText.includes("A third edit") && window.drumbeatTestMark === undefined && window.extraRuns === 1`)
	waitJS("connected again", `document.documentElement.hasAttribute("data-drumbeat-live")`)
	writeFile(t, dir, storyFile, story+"\nA second edit shows too.\n")
	waitJS("back to the second edit", `document.body.innerText.includes("A second edit shows too.")`)

	metrics := readFile(t, dir, "data/metrics.csv")
	writeFile(t, dir, "data/metrics.csv", strings.Replace(metrics, ",0,5000,", `,"1,5",5000,`, 1))
	waitJS("the overlay", `(document.getElementById("drumbeat-errors")||{innerText:""}).innerText.includes("data/metrics.csv:2")`)

	writeFile(t, dir, "data/metrics.csv", metrics)
	waitJS("recovery", `document.readyState === "complete" && !document.getElementById("drumbeat-errors") && document.body.innerText.includes("A second edit shows too.")`)
}
