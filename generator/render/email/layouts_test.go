package email

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// exampleLayouts are the override of docs/examples/override, which
// docs/themes.md shows: the built-in email with one line added.
const exampleLayouts = "../../../docs/examples/override/layouts"

func readExampleLayouts(t *testing.T) *Layouts {
	t.Helper()
	h, err := os.ReadFile(filepath.Join(exampleLayouts, "newsletter-email.html"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := os.ReadFile(filepath.Join(exampleLayouts, "newsletter-email.txt"))
	if err != nil {
		t.Fatal(err)
	}
	l := &Layouts{}
	if l.HTML, err = ParseHTML("layouts/newsletter-email.html", string(h)); err != nil {
		t.Fatal(err)
	}
	if l.Text, err = ParseText("layouts/newsletter-email.txt", string(x)); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestExampleLayoutsMatchBuiltIn: the example override's HTML and plain
// text are the built-in email's, byte for byte, with its one added line,
// for issues with and without each optional part. So the plain-text
// layout is a faithful starting point, and an override goes through the
// same CSS inlining as the built-in email.
func TestExampleLayoutsMatchBuiltIn(t *testing.T) {
	l := readExampleLayouts(t)
	htmlLine := regexp.MustCompile(`\n<p class="override-note"[^>]*>Example override: this line comes from the site’s layouts/newsletter-email.html.</p>`)
	const textLine = "Example override: this line comes from the site’s layouts/newsletter-email.txt.\n"
	cases := map[string]func(*Issue){
		"full":     func(*Issue) {},
		"greeting": func(is *Issue) { is.Greeting = true },
		"bare": func(is *Issue) {
			is.Date, is.Intro, is.Stories, is.Movers, is.Spotlight, is.Decisions, is.Contact, is.Address = "", "", nil, nil, nil, nil, "", ""
		},
		"no new figures": func(is *Issue) {
			is.Movers, is.NoNewFigures = nil, "No measure has new figures since the October 2026 issue; the latest are for Q3 2026."
		},
		"spotlight story, photos": func(is *Issue) {
			is.AsOf, is.Movers[0].Target = "", ""
			is.Spotlight.Story = &Story{Title: "Saturday clinics", URL: "https://t.example/stories/sat/"}
			is.Stories[1].Photo, is.Stories[1].Caption, is.Stories[1].Credit = &Image{URL: "https://t.example/p.jpg", Alt: "A clinic", Width: 536}, "", "Photo: A. Person"
			is.Decisions = append(is.Decisions, Decision{Label: "Decided on 1 May 2026", Text: strings.Repeat("A long decision text that wraps. ", 5), URL: "https://t.example/decisions/#long"})
		},
	}
	for name, change := range cases {
		is := sample()
		change(is)
		want, err := HTML(is)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.RenderHTML(is)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !htmlLine.Match(got) {
			t.Errorf("%s: the HTML override's line is not in the email (or its CSS was not inlined)", name)
		} else if rest := htmlLine.ReplaceAll(got, nil); string(rest) != string(want) {
			t.Errorf("%s: the HTML override, without its line, differs from the built-in email:\n%s", name, firstDiff(string(rest), string(want)))
		}
		gotText, err := l.RenderText(is)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if wantText := string(Text(is)) + textLine; string(gotText) != wantText {
			t.Errorf("%s: the text override differs from the built-in text with its line:\n%s", name, firstDiff(string(gotText), wantText))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + x + "\n want " + y
		}
	}
	return "(same lines)"
}

// TestLayoutOverrideSafety: an override must keep the unsubscribe link
// and may hold no script; parse errors name the file and line.
func TestLayoutOverrideSafety(t *testing.T) {
	is := sample()
	bad := map[string]string{
		`<html><body><p>{{.Why}}</p></body></html>`:                                                "no unsubscribe link",
		`<html><body><a href="{{.Unsubscribe}}">Unsubscribe</a><script>x()</script></body></html>`: "has a <script>",
	}
	for src, want := range bad {
		tm, err := ParseHTML("layouts/newsletter-email.html", src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = (&Layouts{HTML: tm}).RenderHTML(is)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "layouts/newsletter-email.html") {
			t.Errorf("%.40q: want an error with %q, got %v", src, want, err)
		}
	}
	tx, err := ParseText("layouts/newsletter-email.txt", "{{.Why}}\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Layouts{Text: tx}).RenderText(is); err == nil || !strings.Contains(err.Error(), "no unsubscribe address") {
		t.Errorf("a text override without the unsubscribe address: got %v", err)
	}
	if _, err := ParseText("layouts/newsletter-email.txt", "\n\n{{if}}"); err == nil || !strings.Contains(err.Error(), "layouts/newsletter-email.txt:3") {
		t.Errorf("a parse error should name the file and line, got %v", err)
	}
	if _, err := ParseHTML("layouts/newsletter-email.html", "\n{{nope}}"); err == nil || !strings.Contains(err.Error(), "layouts/newsletter-email.html:2") {
		t.Errorf("a parse error should name the file and line, got %v", err)
	}
}
