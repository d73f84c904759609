package load

import (
	"go.yaml.in/yaml/v3"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// Limits that keep a hostile or mistaken file from taking the build's time
// and memory. Front matter and data files are nested a few levels deep at
// most; the TOML decoder's memory grows with the square of the depth (a
// 32 KB story once took 4.7 GB), so depth is bounded before decoding.
const (
	maxNesting  = 32      // levels of tables, lists and dotted keys in YAML and TOML
	maxMarkdown = 1 << 20 // bytes in a story, page, newsletter issue or the briefing
)

// checkTOMLDepth scans TOML front matter once, before it is decoded, and
// reports where it nests deeper than maxNesting: tables within tables,
// arrays within arrays, inline tables, and the parts of dotted keys and
// table headers all count. Strings and comments are skipped, so brackets
// and dots inside them do not count. The scan is linear and errs on the
// side of counting: a value it cannot follow adds depth, never removes it.
func checkTOMLDepth(name string, fm *frontMatter, errs *diag.List) bool {
	line, col, ok := tomlDepth(fm.raw, maxNesting)
	if !ok {
		errs.Errorf(diag.Pos{File: name, Line: fm.startLine + line - 1, Col: col},
			"the front matter nests more than %d levels deep here", maxNesting).
			WithHint("front matter needs a few levels at most; flatten the tables and lists")
	}
	return ok
}

// tomlDepth scans src as checkTOMLDepth describes and returns false with
// the line and column (in bytes, from 1) where it nests deeper than max.
func tomlDepth(src []byte, max int) (errLine, errCol int, ok bool) {
	type frame struct {
		table bool // an inline table { }, whose entries start with keys
		segs  int  // the parts of the dotted key being defined in it
	}
	var (
		stack   []frame
		cur     int // the depth at i
		topSegs int // the parts of the top-level key being defined
		inKey   = true
		dots    int    // dots seen in the key being read
		line    = 1    // line of i in the block
		lineAt  int    // offset of the line's first byte
		start   = true // at the start of a top-level statement
	)
	fail := func(i int) (int, int, bool) {
		return line, i - lineAt + 1, false
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line++
			lineAt = i + 1
			if len(stack) == 0 {
				cur -= topSegs
				topSegs, dots, inKey, start = 0, 0, true, true
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			continue
		case c == '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
			continue
		case c == '"' || c == '\'':
			i = skipTOMLString(src, i, &line, &lineAt)
			start = false
			continue
		}
		if start && len(stack) == 0 && c == '[' {
			// A [table] or [[array of tables]] header: its parts are the
			// depth of what follows.
			parts := 1
			if i+1 < len(src) && src[i+1] == '[' {
				parts++
				i++
			}
			for i+1 < len(src) && src[i+1] != ']' && src[i+1] != '\n' {
				i++
				switch src[i] {
				case '.':
					parts++
				case '"', '\'':
					i = skipTOMLString(src, i, &line, &lineAt)
				}
				if parts > max {
					return fail(i)
				}
			}
			if parts+1 > max { // the table itself is a level too
				return fail(i)
			}
			cur, start = parts, false
			continue
		}
		start = false
		if inKey {
			switch c {
			case '.':
				if dots++; cur+dots+1 > max {
					return fail(i)
				}
			case '=':
				segs := dots + 1
				if n := len(stack); n > 0 {
					stack[n-1].segs = segs
				} else {
					topSegs = segs
				}
				cur += segs
				dots, inKey = 0, false
				if cur > max {
					return fail(i)
				}
			case '}':
				if n := len(stack); n > 0 { // {} or a trailing comma
					cur -= 1 + stack[n-1].segs
					stack = stack[:n-1]
					inKey = false
				}
			}
			continue
		}
		switch c {
		case '[', '{':
			stack = append(stack, frame{table: c == '{'})
			if cur++; cur > max {
				return fail(i)
			}
			inKey = c == '{'
			dots = 0
		case ']', '}':
			if n := len(stack); n > 0 {
				cur -= 1 + stack[n-1].segs
				stack = stack[:n-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].table {
				cur -= stack[n-1].segs
				stack[n-1].segs = 0
				inKey, dots = true, 0
			}
		}
	}
	return 0, 0, true
}

// skipTOMLString returns the offset of the last byte of the string that
// starts at src[i] (a quote), counting the lines it spans. An unclosed
// string runs to the end of its line (or of the block, if multi-line);
// the decoder reports it.
func skipTOMLString(src []byte, i int, line, lineAt *int) int {
	q := src[i]
	multi := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	if multi {
		i += 2
	}
	for i++; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && q == '"':
			if i+1 < len(src) && src[i+1] == '\n' {
				*line++
				*lineAt = i + 2
			}
			i++
		case c == '\n':
			if !multi {
				return i - 1
			}
			*line++
			*lineAt = i + 1
		case c == q:
			if !multi {
				return i
			}
			if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
				// Up to two more quotes may end the content: """a"""".
				i += 2
				for i+1 < len(src) && src[i+1] == q {
					i++
				}
				return i
			}
		}
	}
	return len(src) - 1
}

// checkYAMLDepth reports where a parsed YAML document nests deeper than
// maxNesting. Aliases are not followed: what they expand to is bounded by
// the decoder's visit budget.
func checkYAMLDepth(file string, root *yaml.Node, lineOffset int, errs *diag.List) bool {
	var walk func(n *yaml.Node, depth int) bool
	walk = func(n *yaml.Node, depth int) bool {
		if depth > maxNesting {
			errs.Errorf(nodePos(file, n, lineOffset), "the YAML nests more than %d levels deep here", maxNesting).
				WithHint("a few levels of blocks and lists are enough; flatten the data")
			return false
		}
		for _, c := range n.Content {
			d := depth
			if n.Kind != yaml.DocumentNode && (c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode) {
				d++
			}
			if !walk(c, d) {
				return false
			}
		}
		return true
	}
	return walk(root, 1)
}
