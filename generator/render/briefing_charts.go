package render

import (
	"fmt"
	"math"
	"sort"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

// briefCharts fills the Spec of each type of briefing chart (its Kind,
// labels and series) from the chart's metrics, and returns its data table
// and caption. To add a type, see chart.Kind.
var briefCharts = map[model.ChartType]func(r *renderer, spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string){
	model.ChartLine:        (*renderer).briefLine,
	model.ChartBar:         (*renderer).briefBar,
	model.ChartShare:       (*renderer).briefShare,
	model.ChartProgress:    (*renderer).briefProgress,
	model.ChartBeforeAfter: (*renderer).briefBeforeAfter,
}

// briefingChart draws chart n of the briefing. The model has checked the
// chart and settled its periods.
func (r *renderer) briefingChart(n int, c *model.BriefingChart) (*ChartView, error) {
	var ms []*model.Metric
	for _, id := range c.Metrics {
		ms = append(ms, r.site.Metric(id))
	}
	spec := &chart.Spec{ID: fmt.Sprintf("briefing-%d", n), Title: r.takeaway(n-1, c), Accent: r.accent(), Unit: ms[0].Unit, Format: r.format(ms[0]), Words: chartWords(r.theme.Messages())}
	fill, ok := briefCharts[c.Type]
	if !ok {
		return nil, fmt.Errorf("briefing chart %d: unknown type %q", n, c.Type)
	}
	table, text := fill(r, spec, c, ms)
	html, err := chart.Briefing(spec)
	if err != nil {
		return nil, err
	}
	return &ChartView{ID: spec.ID, HTML: html, Title: spec.Title, Subtitle: spec.Subtitle, Caption: text, Table: table}, nil
}

func (r *renderer) metricNames(ms []*model.Metric) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return listText(r.theme.Messages(), names)
}

// span writes a run of periods the way people say it: "Q1 2024 to Q3 2026".
func (r *renderer) span(from, to model.Period) string {
	if from == to || from.IsZero() {
		return r.period(to)
	}
	return r.tr("briefing_span", "from", r.period(from), "to", r.period(to))
}

func (r *renderer) partnerName(id string) string {
	if p := r.site.Partner(id); p != nil {
		return p.Name
	}
	return id
}

// briefLine is a time series from c.From to c.To with the target dashed
// (for one metric), as on the metric's own page.
func (r *renderer) briefLine(spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string) {
	spec.Kind = chart.Line
	spec.Subtitle = r.tr("briefing_line_subtitle", "metrics", r.metricNames(ms), "span", r.span(c.From, c.To))
	full := spec.Format
	if u := ms[0].Unit; u != "" && u != "%" && model.FormatValue(1, u) == "1 "+u {
		// A unit in words ("outbreaks") would crowd the labels beside the
		// chart; the subtitle names what is counted.
		spec.Unit = ""
		spec.Format = model.FormatNumber
	}
	var pers []model.Period
	for p := c.From; !c.To.Before(p) && len(pers) < 10000; p = p.Next() {
		pers = append(pers, p)
	}
	spec.Labels = r.labels(pers)
	var parts []string
	for _, m := range ms {
		vals := make([]*float64, len(pers))
		var first, last *model.Point
		for i, p := range pers {
			if pt, ok := m.At(p); ok {
				v := pt.Value
				vals[i] = &v
				if first == nil {
					first = &pt
				}
				last = &pt
			}
		}
		spec.Series = append(spec.Series, chart.Series{Name: m.Name, Values: vals})
		if first != nil {
			parts = append(parts, r.tr("briefing_from_to", "metric", m.Name,
				"first", model.FormatValue(first.Value, m.Unit), "first_period", r.period(first.Period),
				"last", model.FormatValue(last.Value, m.Unit), "last_period", r.period(last.Period)))
		}
	}
	if len(ms) == 1 {
		m := ms[0]
		spec.Target = m.Target
		if m.Baseline != nil {
			spec.Baseline = m.Baseline
		}
		if m.Target != nil {
			t := r.tr("briefing_target", "target", model.FormatValue(*m.Target, m.Unit))
			if !m.TargetDate.IsZero() {
				t = r.tr("briefing_target_by", "target", model.FormatValue(*m.Target, m.Unit), "date", r.period(m.TargetDate))
			}
			parts = append(parts, t)
		}
	}
	withUnits := *spec
	withUnits.Format = full
	return withUnits.DataTable(r.tr("briefing_col_period")), sentencesText(r.theme.Messages(), parts)
}

// partnerValue is one partner's value in a bar or share chart.
type partnerValue struct {
	name  string
	value float64
}

// partnerValues sums each partner's values over the periods from..to,
// largest first.
func (r *renderer) partnerValues(m *model.Metric, from, to model.Period) []partnerValue {
	var out []partnerValue
	for id, pts := range m.ByPartner {
		sum, found := 0.0, false
		for _, pt := range pts {
			if !pt.Period.Before(from) && !to.Before(pt.Period) {
				sum += pt.Value
				found = true
			}
		}
		if found {
			out = append(out, partnerValue{r.partnerName(id), sum})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].value != out[j].value {
			return out[i].value > out[j].value
		}
		return out[i].name < out[j].name
	})
	return out
}

// briefBar is one period of a metric by partner, largest first, from zero.
func (r *renderer) briefBar(spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string) {
	m := ms[0]
	spec.Kind = chart.HBar
	spec.Subtitle = r.tr("briefing_bar_subtitle", "metric", m.Name, "period", r.period(c.To))
	pv := r.partnerValues(m, c.To, c.To)
	t := chart.Table{Head: []string{r.tr("briefing_col_partner"), m.Name}}
	vals := make([]*float64, len(pv))
	var parts []string
	total := 0.0
	for i, p := range pv {
		v := p.value
		vals[i] = &v
		total += v
		spec.Labels = append(spec.Labels, p.name)
		t.Rows = append(t.Rows, []string{p.name, model.FormatValue(v, m.Unit)})
		parts = append(parts, r.tr("briefing_partner_value", "partner", p.name, "value", model.FormatValue(v, m.Unit)))
	}
	spec.Series = []chart.Series{{Name: m.Name, Values: vals}}
	text := r.tr("briefing_bar_caption", "metric", m.Name, "period", r.period(c.To), "values", listText(r.theme.Messages(), parts))
	if m.Unit != "%" {
		if tot, ok := m.At(c.To); ok {
			total = tot.Value
		}
		t.Rows = append(t.Rows, []string{r.tr("briefing_all_partners"), model.FormatValue(total, m.Unit)})
		text = r.tr("sentence_then", "text", text, "next", r.tr("briefing_bar_total", "total", model.FormatValue(total, m.Unit)))
	}
	return t, text
}

// briefShare is each partner's share of a metric's total over the periods,
// the largest four and the rest as "Others" when there are more than five.
func (r *renderer) briefShare(spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string) {
	m := ms[0]
	spec.Kind = chart.Share
	spec.Subtitle = r.tr("briefing_share_subtitle", "metric", m.Name, "span", r.span(c.From, c.To))
	pv := r.partnerValues(m, c.From, c.To)
	if len(pv) > chart.MaxShareParts {
		rest := partnerValue{name: r.tr("briefing_share_others", "count", len(pv)-(chart.MaxShareParts-1))}
		for _, p := range pv[chart.MaxShareParts-1:] {
			rest.value += p.value
		}
		pv = append(pv[:chart.MaxShareParts-1:chart.MaxShareParts-1], rest)
	}
	vals := make([]*float64, len(pv))
	for i, p := range pv {
		v := p.value
		vals[i] = &v
		spec.Labels = append(spec.Labels, p.name)
	}
	spec.Series = []chart.Series{{Name: m.Name, Values: vals}}
	shares, total := spec.Shares()
	t := chart.Table{Head: []string{r.tr("briefing_col_partner"), m.Name, r.tr("briefing_col_share")}}
	var parts []string
	for i, p := range pv {
		t.Rows = append(t.Rows, []string{p.name, model.FormatValue(p.value, m.Unit), model.FormatPercent(shares[i] / 100)})
		parts = append(parts, r.tr("briefing_partner_value", "partner", p.name, "value", model.FormatPercent(shares[i]/100)))
	}
	t.Rows = append(t.Rows, []string{r.tr("briefing_all_partners"), model.FormatValue(total, m.Unit), "100 %"})
	return t, r.tr("briefing_share_caption", "metric", m.Name, "span", r.span(c.From, c.To),
		"total", model.FormatValue(total, m.Unit), "values", listText(r.theme.Messages(), parts))
}

// briefProgress is each metric's progress from baseline to target, in
// percent, at c.To or at each metric's latest period.
func (r *renderer) briefProgress(spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string) {
	spec.Kind = chart.Progress
	spec.Unit = "%"
	spec.Format = func(v float64) string { return model.FormatPercent(v / 100) }
	when := r.tr("briefing_progress_latest")
	if !c.To.IsZero() {
		when = r.period(c.To)
	}
	spec.Subtitle = r.tr("briefing_progress_subtitle", "when", when)
	t := chart.Table{Head: []string{r.tr("briefing_col_metric"), r.tr("briefing_col_value"), r.tr("briefing_col_baseline"), r.tr("briefing_col_target"), r.tr("briefing_col_progress")}}
	vals := make([]*float64, len(ms))
	var parts []string
	for i, m := range ms {
		pt, ok := m.Latest()
		if !c.To.IsZero() {
			pt, ok = m.At(c.To)
		}
		base, _ := m.BaselineValue()
		spec.Labels = append(spec.Labels, m.Name)
		if !ok || m.Target == nil || *m.Target == base {
			continue
		}
		p := (pt.Value - base) / (*m.Target - base) * 100
		vals[i] = &p
		target := model.FormatValue(*m.Target, m.Unit)
		if !m.TargetDate.IsZero() {
			target = r.tr("briefing_value_by", "value", target, "date", r.period(m.TargetDate))
		}
		t.Rows = append(t.Rows, []string{m.Name, model.FormatValue(pt.Value, m.Unit) + " (" + r.period(pt.Period) + ")",
			model.FormatValue(base, m.Unit), target, model.FormatPercent(p / 100)})
		parts = append(parts, r.tr("briefing_progress_part", "metric", m.Name, "progress", model.FormatPercent(math.Round(p)/100),
			"value", model.FormatValue(pt.Value, m.Unit), "target", model.FormatValue(*m.Target, m.Unit)))
	}
	spec.Series = []chart.Series{{Name: r.tr("briefing_progress_series"), Values: vals}}
	return t, r.tr("briefing_progress_caption", "values", partsText(r.theme.Messages(), parts))
}

// briefBeforeAfter sets the value at c.From beside the value at c.To: for
// one metric two bars, with its target dashed; for several, a pair each.
func (r *renderer) briefBeforeAfter(spec *chart.Spec, c *model.BriefingChart, ms []*model.Metric) (chart.Table, string) {
	spec.Kind = chart.BeforeAfter
	spec.Subtitle = r.tr("briefing_before_after_subtitle", "metrics", r.metricNames(ms), "from", r.period(c.From), "to", r.period(c.To))
	t := chart.Table{Head: []string{r.tr("briefing_col_metric"), r.period(c.From), r.period(c.To), r.tr("briefing_col_change")}}
	value := func(m *model.Metric, p model.Period) *float64 {
		if pt, ok := m.At(p); ok {
			v := pt.Value
			return &v
		}
		return nil
	}
	var parts []string
	for _, m := range ms {
		a, b := value(m, c.From), value(m, c.To)
		if a == nil || b == nil {
			continue
		}
		t.Rows = append(t.Rows, []string{m.Name, model.FormatValue(*a, m.Unit), model.FormatValue(*b, m.Unit), r.theme.Messages().String(model.ChangeMessage(*b-*a, m.Unit))})
		parts = append(parts, r.tr("briefing_from_to", "metric", m.Name, "first", model.FormatValue(*a, m.Unit), "first_period", r.period(c.From),
			"last", model.FormatValue(*b, m.Unit), "last_period", r.period(c.To)))
	}
	if len(ms) == 1 {
		m := ms[0]
		spec.Labels = []string{r.period(c.From), r.period(c.To)}
		spec.Series = []chart.Series{{Name: m.Name, Values: []*float64{value(m, c.From), value(m, c.To)}}}
		spec.Target = m.Target
		if m.Target != nil {
			parts = append(parts, r.tr("briefing_target", "target", model.FormatValue(*m.Target, m.Unit)))
		}
	} else {
		before, after := make([]*float64, len(ms)), make([]*float64, len(ms))
		for i, m := range ms {
			spec.Labels = append(spec.Labels, m.Name)
			before[i], after[i] = value(m, c.From), value(m, c.To)
		}
		spec.Series = []chart.Series{{Name: r.period(c.From), Values: before}, {Name: r.period(c.To), Values: after}}
	}
	return t, sentencesText(r.theme.Messages(), parts)
}
