package serve

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	files := map[string][]byte{
		"index.html":           nil,
		"stories/index.html":   nil,
		"stories/x/index.html": nil,
		"css/site.css":         nil,
		"feed.xml":             nil,
		".well-known/x.txt":    nil,
	}
	for _, tc := range []struct {
		path, name string
		redirect   bool
	}{
		{"/", "index.html", false},
		{"/index.html", "index.html", false},
		{"/stories/", "stories/index.html", false},
		{"/stories", "", true},
		{"/stories/x/", "stories/x/index.html", false},
		{"/stories/x", "", true},
		{"/css/site.css", "css/site.css", false},
		{"/css/site.css/", "", false},
		{"/feed.xml", "feed.xml", false},
		{"/.well-known/x.txt", ".well-known/x.txt", false},
		{"/nope", "", false},
		{"", "", false},
		{"index.html", "", false},
		{"/../index.html", "", false},
		{"/stories/../index.html", "", false},
		{"/stories/..", "", false},
		{"/./index.html", "", false},
		{"//index.html", "", false},
		{"/stories//x/", "", false},
		{"/index.html\x00", "", false},
		{"/css\\site.css", "", false},
	} {
		name, redirect := resolve(files, tc.path)
		if name != tc.name || redirect != tc.redirect {
			t.Errorf("resolve(%q) = %q, %v; want %q, %v", tc.path, name, redirect, tc.name, tc.redirect)
		}
	}
}

func TestRelevant(t *testing.T) {
	root := filepath.FromSlash("/site")
	w := &watcher{root: root}
	for _, tc := range []struct {
		name, rel string
		ok        bool
	}{
		{"/site/site.yaml", "site.yaml", true},
		{"/site/content/stories/a.md", "content/stories/a.md", true},
		{"/site/data/metrics.csv", "data/metrics.csv", true},
		{"/site/layouts/story.html", "layouts/story.html", true},
		{"/site/static/css/site.css", "static/css/site.css", true},
		{"/site/content", "content", true},
		{"/site/public/index.html", "", false},
		{"/site/README.md", "", false},
		{"/site/.git/index", "", false},
		{"/site", "", false},
		{"/elsewhere/site.yaml", "", false},
		{"/site/content/stories/.a.md.swp", "", false},
		{"/site/content/stories/a.md~", "", false},
		{"/site/content/stories/#a.md#", "", false},
		{"/site/content/stories/.#a.md", "", false},
		{"/site/content/stories/4913", "", false},
		{"/site/content/stories/a.md.tmp", "", false},
		{"/site/data/.hidden/x.csv", "", false},
		{"/site/data/observations/doses.xlsx", "data/observations/doses.xlsx", true},
		{"/site/data/metrics.xlsx", "data/metrics.xlsx", true},
		{"/site/data/observations/~$doses.xlsx", "", false},
		{"/site/data/observations/.~lock.doses.xlsx#", "", false},
	} {
		rel, ok := w.relevant(filepath.FromSlash(tc.name))
		if rel != tc.rel || ok != tc.ok {
			t.Errorf("relevant(%q) = %q, %v; want %q, %v", tc.name, rel, ok, tc.rel, tc.ok)
		}
	}
}

func TestInject(t *testing.T) {
	s := New(Options{})
	st := &snapshot{version: 7, files: map[string][]byte{
		"a.html":                  []byte("<html><body><p>x</p></body></html>"),
		"b.html":                  []byte("<P>no body end"),
		"c.html":                  []byte("<BODY>x</BODY></HTML>"),
		"newsletter/1/email.html": []byte("<body>mail</body>"),
		"css/site.css":            []byte("body{}"),
		"text/with-body.txt":      []byte("</body>"),
	}}
	script := `<script src="/_drumbeat/live.js" data-version="7" defer></script>`
	for name, want := range map[string]string{
		"a.html":                  "<html><body><p>x</p>" + script + "</body></html>",
		"b.html":                  "<P>no body end" + script,
		"c.html":                  "<BODY>x" + script + "</BODY></HTML>",
		"newsletter/1/email.html": "<body>mail</body>",
		"css/site.css":            "body{}",
		"text/with-body.txt":      "</body>",
	} {
		if got := string(s.page(st, name)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if string(st.files["a.html"]) != "<html><body><p>x</p></body></html>" {
		t.Error("inject changed the built file")
	}
}

func TestOverlayEscapes(t *testing.T) {
	html := overlayHTML([]Problem{{Pos: `content/stories/<x>.md:3:1`, Msg: `metric "<script>alert(1)</script>" is unknown`, Hint: `did you mean "a&b"?`}})
	for _, bad := range []string{"<script>", "<x>", `"a&b"`} {
		if strings.Contains(html, bad) {
			t.Errorf("the overlay holds %q unescaped:\n%s", bad, html)
		}
	}
	for _, want := range []string{"content/stories/&lt;x&gt;.md:3:1", "&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;", "1 problem"} {
		if !strings.Contains(html, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, html)
		}
	}
}

func TestContentType(t *testing.T) {
	for name, want := range map[string]string{
		"index.html":             "text/html; charset=utf-8",
		"css/site.css":           "text/css; charset=utf-8",
		"js/charts.js":           "text/javascript; charset=utf-8",
		"images/a.SVG":           "image/svg+xml",
		"feed.xml":               "application/xml; charset=utf-8",
		"newsletter/feed.json":   "application/feed+json; charset=utf-8",
		"robots.txt":             "text/plain; charset=utf-8",
		"briefing/card.png":      "image/png",
		"fonts/a.woff2":          "font/woff2",
		"newsletter/1/email.eml": "message/rfc822",
	} {
		if got := contentType(name, nil); got != want {
			t.Errorf("contentType(%q) = %q, want %q", name, got, want)
		}
	}
	if got := contentType("noext", []byte("\x89PNG\r\n\x1a\n")); got != "image/png" {
		t.Errorf("sniffed %q", got)
	}
}

func TestBuildingPage(t *testing.T) {
	s := New(Options{})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313/stories/", nil)
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1313}
	s.ServeHTTP(rec, req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, local)))
	body := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(body, "Building the site") ||
		!strings.Contains(body, `<script src="/_drumbeat/live.js" data-version="0" defer></script></body>`) {
		t.Errorf("before the first build: %d\n%s", rec.Code, body)
	}
}

// TestServeUnicodePaths checks that pages at addresses outside ASCII (tags
// and stories in any script, see package slug) are served when the
// browser asks for them percent-encoded, and that the redirect to a
// folder's slash is percent-encoded too (net/http's Redirect encodes
// what is not ASCII).
func TestServeUnicodePaths(t *testing.T) {
	s := New(Options{})
	s.state.Store(&snapshot{files: map[string][]byte{
		"tags/健康/index.html":       []byte("<!doctype html><p>health</p>"),
		"tags/здоровье/index.html": []byte("<!doctype html><p>zdorovye</p>"),
		"tags/sante/index.html":    []byte("<!doctype html><p>sante</p>"),
	}, version: 1})
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1313}
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+target, nil)
		s.ServeHTTP(rec, req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, local)))
		return rec
	}
	for target, want := range map[string]string{
		"/tags/%E5%81%A5%E5%BA%B7/":                               "health",
		"/tags/%e5%81%a5%e5%ba%b7/":                               "health",
		"/tags/%D0%B7%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D1%8C%D0%B5/": "zdorovye",
		"/tags/sante/":                                            "sante",
	} {
		if rec := get(target); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s = %d\n%s", target, rec.Code, rec.Body)
		}
	}
	rec := get("/tags/%E5%81%A5%E5%BA%B7?x=1")
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusMovedPermanently || !strings.EqualFold(loc, "/tags/%E5%81%A5%E5%BA%B7/?x=1") {
		t.Errorf("GET /tags/%%E5%%81%%A5%%E5%%BA%%B7 = %d, Location %q", rec.Code, loc)
	}
	if rec := get("/tags/sant%C3%A9/"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /tags/santé/ = %d, want 404", rec.Code)
	}
}
