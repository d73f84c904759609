//go:build engines

// The search page in the engines besides Chromium: Firefox (Gecko) and
// WebKit (WebKitGTK, Safari's engine), driven over WebDriver
// (generator/internal/webdriver). These tests build with the engines tag
// and run in make test-engines, not in make test.

package generator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/internal/webdriver"
	"github.com/drumbeat/drumbeat/generator/render/search"
)

// engineSite is the example site's server for the engine tests, started
// by the first test that has a browser (TestMain's removeBuiltExamples
// removes the build).
var engineSite struct {
	once sync.Once
	srv  *httptest.Server
}

func serveEngineSite(t *testing.T) *httptest.Server {
	t.Helper()
	out, _ := builtExample(t, "https://alliance.example.org/")
	engineSite.once.Do(func() {
		engineSite.srv = httptest.NewServer(http.FileServer(http.Dir(out)))
	})
	return engineSite.srv
}

// TestEnginesSearch types into the example's search page in Firefox and
// in WebKit, with key actions (the browser's own key events, as a reader's
// keyboard makes them): a title word, a body word, the start of a word, a
// word with accents the text does not have and a plural the text has in
// the singular each find the story they should; the live region (role
// status, aria-live) says how many results there are; More results adds
// the next ten and focuses the first; a filter narrows the results;
// ArrowDown moves from the box into the results and ArrowUp back, Escape
// goes back to the box and a second Escape clears it; the script folds
// and stems as the index does; a ?q= address is searched on arrival; and
// every resource the page loaded came from the local server.
func TestEnginesSearch(t *testing.T) {
	defer func() {
		if engineSite.srv != nil {
			engineSite.srv.Close()
		}
	}()
	for _, e := range []struct {
		name  string
		start func(testing.TB) *webdriver.Session
	}{
		{"firefox", webdriver.Firefox},
		{"webkit", webdriver.WebKit},
	} {
		t.Run(e.name, func(t *testing.T) {
			began := time.Now()
			s := e.start(t)
			t.Logf("%s (started in %v)", s.Browser, time.Since(began).Round(time.Millisecond))
			testEngineSearch(t, s, serveEngineSite(t))
			t.Logf("%s: %v in all", s.Browser, time.Since(began).Round(time.Millisecond))
		})
	}
}

func testEngineSearch(t *testing.T, s *webdriver.Session, srv *httptest.Server) {
	exec := func(script string, out any, args ...any) {
		t.Helper()
		if err := s.Exec(script, out, args...); err != nil {
			t.Fatalf("%s: %v", s.Browser, err)
		}
	}
	if err := s.SetWindowSize(1280, 900); err != nil {
		t.Logf("%s: setting the window's size: %v", s.Browser, err)
	}
	if err := s.Navigate(srv.URL + "/search/"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitFor(`return !!window.drumbeatSearch`, 30*time.Second); err != nil {
		var e string
		s.Exec(`return window.drumbeatSearchError || ""`, &e)
		t.Fatalf("search.js did not start: %v %s", err, e)
	}
	var ready int
	exec(`return document.getElementById("search-nojs").hidden && !document.querySelector(".search-filters").hidden ? 1 : 0`, &ready)
	if ready != 1 {
		t.Fatal("with JavaScript, the page still says search needs it, or hides the filters")
	}

	// results waits for the live region to speak for the box's query and
	// returns the titles shown.
	results := func(what string) []string {
		t.Helper()
		if err := s.WaitFor(`var r=document.getElementById("search");return r.dataset.shown === document.getElementById("search-q").value && document.getElementById("search-status").textContent !== ""`, 30*time.Second); err != nil {
			t.Fatalf("%s: the live region said nothing: %v", what, err)
		}
		var e string
		exec(`return window.drumbeatSearchError || ""`, &e)
		if e != "" {
			t.Fatalf("%s: search.js failed: %s", what, e)
		}
		var titles []string
		exec(`return Array.prototype.map.call(document.querySelectorAll("#search-results h2"), function (h) { return h.textContent })`, &titles)
		return titles
	}
	// typeQuery empties the box, clicks it and types q, a key at a time.
	typeQuery := func(q string) []string {
		t.Helper()
		exec(`document.getElementById("search-q").value="";document.getElementById("search-status").textContent="";document.getElementById("search").dataset.shown="-";return 0`, nil)
		if err := s.Click("#search-q"); err != nil {
			t.Fatalf("clicking the box: %v", err)
		}
		if err := s.Keys(q); err != nil {
			t.Fatalf("typing %q: %v", q, err)
		}
		var v string
		exec(`return document.getElementById("search-q").value`, &v)
		if v != q {
			t.Fatalf("typed %q, the box holds %q", q, v)
		}
		return results(fmt.Sprintf("%q", q))
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
		titles := typeQuery(tc.q)
		if !hasTitle(titles, tc.want) {
			t.Errorf("%s: %q finds %q, not %q", tc.name, tc.q, titles, tc.want)
		} else {
			t.Logf("%s: %q finds %d results, %q among them", tc.name, tc.q, len(titles), tc.want)
		}
	}
	if got := typeQuery("haulier"); len(got) != 1 {
		t.Errorf("haulier, a word of one story's body: %q", got)
	}

	// The live region: a status that announces politely, saying the count
	// (of all the results; the page shows ten at a time).
	for _, q := range []string{"measles", "clinics"} {
		titles := typeQuery(q)
		var live struct {
			Role, Live, Text string
			N                int
			More             bool
		}
		exec(`var st=document.getElementById("search-status");return {Role: st.getAttribute("role"), Live: st.getAttribute("aria-live"), Text: st.textContent, N: document.querySelectorAll("#search-results li").length, More: !document.getElementById("search-more").hidden}`, &live)
		var n int
		fmt.Sscanf(live.Text, "%d result", &n)
		if live.Role != "status" || live.Live != "polite" || !strings.HasPrefix(live.Text, fmt.Sprint(n)+" result") || n < len(titles) || len(titles) != live.N || (n > live.N) != live.More {
			t.Errorf("%q: the live region (role %q, aria-live %q) says %q for %d results shown (more: %v)", q, live.Role, live.Live, live.Text, live.N, live.More)
		} else {
			t.Logf("%q: the live region says %q; %d shown", q, live.Text, live.N)
		}
	}
	// "More results" adds the next ten and focuses the first of them.
	if err := s.Click("#search-more"); err != nil {
		t.Fatalf("clicking More results: %v", err)
	}
	if err := s.WaitFor(`return document.querySelectorAll("#search-results li").length > 10`, 30*time.Second); err != nil {
		t.Errorf("More results adds none: %v", err)
	} else {
		var focused int
		exec(`return document.activeElement === document.querySelectorAll("#search-results a")[10] ? 1 : 0`, &focused)
		if focused != 1 {
			t.Error("More results does not focus the first result it adds")
		}
	}

	all := typeQuery("clinics")
	if len(all) < 3 {
		t.Fatalf("clinics finds only %q", all)
	}

	// A filter narrows: kind ROI keeps the ROI story, not the news.
	exec(`var s=document.getElementById("search-kind");s.value="roi";document.getElementById("search-status").textContent="";document.getElementById("search").dataset.shown="-";s.dispatchEvent(new Event("change"));return 0`, nil)
	if got := results("kind=roi"); len(got) == 0 || len(got) >= len(all) || !hasTitle(got, "Six months of Saturday clinics: what each partner got back") || hasTitle(got, "Lakeside Clinic opens on Saturday mornings from 4 October") {
		t.Errorf("kind roi: %q (of %q)", got, all)
	}
	exec(`var s=document.getElementById("search-kind");s.value="";s.dispatchEvent(new Event("change"));return 0`, nil)

	// Keyboard: ArrowDown from the box to the first result, down again to
	// the second, up to the first; Escape back to the box, keeping the
	// query; Escape again clears the box, the results and the live region.
	all = typeQuery("clinics")
	key := func(k string) {
		t.Helper()
		if err := s.Keys(k); err != nil {
			t.Fatal(err)
		}
	}
	active := func() string {
		t.Helper()
		var a string
		exec(`var a=document.activeElement;return a.id || a.textContent`, &a)
		return a
	}
	key(webdriver.ArrowDown)
	if a := active(); a != all[0] {
		t.Errorf("ArrowDown from the box focuses %q, want the first result %q", a, all[0])
	}
	key(webdriver.ArrowDown)
	if a := active(); a != all[1] {
		t.Errorf("ArrowDown again focuses %q, want %q", a, all[1])
	}
	key(webdriver.ArrowUp)
	if a := active(); a != all[0] {
		t.Errorf("ArrowUp focuses %q, want %q", a, all[0])
	}
	key(webdriver.Escape)
	var q string
	exec(`return document.getElementById("search-q").value`, &q)
	if a := active(); a != "search-q" || q != "clinics" {
		t.Errorf("Escape from a result focuses %q with %q in the box, want the box with \"clinics\"", a, q)
	}
	key(webdriver.Escape)
	var cleared int
	exec(`return document.getElementById("search-q").value === "" && document.querySelectorAll("#search-results li").length === 0 && document.getElementById("search-status").textContent === "" ? 1 : 0`, &cleared)
	if cleared != 1 || active() != "search-q" {
		t.Error("Escape in the box does not clear the search, or leaves the box")
	}

	// The script folds and stems as the index does.
	words := []string{"clinics", "studies", "classes", "churches", "running", "planned", "agreed", "trained", "status", "analysis", "bus", "ies", "santé", "vaccinated", "Ñandús"}
	js, _ := json.Marshal(words)
	var stems []string
	exec(`return `+string(js)+`.map(function (w) { return drumbeatSearch.stem(drumbeatSearch.fold(w)) })`, &stems)
	for i, w := range words {
		if want := search.Stem(search.Fold(w)); i >= len(stems) || stems[i] != want {
			t.Errorf("search.js stems %q as %q, Go as %q", w, stems, want)
			break
		}
	}

	checkLocal := func(where string) {
		t.Helper()
		var urls []string
		exec(`return performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).map(function (e) { return e.name })`, &urls)
		var left []string
		for _, u := range urls {
			if !strings.HasPrefix(u, srv.URL+"/") {
				left = append(left, u)
			}
		}
		if len(left) > 0 {
			t.Errorf("%s: requests left %s: %q", where, srv.URL, left)
		} else {
			t.Logf("%s: %d resources, all from %s", where, len(urls), srv.URL)
		}
	}
	checkLocal("/search/")

	// A link from the header's box: ?q= is searched on arrival.
	if err := s.Navigate(srv.URL + "/search/?q=measles"); err != nil {
		t.Fatal(err)
	}
	if got := results("?q=measles"); !hasTitle(got, measles) {
		t.Errorf("?q=measles shows %q", got)
	}
	checkLocal("/search/?q=measles")
}
