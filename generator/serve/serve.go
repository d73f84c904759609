// Package serve is drumbeat's dev server: it builds a site into memory,
// serves it over HTTP, watches the site's files and builds again on every
// change, and makes open pages reload by themselves. A build that fails
// leaves the last good site served, with an overlay listing every problem.
//
// It owns the file watching (fsnotify); the pipeline's stages know nothing
// of it. Rebuilds go through generator.Session, which re-renders only the
// pages that show an edited story.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/render"
)

// Options configure a Server.
type Options struct {
	// Build says what to build: Source, Drafts, Now, BaseURL. Output is
	// not used; nothing is written to disk.
	Build generator.Options
	// Quiet is how long the files must stay unchanged before a rebuild,
	// so that a burst of changes (an editor's save, a git checkout) makes
	// one rebuild. 15ms when zero: an editor's save takes a millisecond or
	// two, and every millisecond here is one more before the page shows
	// the edit.
	Quiet time.Duration
	// MaxWait caps the wait for quiet during a long burst. 250ms when zero.
	MaxWait time.Duration
	// Hosts are more names or addresses the server answers to, besides
	// localhost, 127.0.0.1, [::1] and the address a request came in on:
	// what was given to --bind. Requests for any other Host are refused.
	Hosts []string
	// Logf, when set, receives one line per event: the address served,
	// each rebuild, each failed build.
	Logf func(format string, args ...any)
}

// Server builds, watches and serves one site.
type Server struct {
	opt     Options
	session *generator.Session
	state   atomic.Pointer[snapshot]
	subs    subscribers
	closing chan struct{}
	rebuilt func(Rebuilt) // for tests: called after every build

	// stale is set while the session holds files it put off (the feeds
	// after a story edit); a request for them asks the build loop, on
	// flushes, to write them first.
	stale   atomic.Bool
	flushes chan chan struct{}
}

// snapshot is what the server shows: the files of the last good build
// and the problems of the last build, if it failed.
type snapshot struct {
	files   map[string][]byte
	version int64 // counts good builds; pages reload when it changes
	errs    []Problem
}

// Problem is one problem of a failed build, as the overlay shows it.
type Problem struct {
	Pos  string `json:"pos"`  // path:line:col, or "" when unknown
	Msg  string `json:"msg"`  // what is wrong
	Hint string `json:"hint"` // how to fix it; may be empty
}

// Text is the problem as drumbeat prints it: "path:line: message (hint)".
func (p Problem) Text() string {
	s := p.Msg
	if p.Pos != "" {
		s = p.Pos + ": " + s
	}
	if p.Hint != "" {
		s += " (" + p.Hint + ")"
	}
	return s
}

// Rebuilt describes one build the server made.
type Rebuilt struct {
	Changed  []string // the files that changed; nil for the first build
	Full     bool
	Pages    int
	Problems []Problem // set when the build failed
	Duration time.Duration
	At       time.Time // when the new state was in place
}

// New returns a server for the site opt describes.
func New(opt Options) *Server {
	if opt.Quiet <= 0 {
		opt.Quiet = 15 * time.Millisecond
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 250 * time.Millisecond
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	s := &Server{opt: opt, session: generator.NewSession(opt.Build), closing: make(chan struct{}), flushes: make(chan chan struct{})}
	s.state.Store(&snapshot{files: map[string][]byte{}})
	return s
}

// URL returns the address to open for a server listening on addr.
func URL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// Serve serves the site on ln, builds it, and rebuilds it on every change
// until ctx is done. It returns nil after a clean stop. Until the first
// build ends, pages say the site is being built (and reload when it is);
// a site that does not build is served all the same, showing its problems.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := newWatcher(s.opt.Build.Source)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.close()

	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Changes made during the first build wait in the watcher.
		s.rebuild(ctx, nil)
		if ctx.Err() != nil {
			return
		}
		title := s.session.Title()
		if title == "" {
			title = s.opt.Build.Source
		}
		s.opt.Logf("serving %s at %s (Ctrl-C to stop)", title, URL(ln.Addr()))
		s.watch(ctx, w)
	}()

	select {
	case <-ctx.Done():
	case err = <-served:
	}
	cancel()
	close(s.closing) // event streams end, so Shutdown does not wait for them
	shut, cancelShut := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelShut()
	if serr := srv.Shutdown(shut); serr != nil {
		srv.Close()
	}
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rebuild builds after the changes and puts the result in place.
func (s *Server) rebuild(ctx context.Context, changed []string) {
	sink := newMemSink()
	res, err := s.session.Build(ctx, changed, sink)
	if ctx.Err() != nil {
		return
	}
	cur := s.state.Load()
	if err == nil && !res.Full && len(sink.files) == 0 && len(cur.errs) == 0 {
		return // only files the site is not made from changed
	}
	next := &snapshot{files: cur.files, version: cur.version}
	info := Rebuilt{Changed: changed, Full: res.Full, Duration: res.Duration}
	if err != nil {
		next.errs = problems(err)
		info.Problems = next.errs
		s.opt.Logf("build failed: %s", plural(len(next.errs), "error"))
		for i, p := range next.errs {
			if i == 10 {
				s.opt.Logf("  … and %d more, in the browser", len(next.errs)-10)
				break
			}
			s.opt.Logf("  %s", p.Text())
		}
	} else {
		if res.Full {
			next.files = sink.files
		} else {
			next.files = maps.Clone(cur.files)
			maps.Copy(next.files, sink.files)
			for p := range sink.removed {
				delete(next.files, p)
			}
		}
		next.version++
		info.Pages = res.Stats.Pages
		what := plural(res.Stats.Pages, "page")
		if res.Full {
			what += " (full build)"
		}
		s.opt.Logf("rebuilt in %s: %s", res.Duration.Round(time.Millisecond), what)
	}
	s.state.Store(next)
	s.stale.Store(s.session.Stale())
	info.At = time.Now()
	s.subs.notify()
	if s.rebuilt != nil {
		s.rebuilt(info)
	}
}

// flush writes the files the session put off and lays them over the
// site served. They are feeds, not pages: open pages do not reload.
func (s *Server) flush(ctx context.Context) {
	sink := newMemSink()
	res, err := s.session.Flush(ctx, sink)
	s.stale.Store(s.session.Stale())
	if err != nil || len(sink.files) == 0 {
		if err != nil && ctx.Err() == nil {
			s.opt.Logf("writing the feeds failed: %v", err)
		}
		return
	}
	cur := s.state.Load()
	next := &snapshot{files: maps.Clone(cur.files), version: cur.version, errs: cur.errs}
	maps.Copy(next.files, sink.files)
	s.state.Store(next)
	s.opt.Logf("feeds written in %s: %s", res.Duration.Round(time.Millisecond), plural(len(sink.files), "file"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// problems lists the errors of a failed build.
func problems(err error) []Problem {
	l := diag.AsList(err)
	if l == nil {
		return []Problem{{Msg: err.Error()}}
	}
	var out []Problem
	for _, e := range l.Errors() {
		out = append(out, Problem{Pos: e.Pos.String(), Msg: e.Msg, Hint: e.Hint})
	}
	if len(out) == 0 {
		out = []Problem{{Msg: err.Error()}}
	}
	return out
}

// memSink keeps a build's files in memory. HTML and the rest are kept
// as rendered: the dev server does not minify.
type memSink struct {
	mu      sync.Mutex
	files   map[string][]byte
	removed map[string]bool // files of the earlier build to take away
}

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}, removed: map[string]bool{}} }

// Remove records that the file of the earlier build at rel is gone (the
// search index's files an edit replaced).
func (m *memSink) Remove(rel string) error {
	m.mu.Lock()
	delete(m.files, rel)
	m.removed[rel] = true
	m.mu.Unlock()
	return nil
}

var _ render.Remover = (*memSink)(nil)

// File keeps a copy of data: the sink does not own what it is handed.
func (m *memSink) File(rel string, data []byte) error {
	data = append([]byte(nil), data...)
	m.mu.Lock()
	m.files[rel] = data
	m.mu.Unlock()
	return nil
}

func (m *memSink) Copy(rel string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.files[rel] = data
	m.mu.Unlock()
	return nil
}

var _ render.Sink = (*memSink)(nil)
