package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// parseYAML parses src into a document node. lineOffset is added to every
// line, for YAML that sits inside a larger file (front matter).
func parseYAML(file string, src []byte, lineOffset int, errs *diag.List) *yaml.Node {
	if len(src) > 0 && src[0] == '\t' || hasTabIndent(src) {
		// yaml.v3 says "found character that cannot start any token"; say what it means.
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(line, "\t") {
				errs.Errorf(diag.Pos{File: file, Line: i + 1 + lineOffset, Col: 1}, "a tab is used for indentation").
					WithHint("YAML allows only spaces for indentation; replace the tab with spaces")
				return nil
			}
		}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		for _, e := range yamlErrors(file, err, lineOffset) {
			errs.Add(e)
		}
		return nil
	}
	// yaml.v3 reads the first document and stops: whatever follows a
	// "..." or "---" line would be dropped without a word (an embargo or a
	// draft flag below it, or a whole governance section). One document
	// is all a file or front matter may hold.
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		line := 0
		if err == nil {
			line = next.Line
		}
		pos := diag.Pos{File: file, Line: docEndLine(src, line) + lineOffset}
		errs.Errorf(pos, "a line \"...\" or \"---\" ends the YAML here, and drumbeat would ignore everything after it").
			WithHint("remove that line, so the keys below it count")
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty document
	}
	if !checkYAMLDepth(file, doc.Content[0], lineOffset, errs) || !checkDuplicateKeys(file, doc.Content[0], lineOffset, errs) {
		return nil
	}
	return doc.Content[0]
}

// checkDuplicateKeys reports every key that appears twice in one block.
// yaml.v3 checks this only when it decodes into Go values, not into nodes,
// and a repeated key would otherwise silently replace the first.
func checkDuplicateKeys(file string, root *yaml.Node, lineOffset int, errs *diag.List) bool {
	n := 0
	var walk func(node *yaml.Node)
	walk = func(node *yaml.Node) {
		switch node.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range node.Content {
				walk(c)
			}
		case yaml.MappingNode:
			seen := make(map[string]*yaml.Node, len(node.Content)/2)
			for i := 0; i+1 < len(node.Content); i += 2 {
				k := node.Content[i]
				if k.Kind == yaml.ScalarNode && k.Value != "<<" {
					if first, dup := seen[k.Value]; dup {
						n++
						if n <= maxFileErrors+1 {
							errs.Errorf(nodePos(file, k, lineOffset), "key %q appears twice in this block (first at line %d)", truncate(k.Value, 80), first.Line+lineOffset).
								WithHint("each key may appear only once in a block; remove or rename the repeated one")
						}
					} else {
						seen[k.Value] = k
					}
				}
				walk(k)
				walk(node.Content[i+1])
			}
		}
	}
	walk(root)
	return n == 0
}

func hasTabIndent(src []byte) bool {
	for i := 0; i < len(src); i++ {
		if src[i] == '\t' && (i == 0 || src[i-1] == '\n') {
			return true
		}
	}
	return false
}

var (
	yamlLineRE   = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: `)
	yamlAtLineRE = regexp.MustCompile(`at line (\d+)`)
)

// yamlErrors turns a yaml.v3 error into positioned errors: one for a syntax
// error, one per entry of a *yaml.TypeError.
func yamlErrors(file string, err error, lineOffset int) []*diag.Error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		out := make([]*diag.Error, 0, len(te.Errors))
		for _, msg := range te.Errors {
			out = append(out, yamlMessage(file, msg, err, lineOffset))
		}
		return out
	}
	return []*diag.Error{yamlError(file, err, lineOffset)}
}

// yamlError turns a yaml.v3 error into a positioned error.
func yamlError(file string, err error, lineOffset int) *diag.Error {
	return yamlMessage(file, err.Error(), err, lineOffset)
}

func yamlMessage(file, msg string, err error, lineOffset int) *diag.Error {
	msg = strings.TrimPrefix(msg, "yaml: ")
	pos := diag.Pos{File: file}
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil {
		pos.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if m[4] >= 0 {
			pos.Col, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		pos.Line += lineOffset
		msg = msg[:m[0]] + msg[m[1]:]
	} else {
		pos.Line = 1 + lineOffset
	}
	if lineOffset != 0 {
		// Lines named inside the message ("already defined at line 2") are
		// relative to the block too.
		msg = yamlAtLineRE.ReplaceAllStringFunc(msg, func(s string) string {
			n, _ := strconv.Atoi(strings.TrimPrefix(s, "at line "))
			return "at line " + strconv.Itoa(n+lineOffset)
		})
	}
	e := &diag.Error{Pos: pos, Msg: "YAML: " + msg, Err: err}
	switch {
	case strings.Contains(msg, "already defined"):
		e.Hint = "each key may appear only once in a block; remove or rename the repeated one"
	case strings.Contains(msg, "excessive aliasing"):
		e.Hint = "the file expands into far too much data through aliases (&name / *name); remove the aliases"
	case strings.Contains(msg, "could not find expected ':'"), strings.Contains(msg, "mapping values are not allowed"):
		e.Hint = "check the indentation and that each key is followed by ': '; quote values that contain ': '"
	}
	return e
}

func nodePos(file string, n *yaml.Node, lineOffset int) diag.Pos {
	return diag.Pos{File: file, Line: n.Line + lineOffset, Col: n.Column}
}

// textFields are the front matter keys whose values may cite figures:
// the only ones whose value positions are recorded. (Lines of the ROI
// blocks are part of what partners approve: see Story.Declared.)
var textFields = map[string]bool{"title": true, "summary": true, "subject": true, "preheader": true, "takeaway": true}

// valueFields are the other front matter keys whose value positions are
// recorded: a problem in the value is reported at its column.
var valueFields = map[string]bool{"image_focus": true}

// valuePos is where the text of a scalar value starts, recorded as
// key + "=" in Lines, so that a problem inside the value (a figure in a
// title) is reported at its column: past the opening quote of a quoted
// value; for a block value (| or >), the line after the indicator, with
// column 0 (the indentation is not known here).
func valuePos(file string, n *yaml.Node, lineOffset int) diag.Pos {
	p := nodePos(file, n, lineOffset)
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		p.Col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		p.Line++
		p.Col = 0
	}
	return p
}

// decoder decodes yaml.v3 nodes into structs, checking keys against the
// struct's yaml tags and recording positions in fields named Pos (diag.Pos)
// and Lines (map[string]diag.Pos) when the struct has them.
type decoder struct {
	file       string
	lineOffset int
	errs       *diag.List
	allowExtra bool // unknown keys are not an error
	// extraKeys are the keys a struct with an Extra field (front matter)
	// keeps there: those site.yaml declares. Any other unknown key is an error.
	extraKeys map[string]bool
	visits    int      // nodes decoded, bounded so aliases cannot blow up
	blown     bool     // the file expands into too much data; reported once
	via       diag.Pos // the alias being expanded, where a blow-up is reported
	nerrs     int      // problems reported, bounded so one file cannot flood the list
}

const maxVisits = 1_000_000

// errorf reports a problem. Past maxFileErrors decoding stops; one more
// is kept so that capErrors can tell the file went over.
func (d *decoder) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(pos, format, args...)
	d.add(e)
	return e
}

// add reports a problem made elsewhere, as errorf does.
func (d *decoder) add(e *diag.Error) {
	d.nerrs++
	if d.nerrs <= maxFileErrors+1 {
		d.errs.Add(e)
	}
}

// over reports whether decoding has stopped: too many nodes or problems.
func (d *decoder) over() bool { return d.blown || d.nerrs > maxFileErrors }

// tooBig records one visit and reports whether the visit budget is spent,
// reporting it at pos the first time.
func (d *decoder) tooBig(pos diag.Pos) bool {
	d.visits++
	if d.visits <= maxVisits {
		return false
	}
	if !d.blown {
		d.blown = true
		d.errs.Errorf(pos, "the file expands into far too much data").
			WithHint("aliases (*name) repeat blocks; remove the aliases or split the file")
	}
	return true
}

// anyValue decodes n into a free-form value (front matter extras, dates),
// counting every node it holds, aliases expanded, against the visit budget
// first: yaml.v3 bounds aliasing per call, not across the many calls one
// file can make.
func (d *decoder) anyValue(n *yaml.Node) (any, bool) {
	if d.over() {
		return nil, false
	}
	at := d.via
	if at.File == "" {
		at = nodePos(d.file, n, d.lineOffset)
	}
	var count func(n *yaml.Node, depth int) bool
	count = func(n *yaml.Node, depth int) bool {
		if d.tooBig(at) {
			return false
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil || depth > 100 {
				return true
			}
			return count(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if !count(c, depth) {
				return false
			}
		}
		return true
	}
	if !count(n, 0) {
		return nil, false
	}
	var x any
	if err := n.Decode(&x); err != nil {
		for _, e := range yamlErrors(d.file, err, d.lineOffset) {
			if strings.Contains(e.Msg, "excessive aliasing") {
				// yaml.v3's own bound: one report for the file, at the value.
				if d.blown {
					continue
				}
				d.blown = true
				e.Pos = at
			}
			d.add(e)
		}
		return nil, false
	}
	return x, true
}

var posType = reflect.TypeOf(diag.Pos{})

// decode decodes n into v, which must be a pointer. When the file expands
// into too much data, v is left zero: a partial result would only add
// problems that are not the author's.
func (d *decoder) decode(n *yaml.Node, v any) {
	rv := reflect.ValueOf(v).Elem()
	d.value(n, rv, "")
	if d.blown {
		rv.SetZero()
	}
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	at := d.via
	if at.File == "" {
		at = nodePos(d.file, n, d.lineOffset)
	}
	if d.over() || d.tooBig(at) {
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.via.File == "" {
			// Inside the alias, nodes are those of the anchor; a blow-up
			// is the alias's doing.
			d.via = at
			defer func() { d.via = diag.Pos{} }()
		}
		n = n.Alias
		if n == nil {
			return
		}
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct && n.Kind != yaml.MappingNode {
			// No half-made value: it would carry no position, and its
			// checks would only repeat this problem.
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a block of keys and values, not %s", describe(path), nodeWhat(n))
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
		return
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a block of keys and values, not %s", describe(path), nodeWhat(n))
			// Checks made later on the value (a role's id) need a place.
			if fi := structFields(v.Type()); fi.pos >= 0 {
				v.Field(fi.pos).Set(reflect.ValueOf(nodePos(d.file, n, d.lineOffset)))
			}
			return
		}
		d.structValue(n, v, path)
		return
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && v.Type().Elem().Kind() == reflect.String && n.Value != "" {
			// A single value where a list is expected: accept it as a list of one.
			s := reflect.New(v.Type().Elem()).Elem()
			s.SetString(n.Value)
			v.Set(reflect.Append(reflect.MakeSlice(v.Type(), 0, 1), s))
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a list (lines starting with '- '), not %s", describe(path), nodeWhat(n))
			return
		}
		et := v.Type().Elem()
		block := et.Kind() == reflect.Struct || et.Kind() == reflect.Pointer && et.Elem().Kind() == reflect.Struct
		out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
		for i, item := range n.Content {
			ipath := fmt.Sprintf("%s[%d]", path, i+1)
			if block && isNull(item) {
				// "-" alone: an item with nothing in it, and no place for
				// the problems its checks would find.
				d.errorf(nodePos(d.file, item, d.lineOffset), "%s is empty", describe(ipath)).
					WithHint("write its keys after the '- ', or remove the line")
				continue
			}
			ev := reflect.New(et).Elem()
			d.value(item, ev, ipath)
			out = reflect.Append(out, ev)
		}
		v.Set(out)
		return
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			break
		}
		if n.Kind != yaml.MappingNode {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a block of keys and values, not %s", describe(path), nodeWhat(n))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			ev := reflect.New(v.Type().Elem()).Elem()
			d.value(n.Content[i+1], ev, path+"."+n.Content[i].Value)
			v.SetMapIndex(reflect.ValueOf(n.Content[i].Value).Convert(v.Type().Key()), ev)
		}
		return
	case reflect.Interface:
		if n.Kind == yaml.ScalarNode && n.Style&yaml.TaggedStyle == 0 && n.ShortTag() == "!!timestamp" {
			// A date or time is kept as written: yaml.v3 would read
			// 2026-11-28 and 2026-11-28T00:00:00Z alike, losing that the
			// first is a date alone (in the site's time zone).
			v.Set(reflect.ValueOf(n.Value))
			return
		}
		if x, ok := d.anyValue(n); ok && x != nil {
			v.Set(reflect.ValueOf(x))
		}
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a single value, not %s", describe(path), nodeWhat(n))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
		return
	case reflect.Bool:
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on":
			v.SetBool(true)
		case "false", "no", "off", "":
			v.SetBool(false)
		default:
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be true or false, not %q", describe(path), n.Value)
		}
		return
	case reflect.Int, reflect.Int64, reflect.Int32:
		i, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64)
		if err != nil {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a whole number, not %q", describe(path), n.Value)
			return
		}
		v.SetInt(i)
		return
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(n.Value), "_", ""), 64)
		if err != nil {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s should be a number, not %q", describe(path), n.Value)
			return
		}
		if err := model.CheckMagnitude(f); err != nil {
			d.errorf(nodePos(d.file, n, d.lineOffset), "%s: %q %v", describe(path), n.Value, err)
			return
		}
		v.SetFloat(f)
		return
	}
	d.errorf(nodePos(d.file, n, d.lineOffset), "%s has a value drumbeat cannot read", describe(path))
}

// fieldInfo maps yaml keys to struct field indexes.
type fieldInfo struct {
	byKey map[string]int
	keys  []string
	pos   int // index of the Pos field, or -1
	lines int // index of the Lines field, or -1
	extra int // index of the Extra field, or -1
}

// fieldCache holds each struct type's fieldInfo (reflect.Type → fieldInfo),
// made once: a story's front matter and each of its approvals were read
// with a new map and a sorted list of keys each.
var fieldCache sync.Map

// structFields returns t's fieldInfo. It is shared: its map and keys are
// not to be changed (keys has no room to append to in place).
func structFields(t reflect.Type) fieldInfo {
	if fi, ok := fieldCache.Load(t); ok {
		return fi.(fieldInfo)
	}
	fi := readFields(t)
	fi.keys = slices.Clip(fi.keys)
	fieldCache.Store(t, fi)
	return fi
}

func readFields(t reflect.Type) fieldInfo {
	fi := fieldInfo{byKey: map[string]int{}, pos: -1, lines: -1, extra: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" && f.Name == "Pos" && f.Type == posType:
			fi.pos = i
		case name == "-" && f.Name == "Lines" && f.Type.Kind() == reflect.Map:
			fi.lines = i
		case name == "-" && f.Name == "Extra" && f.Type.Kind() == reflect.Map:
			fi.extra = i
		case name != "" && name != "-":
			fi.byKey[name] = i
			fi.keys = append(fi.keys, name)
		}
	}
	sort.Strings(fi.keys)
	return fi
}

func (d *decoder) structValue(n *yaml.Node, v reflect.Value, path string) {
	fi := structFields(v.Type())
	if fi.pos >= 0 {
		v.Field(fi.pos).Set(reflect.ValueOf(nodePos(d.file, n, d.lineOffset)))
	}
	var lines map[string]diag.Pos
	if fi.lines >= 0 {
		lines = make(map[string]diag.Pos, len(n.Content)/2)
		v.Field(fi.lines).Set(reflect.ValueOf(lines))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		if lines != nil {
			lines[key] = nodePos(d.file, k, d.lineOffset)
			if val.Kind == yaml.ScalarNode && (textFields[key] || valueFields[key]) {
				lines[key+"="] = valuePos(d.file, val, d.lineOffset)
			}
			if val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					lines[key+"."+strconv.Itoa(j)] = nodePos(d.file, item, d.lineOffset)
				}
			}
		}
		idx, ok := fi.byKey[key]
		if !ok {
			if fi.extra >= 0 && d.extraKeys[key] {
				m := v.Field(fi.extra)
				if m.IsNil() {
					m.Set(reflect.MakeMap(m.Type()))
				}
				x, ok := d.anyValue(val)
				if !ok {
					continue
				}
				m.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(&x).Elem())
				continue
			}
			if d.allowExtra {
				continue
			}
			if fi.extra >= 0 {
				d.add(unknownField(nodePos(d.file, k, d.lineOffset), key, fi.keys))
				continue
			}
			e := d.errorf(nodePos(d.file, k, d.lineOffset), "unknown key %q%s", truncate(key, 80), inWhat(path))
			if s := diag.Suggest(key, fi.keys); s != "" {
				e.WithHint("did you mean %q?", s)
			} else {
				e.WithHint("known keys here: %s", strings.Join(fi.keys, ", "))
			}
			continue
		}
		d.value(val, v.Field(idx), joinPath(path, key))
	}
}

// isNull reports whether n, or the node it is an alias of, is null.
func isNull(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(path string) string {
	if path == "" {
		return "the file"
	}
	return "`" + path + "`"
}

func inWhat(path string) string {
	if path == "" {
		return ""
	}
	return " in `" + path + "`"
}

func nodeWhat(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a block of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Value == "" {
			return "an empty value"
		}
		return fmt.Sprintf("the value %q", truncate(n.Value, 40))
	}
	return "this"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// docEndLine returns the line of the "..." or "---" marker that ends the
// first YAML document, looking before line (the next document's first
// line, 0 when unknown).
func docEndLine(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	if line <= 0 || line > len(lines) {
		line = len(lines)
	}
	for i := line - 1; i >= 0; i-- {
		l := strings.TrimRight(lines[i], " \t\r")
		if l == "..." || l == "---" || strings.HasPrefix(l, "... ") || strings.HasPrefix(l, "--- ") {
			return i + 1
		}
	}
	return line
}
