package write

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSecondBuildRefused: while one build of an output runs, a second is
// refused with the first one's process ID, and the first one's temporary
// folder is left alone, so that it commits its whole output. (On the old
// code the second build deleted the first one's folder: the first then
// failed or left the output empty.)
func TestSecondBuildRefused(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.File("a.html", []byte("first")); err != nil {
		t.Fatal(err)
	}
	second, err := New(dest, Options{})
	var busy *BusyError
	if !errors.As(err, &busy) {
		if second != nil {
			second.Abort()
		}
		t.Fatalf("a second build of %s while one runs: %v, want a BusyError", dest, err)
	}
	if busy.PID != os.Getpid() || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) ||
		!strings.Contains(err.Error(), "is writing "+dest) {
		t.Errorf("the error does not name the build holding the output: %v", err)
	}
	if err := first.File("b.html", []byte("first")); err != nil {
		t.Fatalf("the first build lost its folder: %v", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.html", "b.html"} {
		if _, err := os.Stat(filepath.Join(dest, name)); err != nil {
			t.Errorf("the first build's output lacks %s", name)
		}
	}
	// Released: the next build goes ahead, and leaves nothing beside the
	// output when it is done.
	third, err := New(dest, Options{})
	if err != nil {
		t.Fatalf("after the first build ended: %v", err)
	}
	third.Abort()
	// Only the output and its manifest (which the next build reads).
	if entries := beside(dest); len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
}

// TestLockWait: a build told to wait goes ahead when the other one ends,
// and gives up after the time it was given.
func TestLockWait(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := New(dest, Options{Wait: 150 * time.Millisecond}); !errors.As(err, new(*BusyError)) {
		t.Fatalf("waiting 150ms for a build that does not end: %v", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("gave up after %s, want 150ms", d)
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		first.File("index.html", []byte("first"))
		first.Commit()
	}()
	second, err := New(dest, Options{Wait: 10 * time.Second})
	if err != nil {
		t.Fatalf("waiting for a build that ends: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
		t.Error("the second build went ahead before the first one committed")
	}
	second.Abort()
}

// TestStaleLockRecovered: a lock file left by a build that was killed
// (its process is gone) does not stop the next build, nor does a
// temporary folder it left, which is removed.
func TestStaleLockRecovered(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	host, _ := os.Hostname()
	// The largest process ID Linux gives is 4194304.
	dead := lockInfo{pid: 4194305, host: host, started: time.Now().Add(-time.Hour)}
	if err := os.WriteFile(LockPath(dest), []byte(dead.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(parent, ".public.drumbeat-tmp-12345")
	os.MkdirAll(left, 0o755)
	d, err := New(dest, Options{})
	if err != nil {
		t.Fatalf("a lock left by a killed build: %v", err)
	}
	b, _ := os.ReadFile(LockPath(dest))
	if got := parseLockInfo(b); got.pid != os.Getpid() {
		t.Errorf("the lock file holds %q, want this process", b)
	}
	if _, err := os.Stat(left); err == nil {
		t.Error("the killed build's temporary folder was kept")
	}
	d.File("index.html", []byte("x"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(LockPath(dest)); err == nil {
		t.Error("the lock file outlived the build")
	}
}

func TestBusyErrorText(t *testing.T) {
	e := &BusyError{Output: "/site/public", Lock: "/site/.public.drumbeat-lock", PID: 42, Host: "laptop", Started: time.Date(2026, 12, 7, 4, 5, 6, 0, time.Local)}
	want := "another drumbeat build (process 42 on laptop, started 04:05:06) is writing /site/public; wait for it to end (if no build is running, remove /site/.public.drumbeat-lock)"
	if e.Error() != want {
		t.Errorf("got  %s\nwant %s", e, want)
	}
	if got := (&BusyError{Output: "o", Lock: "l"}).Error(); !strings.HasPrefix(got, "another drumbeat build is writing o") {
		t.Errorf("unknown holder: %s", got)
	}
}

// TestLockWaitStops: a build waiting for the lock stops when told to.
func TestLockWaitStops(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Abort()
	stop := make(chan struct{})
	time.AfterFunc(100*time.Millisecond, func() { close(stop) })
	start := time.Now()
	if _, err := New(dest, Options{Wait: time.Minute, Stop: stop}); !errors.Is(err, ErrStopped) {
		t.Errorf("stopped while waiting: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %s", d)
	}
}
