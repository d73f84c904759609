package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	htmlpkg "html"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Message is the issue as one email: both versions and the headers a
// newsletter needs. Bytes writes it as a MIME message.
type Message struct {
	From      string   // "Riverbend Immunisation Alliance <news@alliance.example.org>"
	ReplyTo   string   // optional
	To        []string // optional: a saved .eml names no recipient
	Subject   string
	Date      time.Time
	MessageID string // "newsletter-2026-11@alliance.example.org", without angle brackets
	// ListID names the list, "Riverbend Immunisation Alliance newsletter
	// <newsletter.alliance.example.org>".
	ListID string
	// Unsubscribe is an https: or mailto: URL. An https: URL also gets
	// List-Unsubscribe-Post, for one-click unsubscribing (RFC 8058).
	Unsubscribe string
	Text, HTML  []byte

	// The greeting, when the issue greets each reader: Text and HTML as
	// rendered, with GreetingMark where it goes.
	greeting, fallback     string
	markedText, markedHTML []byte
}

// GreetingMark stands in the rendered HTML and text where each reader's
// greeting goes. It is made of private-use characters no text holds.
const GreetingMark = "\ue000greeting\ue001"

// SetGreeting makes the message greet each reader: greeting is like
// "Dear {name},", fallback what readers without a name get, which Text
// and HTML then hold (so the archive's copy greets no one by name). Text
// and HTML must hold GreetingMark once each.
func (m *Message) SetGreeting(greeting, fallback string) error {
	if bytes.Count(m.HTML, []byte(GreetingMark)) != 1 || bytes.Count(m.Text, []byte(GreetingMark)) != 1 {
		return fmt.Errorf("the message has no place for a greeting")
	}
	m.greeting, m.fallback = greeting, fallback
	m.markedText, m.markedHTML = m.Text, m.HTML
	m.Text, m.HTML = m.greet("")
	return nil
}

// greet returns the text and HTML greeting name, or with the fallback
// when name is empty. The name is escaped for HTML, and a line break in
// it becomes a space.
func (m *Message) greet(name string) (text, html []byte) {
	g := m.fallback
	if name = clean(name); name != "" {
		g = strings.ReplaceAll(m.greeting, "{name}", name)
	}
	text = bytes.Replace(m.markedText, []byte(GreetingMark), []byte(g), 1)
	html = bytes.Replace(m.markedHTML, []byte(GreetingMark), []byte(htmlpkg.EscapeString(g)), 1)
	return text, html
}

// For returns the message as the reader called name gets it: the same
// but for the greeting, when the issue has one.
func (m *Message) For(name string) *Message {
	c := *m
	if m.markedHTML != nil {
		c.Text, c.HTML = m.greet(name)
	}
	return &c
}

// Bytes writes the message as MIME: multipart/alternative with the plain
// text first and the HTML last (the one clients prefer), both UTF-8 and
// quoted-printable, CRLF line ends. Header values cannot inject headers: a
// line break in a subject or a name becomes a space. The same message
// gives the same bytes.
func (m *Message) Bytes() ([]byte, error) {
	from, err := parseAddress("From", m.From)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	if m.Date.IsZero() {
		return nil, fmt.Errorf("the message has no date")
	}
	header("Date", m.Date.Format(time.RFC1123Z))
	header("From", from.String())
	if m.ReplyTo != "" {
		rt, err := parseAddress("Reply-To", m.ReplyTo)
		if err != nil {
			return nil, err
		}
		header("Reply-To", rt.String())
	}
	if len(m.To) > 0 {
		var to []string
		for _, a := range m.To {
			addr, err := parseAddress("To", a)
			if err != nil {
				return nil, err
			}
			to = append(to, addr.String())
		}
		header("To", strings.Join(to, ", "))
	}
	header("Subject", mime.QEncoding.Encode("utf-8", clean(m.Subject)))
	if id := clean(m.MessageID); id != "" {
		if strings.ContainsAny(id, "<> ") || strings.Count(id, "@") != 1 {
			return nil, fmt.Errorf("message id %q is not like local@domain", id)
		}
		header("Message-ID", "<"+id+">")
	}
	if m.ListID != "" {
		header("List-Id", encodePhrase(clean(m.ListID)))
	}
	if u := clean(m.Unsubscribe); u != "" {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http" && pu.Scheme != "mailto") {
			return nil, fmt.Errorf("unsubscribe address %q is not an https: or mailto: URL", u)
		}
		header("List-Unsubscribe", "<"+pu.String()+">")
		if pu.Scheme == "https" {
			header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
		}
	}
	header("MIME-Version", "1.0")
	sum := sha256.New()
	sum.Write(m.Text)
	sum.Write([]byte{0})
	sum.Write(m.HTML)
	boundary := "drumbeat-" + hex.EncodeToString(sum.Sum(nil))[:32]
	header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")

	w := multipart.NewWriter(&b)
	if err := w.SetBoundary(boundary); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		typ  string
		body []byte
	}{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		pw, err := w.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write(bytes.ReplaceAll(part.body, []byte("\r\n"), []byte("\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// Envelope returns the SMTP envelope: the sender's bare address and the
// recipients'.
func (m *Message) Envelope() (from string, to []string, err error) {
	f, err := parseAddress("From", m.From)
	if err != nil {
		return "", nil, err
	}
	for _, a := range m.To {
		addr, err := parseAddress("To", a)
		if err != nil {
			return "", nil, err
		}
		to = append(to, addr.Address)
	}
	return f.Address, to, nil
}

// ParseAddresses reads a comma-separated list of addresses, refusing line
// breaks and anything that is not an address.
func ParseAddresses(list string) ([]string, error) {
	if strings.ContainsAny(list, "\r\n") {
		return nil, fmt.Errorf("the address list contains a line break")
	}
	as, err := mail.ParseAddressList(list)
	if err != nil {
		return nil, fmt.Errorf("%q is not a list of email addresses: %v", list, err)
	}
	var out []string
	for _, a := range as {
		if a.Name == "" {
			out = append(out, a.Address)
		} else {
			out = append(out, a.String())
		}
	}
	return out, nil
}

func parseAddress(field, s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("%s %q contains a line break", field, s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%s %q is not an email address: %v", field, s, err)
	}
	a.Name = clean(a.Name)
	return a, nil
}

// clean makes s safe as a header value: control characters, line breaks
// included, become spaces, and runs of spaces one.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// encodePhrase encodes the display part of "phrase <id>" when it is not ASCII.
func encodePhrase(s string) string {
	i := strings.LastIndex(s, "<")
	if i <= 0 {
		return s
	}
	return mime.QEncoding.Encode("utf-8", strings.TrimSpace(s[:i])) + " " + s[i:]
}

// fold breaks a header line longer than 78 characters at spaces, as RFC
// 5322 recommends; continuation lines start with a space.
func fold(line string) string {
	if len(line) <= 78 {
		return line
	}
	var b strings.Builder
	cur := 0
	for i, w := range strings.Split(line, " ") {
		if i > 0 {
			if cur+1+len(w) > 78 && cur > 0 {
				b.WriteString("\r\n ")
				cur = 1
			} else {
				b.WriteByte(' ')
				cur++
			}
		}
		b.WriteString(w)
		cur += len(w)
	}
	return b.String()
}

// Copy returns a copy of the message for other recipients, with its own
// date and Message-ID: each message sent is a message of its own.
func (m *Message) Copy(to []string, date time.Time, messageID string) *Message {
	c := *m
	c.To = append([]string(nil), to...)
	c.Date = date
	c.MessageID = messageID
	return &c
}
