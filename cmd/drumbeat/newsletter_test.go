package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"go/build"
	"html"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/mailer"
	"github.com/drumbeat/drumbeat/generator/render/email"
	"github.com/drumbeat/drumbeat/generator/sendlog"
)

// testSecret signs the unsubscribe tokens of the test sends.
const testSecret = "test-unsubscribe-secret"

// unsubURL is the example's unsubscribe address for a reader.
func unsubURL(addr string) string {
	return "https://lists.alliance.example.org/unsubscribe?email=" + url.QueryEscape(addr) + "&token=" + email.UnsubscribeToken(testSecret, addr)
}

// archiveUnsub is the unsubscribe address of the archive's copy, which
// names no reader: a message to the sender.
const archiveUnsub = "mailto:news@alliance.example.org?subject=Unsubscribe"

// MailpitVersion is the Mailpit the end-to-end test is written against;
// .ci/run installs it.
const MailpitVersion = "v1.33.1"

// htmlCheckFloor is what Mailpit's HTML compatibility check (caniemail.com
// data) may report as unsupported somewhere, and why each is there on
// purpose. Anything else unsupported fails the test, naming the feature.
var htmlCheckFloor = map[string]string{
	"html-body":           "every HTML document has a body; the clients that drop its styles get the same colours from the wrapping div",
	"html-style":          "the <style> in the head carries only the phone layout and dark mode; everything else is inlined",
	"css-at-media":        "the phone layout and dark mode are progressive enhancements; without them the 600 px column still shrinks",
	"css-max-width":       "the fluid 600 px column; Outlook on Windows gets a fixed 600 px table through a conditional comment",
	"css-border-radius":   "rounded corners are decoration: square corners lose nothing",
	"css-text-decoration": "links are underlined; where that is ignored they keep their colour",
	"css-display-none":    "hides the preheader; max-height and overflow hide it where display:none is ignored",
	"css-max-height":      "second way to hide the preheader",
	"css-overflow":        "third way to hide the preheader",
}

// htmlCheckMaxUnsupported is the floor for Mailpit's overall score: the
// share of (feature, client) tests that report no support, in percent.
// The November issue scores 1.10 and the October one (with light and
// dark charts) 1.12 with Mailpit v1.33.1.
const htmlCheckMaxUnsupported = 1.5

// mailpit starts Mailpit on free ports of 127.0.0.1 and returns its SMTP
// port and API address. Without Mailpit the test is skipped with a
// message, unless DRUMBEAT_REQUIRE_MAILPIT is set (as CI does).
func mailpit(t *testing.T, extra ...string) (smtpPort int, api string) {
	t.Helper()
	exe := os.Getenv("DRUMBEAT_MAILPIT")
	if exe == "" {
		exe, _ = exec.LookPath("mailpit")
	}
	if exe == "" {
		for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(build.Default.GOPATH, "bin")} {
			if p := filepath.Join(dir, "mailpit"); dir != "" {
				if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
					exe = p
					break
				}
			}
		}
	}
	if exe == "" {
		if os.Getenv("DRUMBEAT_REQUIRE_MAILPIT") != "" {
			t.Fatal("Mailpit is required (DRUMBEAT_REQUIRE_MAILPIT is set) but not installed")
		}
		t.Skip("SKIPPED: the end-to-end newsletter test needs Mailpit: go install github.com/axllent/mailpit@" + MailpitVersion)
	}
	free := func() int {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port
	}
	smtpPort, httpPort := free(), free()
	api = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	args := []string{"--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--disable-version-check", "--smtp-disable-rdns", "--quiet"}
	cmd := exec.Command(exe, append(args, extra...)...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Mailpit: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("Mailpit's log:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(api + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Mailpit did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return smtpPort, api
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

type mpAddress struct{ Name, Address string }

type mpSummary struct {
	ID        string
	MessageID string
	Subject   string
	To        []mpAddress
}

type mpMessage struct {
	ID        string
	MessageID string
	From      mpAddress
	To        []mpAddress
	Bcc       []mpAddress
	ReplyTo   []mpAddress
	Subject   string
	Date      time.Time
	Text      string
	HTML      string
}

type mpHTMLCheck struct {
	Total struct {
		Nodes, Tests                    float64
		Supported, Partial, Unsupported float64
	}
	Warnings []struct {
		Slug, Title string
		Score       struct {
			Found                           int
			Supported, Partial, Unsupported float64
		}
	}
}

// TestNewsletterSendThroughMailpit sends the example's November issue with
// `drumbeat newsletter send` to a real SMTP server, reads it back through
// Mailpit's API and checks its headers, its parts, that its HTML is the
// email.html the build writes, and Mailpit's HTML compatibility report.
func TestNewsletterSendThroughMailpit(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)

	site := copySite(t, "../..")
	code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--to", `Pat Lee <pat@example.org>, sam@example.org`, "-s", site, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("newsletter send: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"sent to \"Pat Lee\" <pat@example.org>", "sent to sam@example.org", "sent 2 of 2", "127.0.0.1:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, stdout)
		}
	}

	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-s", "../..", "-o", out, "--now", "2026-11-27"); code != exitOK {
		t.Fatalf("build: %s", stderr)
	}
	built, err := os.ReadFile(filepath.Join(out, "newsletter", "2026-11", "email.html"))
	if err != nil {
		t.Fatal(err)
	}
	builtText, _ := os.ReadFile(filepath.Join(out, "newsletter", "2026-11", "email.txt"))

	var list struct {
		Total    int
		Messages []mpSummary
	}
	getJSON(t, api+"/api/v1/messages", &list)
	if list.Total != 2 {
		t.Fatalf("Mailpit holds %d messages, want one for each of the 2 recipients", list.Total)
	}
	ids := map[string]bool{}
	for _, s := range list.Messages {
		if ids[s.MessageID] {
			t.Errorf("two messages share the Message-ID %s", s.MessageID)
		}
		ids[s.MessageID] = true
		if len(s.To) != 1 {
			t.Errorf("message %s is addressed to %v; each recipient gets a message of their own", s.ID, s.To)
		}

		var m mpMessage
		getJSON(t, api+"/api/v1/message/"+s.ID, &m)
		if m.Subject != "Kestrel Pharmacy: 910 doses after work and on Saturdays" {
			t.Errorf("subject %q", m.Subject)
		}
		if m.From != (mpAddress{"Riverbend Immunisation Alliance", "news@alliance.example.org"}) {
			t.Errorf("from %+v", m.From)
		}
		if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "team@alliance.example.org" {
			t.Errorf("reply-to %+v", m.ReplyTo)
		}
		if len(m.Bcc) != 0 {
			t.Errorf("bcc %+v", m.Bcc)
		}
		reader := m.To[0].Address
		if !strings.Contains(m.Text, "Read it on the web: https://alliance.example.org/newsletter/2026-11/") ||
			!strings.Contains(m.Text, "Unsubscribe: "+unsubURL(reader)) {
			t.Errorf("the plain-text part lacks the web link or the unsubscribe link:\n%s", m.Text)
		}
		if !strings.Contains(m.HTML, "View this email in your browser") || !strings.Contains(m.HTML, "Unsubscribe") {
			t.Error("the HTML part lacks the view-in-browser or unsubscribe link")
		}

		var headers map[string][]string
		getJSON(t, api+"/api/v1/message/"+s.ID+"/headers", &headers)
		for name, want := range map[string]string{
			"List-Unsubscribe":      "<" + unsubURL(reader) + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Mime-Version":          "1.0",
			"List-Id":               "Riverbend Immunisation Alliance newsletter <newsletter.alliance.example.org>",
		} {
			if got := headers[name]; len(got) != 1 || got[0] != want {
				t.Errorf("header %s = %q, want %q", name, got, want)
			}
		}
		if got := headers["Message-Id"]; len(got) != 1 || !strings.HasSuffix(got[0], "@alliance.example.org>") {
			t.Errorf("Message-ID %q", got)
		}
		if got := headers["Date"]; len(got) != 1 {
			t.Errorf("Date %q", got)
		}

		// The raw message: multipart/alternative, plain text then HTML,
		// both UTF-8 and quoted-printable; the HTML is the built email.html.
		resp, err := http.Get(api + "/api/v1/message/" + s.ID + "/raw")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("Content-Type %q", msg.Header.Get("Content-Type"))
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var types []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			types = append(types, p.Header.Get("Content-Type"))
			// multipart.Reader decodes quoted-printable and drops the header.
			body, _ := io.ReadAll(p)
			body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
			// The archive's copy is the reference: each reader's differs
			// only in the unsubscribe address, which names them.
			switch p.Header.Get("Content-Type") {
			case "text/html; charset=utf-8":
				want := bytes.Replace(built, []byte(`href="`+html.EscapeString(archiveUnsub)+`"`), []byte(`href="`+html.EscapeString(unsubURL(reader))+`"`), 1)
				if bytes.Equal(want, built) || !bytes.Equal(body, want) {
					t.Error("the HTML part is not the email.html the build writes, with the reader's unsubscribe address")
				}
			case "text/plain; charset=utf-8":
				want := bytes.Replace(builtText, []byte("Unsubscribe: "+archiveUnsub+"\n"), []byte("Unsubscribe: "+unsubURL(reader)+"\n"), 1)
				if bytes.Equal(want, builtText) || !bytes.Equal(body, want) {
					t.Error("the plain-text part is not the email.txt the build writes, with the reader's unsubscribe address")
				}
			}
		}
		if !slices.Equal(types, []string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}) {
			t.Errorf("parts %q, want plain text then HTML", types)
		}

		checkHTML(t, api, s.ID)
	}
}

// checkHTML runs Mailpit's HTML compatibility check on a message: only
// what htmlCheckFloor explains may be unsupported somewhere, and the
// overall score stays under htmlCheckMaxUnsupported.
func checkHTML(t *testing.T, api, id string) {
	t.Helper()
	var check mpHTMLCheck
	getJSON(t, api+"/api/v1/message/"+id+"/html-check", &check)
	if check.Total.Tests == 0 {
		t.Fatal("Mailpit's HTML check ran no tests")
	}
	for _, w := range check.Warnings {
		if w.Score.Unsupported > 0 {
			if _, ok := htmlCheckFloor[w.Slug]; !ok {
				t.Errorf("Mailpit's HTML check: %s (%s) is unsupported in %.1f %% of clients; it is not in the documented floor", w.Title, w.Slug, w.Score.Unsupported)
			}
		}
	}
	if check.Total.Unsupported > htmlCheckMaxUnsupported {
		t.Errorf("Mailpit's HTML check scores %.2f %% unsupported, above the floor of %.2f %%", check.Total.Unsupported, htmlCheckMaxUnsupported)
	}
	t.Logf("Mailpit HTML check: %.1f %% supported, %.1f %% partial, %.2f %% unsupported over %.0f tests",
		check.Total.Supported, check.Total.Partial, check.Total.Unsupported, check.Total.Tests)
}

// TestNewsletterSendHeaderInjection sends an issue whose subject and
// sender name hold line breaks: each stays on its one header line, and no
// Bcc or other header is added.
func TestNewsletterSendHeaderInjection(t *testing.T) {
	port, api := mailpit(t)
	dir := copySite(t, "../..")
	issue := filepath.Join(dir, "content", "newsletter", "2026-11.md")
	b, _ := os.ReadFile(issue)
	b = regexp.MustCompile(`(?m)^subject: .*$`).ReplaceAll(b, []byte("subject: \"Hello\\r\\nBcc: evil@example.org\\r\\nX-Evil: 1\""))
	os.WriteFile(issue, b, 0o644)
	t.Setenv("DRUMBEAT_SMTP_HOST", "127.0.0.1")
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", testSecret)
	t.Setenv("DRUMBEAT_SMTP_PORT", fmt.Sprint(port))
	code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--to", "pat@example.org", "-s", dir, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("newsletter send: exit %d\n%s%s", code, stdout, stderr)
	}
	var list struct{ Messages []mpSummary }
	getJSON(t, api+"/api/v1/messages", &list)
	if len(list.Messages) != 1 {
		t.Fatalf("%d messages", len(list.Messages))
	}
	var m mpMessage
	getJSON(t, api+"/api/v1/message/"+list.Messages[0].ID, &m)
	if len(m.Bcc) != 0 || len(m.To) != 1 {
		t.Errorf("to %+v, bcc %+v", m.To, m.Bcc)
	}
	if m.Subject != "Hello Bcc: evil@example.org X-Evil: 1" {
		t.Errorf("subject %q", m.Subject)
	}
	var headers map[string][]string
	getJSON(t, api+"/api/v1/message/"+m.ID+"/headers", &headers)
	if _, ok := headers["X-Evil"]; ok {
		t.Error("a line break in the subject added a header")
	}
	// Recipients cannot inject either.
	if code, _, stderr := runCmd("newsletter", "send", "2026-11", "--to", "pat@example.org\r\nBcc: evil@example.org", "-s", dir, "--now", "2026-11-27"); code != exitUsage {
		t.Errorf("--to with a line break: exit %d, %s", code, stderr)
	}
}

// addNewsletterKeys adds lines (indented keys) under site.yaml's
// newsletter block, wherever that block stands in the file.
func addNewsletterKeys(t *testing.T, site, lines string) {
	t.Helper()
	p := filepath.Join(site, "site.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s, n := strings.CutPrefix(string(b), "newsletter:\n")
	if n {
		s = "newsletter:\n" + lines + s
	} else if i := strings.Index(string(b), "\nnewsletter:\n"); i >= 0 {
		s = string(b[:i]) + "\nnewsletter:\n" + lines + string(b[i+len("\nnewsletter:\n"):])
	} else {
		t.Fatal("site.yaml has no newsletter block")
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sendThrough points drumbeat newsletter send at an SMTP server on
// 127.0.0.1 and port (a number or a string), without a login, with the
// unsubscribe secret of the tests.
func sendThrough(t *testing.T, port any) {
	t.Helper()
	t.Setenv("DRUMBEAT_SMTP_HOST", "127.0.0.1")
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", testSecret)
	t.Setenv("DRUMBEAT_SMTP_PORT", fmt.Sprint(port))
	t.Setenv("DRUMBEAT_SMTP_USERNAME", "")
	t.Setenv("DRUMBEAT_SMTP_PASSWORD", "")
}

// copySite copies a site's sources (not its output) into a temporary folder.
func copySite(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	for _, dir := range []string{"content", "data", "static", "layouts"} {
		filepath.Walk(filepath.Join(src, dir), func(p string, fi os.FileInfo, err error) error {
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(src, p)
			if fi.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		})
	}
	b, err := os.ReadFile(filepath.Join(src, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dst, "site.yaml"), b, 0o644)
	return dst
}

func TestNewsletterSendUsage(t *testing.T) {
	t.Setenv("DRUMBEAT_SMTP_HOST", "")
	t.Setenv("DRUMBEAT_SMTP_PORT", "")
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"newsletter"}, exitUsage, "drumbeat newsletter send YYYY-MM"},
		{[]string{"newsletter", "--help"}, exitOK, "DRUMBEAT_SMTP_PASSWORD"},
		{[]string{"newsletter", "publish"}, exitUsage, `unknown command "publish"`},
		{[]string{"newsletter", "send", "--to", "a@example.org"}, exitUsage, "name one issue"},
		{[]string{"newsletter", "send", "2026-11"}, exitUsage, "--to or --list is required"},
		{[]string{"newsletter", "send", "2026-11", "--to", "not an address"}, exitUsage, "not a list of email addresses"},
		{[]string{"newsletter", "send", "2026-13", "--to", "a@example.org", "-s", "../..", "--now", "2026-11-27"}, exitInput, "is not a month"},
		{[]string{"newsletter", "send", "2026-12", "--to", "a@example.org", "-s", "../..", "--now", "2026-11-27"}, exitInput, "there is no issue for 2026-12"},
		{[]string{"newsletter", "send", "2026-11", "--to", "a@example.org", "-s", "../..", "--now", "2026-11-20"}, exitInput, "not sent before its date"},
		{[]string{"newsletter", "send", "2026-11", "--to", "a@example.org", "-s", "../..", "--now", "2026-11-27", "--dry-run"}, exitInput, "no SMTP server"},
	}
	for _, tc := range tests {
		code, out, errs := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.out) {
			t.Errorf("drumbeat %s: exit %d (want %d), output:\n%s%s\nwant it to contain %q", strings.Join(tc.args, " "), code, tc.code, out, errs, tc.out)
		}
	}
}

func TestNewsletterDryRunConnectsToNothing(t *testing.T) {
	// A port nothing listens on: a dry run must not notice.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	t.Setenv("DRUMBEAT_SMTP_HOST", "127.0.0.1")
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", testSecret)
	t.Setenv("DRUMBEAT_SMTP_PORT", fmt.Sprint(port))
	code, stdout, stderr := runCmd("newsletter", "send", "--dry-run", "2026-11", "--to", "a@example.org,b@example.org", "-s", "../..", "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	for _, want := range []string{"dry run: nothing was sent", "would send to a@example.org", "would send to b@example.org", "multipart/alternative"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run report lacks %q:\n%s", want, stdout)
		}
	}
	// Without the secret the tokens are signed with, nothing is sent.
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", "")
	code, _, stderr = runCmd("newsletter", "send", "--dry-run", "2026-11", "--to", "a@example.org", "-s", "../..", "--now", "2026-11-27")
	if code != exitInput || !strings.Contains(stderr, "DRUMBEAT_UNSUBSCRIBE_SECRET is not set") {
		t.Errorf("no secret: exit %d, %s", code, stderr)
	}
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", testSecret)
	// Without the dry run, the refused connection is an error.
	code, _, stderr = runCmd("newsletter", "send", "2026-11", "--to", "a@example.org", "-s", copySite(t, "../.."), "--now", "2026-11-27")
	if code != exitInput || !strings.Contains(stderr, "connect to 127.0.0.1:") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestNewsletterSendSTARTTLS sends through a Mailpit that requires
// STARTTLS and a login: the connection is upgraded, the certificate
// checked, and the password sent only over TLS.
func TestNewsletterSendSTARTTLS(t *testing.T) {
	dir := t.TempDir()
	pool := selfSigned(t, dir)
	port, api := mailpit(t, "--smtp-tls-cert", filepath.Join(dir, "cert.pem"), "--smtp-tls-key", filepath.Join(dir, "key.pem"),
		"--smtp-require-starttls", "--smtp-auth-accept-any")
	site := copySite(t, "../..")
	rep, err := generator.SendNewsletter(context.Background(), generator.Options{Source: site, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, "2026-11",
		generator.Send{To: []generator.Recipient{{Addr: "pat@example.org"}}, UnsubscribeSecret: testSecret, SMTP: mailer.Config{Host: "127.0.0.1", Port: port, Username: "news", Password: "secret",
			TLS: &tls.Config{RootCAs: pool}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Security != mailer.STARTTLS {
		t.Errorf("security %q, want STARTTLS", rep.Security)
	}
	var list struct{ Total int }
	getJSON(t, api+"/api/v1/messages", &list)
	if list.Total != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", list.Total)
	}
	// A certificate the client does not trust stops the delivery.
	_, err = generator.SendNewsletter(context.Background(), generator.Options{Source: site, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, "2026-11",
		generator.Send{To: []generator.Recipient{{Addr: "sam@example.org"}}, UnsubscribeSecret: testSecret, SMTP: mailer.Config{Host: "127.0.0.1", Port: port}})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("an untrusted certificate: %v", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir and
// returns a pool that trusts it.
func selfSigned(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

// dropProxy forwards TCP connections to addr and, once, cuts the
// connection it is on when the client starts its dropAt-th mail
// transaction (MAIL FROM), as a server that restarts or times out does.
type dropProxy struct {
	addr    string
	target  string
	dropAt  int
	mu      sync.Mutex
	mails   int
	dropped bool
}

func newDropProxy(t *testing.T, target string, dropAt int) *dropProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	p := &dropProxy{addr: l.Addr().String(), target: target, dropAt: dropAt}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *dropProxy) serve(c net.Conn) {
	defer c.Close()
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer s.Close()
	go io.Copy(c, s)
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.HasPrefix(strings.ToUpper(line), "MAIL FROM:") {
			p.mu.Lock()
			p.mails++
			drop := p.mails == p.dropAt && !p.dropped
			if drop {
				p.dropped = true
			}
			p.mu.Unlock()
			if drop {
				return // both ends closed: the connection drops mid-session
			}
		}
		if _, err := s.Write([]byte(line)); err != nil {
			return
		}
	}
}

// mailpitByAddress returns the Message-IDs Mailpit holds for each
// recipient address.
func mailpitByAddress(t *testing.T, api string) map[string][]string {
	t.Helper()
	var list struct {
		Total    int
		Messages []mpSummary
	}
	getJSON(t, api+"/api/v1/messages?limit=2000", &list)
	if list.Total != len(list.Messages) {
		t.Fatalf("Mailpit lists %d of %d messages", len(list.Messages), list.Total)
	}
	got := map[string][]string{}
	for _, m := range list.Messages {
		if len(m.To) != 1 {
			t.Errorf("message %s is addressed to %v", m.ID, m.To)
			continue
		}
		a := strings.ToLower(m.To[0].Address)
		got[a] = append(got[a], m.MessageID)
	}
	return got
}

func setChaos(t *testing.T, api, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, api+"/api/v1/chaos", strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("PUT chaos: %s", resp.Status)
	}
}

func mailpitCount(t *testing.T, api string) int {
	var list struct{ Total int }
	getJSON(t, api+"/api/v1/messages?limit=1", &list)
	return list.Total
}

// addresses returns n distinct recipient addresses.
func addresses(n int) []string {
	var as []string
	for i := range n {
		as = append(as, fmt.Sprintf("reader%03d@example.org", i))
	}
	return as
}

// checkLogMatchesMailpit checks that the send log records as sent exactly
// the addresses Mailpit holds a message for, with the same Message-IDs,
// and that no address got two.
func checkLogMatchesMailpit(t *testing.T, logPath string, inMailpit map[string][]string) sendlog.State {
	t.Helper()
	st, err := sendlog.Read(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for a, ids := range inMailpit {
		if len(ids) != 1 {
			t.Errorf("%s has %d messages in Mailpit, want 1", a, len(ids))
		}
		e, ok := st.Has(a)
		if !ok {
			t.Errorf("%s has the issue in Mailpit but the send log says %q", a, st[a].Status)
			continue
		}
		if e.MessageID != ids[0] {
			t.Errorf("%s: the log has Message-ID %s, Mailpit %s", a, e.MessageID, ids[0])
		}
	}
	for a, e := range st {
		if e.Status == sendlog.Sent && len(inMailpit[a]) == 0 {
			t.Errorf("the send log says %s was sent the issue; Mailpit has nothing for it", a)
		}
	}
	return st
}

// summaryRe reads the summary line of a send.
var summaryRe = regexp.MustCompile(`(?m)^sent (\d+) of (\d+), skipped (\d+) already sent, failed (\d+), not attempted (\d+)$`)

type sendSummary struct{ sent, total, skipped, failed, left int }

func parseSummary(t *testing.T, stdout string) sendSummary {
	t.Helper()
	m := summaryRe.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", stdout)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	return sendSummary{n(1), n(2), n(3), n(4), n(5)}
}

// TestNewsletterSendChaos sends the issue to 300 addresses through a
// Mailpit that, part-way through, answers 451 (temporary) for a moment,
// answers 550 (permanent) for a moment, and whose connection drops once.
// Afterwards the send log matches Mailpit, the report matches both, and
// a second run sends to exactly those the first missed.
func TestNewsletterSendChaos(t *testing.T) {
	heavy.Test(t)
	port, api := mailpit(t, "--enable-chaos")
	proxy := newDropProxy(t, fmt.Sprintf("127.0.0.1:%d", port), 150)
	_, pport, _ := net.SplitHostPort(proxy.addr)
	sendThrough(t, pport)
	site := copySite(t, "../..")
	logPath := generator.SendLogPath(site, "2026-11")
	list := addresses(300)

	// The chaos: a 451 for every recipient once 60 messages are in, for
	// less than the sender's first pause; a 550 for every recipient once
	// 220 are in, until the log shows a failure.
	chaosDone := make(chan struct{})
	stopChaos := make(chan struct{})
	go func() {
		defer close(chaosDone)
		wait := func(cond func() bool) bool {
			for !cond() {
				select {
				case <-stopChaos:
					return false
				case <-time.After(5 * time.Millisecond):
				}
			}
			return true
		}
		if !wait(func() bool { return mailpitCount(t, api) >= 60 }) {
			return
		}
		setChaos(t, api, `{"Recipient":{"ErrorCode":451,"Probability":100}}`)
		time.Sleep(300 * time.Millisecond)
		setChaos(t, api, `{}`)
		if !wait(func() bool { return mailpitCount(t, api) >= 220 }) {
			return
		}
		setChaos(t, api, `{"Recipient":{"ErrorCode":550,"Probability":100}}`)
		wait(func() bool { b, _ := os.ReadFile(logPath); return bytes.Contains(b, []byte(`"status":"failed"`)) })
		setChaos(t, api, `{}`)
	}()
	start := time.Now()
	code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--to", strings.Join(list, ","), "-s", site, "--now", "2026-11-27")
	close(stopChaos)
	<-chaosDone
	t.Logf("first run: %s, exit %d", time.Since(start).Round(time.Millisecond), code)
	if !proxy.dropped {
		t.Error("the connection was never dropped")
	}
	// 300 transactions, one more after the dropped connection and at
	// least one more after a 451: the temporary failures were retried.
	proxy.mu.Lock()
	mails := proxy.mails
	proxy.mu.Unlock()
	t.Logf("first run: %d mail transactions begun for 300 addresses", mails)
	if mails < 302 {
		t.Errorf("%d mail transactions: the 451 or the dropped connection was not retried", mails)
	}

	got := mailpitByAddress(t, api)
	st := checkLogMatchesMailpit(t, logPath, got)
	sum := parseSummary(t, stdout)
	t.Logf("first run: %+v; Mailpit holds %d", sum, len(got))
	if sum.total != 300 || sum.sent != len(got) || sum.skipped != 0 || sum.left != 0 || sum.failed != 300-len(got) {
		t.Errorf("summary %+v, Mailpit holds %d of 300\n%s", sum, len(got), stdout)
	}
	if sum.failed == 0 || code != exitInput {
		t.Errorf("the 550 failed no message (exit %d):\n%s", code, stderr)
	}
	// Each address without the issue is reported with the server's reply,
	// and logged as failed.
	for _, a := range list {
		if len(got[a]) > 0 {
			if strings.Contains(stderr, "failed: "+a+":") {
				t.Errorf("%s is reported failed but has the issue", a)
			}
			continue
		}
		if !strings.Contains(stderr, "failed: "+a+": 550 Chaos recipient error") {
			t.Errorf("%s lacks the issue, but the report does not say so with the server's reply:\n%s", a, stderr)
		}
		if st[a].Status != sendlog.Failed {
			t.Errorf("%s: the log says %q", a, st[a].Status)
		}
	}
	if !strings.Contains(stderr, "Run the same command again") {
		t.Errorf("the report does not say what to do:\n%s", stderr)
	}

	// The second run sends to exactly those the first missed.
	code, stdout, stderr = runCmd("newsletter", "send", "2026-11", "--to", strings.Join(list, ","), "-s", site, "--now", "2026-11-27")
	if code != exitOK {
		t.Errorf("second run: exit %d\n%s", code, stderr)
	}
	sum2 := parseSummary(t, stdout)
	t.Logf("second run: %+v", sum2)
	if sum2 != (sendSummary{sent: sum.failed, total: 300, skipped: sum.sent}) {
		t.Errorf("second run: summary %+v, want %d sent and %d skipped", sum2, sum.failed, sum.sent)
	}
	if !strings.Contains(stdout, fmt.Sprintf("skipped %d already sent", sum.sent)) {
		t.Errorf("second run does not say how many it skipped:\n%s", stdout)
	}
	got = mailpitByAddress(t, api)
	checkLogMatchesMailpit(t, logPath, got)
	if len(got) != 300 {
		t.Errorf("after the second run Mailpit holds messages for %d of 300 addresses", len(got))
	}
}

// countSent counts the "sent" lines of a send log.
func countSent(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte(`"status":"sent"`))
}

// TestNewsletterSendKilled kills `drumbeat newsletter send` with SIGKILL
// part-way through a 300-address send, then runs it again: every address
// ends with exactly one message, and the send log matches Mailpit.
func TestNewsletterSendKilled(t *testing.T) {
	heavy.Test(t)
	port, api := mailpit(t)
	site := copySite(t, "../..")
	logPath := generator.SendLogPath(site, "2026-11")
	list := strings.Join(addresses(300), ",")
	// Paced at 10 a second, so the kill most likely lands between messages;
	// a kill while the server has a message is the case the log's
	// "sending" line is for, and the rerun says so.
	cmd := exec.Command(os.Args[0], "newsletter", "send", "2026-11", "--to", list, "-s", site, "--now", "2026-11-27", "--rate", "600/min")
	cmd.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1", "DRUMBEAT_SMTP_HOST=127.0.0.1", "DRUMBEAT_UNSUBSCRIBE_SECRET="+testSecret, fmt.Sprintf("DRUMBEAT_SMTP_PORT=%d", port),
		"DRUMBEAT_SMTP_USERNAME=", "DRUMBEAT_SMTP_PASSWORD=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for countSent(logPath) < 40 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the send did not get to 40 messages in a minute")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	killedAt := countSent(logPath)
	got := mailpitByAddress(t, api)
	checkLogMatchesMailpit(t, logPath, got)
	t.Logf("killed with %d sent in the log and %d addresses in Mailpit", killedAt, len(got))

	sendThrough(t, port)
	code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--to", list, "-s", site, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("rerun: exit %d\n%s", code, stderr)
	}
	sum := parseSummary(t, stdout)
	if sum.skipped != killedAt || sum.sent != 300-killedAt {
		t.Errorf("rerun: %+v, want %d skipped and the rest sent", sum, killedAt)
	}
	got = mailpitByAddress(t, api)
	checkLogMatchesMailpit(t, logPath, got)
	if len(got) != 300 {
		t.Errorf("Mailpit holds messages for %d of 300 addresses", len(got))
	}
}

// TestNewsletterSendInterrupted stops a send as Ctrl-C does: the message
// in flight is finished, the summary is printed with who was not
// attempted, the exit status is not 0, and the log matches Mailpit.
func TestNewsletterSendInterrupted(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	logPath := generator.SendLogPath(site, "2026-11")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for countSent(logPath) < 10 {
			time.Sleep(2 * time.Millisecond)
		}
		cancel()
	}()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"newsletter", "send", "2026-11", "--to", strings.Join(addresses(50), ","), "-s", site, "--now", "2026-11-27", "--rate", "1200/min"}, &out, &errb)
	if code == exitOK {
		t.Fatalf("an interrupted send exits 0:\n%s", out.String())
	}
	sum := parseSummary(t, out.String())
	got := mailpitByAddress(t, api)
	checkLogMatchesMailpit(t, logPath, got)
	if sum.sent != len(got) || sum.left != 50-len(got) || sum.failed != 0 || sum.left == 0 {
		t.Errorf("summary %+v, Mailpit holds %d", sum, len(got))
	}
	for _, want := range []string{"the send stopped: interrupted", "not attempted: reader049@example.org"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
}

// TestSendProgressLine checks the progress line a terminal gets: it is
// redrawn after each recipient and cleared before any other line.
func TestSendProgressLine(t *testing.T) {
	var out, errb bytes.Buffer
	p := &sendPrinter{out: &out, errw: &errb, term: true}
	rep := &generator.SendReport{Recipients: []*generator.Sent{
		{To: "a@example.org", Status: generator.Delivered, MessageID: "1@x"},
		{To: "b@example.org", Status: generator.Failed, Reply: "550 no"},
		{To: "c@example.org", Status: generator.NotAttempted},
	}}
	p.progress(rep, rep.Recipients[0])
	p.progress(rep, rep.Recipients[1])
	p.finish(rep, nil)
	want := "sending: 1 sent, 1 failed, 1 to go\r\033[Knot sent to b@example.org: 550 no\nsending: 1 sent, 1 failed, 1 to go\r\033[K"
	if !strings.HasPrefix(errb.String(), want) {
		t.Errorf("stderr %q, want it to begin %q", errb.String(), want)
	}
	if !strings.Contains(out.String(), "sent 1 of 3, skipped 0 already sent, failed 1, not attempted 1") {
		t.Errorf("stdout %q", out.String())
	}
}

// TestNewsletterSendList sends to a CSV list: a bad row stops everything
// before a connection, with the file and line; a good list (BOM, CRLF,
// an address twice in other case) gets one message per address, with the
// name in To.
func TestNewsletterSendList(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("email,name,partner\npat@example.org,Pat Lee,kestrel\nsam@example.org,Sam\nkim.example.org,Kim,\n"), 0o644)
	code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--list", bad, "-s", site, "--now", "2026-11-27")
	for _, want := range []string{bad + ":3: this row has 2 fields but the header has 3", bad + `:4:1: "kim.example.org" is not an email address`, "nothing was sent: 2 errors"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("a bad list: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitInput || mailpitCount(t, api) != 0 || strings.Contains(stdout, "sent to") {
		t.Fatalf("a bad list: exit %d, %d messages in Mailpit\n%s", code, mailpitCount(t, api), stdout)
	}

	good := filepath.Join(dir, "list.csv")
	os.WriteFile(good, []byte("\ufeffEmail,Name,Partner,Role\r\npat@example.org,Pat Lee,kestrel,CEO\r\nsam@example.org,,,\r\nPAT@example.org,Pat again,,\r\n\"kim@example.org\",\"Kim, Jo\",,\r\n"), 0o644)
	code, stdout, stderr = runCmd("newsletter", "send", "2026-11", "--list", good, "-s", site, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"list:     3 recipients (1 address given more than once, sent once)", `sent to "Pat Lee" <pat@example.org>`,
		`sent to "Kim, Jo" <kim@example.org>`, "sent 3 of 3, skipped 0 already sent, failed 0, not attempted 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	got := mailpitByAddress(t, api)
	if len(got) != 3 || len(got["pat@example.org"]) != 1 {
		t.Errorf("Mailpit holds %v", got)
	}
	// Dry run counts, with what the log holds.
	code, stdout, _ = runCmd("newsletter", "send", "2026-11", "--list", good, "--to", "new@example.org", "-s", site, "--now", "2026-11-27", "--dry-run")
	if code != exitOK || !strings.Contains(stdout, "would send 1 of 4, skipped 3 already sent") {
		t.Errorf("dry run: exit %d\n%s", code, stdout)
	}
}

// mailpitParts returns the plain-text and HTML parts of a message, as
// the build writes them (LF line ends).
func mailpitParts(t *testing.T, api, id string) (text, html []byte) {
	t.Helper()
	resp, err := http.Get(api + "/api/v1/message/" + id + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(p)
		body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = body
		} else {
			text = body
		}
	}
	return text, html
}

// TestNewsletterSendGreeting sends an issue that greets each reader by
// the name in the list: the name is escaped, a reader without one gets
// the fallback, and that message is the archive's email.html and
// email.txt byte for byte.
func TestNewsletterSendGreeting(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	addNewsletterKeys(t, site, "  greeting: Dear {name},\n  greeting_fallback: Dear partners,\n")
	list := filepath.Join(t.TempDir(), "list.csv")
	os.WriteFile(list, []byte("email,name\npat@example.org,Pat <Lee> & Co\nsam@example.org,\n"), 0o644)
	if code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--list", list, "-s", site, "--now", "2026-11-27"); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-s", site, "-o", out, "--now", "2026-11-27"); code != exitOK {
		t.Fatalf("build: %s", stderr)
	}
	builtHTML, _ := os.ReadFile(filepath.Join(out, "newsletter", "2026-11", "email.html"))
	builtText, _ := os.ReadFile(filepath.Join(out, "newsletter", "2026-11", "email.txt"))
	if !bytes.Contains(builtHTML, []byte(">Dear partners,</p>")) || !bytes.Contains(builtText, []byte("\nDear partners,\n")) {
		t.Error("the archive's email does not greet with the fallback")
	}
	var list2 struct{ Messages []mpSummary }
	getJSON(t, api+"/api/v1/messages", &list2)
	if len(list2.Messages) != 2 {
		t.Fatalf("%d messages", len(list2.Messages))
	}
	for _, m := range list2.Messages {
		text, htm := mailpitParts(t, api, m.ID)
		switch m.To[0].Address {
		case "sam@example.org":
			want := bytes.Replace(builtText, []byte(archiveUnsub), []byte(unsubURL("sam@example.org")), 1)
			if !bytes.Equal(text, want) {
				t.Error("the message to a reader without a name is not the archive's email.txt but for the unsubscribe address")
			}
		case "pat@example.org":
			if !bytes.Contains(htm, []byte(">Dear Pat &lt;Lee&gt; &amp; Co,</p>")) || !bytes.Contains(text, []byte("\nDear Pat <Lee> & Co,\n")) {
				t.Error("the message to Pat does not greet Pat, escaped")
			}
			got := bytes.Replace(htm, []byte(">Dear Pat &lt;Lee&gt; &amp; Co,</p>"), []byte(">Dear partners,</p>"), 1)
			got = bytes.Replace(got, []byte(html.EscapeString(unsubURL("pat@example.org"))), []byte(html.EscapeString(archiveUnsub)), 1)
			if !bytes.Equal(got, builtHTML) {
				t.Error("the message to Pat differs from the archive's in more than the greeting")
			}
		}
	}
}

// TestNewsletterSendLogins logs in to a Mailpit that checks the password,
// with PLAIN and with LOGIN (Microsoft 365 offers no PLAIN); a wrong
// password sends nothing and says so; --dry-run --probe logs in and sends
// nothing.
func TestNewsletterSendLogins(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth")
	os.WriteFile(auth, []byte("news@alliance.example.org:right-password\n"), 0o600)
	port, api := mailpit(t, "--smtp-auth-file", auth, "--smtp-auth-allow-insecure")
	t.Setenv("DRUMBEAT_SMTP_HOST", "127.0.0.1")
	t.Setenv("DRUMBEAT_UNSUBSCRIBE_SECRET", testSecret)
	t.Setenv("DRUMBEAT_SMTP_PORT", fmt.Sprint(port))
	t.Setenv("DRUMBEAT_SMTP_USERNAME", "news@alliance.example.org")
	site := copySite(t, "../..")
	send := func(mech, password string, extra ...string) (int, string, string) {
		t.Setenv("DRUMBEAT_SMTP_AUTH", mech)
		t.Setenv("DRUMBEAT_SMTP_PASSWORD", password)
		args := append([]string{"newsletter", "send", "2026-11", "--to", strings.ToLower(mech) + "@example.org,other-" + strings.ToLower(mech) + "@example.org", "-s", site, "--now", "2026-11-27"}, extra...)
		return runCmd(args...)
	}
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		before := mailpitCount(t, api)
		// A wrong password: nothing is sent, and the report says so.
		code, stdout, stderr := send(mech, "wrong")
		if code != exitInput || mailpitCount(t, api) != before || !strings.Contains(stderr, "log in to 127.0.0.1:") ||
			!strings.Contains(stdout, "sent 0 of 2, skipped 0 already sent, failed 0, not attempted 2") {
			t.Errorf("%s with a wrong password: exit %d\n%s%s", mech, code, stdout, stderr)
		}
		// A probe logs in and sends nothing.
		code, stdout, stderr = send(mech, "right-password", "--dry-run", "--probe")
		if code != exitOK || mailpitCount(t, api) != before || !strings.Contains(stdout, "connected and logged in, nothing sent") {
			t.Errorf("%s probe: exit %d\n%s%s", mech, code, stdout, stderr)
		}
		if code, _, stderr := send(mech, "wrong", "--dry-run", "--probe"); code != exitInput || !strings.Contains(stderr, "log in to") {
			t.Errorf("%s probe with a wrong password: exit %d\n%s", mech, code, stderr)
		}
		code, stdout, stderr = send(mech, "right-password")
		if code != exitOK || mailpitCount(t, api) != before+2 {
			t.Errorf("%s: exit %d, %d new messages\n%s%s", mech, code, mailpitCount(t, api)-before, stdout, stderr)
		}
	}
	if code, _, stderr := send("XOAUTH3", "x"); code != exitInput || !strings.Contains(stderr, "not PLAIN, LOGIN or XOAUTH2") {
		t.Errorf("an unknown mechanism: exit %d\n%s", code, stderr)
	}
}

// TestNewsletterExport exports the example's issue for each list manager.
func TestNewsletterExport(t *testing.T) {
	for _, tc := range []struct{ service, unsub string }{
		{"listmonk", `href="{{ UnsubscribeURL }}"`}, {"mailchimp", `href="*|UNSUB|*"`}, {"plain", `href="` + html.EscapeString(archiveUnsub) + `"`},
	} {
		out := filepath.Join(t.TempDir(), tc.service)
		code, stdout, stderr := runCmd("newsletter", "export", "2026-11", "--for", tc.service, "-o", out, "-s", "../..", "--now", "2026-11-27")
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", tc.service, code, stdout, stderr)
		}
		h, _ := os.ReadFile(filepath.Join(out, "email.html"))
		txt, _ := os.ReadFile(filepath.Join(out, "email.txt"))
		subj, _ := os.ReadFile(filepath.Join(out, "subject.txt"))
		if !bytes.Contains(h, []byte(tc.unsub)) || !bytes.HasPrefix(subj, []byte("Kestrel Pharmacy: 910 doses after work and on Saturdays\n")) || len(txt) == 0 {
			t.Errorf("%s: the export lacks %s, or its subject or text", tc.service, tc.unsub)
		}
		if bytes.Contains(h, []byte("drumbeat.invalid")) || bytes.Contains(h, []byte(email.GreetingMark)) {
			t.Errorf("%s: a drumbeat mark is left", tc.service)
		}
	}
	if code, _, stderr := runCmd("newsletter", "export", "2026-11", "--for", "sendgrid", "-o", t.TempDir(), "-s", "../.."); code != exitUsage {
		t.Errorf("an unknown service: exit %d\n%s", code, stderr)
	}
}

// TestNewsletterSendCharts sends the October issue, which shows the
// numbers that moved: each chart has its light and dark PNG in the build,
// and Mailpit's HTML check stays within the floor with them.
func TestNewsletterSendCharts(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	if code, stdout, stderr := runCmd("newsletter", "send", "2026-10", "--to", "pat@example.org", "-s", site, "--now", "2026-11-27"); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var list struct{ Messages []mpSummary }
	getJSON(t, api+"/api/v1/messages", &list)
	if len(list.Messages) != 1 {
		t.Fatalf("%d messages", len(list.Messages))
	}
	_, h := mailpitParts(t, api, list.Messages[0].ID)
	light := regexp.MustCompile(`class="chart-light" src="([^"]+)"`).FindAllSubmatch(h, -1)
	dark := regexp.MustCompile(`class="chart-dark" src="([^"]+)"`).FindAllSubmatch(h, -1)
	if len(light) < 1 || len(dark) != len(light) {
		t.Errorf("%d light and %d dark charts", len(light), len(dark))
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "-s", site, "-o", out, "--now", "2026-11-27"); code != exitOK {
		t.Fatalf("build: %s", stderr)
	}
	for _, m := range append(light, dark...) {
		rel := strings.TrimPrefix(string(m[1]), "https://alliance.example.org/")
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
			t.Errorf("the chart %s is not in the build", m[1])
		}
	}
	checkHTML(t, api, list.Messages[0].ID)
}

// TestNewsletterSendRate paces a send: site.yaml's newsletter.rate, or
// --rate, which wins.
func TestNewsletterSendRate(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	addNewsletterKeys(t, site, "  rate: 5/s\n")
	for _, tc := range []struct {
		flag []string
		addr string
		want string
		min  time.Duration // 4 intervals between 5 messages
	}{
		{nil, "a", "at most 300 a minute", 800 * time.Millisecond},
		{[]string{"--rate", "600/min"}, "b", "at most 600 a minute", 400 * time.Millisecond},
	} {
		var to []string
		for i := range 5 {
			to = append(to, fmt.Sprintf("%s%d@example.org", tc.addr, i))
		}
		start := time.Now()
		code, stdout, stderr := runCmd(append([]string{"newsletter", "send", "2026-11", "--to", strings.Join(to, ","), "-s", site, "--now", "2026-11-27"}, tc.flag...)...)
		took := time.Since(start)
		if code != exitOK || !strings.Contains(stdout, tc.want) {
			t.Fatalf("exit %d, want %q\n%s%s", code, tc.want, stdout, stderr)
		}
		if took < tc.min {
			t.Errorf("%v: 5 messages took %s, want at least %s", tc.flag, took, tc.min)
		}
		t.Logf("%v: 5 messages in %s", tc.flag, took.Round(time.Millisecond))
	}
	if n := mailpitCount(t, api); n != 10 {
		t.Errorf("Mailpit holds %d messages, want 10", n)
	}
}

// TestNewsletterSendResendAndInFlight: --resend sends again to those the
// log has, saying how many first; an address whose last log line is
// "sending" (the process died while the server had the message) is sent
// again with the same Message-ID, and the report says it may arrive twice.
func TestNewsletterSendResendAndInFlight(t *testing.T) {
	port, api := mailpit(t)
	sendThrough(t, port)
	site := copySite(t, "../..")
	send := func(extra ...string) (int, string, string) {
		return runCmd(append([]string{"newsletter", "send", "2026-11", "--to", "pat@example.org,sam@example.org,kim@example.org", "-s", site, "--now", "2026-11-27"}, extra...)...)
	}
	// kim's message was with the server when an earlier send died.
	logPath := generator.SendLogPath(site, "2026-11")
	os.MkdirAll(filepath.Dir(logPath), 0o755)
	os.WriteFile(logPath, []byte(`{"email":"kim@example.org","status":"sending","message_id":"newsletter-2026-11.x.abc@alliance.example.org","time":"2026-11-26T09:00:00Z"}`+"\n"), 0o644)
	code, stdout, stderr := send()
	if code != exitOK || !strings.Contains(stdout, "1 address was being sent when the last send stopped") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	got := mailpitByAddress(t, api)
	if ids := got["kim@example.org"]; len(ids) != 1 || ids[0] != "newsletter-2026-11.x.abc@alliance.example.org" {
		t.Errorf("kim's message has Message-ID %v, want the one logged before", ids)
	}
	code, stdout, _ = send()
	if code != exitOK || !strings.Contains(stdout, "sent 0 of 3, skipped 3 already sent") || mailpitCount(t, api) != 3 {
		t.Errorf("a second run: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = send("--resend")
	if code != exitOK || !strings.Contains(stdout, "resending to 3 addresses already sent (--resend)") || !strings.Contains(stdout, "sent 3 of 3, skipped 0") || mailpitCount(t, api) != 6 {
		t.Errorf("--resend: exit %d, %d messages\n%s", code, mailpitCount(t, api), stdout)
	}
}

// TestNewsletterSendKilledAnywhere kills unpaced sends with SIGKILL at
// whatever point they are, runs each again, and checks the promise that
// is left when a kill can land while the server has a message: nobody is
// missed, and an address gets two messages only if the rerun said it was
// in flight, with the same Message-ID both times.
func TestNewsletterSendKilledAnywhere(t *testing.T) {
	heavy.Test(t)
	port, api := mailpit(t)
	sendThrough(t, port)
	for round := range 3 {
		site := copySite(t, "../..")
		logPath := generator.SendLogPath(site, "2026-11")
		var to []string
		for i := range 100 {
			to = append(to, fmt.Sprintf("k%d-%03d@example.org", round, i))
		}
		list := strings.Join(to, ",")
		cmd := exec.Command(os.Args[0], "newsletter", "send", "2026-11", "--to", list, "-s", site, "--now", "2026-11-27")
		cmd.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for countSent(logPath) < 20+round*25 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		code, stdout, stderr := runCmd("newsletter", "send", "2026-11", "--to", list, "-s", site, "--now", "2026-11-27")
		if code != exitOK {
			t.Fatalf("round %d: rerun exit %d\n%s", round, code, stderr)
		}
		said := 0
		if strings.Contains(stdout, "1 address was being sent when the last send stopped") {
			said = 1
		}
		got := mailpitByAddress(t, api)
		twice := 0
		for _, a := range to {
			switch ids := got[a]; {
			case len(ids) == 0:
				t.Errorf("round %d: %s was missed", round, a)
			case len(ids) == 2 && ids[0] == ids[1]:
				twice++
			case len(ids) > 1:
				t.Errorf("round %d: %s got %d messages: %v", round, a, len(ids), ids)
			}
		}
		if twice > said {
			t.Errorf("round %d: %d addresses got the issue twice, but the rerun said %d was in flight", round, twice, said)
		}
		t.Logf("round %d: killed at %d sent; the rerun found %d in flight, %d got it twice", round, 20+round*25, said, twice)
	}
}
