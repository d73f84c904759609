package email

import (
	"bytes"
	"fmt"
	htmlpkg "html"
	"html/template"
	"strings"
	texttemplate "text/template"
)

// Layouts are the templates an issue is rendered with. A nil field, or a
// nil *Layouts, means the built-in one: templates/email.html for the HTML,
// the Text function for the plain text. A site overrides them with
// layouts/newsletter-email.html and layouts/newsletter-email.txt.
type Layouts struct {
	HTML *template.Template     // run with HTMLData
	Text *texttemplate.Template // run with *Issue
}

// ParseHTML parses an HTML email layout: html/template with the functions
// mso, greetingMark, filler and button. name is the file errors name.
func ParseHTML(name, src string) (*template.Template, error) {
	return template.New(name).Funcs(htmlFuncs).Parse(src)
}

// ParseText parses a plain-text email layout: text/template (nothing is
// escaped: the text is not HTML) with the functions of TextFuncs. name is
// the file errors name.
func ParseText(name, src string) (*texttemplate.Template, error) {
	return texttemplate.New(name).Funcs(TextFuncs()).Parse(src)
}

// TextFuncs returns the functions a plain-text email layout may call.
func TextFuncs() texttemplate.FuncMap {
	return texttemplate.FuncMap{
		// wrap breaks a text into lines of at most 72 characters (a longer
		// word, such as a URL, gets a line of its own), each with the
		// indent, if one is given; the lines are joined by newlines.
		"wrap": func(s string, indent ...string) string {
			return strings.Join(wrapText(s, textWidth, strings.Join(indent, "")), "\n")
		},
		// heading wraps a title and underlines it with the character
		// under ("=" or "-").
		"heading": func(s, under string) string {
			var t textWriter
			r := '='
			if under != "" {
				r = []rune(under)[0]
			}
			t.heading(s, r)
			return strings.TrimRight(t.b.String(), "\n")
		},
		// section is a section's heading as Text writes it: in capitals,
		// underlined with dashes.
		"section": func(s string) string {
			var t textWriter
			t.heading(strings.ToUpper(s), '-')
			return strings.TrimRight(t.b.String(), "\n")
		},
		// text turns HTML (the intro) into plain text.
		"text":         func(h template.HTML) string { return HTMLToText(string(h)) },
		"greetingMark": func() string { return GreetingMark },
	}
}

// RenderText renders the plain text with the text layout, Text's when l or
// l.Text is nil. An override's output is tidied as Text's is (trailing
// spaces dropped, at most one blank line in a row, one final newline) and
// must keep the unsubscribe address.
func (l *Layouts) RenderText(is *Issue) ([]byte, error) {
	if l == nil || l.Text == nil {
		return Text(is), nil
	}
	var b bytes.Buffer
	if err := l.Text.Execute(&b, is); err != nil {
		return nil, err
	}
	out := tidyText(b.String())
	if is.Unsubscribe != "" && !strings.Contains(out, is.Unsubscribe) {
		return nil, fmt.Errorf("%s: the email has no unsubscribe address: write {{.Unsubscribe}} in it", l.Text.Name())
	}
	return []byte(out), nil
}

// tidyText drops trailing spaces, leading blank lines and blank lines
// after a blank line, and ends the text with one newline.
func tidyText(s string) string {
	var b strings.Builder
	blank := true // no blank line at the start
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// checkHTML refuses an overridden email that a mail client would show
// badly or that breaks the law on bulk mail: it must link to the
// unsubscribe address, and may hold no script (mail clients drop them,
// and spam filters count them).
func checkHTML(name, out string, is *Issue) error {
	if is.Unsubscribe != "" && !strings.Contains(out, `href="`+htmlpkg.EscapeString(is.Unsubscribe)+`"`) &&
		!strings.Contains(out, `href="`+template.HTMLEscapeString(is.Unsubscribe)+`"`) {
		return fmt.Errorf("%s: the email has no unsubscribe link: write <a href=\"{{.Unsubscribe}}\"> in it", name)
	}
	if strings.Contains(strings.ToLower(out), "<script") {
		return fmt.Errorf("%s: the email has a <script>: mail clients drop scripts, and spam filters count them", name)
	}
	return nil
}
