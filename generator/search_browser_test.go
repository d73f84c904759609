package generator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
	"github.com/drumbeat/drumbeat/generator/render/search"
	"github.com/drumbeat/drumbeat/internal/heavy"
)

// searchFor types q into the search page's box (replacing what is there),
// waits for the live region to speak and returns the results' titles.
func searchFor(t *testing.T, b *browser, q string) []string {
	t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(function(){var i=document.getElementById("search-q");i.value="";document.getElementById("search-status").textContent="";document.getElementById("search").dataset.shown="-";return 0})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Focus("#search-q"), chromedp.SendKeys("#search-q", q)); err != nil {
		t.Fatalf("typing %q: %v", q, err)
	}
	return searchResults(t, b, q)
}

// searchResults waits for the live region and returns the titles shown.
func searchResults(t *testing.T, b *browser, what string) []string {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.getElementById("search").dataset.shown === document.getElementById("search-q").value && document.getElementById("search-status").textContent !== ""`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("%s: the live region said nothing: %v", what, err)
	}
	if e, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`window.drumbeatSearchError || ""`)); e != "" {
		t.Fatalf("%s: search.js failed: %s", what, e)
	}
	titles, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#search-results h2")].map(h => h.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	return titles
}

func hasTitle(titles []string, want string) bool {
	for _, s := range titles {
		if s == want {
			return true
		}
	}
	return false
}

// TestBrowserSearch types into the example's search page: a title word, a
// body word, the start of a word, a word with accents the text does not
// have, and a plural the text has in the singular each find the story
// they should, first; the matched words are marked; the kind and year
// filters narrow the results; ?q= follows the box; the arrow keys move
// through the results and Escape goes back and clears; the live region
// counts the results; no request leaves the site; axe-core reports no
// serious violation with results shown.
func TestBrowserSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 1280, 900, true)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if b.eval(t, `document.getElementById("search-nojs").hidden && !document.querySelector(".search-filters").hidden ? 1 : 0`) != 1 {
		t.Fatal("with JavaScript, the page still says search needs it, or hides the filters")
	}
	measles := "Two quarters in a row without a measles outbreak"
	for _, tc := range []struct{ name, q, want string }{
		{"title word", "measles", measles},
		{"body word", "haulier", "Handing over the cold chain: what went well and what we would change"},
		{"prefix", "vacc", "A year of pharmacy vaccine days: what it cost and what it gave"},
		{"accents folded", "Mêâslés", measles},
		{"stemmed", "outbreaks", measles},
		{"two words", "saturday partner", "Six months of Saturday clinics: what each partner got back"},
	} {
		titles := searchFor(t, b, tc.q)
		if !hasTitle(titles, tc.want) {
			t.Errorf("%s: %q finds %q, not %q", tc.name, tc.q, titles, tc.want)
		}
	}
	// Ranking: title matches first; both words in the title first of all.
	if got := searchFor(t, b, "quarters measles"); len(got) == 0 || got[0] != measles {
		t.Errorf("quarters measles: %q, want %q first", got, measles)
	}
	got := searchFor(t, b, "haulier")
	if len(got) != 1 {
		t.Errorf("haulier, a word of one story's body: %q", got)
	}
	searchFor(t, b, "vaccine")
	if titled := b.eval(t, `(function(){var seen=false,ok=1;document.querySelectorAll("#search-results h2").forEach(function(h){var m=h.querySelector("mark")!==null;if(!m)seen=true;else if(seen)ok=0});return ok})()`); titled != 1 {
		t.Error("vaccine: a result with the word in its title comes after one without")
	}
	// The marks: "outbreaks" marks "outbreak" in the title.
	searchFor(t, b, "outbreaks")
	if n := b.eval(t, `[...document.querySelectorAll("#search-results h2 mark")].filter(m => m.textContent === "outbreak").length`); n < 1 {
		t.Error(`"outbreaks" does not mark "outbreak" in the title`)
	}
	if u, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.search`)); u != "?q=outbreaks" {
		t.Errorf("the address says %q, want ?q=outbreaks", u)
	}
	status, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
	if n := b.eval(t, `document.querySelectorAll("#search-results li").length`); !strings.HasPrefix(status, fmt.Sprint(n)+" result") {
		t.Errorf("the live region says %q for %d results", status, n)
	}

	// Filters: "clinics" finds stories and more; kind ROI keeps the ROI
	// story alone, year 2025 only stories of 2025.
	all := searchFor(t, b, "clinics")
	if len(all) < 3 {
		t.Fatalf("clinics finds only %q", all)
	}
	setFilter := func(id, v string) []string {
		chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`(function(){var s=document.getElementById(%q);s.value=%q;document.getElementById("search-status").textContent="";document.getElementById("search").dataset.shown="-";s.dispatchEvent(new Event("change"));return 0})()`, id, v)))
		return searchResults(t, b, id+"="+v)
	}
	if got := setFilter("search-kind", "roi"); len(got) == 0 || len(got) >= len(all) || !hasTitle(got, "Six months of Saturday clinics: what each partner got back") || hasTitle(got, "Lakeside Clinic opens on Saturday mornings from 4 October") {
		t.Errorf("kind roi: %q (of %q)", got, all)
	}
	setFilter("search-kind", "")
	if got := setFilter("search-year", "2025"); len(got) == 0 || len(got) >= len(all) || hasTitle(got, "Six months of Saturday clinics: what each partner got back") {
		t.Errorf("year 2025: %q (of %q)", got, all)
	}
	setFilter("search-year", "")
	if got := setFilter("search-partner", "lakeside-clinic"); len(got) == 0 || len(got) >= len(all) {
		t.Errorf("partner lakeside-clinic: %q (of %q)", got, all)
	}
	setFilter("search-partner", "")

	// Keyboard: ArrowDown from the box to the first result, down again
	// to the second, up twice back to the box; Escape clears it.
	searchFor(t, b, "clinics")
	key := func(k string) {
		if err := chromedp.Do(b.ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
	}
	active := func() string {
		s, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.textContent`))
		return s
	}
	key(kb.ArrowDown)
	if a := active(); a != all[0] {
		t.Errorf("ArrowDown from the box focuses %q, want the first result %q", a, all[0])
	}
	key(kb.ArrowDown)
	if a := active(); a != all[1] {
		t.Errorf("ArrowDown again focuses %q, want %q", a, all[1])
	}
	key(kb.ArrowUp)
	key(kb.ArrowUp)
	if a := active(); a != "search-q" {
		t.Errorf("ArrowUp from the first result focuses %q, want the box", a)
	}
	key(kb.Escape)
	if n := b.eval(t, `document.getElementById("search-q").value === "" && document.querySelectorAll("#search-results li").length === 0 ? 1 : 0`); n != 1 {
		t.Error("Escape does not clear the search")
	}

	// A link from the header's box: ?q= is searched on arrival.
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/search/?q=measles"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if got := searchResults(t, b, "?q=measles"); !hasTitle(got, measles) {
		t.Errorf("?q=measles shows %q", got)
	}
	// The result links lead to the pages.
	if n := b.eval(t, `[...document.querySelectorAll("#search-results a")].filter(a => new URL(a.href).pathname === "/stories/two-quarters-without-measles/" && a.textContent === "`+measles+`").length`); n != 1 {
		t.Error("no result links to the measles story")
	}
	// The script stems as the index does.
	words := []string{"clinics", "studies", "classes", "churches", "running", "planned", "agreed", "trained", "status", "analysis", "bus", "ies", "santé", "vaccinated", "Ñandús"}
	js, _ := json.Marshal(words)
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](string(js)+`.map(w => drumbeatSearch.stem(drumbeatSearch.fold(w)))`))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		if want := search.Stem(search.Fold(w)); got[i] != want {
			t.Errorf("search.js stems %q as %q, Go as %q", w, got[i], want)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %s", strings.Join(b.errors, "; "))
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}

// TestBrowserSearchAccessible runs axe-core on the search page with
// results shown, and checks that without JavaScript the page says search
// needs it and links the archive, the topics and the partners.
func TestBrowserSearchAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	ctx := browsertest.Tab(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.Axe})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/?q=clinics"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#search-results li").length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no results for clinics: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range violations {
		t.Errorf("/search/?q=clinics: axe: %s", s)
	}

	nojs := newBrowser(t, 390, 844, false)
	if err := chromedp.Do(nojs.ctx, chromedp.Navigate(srv.URL+"/search/?q=clinics"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if n := nojs.eval(t, `(function(){var p=document.getElementById("search-nojs");return p && !p.hidden && p.getBoundingClientRect().height > 0 ? p.querySelectorAll("a").length : 0})()`); n != 3 {
		t.Errorf("without JavaScript the page shows %d links instead of search (want the archive, topics and partners)", n)
	}
}

// firstQueryFiles opens the search page at base in a fresh tab, types q
// once the manifest is loaded, waits for the results and returns the
// site paths the page loaded (without the leading slash; the page first,
// the browser's own /favicon.ico left out), sorted after the page.
func firstQueryFiles(t *testing.T, base, q string) []string {
	t.Helper()
	b := newBrowser(t, 1280, 900, true)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(base+"/search/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`performance.getEntriesByType("resource").some(e => /\/search\/index\./.test(e.name))`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatal(err)
	}
	// The whole query at once (searchFor types it a key at a time, and
	// each key is a query).
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`(function(){var i=document.getElementById("search-q");i.value=%q;i.dispatchEvent(new Event("input"));return 0})()`, q))); err != nil {
		t.Fatal(err)
	}
	searchResults(t, b, q)
	paths, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...new Set(performance.getEntriesByType("resource").map(e => new URL(e.name).pathname.slice(1)))].filter(p => p !== "favicon.ico").sort()`))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"search/index.html"}, paths...)
}

// TestBrowserSearchFirstQueryFiles checks that search.FirstQuery, which
// the bench uses to weigh a first query without a browser, names the
// files the search page loads in Chromium for the example's queries: a
// word, a prefix, a stem, two words, a word of one story, none.
func TestBrowserSearchFirstQueryFiles(t *testing.T) {
	heavy.Test(t) // the bench's selection of files: make test-heavy runs it
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	out, _ := builtExample(t, "https://alliance.example.org/")
	for _, q := range []string{"measles", "vacc", "outbreaks", "saturday partner", "haulier", "zzzzqx"} {
		checkFirstQueryFiles(t, out, firstQueryFiles(t, srv.URL, q), q)
	}
}

// checkFirstQueryFiles compares what a browser loaded for q with what
// search.FirstQuery says it loads from the site built in dir.
func checkFirstQueryFiles(t *testing.T, dir string, loaded []string, q string) {
	t.Helper()
	ld, err := search.FirstQuery(os.DirFS(dir), q)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	want := slices.Clone(ld.Files)
	slices.Sort(want[1:])
	if !slices.Equal(loaded, want) {
		t.Errorf("%q: the browser loaded\n%q\nsearch.FirstQuery says\n%q", q, loaded, want)
	}
}
