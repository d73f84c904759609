package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// subscribers are the open reload streams. Each has a channel of one
// slot: a notice that the state changed. A slow reader misses nothing,
// since it reads the latest state when it wakes.
type subscribers struct {
	mu sync.Mutex
	m  map[chan struct{}]bool
}

func (s *subscribers) add() chan struct{} {
	c := make(chan struct{}, 1)
	s.mu.Lock()
	if s.m == nil {
		s.m = map[chan struct{}]bool{}
	}
	s.m[c] = true
	s.mu.Unlock()
	return c
}

func (s *subscribers) remove(c chan struct{}) {
	s.mu.Lock()
	delete(s.m, c)
	s.mu.Unlock()
}

func (s *subscribers) notify() {
	s.mu.Lock()
	for c := range s.m {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
}

// eventState is the data of every event: the version of the site served
// and the problems of the last build. A page reloads when the version is
// not its own and there are no problems; it shows the problems otherwise.
type eventState struct {
	Version int64     `json:"version"`
	Errors  []Problem `json:"errors"`
}

// keepAlive is how often an idle stream sends a comment, so that a
// closed page is noticed.
const keepAlive = 20 * time.Second

// events streams the server's state as server-sent events: "hello" when
// the stream opens, then "reload" after each good build and "errors"
// after each failed one.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	c := s.subs.add()
	defer s.subs.remove(c)
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	send := func(event string) bool {
		st := s.state.Load()
		data, _ := json.Marshal(eventState{Version: st.version, Errors: st.errs})
		if event == "" {
			event = "reload"
			if len(st.errs) > 0 {
				event = "errors"
			}
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if _, err := fmt.Fprint(w, "retry: 500\n\n"); err != nil || !send("hello") {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-c:
			if !send("") {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
