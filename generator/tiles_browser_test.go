package generator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hostPage is a page of another site, with styles of its own for the
// elements a snippet has (links, images) and others, and the snippet in
// the middle of its text.
const hostPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A partner's site</title><link rel="icon" href="data:,">
<style>
body { font-family: Georgia, serif; font-size: 17px; line-height: 1.7; color: rgb(20, 30, 40); background: rgb(250, 248, 240); margin: 24px; }
a { color: rgb(200, 0, 0); border: 3px dashed rgb(0, 0, 255); padding: 7px; text-decoration: underline wavy; }
img { border: 9px solid rgb(0, 128, 0); margin: 11px; padding: 5px; width: 50px; }
p { margin: 10px 0 20px; color: rgb(1, 2, 3); }
h1 { font-size: 30px; letter-spacing: 2px; }
</style></head>
<body>
<h1 id="h">Our partnerships</h1>
<p id="p1">We are proud to be part of the alliance. <a id="own" href="/about">About us</a></p>
%s
<p id="p2">More of our own text, after the tile.</p>
<img id="logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
</body></html>`

// TestBrowserTileSnippetInAForeignPage puts the snippets of a headline
// tile and of a partner's tile, as the build writes them, into a page of
// another site with styles of its own, and checks in Chromium that the
// host page's own elements are styled exactly as without the snippet,
// that the tile shows at its size (the host's rules for links and images
// do not reach it), and that the only request besides the page is the
// tile's own SVG.
func TestBrowserTileSnippetInAForeignPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	out, _ := builtExample(t, "https://alliance.example.org/")
	for _, tile := range []string{"tiles/coverage_2y.html", "partners/kestrel-pharmacy/kit/tiles/doses_given.html"} {
		t.Run(tile, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(out, tile))
			if err != nil {
				t.Fatal(err)
			}
			page := string(b)
			i, j := strings.Index(page, "</h1>"), strings.LastIndex(page, "</main>")
			if i < 0 || j < i {
				t.Fatalf("%s has no snippet under its heading", tile)
			}
			// The tile's addresses are the site's (base_url); here the
			// site is the test server.
			snippet := strings.TrimSpace(page[i+len("</h1>") : j])
			snippet = strings.ReplaceAll(snippet, "https://alliance.example.org/", srv.URL+"/")
			svgURL := srv.URL + "/" + strings.TrimSuffix(tile, ".html") + ".svg"
			if !strings.Contains(snippet, `src="`+svgURL+`"`) {
				t.Fatalf("the snippet does not show %s: %s", svgURL, snippet)
			}
			host := http.NewServeMux()
			host.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, hostPage, "") })
			host.HandleFunc("/with", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, hostPage, snippet) })
			hs := httptest.NewServer(host)
			defer hs.Close()

			// The computed styles of the host page's own elements.
			const styles = `JSON.stringify(["h", "p1", "own", "p2", "logo"].map(id => {
				const e = document.getElementById(id), s = getComputedStyle(e), r = e.getBoundingClientRect();
				return [id, s.color, s.fontFamily, s.fontSize, s.lineHeight, s.borderTopWidth, s.borderTopStyle, s.paddingTop, s.marginTop, s.letterSpacing, s.textDecorationLine, s.width, r.width];
			}).concat([["body", getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).fontFamily]]))`
			br := newBrowser(t, 1024, 900, true)
			if err := chromedp.Do(br.ctx, chromedp.Navigate(hs.URL+"/plain"), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			plain, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](styles))
			if err != nil {
				t.Fatal(err)
			}
			br.mu.Lock()
			br.requests = nil
			br.mu.Unlock()
			if err := chromedp.Do(br.ctx, chromedp.Navigate(hs.URL+"/with"), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(br.ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector("body > a > img"); return !!(i && i.complete && i.naturalWidth > 0) })()`)); err != nil {
				t.Fatalf("the tile's image does not load: %v", err)
			}
			with, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](styles))
			if err != nil {
				t.Fatal(err)
			}
			shown, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector("body > a"), i = a.querySelector("img"), s = getComputedStyle(i), as = getComputedStyle(a);
				return JSON.stringify([i.getBoundingClientRect().width, i.getBoundingClientRect().height, i.naturalWidth, i.naturalHeight, s.borderTopWidth, s.marginTop, s.paddingTop, as.borderTopWidth, as.paddingTop, as.textDecorationLine]) })()`))
			if err != nil {
				t.Fatal(err)
			}
			if plain != with {
				t.Errorf("the snippet changes the host page's styles:\nwithout %s\nwith    %s", plain, with)
			}
			var w, h, nw, nh int
			var bw, mt, pt, abw, apt, deco string
			if _, err := fmt.Sscanf(strings.NewReplacer("[", "", "]", "", `"`, "", ",", " ").Replace(shown), "%d %d %d %d %s %s %s %s %s %s", &w, &h, &nw, &nh, &bw, &mt, &pt, &abw, &apt, &deco); err != nil {
				t.Fatalf("reading %s: %v", shown, err)
			}
			if w != nw || h != nh || w < 300 || bw != "0px" || mt != "0px" || pt != "0px" || abw != "0px" || apt != "0px" || deco != "none" {
				t.Errorf("the tile is shown %s: the host's rules for links and images reach it", shown)
			}
			br.mu.Lock()
			reqs := slices.Clone(br.requests)
			br.mu.Unlock()
			var others []string
			for _, r := range reqs {
				if r != hs.URL+"/with" && r != svgURL && !strings.HasPrefix(r, "data:") {
					others = append(others, r)
				}
			}
			if len(others) > 0 || !slices.Contains(reqs, svgURL) {
				t.Errorf("requests %v: want the page and %s only", reqs, svgURL)
			}
			if len(br.errors) > 0 {
				t.Errorf("console errors: %s", strings.Join(br.errors, "; "))
			}
		})
	}
}
