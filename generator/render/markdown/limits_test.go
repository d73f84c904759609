package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// repeat returns s repeated to n bytes.
func repeat(s string, n int) string { return strings.Repeat(s, n/len(s)+1)[:n] }

// lines returns the lines f(i) for i = 0, 1, … up to n bytes.
func lines(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(f(i))
	}
	return b.String()
}

// pathological are inputs on which goldmark, or drumbeat's figure parser,
// once did work that grew with the square of their size (the times in the
// names are for 100 KB before the limits, measured on a 2-core machine),
// and others that stay linear, to keep them so.
var pathological = []struct {
	name string
	src  func(n int) string
}{
	{"nested > (was 9.1 s)", func(n int) string { return repeat(">", n) }},
	{"nested > with spaces (was 6.7 s)", func(n int) string { return repeat("> ", n) }},
	{"[x]( (was 11.4 s)", func(n int) string { return repeat("[x](", n) }},
	{"![x]( (was 9.5 s)", func(n int) string { return repeat("![x](", n) }},
	{"[x]((( (was 7.3 s)", func(n int) string { return repeat("[x](((", n) }},
	{"[](< (was 5.0 s)", func(n int) string { return repeat("[](<", n) }},
	{"[x]( on lines (was 1.0 s)", func(n int) string { return repeat("[x](\n", n) }},
	{"link titles on lines", func(n int) string { return repeat("[x](a \"\n", n) }},
	{"[a][", func(n int) string { return repeat("[a][", n) }},
	{"[[[[", func(n int) string { return repeat("[", n) }},
	{"]]]]", func(n int) string { return repeat("]", n) }},
	{"1. 1. (was 2.2 s)", func(n int) string { return repeat("1. ", n) }},
	{"* * * a (was over 12 s)", func(n int) string { return repeat("* ", n-1) + "a" }},
	{"+ + + (was 9.0 s)", func(n int) string { return repeat("+ ", n) }},
	{"- - - (a thematic break)", func(n int) string { return repeat("- ", n) }},
	{"> - > - (was 5.1 s)", func(n int) string { return repeat("> - ", n) }},
	{"footnotes in footnotes (was 2.5 s)", func(n int) string { return repeat("[^a]: ", n) }},
	{"indented lists", func(n int) string { return lines(n, func(i int) string { return strings.Repeat(" ", 2*i) + "- x\n" }) }},
	{"lazy quote lines", func(n int) string { return repeat(">a\n", n) }},
	{"*a **b", func(n int) string { return repeat("*a **b ", n) }},
	{"**a", func(n int) string { return repeat("**a", n) }},
	{"*_", func(n int) string { return repeat("*_", n) }},
	{"_a *", func(n int) string { return repeat("_a *", n) }},
	{"~~a", func(n int) string { return repeat("~~a ", n) }},
	{"quotes", func(n int) string { return repeat("\"'", n) }},
	{"<<<<", func(n int) string { return repeat("<", n) }},
	{"<a", func(n int) string { return repeat("<a ", n) }},
	{"<a b=\"", func(n int) string { return repeat("<a b=\"", n) }},
	{"<http:", func(n int) string { return repeat("<http:", n) }},
	{"<div> nested", func(n int) string { return repeat("<div>", n) }},
	{"<!--", func(n int) string { return repeat("a <!--\n", n) }},
	{"<![CDATA[", func(n int) string { return repeat("a <![CDATA[", n) }},
	{"a line of backticks", func(n int) string { return repeat("`", n) }},
	{"backtick runs", func(n int) string { return repeat("` `` ``` ", n) }},
	{"`a", func(n int) string { return repeat("`a", n) }},
	{"table cells", func(n int) string { return "|" + repeat("a|", n/2) + "\n|" + repeat("-|", n/2) + "\n" }},
	{"wide table, short rows (was 5.1 s)", func(n int) string {
		return "|" + repeat("a|", 120) + "\n|" + repeat("-|", 120) + "\n" + repeat("|\n", n)
	}},
	{"table rows", func(n int) string { return "|a|b|\n|-|-|\n" + repeat("|x|\n", n) }},
	{"reference definitions", func(n int) string { return lines(n, func(i int) string { return fmt.Sprintf("[r%d]: /u\n", i) }) }},
	{"reference uses", func(n int) string { return "[a]: /u\n\n" + repeat("[a] ", n) }},
	{"footnote definitions", func(n int) string { return lines(n, func(i int) string { return fmt.Sprintf("[^f%d]: x\n\n", i) }) }},
	{"autolinks", func(n int) string { return repeat("www.a ", n) }},
	{"entities", func(n int) string { return repeat("&#", n) }},
	{"backslashes", func(n int) string { return repeat("\\", n) }},
	{"headings", func(n int) string { return repeat("# a\n", n) }},
	{"setext headings", func(n int) string { return repeat("a\n=\n", n) }},
	{"{{{{ (was 4.3 s)", func(n int) string { return repeat("{", n) }},
	{"{{ x without }} (was 1.8 s here, 5.6 s reported)", func(n int) string { return repeat("{{ x ", n) }},
	{"{{x}} (was 1.1 s)", func(n int) string { return repeat("{{x}} ", n) }},
	{"{x{ (was 1.4 s)", func(n int) string { return repeat("{x{", n) }},
	// Found in review, through Read (the loader's plain text).
	{"*a_ (was 16 s)", func(n int) string { return repeat("*a_", n) }},
	{"_a* spaced", func(n int) string { return repeat("_a* ", n) }},
	{"footnotes (was 1 s, 40 s at 850 KB)", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: y\n\n", i, i)
		}
		return b.String()
	}},
}

// TestPathologicalMarkdown converts 100 KB of each pattern: each must be
// done, or refused at a line, in under a second.
func TestPathologicalMarkdown(t *testing.T) {
	bound := time.Second
	if raceEnabled {
		bound = 10 * time.Second
	}
	c := New(Options{})
	const n = 100_000
	for _, p := range pathological {
		t.Run(p.name, func(t *testing.T) {
			src := []byte(p.src(n))
			start := time.Now()
			_, ferrs, err := c.Convert(src, "../", &fakeFigures{})
			d := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			verdict := "converted"
			for _, fe := range ferrs {
				if le, ok := fe.Err.(*LimitError); ok {
					verdict = fmt.Sprintf("refused at %d:%d: %s", fe.Line, fe.Col, le.Msg)
				}
			}
			t.Logf("%v, %s", d, verdict)
			if d > bound {
				t.Errorf("took %v for %d KB, more than %v", d, len(src)>>10, bound)
			}
			// The loader reads every story's plain text with goldmark too.
			start = time.Now()
			Read(src)
			if d := time.Since(start); d > bound {
				t.Errorf("Read took %v for %d KB, more than %v", d, len(src)>>10, bound)
			}
		})
	}
}

// TestLimits checks where each limit is reported, and that sources just
// inside them convert.
func TestLimits(t *testing.T) {
	links := func(k int) string { return strings.Repeat("[a](/b) ", k) }
	tests := []struct {
		name      string
		src       string
		line, col int // 0: no problem
		msg       string
	}{
		{"quotes at the limit", "Text.\n\n" + strings.Repeat("> ", 16) + "deep\n", 0, 0, ""},
		{"emphasis runs at the limit", strings.Repeat("*a_", 500) + "\n", 0, 0, ""},
		{"emphasis runs past it", "Text.\n\n" + strings.Repeat("*a_", 500) + "*\n", 3, 1501, "this paragraph has more than 1000 runs of * _ or ~"},
		{"footnotes past the limit", strings.Repeat("x[^1]\n\n", 501), 1001, 2, "this file has more than 500 footnote marks"},
		{"quotes past it", "Text.\n\n" + strings.Repeat("> ", 17) + "deep\n", 3, 33, "block quotes and lists nest more than 16 levels deep here"},
		{"lists in quotes", "a\n" + strings.Repeat("> 1. - ", 6) + "x\n", 2, 38, "nest more than 16"},
		{"indented at the limit", "- a\n" + strings.Repeat(" ", 64) + "- b\n", 0, 0, ""},
		{"indented past it", "- a\n" + strings.Repeat("  ", 20) + "> " + strings.Repeat("  ", 20) + "- b\n", 2, 67, "the line is indented more than 64 spaces"},
		{"tabs count four", "- a\n" + strings.Repeat("\t", 17) + "- b\n", 2, 17, "the line is indented more than 64 spaces"},
		{"a long thematic break", strings.Repeat("- ", 40) + "\n\n" + strings.Repeat("* ", 40) + "\n", 0, 0, ""},
		{"links at the limit", links(256), 0, 0, ""},
		{"links past it", "a\n\n" + links(100) + "\n" + links(156) + "\n[c][d]", 5, 3, "this paragraph has more than 256 links"},
		{"links in separate paragraphs", strings.Repeat(links(200)+"\n\n", 10), 0, 0, ""},
		{"escaped brackets are text", strings.Repeat("\\[x\\](", 2000), 0, 0, ""},
		{"brackets past the limit", "x\n" + strings.Repeat("[", 1025), 2, 1025, "more than 1024 [ brackets"},
		{"code fences are text", "```\n" + strings.Repeat("[x](", 2000) + "\n" + strings.Repeat(">", 100) + "\n```\n\n~~~~\n" + strings.Repeat("[", 3000) + "\n~~~~\n", 0, 0, ""},
		{"an indented fence is counted", "- a\n\n  ```\n  code\n- b\n" + strings.Repeat(">", 20), 6, 17, "nest more than 16"},
		{"table columns", "|" + strings.Repeat("a|", 65) + "\n|" + strings.Repeat("-|", 65) + "\n", 2, 1, "the table has 65 columns; at most 64 are allowed"},
		{"table cells", "|" + strings.Repeat("a|", 64) + "\n|" + strings.Repeat("-|", 64) + "\n" + strings.Repeat("|x|\n", 2000), 1563, 1, "the tables of this file hold more than 100000 cells"},
		{"a line of dashes is no table", "a\n---\n" + strings.Repeat("|x|\n", 200000/4), 0, 0, ""},
	}
	c := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ferrs, err := c.Convert([]byte(tt.src), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.line == 0 {
				if len(ferrs) != 0 {
					t.Fatalf("problems: %+v", ferrs)
				}
				return
			}
			if len(ferrs) != 1 || ferrs[0].Line != tt.line || ferrs[0].Col != tt.col || !strings.Contains(ferrs[0].Err.Error(), tt.msg) {
				t.Fatalf("problems: %+v\nwant %q at %d:%d", ferrs, tt.msg, tt.line, tt.col)
			}
			if !bytes.HasPrefix(out, []byte("<pre>")) {
				t.Errorf("a refused source should be shown as text, got %.80s", out)
			}
		})
	}
}

// FuzzFigureScan checks the search for the "}}" that closes a figure
// against a plain search from every "{{", as goldmark calls the figure
// parser along a line, and that it reads each byte of the line at most
// about twice: the work is linear in the length of the line.
func FuzzFigureScan(f *testing.F) {
	for _, s := range []string{"{{x}}", "{{{{{{", "{{ x {{ y }} z }}", "{{x}}}} {{", "a{{b{{c}}d}}e{{", "}}{{}}{{}}", strings.Repeat("{{ x ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		b := []byte(strings.ReplaceAll(line, "\n", " "))
		s := &closeScan{stop: -1}
		for p := 0; p < len(b); {
			if b[p] != '{' || len(b)-p < 4 || b[p+1] != '{' {
				p++
				continue
			}
			got := s.find(b[p:], len(b))
			want := bytes.Index(b[p+2:], []byte("}}"))
			if got != want {
				t.Fatalf("at %d: find = %d, bytes.Index = %d", p, got, want)
			}
			if got >= 0 {
				p += got + 4 // the figure is consumed
			} else {
				p++
			}
		}
		if s.work > 2*len(b)+4 {
			t.Fatalf("searched %d bytes in a line of %d", s.work, len(b))
		}
	})
}
