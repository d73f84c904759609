// Package webdriver drives Firefox and WebKit for the search tests of
// other engines than Chromium (make test-engines): the W3C WebDriver
// commands those tests use, spoken to WebKitGTK's WebKitWebDriver over
// HTTP, and to Firefox over Marionette, the protocol Firefox's own
// WebDriver server (geckodriver) speaks to it, since geckodriver is not
// packaged in Debian. The commands are the same in both: a new session,
// navigate, execute a script, find and click an element, key actions and
// delete the session.
//
// A test calls Firefox or WebKit: it starts the browser headless (WebKit
// in an Xvfb display of its own), with its profile and temporary files in
// a folder it removes when the test ends. A missing browser skips the
// test with a message naming the Debian package; with
// DRUMBEAT_REQUIRE_ENGINES set, or CI=true, it fails it.
package webdriver

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Keys of the WebDriver key actions (W3C WebDriver, "Keyboard actions").
const (
	ArrowUp   = "\uE013"
	ArrowDown = "\uE015"
	Escape    = "\uE00C"
)

// elementKey is the key of a web element reference in WebDriver's JSON.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Timeout bounds one command: the machine that runs the tests may be
// shared and loaded, and the browsers start slowly there.
const Timeout = 90 * time.Second

// command is one WebDriver command: its HTTP method and path (with {id}
// for the session and {elem} for an element) and its Marionette name.
type command struct {
	method, path, marionette string
}

var (
	cmdNewSession    = command{"POST", "/session", "WebDriver:NewSession"}
	cmdDeleteSession = command{"DELETE", "/session/{id}", "WebDriver:DeleteSession"}
	cmdNavigate      = command{"POST", "/session/{id}/url", "WebDriver:Navigate"}
	cmdExecute       = command{"POST", "/session/{id}/execute/sync", "WebDriver:ExecuteScript"}
	cmdFind          = command{"POST", "/session/{id}/element", "WebDriver:FindElement"}
	cmdClick         = command{"POST", "/session/{id}/element/{elem}/click", "WebDriver:ElementClick"}
	cmdActions       = command{"POST", "/session/{id}/actions", "WebDriver:PerformActions"}
	cmdRelease       = command{"DELETE", "/session/{id}/actions", "WebDriver:ReleaseActions"}
	cmdSetRect       = command{"POST", "/session/{id}/window/rect", "WebDriver:SetWindowRect"}
)

// transport sends a command and returns its result (the "value" of the
// HTTP protocol's answer).
type transport interface {
	do(c command, session, elem string, params map[string]any) (json.RawMessage, error)
}

// Session is a WebDriver session in a browser a test started.
type Session struct {
	// Browser is the browser's name and version, as its session says.
	Browser string
	t       transport
	id      string
}

// Error is an error a WebDriver command answered.
type Error struct {
	Command string
	Code    string // WebDriver's error code, e.g. "no such element"
	Message string
}

func (e *Error) Error() string { return e.Command + ": " + e.Code + ": " + e.Message }

// newSession opens a session with capabilities caps (alwaysMatch).
func newSession(t transport, caps map[string]any) (*Session, error) {
	raw, err := t.do(cmdNewSession, "", "", map[string]any{"capabilities": map[string]any{"alwaysMatch": caps}})
	if err != nil {
		return nil, err
	}
	var v struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.SessionID == "" {
		return nil, fmt.Errorf("new session: unexpected answer %s", raw)
	}
	return &Session{t: t, id: v.SessionID, Browser: v.Capabilities.BrowserName + " " + v.Capabilities.BrowserVersion}, nil
}

func (s *Session) do(c command, elem string, params map[string]any) (json.RawMessage, error) {
	return s.t.do(c, s.id, elem, params)
}

// Navigate loads url and waits for the page's load event.
func (s *Session) Navigate(url string) error {
	_, err := s.do(cmdNavigate, "", map[string]any{"url": url})
	return err
}

// Exec runs script, the body of a function (it returns with return), with
// args as its arguments, and decodes what it returns into out (nil to
// drop it).
func (s *Session) Exec(script string, out any, args ...any) error {
	if args == nil {
		args = []any{}
	}
	raw, err := s.do(cmdExecute, "", map[string]any{"script": script, "args": args})
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("execute script: %v (the script returned %s)", err, raw)
	}
	return nil
}

// Click clicks the element that CSS selector css finds first, as a
// pointer would (it is scrolled into view and must be interactable).
func (s *Session) Click(css string) error {
	raw, err := s.do(cmdFind, "", map[string]any{"using": "css selector", "value": css})
	if err != nil {
		return err
	}
	var ref map[string]string
	if err := json.Unmarshal(raw, &ref); err != nil || ref[elementKey] == "" {
		return fmt.Errorf("find element %s: unexpected answer %s", css, raw)
	}
	_, err = s.do(cmdClick, ref[elementKey], map[string]any{})
	return err
}

// Keys presses and releases each key of keys in turn, as key actions to
// whatever has the focus: each character is a key, and ArrowUp,
// ArrowDown and Escape are the named keys.
func (s *Session) Keys(keys string) error {
	var acts []map[string]any
	for _, r := range keys {
		acts = append(acts,
			map[string]any{"type": "keyDown", "value": string(r)},
			map[string]any{"type": "keyUp", "value": string(r)})
	}
	_, err := s.do(cmdActions, "", map[string]any{"actions": []map[string]any{
		{"type": "key", "id": "keyboard", "actions": acts},
	}})
	if err != nil {
		return err
	}
	_, err = s.do(cmdRelease, "", nil)
	return err
}

// SetWindowSize sets the window's outer size in CSS pixels.
func (s *Session) SetWindowSize(width, height int) error {
	_, err := s.do(cmdSetRect, "", map[string]any{"width": width, "height": height})
	return err
}

// WaitFor runs script (a function body returning a boolean) every 50 ms
// until it returns true, for at most d.
func (s *Session) WaitFor(script string, d time.Duration) error {
	end := time.Now().Add(d)
	for {
		var ok bool
		if err := s.Exec(script, &ok); err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("waited %v for: %s", d, script)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// deleteSession ends the session (the browser closes its window).
func (s *Session) deleteSession() error {
	_, err := s.do(cmdDeleteSession, "", nil)
	return err
}

// lookPath returns the path of the first of names found, or skips t
// (fails it when the engines are required) naming pkg.
func lookPath(t testing.TB, what, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if Required() {
		t.Fatalf("%s is required (DRUMBEAT_REQUIRE_ENGINES or CI=true is set) but %s is not installed (Debian: apt-get install %s)", what, strings.Join(names, " or "), pkg)
	}
	t.Skipf("SKIPPED: this test needs %s; install Debian's %s package to run it", what, pkg)
	return ""
}

// Required reports whether a missing browser fails the tests instead of
// skipping them: DRUMBEAT_REQUIRE_ENGINES is set, or CI is true.
func Required() bool {
	return os.Getenv("DRUMBEAT_REQUIRE_ENGINES") != "" || os.Getenv("CI") == "true"
}

// waitFile waits for the file at path to exist and not be empty, and
// returns its content; done reports an early exit of the process that
// should write it.
func waitFile(path string, d time.Duration, done <-chan struct{}) ([]byte, error) {
	end := time.Now().Add(d)
	for {
		if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			return b, nil
		}
		select {
		case <-done:
			return nil, errors.New("the browser exited")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(end) {
			return nil, fmt.Errorf("no %s after %v", path, d)
		}
	}
}

// watch waits for the started cmd in the background: exited is closed when
// it has ended, and end waits for that up to grace, then kills it.
func watch(cmd *exec.Cmd) (exited <-chan struct{}, end func(grace time.Duration)) {
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	return done, func(grace time.Duration) {
		select {
		case <-done:
		case <-time.After(grace):
			cmd.Process.Kill()
			<-done
		}
	}
}
