package email

import (
	"bytes"
	"crypto/hmac"
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
	// Unsubscribe is an https: or mailto: URL.
	Unsubscribe string
	Text, HTML  []byte

	// OneClick sends List-Unsubscribe-Post (RFC 8058), for an https:
	// Unsubscribe URL that identifies the reader.
	OneClick bool

	// What differs between readers: the greeting, and the unsubscribe
	// address when it names the reader. Text and HTML as rendered hold
	// GreetingMark and UnsubscribeMark where they go.
	greeting, fallback     string
	unsubscribe            string // the address with {email} and {token}, or a mailto:
	unsubscribeSubject     string // Personal.UnsubscribeSubject
	markedText, markedHTML []byte
}

// GreetingMark stands in the rendered HTML and text where each reader's
// greeting goes. It is made of private-use characters no text holds.
const GreetingMark = "\ue000greeting\ue001"

// UnsubscribeMark stands in the rendered HTML and text for an
// unsubscribe address that names the reader.
const UnsubscribeMark = "https://unsubscribe.drumbeat.invalid/reader"

// Reader is who a message is for: what differs between readers.
type Reader struct {
	Name  string // for the greeting; may be empty
	Email string // the bare address
	// Token proves the unsubscribe request comes from the reader:
	// UnsubscribeToken of the address under the sender's secret.
	Token string
}

// Personal is what makes messages differ between readers.
type Personal struct {
	// Greeting is like "Dear {name},", Fallback what readers without a
	// name get; both empty for no greeting.
	Greeting, Fallback string
	// Unsubscribe is the unsubscribe address when it names the reader:
	// an https: URL with {email} or {token}, or a mailto: address (which
	// gets the reader's address in its subject). Its place in Text and
	// HTML holds UnsubscribeMark.
	Unsubscribe string
	// UnsubscribeSubject is the subject of a mailto: unsubscribe address,
	// in the site's language, with {email} for the reader's address;
	// "Unsubscribe {email}" when empty.
	UnsubscribeSubject string
}

// Personalise makes the message differ between readers as p says: Text
// and HTML, as rendered, hold GreetingMark (with a greeting) and
// UnsubscribeMark (with p.Unsubscribe) once each. The message itself
// becomes the copy for no one in particular, the archive's: the fallback
// greeting, and the unsubscribe address it already has.
func (m *Message) Personalise(p Personal) error {
	for _, mark := range []struct {
		on   bool
		mark string
	}{{p.Greeting != "", GreetingMark}, {p.Unsubscribe != "", UnsubscribeMark}} {
		if mark.on && (bytes.Count(m.HTML, []byte(mark.mark)) != 1 || bytes.Count(m.Text, []byte(mark.mark)) != 1) {
			return fmt.Errorf("the message has no single place for %s", mark.mark)
		}
	}
	m.greeting, m.fallback, m.unsubscribe, m.unsubscribeSubject = p.Greeting, p.Fallback, p.Unsubscribe, p.UnsubscribeSubject
	m.markedText, m.markedHTML = m.Text, m.HTML
	m.Text, m.HTML = m.fill(Reader{}, m.Unsubscribe)
	return nil
}

// fill writes the reader's greeting and unsubscribe address in place of
// the marks. The name is escaped for HTML, and a line break in it becomes
// a space.
func (m *Message) fill(r Reader, unsub string) (text, html []byte) {
	text, html = m.markedText, m.markedHTML
	if m.greeting != "" {
		g := m.fallback
		if name := clean(r.Name); name != "" {
			g = strings.ReplaceAll(m.greeting, "{name}", name)
		}
		text = bytes.Replace(text, []byte(GreetingMark), []byte(g), 1)
		html = bytes.Replace(html, []byte(GreetingMark), []byte(htmlpkg.EscapeString(g)), 1)
	}
	if m.unsubscribe != "" {
		text = bytes.Replace(text, []byte(UnsubscribeMark), []byte(unsub), 1)
		html = bytes.Replace(html, []byte(UnsubscribeMark), []byte(htmlpkg.EscapeString(unsub)), 1)
	}
	return text, html
}

// PersonalUnsubscribe returns the unsubscribe address with the reader's
// placeholders, or "" when every reader gets the same.
func (m *Message) PersonalUnsubscribe() string { return m.unsubscribe }

func escapeHTML(s string) string { return htmlpkg.EscapeString(s) }

// UnsubscribeFor returns the unsubscribe address of one reader: {email}
// and {token} filled in (escaped for a URL), or for a mailto: address,
// the reader's address in its subject, "Unsubscribe pat@example.org":
// subject with {email} filled in ("Unsubscribe {email}" when empty).
func UnsubscribeFor(u, subject string, r Reader) string {
	if strings.HasPrefix(u, "mailto:") && !strings.Contains(u, "{email}") {
		base, query, _ := strings.Cut(u, "?")
		q, _ := url.ParseQuery(query)
		if subject == "" {
			subject = "Unsubscribe {email}"
		}
		q.Set("subject", strings.ReplaceAll(subject, "{email}", r.Email))
		return base + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	return strings.NewReplacer("{email}", url.QueryEscape(r.Email), "{token}", url.QueryEscape(r.Token)).Replace(u)
}

// PerReader reports whether an unsubscribe address names the reader.
func PerReader(u string) bool {
	return strings.Contains(u, "{email}") || strings.Contains(u, "{token}")
}

// UnsubscribeToken is the token that proves an unsubscribe request comes
// from the reader at email: the first 32 hex digits of HMAC-SHA256 of the
// address in lower case, under the secret. A list service checks it the
// same way.
func UnsubscribeToken(secret, email string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strings.ToLower(email)))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// For returns the message as the reader gets it: the same but for the
// greeting and the unsubscribe address, when the message has them.
func (m *Message) For(r Reader) *Message {
	c := *m
	if m.markedHTML == nil {
		return &c
	}
	if m.unsubscribe != "" {
		c.Unsubscribe = UnsubscribeFor(m.unsubscribe, m.unsubscribeSubject, r)
		c.OneClick = strings.HasPrefix(c.Unsubscribe, "https:") && PerReader(m.unsubscribe)
	}
	c.Text, c.HTML = m.fill(r, c.Unsubscribe)
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
		if pu.Scheme == "https" && m.OneClick {
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
