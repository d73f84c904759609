package render

import (
	"fmt"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Views of one partner's part and of totals over several periods:
//
//	{{doses_given by kestrel-pharmacy @2026-Q3}}           910 doses
//	{{doses_given by kestrel-pharmacy @2024}}              2,390 doses (the year's quarters added up)
//	{{doses_given by kestrel-pharmacy share @2026-Q3}}     15 % (of all partners' doses that quarter)
//	{{doses_given total @2026-Q1..2026-Q3}}                17,020 doses
//
// A span (from..to, or a year over a series kept by quarter) adds values
// up, so it is refused for a percentage. A partner must have a value for
// every period of the span that the metric has: a sum with a quarter
// missing would read as the partner's whole contribution.

// isSpanView reports whether a view is resolved here.
func isSpanView(view string) bool { return view == "by" || view == "total" }

// spanValue resolves {{m by partner [share] @span}} and {{m total @span}}.
func (f *figures) spanValue(m *model.Metric, ref markdown.FigureRef) (figValue, error) {
	latest, ok := m.Latest()
	if !ok {
		return figValue{}, &hintError{fmt.Sprintf("metric %q has no observations yet", m.ID), "add values under data/observations/, or remove the figure"}
	}
	span := model.Span{First: latest.Period, Last: latest.Period}
	if ref.Period != "" {
		s, err := model.ParseSpan(ref.Period)
		if err != nil {
			return figValue{}, &hintError{fmt.Sprintf("%s: %v", written(ref), err), ""}
		}
		span = s
	}
	href := f.root + "metrics/" + m.ID + "/"
	total, periods, _ := model.SumOver(m.Series, nil, span)
	if periods == 0 {
		return figValue{}, &hintError{fmt.Sprintf("%s: metric %q has no value for %s", written(ref), m.ID, span.Label()),
			fmt.Sprintf("its periods run from %s to %s", m.Series[0].Period, latest.Period)}
	}
	if periods > 1 && !model.Additive(m.Unit) {
		return figValue{}, &hintError{fmt.Sprintf("%s: %s is a percentage, and percentages of several periods do not add up", written(ref), m.ID),
			"cite one period, such as @" + latest.Period.String()}
	}
	if ref.View == "total" {
		if len(ref.Args) > 0 {
			return figValue{}, &hintError{fmt.Sprintf("%s: the total view takes no words after it", written(ref)), "remove " + strings.Join(ref.Args, " ")}
		}
		return figValue{Text: model.FormatValue(total, m.Unit), Title: f.r.tr("figure_title_at", "metric", m.Name, "period", spanText(f.r.theme.Messages(), span)), Href: href}, nil
	}
	// by partner [share]
	if len(ref.Args) == 0 || len(ref.Args) > 2 || len(ref.Args) == 2 && ref.Args[1] != "share" {
		return figValue{}, &hintError{fmt.Sprintf("%s: write the partner's id after by, and share after it for the partner's share of the total", written(ref)),
			fmt.Sprintf("for example {{%s by partner-id @%s}} or {{%s by partner-id share @%s}}", m.ID, latest.Period, m.ID, latest.Period)}
	}
	pid := ref.Args[0]
	p := f.r.site.Partner(pid)
	if p == nil {
		var ids []string
		for _, x := range f.r.site.Partners {
			ids = append(ids, x.ID)
		}
		h := "the ids are in data/partners.yaml"
		if s := diag.Suggest(pid, ids); s != "" {
			h = fmt.Sprintf("did you mean %q?", s)
		}
		return figValue{}, &hintError{fmt.Sprintf("%s: partner %q is not in data/partners.yaml", written(ref), pid), h}
	}
	// The partner's name is in the figure's tooltip: a story that needs
	// approval may name only partners it names otherwise: the protocol
	// reads figures as numbers, which name no one (see mayName).
	if f.r.site.NeedsApproval(f.st) && !contains(f.st.NamedPartners(), p.ID) {
		return figValue{}, &hintError{fmt.Sprintf("%s names %s, which this story does not name otherwise, so it has not approved it", written(ref), p.Name),
			fmt.Sprintf("add %s to the story's partners (it must then approve the story), or cite the total with {{%s total}}", p.ID, m.ID)}
	}
	series := m.ByPartner[p.ID]
	sum, n, missing := model.SumOver(series, m.Series, span)
	if n == 0 {
		return figValue{}, &hintError{fmt.Sprintf("%s: data/observations has no %s value of %s for %s", written(ref), m.ID, p.ID, span.Label()), "add it with a partner column, or cite another period"}
	}
	if len(missing) > 0 {
		var ms []string
		for _, x := range missing {
			ms = append(ms, x.Label())
		}
		return figValue{}, &hintError{fmt.Sprintf("%s: data/observations has no %s value of %s for %s, so the sum over %s would fall short", written(ref), m.ID, p.ID, strings.Join(ms, ", "), span.Label()),
			"cite the periods it has, or add the missing values"}
	}
	title := f.r.tr("figure_title_partner", "metric", m.Name, "partner", p.Name, "span", spanText(f.r.theme.Messages(), span))
	if len(ref.Args) == 2 {
		if !model.Additive(m.Unit) {
			return figValue{}, &hintError{fmt.Sprintf("%s: %s is a percentage, and a partner's share of a percentage means nothing", written(ref), m.ID), ""}
		}
		// Of all partners' values, as {{m share partner}} reads it: a
		// metric's total may hold more than its partners gave.
		partners := sumValues(model.PartnerTotals(m, span))
		if partners == 0 {
			return figValue{}, zeroTotal(ref, m, span)
		}
		return figValue{Text: model.FormatPercent(sum / partners), Title: f.r.tr("figure_title_partner_share", "metric", m.Name, "partner", p.Name, "span", spanText(f.r.theme.Messages(), span)), Href: href}, nil
	}
	return figValue{Text: model.FormatValue(sum, m.Unit), Title: title, Href: href}, nil
}
