package generator

import (
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
	"github.com/drumbeat/drumbeat/generator/typed"
)

// typedFigures reports the numbers typed next to words naming a metric in
// every story (held ones too), page, newsletter issue and the briefing:
// in prose and in the front matter fields readers see. They are warnings,
// or errors when strict. A held story's findings go to the terminal only:
// check writes nothing.
func typedFigures(s *model.Site, strict bool) diag.List {
	var out diag.List
	add := func(pos diag.Pos, f typed.Finding) {
		e := &diag.Error{Pos: pos, Msg: f.Msg, Hint: f.Hint, Severity: diag.SevWarning}
		if strict {
			e.Severity = diag.SevError
		}
		out.Add(e)
	}
	body := func(path string, src []byte, line int) {
		masked, blocks := markdown.Prose(src)
		if len(blocks) == 0 {
			return
		}
		idx := diag.NewLineIndex(src)
		for _, b := range blocks {
			for _, f := range typed.Find(typed.Text{S: string(masked[b.Start:b.End]), Context: b.Context}, s.Metrics) {
				l, c := idx.Pos(b.Start + f.Off)
				add(diag.Pos{File: path, Line: line + l - 1, Col: c}, f)
			}
		}
	}
	field := func(pos diag.Pos, text, context string) {
		for _, f := range typed.Find(typed.Text{S: text, Context: context}, s.Metrics) {
			add(pos, f)
		}
	}
	seen := map[*model.Story]bool{}
	for _, list := range [][]*model.Story{s.Stories, s.Held, s.Pages, s.HeldPages} {
		for _, st := range list {
			if seen[st] {
				continue
			}
			seen[st] = true
			field(st.Pos("title"), st.Title, "")
			field(st.Pos("summary"), st.Summary, "")
			body(st.Path, st.Body, st.BodyLine)
		}
	}
	for _, n := range s.Newsletters {
		pos := func(key string) diag.Pos {
			if p, ok := n.Lines[key]; ok {
				return p
			}
			return diag.Pos{File: n.Path, Line: 1}
		}
		field(pos("subject"), n.Subject, "")
		field(pos("preheader"), n.Preheader, "")
		body(n.Path, n.Body, n.BodyLine)
	}
	if b := s.Briefing; b != nil {
		field(b.Pos("title"), b.Title, "")
		for _, c := range b.Charts {
			ctx := strings.Join(c.Metrics, " ")
			for _, p := range []model.Period{c.From, c.To} {
				if !p.IsZero() {
					ctx += " " + p.String()
				}
			}
			pos := c.Pos
			if p, ok := c.Lines["takeaway"]; ok {
				pos = p
			}
			field(pos, c.Takeaway, ctx)
		}
	}
	return out
}
