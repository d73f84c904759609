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
// YAML front matter keeps its comments; TOML front matter is rewritten in
// canonical form.
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

func approveYAML(raw []byte, a model.Approval) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the front matter is not a block of keys and values")
	}
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
	if err := enc.Encode(&doc); err != nil {
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

// approveTOML edits TOML front matter as text, so comments and key order
// stay as written: [[approved_by]] tables of the same partner are removed
// and the new one is appended. Top-level keys must come before tables in
// TOML, so appending a table at the end is always valid.
func approveTOML(raw []byte, a model.Approval) ([]byte, error) {
	var m map[string]any
	if _, err := toml.Decode(string(raw), &m); err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(string(raw), "\n")
	var out []string
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
		}
		i = j
	}
	text := strings.TrimRight(strings.Join(out, ""), "\n")
	if strings.TrimSpace(text) != "" {
		text += "\n\n"
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
	text += "[[approved_by]]\n" + buf.String()
	var check map[string]any
	if _, err := toml.Decode(text, &check); err != nil {
		return nil, fmt.Errorf("recording the approval would break the front matter: %v", err)
	}
	return []byte(text), nil
}
