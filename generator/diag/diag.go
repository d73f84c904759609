// Package diag holds the position every author-facing problem carries, and
// the list that collects them so one run reports every bad row at once.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a source file. File is relative to the site folder and
// uses forward slashes. Line and Col start at 1; zero means unknown.
//
// In a workbook (.xlsx), Cell names the place as a spreadsheet does,
// "Q3!C7" (sheet and cell), and is printed instead of line and column;
// Line and Col then hold the cell's row and column, so problems sort in
// reading order.
type Pos struct {
	File      string
	Line, Col int
	// Cell is left out of JSON when empty: a Pos is part of what some
	// fingerprints cover (an ROI story's declared figures), which must
	// not change.
	Cell string `json:",omitempty"`
}

// String returns "file:line:col", leaving out what is unknown, or
// "file:sheet!cell" in a workbook.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Cell != "":
		return p.File + ":" + p.Cell
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// Severity says whether a problem stops the build.
type Severity int

const (
	// SevError stops build and makes check exit 1.
	SevError Severity = iota
	// SevWarning is reported by check but does not stop a build.
	SevWarning
)

// Error is a problem in the site's sources.
type Error struct {
	Pos      Pos
	Msg      string
	Hint     string // how to fix it, in plain words; may be empty
	Severity Severity
	Err      error // the cause, for errors.Is and errors.As
}

func (e *Error) Error() string {
	var b strings.Builder
	if s := e.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if e.Severity == SevWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning at pos.
func Warnf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Severity: SevWarning}
}

// WithHint sets the hint and returns e.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// List collects problems. The zero value is ready to use.
type List []*Error

// Add appends e.
func (l *List) Add(e *Error) { *l = append(*l, e) }

// Errorf appends an error at pos and returns it so a hint can be added.
func (l *List) Errorf(pos Pos, format string, args ...any) *Error {
	e := Errorf(pos, format, args...)
	*l = append(*l, e)
	return e
}

// Warnf appends a warning at pos and returns it.
func (l *List) Warnf(pos Pos, format string, args ...any) *Error {
	e := Warnf(pos, format, args...)
	*l = append(*l, e)
	return e
}

// Append adds every problem of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders the list by file, line, column, then message, so output is stable.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if sa, sb := sheetOf(a.Pos.Cell), sheetOf(b.Pos.Cell); sa != sb {
			return sa < sb
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
}

// sheetOf returns the sheet of a workbook cell "Q3!C7", or "".
func sheetOf(cell string) string {
	if i := strings.LastIndexByte(cell, '!'); i >= 0 {
		return cell[:i]
	}
	return ""
}

// Errors returns only the problems that stop a build.
func (l List) Errors() List {
	var out List
	for _, e := range l {
		if e.Severity == SevError {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l List) Warnings() List {
	var out List
	for _, e := range l {
		if e.Severity == SevWarning {
			out = append(out, e)
		}
	}
	return out
}

// HasErrors reports whether any problem stops a build.
func (l List) HasErrors() bool {
	for _, e := range l {
		if e.Severity == SevError {
			return true
		}
	}
	return false
}

// Err returns the list as an error when it holds errors, else nil.
// Warnings alone are not an error.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	errs := l.Errors()
	errs.Sort()
	return errs
}

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is and errors.As see each one and
// its cause through a List.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// AsList extracts a List from err, or returns nil.
func AsList(err error) List {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return nil
}

// LineIndex converts byte offsets in a file to line and column numbers.
type LineIndex struct {
	starts []int // byte offset of each line's first byte
}

// NewLineIndex indexes src.
func NewLineIndex(src []byte) *LineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &LineIndex{starts: starts}
}

// Pos returns the 1-based line and column of byte offset off.
func (x *LineIndex) Pos(off int) (line, col int) {
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - x.starts[i] + 1
}

// Suggest returns the candidate closest to s by edit distance when it is close
// enough to be a likely typo, else "". A swap of two neighbouring letters
// counts as one edit; about one edit in three letters is a typo, more is a
// different word ("colour" is not a typo of "logo").
func Suggest(s string, candidates []string) string {
	n := utf8.RuneCountInString(s)
	best, bestD := "", min(n/3+2, n) // and never every letter changed
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
