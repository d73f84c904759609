package render

import (
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	tparse "text/template/parse"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// This file joins the message catalogue (generator/i18n) to the theme: the
// T template function, the check that every key a layout names exists,
// and the renderer's own look-ups for texts written in Go.

// withT returns funcs with T bound to msgs. T "key" args… returns the
// message as HTML: its own text with &, < and > escaped (a catalogue holds
// plain text, so that it reads as a template's literal text does, quotes
// and all), each argument escaped as html/template escapes a value. It is
// the one place besides chart/ that makes template.HTML, and it makes it
// only from escaped text.
func withT(funcs template.FuncMap, msgs *i18n.Catalogue) template.FuncMap {
	f := maps.Clone(funcs)
	if f == nil {
		f = template.FuncMap{}
	}
	f["kindLabel"] = func(k model.Kind) string { return kindLabel(msgs, k) }
	f["date"] = func(t time.Time) string { return dateText(msgs, t) }
	f["label"] = func(v any) string { return label(msgs, v) }
	f["status"] = func(s model.Status) string { return statusLabel(msgs, s) }
	f["parts"] = func(items []string) string { return partsText(msgs, items) }
	f["T"] = msgs.T
	return f
}

// checkMessages reports every T call in the sets' templates whose key (a
// constant string) has no message, at the call's file:line:col.
func checkMessages(sets []*template.Template, msgs *i18n.Catalogue, errs *diag.List) {
	seen := map[*tparse.Tree]bool{}
	for _, set := range sets {
		for _, tm := range set.Templates() {
			tr := tm.Tree
			if tr == nil || tr.Root == nil || seen[tr] {
				continue
			}
			seen[tr] = true
			messageCalls(tr, tr.Root, func(key string, n tparse.Node, cmd *tparse.CommandNode) {
				loc, _ := tr.ErrorContext(n)
				at := func(msg string) *diag.Error {
					e := templateError(&posError{loc: loc, msg: msg}, nil, nil)
					e.Msg = strings.TrimPrefix(e.Msg, "template: ")
					return e
				}
				if !msgs.Has(key) {
					errs.Add(at("no message "+quote(key)+" in "+msgs.Where()).
						WithHint("add %s: \"…\" to the site's %s/%s.yaml, or correct the key", key, i18n.Dir, msgs.Lang()))
					return
				}
				if names, ok := argNames(cmd); ok {
					if err := msgs.CheckArgs(key, names); err != nil {
						errs.Add(at(err.Error()).WithHint(`arguments are written name, value: {{T %q "name" .Value}}, or one number, the count`, key))
					}
				}
			})
		}
	}
}

// posError is an error text in html/template's form, "name:line:col: msg",
// for templateError to place.
type posError struct{ loc, msg string }

func (e *posError) Error() string { return e.loc + ": " + e.msg }

func quote(s string) string { return `"` + s + `"` }

// argNames returns the argument names of the T call cmd: the constant names of name, value pairs, or "count"
// for a single value; ok is false when a name is not a constant.
func argNames(cmd *tparse.CommandNode) (names []string, ok bool) {
	rest := cmd.Args[2:]
	if len(rest) == 1 {
		if _, isStr := rest[0].(*tparse.StringNode); !isStr {
			return []string{"count"}, true
		}
	}
	if len(rest)%2 != 0 {
		return nil, false
	}
	for i := 0; i < len(rest); i += 2 {
		s, isStr := rest[i].(*tparse.StringNode)
		if !isStr {
			return nil, false
		}
		names = append(names, s.Text)
	}
	return names, true
}

// messageCalls calls found for every T command whose first argument is a
// constant string, anywhere under n.
func messageCalls(tr *tparse.Tree, n tparse.Node, found func(key string, n tparse.Node, cmd *tparse.CommandNode)) {
	switch n := n.(type) {
	case *tparse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			messageCalls(tr, c, found)
		}
	case *tparse.ActionNode:
		messageCalls(tr, n.Pipe, found)
	case *tparse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			messageCalls(tr, c, found)
		}
	case *tparse.CommandNode:
		if len(n.Args) >= 2 {
			if id, ok := n.Args[0].(*tparse.IdentifierNode); ok && id.Ident == "T" {
				if s, ok := n.Args[1].(*tparse.StringNode); ok {
					found(s.Text, s, n)
				}
			}
		}
		for _, a := range n.Args {
			messageCalls(tr, a, found)
		}
	case *tparse.IfNode:
		messageCalls(tr, n.Pipe, found)
		messageCalls(tr, n.List, found)
		messageCalls(tr, n.ElseList, found)
	case *tparse.RangeNode:
		messageCalls(tr, n.Pipe, found)
		messageCalls(tr, n.List, found)
		messageCalls(tr, n.ElseList, found)
	case *tparse.WithNode:
		messageCalls(tr, n.Pipe, found)
		messageCalls(tr, n.List, found)
		messageCalls(tr, n.ElseList, found)
	case *tparse.TemplateNode:
		messageCalls(tr, n.Pipe, found)
	case *tparse.ChainNode:
		messageCalls(tr, n.Node, found)
	}
}

// templateKeys returns the constant keys the T calls in the sets name.
func templateKeys(sets []*template.Template) map[string]bool {
	keys := map[string]bool{}
	for _, set := range sets {
		for _, tm := range set.Templates() {
			if tm.Tree != nil && tm.Tree.Root != nil {
				messageCalls(tm.Tree, tm.Tree.Root, func(key string, _ tparse.Node, _ *tparse.CommandNode) { keys[key] = true })
			}
		}
	}
	return keys
}

// themeSets returns the theme's template sets with true line numbers.
func (t *Theme) themeSets() []*template.Template {
	base, pages := t.base, t.pages
	if t.plain != nil {
		base, pages = t.plainBase, t.plain
	}
	sets := []*template.Template{base}
	for _, p := range slices.Sorted(maps.Keys(pages)) {
		sets = append(sets, pages[p])
	}
	return sets
}

// Messages returns the theme's message catalogue (the site's language,
// the site's i18n/ over the theme's).
// Without a theme (or a catalogue), the default theme's English.
func (t *Theme) Messages() *i18n.Catalogue {
	if t == nil || t.msgs == nil {
		return english()
	}
	return t.msgs
}

// tr returns the text of a message the renderer writes (see i18n.M).
func (r *renderer) tr(key string, args ...any) string {
	return r.theme.Messages().S(key, args...)
}

// periodText writes a period of data for readers ("Q3 2026", "Nov 2026"):
// model.Period.Message in the catalogue.
func periodText(msgs *i18n.Catalogue, p model.Period) string { return msgs.String(p.Message()) }

// spanText writes a run of periods for readers ("Q2–Q3 2025"):
// model.Span.Message in the catalogue.
func spanText(msgs *i18n.Catalogue, s model.Span) string { return msgs.String(s.Message()) }

// listText joins items with commas ("A, B, C"): words_join_one, then
// words_join_list for each item after the first (model.ListMessage).
func listText(msgs *i18n.Catalogue, items []string) string {
	return msgs.String(model.ListMessage(items))
}

// partsText joins items with semicolons ("A; B; C"): words_join_one, then
// words_join_parts for each item after the first.
func partsText(msgs *i18n.Catalogue, items []string) string {
	return msgs.String(model.PartsMessage(items))
}

// sentencesText writes parts as sentences: each one as sentence ("{text}."),
// one after the other by sentence_then ("{text} {next}"). No parts make
// an empty sentence (".").
func sentencesText(msgs *i18n.Catalogue, parts []string) string {
	if len(parts) == 0 {
		return msgs.S("sentence", "text", "")
	}
	s := msgs.S("sentence", "text", parts[0])
	for _, p := range parts[1:] {
		s = msgs.S("sentence_then", "text", s, "next", msgs.S("sentence", "text", p))
	}
	return s
}

// period is periodText in the site's language.
func (r *renderer) period(p model.Period) string { return periodText(r.theme.Messages(), p) }

// Warnings returns what loading the theme found that does not stop a
// build, such as a site language without a message catalogue.
func (t *Theme) Warnings() diag.List { return t.warnings }

// english is the default theme's English catalogue, for the exported
// helpers (such as Takeaway) that write a text outside a render.
var english = sync.OnceValue(func() *i18n.Catalogue {
	c, _ := i18n.Load(defaulttheme.FS, defaulttheme.Name, nil, i18n.Default)
	return c
})

// dateText writes a date for readers: model.DateMessage (date_format with
// {day}, {month}, the month's name, month_january …, and {year}); "" for
// no date.
func dateText(msgs *i18n.Catalogue, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return msgs.String(model.DateMessage(t))
}

// monthText writes a month of a year for readers: month_year_format.
func monthText(msgs *i18n.Catalogue, t time.Time) string {
	return msgs.S("month_year_format", "month", model.MonthMessage(t.Month()), "year", strconv.Itoa(t.Year()))
}

// date writes a date in the site's language (see dateText).
// The text of a day is made once per render (dateTexts).
func (r *renderer) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	k := [3]int{t.Year(), int(t.Month()), t.Day()}
	if s, ok := r.dateTexts.Load(k); ok {
		return s.(string)
	}
	s := dateText(r.theme.Messages(), t)
	r.dateTexts.Store(k, s)
	return s
}

// month writes a month in the site's language (see monthText).
func (r *renderer) month(t time.Time) string { return monthText(r.theme.Messages(), t) }
