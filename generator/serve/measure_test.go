package serve

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

// TestMeasureEditLatency measures, on a large generated site, how long an
// edit to one story takes to reach the served site and a browser. It runs
// only when DRUMBEAT_MEASURE names a folder to write the corpus in (a
// tmpfs such as /dev/shm is best), for example:
//
//	DRUMBEAT_MEASURE=/dev/shm/drumbeat-10k go test ./generator/serve -run Measure -v -timeout 30m
//
// DRUMBEAT_MEASURE_STORIES sets the size (10000 by default).
func TestMeasureEditLatency(t *testing.T) {
	dir := os.Getenv("DRUMBEAT_MEASURE")
	if dir == "" {
		t.Skip("set DRUMBEAT_MEASURE=/dev/shm/drumbeat-10k to measure")
	}
	n := 10000
	if v := os.Getenv("DRUMBEAT_MEASURE_STORIES"); v != "" {
		fmt.Sscan(v, &n)
	}
	if _, err := os.Stat(filepath.Join(dir, "site.yaml")); err != nil {
		start := time.Now()
		if err := corpus.Write(corpus.Corpus{Stories: n, Partners: 100, Metrics: 50, Rows: 200000, Seed: 1}, dir, ""); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote a %d-story corpus in %v", n, time.Since(start))
	}
	for _, drafts := range []bool{true, false} {
		if !drafts {
			// Without --drafts an edited story is held back until its
			// partner approves the new text: turn approval off, so that
			// the edited story stays public.
			gov := readFile(t, dir, "data/governance.yaml")
			writeFile(t, dir, "data/governance.yaml", strings.Replace(gov, "approval_required: true", "approval_required: false", 1))
			defer writeFile(t, dir, "data/governance.yaml", gov)
		}
		measure(t, dir, drafts, n)
	}
}

// measure starts a server on the corpus and times edits to its newest
// story and to one in the middle.
func measure(t *testing.T, dir string, drafts bool, n int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var builds []Rebuilt
	// A new image cache: the first build draws every social card.
	srv := New(Options{Build: generator.Options{Source: dir, Now: exampleNow, Drafts: drafts}})
	srv.rebuilt = func(r Rebuilt) {
		mu.Lock()
		builds = append(builds, r)
		mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- srv.Serve(ctx, ln) }()
	ts := &testServer{t: t, url: URL(ln.Addr())}
	for {
		mu.Lock()
		built := len(builds) > 0
		mu.Unlock()
		if built {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, _ := ts.get(""); code != 200 {
		t.Fatalf("GET / = %d", code)
	}
	t.Logf("drafts=%v: first build and first page in %v", drafts, time.Since(start))
	defer func() {
		cancel()
		<-done
	}()
	for _, story := range []int{n - 1, n / 2} {
		file, page := fmt.Sprintf("content/stories/story-%05d.md", story), fmt.Sprintf("stories/story-%05d/", story)
		measureStory(t, ts, dir, drafts, file, page, &mu, &builds)
	}
}

func measureStory(t *testing.T, ts *testServer, dir string, drafts bool, file, page string, mu *sync.Mutex, builds *[]Rebuilt) {
	orig := readFile(t, dir, file)
	defer func() {
		writeFile(t, dir, file, orig)
		time.Sleep(2 * time.Second)
	}()

	edit := func(i int) (mark string, at time.Time) {
		mark = fmt.Sprintf("Measured edit number %d %d.", i, time.Now().UnixNano())
		at = time.Now()
		writeFile(t, dir, file, orig+"\n"+mark+"\n")
		return mark, at
	}
	const rounds = 15
	var served, inMemory, rebuild []time.Duration
	var first string
	for i := 0; i < rounds; i++ {
		mu.Lock()
		nb := len(*builds)
		mu.Unlock()
		mark, at := edit(i)
		ts.waitFor(page, 60*time.Second, "the edit", func(code int, body string) bool { return strings.Contains(body, mark) })
		d := time.Since(at)
		time.Sleep(150 * time.Millisecond)
		mu.Lock()
		var b Rebuilt
		for _, x := range (*builds)[nb:] {
			if !x.Full || i == 0 {
				b = x
			}
		}
		mu.Unlock()
		if i == 0 {
			first = fmt.Sprintf("%v over HTTP (rebuild %v, full %v, %d pages)", d.Round(time.Millisecond), b.Duration.Round(time.Millisecond), b.Full, b.Pages)
			continue // the first edit of a public story in a --drafts build makes it a preview
		}
		served = append(served, d)
		inMemory = append(inMemory, b.At.Sub(at))
		rebuild = append(rebuild, b.Duration)
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("drafts=%v %s: first edit %s", drafts, page, first)
	t.Logf("drafts=%v %s: edit → in memory: median %v (min %v, max %v); rebuild itself: median %v; edit → served over HTTP: median %v (min %v, max %v); %d edits",
		drafts, page, median(inMemory), slices.Min(inMemory), slices.Max(inMemory), median(rebuild), median(served), slices.Min(served), slices.Max(served), len(served))

	bctx, stop := browsertest.Start(t)
	defer stop()
	// The page itself notes when the edit is on screen: a script that runs
	// in every document (so also after a full reload) watches for the
	// marked sentence and takes the time in the frame after it appears.
	// The browser's clock and the test's are the same system clock.
	const watch = `(function(){
  function check(){
    var m = sessionStorage.getItem("dbMark");
    if (!m || window.dbSeen || !document.body || !document.body.innerText.includes(m)) return;
    window.dbSeen = true;
    requestAnimationFrame(function(){ setTimeout(function(){
      sessionStorage.setItem("dbPainted", String(performance.timeOrigin + performance.now()));
    }, 0); });
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
  document.addEventListener("DOMContentLoaded", check);
})();`
	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watch})
		return err
	}), chromedp.Navigate(ts.url+page)); err != nil {
		t.Fatal(err)
	}
	var painted, overhead []time.Duration
	reloads := 0
	for i := 0; i < rounds; i++ {
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		nb := len(*builds)
		mu.Unlock()
		mark := fmt.Sprintf("Measured browser edit number %d %d.", i, time.Now().UnixNano())
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](fmt.Sprintf(`window.dbTag = 1; window.dbSeen = false; sessionStorage.removeItem("dbPainted"); sessionStorage.setItem("dbMark", %q)`, mark))); err != nil {
			t.Fatal(err)
		}
		at := time.Now()
		writeFile(t, dir, file, orig+"\n"+mark+"\n")
		var ms float64
		deadline := time.Now().Add(30 * time.Second)
		for ms == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("Chromium did not show edit %d within 30s", i)
			}
			time.Sleep(5 * time.Millisecond)
			if v, err := chromedp.Run(bctx, chromedp.Evaluate[string](`sessionStorage.getItem("dbPainted") || ""`)); err == nil && v != "" {
				fmt.Sscan(v, &ms)
			}
		}
		shown := time.UnixMicro(int64(ms * 1000))
		if kept, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.dbTag === 1`)); err == nil && !kept {
			reloads++
		}
		mu.Lock()
		var ready time.Time
		if len(*builds) > nb {
			ready = (*builds)[len(*builds)-1].At
		}
		mu.Unlock()
		if i == 0 {
			continue
		}
		painted = append(painted, shown.Sub(at))
		if !ready.IsZero() {
			overhead = append(overhead, shown.Sub(ready))
		}
	}
	t.Logf("drafts=%v %s: edit → on screen in Chromium (the frame after the new text is in the page): median %v (min %v, max %v); from the new site in memory to the screen: median %v; %d edits, %d by full reload",
		drafts, page, median(painted), slices.Min(painted), slices.Max(painted), median(overhead), len(painted), reloads)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(100 * time.Microsecond)
}
