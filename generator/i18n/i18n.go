// Package i18n holds the texts readers see: message catalogues, one YAML
// file per language under i18n/ (the theme's, then the site's on top, key by
// key), the plural rule of each language, and the formatting of a message
// with its named arguments.
//
// A catalogue maps keys to messages:
//
//	read_more: "Read more"
//	stories_count:
//	  one: "{count} story"
//	  other: "{count} stories"
//
// Templates call T ("{{T "stories_count" 3}}"); Go code returns a Message
// (M("stories_count", "count", 3)) or asks the Catalogue for the text.
// It imports only diag, so that every stage may use it.
package i18n

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Default is the language every catalogue falls back to; the default
// theme's catalogue for it is complete.
const Default = "en"

// Dir is the folder, in the theme and in the site, that holds catalogues.
const Dir = "i18n"

// Message is a text a reader sees, by key, with its named arguments: what
// Go code returns instead of an English sentence. A Catalogue turns it
// into text.
type Message struct {
	Key  string
	Args []any // name, value, name, value, …
}

// Safe is an argument already escaped for where the message goes (such as
// the HTML of another message); it is written as it is.
type Safe string

// M returns the message key with its arguments, given as name/value pairs
// ("count", 3, "name", "Lakeside") or as a single number (the count).
func M(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Catalogue holds the messages of one language with their fallbacks: the
// site's catalogue for the language, the theme's, then the same for
// English. It is safe for concurrent use.
type Catalogue struct {
	lang   string
	layers []layer // in the order of lookup
}

type layer struct {
	file string // as errors name it: "i18n/en.yaml", "themes/default/i18n/en.yaml"
	tag  language.Tag
	msgs map[string]*entry
}

// entry is one message: a plain text, or one text per plural category.
type entry struct {
	text  string
	forms map[plural.Form]string // nil for a plain text
	pos   diag.Pos
}

// Load reads the catalogues for lang from themeFS (named themeName in
// messages) and siteFS (either may be nil), with English behind them.
// Errors are YAML errors and malformed messages at file:line; a language
// with no catalogue of its own is a warning (the texts stay English).
func Load(themeFS fs.FS, themeName string, siteFS fs.FS, lang string) (*Catalogue, diag.List) {
	var errs diag.List
	if lang == "" {
		lang = Default
	}
	c := &Catalogue{lang: lang}
	langs := []string{lang}
	if !strings.EqualFold(lang, Default) {
		langs = append(langs, Default)
	}
	for _, l := range langs {
		tag, err := language.Parse(l)
		if err != nil {
			tag = language.English
		}
		found := false
		for _, src := range []struct {
			fsys  fs.FS
			label string
		}{{siteFS, ""}, {themeFS, themeName}} {
			if src.fsys == nil {
				continue
			}
			name := Dir + "/" + l + ".yaml"
			b, err := fs.ReadFile(src.fsys, name)
			if err != nil {
				continue
			}
			shown := name
			if src.label != "" {
				shown = src.label + "/" + name
			}
			found = true
			msgs := parse(shown, b, &errs)
			c.layers = append(c.layers, layer{file: shown, tag: tag, msgs: msgs})
		}
		if !found && l != Default {
			errs.Warnf(diag.Pos{File: "site.yaml", Line: langLine(siteFS)},
				"language %q has no message catalogue (%s/%s.yaml in the site or the theme); texts the theme writes stay in English", lang, Dir, lang).
				WithHint("copy %s/en.yaml from the theme to %s/%s.yaml and translate it; see docs/i18n.md", Dir, Dir, lang)
		}
	}
	return c, errs
}

// langLine returns the line of language: in the site's site.yaml, or 0.
func langLine(siteFS fs.FS) int {
	if siteFS == nil {
		return 0
	}
	b, err := fs.ReadFile(siteFS, "site.yaml")
	if err != nil {
		return 0
	}
	for i, ln := range bytes.Split(b, []byte("\n")) {
		if bytes.HasPrefix(ln, []byte("language:")) {
			return i + 1
		}
	}
	return 0
}

// forms names the CLDR plural categories as catalogues write them.
var forms = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// parse reads one catalogue file: a mapping of keys to a text or to a
// mapping of plural categories to texts.
func parse(file string, src []byte, errs *diag.List) map[string]*entry {
	msgs := map[string]*entry{}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		errs.Add(yamlError(file, err))
		return msgs
	}
	if len(doc.Content) == 0 {
		return msgs // an empty file
	}
	root := doc.Content[0]
	at := func(n *yaml.Node) diag.Pos { return diag.Pos{File: file, Line: n.Line, Col: n.Column} }
	if root.Kind != yaml.MappingNode {
		errs.Errorf(at(root), "a message catalogue is a mapping of keys to messages").
			WithHint(`write key: "text", or key: {one: "…", other: "…"} for a text that depends on a number`)
		return msgs
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if msgs[key] != nil {
			errs.Errorf(at(k), "message %q is defined twice (first at line %d)", key, msgs[key].pos.Line)
			continue
		}
		e := &entry{pos: at(k)}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
			e.text = v.Value
		case v.Kind == yaml.MappingNode:
			e.forms = map[plural.Form]string{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				f, ok := forms[fk.Value]
				if !ok {
					errs.Errorf(at(fk), "message %q: %q is not a plural category", key, fk.Value).
						WithHint("the categories are zero, one, two, few, many and other (CLDR); English uses one and other")
					continue
				}
				if fv.Kind != yaml.ScalarNode {
					errs.Errorf(at(fv), "message %q: the %s form should be a text", key, fk.Value)
					continue
				}
				e.forms[f] = fv.Value
			}
			if _, ok := e.forms[plural.Other]; !ok {
				errs.Errorf(at(k), "message %q has plural forms but no other form", key).
					WithHint("every plural message needs other:, the form for any count no other category takes")
				continue
			}
		default:
			errs.Errorf(at(v), "message %q should be a text or a mapping of plural forms (one:, other:)", key)
			continue
		}
		msgs[key] = e
	}
	return msgs
}

// yamlError places a YAML syntax error at its line in file.
func yamlError(file string, err error) *diag.Error {
	msg := err.Error()
	pos := diag.Pos{File: file}
	// "yaml: line 3: mapping values are not allowed in this context"
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				pos.Line, msg = l, after
			}
		}
	} else if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &diag.Error{Pos: pos, Msg: "message catalogue: " + msg, Err: err}
}

// CheckArgs reports whether a call of key with the named arguments names
// (a count alone is "count") fills every {name} of its message, in every
// plural form, and gives a plural message its count: what a template's
// T call can be checked for before it runs.
func (c *Catalogue) CheckArgs(key string, names []string) error {
	e, _ := c.lookup(key)
	if e == nil {
		return fmt.Errorf("no message %q in %s", key, c.Where())
	}
	given := map[string]bool{}
	for _, n := range names {
		given[n] = true
	}
	if e.forms != nil && !given["count"] {
		return fmt.Errorf("message %q has plural forms but no count is given", key)
	}
	texts := []string{e.text}
	for _, t := range e.forms {
		texts = append(texts, t)
	}
	for _, t := range texts {
		for _, name := range placeholders(t) {
			if !given[name] {
				return fmt.Errorf("message %q uses {%s}, but no %s is given", key, name, name)
			}
		}
	}
	return nil
}

// placeholders returns the {names} text uses, as fill reads them.
func placeholders(text string) []string {
	var names []string
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			return names
		}
		text = text[i:]
		if strings.HasPrefix(text, "{{") {
			text = text[2:]
			continue
		}
		j := strings.IndexByte(text, '}')
		if j < 0 || !isName(text[1:j]) {
			text = text[1:]
			continue
		}
		names = append(names, text[1:j])
		text = text[j+1:]
	}
}

// Lang returns the catalogue's language.
func (c *Catalogue) Lang() string {
	if c == nil {
		return Default
	}
	return c.lang
}

// Has reports whether key has a message.
func (c *Catalogue) Has(key string) bool {
	e, _ := c.lookup(key)
	return e != nil
}

// Keys returns every key of every layer, sorted.
func (c *Catalogue) Keys() []string {
	seen := map[string]bool{}
	var keys []string
	for _, l := range c.layers {
		for k := range l.msgs {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// Where names the catalogues a key is looked up in, for error messages:
// "i18n/en.yaml (theme themes/default/i18n/en.yaml)".
func (c *Catalogue) Where() string {
	if c == nil {
		return Dir + "/" + Default + ".yaml"
	}
	var site, theme []string
	for _, l := range c.layers {
		if strings.HasPrefix(l.file, Dir+"/") {
			site = append(site, l.file)
		} else {
			theme = append(theme, l.file)
		}
	}
	s := Dir + "/" + c.lang + ".yaml"
	if len(site) > 0 {
		s = strings.Join(site, ", ")
	}
	if len(theme) > 0 {
		s += " (theme " + strings.Join(theme, ", ") + ")"
	}
	return s
}

func (c *Catalogue) lookup(key string) (*entry, language.Tag) {
	if c == nil {
		return nil, language.English
	}
	for _, l := range c.layers {
		if e := l.msgs[key]; e != nil {
			return e, l.tag
		}
	}
	return nil, language.English
}

// Format returns the text of key with args (see M) filled in. A missing
// key, a plural message without a count or a placeholder without its
// argument is an error.
func (c *Catalogue) Format(key string, args ...any) (string, error) {
	same := func(s string) string { return s }
	return c.format(key, args, same, same)
}

// HTML is Format for HTML text and attribute values: the message's own
// text with &, < and > escaped (a catalogue holds plain text that reads as
// a template's literal text does, quotes and all), each argument escaped
// as html/template escapes a string, and Safe arguments as they are. A
// template function may pass the result on as template.HTML.
func (c *Catalogue) HTML(key string, args ...any) (string, error) {
	return c.format(key, args, textEscaper.Replace, argEscaper.Replace)
}

// T is the template function T of every layout (the theme's pages and the
// newsletter email's): HTML for key, an argument that is already
// template.HTML (another T's result) taken as it is.
func (c *Catalogue) T(key string, args ...any) (template.HTML, error) {
	for i, a := range args {
		if h, ok := a.(template.HTML); ok {
			args[i] = Safe(h)
		}
	}
	s, err := c.HTML(key, args...)
	return template.HTML(s), err
}

// textEscaper escapes a message's own text for HTML.
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// argEscaper escapes an argument as html/template escapes a string in
// HTML text (its htmlReplacementTable), so {{T "x" "name" .Name}} writes
// the name byte for byte as {{.Name}} does.
var argEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// String returns the text of m; on an error (a key missing from the
// catalogue, which tests rule out for the theme's keys) it returns the key
// in brackets, so that the gap shows instead of an empty string.
func (c *Catalogue) String(m Message) string {
	s, err := c.Format(m.Key, m.Args...)
	if err != nil {
		return "[" + m.Key + "]"
	}
	return s
}

// S is String(M(key, args...)), for Go code that writes a text at once.
func (c *Catalogue) S(key string, args ...any) string { return c.String(M(key, args...)) }

// format fills in the message; textEsc is applied to the message's own
// text and argEsc to the argument values (HTML escaping for templates).
func (c *Catalogue) format(key string, args []any, textEsc, argEsc func(string) string) (string, error) {
	e, tag := c.lookup(key)
	if e == nil {
		return "", fmt.Errorf("no message %q in %s", key, c.Where())
	}
	named, err := c.named(args)
	if err != nil {
		return "", fmt.Errorf("message %q: %v", key, err)
	}
	text := e.text
	if e.forms != nil {
		n, ok := named.get("count")
		if !ok {
			return "", fmt.Errorf("message %q has plural forms but no count was given", key)
		}
		var form plural.Form
		switch cnt := n.(type) {
		case int:
			form = Form(tag, cnt)
		case float64:
			form = decimalForm(tag, cnt)
		default:
			return "", fmt.Errorf("message %q: the count %v is not a whole number or a decimal", key, n)
		}
		text = e.forms[form]
		if text == "" {
			text = e.forms[plural.Other]
		}
	}
	return fill(key, text, named, textEsc, argEsc)
}

// namedArgs are a message's arguments by name, in the order given; a name
// given twice has its last value. A message has a few arguments at most,
// so a slice searched is cheaper than a map made for each message.
type namedArgs []namedArg

type namedArg struct {
	name  string
	value any
}

// get returns the value of the argument name.
func (a namedArgs) get(name string) (any, bool) {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i].name == name {
			return a[i].value, true
		}
	}
	return nil, false
}

// named turns args into named arguments: name/value pairs, or a single
// number as the count. Numbers are formatted ("1,200"); messages are
// resolved.
func (c *Catalogue) named(args []any) (namedArgs, error) {
	if len(args) == 0 {
		return nil, nil
	}
	if len(args) == 1 {
		if _, ok := args[0].(string); !ok {
			return namedArgs{{"count", toInt(args[0])}}, nil
		}
	}
	m := make(namedArgs, 0, len(args)/2)
	if len(args)%2 != 0 {
		return nil, fmt.Errorf("arguments come in name, value pairs (or one number, the count); got %d values", len(args))
	}
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return nil, fmt.Errorf("argument %d: the name %v is not a string", i/2+1, args[i])
		}
		v := args[i+1]
		if msg, ok := v.(Message); ok {
			s, err := c.Format(msg.Key, msg.Args...)
			if err != nil {
				return nil, err
			}
			v = s
		}
		m = append(m, namedArg{name, toInt(v)})
	}
	return m, nil
}

// toInt turns the integer kinds into int, so that a count may be any of them.
func toInt(v any) any {
	switch n := v.(type) {
	case int8:
		return int(n)
	case int16:
		return int(n)
	case int32:
		return int(n)
	case int64:
		return int(n)
	case uint8:
		return int(n)
	case uint16:
		return int(n)
	case uint32:
		return int(n)
	}
	return v
}

// fill replaces each {name} in text by its argument. "{{" writes a brace.
func fill(key, text string, named namedArgs, textEsc, argEsc func(string) string) (string, error) {
	if !strings.Contains(text, "{") {
		return textEsc(text), nil
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(textEsc(text))
			return b.String(), nil
		}
		b.WriteString(textEsc(text[:i]))
		text = text[i:]
		if strings.HasPrefix(text, "{{") {
			b.WriteByte('{')
			text = text[2:]
			continue
		}
		j := strings.IndexByte(text, '}')
		if j < 0 || !isName(text[1:j]) {
			b.WriteByte('{')
			text = text[1:]
			continue
		}
		name := text[1:j]
		v, ok := named.get(name)
		if !ok {
			return "", fmt.Errorf("message %q uses {%s}, but no %s was given", key, name, name)
		}
		if safe, ok := v.(Safe); ok {
			b.WriteString(string(safe))
		} else {
			b.WriteString(argEsc(valueText(v)))
		}
		text = text[j+1:]
	}
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// valueText writes an argument: whole numbers with thousands separators
// and a minus sign (as model.FormatNumber writes them), decimals with
// theirs, anything else as fmt does.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return formatInt(x)
	case float64: // a count with decimals: 1.5, or 1,200 when whole
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return formatInt(int(x))
		}
		return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), "-", "−", 1)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Form returns the CLDR plural category of the whole number n in the
// language tag: for English One for 1 and Other for anything else. It is
// the one plural rule every message goes through; the rules of every
// language come from CLDR's tables in golang.org/x/text/feature/plural,
// so a new language needs a catalogue, not code.
func Form(tag language.Tag, n int) plural.Form {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(tag, n%10000000, 0, 0, 0, 0)
}

// decimalForm is Form for a count that may have decimals (1.5 hours): a
// whole one goes to Form; otherwise the same CLDR rule is given its
// visible fraction digits (English: 1.5 is other, French: 1.5 is one).
func decimalForm(tag language.Tag, n float64) plural.Form {
	n = math.Abs(n)
	if n == math.Trunc(n) && n < 1e15 {
		return Form(tag, int(n))
	}
	digits := strconv.FormatFloat(n, 'f', -1, 64)
	whole, frac, _ := strings.Cut(digits, ".")
	if len(frac) > 9 {
		frac = frac[:9]
	}
	i, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	t, _ := strconv.Atoi(strings.TrimRight(frac, "0"))
	return plural.Cardinal.MatchPlural(tag, i%10000000, len(frac), len(strings.TrimRight(frac, "0")), f, t)
}
