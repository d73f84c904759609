package markdown

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDangerousURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"javascript:alert(1)", true},
		{"JavaScript:alert(1)", true},
		{" java\tscript:alert(1)", true},
		{"vbscript:x", true},
		{"data:text/html;base64,xx", true},
		{"file:///etc/passwd", true},
		{"https://example.org/a:b", false},
		{"/stories/x/", false},
		{"mailto:a@b.org", false},
		{"../x", false},
	}
	for _, tc := range tests {
		if got := DangerousURL(tc.url); got != tc.want {
			t.Errorf("DangerousURL(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func convert(t *testing.T, opt Options, src, root string, f FigureResolver) (string, []FigureError) {
	t.Helper()
	out, ferrs, err := New(opt).Convert([]byte(src), root, f)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), ferrs
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name, src, root string
		unsafe          bool
		want, notWant   []string
	}{
		{"gfm table", "| a | b |\n| - | - |\n| 1 | 2 |\n", "", false, []string{"<table>", "<td>1</td>"}, nil},
		{"strikethrough", "~~gone~~", "", false, []string{"<del>gone</del>"}, nil},
		{"autolink", "see https://example.org now", "", false, []string{`<a href="https://example.org">`}, nil},
		{"footnote", "text[^1]\n\n[^1]: note\n", "", false, []string{`class="footnotes"`}, nil},
		{"typographer", `"quoted" -- dash`, "", false, []string{"&ldquo;quoted&rdquo;", "&ndash;"}, nil},
		{"heading id", "## What happened\n", "", false, []string{`<h2 id="what-happened">`}, nil},
		{"site links made relative", "[a](/stories/x/) ![i](/images/y.svg) [home](/)", "../../", false,
			[]string{`href="../../stories/x/"`, `src="../../images/y.svg"`, `href="../../"`}, nil},
		{"external links untouched", "[a](https://x.org/p) [b](//cdn.example/x)", "../", false, []string{`href="https://x.org/p"`, `href="//cdn.example/x"`}, nil},
		{"raw inline HTML escaped", "a <b onclick=x>b</b>", "", false, []string{"&lt;b onclick=x&gt;"}, []string{"<b onclick"}},
		{"raw block HTML escaped", "<script>alert(1)</script>\n", "", false, []string{"&lt;script&gt;"}, []string{"<script>"}},
		{"raw HTML when opted in", "<aside>x</aside>\n", "", true, []string{"<aside>x</aside>"}, nil},
		{"javascript link refused", "[x](javascript:alert(1))", "", true, []string{`href="#"`}, []string{"javascript"}},
		{"data image refused", "![x](data:image/svg+xml;base64,AAA)", "", false, []string{`src="#"`}, []string{"data:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := convert(t, Options{UnsafeHTML: tc.unsafe}, tc.src, tc.root, nil)
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
		})
	}
}

// fakeFigures resolves "x" and "chart", and fails for anything else.
type fakeFigures struct{ refs []FigureRef }

func (f *fakeFigures) ResolveFigure(ref FigureRef) (string, bool, error) {
	f.refs = append(f.refs, ref)
	switch ref.ID {
	case "x":
		return "<b>42</b>", false, nil
	case "chart":
		return `<div class="c"></div>`, true, nil
	}
	return "", false, errors.New("unknown " + ref.ID)
}

func TestFigureSyntax(t *testing.T) {
	f := &fakeFigures{}
	src := "Line one {{x}}.\n\nSecond {{x change @2025-Q2}} and {{ x  progress }}.\n\n{{chart chart}}\n\n`{{x}}` and \\{{x}} and {{bad}}\n"
	out, ferrs := convert(t, Options{}, src, "", f)
	if n := strings.Count(out, "<b>42</b>"); n != 3 {
		t.Errorf("want 3 resolved figures, got %d:\n%s", n, out)
	}
	if !strings.Contains(out, "<div class=\"c\"></div>") || strings.Contains(out, "<p><div") {
		t.Errorf("a block figure alone in a paragraph should replace it:\n%s", out)
	}
	if !strings.Contains(out, "<code>{{x}}</code>") || !strings.Contains(out, "{{x}} and") {
		t.Errorf("code spans and escaped braces must stay text:\n%s", out)
	}
	want := []FigureRef{
		{ID: "x", Line: 1, Col: 10},
		{ID: "x", View: "change", Period: "2025-Q2", Line: 3, Col: 8},
		{ID: "x", View: "progress", Line: 3, Col: 34},
		{ID: "chart", View: "chart", Line: 5, Col: 1},
		{ID: "bad", Line: 7, Col: 24},
	}
	if len(f.refs) != len(want) {
		t.Fatalf("refs = %+v", f.refs)
	}
	for i := range want {
		if !reflect.DeepEqual(f.refs[i], want[i]) {
			t.Errorf("ref %d = %+v, want %+v", i, f.refs[i], want[i])
		}
	}
	if len(ferrs) != 1 || ferrs[0].Line != 7 || ferrs[0].Col != 24 || !strings.Contains(ferrs[0].Err.Error(), "unknown bad") {
		t.Errorf("figure errors = %+v", ferrs)
	}
}

func FuzzFigureSyntax(f *testing.F) {
	for _, s := range []string{"{{x}}", "{{x change @2025-Q1}}", "{{", "{{}}", "a {{x", "{{x}}}}", "`{{x}}`", "\\{{x}}", "{{ a b c }}", "{{x @}}", "| {{x}} |\n| - |\n"} {
		f.Add(s)
	}
	c := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		out, ferrs, err := c.Convert([]byte(src), "../", &fakeFigures{})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, fe := range ferrs {
			if fe.Line < 1 || fe.Line > lines {
				t.Errorf("figure error at line %d of a %d-line source", fe.Line, lines)
			}
		}
		if strings.Contains(string(out), "<script") {
			t.Errorf("a script element reached the output")
		}
	})
}

func TestParseFigure(t *testing.T) {
	tests := []struct {
		in   string
		want FigureRef
		ok   bool
	}{
		{"x", FigureRef{ID: "x"}, true},
		{" x value ", FigureRef{ID: "x"}, true},
		{"x change @2024-Q1", FigureRef{ID: "x", View: "change", Period: "2024-Q1"}, true},
		{"x streak = 0", FigureRef{ID: "x", View: "streak", Args: []string{"=", "0"}}, true},
		{"x share not valley-health-dept @2026-Q1..2026-Q3", FigureRef{ID: "x", View: "share", Args: []string{"not", "valley-health-dept"}, Period: "2026-Q1..2026-Q3"}, true},
		{"roi:total", FigureRef{ID: "roi:total"}, true},
		{"", FigureRef{}, false},
		{"1x", FigureRef{}, false},
		{"x Change", FigureRef{}, false},
		{"x @", FigureRef{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseFigure(tt.in)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFigure(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
