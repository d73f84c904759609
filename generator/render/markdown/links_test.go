package markdown

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// heldResolver drops every address that holds "held", refuses images on
// host.example and replaces those on cdn.example, and refuses raw HTML
// that holds "held".
type heldResolver struct{ fakeFigures }

func (heldResolver) ResolveLink(dest string) (string, bool, error) {
	if strings.Contains(dest, "held") {
		return "", true, errors.New("held: " + dest)
	}
	return dest, false, nil
}

func (heldResolver) HideLinkText(dest, text string) bool { return strings.Contains(text, "held") }

func (heldResolver) ResolveImage(dest string) (string, error) {
	switch {
	case strings.HasPrefix(dest, "https://host.example/"):
		return "", errors.New("remote: " + dest)
	case strings.HasPrefix(dest, "https://cdn.example/"):
		return "/images/remote/abc.png", nil
	}
	return dest, nil
}

func (heldResolver) CheckRawHTML(raw string) error {
	if strings.Contains(raw, "held") {
		return errors.New("raw: held")
	}
	return nil
}

// TestLinkForms checks what the resolvers see and what is left of the
// links, autolinks, images and raw HTML they refuse, and where each
// problem is reported.
func TestLinkForms(t *testing.T) {
	tests := []struct {
		name, src     string
		unsafe        bool
		want, notWant []string
		line, col     int // of the first problem; 0 for none
	}{
		{"link keeps its text", "a [the plan](../held/) b", false, []string{"a the plan b"}, []string{"href", "held"}, 1, 3},
		{"link whose text names it goes", "a [see /held/](/held/) b", false, []string{"a  b"}, []string{"href", "see"}, 1, 3},
		{"autolink goes", "x\n\na <https://s.example/held/> b", false, []string{"a  b"}, []string{"held", "href"}, 3, 4},
		{"bare URL goes", "a https://s.example/held/ b", false, []string{"a  b"}, []string{"held", "href"}, 1, 3},
		{"second of two bare URLs", "https://s.example/ok/ then https://s.example/held/", false, []string{`href="https://s.example/ok/"`}, []string{"held"}, 1, 28},
		{"reference link", "a [text][r] b\n\n[r]: /held/\n", false, []string{"a text b"}, []string{"href", "held"}, 1, 3},
		{"email autolink kept", "<held@s.example>", false, []string{"mailto:held@s.example"}, nil, 0, 0},
		{"external link kept", "[ok](https://other.example/x)", false, []string{`href="https://other.example/x"`}, nil, 0, 0},
		{"remote image refused", "a ![a chart](https://host.example/c.png) b", false, []string{"a a chart b"}, []string{"<img", "host.example"}, 1, 3},
		{"remote image without alt", "x\n\n![](https://host.example/c.png)", false, nil, []string{"<img", "host.example"}, 3, 5},
		{"remote image replaced", "![c](https://cdn.example/c.png)", false, []string{`src="../images/remote/abc.png"`}, []string{"cdn.example"}, 0, 0},
		{"image of a held story", "![c](/held/c.png)", false, []string{`src="#"`}, []string{"held"}, 1, 1},
		{"raw HTML shown as text", "a <a href=\"/held/\">x</a>", false, nil, nil, 1, 3},
		{"raw HTML block", "x\n\n<div>held</div>\n", true, nil, nil, 3, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, ferrs := convert(t, Options{UnsafeHTML: tc.unsafe}, tc.src, "../", &heldResolver{})
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			switch {
			case tc.line == 0 && len(ferrs) > 0:
				t.Errorf("unexpected problems %+v", ferrs)
			case tc.line > 0 && len(ferrs) == 0:
				t.Errorf("no problem reported")
			case tc.line > 0 && (ferrs[0].Line != tc.line || ferrs[0].Col != tc.col):
				t.Errorf("problem at %d:%d, want %d:%d (%v)", ferrs[0].Line, ferrs[0].Col, tc.line, tc.col, ferrs[0].Err)
			}
		})
	}
}

func TestImages(t *testing.T) {
	src := "# T\n\n![a](https://x.example/a.png) and\n![b][ref]\n\n- ![](/local.png)\n\n[ref]: https://x.example/b.png\n"
	got := New(Options{}).Images([]byte(src))
	want := []ImageRef{{"https://x.example/a.png", 3}, {"https://x.example/b.png", 4}, {"local.png", 6}}
	if len(got) != len(want) {
		t.Fatalf("Images = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Line != want[i].Line || !strings.HasSuffix(got[i].URL, want[i].URL) {
			t.Errorf("image %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// FuzzLinkForms checks that no address the LinkResolver drops reaches an
// href or src, whatever the Markdown, and that problems have lines inside
// the source.
func FuzzLinkForms(f *testing.F) {
	for _, s := range []string{"[a](/held/)", "<https://x/held/>", "https://x/held/ y", "[a][r]\n\n[r]: held\n", "![a](/held/i.png)",
		"[![i](https://host.example/i.png)](/held/)", "[[a](/held/)](/ok/)", "*[a](held)*", "> [a](held)\n> <https://held>", "![](https://host.example/x)"} {
		f.Add(s)
	}
	c := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		out, ferrs, err := c.Convert([]byte(src), "../", &heldResolver{})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, fe := range ferrs {
			if fe.Line < 1 || fe.Line > lines {
				t.Errorf("problem at line %d of a %d-line source: %v", fe.Line, lines, fe.Err)
			}
		}
		for _, attr := range []string{`href="`, `src="`} {
			for rest := string(out); ; {
				i := strings.Index(rest, attr)
				if i < 0 {
					break
				}
				rest = rest[i+len(attr):]
				v, _, _ := strings.Cut(rest, `"`)
				if strings.Contains(v, "held") || attr == `src="` && strings.HasPrefix(v, "https://host.example/") {
					t.Errorf("%s%s\" reached the output:\n%s", attr, v, out)
				}
			}
		}
	})
}

// TestLinkFormsLinear checks that reporting many dropped links stays
// linear: 100 KB of each form takes well under a second (finding each
// autolink in its block from the start was quadratic: 1.4 s). On a busy
// machine or under the race detector a slow run fails only if it is also
// far from linear: four times the text taking more than eight times as
// long (quadratic work takes sixteen).
func TestLinkFormsLinear(t *testing.T) {
	c := New(Options{})
	bound := 2 * time.Second
	if raceEnabled {
		bound = 10 * time.Second
	}
	timed := func(src []byte) time.Duration {
		start := time.Now()
		if _, _, err := c.Convert(src, "../", &heldResolver{}); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	for _, unit := range []string{"<https://s.example/held/> ", "https://s.example/held/ ", "[a](/held/) ", "![](https://host.example/x) ",
		"[](held) ", "<a href=/held/>x</a> ", "- [](held)\n", "> <https://s.example/held/>\n"} {
		n := 100_000 / len(unit)
		d := timed([]byte(strings.Repeat(unit, n)))
		if d <= bound {
			continue
		}
		if q := timed([]byte(strings.Repeat(unit, n/4))); d > 8*q {
			t.Errorf("%q × %d took %v, and a quarter of it %v: not linear", unit, n, d, q)
		}
	}
}
