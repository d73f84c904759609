package images

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPruneByAge: without --gc, an entry no build used for MaxAge goes
// (at most one sweep a day); an entry a build used, even from the index,
// stays, as its outputs' times are refreshed by the hit.
func TestPruneByAge(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	clock := start
	now = func() time.Time { return clock }
	t.Cleanup(func() { now = time.Now })
	derive := func(p *Processor, key string) {
		t.Helper()
		if _, err := p.Derive(key, ".bin", func() ([]byte, error) { return []byte("made of " + key), nil }); err != nil {
			t.Fatal(err)
		}
	}
	open := func() *Processor {
		t.Helper()
		p, err := NewProcessor(dir, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := open()
	derive(p, "a")
	derive(p, "b")
	st, err := p.Prune(false, MaxAge)
	if err != nil || st.Swept {
		t.Fatalf("a new cache was swept (%+v, %v), want a marker only", st, err)
	}
	p.Close()

	// 100 days on, a build uses a only.
	clock = start.Add(100 * 24 * time.Hour)
	p = open()
	derive(p, "a")
	if p.Made() != 0 {
		t.Fatal("a was not a cache hit")
	}
	st, err = p.Prune(false, MaxAge)
	if err != nil || !st.Swept || st.Removed != 2 || st.Kept != 2 {
		t.Errorf("sweep after 100 days: %+v, %v; want b's output and manifest removed, a's kept", st, err)
	}
	p.Close()
	if st, _ := p.Prune(false, MaxAge); st.Swept {
		t.Error("swept twice within a day")
	}

	// a is still cached; b is made again.
	p = open()
	derive(p, "a")
	if p.Made() != 0 {
		t.Error("the sweep removed a, which the build used")
	}
	derive(p, "b")
	if p.Made() != 1 {
		t.Error("b, unused for 100 days, is still cached")
	}
	p.Close()

	// The hit set a's output's time to the (fake) day of use.
	m, _ := filepath.Glob(filepath.Join(dir, "o", "*", "*.bin"))
	fresh := 0
	for _, f := range m {
		if fi, err := os.Stat(f); err == nil && !fi.ModTime().Before(clock.Add(-time.Minute)) {
			fresh++
		}
	}
	if fresh == 0 {
		t.Error("a cache hit did not refresh its output's modification time")
	}
}
