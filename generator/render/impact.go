package render

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
	"golang.org/x/net/html"
)

// ImpactPath is the address of the index of ROI narratives.
const ImpactPath = "/impact/"

// ROIView is what an ROI story page shows besides its prose: the headline
// figure, the key figures, what each partner put in and got, and the
// results, all worked out from the data.
type ROIView struct {
	Period   string
	Headline model.Figure
	Key      []model.Figure // the figures panel, after the headline
	Partners []ROIPartnerRow
	Totals   ROIPartnerRow
	Results  []ROIResultRow
	Lines    []ROILineRow // how each amount is counted
	Unit     string       // one unit of the currency: "€1"
	HasGot   bool         // some partner's row says what it got
}

// ROIPartnerRow is one partner in the "put in and got" table.
type ROIPartnerRow struct {
	Anchor   string
	Partner  *model.Partner
	Invested bool
	Cash     string
	InKind   string
	Total    string
	Share    string
	Leverage string // what the others put in for each unit this partner put in
	Got      string
}

// ROIResultRow is one claimed result.
type ROIResultRow struct {
	Anchor   string
	Name     string // the metric, and the partner when the claim is one partner's
	Metric   *model.Metric
	From     string
	To       string
	Before   string
	After    string
	Change   string
	Percent  string // "" when the value before was zero
	Cost     string // "" when the result did not improve
	Improved bool
}

// ROILineRow is one amount counted, with how it was worked out.
type ROILineRow struct {
	Partner string
	Kind    string // "Cash" or "In kind"
	Detail  string // "225 hours × €45", "from data/partners.yaml"
	Value   string
	Note    string
}

// ImpactView is the index of ROI narratives.
type ImpactView struct {
	Entries []ImpactEntry
}

// ImpactEntry is one ROI narrative on the index, led by its headline figure.
type ImpactEntry struct {
	Card     *StoryCard
	Headline model.Figure
	// Invested says what was put in, by how many partners, over which
	// period: "€30,165 put in by 4 partners, Q4 2025 – Q1 2026".
	Invested string
}

// resolveROI resolves {{roi:name view}}.
func (f *figures) resolveROI(name string, ref markdown.FigureRef) (figValue, error) {
	written := "{{roi:" + name
	if ref.View != "" {
		written += " " + ref.View
	}
	written += "}}"
	if f.st.Kind != model.KindROI || f.st.Section != "stories" {
		return figValue{}, &hintError{written + " cites an ROI figure, but this story is not of kind roi",
			"set `kind: roi` and declare investment: and results: in the front matter, or cite a metric such as {{metric_id}}"}
	}
	if f.roi == nil {
		// The ROI front matter has errors, reported where they are.
		return figValue{Text: written, HTML: `<span class="fig-error">` + esc(written) + `</span>`}, nil
	}
	if ref.Period != "" {
		return figValue{}, &hintError{written + " @" + ref.Period + ": ROI figures take no @period",
			"the periods are set by investment: and results: in the front matter"}
	}
	if len(ref.Args) > 0 {
		return figValue{}, &hintError{fmt.Sprintf("%s: ROI figures take no words after the view (%s)", written, strings.Join(ref.Args, " ")), "remove " + strings.Join(ref.Args, " ")}
	}
	fig, err := f.roi.Figure(name, ref.View)
	if err != nil {
		return figValue{}, &hintError{err.Msg, err.Hint}
	}
	fig = f.r.localFigure(fig)
	title := fig.Label
	if fig.Detail != "" {
		title = f.r.tr("label_detail", "label", fig.Label, "detail", fig.Detail)
	}
	return figValue{Text: fig.Value, Title: title, Href: "#" + fig.Anchor, Class: "fig fig-roi"}, nil
}

// arcParts is how many ## sections a good ROI narrative has: the people
// it helped, what stood in their way, what the partners did together, the
// measured result, and what it means for each partner.
const arcParts = 5

// checkArc warns when an ROI story lacks the arc of a good ROI narrative,
// or writes numbers by hand instead of citing them from the data.
func checkArc(st *model.Story, out []byte, errs *diag.List) {
	sections, typed := scanProse(out)
	at := diag.Pos{File: st.Path, Line: st.BodyLine}
	if sections < arcParts {
		errs.Warnf(at, "this ROI story has %d of the five parts of an ROI narrative", sections).
			WithHint("give each its own ## heading: the people it helped, what stood in their way, what the partners did together, the measured result, what it means for each partner")
	}
	if len(typed) > 0 {
		shown := typed
		if len(shown) > 5 {
			shown = append(shown[:5:5], "…")
		}
		pos := at
		if i := bytes.Index(st.Body, []byte(typed[0])); i >= 0 {
			pos.Line = st.BodyLine + bytes.Count(st.Body[:i], []byte("\n"))
		}
		errs.Warnf(pos, "numbers typed by hand in an ROI story: %s", strings.Join(shown, ", ")).
			WithHint("cite figures from the data ({{roi:total}}, {{roi:<metric> change}}, {{<metric>}}) so they cannot go stale; write other numbers in words")
	}
}

// scanProse counts the ## headings of a story's HTML and finds the words
// with digits in its text, outside cited figures, code and footnote marks.
func scanProse(out []byte) (sections int, typed []string) {
	z := html.NewTokenizer(bytes.NewReader(out))
	skip := 0 // depth inside elements whose text is not prose
	var stack []bool
	seen := map[string]bool{}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return sections, typed
		case html.StartTagToken:
			tok := z.Token()
			if tok.Data == "h2" {
				sections++
			}
			s := tok.Data == "code" || tok.Data == "pre" || tok.Data == "sup" || tok.Data == "svg" ||
				tok.Data == "a" && strings.Contains(attr(tok, "class"), "fig") ||
				tok.Data == "span" && strings.Contains(attr(tok, "class"), "fig") ||
				tok.Data == "div" && strings.Contains(attr(tok, "class"), "footnotes")
			if voidElement(tok.Data) {
				continue
			}
			stack = append(stack, s)
			if s {
				skip++
			}
		case html.EndTagToken:
			if n := len(stack); n > 0 {
				if stack[n-1] {
					skip--
				}
				stack = stack[:n-1]
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, w := range strings.Fields(string(z.Text())) {
				w = strings.Trim(w, ".,;:!?()[]\"'“”‘’")
				if strings.ContainsAny(w, "0123456789") && !seen[w] {
					seen[w] = true
					typed = append(typed, w)
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func voidElement(tag string) bool {
	switch tag {
	case "br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track":
		return true
	}
	return false
}

// localFigure returns fig with its value, label and detail in the site's
// language (model.Figure.ValueMsg, LabelMsg, DetailMsg), where the model
// gave them.
func (r *renderer) localFigure(fig model.Figure) model.Figure {
	msgs := r.theme.Messages()
	if fig.ValueMsg != nil {
		fig.Value = msgs.String(*fig.ValueMsg)
	}
	if fig.LabelMsg != nil {
		fig.Label = msgs.String(*fig.LabelMsg)
	}
	if fig.DetailMsg != nil {
		fig.Detail = msgs.String(*fig.DetailMsg)
	}
	return fig
}

// roiView builds the ROI part of a story page.
func (r *renderer) roiView(f *model.ROIFigures) *ROIView {
	cur := r.site.Config.Currency
	v := &ROIView{Period: spanText(r.theme.Messages(), f.Period), Headline: r.localFigure(f.HeadlineFigure()), Unit: f.One()}
	add := func(ref string) {
		fig, err := f.Ref(ref)
		fig = r.localFigure(fig)
		if err != nil || fig.Value == v.Headline.Value && fig.Label == v.Headline.Label {
			return
		}
		v.Key = append(v.Key, fig)
	}
	add("total")
	for _, res := range f.Results {
		add(res.Metric.ID + " change")
	}
	for _, p := range f.Partners {
		row := ROIPartnerRow{Anchor: "roi-p-" + p.Partner.ID, Partner: p.Partner, Invested: p.Invested, Got: p.Got}
		if p.Invested {
			row.Cash, row.InKind, row.Total = f.Money(p.Cash), f.Money(p.InKind), f.Money(p.Total)
			row.Share, row.Leverage = model.FormatPercent(p.Share), f.Money(p.Leverage)
		}
		v.Partners = append(v.Partners, row)
		v.HasGot = v.HasGot || p.Got != ""
	}
	v.Totals = ROIPartnerRow{Anchor: "roi-total", Invested: true, Cash: f.Money(f.Cash), InKind: f.Money(f.InKind), Total: f.Money(f.Total), Share: model.FormatPercent(1)}
	for _, res := range f.Results {
		m := res.Metric
		row := ROIResultRow{Anchor: "roi-r-" + m.ID, Name: r.theme.Messages().String(res.ResultMessage()), Metric: m, From: spanText(r.theme.Messages(), res.From), To: spanText(r.theme.Messages(), res.To),
			Before: model.FormatValue(res.Before, m.Unit), After: model.FormatValue(res.After, m.Unit),
			Change: r.theme.Messages().String(model.ChangeMessage(res.Change, m.Unit)), Improved: res.Improved}
		if fig, err := f.Figure(m.ID, "percent"); err == nil {
			row.Percent = fig.Value
		}
		if fig, err := f.Figure(m.ID, "cost"); err == nil {
			row.Cost = r.localFigure(fig).Value
		}
		v.Results = append(v.Results, row)
	}
	for _, l := range f.Lines {
		row := ROILineRow{Kind: r.tr("roi_col_in_kind"), Value: f.Money(l.Value), Note: l.Note}
		if p := r.site.Partner(l.Partner); p != nil {
			row.Partner = p.Name
		}
		if l.Cash {
			row.Kind = r.tr("roi_col_cash")
		}
		switch {
		case l.Metric != nil && l.Rate != 0:
			row.Detail = r.tr("roi_line_metric_rate", "quantity", model.FormatValue(l.Quantity, l.Metric.Unit), "metric", l.Metric.Name, "rate", f.Money(l.Rate))
		case l.Metric != nil:
			row.Detail = l.Metric.Name
		case l.Hours != 0:
			row.Detail = r.tr("roi_line_hours_rate", "hours", model.HoursMessage(l.Hours), "rate", model.FormatValue(l.Rate, cur))
		}
		if l.FromData && l.Metric == nil {
			recorded := r.tr("roi_recorded_in", "file", l.Pos.File)
			if row.Detail != "" {
				row.Detail = r.tr("roi_line_recorded", "detail", row.Detail, "recorded", recorded)
			} else {
				row.Detail = recorded
			}
		}
		v.Lines = append(v.Lines, row)
	}
	return v
}

// hasROI reports whether the build shows an ROI story, and so the index
// of ROI narratives.
func hasROI(site *model.Site) bool {
	for _, st := range site.Stories {
		if st.Kind == model.KindROI && st.ROI != nil {
			return true
		}
	}
	return false
}

// impact renders /impact/: the ROI narratives, newest first, each with
// its headline figure.
func (r *renderer) impact() error {
	v := &ImpactView{}
	for _, st := range r.site.Stories {
		f := r.bodies[st].roi
		if st.Kind != model.KindROI || f == nil {
			continue
		}
		total, _ := f.Ref("total")
		invested := r.tr("impact_invested", "value", total.Value, "who", f.InvestorsWho(), "period", spanText(r.theme.Messages(), f.Period))
		v.Entries = append(v.Entries, ImpactEntry{Card: r.card(st), Headline: r.localFigure(f.HeadlineFigure()), Invested: invested})
	}
	return r.page("impact", &Page{Title: r.tr("nav_impact"), Path: ImpactPath, Section: "impact", Impact: v,
		Description: r.tr("impact_description")})
}
