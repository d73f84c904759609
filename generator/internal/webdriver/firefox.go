package webdriver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// firefoxPrefs go into the profile's user.js: Marionette on a port of its
// choosing (written to the profile's MarionetteActivePort), and none of
// Firefox's own traffic (updates, telemetry, safe browsing, captive portal
// checks, new tab content), which would only slow a machine without
// network.
const firefoxPrefs = `user_pref("marionette.port", 0);
user_pref("app.update.disabledForTesting", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("remote.prefs.recommended", true);
`

// Firefox starts a headless Firefox (Debian's firefox-esr, or firefox)
// with a fresh profile, opens a Marionette session in it and returns it.
// The browser quits and its profile is removed when the test ends.
func Firefox(t testing.TB) *Session {
	t.Helper()
	bin := lookPath(t, "Firefox", "firefox-esr", "firefox-esr", "firefox")
	dir, err := os.MkdirTemp("", "drumbeat-firefox-")
	if err != nil {
		t.Fatal(err)
	}
	profile, tmp := filepath.Join(dir, "profile"), filepath.Join(dir, "tmp")
	for _, d := range []string{profile, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "firefox.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--marionette", "--no-remote", "--profile", profile, "about:blank")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_HEADLESS_WIDTH=1280", "MOZ_HEADLESS_HEIGHT=900")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Firefox: %v", err)
	}
	exited, end := watch(cmd)
	var m *marionette
	stop := func() {
		if m != nil {
			m.quit()
		}
		end(20 * time.Second)
		log.Close()
		os.RemoveAll(dir)
	}
	fail := func(format string, args ...any) {
		stop()
		t.Helper()
		t.Fatalf(format, args...)
	}
	port, err := waitFile(filepath.Join(profile, "MarionetteActivePort"), Timeout, exited)
	if err != nil {
		b, _ := os.ReadFile(filepath.Join(dir, "firefox.log"))
		fail("starting Firefox: %v\n%s", err, b)
	}
	m, err = dialMarionette("127.0.0.1:" + strings.TrimSpace(string(port)))
	if err != nil {
		fail("Firefox's Marionette: %v", err)
	}
	s, err := newSession(m, map[string]any{})
	if err != nil {
		fail("Firefox's Marionette: %v", err)
	}
	// Marionette:Quit, in the session, ends it and quits.
	t.Cleanup(stop)
	return s
}

// marionette is a connection to Firefox's Marionette server. A message is
// its length in bytes, a colon and JSON: a command [0, id, name, params],
// its answer [1, id, error, result].
type marionette struct {
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
	next int
}

func dialMarionette(addr string) (*marionette, error) {
	conn, err := net.DialTimeout("tcp", addr, Timeout)
	if err != nil {
		return nil, err
	}
	m := &marionette{conn: conn, r: bufio.NewReader(conn)}
	conn.SetDeadline(time.Now().Add(Timeout))
	// The server speaks first: {"applicationType":"gecko","marionetteProtocol":3}.
	var hello struct {
		Protocol int `json:"marionetteProtocol"`
	}
	if err := m.read(&hello); err != nil {
		conn.Close()
		return nil, err
	}
	if hello.Protocol != 3 {
		conn.Close()
		return nil, fmt.Errorf("the Marionette protocol is %d, want 3", hello.Protocol)
	}
	return m, nil
}

// read reads one message into v.
func (m *marionette) read(v any) error {
	n, err := m.r.ReadString(':')
	if err != nil {
		return err
	}
	size, err := strconv.Atoi(strings.TrimSuffix(n, ":"))
	if err != nil || size < 0 || size > 64<<20 {
		return fmt.Errorf("a Marionette message of length %q", n)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(m.r, b); err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (m *marionette) do(c command, _ string, elem string, params map[string]any) (json.RawMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if params == nil {
		params = map[string]any{}
	}
	switch c {
	case cmdNewSession:
		// Marionette takes the capabilities themselves, as geckodriver
		// passes them on.
		params = params["capabilities"].(map[string]any)["alwaysMatch"].(map[string]any)
	case cmdClick:
		params["id"] = elem
	}
	m.next++
	id := m.next
	msg, err := json.Marshal([]any{0, id, c.marionette, params})
	if err != nil {
		return nil, err
	}
	m.conn.SetDeadline(time.Now().Add(Timeout))
	if _, err := fmt.Fprintf(m.conn, "%d:%s", len(msg), msg); err != nil {
		return nil, fmt.Errorf("%s: %v", c.marionette, err)
	}
	for {
		var answer []json.RawMessage
		if err := m.read(&answer); err != nil {
			return nil, fmt.Errorf("%s: %v", c.marionette, err)
		}
		if len(answer) != 4 {
			return nil, fmt.Errorf("%s: an answer of %d parts", c.marionette, len(answer))
		}
		var got int
		json.Unmarshal(answer[1], &got)
		if got != id {
			continue // the answer to an earlier command that timed out
		}
		if e := answer[2]; len(e) > 0 && string(e) != "null" {
			var we struct{ Error, Message string }
			json.Unmarshal(e, &we)
			return nil, &Error{Command: c.marionette, Code: we.Error, Message: we.Message}
		}
		// Most answers are {"value": ...}, as the HTTP protocol's; a new
		// session's is the value itself.
		var wrapped map[string]json.RawMessage
		if json.Unmarshal(answer[3], &wrapped) == nil && len(wrapped) == 1 && wrapped["value"] != nil {
			return wrapped["value"], nil
		}
		return answer[3], nil
	}
}

// quit asks Firefox to quit (in a session: after the session is deleted
// Firefox refuses) and closes the connection.
func (m *marionette) quit() {
	m.do(command{marionette: "Marionette:Quit"}, "", "", map[string]any{"flags": []string{"eForceQuit"}})
	m.conn.Close()
}
