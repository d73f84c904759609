package render

import (
	"errors"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	tparse "text/template/parse"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// templateError turns an error of a theme's templates, from parsing or
// executing them, into "layouts/page.html:12:5: <the template's words>":
// the file the template came from (a theme's file, or the site's override
// in layouts/, as parse names them), its line and column (from 1), and the
// message without the "html/template:" and "template:" prefixes.
//
// html/template reports escaping problems (an {{if}} whose branches end in
// different contexts, a missing template) as *template.Error, with a node,
// or a template name and line; text/template's parse and execution errors
// are "template: NAME:LINE[:COL]: words", whose columns count from 0.
// NAME may be a template that a file defines ("main"): files maps it
// back to its file (see templateFiles). Parse errors carry no column: when src (the
// text of the file being parsed) is given and the message quotes what is
// wrong, the column is where that stands on the line.
func templateError(err error, files map[string]string, src []byte) *diag.Error {
	var pos diag.Pos
	var msg string
	var he *template.Error
	if errors.As(err, &he) {
		msg = he.Description
		pos.File, pos.Line = he.Name, he.Line
		if he.Node != nil {
			if loc, ok := nodeLocation(he.Node); ok {
				pos, _ = parseLocation(loc)
			}
		}
	} else {
		msg = strings.TrimPrefix(err.Error(), "template: ")
		if m := locatedMessage.FindStringSubmatch(msg); m != nil {
			pos, _ = parseLocation(m[1])
			msg = m[2]
		}
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, "html/template:"), "template: ")
	if f, ok := files[pos.File]; ok {
		pos.File = f
	}
	if pos.Col == 0 && pos.Line > 0 && src != nil {
		pos.Col = columnOf(src, pos.Line, msg)
	}
	e := &diag.Error{Pos: pos, Msg: msg, Err: err}
	switch {
	case he != nil && he.ErrorCode == template.ErrBranchEnd:
		e.Hint = "every branch of an {{if}}, {{range}} or {{with}} must end in the same place in the HTML: close the tag, attribute or quote inside each branch"
	case he != nil && he.ErrorCode == template.ErrNoSuchTemplate:
		e.Hint = "check the template's name: the theme's partials and {{define}}s, and the site's in layouts/, are the ones there are"
	case strings.Contains(msg, "can't evaluate field"):
		e.Hint = "check the name against what the layout receives (generator/render/page.go)"
	}
	return e
}

// locatedMessage is text/template's "NAME:LINE[:COL]: words".
var locatedMessage = regexp.MustCompile(`(?s)^([^\s:][^:]*:\d+(?::\d+)?): (.*)$`)

// parseLocation reads "NAME:LINE[:COL]", COL counted from 0 as
// text/template counts, into a position whose column counts from 1.
func parseLocation(loc string) (diag.Pos, bool) {
	parts := strings.Split(loc, ":")
	var pos diag.Pos
	n := len(parts)
	if n >= 3 {
		if col, err := strconv.Atoi(parts[n-1]); err == nil {
			if line, err := strconv.Atoi(parts[n-2]); err == nil {
				return diag.Pos{File: strings.Join(parts[:n-2], ":"), Line: line, Col: col + 1}, true
			}
		}
	}
	if n >= 2 {
		if line, err := strconv.Atoi(parts[n-1]); err == nil {
			return diag.Pos{File: strings.Join(parts[:n-1], ":"), Line: line}, true
		}
	}
	pos.File = loc
	return pos, false
}

// nodeLocation is "NAME:LINE:COL" of a parse node, as html/template
// writes it in its errors.
func nodeLocation(n tparse.Node) (loc string, ok bool) {
	defer func() {
		if recover() != nil {
			loc, ok = "", false
		}
	}()
	loc, _ = (*tparse.Tree)(nil).ErrorContext(n)
	return loc, loc != ""
}

// templateFiles maps each template of set to the file that defines it.
// It must be called before set is executed.
func templateFiles(set *template.Template) map[string]string {
	out := map[string]string{}
	if set == nil {
		return out
	}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.ParseName != "" {
			out[t.Name()] = t.Tree.ParseName
		}
	}
	return out
}

// quoted is what a parse error quotes: function "x", undefined variable
// "$x", unexpected "}"; or the action it is about: unexpected {{end}},
// missing value for if.
var quoted = regexp.MustCompile(`"([^"]+)"|(\{\{\w+\}\})|missing value for (\w+)`)

// columnOf returns the column (from 1) on line of src where the first
// thing msg quotes stands inside an action, or 0.
func columnOf(src []byte, line int, msg string) int {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return 0
	}
	m := quoted.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	needle := m[1]
	switch {
	case m[2] != "":
		needle = strings.Trim(m[2], "{}")
	case m[3] != "":
		needle = m[3]
	}
	text := lines[line-1]
	// Only inside {{ }}: the same word may be in the HTML around.
	for off := 0; ; {
		open := strings.Index(text[off:], "{{")
		if open < 0 {
			return 0
		}
		open += off
		end := strings.Index(text[open:], "}}")
		if end < 0 {
			end = len(text) - open
		} else {
			end += 2
		}
		if i := strings.Index(text[open:open+end], needle); i >= 0 {
			return open + i + 1
		}
		off = open + end
	}
}
