package generator

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// TestBrowserSearchMeasure measures the search of a built site given by
// DRUMBEAT_SEARCH_SITE (a folder drumbeat build wrote, such as the
// 10,000-story corpus's; skipped without it): for each word, in a fresh
// tab, the bytes the page, its script, stylesheet and the index files a
// first query loads weigh (as served, uncompressed), and the time from
// the keystroke to the results, the first time (shards fetched from a
// local server; the part after the last shard arrived split into reading
// and ranking, loading the titles and showing) and again once they are
// loaded (DRUMBEAT_SEARCH_REPEAT times). The files loaded must be those
// search.FirstQuery names. README, Search, gives the figures.
func TestBrowserSearchMeasure(t *testing.T) {
	dir := os.Getenv("DRUMBEAT_SEARCH_SITE")
	if dir == "" {
		t.Skip("set DRUMBEAT_SEARCH_SITE to a built site to measure its search")
	}
	// served counts the bytes and files the server sends, whatever asks
	// (a page, a script, a worker).
	var served struct {
		sync.Mutex
		bytes, files int
	}
	fileServer := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		fileServer.ServeHTTP(cw, r)
		served.Lock()
		served.bytes += cw.n
		served.files++
		served.Unlock()
	}))
	defer srv.Close()
	prof := os.Getenv("DRUMBEAT_SEARCH_PROFILE") != ""
	repeat := 5
	if n, err := strconv.Atoi(os.Getenv("DRUMBEAT_SEARCH_REPEAT")); err == nil && n > 0 {
		repeat = n
	}
	resetServed := func() { served.Lock(); served.bytes, served.files = 0, 0; served.Unlock() }
	for _, w := range []string{"partner", "dose", "vacc", "4321", "story 4321"} {
		b := newBrowser(t, 1280, 900, true)
		resetServed()
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		// Wait for the manifest, which the page loads before a keystroke.
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`performance.getEntriesByType("resource").some(e => /\/search\/index\./.test(e.name))`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatal(err)
		}
		// query clears the box, then types w and returns the time from the
		// keystroke until the results are in the page (data-shown, seen by
		// a MutationObserver) and until they are painted (the frame after,
		// then a task: what a reader sees).
		type took struct{ T0, DOM, Paint float64 }
		query := func() took {
			ms, err := chromedp.Run(b.ctx, chromedp.Evaluate[took](fmt.Sprintf(`new Promise(function(done){
  var i=document.getElementById("search-q"),root=document.getElementById("search");
  i.value="";i.dispatchEvent(new Event("input"));
  setTimeout(function(){
    var t0=performance.now();
    i.value=%q;i.dispatchEvent(new Event("input"));
    new MutationObserver(function(l,o){
      if(root.dataset.shown!==i.value)return;
      o.disconnect();
      var dom=performance.now()-t0;
      requestAnimationFrame(function(){setTimeout(function(){done({T0:t0,DOM:dom,Paint:performance.now()-t0})},0)});
    }).observe(root,{attributes:true,attributeFilter:["data-shown"]});
  },50);
})`, w), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			return ms
		}
		if prof {
			startProfile(t, b)
		}
		first := query()
		if prof {
			stopProfile(t, b, w)
		}
		served.Lock()
		nServed, bServed := served.files, served.bytes
		served.Unlock()
		type res struct {
			Files, Bytes, Index int
			// When the last shard arrived, the first title file was asked
			// for and the last arrived (ms, the page's clock).
			Shards, TitlesStart, TitlesEnd float64
			Count                          string
			Paths                          []string
		}
		r, err := chromedp.Run(b.ctx, chromedp.Evaluate[res](`(function(){
  var n=performance.getEntriesByType("navigation")[0], files=1, bytes=n.encodedBodySize, index=0, shards=0, ts=1e9, te=0, paths=["/search/index.html"];
  performance.getEntriesByType("resource").forEach(function(e){files++;bytes+=e.encodedBodySize;paths.push(new URL(e.name).pathname);if(/\/search\//.test(e.name))index+=e.encodedBodySize;if(/\/search\/t\./.test(e.name))shards=Math.max(shards,e.responseEnd);if(/\/search\/d\./.test(e.name)){ts=Math.min(ts,e.startTime);te=Math.max(te,e.responseEnd)}});
  return {Files:files,Bytes:bytes,Index:index,Shards:shards,TitlesStart:ts,TitlesEnd:te,Count:document.getElementById("search-status").textContent,Paths:paths};
})()`))
		if err != nil {
			t.Fatal(err)
		}
		// search.FirstQuery, which the bench uses, names the same files.
		var loaded []string
		for _, p := range r.Paths[1:] {
			if p = strings.TrimPrefix(p, "/"); p != "favicon.ico" && !slices.Contains(loaded, p) {
				loaded = append(loaded, p)
			}
		}
		slices.Sort(loaded)
		checkFirstQueryFiles(t, dir, append([]string{"search/index.html"}, loaded...), w)
		// Again, with the shards loaded: repeat times (DRUMBEAT_SEARCH_REPEAT,
		// 5 unless set), the median and the range, as a shared machine's
		// load makes single runs noisy.
		var dom, paint []float64
		for range repeat {
			a := query()
			dom, paint = append(dom, a.DOM), append(paint, a.Paint)
		}
		// What a server that compresses (gzip -6) would send.
		gz := 0
		for _, p := range r.Paths {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
			if err != nil {
				continue // the browser's own request for /favicon.ico
			}
			var buf bytes.Buffer
			z, _ := gzip.NewWriterLevel(&buf, 6)
			z.Write(b)
			z.Close()
			gz += buf.Len()
		}
		t.Logf("%q: %s; first query %d files, %.1f kB (index files %.1f kB; the server counted %d files, %.1f kB), %.1f kB gzipped; keystroke to results in the page %.1f ms first (painted %.1f; %.1f ms after the last shard arrived: %.1f reading and ranking, %.1f loading titles, %.1f showing), with the shards loaded %s ms (painted %s), %d times",
			w, r.Count, r.Files, float64(r.Bytes)/1000, float64(r.Index)/1000, nServed, float64(bServed)/1000, float64(gz)/1000,
			first.DOM, first.Paint, first.T0+first.DOM-r.Shards, r.TitlesStart-r.Shards, r.TitlesEnd-r.TitlesStart, first.T0+first.DOM-r.TitlesEnd, medianRange(dom), medianRange(paint), repeat)
	}
	// Pagefind on the same site, when its index is there (npx pagefind
	// --site DIR): its script, WebAssembly, metadata, the chunks of the
	// word and the first ten results' fragments, as served (Pagefind's
	// files are compressed on disk).
	if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind.js")); err != nil {
		return
	}
	for _, w := range []string{"partner", "dose", "vacc", "4321", "story 4321"} {
		b := newBrowser(t, 1280, 900, true)
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/404.html"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		resetServed()
		type res struct {
			Bytes, Files, Count int
			MS                  float64
		}
		r, err := chromedp.Run(b.ctx, chromedp.Evaluate[res](fmt.Sprintf(`(async function(){
  const pf = await import("/pagefind/pagefind.js");
  await pf.init();
  const t0 = performance.now();
  const r = await pf.search(%q);
  await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  const ms = performance.now() - t0;
  let bytes = 0, files = 0;
  performance.getEntriesByType("resource").forEach(e => { if (/\/pagefind\//.test(e.name)) { files++; bytes += e.encodedBodySize } });
  return {Bytes: bytes, Files: files, Count: r.results.length, MS: ms};
})()`, w), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		served.Lock()
		t.Logf("Pagefind %q: %d results; first query %d files, %.1f kB served (as stored: Pagefind's index is compressed); search and ten results %.1f ms", w, r.Count, served.files, float64(served.bytes)/1000, r.MS)
		served.Unlock()
	}
}

// countingWriter counts the bytes of a response's body.
type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += n
	return n, err
}

// medianRange formats v's median and range: "12.3 (8.1-40.2)".
func medianRange(v []float64) string {
	s := slices.Sorted(slices.Values(v))
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return fmt.Sprintf("%.1f (%.1f-%.1f)", m, s[0], s[len(s)-1])
}

// startProfile starts Chromium's JavaScript sampling profiler in b's tab,
// a sample every 100 µs (DRUMBEAT_SEARCH_PROFILE: where a first query's
// time goes; the site's script is minified unless its file is replaced by
// themes/default/static/js/search.js).
func startProfile(t *testing.T, b *browser) {
	t.Helper()
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, profiler.Start, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

// stopProfile stops the profiler and logs the functions that took the
// most samples, by self time.
func stopProfile(t *testing.T, b *browser, what string) {
	t.Helper()
	var p *profiler.Profile
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		r, err := cdp.Call(ctx, tg, profiler.Stop, cdp.Empty{})
		p = r.Profile
		return err
	}))
	if err != nil || p == nil {
		t.Fatal(err)
	}
	byID := map[int64]string{}
	for _, n := range p.Nodes {
		f := n.CallFrame
		byID[n.ID] = fmt.Sprintf("%s %s:%d", cmp.Or(f.FunctionName, "(anonymous)"), filepath.Base(f.URL), f.LineNumber+1)
	}
	self := map[string]int64{} // µs
	var total int64
	for i, id := range p.Samples {
		if i < len(p.TimeDeltas) {
			self[byID[id]] += p.TimeDeltas[i]
			total += p.TimeDeltas[i]
		}
	}
	names := slices.SortedFunc(func(yield func(string) bool) {
		for k := range self {
			if !yield(k) {
				return
			}
		}
	}, func(a, b string) int { return cmp.Compare(self[b], self[a]) })
	var top []string
	for _, k := range names[:min(12, len(names))] {
		top = append(top, fmt.Sprintf("%s %.1f ms", k, float64(self[k])/1000))
	}
	t.Logf("%q: profile of the first query (%.1f ms): %s", what, float64(total)/1000, strings.Join(top, "; "))
}
