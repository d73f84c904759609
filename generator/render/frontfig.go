package render

import (
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Live figures in front matter: a story's title and summary, a newsletter
// issue's subject and preheader, the briefing's title and each chart's
// takeaway may cite figures as a body does ({{metric}}, {{metric change}},
// {{metric @2026-Q1}}, {{roi:name view}}). They are resolved once, before
// any output is written, through the same figures.value as body figures,
// into a frontText: the plain text every plain-text output uses (<title>,
// <meta>, JSON-LD, feeds, the social card, the email's Subject header) and
// the HTML the pages show outside a link (a story's h1 and standfirst).

// frontText is a front matter text with its figures resolved.
type frontText struct {
	Text string        // plain text: "Coverage reached 82.6 %"
	HTML template.HTML // escaped text, each figure a link to its metric
}

// plainFront is a text without figures, as it is written.
func plainFront(s string) frontText {
	return frontText{Text: s, HTML: template.HTML(esc(s))}
}

// storyFront is a story's title and summary, resolved.
type storyFront struct {
	title, summary frontText
}

// newsFront is a newsletter issue's subject and preheader, resolved.
type newsFront struct {
	subject, preheader frontText
}

// briefFront is the briefing's title and chart takeaways, resolved.
type briefFront struct {
	title     frontText
	takeaways []frontText
}

// valueAt returns where the value of a front matter key starts, as the
// loader recorded it (key + "="), or the key's line when it did not.
// A value whose column is 0 is a block (| or >) whose text starts on the
// line given.
func valueAt(lines map[string]diag.Pos, key string, fallback diag.Pos) diag.Pos {
	if p, ok := lines[key+"="]; ok {
		return p
	}
	// Without it, the key's line, with no column: counting from the key
	// would point at the wrong place.
	if p, ok := lines[key]; ok {
		fallback = p
	}
	fallback.Col = 0
	return fallback
}

// figureAt is the position of the figure that starts off bytes into the
// value of a key that starts at at. For a value on one line it is exact
// (columns count bytes, as everywhere); a value with YAML escapes ("\"")
// before the figure is off by the escapes. In a block value (| or >) the
// line is the value's first line plus the line breaks before the figure,
// and the column is left out; in a quoted or plain value folded over
// lines the line is the value's first and the column counts along the
// value.
func figureAt(at diag.Pos, src string, off int) diag.Pos {
	p := at
	if p.Col == 0 {
		p.Line += strings.Count(src[:off], "\n")
		return p
	}
	if p.Line > 0 {
		p.Col += off
	}
	return p
}

// resolve resolves the figures of src, the value of a front matter field
// that starts at at, into text and HTML. Problems are added to errs at the
// figure's place; a figure in error stays as written. Text in a code span
// (`…`) is left alone, and \{{ is kept as the braces {{.
func (f *figures) resolve(src string, at diag.Pos, errs *diag.List) frontText {
	if !strings.Contains(src, "{{") {
		return plainFront(src)
	}
	var text, html strings.Builder
	lit := func(s string) {
		text.WriteString(s)
		html.WriteString(esc(s))
	}
	for i := 0; i < len(src); {
		switch {
		case src[i] == '`':
			n := 1
			for i+n < len(src) && src[i+n] == '`' {
				n++
			}
			fence := src[i : i+n]
			end := strings.Index(src[i+n:], fence)
			if end < 0 {
				lit(fence)
				i += n
				continue
			}
			lit(src[i : i+n+end+n])
			i += n + end + n
		case strings.HasPrefix(src[i:], `\{{`):
			lit("{{")
			i += 3
		case strings.HasPrefix(src[i:], "{{"):
			end := strings.Index(src[i+2:], "}}")
			if end < 0 {
				lit(src[i:])
				i = len(src)
				continue
			}
			inner := src[i+2 : i+2+end]
			written := src[i : i+2+end+2]
			v, err := f.frontValue(inner)
			if err != nil {
				e := &diag.Error{Pos: figureAt(at, src, i), Msg: err.Error()}
				var he *hintError
				if errors.As(err, &he) {
					e.Msg, e.Hint = he.msg, he.hint
				}
				errs.Add(e)
				lit(written)
			} else {
				text.WriteString(v.Text)
				html.WriteString(v.html())
			}
			i += len(written)
		default:
			j := i + 1
			for j < len(src) && src[j] != '`' && src[j] != '{' && src[j] != '\\' {
				j++
			}
			lit(src[i:j])
			i = j
		}
	}
	return frontText{Text: text.String(), HTML: template.HTML(html.String())}
}

// frontValue resolves the figure inner (the text between {{ and }}) for a
// front matter field, which holds text only: a sparkline or chart is an
// error there.
func (f *figures) frontValue(inner string) (figValue, error) {
	ref, ok := markdown.ParseFigure(inner)
	if !ok {
		return figValue{}, &hintError{fmt.Sprintf("{{%s}} is not a figure", inner), markdown.FigureSyntaxHint}
	}
	if !strings.HasPrefix(ref.ID, "roi:") && (ref.View == "sparkline" || ref.View == "chart") {
		return figValue{}, &hintError{fmt.Sprintf("%s draws a picture, and a front matter field holds text only", written(ref)),
			"cite the value ({{" + ref.ID + "}}) or its change ({{" + ref.ID + " change}}) here, and draw the " + ref.View + " in the body"}
	}
	v, err := f.value(ref)
	if err != nil {
		return figValue{}, err
	}
	if v.HTML != "" {
		return figValue{}, &hintError{fmt.Sprintf("%s is not text, and a front matter field holds text only", written(ref)), "cite it in the body instead"}
	}
	return v, nil
}

// storyFront resolves a story's title and summary with f, the figures of
// its body (so that they count as cited, and are checked for staleness,
// as the body's are).
func (f *figures) storyFront(errs *diag.List) storyFront {
	st := f.st
	fb := st.Pos("title")
	return storyFront{
		title:   f.resolve(st.Title, valueAt(st.Lines, "title", fb), errs),
		summary: f.resolve(st.Summary, valueAt(st.Lines, "summary", st.Pos("summary")), errs),
	}
}

// front returns a story's title and summary as resolved with its body, or,
// for a story that was not converted, resolved now (see resolveFront).
func (r *renderer) front(st *model.Story) storyFront {
	if b, ok := r.bodies[st]; ok && b.front != nil {
		return *b.front
	}
	var errs diag.List
	return r.resolveFront(st, &errs)
}

// resolveFront resolves a story's title and summary on their own, without
// its body: for a newsletter sent or exported without a build, and for a
// story as it was before an edit (Prepared.Update).
func (r *renderer) resolveFront(st *model.Story, errs *diag.List) storyFront {
	f := &figures{r: r, st: st, root: rootPrefix(st.URL())}
	if st.ROI != nil {
		var rerrs diag.List
		f.roi, rerrs = r.site.ComputeROI(st)
		f.roiFailed = f.roi == nil
		errs.Append(rerrs)
	}
	return f.storyFront(errs)
}

// title is a story's title as plain text, its figures resolved.
func (r *renderer) title(st *model.Story) string { return r.front(st).title.Text }

// summary is a story's summary as plain text, its figures resolved.
func (r *renderer) summary(st *model.Story) string { return r.front(st).summary.Text }

// resolveNewsletters resolves the subject and preheader of every issue,
// with links relative to the issue's page.
func (r *renderer) resolveNewsletters() diag.List {
	var errs diag.List
	r.news = make(map[*model.Newsletter]newsFront, len(r.site.Newsletters))
	for _, n := range r.site.Newsletters {
		r.news[n] = r.newsFront(n, &errs)
	}
	return errs
}

func (r *renderer) newsFront(n *model.Newsletter, errs *diag.List) newsFront {
	st := &model.Story{Path: n.Path, Section: "newsletter", Slug: "newsletter-" + n.Month.String(), Date: n.Date, Lines: n.Lines}
	page := "/newsletter/" + n.Month.String() + "/"
	f := &figures{r: r, st: st, root: rootPrefix(page)}
	fb := diag.Pos{File: n.Path, Line: 1}
	nf := newsFront{
		subject:   f.resolve(n.Subject, valueAt(n.Lines, "subject", fb), errs),
		preheader: f.resolve(n.Preheader, valueAt(n.Lines, "preheader", fb), errs),
	}
	// A subject or preheader with figures is measured as the reader gets
	// it (the loader measured the others).
	key := func(k string) diag.Pos { // where the loader reports these, the key
		if p, ok := n.Lines[k]; ok {
			return p
		}
		return fb
	}
	if strings.Contains(n.Subject, "{{") {
		model.CheckSubjectLength(nf.subject.Text, key("subject"), errs)
	}
	if strings.Contains(n.Preheader, "{{") {
		model.CheckPreheaderLength(nf.preheader.Text, key("preheader"), errs)
	}
	return nf
}

// newsText is an issue's subject and preheader as resolved, or as written
// when they were not (a render that did not convert them).
func (r *renderer) newsText(n *model.Newsletter) newsFront {
	if nf, ok := r.news[n]; ok {
		return nf
	}
	return newsFront{subject: plainFront(n.Subject), preheader: plainFront(n.Preheader)}
}

// resolvedIssue returns a copy of mi whose subject and preheader are the
// resolved plain texts, for everything that reads them as text: the
// email, its Subject header, the feeds and the CLI's reports.
func (r *renderer) resolvedIssue(mi *model.Issue) *model.Issue {
	nf, ok := r.news[mi.Newsletter]
	if !ok {
		return mi
	}
	n := *mi.Newsletter
	n.Subject, n.Preheader = nf.subject.Text, nf.preheader.Text
	c := *mi
	c.Newsletter = &n
	return &c
}

// resolveBriefing resolves the briefing's title and takeaways, and checks
// each takeaway's length as the reader reads it.
func (r *renderer) resolveBriefing() diag.List {
	b := r.site.Briefing
	if b == nil {
		return nil
	}
	var errs diag.List
	st := &model.Story{Path: b.Path, Section: "briefing", Slug: "briefing", Date: b.Date, Lines: b.Lines}
	f := &figures{r: r, st: st, root: rootPrefix(BriefingPath)}
	bf := &briefFront{title: f.resolve(b.Title, valueAt(b.Lines, "title", b.Pos("title")), &errs)}
	for i, c := range b.Charts {
		before := len(errs)
		t := f.resolve(c.Takeaway, valueAt(c.Lines, "takeaway", c.Pos), &errs)
		bf.takeaways = append(bf.takeaways, t)
		if len(errs) > before || !strings.Contains(c.Takeaway, "{{") {
			continue // the model counted a takeaway without figures
		}
		if w := model.TakeawayWords(t.Text); w > model.MaxTakeawayWords {
			p := c.Pos
			if kp, ok := c.Lines["takeaway"]; ok {
				p = kp
			}
			errs.Errorf(p, "the takeaway of chart %d has %d words once its figures are filled in (%q); keep it to %d or fewer", i+1, w, t.Text, model.MaxTakeawayWords).
				WithHint("say one thing a busy reader can repeat; the chart and its data table carry the rest")
		}
	}
	r.brief = bf
	return errs
}
