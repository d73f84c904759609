package markdown

import (
	"bytes"
	"fmt"
)

// Limits on a Markdown source that keep goldmark out of the cases where its
// work grows with the square of the input: 100 KB of nested `>` took 50 s,
// `[x](` repeated 38 s, `* * * … a` and `+ + + …` (nested list items) and
// `[x](((` several seconds each, and a table's rows are padded to the
// header's width, so a wide header with many short rows multiplies. Real
// stories stay far inside them. checkLimits scans the source once, before
// goldmark sees it.
const (
	// MaxNesting is how many block quotes, list items and footnotes may
	// open on one line.
	MaxNesting = 16
	// MaxIndent is how many columns of spaces (a tab counts four) may
	// indent a line, between its quote and list markers too: lists nested
	// by indentation cost goldmark time with the square of their depth.
	MaxIndent = 64
	// MaxLinks is how many link ends (`](`, `][`) one paragraph may hold.
	MaxLinks = 256
	// MaxBrackets is how many `[` one paragraph may hold.
	MaxBrackets = 1024
	// MaxDelimiters is how many runs of emphasis marks (*, _ and ~) one
	// paragraph may hold: goldmark pairs them with the square of their
	// number (100 KB of `*a_` took 16 s).
	MaxDelimiters = 1000
	// MaxFootnotes is how many footnote marks ([^) one file may hold:
	// goldmark sorts the footnotes with the square of their number.
	MaxFootnotes = 500
	// MaxTableColumns is how many columns a table may have.
	MaxTableColumns = 64
	// MaxTableCells is how many cells (rows × columns) the tables of one
	// file may hold together.
	MaxTableCells = 100_000
)

// LimitError is a Markdown source that goes over one of the limits, at
// the line and column where it does.
type LimitError struct {
	Line, Col int
	Msg, Hint string
}

// Error returns the problem with what to do about it.
func (e *LimitError) Error() string { return e.Msg + " (" + e.Hint + ")" }

// checkLimits returns the first place where src goes over a limit, or nil.
// A paragraph here is a run of lines that are not blank, outside fenced
// code: it may hold more than goldmark's paragraph, never less, so the
// counts are on the safe side. The scan is linear in len(src).
//
// The scan must never skip what goldmark parses: only fenced code that
// opens at the start of a line is skipped, and it ends at the first line
// that could close it, however indented.
func checkLimits(src []byte) *LimitError {
	var (
		line             = 0
		links, brackets  int // in the current paragraph
		delims           int // in the current paragraph
		footnotes        int // in the file
		fence            byte
		fenceLen         int
		tableCols, cells int
	)
	at := func(off, lineStart int, msg, hint string) *LimitError {
		return &LimitError{Line: line, Col: len([]rune(string(src[lineStart:off]))) + 1, Msg: msg, Hint: hint}
	}
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		next := len(src)
		if end < 0 {
			end = len(src)
		} else {
			end += start
			next = end + 1
		}
		line++
		l := src[start:end]
		trimmed := bytes.TrimLeft(l, " \t")
		// Fenced code: its content is text, not Markdown.
		if fence != 0 {
			if n := run(trimmed, fence); n >= fenceLen && len(bytes.TrimSpace(trimmed[n:])) == 0 {
				fence = 0
			}
			start = next
			continue
		}
		// Only a fence at the start of the line is taken as one: it is
		// surely not inside a list item or quote that could end it
		// unseen, and so not skipped by mistake. Indented fences are
		// counted as Markdown, which errs on the safe side.
		if c := firstByte(l); c == '`' || c == '~' {
			if n := run(l, c); n >= 3 && (c == '~' || bytes.IndexByte(l[n:], '`') < 0) {
				fence, fenceLen = c, n
				links, brackets, delims, tableCols = 0, 0, 0, 0
				start = next
				continue
			}
		}
		if len(bytes.TrimSpace(l)) == 0 {
			links, brackets, delims, tableCols = 0, 0, 0, 0
			start = next
			continue
		}
		if d, indent, off := nesting(src, start, end); d > MaxNesting {
			return at(off, start, fmt.Sprintf("block quotes and lists nest more than %d levels deep here", MaxNesting),
				"nest at most a few levels; to show > or a list marker as text, put a backslash before it (\\>, \\-, \\*)")
		} else if indent > MaxIndent {
			return at(off, start, fmt.Sprintf("the line is indented more than %d spaces", MaxIndent),
				"nest lists a few levels at most; put code in a fenced block between ``` lines")
		}
		// Tables: a delimiter row (|---|---|) makes the line before it a
		// header and the lines after it rows, each as wide as the header.
		if tableCols > 0 {
			if cells += tableCols; cells > MaxTableCells {
				return at(start, start, fmt.Sprintf("the tables of this file hold more than %d cells", MaxTableCells),
					"split the data into smaller tables, or publish it as a file under static/")
			}
		} else if cols := delimiterRow(l); cols > 0 {
			if cols > MaxTableColumns {
				return at(start, start, fmt.Sprintf("the table has %d columns; at most %d are allowed", cols, MaxTableColumns),
					"split it into narrower tables")
			}
			tableCols = cols
			cells += 2 * cols
		}
		for i := start; i < end; i++ {
			switch src[i] {
			case '\\':
				i++ // an escaped character is text
			case '*', '_', '~':
				if i == start || src[i-1] != src[i] {
					if delims++; delims > MaxDelimiters {
						return at(i, start, fmt.Sprintf("this paragraph has more than %d runs of * _ or ~", MaxDelimiters),
							"split it into shorter paragraphs with blank lines; to show *, _ or ~ as text, put a backslash before it")
					}
				}
			case '[':
				if i+1 < end && src[i+1] == '^' {
					if footnotes++; footnotes > MaxFootnotes {
						return at(i, start, fmt.Sprintf("this file has more than %d footnote marks", MaxFootnotes),
							"keep footnotes to a few per story; to show [^ as text, write \\[^")
					}
				}
				if brackets++; brackets > MaxBrackets {
					return at(i, start, fmt.Sprintf("this paragraph has more than %d [ brackets", MaxBrackets),
						"split it into shorter paragraphs with blank lines; to show [ as text, write \\[")
				}
			case ']':
				if i+1 < end && (src[i+1] == '(' || src[i+1] == '[') {
					if links++; links > MaxLinks {
						return at(i, start, fmt.Sprintf("this paragraph has more than %d links", MaxLinks),
							"split it into shorter paragraphs with blank lines; to show ]( or ][ as text, write \\]")
					}
				}
			}
		}
		start = next
	}
	return nil
}

// nesting counts the block quote, list item and footnote markers that open
// at the start of the line src[start:end] and the columns of spaces
// before and between them, and returns the offset where the line went over
// MaxNesting or MaxIndent. A thematic break (- - -) is no list.
func nesting(src []byte, start, end int) (d, indent, off int) {
	i := start
	for {
		for i < end && (src[i] == ' ' || src[i] == '\t') {
			if indent++; src[i] == '\t' {
				indent += 3
			}
			if indent > MaxIndent {
				return d, indent, i
			}
			i++
		}
		if i >= end {
			return d, indent, i
		}
		j := i
		switch c := src[i]; {
		case c == '>':
			j = i + 1
		case c == '-' || c == '+' || c == '*':
			if isBreak(src[i:end]) {
				return d, indent, i
			}
			j = i + 1
			if j < end && src[j] != ' ' && src[j] != '\t' {
				return d, indent, i
			}
		case c >= '0' && c <= '9':
			for j < end && j-i < 9 && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			if j >= end || src[j] != '.' && src[j] != ')' {
				return d, indent, i
			}
			j++
			if j < end && src[j] != ' ' && src[j] != '\t' {
				return d, indent, i
			}
		case c == '[' && i+1 < end && src[i+1] == '^':
			k := bytes.Index(src[i:min(end, i+256)], []byte("]:"))
			if k < 0 {
				return d, indent, i
			}
			j = i + k + 2
		default:
			return d, indent, i
		}
		if d++; d > MaxNesting {
			return d, indent, i
		}
		i = j
		if i < end && src[i] == ' ' {
			i++ // part of the marker
		}
	}
}

// isBreak reports whether l is a thematic break: three or more of one of
// - * _ and nothing else but spaces.
func isBreak(l []byte) bool {
	var c byte
	n := 0
	for _, b := range l {
		switch {
		case b == ' ' || b == '\t':
		case c == 0 && (b == '-' || b == '*' || b == '_'):
			c = b
			n++
		case b == c:
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// delimiterRow returns the number of columns of a GFM table delimiter row
// (| --- | :-: |), or 0 when l is none.
func delimiterRow(l []byte) int {
	l = bytes.TrimSpace(l)
	if len(l) == 0 || bytes.IndexByte(l, '-') < 0 {
		return 0
	}
	cols, dashes, pipes := 1, false, 0
	for i, b := range l {
		switch b {
		case '|':
			pipes++
			if i > 0 && i < len(l)-1 {
				cols++
			}
		case '-':
			dashes = true
		case ':', ' ', '\t':
		default:
			return 0
		}
	}
	if !dashes || pipes == 0 {
		return 0 // a line of dashes alone: a thematic break or a heading underline
	}
	return cols
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// run returns how many times c repeats at the start of b.
func run(b []byte, c byte) int {
	n := 0
	for n < len(b) && b[n] == c {
		n++
	}
	return n
}
