package serve

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

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

	// The page is styled by the theme's stylesheet, loaded under its
	// fingerprinted name; an edit of the stylesheet gives it a new name,
	// so the page is reloaded with it and the edit shows.
	waitJS("styled", `/css\/site\.[0-9a-f]{10}\.css$/.test(document.querySelector('link[rel="stylesheet"]').href) && getComputedStyle(document.documentElement).getPropertyValue("--chart-accent").trim() !== ""`)
	css, err := os.ReadFile(filepath.Join(exampleDir, "themes", "default", "static", "css", "site.css"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "static/css/site.css", string(css)+"\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
	waitJS("the stylesheet's edit shows", `getComputedStyle(document.body).outlineWidth === "7px" && getComputedStyle(document.documentElement).getPropertyValue("--chart-accent").trim() !== ""`)
}

// TestBrowserDNSRebinding is the attack the Host check stops: a page on
// evil.test, whose name now resolves to 127.0.0.1 (Chromium's
// --host-resolver-rules plays the attacker's DNS server), loads the dev
// server's held story, and reads it with fetch and the reload stream as
// its own origin. It reads none of it; the server's own address works.
// (On the old code the page read the held story.)
func TestBrowserDNSRebinding(t *testing.T) {
	ctx, _ := browsertest.Start(t, chromedp.Flag("host-resolver-rules", "MAP evil.test 127.0.0.1"))
	ts := startServer(t, heldSite(t), true)
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(ts.url, "http://"), "/"))
	evil := "http://evil.test:" + port + "/"
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(evil+heldURL)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, heldSecret) || !strings.Contains(text, "does not answer at this address") {
		t.Errorf("http://evil.test:PORT/%s shows:\n%s", heldURL, text)
	}
	// The attacker's script, running as http://evil.test:PORT, reads what
	// it can: the held story, the home page, a missing page, the stream.
	script := `(async () => {
		let out = [];
		for (const p of ["/` + heldURL + `", "/", "/no/such/page/", "/_drumbeat/live.js"]) {
			try { const r = await fetch(p); out.push(p + " " + r.status + " " + await r.text()); }
			catch (e) { out.push(p + " failed " + e); }
		}
		out.push(await new Promise(done => {
			const es = new EventSource("/_drumbeat/events");
			const t = setTimeout(() => { es.close(); done("stream: nothing"); }, 3000);
			es.addEventListener("hello", e => { clearTimeout(t); es.close(); done("stream: " + e.data); });
			es.onerror = () => { clearTimeout(t); es.close(); done("stream: refused"); };
		}));
		return out.join("\n");
	})()`
	read, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(read, heldSecret) || strings.Contains(read, "Secret plans") || strings.Contains(read, `"version"`) ||
		strings.Contains(read, " 200 ") || !strings.Contains(read, "stream: refused") {
		t.Errorf("the rebinding page read:\n%s", read)
	}

	// The server's own address shows the held story (serve --drafts).
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+heldURL)); err != nil {
		t.Fatal(err)
	}
	if text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, heldSecret) {
		t.Errorf("%s%s does not show the held story:\n%s", ts.url, heldURL, text)
	}
}
