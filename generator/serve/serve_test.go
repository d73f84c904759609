package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/scaffold"
)

// exampleDir is the repository root, which holds the example partnership.
const exampleDir = "../.."

var exampleNow = generator.Day(2026, 11, 27)

// A story in no newsletter issue (so that an edit re-renders only a few
// pages); copyExample turns approval off, so editing it keeps it public.
const (
	lessonFile = "content/stories/2025-06-18-text-reminders-second-doses.md"
	lessonURL  = "stories/text-reminders-second-doses/"
)

// The small site is drumbeat new's, with approval turned off so that an
// edited story stays public. Most tests use it: it builds in a moment,
// even under the race detector.
const (
	storyFile = "content/stories/first-story.md"
	storyURL  = "stories/first-story/"
)

func smallSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Write(dir); err != nil {
		t.Fatal(err)
	}
	turnOffApproval(t, dir)
	return dir
}

func turnOffApproval(t *testing.T, dir string) {
	t.Helper()
	gov := readFile(t, dir, "data/governance.yaml")
	if !strings.Contains(gov, "approval_required: true") {
		t.Fatal("data/governance.yaml no longer says approval_required: true")
	}
	writeFile(t, dir, "data/governance.yaml", strings.Replace(gov, "approval_required: true", "approval_required: false", 1))
}

// copyExample copies the example site's sources into a new folder.
func copyExample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"content", "data", "static", "layouts"} {
		src := filepath.Join(exampleDir, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(exampleDir, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, "site.yaml", string(b))
	turnOffApproval(t, dst)
	return dst
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// testServer is a dev server running in the test on a free port.
type testServer struct {
	t    *testing.T
	dir  string
	url  string
	srv  *Server
	stop context.CancelFunc
	done chan error

	mu     sync.Mutex
	builds []Rebuilt
	logs   []string
}

func startServer(t *testing.T, dir string, drafts bool) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, dir: dir, url: URL(ln.Addr()), done: make(chan error, 1)}
	ts.srv = New(Options{
		Build: generator.Options{Source: dir, Now: exampleNow, Drafts: drafts},
		Logf: func(format string, args ...any) {
			ts.mu.Lock()
			ts.logs = append(ts.logs, fmt.Sprintf(format, args...))
			ts.mu.Unlock()
		},
	})
	ts.srv.rebuilt = func(r Rebuilt) {
		ts.mu.Lock()
		ts.builds = append(ts.builds, r)
		ts.mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts.stop = cancel
	go func() { ts.done <- ts.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop within 10s")
		}
	})
	for deadline := time.Now().Add(60 * time.Second); ts.buildCount() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no first build within 60s")
		}
	}
	if code, _ := ts.get(""); code != http.StatusOK {
		t.Fatalf("GET / = %d after the first build; log:\n%s", code, ts.log())
	}
	return ts
}

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// siteCSS returns the path of the site's stylesheet, which is published
// under a fingerprinted name (css/site.1a2b3c4d5e.css), as the home page
// links to it.
func (ts *testServer) siteCSS() string {
	ts.t.Helper()
	_, home := ts.get("")
	m := regexp.MustCompile(`href="(css/site\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(home)
	if m == nil {
		ts.t.Fatal("the home page links to no css/site.<hash>.css")
	}
	return m[1]
}

func (ts *testServer) get(path string) (int, string) {
	ts.t.Helper()
	resp, err := client.Get(ts.url + path)
	if err != nil {
		ts.t.Fatalf("GET /%s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("GET /%s: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

func (ts *testServer) log() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return strings.Join(ts.logs, "\n")
}

func (ts *testServer) lastBuild() Rebuilt {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.builds[len(ts.builds)-1]
}

func (ts *testServer) buildCount() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.builds)
}

// waitFor polls the page until ok holds, for at most d.
func (ts *testServer) waitFor(path string, d time.Duration, what string, ok func(code int, body string) bool) (int, string) {
	ts.t.Helper()
	deadline := time.Now().Add(d)
	for {
		code, body := ts.get(path)
		if ok(code, body) {
			return code, body
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("/%s: %s did not happen within %v (status %d); log:\n%s", path, what, d, code, ts.log())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServeEditStory(t *testing.T) {
	dir := copyExample(t)
	ts := startServer(t, dir, false)
	code, body := ts.get(lessonURL)
	if code != http.StatusOK || !strings.Contains(body, "reminder") {
		t.Fatalf("GET /%s = %d", lessonURL, code)
	}
	if !strings.Contains(body, `<script src="/_drumbeat/live.js" data-version="1" defer></script></body>`) {
		t.Error("the page has no reload script before </body>")
	}
	if strings.Contains(body, "drumbeat-errors") {
		t.Error("a good build shows the error overlay")
	}
	start := time.Now()
	writeFile(t, dir, lessonFile, readFile(t, dir, lessonFile)+"\nThe freezers were checked twice a day by Wilhelmina.\n")
	ts.waitFor(lessonURL, slack*time.Second, "the new text", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "checked twice a day by Wilhelmina")
	})
	t.Logf("edit visible over HTTP after %v", time.Since(start))
	if b := ts.lastBuild(); b.Full || b.Pages == 0 {
		t.Errorf("editing a story made %+v, want a partial rebuild", b)
	}
	if !strings.Contains(ts.log(), "rebuilt in ") {
		t.Errorf("no rebuild line in the log:\n%s", ts.log())
	}
}

func TestServeErrorOverlay(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	good := readFile(t, dir, "data/metrics.csv")
	lines := strings.Split(good, "\n")
	// Line 2 is people_reached; its baseline becomes ambiguous, with a tag
	// in it that must come out escaped.
	bad := strings.Replace(lines[1], ",0,5000,", `,"1,5<b>",5000,`, 1)
	if bad == lines[1] {
		t.Fatalf("line 2 of metrics.csv is not what the test expects: %s", lines[1])
	}
	lines[1] = bad
	writeFile(t, dir, "data/metrics.csv", strings.Join(lines, "\n"))
	_, body := ts.waitFor("", 30*time.Second, "the error overlay", func(code int, body string) bool {
		return strings.Contains(body, `id="drumbeat-errors"`)
	})
	if !strings.Contains(body, "data/metrics.csv:2") {
		t.Errorf("the overlay does not name data/metrics.csv:2:\n%s", overlayOf(body))
	}
	if strings.Contains(overlayOf(body), "<b>") || !strings.Contains(body, "&lt;b&gt;") {
		t.Errorf("the overlay does not escape the message:\n%s", overlayOf(body))
	}
	if !strings.Contains(body, "Our Partnership") {
		t.Error("the last good page is not shown under the overlay")
	}
	if !strings.Contains(ts.log(), "build failed: ") {
		t.Errorf("no failure line in the log:\n%s", ts.log())
	}
	// The other pages show it too; the 404 page as well.
	if code, body := ts.get("no/such/page/"); code != 404 || !strings.Contains(body, "data/metrics.csv:2") {
		t.Errorf("404 page: %d, overlay %v", code, strings.Contains(body, "data/metrics.csv:2"))
	}

	writeFile(t, dir, "data/metrics.csv", good)
	ts.waitFor("", 30*time.Second, "recovery", func(code int, body string) bool {
		return code == 200 && !strings.Contains(body, "drumbeat-errors") && strings.Contains(body, `data-version="2"`)
	})
}

func overlayOf(body string) string {
	i := strings.Index(body, `<div id="drumbeat-errors"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</div>")
	return body[i : i+j]
}

func TestServeEvents(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	resp, err := http.Get(ts.url + "_drumbeat/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	events := make(chan [2]string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				events <- [2]string{name, v}
			}
		}
		close(events)
	}()
	next := func() (string, eventState) {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			var st eventState
			if err := json.Unmarshal([]byte(ev[1]), &st); err != nil {
				t.Fatalf("event data %q: %v", ev[1], err)
			}
			return ev[0], st
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5s")
		}
		panic("unreachable")
	}
	if name, st := next(); name != "hello" || st.Version != 1 || len(st.Errors) != 0 {
		t.Fatalf("first event %s %+v, want hello at version 1", name, st)
	}
	writeFile(t, dir, storyFile, readFile(t, dir, storyFile)+"\nOne more line.\n")
	if name, st := next(); name != "reload" || st.Version != 2 {
		t.Fatalf("after an edit: %s %+v, want reload at version 2", name, st)
	}
	writeFile(t, dir, storyFile, readFile(t, dir, storyFile)+"\nA figure {{no_such_metric}}.\n")
	name, st := next()
	if name != "errors" || st.Version != 2 || len(st.Errors) != 1 || !strings.HasPrefix(st.Errors[0].Pos, storyFile+":") {
		t.Fatalf("after a bad edit: %s %+v, want errors at %s", name, st, storyFile)
	}
}

func TestServeFeedsCatchUp(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	writeFile(t, dir, storyFile, strings.Replace(readFile(t, dir, storyFile), "title: ", "title: Retitled ", 1))
	ts.waitFor(storyURL, 5*time.Second, "the new title", func(code int, body string) bool {
		return strings.Contains(body, "Retitled ")
	})
	if b := ts.lastBuild(); b.Full {
		t.Fatalf("a story edit made a full build")
	}
	// The feeds were put off; asking for one writes them first.
	for _, feed := range []string{"feed.xml", "index.xml"} {
		if code, body := ts.get(feed); code != 200 || !strings.Contains(body, "Retitled ") {
			t.Errorf("/%s: %d, new title %v", feed, code, strings.Contains(body, "Retitled "))
		}
	}
	if !strings.Contains(ts.log(), "feeds written in ") {
		t.Errorf("no feeds line in the log:\n%s", ts.log())
	}
}

func TestServePaths(t *testing.T) {
	dir := copyExample(t)
	ts := startServer(t, dir, false)
	host := strings.TrimSuffix(strings.TrimPrefix(ts.url, "http://"), "/")
	// Raw requests: an HTTP client would clean these paths.
	for _, path := range []string{
		"/../site.yaml", "/../../../../etc/passwd", "/%2e%2e/site.yaml", "/stories/..%2f..%2fsite.yaml",
		"/css/../../site.yaml", "/%00", "/index.html%00.css", "/..\\site.yaml", "/./index.html", "//etc/passwd",
		"/site.yaml", "/content/stories/", "/data/metrics.csv",
	} {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
		if strings.Contains(string(b), "root:") || strings.Contains(string(b), "base_url") {
			t.Errorf("GET %s leaks a file outside the site", path)
		}
	}
	css := ts.siteCSS()
	cases := []struct {
		path, status, ctype, contains string
	}{
		{"", "200", "text/html; charset=utf-8", "<!doctype html>"},
		{"stories/", "200", "text/html; charset=utf-8", "Stories"},
		{"stories", "301", "", ""},
		{css, "200", "text/css; charset=utf-8", ""},
		{"css/site.css", "404", "", ""}, // published under its fingerprinted name only
		{"feed.xml", "200", "application/atom+xml; charset=utf-8", "<feed"},
		{"robots.txt", "200", "text/plain; charset=utf-8", "User-agent"},
		{"images/mark.svg", "200", "image/svg+xml", "<svg"},
		{"_drumbeat/live.js", "200", "text/javascript; charset=utf-8", "EventSource"},
		{"no-such-page/", "404", "text/html; charset=utf-8", "Page not found"},
	}
	for _, c := range cases {
		resp, err := client.Get(ts.url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := fmt.Sprint(resp.StatusCode); got != c.status {
			t.Errorf("/%s: status %s, want %s", c.path, got, c.status)
		}
		if c.ctype != "" && resp.Header.Get("Content-Type") != c.ctype {
			t.Errorf("/%s: Content-Type %q, want %q", c.path, resp.Header.Get("Content-Type"), c.ctype)
		}
		if !strings.Contains(string(b), c.contains) {
			t.Errorf("/%s does not hold %q", c.path, c.contains)
		}
		isHTML := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && resp.StatusCode != 301
		if strings.Contains(string(b), "/_drumbeat/live.js") != isHTML && c.path != "_drumbeat/live.js" {
			t.Errorf("/%s: the reload script is added to HTML pages only", c.path)
		}
	}
	if resp, err := client.Get(ts.url + "stories"); err == nil {
		if loc := resp.Header.Get("Location"); loc != "/stories/" {
			t.Errorf("/stories redirects to %q", loc)
		}
		resp.Body.Close()
	}
	// HEAD, conditional requests, and methods that are not allowed.
	req, _ := http.NewRequest(http.MethodHead, ts.url+css, nil)
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Fatalf("HEAD: %v %v", err, resp)
	}
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, ts.url+css, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %v %v", err, resp.Status)
	} else {
		resp.Body.Close()
	}
	if resp, err := client.Post(ts.url, "text/plain", strings.NewReader("x")); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", err, resp.Status)
	} else {
		resp.Body.Close()
	}
	// Nothing was written into the site folder.
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/")
	}
}

func TestServeConcurrentRequests(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	const n = 1000
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	paths := []string{"", "stories/", storyURL, ts.siteCSS(), "partners/", "scorecard/", "no-such-page/"}
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered, failed := 0, []string{}
	begin := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-begin
			p := paths[i%len(paths)]
			resp, err := c.Get(ts.url + p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, err.Error())
				return
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			want := 200
			if p == "no-such-page/" {
				want = 404
			}
			if err != nil || resp.StatusCode != want {
				failed = append(failed, fmt.Sprintf("/%s: %d %v", p, resp.StatusCode, err))
				return
			}
			answered++
		}(i)
	}
	close(begin)
	wg.Wait()
	took := time.Since(start)
	if answered != n {
		t.Fatalf("%d of %d requests answered; first failures: %q", answered, n, failed[:min(5, len(failed))])
	}
	if took > 20*time.Second {
		t.Errorf("1,000 concurrent requests took %v", took)
	}
	t.Logf("1,000 concurrent requests answered in %v", took)
}

func TestServeWatchesNewFoldersAndAtomicSaves(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	story := readFile(t, dir, storyFile)
	// A folder made after start, then a story in it.
	if err := os.MkdirAll(filepath.Join(dir, "content/stories/2027"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the new folder's watch be added
	writeFile(t, dir, "content/stories/2027/new-lesson.md", strings.Replace(story, "title: ", "title: Freshly made ", 1))
	ts.waitFor("stories/new-lesson/", 30*time.Second, "the story in the new folder", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "Freshly made ")
	})
	// An editor's atomic save: write a temporary file, rename it over.
	tmp := filepath.Join(dir, "content/stories/.new-lesson.md.swp")
	if err := os.WriteFile(tmp, []byte(strings.Replace(story, "title: ", "title: Saved atomically ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "content/stories/2027/new-lesson.md")); err != nil {
		t.Fatal(err)
	}
	ts.waitFor("stories/new-lesson/", 30*time.Second, "the atomically saved text", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "Saved atomically ")
	})
	// site.yaml, written directly.
	writeFile(t, dir, "site.yaml", strings.Replace(readFile(t, dir, "site.yaml"), "title: Our Partnership", "title: Our Renamed Partnership", 1))
	ts.waitFor("", 30*time.Second, "the new title", func(code int, body string) bool {
		return strings.Contains(body, "Our Renamed Partnership")
	})
	// Removing the story's folder takes the story away.
	if err := os.RemoveAll(filepath.Join(dir, "content/stories/2027")); err != nil {
		t.Fatal(err)
	}
	ts.waitFor("stories/new-lesson/", 30*time.Second, "the story gone", func(code int, body string) bool {
		return code == 404
	})
}

// TestServeRenameAwaySave saves the way some editors do: rename the file
// to a backup, then write the new one. The story must not be taken for
// deleted in between.
func TestServeRenameAwaySave(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	before := ts.buildCount()
	story := readFile(t, dir, storyFile)
	full := filepath.Join(dir, filepath.FromSlash(storyFile))
	if err := os.Rename(full, full+"~"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	writeFile(t, dir, storyFile, story+"\nSaved the old-fashioned way.\n")
	os.Remove(full + "~")
	ts.waitFor(storyURL, 5*slack*time.Second, "the saved text", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "Saved the old-fashioned way.")
	})
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, b := range ts.builds[before:] {
		if b.Full || len(b.Problems) > 0 {
			t.Errorf("a build while the file was away: %+v", b)
		}
	}
}

func TestServeDebouncesBursts(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	before := ts.buildCount()
	story := readFile(t, dir, storyFile)
	for i := 0; i < 30; i++ {
		writeFile(t, dir, storyFile, story+fmt.Sprintf("\nBurst line %d.\n", i))
	}
	ts.waitFor(storyURL, 5*time.Second, "the last write", func(code int, body string) bool {
		return strings.Contains(body, "Burst line 29.")
	})
	time.Sleep(200 * time.Millisecond)
	if n := ts.buildCount() - before; n > 3 {
		t.Errorf("30 writes in a burst made %d rebuilds", n)
	}
	// Files the site is not made from do not rebuild it.
	before = ts.buildCount()
	writeFile(t, dir, "public/index.html", "x")
	writeFile(t, dir, "content/stories/notes.txt~", "x")
	writeFile(t, dir, "README.md", "x")
	time.Sleep(300 * time.Millisecond)
	if n := ts.buildCount() - before; n != 0 {
		t.Errorf("changes outside the sources made %d rebuilds", n)
	}
}

func TestServeStopsWithOpenStreams(t *testing.T) {
	dir := smallSite(t)
	ts := startServer(t, dir, false)
	resp, err := http.Get(ts.url + "_drumbeat/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ts.stop()
	select {
	case err := <-ts.done:
		ts.done <- err // for the cleanup
	case <-time.After(6 * time.Second):
		t.Fatal("Serve did not return within 6s of the stop")
	}
	if _, err := io.ReadAll(resp.Body); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("stream ended with %v", err)
	}
}

func TestFirstBuildFails(t *testing.T) {
	dir := smallSite(t)
	writeFile(t, dir, "data/partners.yaml", "- id: [\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, url: URL(ln.Addr())}
	srv := New(Options{Build: generator.Options{Source: dir, Now: exampleNow}})
	built := make(chan struct{}, 1)
	srv.rebuilt = func(Rebuilt) { built <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-done
	}()
	<-built
	code, body := ts.get("")
	if code != 404 || !strings.Contains(body, "data/partners.yaml:1") || !strings.Contains(body, "/_drumbeat/live.js") {
		t.Errorf("GET / with no good build: %d\n%s", code, body)
	}
}
