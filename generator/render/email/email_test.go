package email

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/drumbeat/drumbeat/generator/render/chart"
)

func sample() *Issue {
	return &Issue{
		Lang: "en", Site: "Test Partnership", SiteURL: "https://t.example/", Subject: "Coverage up 4 points; meet Lakeside Clinic",
		Preheader: "Coverage at age two reached 82.6 % in Q3, and the health visitors of Mothers First.",
		Kicker:    "November 2026 newsletter", Date: "26 November 2026", WebURL: "https://t.example/newsletter/2026-11/", Accent: "#0f5e66",
		Intro: `<p>Hello <a href="https://t.example/metrics/coverage/">82.6 %</a> of children.</p><ul><li>One</li><li>Two</li></ul>`,
		Stories: []Story{
			{Label: "What the partnership returns", Title: "Six months of Saturday clinics", URL: "https://t.example/stories/six/", Summary: "What each partner got back.", Date: "16 April 2026", Featured: true},
			{Label: "Story", Title: "Text reminders", URL: "https://t.example/stories/text/", Summary: "Families finish the course.", Date: "18 June 2025", Partners: "With Acme and Civic"},
		},
		StoriesURL: "https://t.example/stories/",
		Movers: []Mover{{Name: "Coverage", URL: "https://t.example/metrics/coverage/", Value: "82.6 %", Period: "Q3 2026", Change: "+1.6 points on Q2 2026",
			Verdict: "better", Good: true, Status: "On track", StatusIcon: "✓", Takeaway: "82.6 % in Q3 2026, 7.4 points short of the 90 % target",
			Target: "7.4 points short of the 90 % target",
			Chart:  &Image{URL: "https://t.example/newsletter/2026-11/chart-coverage.png", Alt: "Line chart of Coverage: 82.6 %", Width: ChartWidth, Height: ChartHeight}}},
		AsOf: "Q3 2026", ScorecardURL: "https://t.example/scorecard/",
		Spotlight:    &Spotlight{Name: "Lakeside Clinic", URL: "https://t.example/partners/lakeside/", Kicker: "Community · Delivery partner", About: "A nurse-led clinic.", Gives: "Clinic space"},
		Decisions:    []Decision{{Label: "Due for review since 31 March 2026", Text: "Open on Saturdays.", URL: "https://t.example/decisions/#saturday", Due: true}},
		DecisionsURL: "https://t.example/decisions/",
		Why:          "You receive this because you asked.", Unsubscribe: "https://t.example/unsubscribe", Address: "12 Quay Street", Contact: "team@t.example",
	}
}

func TestHTMLIsMadeForMailClients(t *testing.T) {
	b, err := HTML(sample())
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"<!DOCTYPE html>", `<html lang="en"`, "<!--[if mso]>", "<![endif]-->", `name="color-scheme" content="light dark"`,
		"prefers-color-scheme: dark", "@media (max-width: 620px)", `class="preheader"`, "Coverage at age two reached",
		`href="https://t.example/newsletter/2026-11/"`, "View this email in your browser", `href="https://t.example/unsubscribe"`, ">Unsubscribe</a>",
		fmt.Sprintf(`width="%d" alt="Line chart of Coverage: 82.6 %%"`, ChartWidth), `role="presentation"`, "12 Quay Street",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the email lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<svg", "data:", "@font-face", "@import", "fonts.googleapis", "<link", "javascript:", "<form", "<video"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("the email holds %q", bad)
		}
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	styles := 0
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, x := range n.Attr {
				a[x.Key] = x.Val
			}
			switch n.Data {
			case "img":
				// A width and an alt text; no height, so that with images
				// off the alt text's box is sized to it (Image).
				if a["width"] == "" || a["alt"] == "" || a["height"] != "" || !strings.Contains(a["style"], "height:auto") {
					t.Errorf("image %s lacks a width or an alt text, or has a fixed height (%q, style %q)", a["src"], a["height"], a["style"])
				}
				if !strings.HasPrefix(a["src"], "https://") {
					t.Errorf("image %q is not an absolute URL", a["src"])
				}
			case "a":
				if h := a["href"]; !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "mailto:") {
					t.Errorf("link %q is not absolute", h)
				}
			case "h1", "h2", "h3", "p":
				if !strings.Contains(a["style"], "font-size") || !strings.Contains(a["style"], "font-family") {
					t.Errorf("<%s> has no inlined font style: %q", n.Data, a["style"])
				}
			case "style":
				styles++
				css := n.FirstChild.Data
				// Only what cannot be inlined stays in the head: the
				// inlined rules all set the font.
				if strings.Contains(css, "font-family") {
					t.Errorf("the head's <style> still holds rules that should be inlined:\n%s", css)
				}
			}
			if strings.Contains(a["style"], "font-size") {
				if m := regexp.MustCompile(`font-size:\s*(\d+)px`).FindStringSubmatch(a["style"]); m != nil && n.Data == "p" && !strings.Contains(a["class"], "meta") &&
					!strings.Contains(a["class"], "label") && !strings.Contains(a["class"], "caption") && !strings.Contains(a["class"], "kicker") && !inFooter(n) && m[1] < "16" && len(m[1]) == 2 {
					t.Errorf("body text <p class=%q> is %spx, under 16", a["class"], m[1])
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if styles != 1 {
		t.Errorf("%d <style> elements, want 1 (phone layout and dark mode)", styles)
	}
	// A button is at least 44 px tall: 14 + 20 + 14.
	if !strings.Contains(s, "padding:14px 24px") || !strings.Contains(s, "line-height:20px") {
		t.Error("the button is not 48 px tall")
	}
}

func inFooter(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, a := range p.Attr {
			if a.Key == "class" && strings.Contains(a.Val, "foot") {
				return true
			}
		}
	}
	return false
}

func TestHTMLIsReproducibleAndEscapes(t *testing.T) {
	is := sample()
	is.Subject = `Tom & Jerry <script>alert(1)</script>`
	a, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HTML(is)
	if !bytes.Equal(a, b) {
		t.Error("the same issue gives different HTML")
	}
	if strings.Contains(string(a), "<script>alert") {
		t.Error("the subject was not escaped")
	}
}

func TestPaletteContrast(t *testing.T) {
	for _, accent := range []string{"#0f5e66", "#ffcc00", "#000000", "#ffffff", "#0072B2", "not a colour"} {
		p := newPalette(accent)
		pairs := [][3]string{
			{"ink on card", p.Ink, p.Card}, {"muted on card", p.Muted, p.Card}, {"muted on page", p.Muted, p.Page},
			{"accent on card", p.Accent, p.Card}, {"good on card", p.Good, p.Card}, {"bad on card", p.Bad, p.Card},
			{"button text", p.AccentInk, p.ButtonAccent},
			{"dark ink", p.DInk, p.DCard}, {"dark muted", p.DMuted, p.DCard}, {"dark accent", p.DAccent, p.DCard},
			{"dark good", p.DGood, p.DCard}, {"dark bad", p.DBad, p.DCard}, {"dark button", p.DButtonInk, p.DButton},
		}
		for _, pr := range pairs {
			a, _ := parseHex(pr[1])
			b, _ := parseHex(pr[2])
			if c := contrast(a, b); c < 4.5 {
				t.Errorf("accent %s: %s (%s on %s) has contrast %.2f, under 4.5", accent, pr[0], pr[1], pr[2], c)
			}
		}
	}
}

func TestText(t *testing.T) {
	b := Text(sample())
	s := string(b)
	for _, want := range []string{
		"Coverage up 4 points; meet Lakeside Clinic\n==========", "Read it on the web: https://t.example/newsletter/2026-11/",
		"Hello 82.6 % (https://t.example/metrics/coverage/) of children.", "- One\n- Two",
		"THIS MONTH’S STORIES\n--------------------", "Read the story: https://t.example/stories/six/",
		"THE NUMBERS THAT MOVED IN Q3 2026", "82.6 % in Q3 2026: +1.6 points on Q2 2026, better.", "✓ On track: 7.4 points short of the 90 % target.",
		"PARTNER SPOTLIGHT", "Meet Lakeside Clinic: https://t.example/partners/lakeside/",
		"! Due for review since 31 March 2026:\n  Open on Saturdays.\n  https://t.example/decisions/#saturday",
		"Unsubscribe: https://t.example/unsubscribe", "Test Partnership, 12 Quay Street",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the text lacks %q:\n%s", want, s)
		}
	}
	for i, line := range strings.Split(s, "\n") {
		if utf8.RuneCountInString(line) > textWidth && strings.Contains(line, " ") && !strings.Contains(line, "https://") {
			t.Errorf("line %d is %d characters: %q", i+1, utf8.RuneCountInString(line), line)
		}
		if strings.HasSuffix(line, " ") && line != "-- " {
			t.Errorf("line %d ends in a space: %q", i+1, line)
		}
	}
	if strings.Contains(s, "\n\n\n") {
		t.Error("more than one blank line in a row")
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>Plain <strong>bold</strong> and <em>soft</em>.</p>`, "Plain bold and soft."},
		{`<p><a href="https://x.example/">https://x.example/</a></p>`, "https://x.example/"},
		{`<p><a href="mailto:a@b.org">a@b.org</a> <a href="#top">top</a></p>`, "a@b.org top"},
		{`<h2>Title</h2><p>Text</p>`, "Title\n=====\n\nText"},
		{`<ol><li>One</li><li>Two<ul><li>Sub</li></ul></li></ol>`, "1. One\n2. Two\n  - Sub"},
		{`<blockquote><p>Said</p></blockquote>`, "> Said"},
		{`<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>`, "| A | B |\n| 1 | 2 |"},
		{`<p><img src="x.png" alt="A chart"></p>`, "[A chart]"},
		{`<p>a<script>evil()</script>b</p>`, "ab"},
	}
	for _, tc := range tests {
		if got := HTMLToText(tc.in); got != tc.want {
			t.Errorf("HTMLToText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMessage(t *testing.T) {
	m := &Message{
		From: "Riverbend Alliance <news@t.example>", ReplyTo: "team@t.example", Subject: "Café news: €144,000 over three years for the valley’s children and more words",
		Date: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), MessageID: "newsletter-2026-11-26.abc@t.example", ListID: "Test newsletter <newsletter.t.example>",
		Unsubscribe: "https://t.example/unsubscribe", Text: []byte("Hello\nwörld\n"), HTML: []byte("<p>Hello wörld</p>\n"),
	}
	a, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Bytes()
	if !bytes.Equal(a, b) {
		t.Error("the same message gives different bytes")
	}
	for i, line := range strings.Split(string(a), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d is longer than 998 bytes", i+1)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("line %d ends with a bare LF", i+1)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if subject != m.Subject {
		t.Errorf("subject %q", subject)
	}
	for name, want := range map[string]string{
		"Message-Id": "<newsletter-2026-11-26.abc@t.example>", "List-Unsubscribe": "<https://t.example/unsubscribe>",
		"List-Unsubscribe-Post": "", "Mime-Version": "1.0", "Date": "Thu, 26 Nov 2026 00:00:00 +0000",
		"Reply-To": "<team@t.example>", "List-Id": "Test newsletter <newsletter.t.example>",
	} {
		if got := msg.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if msg.Header.Get("To") != "" {
		t.Error("a saved issue names no recipient")
	}
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mt != "multipart/alternative" {
		t.Fatalf("content type %q", mt)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Type")+": "+strings.ReplaceAll(string(body), "\r\n", "\n"))
	}
	want := []string{"text/plain; charset=utf-8: Hello\nwörld\n", "text/html; charset=utf-8: <p>Hello wörld</p>\n"}
	if strings.Join(parts, "|") != strings.Join(want, "|") {
		t.Errorf("parts %q", parts)
	}
	// mailto: unsubscribing has no one-click header.
	m.Unsubscribe = "mailto:news@t.example?subject=Unsubscribe"
	c, _ := m.Bytes()
	if bytes.Contains(c, []byte("List-Unsubscribe-Post")) {
		t.Error("List-Unsubscribe-Post needs an https: address")
	}
}

func TestMessageHeadersResistInjection(t *testing.T) {
	m := &Message{
		From: "\"Evil\r\nBcc: x@evil.example\" <news@t.example>", Subject: "Hi\r\nBcc: victim@evil.example\nX-Evil: 1",
		Date: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Text: []byte("t"), HTML: []byte("h"), To: []string{"pat@t.example"},
		ListID: "List\r\nX-Evil: 2 <l.t.example>", Unsubscribe: "https://t.example/u\r\nX-Evil: 3",
	}
	b, err := m.Bytes()
	if err == nil {
		msg, _ := mail.ReadMessage(bytes.NewReader(b))
		if msg.Header.Get("Bcc") != "" || msg.Header.Get("X-Evil") != "" {
			t.Errorf("a line break injected a header:\n%s", b)
		}
	}
	// Line breaks inside a From address are refused outright.
	if err == nil {
		t.Error("a From with a line break should be refused")
	}
	m.From = "news@t.example"
	b, err = m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("X-Evil") != "" {
		t.Errorf("a line break injected a header:\n%s", b)
	}
	if got := msg.Header.Get("Subject"); got != "Hi Bcc: victim@evil.example X-Evil: 1" {
		t.Errorf("subject %q", got)
	}
	if _, err := ParseAddresses("a@t.example\r\nBcc: b@t.example"); err == nil {
		t.Error("a recipient list with a line break should be refused")
	}
	if got, err := ParseAddresses("Pat Lee <pat@t.example>, sam@t.example"); err != nil || len(got) != 2 || got[1] != "sam@t.example" {
		t.Errorf("ParseAddresses = %q, %v", got, err)
	}
}

func f(v float64) *float64 { return &v }

func TestChartPNG(t *testing.T) {
	target, base := 90.0, 71.0
	s := &chart.Spec{ID: "x", Kind: chart.Line, Unit: "%", Labels: []string{"Q1 2026", "Q2 2026", "Q3 2026"},
		Series: []chart.Series{{Name: "Coverage", Values: []*float64{f(80), nil, f(82.6)}}}, Target: &target, Baseline: &base, Accent: "#0f5e66"}
	a, err := ChartPNG(s, ChartWidth, ChartHeight)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != ChartWidth*Scale || b.Dy() != ChartHeight*Scale {
		t.Errorf("the PNG is %d × %d, want %d × %d", b.Dx(), b.Dy(), ChartWidth*Scale, ChartHeight*Scale)
	}
	b, _ := ChartPNG(s, ChartWidth, ChartHeight)
	if !bytes.Equal(a, b) {
		t.Error("the same chart gives different bytes")
	}
	empty := &chart.Spec{ID: "y", Kind: chart.Line}
	if _, err := ChartPNG(empty, 300, 150); err != nil {
		t.Errorf("a chart without data: %v", err)
	}
	if _, err := ChartPNG(s, 0, 10); err == nil {
		t.Error("a chart of no size should be an error")
	}
}

func TestContent(t *testing.T) {
	c, err := Content(sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>This month’s stories</h2>", `<img src="https://t.example/newsletter/2026-11/chart-coverage.png"`, "Partner spotlight", "Decisions and dates"} {
		if !strings.Contains(c, want) {
			t.Errorf("the feed content lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "style=") || strings.Contains(c, "<table") {
		t.Error("the feed content carries the email's layout")
	}
}

// FuzzMessageHeaders: whatever a subject, a sender's name or a list name
// holds, the message has exactly its own headers, and the subject reads
// back as written, line breaks turned into spaces.
func FuzzMessageHeaders(f *testing.F) {
	f.Add("Hello", "Riverbend", "List")
	f.Add("Hi\r\nBcc: x@evil.example", "Evil\nTo: y@evil.example", "L\r\n\r\nbody")
	f.Add("Café €144,000 — “quoted” 🎉 "+strings.Repeat("long ", 40), "Zoë", "ü <x@y>")
	f.Fuzz(func(t *testing.T, subject, name, list string) {
		if !utf8.ValidString(subject) || !utf8.ValidString(name) || !utf8.ValidString(list) {
			return
		}
		from := (&mail.Address{Name: name, Address: "news@t.example"}).String()
		m := &Message{From: from, Subject: subject, Date: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), MessageID: "a@t.example",
			ListID: list + " <l.t.example>", Unsubscribe: "https://t.example/u", Text: []byte("t"), HTML: []byte("h"), To: []string{"pat@t.example"}}
		b, err := m.Bytes()
		if err != nil {
			return // a sender the address parser refuses is refused, not sent
		}
		msg, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("unreadable message: %v\n%s", err, b)
		}
		allowed := map[string]bool{"Date": true, "From": true, "To": true, "Subject": true, "Message-Id": true, "List-Id": true,
			"List-Unsubscribe": true, "List-Unsubscribe-Post": true, "Mime-Version": true, "Content-Type": true}
		for k, v := range msg.Header {
			if !allowed[k] || len(v) != 1 {
				t.Fatalf("header %s %q was injected:\n%s", k, v, b)
			}
		}
		got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err == nil && got != clean(subject) {
			t.Fatalf("subject %q reads back as %q", clean(subject), got)
		}
		if a, err := mail.ParseAddressList(msg.Header.Get("To")); err != nil || len(a) != 1 || a[0].Address != "pat@t.example" {
			t.Fatalf("To %q", msg.Header.Get("To"))
		}
	})
}

// TestGreeting renders an issue that greets each reader: the name is
// escaped in the HTML, a line break in it cannot break the text, and a
// reader without a name gets the fallback, which the message holds until
// it is addressed.
func TestGreeting(t *testing.T) {
	is := sample()
	is.Greeting = true
	html, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	m := &Message{Text: Text(is), HTML: html}
	if err := m.Personalise(Personal{Greeting: "Dear {name},", Fallback: "Dear partners,"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(m.HTML, []byte(">Dear partners,</p>")) || !bytes.Contains(m.Text, []byte("\nDear partners,\n")) {
		t.Errorf("the message does not hold the fallback greeting:\n%s", m.Text)
	}
	tests := []struct{ name, html, text string }{
		{"Pat Lee", ">Dear Pat Lee,</p>", "Dear Pat Lee,"},
		{`<b>Kim</b> & "Jo"`, ">Dear &lt;b&gt;Kim&lt;/b&gt; &amp; &#34;Jo&#34;,</p>", `Dear <b>Kim</b> & "Jo",`},
		{"Ann\r\nBcc: x", ">Dear Ann Bcc: x,</p>", "Dear Ann Bcc: x,"},
		{"  ", ">Dear partners,</p>", "Dear partners,"},
	}
	for _, tc := range tests {
		c := m.For(Reader{Name: tc.name})
		if !bytes.Contains(c.HTML, []byte(tc.html)) || !bytes.Contains(c.Text, []byte("\n"+tc.text+"\n")) {
			t.Errorf("For(%q): the HTML lacks %q or the text %q", tc.name, tc.html, tc.text)
		}
		if bytes.Contains(c.HTML, []byte(GreetingMark)) || bytes.Contains(c.Text, []byte(GreetingMark)) {
			t.Errorf("For(%q) left the mark", tc.name)
		}
		// Nothing else differs.
		if got := bytes.Replace(c.HTML, []byte(tc.html), []byte(">Dear partners,</p>"), 1); !bytes.Equal(got, m.HTML) {
			t.Errorf("For(%q) changed more than the greeting", tc.name)
		}
	}
	// Without a greeting, For changes nothing.
	plain := &Message{Text: []byte("hi\n"), HTML: []byte("<p>hi</p>\n")}
	if c := plain.For(Reader{Name: "Pat"}); !bytes.Equal(c.HTML, plain.HTML) || !bytes.Equal(c.Text, plain.Text) {
		t.Error("For changed a message without a greeting")
	}
}

// TestUnsubscribePerReader gives each reader their own unsubscribe
// address, in the body and the List-Unsubscribe header, with
// List-Unsubscribe-Post only for an https: address that names them; a
// mailto: address carries the reader's address.
func TestUnsubscribePerReader(t *testing.T) {
	is := sample()
	is.Unsubscribe = UnsubscribeMark
	html, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	base := Message{From: "News <news@t.example>", Subject: "x", Date: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Text: Text(is), HTML: html,
		Unsubscribe: "mailto:news@t.example?subject=Unsubscribe"}
	pat := Reader{Email: "Pat+news@example.org", Token: UnsubscribeToken("s3cret", "Pat+news@example.org")}
	if pat.Token != UnsubscribeToken("s3cret", "pat+news@EXAMPLE.org") || pat.Token == UnsubscribeToken("other", pat.Email) || len(pat.Token) != 32 {
		t.Errorf("token %q: not the same for the address in any case, or not keyed by the secret", pat.Token)
	}
	tests := []struct {
		unsub, url string
		post       bool
	}{
		{"https://lists.t.example/unsub?e={email}&t={token}", "https://lists.t.example/unsub?e=Pat%2Bnews%40example.org&t=" + pat.Token, true},
		{"mailto:leave@t.example?subject=Unsubscribe", "mailto:leave@t.example?subject=Unsubscribe%20Pat%2Bnews%40example.org", false},
		{"mailto:leave@t.example?subject=Unsubscribe&body={email}", "mailto:leave@t.example?subject=Unsubscribe&body=Pat%2Bnews%40example.org", false},
	}
	for _, tc := range tests {
		m := base
		if err := m.Personalise(Personal{Unsubscribe: tc.unsub}); err != nil {
			t.Fatal(err)
		}
		// The archive's copy keeps the address it was given.
		if !bytes.Contains(m.Text, []byte("Unsubscribe: mailto:news@t.example?subject=Unsubscribe\n")) {
			t.Errorf("%s: the archive's copy lost its unsubscribe address", tc.unsub)
		}
		c := m.For(pat)
		b, err := c.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := mail.ReadMessage(bytes.NewReader(b))
		if got := msg.Header.Get("List-Unsubscribe"); got != "<"+tc.url+">" {
			t.Errorf("%s: List-Unsubscribe %q, want <%s>", tc.unsub, got, tc.url)
		}
		if got := msg.Header.Get("List-Unsubscribe-Post") != ""; got != tc.post {
			t.Errorf("%s: List-Unsubscribe-Post sent: %v, want %v", tc.unsub, got, tc.post)
		}
		if !bytes.Contains(c.Text, []byte("Unsubscribe: "+tc.url+"\n")) || !bytes.Contains(c.HTML, []byte(`href="`+strings.ReplaceAll(tc.url, "&", "&amp;")+`"`)) {
			t.Errorf("%s: the body lacks the reader's address %s", tc.unsub, tc.url)
		}
	}
	// A shared https: address gets no List-Unsubscribe-Post.
	m := base
	m.Unsubscribe = "https://t.example/unsubscribe"
	b, _ := m.For(pat).Bytes()
	if bytes.Contains(b, []byte("List-Unsubscribe-Post")) {
		t.Error("a shared unsubscribe address got List-Unsubscribe-Post")
	}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestExport writes an issue for each list manager and compares it with
// testdata/export/: the service's unsubscribe and name tags in place of
// drumbeat's, a literal "{{" escaped for Listmonk's templates.
func TestExport(t *testing.T) {
	is := sample()
	is.Intro = `<p>Write {{ like this }} in a template &amp; see.</p>`
	is.Greeting = true
	is.Unsubscribe = UnsubscribeMark
	html, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	m := &Message{Text: Text(is), HTML: html, Unsubscribe: "mailto:news@t.example?subject=Unsubscribe"}
	if err := m.Personalise(Personal{Greeting: "Dear {name} & {{friends}},", Fallback: "Dear partners,", Unsubscribe: "https://t.example/unsubscribe"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range Services {
		text, html, err := m.Export(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			ext string
			b   []byte
		}{{"txt", text}, {"html", html}} {
			path := filepath.Join("testdata", "export", string(s)+"."+f.ext)
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				os.WriteFile(path, f.b, 0o644)
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(f.b, want) {
				t.Errorf("%s differs from %s (run go test -update and review the diff)", s, path)
			}
			if bytes.Contains(f.b, []byte(UnsubscribeMark)) || bytes.Contains(f.b, []byte(GreetingMark)) {
				t.Errorf("%s.%s keeps a drumbeat mark", s, f.ext)
			}
		}
	}
	// Listmonk's templates parse, and print the literal braces back.
	_, lh, _ := m.Export(Listmonk)
	tmpl, err := template.New("listmonk").Funcs(template.FuncMap{"UnsubscribeURL": func() string { return "https://lm.example/u/1" }}).Parse(string(lh))
	if err != nil {
		t.Fatalf("the Listmonk export is not a Go template: %v", err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, map[string]any{"Subscriber": map[string]string{"Name": "Pat <Lee>"}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Write {{ like this }} in a template", "Dear Pat &lt;Lee&gt; &amp; {{friends}},", `href="https://lm.example/u/1"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the Listmonk export, executed, lacks %q", want)
		}
	}
}

// TestNoNewFigures: an issue whose data has nothing newer than the last
// issue's says so, in the HTML, the text and the feed's content.
func TestNoNewFigures(t *testing.T) {
	is := sample()
	is.Movers, is.NoNewFigures = nil, "No measure has new figures since the October 2026 issue; the latest are for Q3 2026."
	h, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Content(is)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]string{"html": string(h), "text": string(Text(is)), "content": c} {
		if !strings.Contains(strings.Join(strings.Fields(b), " "), is.NoNewFigures) {
			t.Errorf("the %s does not say there are no new figures", name)
		}
		if strings.Contains(b, "chart-coverage.png") {
			t.Errorf("the %s shows a chart", name)
		}
	}
}

// TestChartTextOnPhones: on a 375 px phone the chart shrinks to the
// column, and its smallest text must stay at 12 px or more.
func TestChartTextOnPhones(t *testing.T) {
	if got := float64(ChartMinText) * float64(min(PhoneColumn, ChartWidth)) / ChartWidth; got < 12 {
		t.Errorf("the smallest chart text is %.1f px on a 375 px phone, want 12 or more", got)
	}
	h, err := HTML(sample())
	if err != nil {
		t.Fatal(err)
	}
	// The layout the arithmetic assumes: the chart at most ChartWidth
	// wide, the page's and the phone section's padding.
	for _, want := range []string{fmt.Sprintf(`width="%d"`, ChartWidth), fmt.Sprintf("max-width:%dpx", ChartWidth),
		fmt.Sprintf("padding:0 %dpx", pagePad), fmt.Sprintf(".px { padding-left: %dpx !important; padding-right: %dpx !important; }", phonePad, phonePad)} {
		if !bytes.Contains(h, []byte(want)) {
			t.Errorf("the email lacks %q", want)
		}
	}
}

// TestDarkCharts: in the dark scheme the email shows a chart drawn on the
// dark card, text at AA contrast, instead of a white block; Outlook on
// Windows and clients without the dark scheme show the light one.
func TestDarkCharts(t *testing.T) {
	target := 90.0
	s := &chart.Spec{ID: "x", Kind: chart.Line, Unit: "%", Labels: []string{"Q1 2026", "Q2 2026"},
		Series: []chart.Series{{Name: "Coverage", Values: []*float64{f(80), f(82.6)}}}, Target: &target, Accent: "#0f5e66"}
	b, err := ChartPNGDark(s, ChartWidth, ChartHeight)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sc := darkScheme()
	r, g, bl, _ := img.At(2, 2).RGBA()
	if uint8(r>>8) != sc.paper.R || uint8(g>>8) != sc.paper.G || uint8(bl>>8) != sc.paper.B {
		t.Errorf("the dark chart's background is %d,%d,%d, want the dark card %v", r>>8, g>>8, bl>>8, sc.paper)
	}
	paper := rgb{sc.paper.R, sc.paper.G, sc.paper.B}
	for name, c := range map[string]color.RGBA{"ink": sc.ink, "axis": sc.axis} {
		if got := contrast(rgb{c.R, c.G, c.B}, paper); got < 4.5 {
			t.Errorf("the dark chart's %s text has contrast %.1f:1, want 4.5:1 or more", name, got)
		}
	}
	is := sample()
	is.Movers[0].Chart.DarkURL = "https://t.example/newsletter/2026-11/chart-coverage-dark.png"
	h, err := HTML(is)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<!--[if !mso]><!--><img class="chart-dark" src="https://t.example/newsletter/2026-11/chart-coverage-dark.png"`,
		".chart-light { display: none !important; }", "[data-ogsc] .chart-dark { display: block !important;"} {
		if !bytes.Contains(h, []byte(want)) {
			t.Errorf("the email lacks %q", want)
		}
	}
	// Without the dark scheme the dark chart is hidden, and takes no room.
	if !regexp.MustCompile(`class="chart-dark"[^>]*style="[^"]*display:none;max-height:0;overflow:hidden`).Match(h) {
		t.Error("the dark chart is not hidden by default")
	}
}
