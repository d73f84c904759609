package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingRE = regexp.MustCompile(`serving (.+) at (http://[^ ]+/) \(Ctrl-C to stop\)`)

// startServe runs drumbeat serve in the test and returns the address it
// prints, the outputs, and a function that stops it and returns its exit code.
func startServe(t *testing.T, args ...string) (url string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() { code <- run(ctx, append([]string{"serve"}, args...), stdout, stderr) }()
	stopped := false
	var exit int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case exit = <-code:
			case <-time.After(10 * time.Second):
				t.Fatal("drumbeat serve did not stop within 10s")
			}
		}
		return exit
	}
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(stdout.String()); m != nil {
			return m[2], stdout, stderr, stop
		}
		select {
		case c := <-code:
			t.Fatalf("drumbeat serve exited with %d:\n%s%s", c, stdout, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("drumbeat serve printed no address within 30s:\n%s%s", stdout, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runCmd("new", dir); code != exitOK {
		t.Fatal(stderr)
	}
	url, stdout, stderr, stop := startServe(t, "-s", dir, "--port", "0", "--drafts", "--now", "2026-11-27")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("serving at %s, want the loopback address", url)
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("a loopback server warns: %s", stderr)
	}
	code, body := httpGet(t, url+"stories/first-story/")
	if code != 200 || !strings.Contains(body, "Our first shared result") || !strings.Contains(body, "/_drumbeat/live.js") {
		t.Fatalf("GET the story: %d\n%s", code, body)
	}
	story := filepath.Join(dir, "content/stories/first-story.md")
	src, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := os.WriteFile(story, append(src, "\nA sentence written while the server ran.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		if _, body := httpGet(t, url+"stories/first-story/"); strings.Contains(body, "written while the server ran") {
			break
		}
		if time.Since(start) > slack*time.Second {
			t.Fatalf("the edit did not show within %v:\n%s", slack*time.Second, stdout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := stop(); got != exitOK {
		t.Errorf("exit %d after the stop, want 0:\n%s", got, stderr)
	}
	out := stdout.String()
	for _, want := range []string{"serving Our Partnership at http://127.0.0.1:", "rebuilt in ", "stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/")
	}
}

func TestServeBindWarns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	url, _, stderr, _ := startServe(t, "-s", dir, "--port", "0", "--bind", "0.0.0.0")
	if !strings.Contains(stderr.String(), "reachable from other machines") {
		t.Errorf("no warning for --bind 0.0.0.0: %q", stderr)
	}
	if code, _ := httpGet(t, url); code != 200 {
		t.Errorf("GET %s = %d", url, code)
	}
}

func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"serve", "--help"}, exitOK, "-port"},
		{[]string{"serve", "--port", "70000"}, exitUsage, "is not a port"},
		{[]string{"serve", "--bind", "no-such-host.invalid"}, exitInput, `--bind "no-such-host.invalid" is not an address of this machine`},
		{[]string{"serve", "--bind", "evil@example.org"}, exitUsage, "is not an address or host name"},
		{[]string{"serve", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"serve", "--now", "tomorrow"}, exitUsage, "is not a date"},
	} {
		code, out, errs := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.out) {
			t.Errorf("drumbeat %s: exit %d (want %d), output:\n%s%s", strings.Join(tc.args, " "), code, tc.code, out, errs)
		}
	}
}

// TestServeStopsOnSignals runs the real program and stops it with Ctrl-C
// (SIGINT) and with SIGTERM.
func TestServeStopsOnSignals(t *testing.T) {
	heavy.Test(t)
	bin := filepath.Join(t.TempDir(), "drumbeat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(bin, "serve", "-s", dir, "--port", "0")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		var url string
		for lines.Scan() {
			if m := servingRE.FindStringSubmatch(lines.Text()); m != nil {
				url = m[2]
				break
			}
		}
		if url == "" {
			cmd.Process.Kill()
			t.Fatal("no address printed")
		}
		if code, _ := httpGet(t, url); code != 200 {
			t.Errorf("GET %s = %d", url, code)
		}
		// An open reload stream must not hold the server up.
		resp, err := http.Get(url + "_drumbeat/events")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Process.Signal(sig)
		rest, _ := io.ReadAll(out)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: %v", sig, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: still running after 10s", sig)
		}
		resp.Body.Close()
		if !strings.Contains(string(rest), "stopped") {
			t.Errorf("%v: no 'stopped' line: %q", sig, rest)
		}
	}
}
