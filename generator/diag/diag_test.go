package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestPosString(t *testing.T) {
	tests := []struct {
		pos  Pos
		want string
	}{
		{Pos{}, ""},
		{Pos{Line: 3, Col: 4}, ""},
		{Pos{File: "data/metrics.csv"}, "data/metrics.csv"},
		{Pos{File: "data/metrics.csv", Line: -1, Col: 2}, "data/metrics.csv"},
		{Pos{File: "data/metrics.csv", Line: 3}, "data/metrics.csv:3"},
		{Pos{File: "data/metrics.csv", Line: 3, Col: 0}, "data/metrics.csv:3"},
		{Pos{File: "data/metrics.csv", Line: 3, Col: 7}, "data/metrics.csv:3:7"},
		{Pos{File: "data/observations/doses.xlsx", Line: 7, Col: 3, Cell: "Q3!C7"}, "data/observations/doses.xlsx:Q3!C7"},
		{Pos{File: "data/observations/doses.xlsx", Cell: "'Q3 2025'!C7"}, "data/observations/doses.xlsx:'Q3 2025'!C7"},
		{Pos{Cell: "Q3!C7"}, ""},
	}
	for _, tt := range tests {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	cause := fs.ErrNotExist
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"plain", Errorf(Pos{File: "site.yaml", Line: 2}, "no %s", "title"), "site.yaml:2: no title"},
		{"no position", Errorf(Pos{}, "broken"), "broken"},
		{"hint", Errorf(Pos{File: "a.md", Line: 1, Col: 5}, "bad").WithHint("write %d", 7), "a.md:1:5: bad (write 7)"},
		{"warning", Warnf(Pos{File: "a.md", Line: 1}, "held back: %s", "draft"), "a.md:1: warning: held back: draft"},
		{"warning with hint", Warnf(Pos{File: "a.md"}, "w").WithHint("h"), "a.md: warning: w (h)"},
		{"cause is not printed", &Error{Pos: Pos{File: "x"}, Msg: "m", Err: cause}, "x: m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestErrorUnwrap(t *testing.T) {
	e := &Error{Pos: Pos{File: "x"}, Msg: "m", Err: fs.ErrNotExist}
	if !errors.Is(e, fs.ErrNotExist) {
		t.Error("errors.Is does not find the cause")
	}
	wrapped := fmt.Errorf("load: %w", List{e})
	var got *Error
	if !errors.As(wrapped, &got) || got != e {
		t.Errorf("errors.As through a List = %v, want the error", got)
	}
}

func TestListCollects(t *testing.T) {
	var l List
	if l.HasErrors() || l.Err() != nil || l.Error() != "" {
		t.Fatal("the zero List is not empty")
	}
	w := l.Warnf(Pos{File: "b", Line: 1}, "warn")
	if w.Severity != SevWarning || len(l) != 1 {
		t.Fatalf("Warnf: severity %v, len %d", w.Severity, len(l))
	}
	if l.HasErrors() || l.Err() != nil {
		t.Error("warnings alone must not be an error")
	}
	l.Errorf(Pos{File: "b", Line: 9}, "second").WithHint("h")
	l.Add(Errorf(Pos{File: "a", Line: 20}, "first"))
	var other List
	other.Errorf(Pos{File: "b", Line: 9, Col: 1}, "third")
	l.Append(other)
	if len(l) != 4 {
		t.Fatalf("len = %d, want 4", len(l))
	}
	if n := len(l.Errors()); n != 3 {
		t.Errorf("Errors() has %d, want 3", n)
	}
	if n := len(l.Warnings()); n != 1 {
		t.Errorf("Warnings() has %d, want 1", n)
	}
	if !l.HasErrors() {
		t.Error("HasErrors() = false")
	}
	err := l.Err()
	want := "a:20: first\nb:9: second (h)\nb:9:1: third"
	if err == nil || err.Error() != want {
		t.Errorf("Err() = %q, want %q", err, want)
	}
	if got := AsList(err); len(got) != 3 {
		t.Errorf("AsList(Err()) has %d, want 3", len(got))
	}
}

func TestListSort(t *testing.T) {
	l := List{
		Errorf(Pos{File: "b.csv", Line: 2, Col: 1}, "z"),
		Errorf(Pos{File: "a.csv", Line: 10}, "y"),
		Errorf(Pos{File: "a.csv", Line: 2, Col: 5}, "x"),
		Errorf(Pos{File: "a.csv", Line: 2, Col: 5}, "w"),
		Errorf(Pos{File: "a.csv", Line: 2}, "v"),
		Errorf(Pos{}, "u"),
	}
	l.Sort()
	want := []string{"u", "v", "w", "x", "y", "z"}
	for i, e := range l {
		if e.Msg != want[i] {
			t.Errorf("after Sort, [%d] = %q, want %q (list %v)", i, e.Msg, want[i], l)
		}
	}
	// In a workbook, problems sort by sheet, then row and column.
	l = List{
		Errorf(Pos{File: "a.xlsx", Line: 2, Col: 1, Cell: "Q4!A2"}, "d"),
		Errorf(Pos{File: "a.xlsx", Line: 9, Col: 1, Cell: "Q3!A9"}, "c"),
		Errorf(Pos{File: "a.xlsx", Line: 2, Col: 3, Cell: "Q3!C2"}, "b"),
		Errorf(Pos{File: "a.xlsx", Line: 2, Col: 1, Cell: "Q3!A2"}, "a"),
	}
	l.Sort()
	want = []string{"a", "b", "c", "d"}
	for i, e := range l {
		if e.Msg != want[i] {
			t.Errorf("after Sort, [%d] = %q, want %q (list %v)", i, e.Msg, want[i], l)
		}
	}
}

func TestAsList(t *testing.T) {
	e := Errorf(Pos{File: "x"}, "m")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"other error", errors.New("x"), 0},
		{"one Error", e, 1},
		{"wrapped Error", fmt.Errorf("render: %w", e), 1},
		{"List", List{e, e}, 2},
		{"wrapped List", fmt.Errorf("load: %w", List{e, e}), 2},
	}
	for _, tt := range tests {
		if got := AsList(tt.err); len(got) != tt.want {
			t.Errorf("%s: AsList has %d, want %d", tt.name, len(got), tt.want)
		}
	}
}

func TestLineIndex(t *testing.T) {
	src := []byte("ab\ncd\r\n\nefg")
	x := NewLineIndex(src)
	tests := []struct {
		off, line, col int
	}{
		{0, 1, 1},
		{1, 1, 2},
		{2, 1, 3}, // the newline belongs to its line
		{3, 2, 1},
		{5, 2, 3}, // \r
		{6, 2, 4}, // \n of CRLF
		{7, 3, 1},
		{8, 4, 1},
		{10, 4, 3},
		{11, 4, 4}, // one past the end
		{-5, 1, -4},
	}
	for _, tt := range tests {
		line, col := x.Pos(tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
	if l, c := NewLineIndex(nil).Pos(0); l != 1 || c != 1 {
		t.Errorf("empty source: Pos(0) = %d:%d, want 1:1", l, c)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"base_url", "title", "tagline", "language", "logo"}
	tests := []struct {
		s    string
		cand []string
		want string
	}{
		{"base_ulr", keys, "base_url"},
		{"titel", keys, "title"},
		{"Title", keys, "title"},
		{"logo", keys, "logo"},
		{"colour", keys, ""},
		{"x", keys, ""},
		{"y", []string{"x"}, ""}, // one letter changed is every letter
		{"ab", []string{"ac"}, "ac"},
		{"", []string{"a"}, ""},
		{"tilte", keys, "title"},
		{"lgo", keys, "logo"},             // one edit in three letters is close enough
		{"tagline_text", keys, "tagline"}, // five edits in twelve letters
		{"", keys, ""},
		{"title", nil, ""},
		{"lakeside-clinc", []string{"lakeside-clinic", "valley-health"}, "lakeside-clinic"},
		{"coverage_2", []string{"coverage_2y", "doses_given"}, "coverage_2y"},
		{"café", []string{"cafe"}, "cafe"}, // distance counts runes, not bytes
	}
	for _, tt := range tests {
		if got := Suggest(tt.s, tt.cand); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"titel", "title", 1}, // a swap is one edit
		{"base_ulr", "base_url", 1},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau
		{"colour", "logo", 4},
		{"é", "e", 1},
		{"same", "same", 0},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance(tt.b, tt.a); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
