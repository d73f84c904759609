package serve

import (
	"bytes"
	_ "embed"
	"fmt"
	"hash/crc64"
	"html"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/deploy/headers"
)

// The dev server's own addresses. They are answered before the site's
// files, which never use the /_drumbeat/ prefix.
const (
	eventsPath = "/_drumbeat/events"
	scriptPath = "/_drumbeat/live.js"
)

//go:embed live.js
var liveJS []byte

// contentType is the Content-Type the site's hosting gets from drumbeat
// deploy for the same file (one table, generator/deploy/headers), so the
// preview serves each file as the published site will.
func contentType(name string, data []byte) string {
	return headers.ContentType(name, data[:min(len(data), 512)])
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// ServeHTTP serves the files of the last good build, the reload stream
// and its script, to requests sent to one of the server's own names
// (see host.go); others are refused.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if !s.hostAllowed(r) {
		s.refuse(w, r, fmt.Sprintf("This request was sent to %q, which is not this server's address.", r.Host))
		return
	}
	switch r.URL.Path {
	case eventsPath:
		if !s.sameOrigin(r) {
			s.refuse(w, r, "The reload stream answers only the preview's own pages, and this request came from another site.")
			return
		}
		s.events(w, r)
		return
	case scriptPath:
		s.send(w, r, "live.js", liveJS, http.StatusOK)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.state.Load()
	name, redirect := resolve(st.files, r.URL.Path)
	if s.stale.Load() && putOff(name, r.URL.Path) {
		// The feeds (and the chart images they show) wait for a request.
		if !s.awaitFlush(r) {
			return
		}
		st = s.state.Load()
		name, redirect = resolve(st.files, r.URL.Path)
	}
	switch {
	case redirect:
		target := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	case name != "":
		s.send(w, r, name, s.page(st, name), http.StatusOK)
	default:
		s.notFound(w, r, st)
	}
}

// putOff reports whether a request may be for a file a story edit put
// off: a feed (XML or JSON), or an image that is not there yet.
func putOff(name, urlPath string) bool {
	switch strings.ToLower(path.Ext(urlPath)) {
	case ".xml", ".json":
		return true
	case ".png":
		return name == ""
	}
	return false
}

// awaitFlush asks the build loop to write what was put off and waits for
// it. It returns false when the request or the server ended first.
func (s *Server) awaitFlush(r *http.Request) bool {
	done := make(chan struct{})
	select {
	case s.flushes <- done:
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
	select {
	case <-done:
		return true
	case <-r.Context().Done():
		return false
	}
}

// resolve maps a request path to a file of the site: "/" and "/x/" to
// their index.html. A path to a folder without its slash asks for a
// redirect. Paths with "..", "." or empty segments, backslashes or NUL are
// refused (""), whatever the files hold.
func resolve(files map[string][]byte, urlPath string) (name string, redirect bool) {
	if !strings.HasPrefix(urlPath, "/") || strings.ContainsAny(urlPath, "\\\x00") {
		return "", false
	}
	rel := urlPath[1:]
	dir := rel == "" || strings.HasSuffix(rel, "/")
	if dir {
		rel += "index.html"
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	if _, ok := files[rel]; ok {
		return rel, false
	}
	if !dir {
		if _, ok := files[rel+"/index.html"]; ok {
			return "", true
		}
	}
	return "", false
}

// notFound answers with the site's 404 page, or a plain one; before the
// first build has ended, with a page that says the site is being built.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *snapshot) {
	if _, ok := st.files["404.html"]; ok {
		s.send(w, r, "404.html", s.page(st, "404.html"), http.StatusNotFound)
		return
	}
	body := []byte("<!doctype html><html lang=en><head><meta charset=utf-8><title>Not found</title></head><body><h1>Not found</h1></body></html>")
	status := http.StatusNotFound
	switch {
	case len(st.files) == 0 && len(st.errs) == 0:
		body = []byte("<!doctype html><html lang=en><head><meta charset=utf-8><title>Building…</title></head><body><h1>Building the site…</h1><p>This page shows it as soon as it is built.</p></body></html>")
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
	case len(st.files) == 0:
		body = []byte("<!doctype html><html lang=en><head><meta charset=utf-8><title>Not built</title></head><body><h1>The site did not build</h1></body></html>")
	}
	s.send(w, r, "404.html", s.inject(st, body), status)
}

// page returns a file of the site, with the reload script (and the
// problems, if the last build failed) added to HTML pages.
func (s *Server) page(st *snapshot, name string) []byte {
	data := st.files[name]
	if strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, "/email.html") {
		return s.inject(st, data)
	}
	return data
}

// inject adds the reload script, and the overlay when the last build
// failed, before </body>. The built files are not changed.
func (s *Server) inject(st *snapshot, page []byte) []byte {
	var add bytes.Buffer
	if len(st.errs) > 0 {
		add.WriteString(overlayHTML(st.errs))
	}
	fmt.Fprintf(&add, `<script src="%s" data-version="%d" defer></script>`, scriptPath, st.version)
	at := lastIndexFold(page, []byte("</body>"))
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(out, page[:at]...)
	out = append(out, add.Bytes()...)
	return append(out, page[at:]...)
}

func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// overlayStyle is the overlay's look, shared by the server's markup and
// the script's.
const overlayStyle = `position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;` +
	`background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace`

// overlayHTML lists the problems of a failed build, every one escaped.
func overlayHTML(errs []Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="drumbeat-errors" role="alert" style="%s">`, overlayStyle)
	fmt.Fprintf(&b, `<p style="margin:0 0 1rem;font-size:1.2rem;color:#ff8a80">The site did not build: %s</p><ul style="margin:0;padding:0;list-style:none">`,
		html.EscapeString(plural(len(errs), "problem")))
	for _, e := range errs {
		b.WriteString(`<li style="margin:0 0 .75rem">`)
		if e.Pos != "" {
			fmt.Fprintf(&b, `<span style="color:#80d8ff">%s</span>: `, html.EscapeString(e.Pos))
		}
		b.WriteString(html.EscapeString(e.Msg))
		if e.Hint != "" {
			fmt.Fprintf(&b, ` <span style="color:#bbb">(%s)</span>`, html.EscapeString(e.Hint))
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul><p style="margin:1rem 0 0;color:#bbb">Fix the file and save it: this page reloads by itself. It shows the last site that built.</p></div>`)
	return b.String()
}

// send writes data with its content type. Conditional and range requests
// are answered by http.ServeContent; nothing is cached without asking.
func (s *Server) send(w http.ResponseWriter, r *http.Request, name string, data []byte, status int) {
	h := w.Header()
	h.Set("Content-Type", contentType(name, data))
	h.Set("Cache-Control", "no-cache")
	if status != http.StatusOK {
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, len(data), crc64.Checksum(data, crcTable)))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
