package generator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearchMeasure measures the search of a built site given by
// DRUMBEAT_SEARCH_SITE (a folder drumbeat build wrote, such as the
// 10,000-story corpus's; skipped without it): for each word, in a fresh
// tab, the bytes the page, its script, stylesheet and the index files a
// first query loads weigh (as served, uncompressed), and the time from
// the keystroke to the results, the first time (shards fetched from a
// local server) and again once they are loaded. README, Search, gives the
// figures.
func TestBrowserSearchMeasure(t *testing.T) {
	dir := os.Getenv("DRUMBEAT_SEARCH_SITE")
	if dir == "" {
		t.Skip("set DRUMBEAT_SEARCH_SITE to a built site to measure its search")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	for _, w := range []string{"partner", "dose", "vacc", "4321", "story 4321"} {
		b := newBrowser(t, 1280, 900, true)
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		// Wait for the manifest, which the page loads before a keystroke.
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`performance.getEntriesByType("resource").some(e => /\/search\/index\./.test(e.name))`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
		query := func() float64 {
			ms, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`new Promise(function(done){
  var i=document.getElementById("search-q"),root=document.getElementById("search");
  i.value="";i.dispatchEvent(new Event("input"));
  setTimeout(function(){
    var t0=performance.now();
    i.value=%q;i.dispatchEvent(new Event("input"));
    (function wait(){ if(root.dataset.shown===i.value){done(performance.now()-t0)} else requestAnimationFrame(wait) })();
  },50);
})`, w), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			return ms
		}
		first := query()
		type res struct {
			Files, Bytes, Index int
			Count               string
		}
		r, err := chromedp.Run(b.ctx, chromedp.Evaluate[res](`(function(){
  var n=performance.getEntriesByType("navigation")[0], files=1, bytes=n.encodedBodySize, index=0;
  performance.getEntriesByType("resource").forEach(function(e){files++;bytes+=e.encodedBodySize;if(/\/search\//.test(e.name))index+=e.encodedBodySize});
  return {Files:files,Bytes:bytes,Index:index,Count:document.getElementById("search-status").textContent};
})()`))
		if err != nil {
			t.Fatal(err)
		}
		again := query()
		t.Logf("%q: %s; first query %d files, %.1f kB (index files %.1f kB); keystroke to results %.1f ms first, %.1f ms with the shards loaded",
			w, r.Count, r.Files, float64(r.Bytes)/1000, float64(r.Index)/1000, first, again)
	}
}
