package webdriver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// WebKit starts WebKitGTK's WebDriver server (Debian's webkit2gtk-driver)
// and opens a session in its browser (MiniBrowser, WebKitGTK's test
// browser: the engine of Safari, GTK's port). WebKitGTK draws in an X
// display even in automation, so WebKit first starts an Xvfb (Debian's
// xvfb) of its own. Everything stops and the browser's files are removed
// when the test ends.
func WebKit(t testing.TB) *Session {
	t.Helper()
	driver := lookPath(t, "WebKit (WebKitGTK's WebDriver)", "webkit2gtk-driver", "WebKitWebDriver")
	xvfb := lookPath(t, "Xvfb, the X display WebKitGTK draws in", "xvfb", "Xvfb")
	dir, err := os.MkdirTemp("", "drumbeat-webkit-")
	if err != nil {
		t.Fatal(err)
	}
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		// The browser's own processes may still be writing a moment after
		// the driver stopped.
		os.RemoveAll(dir)
		time.Sleep(500 * time.Millisecond)
		os.RemoveAll(dir)
	}
	fail := func(format string, args ...any) {
		stop()
		t.Helper()
		t.Fatalf(format, args...)
	}

	display, stopX, err := startXvfb(xvfb, dir)
	if err != nil {
		fail("starting Xvfb: %v", err)
	}
	stops = append(stops, stopX)

	port, err := freePort()
	if err != nil {
		fail("%v", err)
	}
	env := []string{"DISPLAY=" + display, "TMPDIR=" + filepath.Join(dir, "tmp"), "HOME=" + filepath.Join(dir, "home"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"WAYLAND_DISPLAY=", "GDK_BACKEND=x11", "NO_AT_BRIDGE=1", "MESA_SHADER_CACHE_DISABLE=true"}
	for _, e := range env[1:7] {
		os.MkdirAll(e[strings.Index(e, "=")+1:], 0o700)
	}
	cmd := exec.Command(driver, "--port="+strconv.Itoa(port), "--host=local")
	cmd.Env = append(os.Environ(), env...)
	log, err := os.Create(filepath.Join(dir, "webkit.log"))
	if err != nil {
		fail("%v", err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		fail("starting WebKitWebDriver: %v", err)
	}
	exited, end := watch(cmd)
	stops = append(stops, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		end(10 * time.Second)
		log.Close()
	})

	h := &httpDriver{base: "http://127.0.0.1:" + strconv.Itoa(port), client: &http.Client{Timeout: Timeout}}
	if err := h.ready(exited); err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "webkit.log"))
		fail("WebKitWebDriver: %v\n%s", err, b)
	}
	s, err := newSession(h, map[string]any{
		"webkitgtk:browserOptions": map[string]any{"args": []string{"--automation"}},
	})
	if err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "webkit.log"))
		fail("WebKitWebDriver: %v\n%s", err, b)
	}
	// The session names the browser (MiniBrowser) and WebKitGTK's version.
	s.Browser = "WebKitGTK " + s.Browser
	t.Cleanup(func() {
		s.deleteSession()
		stop()
	})
	return s
}

// startXvfb starts an Xvfb on a display number it chooses, and returns
// the display's name and how to stop it.
func startXvfb(bin, dir string) (string, func(), error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24")
	cmd.ExtraFiles = []*os.File{w}
	log, err := os.Create(filepath.Join(dir, "xvfb.log"))
	if err != nil {
		return "", nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	w.Close()
	_, end := watch(cmd)
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		end(10 * time.Second)
		log.Close()
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		r.Close()
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			stop()
			b, _ := os.ReadFile(filepath.Join(dir, "xvfb.log"))
			return "", nil, fmt.Errorf("no display number (%q)\n%s", n, b)
		}
		return ":" + n, stop, nil
	case <-time.After(Timeout):
		stop()
		return "", nil, fmt.Errorf("no display after %v", Timeout)
	}
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// httpDriver speaks W3C WebDriver's HTTP protocol to a driver at base.
type httpDriver struct {
	base   string
	client *http.Client
}

// ready waits for the driver to answer /status.
func (h *httpDriver) ready(exited <-chan struct{}) error {
	end := time.Now().Add(Timeout)
	for {
		resp, err := h.client.Get(h.base + "/status")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("exited before it answered")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(end) {
			return fmt.Errorf("no answer on %s after %v: %v", h.base, Timeout, err)
		}
	}
}

func (h *httpDriver) do(c command, session, elem string, params map[string]any) (json.RawMessage, error) {
	path := strings.NewReplacer("{id}", session, "{elem}", elem).Replace(c.path)
	var body io.Reader
	if c.method == "POST" {
		if params == nil {
			params = map[string]any{}
		}
		b, err := json.Marshal(params)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(c.method, h.base+path, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &answer); err != nil {
		return nil, fmt.Errorf("%s %s: %d %s", c.method, c.path, resp.StatusCode, b)
	}
	if resp.StatusCode != http.StatusOK {
		var we struct{ Error, Message string }
		json.Unmarshal(answer.Value, &we)
		return nil, &Error{Command: c.method + " " + c.path, Code: we.Error, Message: we.Message}
	}
	return answer.Value, nil
}
