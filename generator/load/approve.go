package load

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// AddApproval returns the story source src with the approval recorded in
// its front matter: an earlier approval by the same partner is replaced.
// YAML front matter is edited as text and keeps its comments, blank lines
// and order (approveYAML); so does TOML front matter, whose approvals
// tables of that partner are removed and the new one appended (approveTOML).
func AddApproval(name string, src []byte, a model.Approval) ([]byte, error) {
	var errs diag.List
	fm, _, _, ok := splitFrontMatter(name, src, &errs)
	if !ok || fm == nil {
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s has no front matter to record the approval in", name)
	}
	// The block starts at the beginning of line fm.startLine (after a
	// byte-order mark, if any), whatever it holds; an empty block too.
	bom := 0
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		bom = 3
	}
	start := bom
	for line := 1; line < fm.startLine; line++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			return nil, errors.New("cannot locate the front matter")
		}
		start += i + 1
	}
	end := start + len(fm.raw)
	if end > len(src) || !bytes.Equal(src[start:end], fm.raw) {
		return nil, errors.New("cannot locate the front matter")
	}
	crlf := bytes.Contains(fm.raw, []byte("\r\n")) || bytes.Contains(src[:start], []byte("\r\n"))
	var out []byte
	var err error
	switch fm.format {
	case "yaml":
		out, err = approveYAML(fm.raw, a)
	case "toml":
		out, err = approveTOML(fm.raw, a)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if crlf {
		out = bytes.ReplaceAll(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	}
	return append(append(append([]byte(nil), src[:start]...), out...), src[end:]...), nil
}

func approvalNode(a model.Approval) *yaml.Node {
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
	n := &yaml.Node{Kind: yaml.MappingNode}
	n.Content = append(n.Content, str("partner"), str(a.Partner), str("by"), str(a.By),
		str("on"), &yaml.Node{Kind: yaml.ScalarNode, Value: a.On}, str("fingerprint"), str(a.Fingerprint))
	return n
}

// approveYAML records the approval in YAML front matter by editing its
// text, so everything else stays as written: comments, blank lines, the
// order of keys and of approvals, quoting. The same partner's entry is
// replaced where it stands (a second entry of that partner is removed); a
// new partner's entry goes after the last one, with a blank line before it
// if the entries are separated by blank lines; a block without approved_by
// gets one at its end. Layouts this does not edit in place (a flow-style
// mapping or list, an entry whose dash stands alone on its line) are
// re-encoded whole, as before: the data is kept, the layout is not.
func approveYAML(raw []byte, a model.Approval) ([]byte, error) {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")) // AddApproval restores CRLF
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	// A block the loader would refuse (a key given twice) is not edited:
	// the approval would land in a file that still does not read.
	var probe any
	if err := yaml.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the front matter is not a block of keys and values")
	}
	if out, ok, err := approveYAMLText(raw, doc.Content[0], a); err != nil || ok {
		return out, err
	}
	return reencodeYAML(&doc, a)
}

// approveYAMLText edits the text of a block mapping m parsed from raw; ok
// is false if the layout is one it leaves to reencodeYAML.
func approveYAMLText(raw []byte, m *yaml.Node, a model.Approval) (out []byte, ok bool, err error) {
	if m.Style&yaml.FlowStyle != 0 {
		return nil, false, nil
	}
	text := string(raw)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	lines := strings.SplitAfter(text, "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	join := func(parts ...[]string) []byte {
		var b strings.Builder
		for _, p := range parts {
			for _, l := range p {
				b.WriteString(l)
			}
		}
		return []byte(b.String())
	}
	// blank reports whether a line holds nothing but spaces or a comment.
	blank := func(l string) bool {
		t := strings.TrimSpace(l)
		return t == "" || strings.HasPrefix(t, "#")
	}
	key := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "approved_by" {
			key = i
		}
	}
	if key < 0 {
		entry, err := renderApproval(a, "  - ", "    ")
		if err != nil {
			return nil, false, err
		}
		return join(lines, []string{"approved_by:\n"}, entry), true, nil
	}
	k, seq := m.Content[key], m.Content[key+1]
	// end is the 1-based line after the approvals: the next key's line, or
	// the end of the block, less the blank and comment lines before it.
	end := len(lines) + 1
	if key+2 < len(m.Content) {
		end = m.Content[key+2].Line
	}
	for end-1 > k.Line && blank(lines[end-2]) {
		end--
	}
	empty := (seq.Kind == yaml.ScalarNode && seq.Tag == "!!null") || (seq.Kind == yaml.SequenceNode && len(seq.Content) == 0)
	if empty {
		// approved_by: (nothing), ~, null or []: the key's line only.
		if end != k.Line+1 {
			return nil, false, nil
		}
		indent := strings.Repeat(" ", k.Column-1)
		entry, err := renderApproval(a, indent+"  - ", indent+"    ")
		if err != nil {
			return nil, false, err
		}
		return join(lines[:k.Line-1], []string{indent + "approved_by:\n"}, entry, lines[k.Line:]), true, nil
	}
	if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 {
		return nil, false, nil
	}
	// Each entry runs from its dash's line to the next entry's, less the
	// blank and comment lines before that.
	type span struct{ from, to int } // 1-based lines, to exclusive
	spans := make([]span, len(seq.Content))
	for i, item := range seq.Content {
		if item.Line < 1 || item.Line > len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[item.Line-1]), "-") {
			return nil, false, nil
		}
		spans[i].from = item.Line
		if i > 0 {
			to := item.Line
			for to-1 > spans[i-1].from && blank(lines[to-2]) {
				to--
			}
			spans[i-1].to = to
		}
	}
	spans[len(spans)-1].to = end
	// prefix is an entry's first line up to its first key; indent is the
	// same width in spaces, for its other lines.
	prefixOf := func(item *yaml.Node) (string, string, bool) {
		l := lines[item.Line-1]
		if item.Kind != yaml.MappingNode || item.Column-1 > len(l) || strings.TrimSpace(l[:item.Column-1]) != "-" {
			return "", "", false
		}
		return l[:item.Column-1], strings.Repeat(" ", item.Column-1), true
	}
	var result []string
	at := 1 // the next line of lines to copy, 1-based
	replaced := false
	for i, item := range seq.Content {
		if item.Kind != yaml.MappingNode || partnerOf(item) != a.Partner {
			continue
		}
		result = append(result, lines[at-1:spans[i].from-1]...)
		at = spans[i].to
		if replaced {
			continue // a second entry of the same partner goes
		}
		prefix, indent, ok := prefixOf(item)
		if !ok {
			return nil, false, nil
		}
		entry, err := renderApproval(a, prefix, indent)
		if err != nil {
			return nil, false, err
		}
		result = append(result, entry...)
		replaced = true
	}
	if replaced {
		return join(result, lines[at-1:]), true, nil
	}
	last := seq.Content[len(seq.Content)-1]
	prefix, indent, ok := prefixOf(last)
	if !ok {
		// The last entry is not a mapping: line up with its dash.
		l := lines[last.Line-1]
		d := strings.Index(l, "-")
		prefix, indent = l[:d]+"- ", strings.Repeat(" ", d+2)
	}
	entry, err := renderApproval(a, prefix, indent)
	if err != nil {
		return nil, false, err
	}
	var sep []string
	if n := len(spans); n > 1 && strings.TrimSpace(lines[spans[n-1].from-2]) == "" {
		sep = []string{"\n"}
	}
	to := spans[len(spans)-1].to
	return join(lines[:to-1], sep, entry, lines[to-1:]), true, nil
}

// renderApproval writes an approved_by entry as YAML lines: prefix starts
// the first ("  - "), indent the others.
func renderApproval(a model.Approval, prefix, indent string) ([]string, error) {
	var out []string
	for i, kv := range [][2]string{{"partner", a.Partner}, {"by", a.By}, {"on", a.On}, {"fingerprint", a.Fingerprint}} {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv[1]}
		if kv[0] == "on" {
			n.Tag = "" // a date, written plain as before
		}
		b, err := yaml.Marshal(n)
		if err != nil {
			return nil, err
		}
		v := strings.TrimSuffix(string(b), "\n")
		if strings.Contains(v, "\n") {
			return nil, fmt.Errorf("the approval's %s does not fit on one line", kv[0])
		}
		p := indent
		if i == 0 {
			p = prefix
		}
		out = append(out, p+kv[0]+": "+v+"\n")
	}
	return out, nil
}

// reencodeYAML records the approval in the parsed front matter and encodes
// it whole: comments stay, blank lines and flow styles do not.
func reencodeYAML(doc *yaml.Node, a model.Approval) ([]byte, error) {
	m := doc.Content[0]
	var seq *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "approved_by" {
			seq = m.Content[i+1]
			if seq.Kind != yaml.SequenceNode {
				seq.Kind, seq.Tag, seq.Value, seq.Style = yaml.SequenceNode, "!!seq", "", 0
				seq.Content = nil
			}
		}
	}
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "approved_by"}, seq)
	}
	seq.Style = 0 // block style, one approval per item
	kept := seq.Content[:0]
	for _, item := range seq.Content {
		if item.Kind == yaml.MappingNode && partnerOf(item) == a.Partner {
			continue
		}
		kept = append(kept, item)
	}
	seq.Content = append(kept, approvalNode(a))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	enc.Close()
	return buf.Bytes(), nil
}

func partnerOf(item *yaml.Node) string {
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "partner" {
			return item.Content[i+1].Value
		}
	}
	return ""
}

// approveTOML edits TOML front matter as text, so comments, blank lines
// and the order of keys and tables stay as written: the partner's
// [[approved_by]] table is replaced where it stands (a second one of that
// partner is removed), or the new one is appended. Top-level keys must
// come before tables in TOML, so appending a table at the end is always
// valid.
func approveTOML(raw []byte, a model.Approval) ([]byte, error) {
	var m map[string]any
	if _, err := toml.Decode(string(raw), &m); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(struct {
		Partner     string `toml:"partner"`
		By          string `toml:"by"`
		On          string `toml:"on"`
		Fingerprint string `toml:"fingerprint"`
	}{a.Partner, a.By, a.On, a.Fingerprint}); err != nil {
		return nil, err
	}
	table := "[[approved_by]]\n" + buf.String()
	lines := strings.SplitAfter(string(raw), "\n")
	var out []string
	replaced := false
	for i := 0; i < len(lines); {
		if strings.TrimSpace(lines[i]) != "[[approved_by]]" {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i + 1
		for j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "[") {
			j++
		}
		var t struct {
			Partner string `toml:"partner"`
		}
		toml.Decode(strings.Join(lines[i+1:j], ""), &t)
		if t.Partner != a.Partner {
			out = append(out, lines[i:j]...)
			i = j
			continue
		}
		// The blank and comment lines at the table's end belong to what
		// follows: they stay.
		k := j
		for k > i+1 {
			if l := strings.TrimSpace(lines[k-1]); l != "" && !strings.HasPrefix(l, "#") {
				break
			}
			k--
		}
		if !replaced {
			out = append(out, table)
			replaced = true
		}
		out = append(out, lines[k:j]...)
		i = j
	}
	text := strings.Join(out, "")
	if !replaced {
		text = strings.TrimRight(text, "\n")
		if strings.TrimSpace(text) != "" {
			text += "\n\n"
		}
		text += table
	}
	var check map[string]any
	if _, err := toml.Decode(text, &check); err != nil {
		return nil, fmt.Errorf("recording the approval would break the front matter: %v", err)
	}
	return []byte(text), nil
}
