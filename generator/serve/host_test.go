package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// heldSecret is in the held story's body: no refused request may show it.
const (
	heldSecret = "zebra-quartz-4711"
	heldURL    = "stories/secret-plans/"
)

// heldSite is drumbeat new's site (approval on) with a story no partner
// has approved: held from the public, shown by serve --drafts.
func heldSite(t *testing.T) string {
	t.Helper()
	dir := smallSite(t)
	gov := readFile(t, dir, "data/governance.yaml")
	writeFile(t, dir, "data/governance.yaml", strings.Replace(gov, "approval_required: false", "approval_required: true", 1))
	writeFile(t, dir, "content/stories/secret-plans.md", `---
title: Secret plans
date: 2026-01-20
summary: Waiting for the partner's approval.
partners: [city-health]
---
The held sentence `+heldSecret+` must not leave this machine.
`)
	return dir
}

// rawGet sends one request to the server at addr with the given Host and
// more header lines, and returns the status and body. For the event
// stream it reads only the first event.
func rawGet(t *testing.T, addr, host, path string, header ...string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, host)
	for _, h := range header {
		fmt.Fprintf(conn, "%s\r\n", h)
	}
	fmt.Fprint(conn, "Connection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		r := bufio.NewReader(resp.Body)
		var b strings.Builder
		for !strings.Contains(b.String(), "event: hello") {
			line, err := r.ReadString('\n')
			b.WriteString(line)
			if err != nil {
				break
			}
		}
		conn.Close() // the stream does not end by itself
		return resp.StatusCode, b.String()
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestForgedHostRefused sends requests with the Host a DNS-rebinding page
// would send (its own name, with the server's port) for a held story, the
// reload stream, the script and a missing page: every one is refused with
// the page that says why, and shows nothing of the site. The server's own
// names are answered. (On the old code every Host was answered.)
func TestForgedHostRefused(t *testing.T) {
	dir := heldSite(t)
	ts := startServer(t, dir, true)
	addr := strings.TrimSuffix(strings.TrimPrefix(ts.url, "http://"), "/")
	_, port, _ := net.SplitHostPort(addr)

	good := []string{addr, "localhost:" + port, "LocalHost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
	for _, host := range good {
		if code, body := rawGet(t, addr, host, "/"+heldURL); code != 200 || !strings.Contains(body, heldSecret) {
			t.Errorf("Host %s: %d, want the held story (serve --drafts)", host, code)
		}
	}
	bad := []string{
		"evil.example:" + port, "evil.example", "localhost", "127.0.0.1", "localhost:1", "127.0.0.1:" + port + "0",
		"localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port, "10.0.0.1:" + port, "[::2]:" + port,
		"", "localhost:" + port + "@evil.example", "localhost:0" + port,
	}
	paths := []string{"/" + heldURL, "/", eventsPath, scriptPath, "/no/such/page/", "/index.xml"}
	for _, host := range bad {
		for _, path := range paths {
			code, body := rawGet(t, addr, host, path)
			if code == http.StatusBadRequest && (host == "" || strings.Contains(host, "@")) {
				continue // net/http refuses these Hosts itself
			}
			if code != http.StatusForbidden || !strings.Contains(body, "does not answer at this address") || !strings.Contains(body, "--bind") {
				t.Errorf("Host %q, GET %s: %d, want 403 with the explanation\n%.300s", host, path, code, body)
			}
			if strings.Contains(body, heldSecret) || strings.Contains(body, "event: hello") || strings.Contains(body, "Secret plans") {
				t.Errorf("Host %q, GET %s: the refusal shows the site", host, path)
			}
		}
	}

	// The reload stream answers the server's own pages, not another site's.
	if code, body := rawGet(t, addr, addr, eventsPath, "Sec-Fetch-Site: same-origin"); code != 200 || !strings.Contains(body, "event: hello") {
		t.Errorf("reload stream from the server's own page: %d\n%s", code, body)
	}
	for _, h := range [][]string{
		{"Sec-Fetch-Site: cross-site"},
		{"Sec-Fetch-Site: same-site"},
		{"Origin: http://evil.example:" + port},
		{"Origin: http://evil.example"},
		{"Origin: null"},
	} {
		if code, body := rawGet(t, addr, addr, eventsPath, h...); code != http.StatusForbidden || strings.Contains(body, "event:") {
			t.Errorf("reload stream with %v: %d, want 403\n%.300s", h, code, body)
		}
	}
	if code, _ := rawGet(t, addr, addr, eventsPath, "Origin: http://localhost:"+port); code != 200 {
		t.Errorf("reload stream with Origin localhost: %d, want 200", code)
	}
}

// TestHostOK is the Host rule, table by table.
func TestHostOK(t *testing.T) {
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1313}
	lan := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 1313}
	port80 := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}
	s := New(Options{Hosts: []string{"laptop.local", "0.0.0.0"}})
	tests := []struct {
		host  string
		local net.Addr
		ok    bool
	}{
		{"127.0.0.1:1313", loop, true},
		{"localhost:1313", loop, true},
		{"[::1]:1313", loop, true},
		{"laptop.local:1313", loop, true},
		{"LAPTOP.local:1313", loop, true},
		{"192.168.1.5:1313", lan, true}, // served on 0.0.0.0, opened from the LAN
		{"0.0.0.0:1313", loop, true},    // --bind 0.0.0.0, opened as http://0.0.0.0:1313/
		{"192.168.1.5:1313", loop, false},
		{"127.0.0.1:1313", lan, false},
		{"localhost", port80, true}, // the browser leaves out port 80
		{"localhost:80", port80, true},
		{"localhost", loop, false},
		{"evil.example:1313", loop, false},
		{"laptop.local.evil.example:1313", loop, false},
		{"localhost.:1313", loop, false},
		{"localhost:1314", loop, false},
		{"localhost:+1313", loop, false},
		{"[::1", loop, false},
		{":1313", loop, false},
		{"", loop, false},
	}
	for _, tc := range tests {
		if got := s.hostOK(tc.host, tc.local); got != tc.ok {
			t.Errorf("hostOK(%q, %s) = %v, want %v", tc.host, tc.local, got, tc.ok)
		}
	}
	// A request whose local address is unknown is refused.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:1313/", nil))
	if rec.Code != http.StatusForbidden {
		t.Errorf("no local address: %d, want 403", rec.Code)
	}
}
