package mailer

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer is a minimal SMTP server on 127.0.0.1 that offers the given
// EHLO extensions, accepts every message and records what it was told.
type fakeServer struct {
	addr string
	mu   sync.Mutex
	log  []string
	data []string
}

func newFakeServer(t *testing.T, extensions ...string) *fakeServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := &fakeServer{addr: l.Addr().String()}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c, extensions)
		}
	}()
	return s
}

func (s *fakeServer) serve(c net.Conn, ext []string) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := func(line string) { c.Write([]byte(line + "\r\n")) }
	w("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		s.mu.Lock()
		s.log = append(s.log, line)
		s.mu.Unlock()
		switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
		case "EHLO":
			if len(ext) == 0 {
				w("250 fake")
				continue
			}
			w("250-fake")
			for i, e := range ext {
				if i == len(ext)-1 {
					w("250 " + e)
				} else {
					w("250-" + e)
				}
			}
		case "DATA":
			w("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.data = append(s.data, b.String())
			s.mu.Unlock()
			w("250 queued")
		case "AUTH":
			if f := strings.Fields(line); len(f) == 2 && strings.EqualFold(f[1], "LOGIN") {
				// The LOGIN dialogue: username, then password.
				for _, prompt := range []string{"VXNlcm5hbWU6", "UGFzc3dvcmQ6"} {
					w("334 " + prompt)
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					d, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(l))
					s.mu.Lock()
					s.log = append(s.log, "LOGIN "+string(d))
					s.mu.Unlock()
				}
			} else if len(f) == 3 {
				d, _ := base64.StdEncoding.DecodeString(f[2])
				s.mu.Lock()
				s.log = append(s.log, f[1]+" "+strings.ReplaceAll(string(d), "\x00", "|"))
				s.mu.Unlock()
			}
			w("235 welcome")
		case "QUIT":
			w("221 bye")
			return
		case "RCPT":
			if strings.Contains(line, "refused@") {
				w("550 no such user")
				continue
			}
			if strings.Contains(line, "busy@") {
				w("451 try again later")
				continue
			}
			if strings.Contains(line, "stall@") {
				time.Sleep(time.Second)
				return
			}
			w("250 ok")
		default:
			w("250 ok")
		}
	}
}

// lines returns what the server was told so far.
func (s *fakeServer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func (s *fakeServer) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.data...)
}

// dial reaches the fake server whatever host the config names.
func (s *fakeServer) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	return (&net.Dialer{}).DialContext(ctx, network, s.addr)
}

func TestSendRefusesPlainSMTPToAnotherHost(t *testing.T) {
	s := newFakeServer(t, "PIPELINING")
	_, _, err := Send(context.Background(), Config{Host: "smtp.example.org", Dial: s.dial},
		[]Message{{From: "news@example.org", To: []string{"pat@example.org"}, Data: []byte("Subject: x\r\n\r\nhi\r\n")}})
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("err = %v, want a refusal to send in the clear", err)
	}
	for _, l := range s.lines() {
		if strings.HasPrefix(l, "MAIL") || strings.HasPrefix(l, "AUTH") {
			t.Errorf("the client sent %q over a plain connection", l)
		}
	}
}

func TestSendPlainToLocalhostAndReportsEachMessage(t *testing.T) {
	s := newFakeServer(t, "PIPELINING")
	host, port, _ := net.SplitHostPort(s.addr)
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	msgs := []Message{
		{From: "news@example.org", To: []string{"pat@example.org"}, Data: []byte("Subject: one\r\n\r\n.leading dot\r\n")},
		{From: "news@example.org", To: []string{"refused@example.org"}, Data: []byte("Subject: two\r\n\r\nhi\r\n")},
		{From: "news@example.org", To: []string{"sam@example.org"}, Data: []byte("Subject: three\r\n\r\nhi\r\n")},
	}
	sec, out, err := Send(context.Background(), Config{Host: host, Port: p}, msgs)
	if err != nil {
		t.Fatal(err)
	}
	if sec != Plain {
		t.Errorf("security %q", sec)
	}
	if len(out) != 3 || out[0].Err != nil || out[1].Err == nil || out[2].Err != nil {
		t.Fatalf("deliveries %+v", out)
	}
	if data := s.messages(); len(data) != 2 || !strings.Contains(data[0], "..leading dot") {
		t.Errorf("data %q (a line starting with a dot must be stuffed)", data)
	}
}

func TestSendLogsInOnlyWhereSafe(t *testing.T) {
	s := newFakeServer(t, "AUTH PLAIN")
	msg := []Message{{From: "news@example.org", To: []string{"pat@example.org"}, Data: []byte("x\r\n")}}
	// To the local machine a login over plain SMTP is allowed.
	if _, _, err := Send(context.Background(), Config{Host: "localhost", Port: 25, Username: "news", Password: "secret", Dial: s.dial}, msg); err != nil {
		t.Fatalf("login to localhost: %v", err)
	}
	// To another host the password is never sent in the clear.
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
	if _, _, err := Send(context.Background(), Config{Host: "smtp.example.org", Username: "news", Password: "secret", Dial: s.dial}, msg); err == nil {
		t.Fatal("a login over plain SMTP to another host should be refused")
	}
	for _, l := range s.lines() {
		if strings.HasPrefix(l, "AUTH") {
			t.Errorf("the client sent %q over a plain connection to another host", l)
		}
	}
	// A server that offers no login, when a username is set, is an error.
	s2 := newFakeServer(t)
	if _, _, err := Send(context.Background(), Config{Host: "localhost", Username: "news", Password: "secret", Dial: s2.dial}, msg); err == nil ||
		!strings.Contains(err.Error(), "no AUTH") {
		t.Errorf("err = %v", err)
	}
}

func TestSendRefusesHeaderInjectionInAddresses(t *testing.T) {
	s := newFakeServer(t)
	_, out, err := Send(context.Background(), Config{Host: "localhost", Dial: s.dial},
		[]Message{{From: "news@example.org", To: []string{"pat@example.org>\r\nRCPT TO:<evil@example.org"}, Data: []byte("x\r\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err == nil {
		t.Error("an address with a line break was sent")
	}
	for _, l := range s.lines() {
		if strings.Contains(l, "evil@") {
			t.Errorf("the server saw %q", l)
		}
	}
}

func TestLocal(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "127.0.0.2": true, "smtp.example.org": false, "10.0.0.1": false} {
		if Local(host) != want {
			t.Errorf("Local(%q) = %v", host, !want)
		}
	}
}

// TestClientRetriesTemporaryFailuresOnly sends to a recipient the server
// answers 451 (retried, a bounded number of times), one it answers 550
// (not retried), and one whose transaction stalls past the time limit
// (retried on a new connection); the next message still goes through.
func TestClientRetriesTemporaryFailuresOnly(t *testing.T) {
	s := newFakeServer(t)
	c, err := Dial(context.Background(), Config{Host: "localhost", Dial: s.dial, Timeout: 200 * time.Millisecond, Retries: 2, Backoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	count := func(to string) int {
		n := 0
		for _, l := range s.lines() {
			if strings.HasPrefix(l, "RCPT") && strings.Contains(l, to) {
				n++
			}
		}
		return n
	}
	send := func(to string) (string, error) {
		return c.Send(context.Background(), Message{From: "news@example.org", To: []string{to}, Data: []byte("Subject: x\r\n\r\nhi\r\n")})
	}
	tests := []struct {
		to        string
		tries     int
		code      int
		temporary bool
	}{
		{"busy@example.org", 3, 451, true},
		{"refused@example.org", 1, 550, false},
		{"stall@example.org", 3, 0, true},
	}
	for _, tc := range tests {
		_, err := send(tc.to)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: err %v, want an *Error", tc.to, err)
		}
		if e.Code != tc.code || e.Temporary != tc.temporary || e.Attempts != tc.tries || count(tc.to) != tc.tries {
			t.Errorf("%s: %+v, %d RCPT seen; want code %d, temporary %v, %d tries", tc.to, e, count(tc.to), tc.code, tc.temporary, tc.tries)
		}
	}
	reply, err := send("pat@example.org")
	if err != nil || reply != "250 queued" {
		t.Errorf("after the failures: %q, %v", reply, err)
	}
}

// TestClientReconnectFailsForGood stops the server: a message then cannot
// be sent, and the error says nothing more can be.
func TestClientReconnectFailsForGood(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{addr: l.Addr().String()}
	go func() {
		c, err := l.Accept()
		if err == nil {
			s.serve(c, nil)
		}
	}()
	c, err := Dial(context.Background(), Config{Host: "localhost", Dial: s.dial, Retries: 1, Backoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	c.raw.Close() // the server goes away
	_, err = c.Send(context.Background(), Message{From: "news@example.org", To: []string{"pat@example.org"}, Data: []byte("x\r\n")})
	var ce *ConnError
	if !errors.As(err, &ce) {
		t.Errorf("err %v, want a *ConnError", err)
	}
}

// TestLoginMechanisms logs in with each mechanism, as the server hears it:
// PLAIN when offered, LOGIN when the server offers no PLAIN (Microsoft
// 365), XOAUTH2 when asked for, with the access token as the password.
func TestLoginMechanisms(t *testing.T) {
	tests := []struct {
		offer, mech string
		want        []string
		err         string
	}{
		{"AUTH PLAIN LOGIN", "", []string{"PLAIN |news|secret"}, ""},
		{"AUTH LOGIN", "", []string{"AUTH LOGIN", "LOGIN news", "LOGIN secret"}, ""},
		{"AUTH LOGIN PLAIN", "login", []string{"AUTH LOGIN", "LOGIN news", "LOGIN secret"}, ""},
		{"AUTH PLAIN LOGIN XOAUTH2", "XOAUTH2", []string{"XOAUTH2 user=news\x01auth=Bearer secret\x01\x01"}, ""},
		{"AUTH PLAIN", "XOAUTH2", nil, "does not offer XOAUTH2"},
		{"AUTH CRAM-MD5", "", nil, "logs in with PLAIN, LOGIN or XOAUTH2"},
	}
	for _, tc := range tests {
		s := newFakeServer(t, tc.offer)
		_, _, err := Send(context.Background(), Config{Host: "localhost", Username: "news", Password: "secret", Auth: tc.mech, Dial: s.dial},
			[]Message{{From: "news@example.org", To: []string{"pat@example.org"}, Data: []byte("x\r\n")}})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s, %q: err %v, want %q", tc.offer, tc.mech, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s, %q: %v", tc.offer, tc.mech, err)
			continue
		}
		var got []string
		for _, l := range s.lines() {
			if strings.HasPrefix(l, "AUTH LOGIN") || strings.HasPrefix(l, "LOGIN ") || strings.HasPrefix(l, "PLAIN ") || strings.HasPrefix(l, "XOAUTH2 ") {
				got = append(got, l)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s, %q: the server heard %q, want %q", tc.offer, tc.mech, got, tc.want)
		}
	}
}
