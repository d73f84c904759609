package render

import (
	"html/template"
	"sort"
	"strings"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

// ChartView is a chart with what surrounds it: the takeaway as its title,
// the metric as subtitle, a caption with the key figure, and the data
// table for screen readers and readers without JavaScript.
type ChartView struct {
	ID       string
	HTML     template.HTML
	Title    string
	Subtitle string
	Caption  string
	Table    chart.Table
}

// ChartCtx passes a chart and the relative root to the "chart" partial.
type ChartCtx struct {
	Root  string
	Chart *ChartView
}

func (r *renderer) accent() string {
	if a := r.site.Config.Accent; a != "" {
		return a
	}
	return chart.Palette[0]
}

// seriesValues returns a metric's values over its periods, with missing
// periods of the same kind filled in as gaps.
func seriesValues(m *model.Metric) ([]*float64, []model.Period) {
	return fillGaps(m.Series)
}

func fillGaps(pts []model.Point) ([]*float64, []model.Period) {
	if len(pts) == 0 {
		return nil, nil
	}
	kind := pts[0].Period.Kind
	same := true
	for _, p := range pts {
		if p.Period.Kind != kind {
			same = false
		}
	}
	// The values live in one array: a daily series has thousands.
	backing := make([]float64, len(pts))
	for i, p := range pts {
		backing[i] = p.Value
	}
	if !same || kind == model.Day {
		vals := make([]*float64, len(pts))
		pers := make([]model.Period, len(pts))
		for i, p := range pts {
			vals[i], pers[i] = &backing[i], p.Period
		}
		return vals, pers
	}
	vals := make([]*float64, 0, len(pts))
	pers := make([]model.Period, 0, len(pts))
	i := 0
	for per := pts[0].Period; i < len(pts) && len(pers) < 10000; per = per.Next() {
		pers = append(pers, per)
		if pts[i].Period == per {
			vals = append(vals, &backing[i])
			i++
		} else {
			vals = append(vals, nil)
		}
	}
	return vals, pers
}

// labels are the periods' labels in the site's language (periodText),
// each period's text written once per build: 50 metrics of 4,000 daily
// values wrote 200,000 labels through the message catalogue (5 % of the
// build's CPU time) for 4,000 days.
func (r *renderer) labels(pers []model.Period) []string {
	out := make([]string, len(pers))
	for i, p := range pers {
		if t, ok := r.periodTexts.Load(p); ok {
			out[i] = t.(string)
			continue
		}
		out[i] = r.period(p)
		r.periodTexts.Store(p, out[i])
	}
	return out
}

// Takeaway states a metric's latest standing as one claim, without the
// metric's name: "82.6 % in Q3 2026, 7.4 points short of the 90 % target".
// Takeaway writes it in English; the renderer writes it in the site's
// language (takeaway).
func Takeaway(m *model.Metric) string { return takeaway(english(), m) }

// TakeawayIn is Takeaway in the language of msgs (a theme's Messages).
func TakeawayIn(msgs *i18n.Catalogue, m *model.Metric) string { return takeaway(msgs, m) }

func takeaway(msgs *i18n.Catalogue, m *model.Metric) string {
	l, ok := m.Latest()
	if !ok {
		return msgs.S("chart_no_data")
	}
	value := i18n.M("takeaway_value", "value", model.FormatValue(l.Value, m.Unit), "period", periodText(msgs, l.Period))
	if gap, ok := gapMessage(m, l.Value); ok {
		return msgs.S("takeaway_gap", "value", value, "gap", gap)
	}
	return msgs.String(value)
}

// gapMessage is where value v of m stands against its target, as a
// message: takeaway_reached, takeaway_short or takeaway_above; false
// without a target.
func gapMessage(m *model.Metric, v float64) (i18n.Message, bool) {
	if m.Target == nil {
		return i18n.Message{}, false
	}
	gap := *m.Target - v
	reached := gap <= 0
	if m.Down {
		reached = gap >= 0
	}
	key := "takeaway_short"
	if m.Down {
		key = "takeaway_above"
	}
	if reached {
		return i18n.M("takeaway_reached"), true
	}
	return i18n.M(key, "gap", model.AmountMessage(gap, m.Unit), "target", model.FormatValue(*m.Target, m.Unit)), true
}

// chartWords are the words charts draw, from the catalogue.
func chartWords(msgs *i18n.Catalogue) chart.Words {
	return chart.Words{Target: msgs.S("chart_target"), Baseline: msgs.S("chart_baseline"), NoData: msgs.S("chart_no_data"),
		LabelValue: func(label, value string) string { return msgs.S("label_detail", "label", label, "detail", value) },
		Pair:       func(a, b string) string { return msgs.S("words_join_list", "list", a, "name", b) },
		Aria: func(title, subtitle string) string {
			if !strings.HasSuffix(title, ".") && !strings.HasSuffix(title, "!") && !strings.HasSuffix(title, "?") {
				title = msgs.S("sentence", "text", title)
			}
			return msgs.S("sentence_then", "text", title, "next", subtitle)
		}}
}

func (r *renderer) format(m *model.Metric) func(float64) string {
	return func(v float64) string { return model.FormatValue(v, m.Unit) }
}

// metricChart is a metric's time series with target and baseline.
func (r *renderer) metricChart(m *model.Metric, id string) (*ChartView, error) {
	vals, pers := seriesValues(m)
	spec := &chart.Spec{ID: id, Kind: chart.Line, Title: takeaway(r.theme.Messages(), m), Subtitle: m.Name, Unit: m.Unit,
		Labels: r.labels(pers), Series: []chart.Series{{Name: m.Name, Values: vals}},
		Target: m.Target, Accent: r.accent(), Format: r.format(m), Words: chartWords(r.theme.Messages())}
	if b, ok := m.BaselineValue(); ok && m.Baseline != nil {
		spec.Baseline = &b
	}
	html, err := chart.Web(spec, 320)
	if err != nil {
		return nil, err
	}
	cv := &ChartView{ID: id, HTML: html, Title: spec.Title, Subtitle: m.Name}
	if k := tableGrain(pers); k != model.NoPeriod {
		cv.Table = coarseTable(r.theme.Messages(), grainTitle(r.theme.Messages(), k), spec, pers, k)
	} else {
		cv.Table = spec.DataTable(r.tr("partner_col_period"))
	}
	cv.Caption = caption(r.theme.Messages(), m)
	return cv, nil
}

func caption(msgs *i18n.Catalogue, m *model.Metric) string {
	l, ok := m.Latest()
	if !ok {
		return msgs.S("caption_no_data")
	}
	s := msgs.S("caption_latest", "value", model.FormatValue(l.Value, m.Unit), "period", periodText(msgs, l.Period))
	if b, ok := m.BaselineValue(); ok {
		s += msgs.S("caption_baseline", "value", model.FormatValue(b, m.Unit))
	}
	if m.Target != nil {
		if !m.TargetDate.IsZero() {
			s += msgs.S("caption_target_by", "value", model.FormatValue(*m.Target, m.Unit), "date", periodText(msgs, m.TargetDate))
		} else {
			s += msgs.S("caption_target", "value", model.FormatValue(*m.Target, m.Unit))
		}
	}
	return s
}

// partnerChart breaks a metric down by partner: the five largest partners
// by total as lines, the rest summed as "Other partners".
func (r *renderer) partnerChart(m *model.Metric, id string) (*ChartView, error) {
	if len(m.ByPartner) == 0 {
		return nil, nil
	}
	type tot struct {
		id  string
		sum float64
	}
	var tots []tot
	perSet := map[model.Period]bool{}
	for pid, pts := range m.ByPartner {
		t := tot{id: pid}
		for _, p := range pts {
			t.sum += p.Value
			perSet[p.Period] = true
		}
		tots = append(tots, t)
	}
	sort.Slice(tots, func(i, j int) bool {
		if tots[i].sum != tots[j].sum {
			return tots[i].sum > tots[j].sum
		}
		return tots[i].id < tots[j].id
	})
	var pers []model.Period
	for p := range perSet {
		pers = append(pers, p)
	}
	sort.Slice(pers, func(i, j int) bool { return pers[i].Before(pers[j]) })
	index := map[model.Period]int{}
	for i, p := range pers {
		index[p] = i
	}
	spec := &chart.Spec{ID: id, Kind: chart.Line, Unit: m.Unit, Labels: r.labels(pers), Accent: r.accent(), Format: r.format(m), Words: chartWords(r.theme.Messages())}
	add := func(name string, ids []string) {
		vals := make([]*float64, len(pers))
		for _, pid := range ids {
			for _, p := range m.ByPartner[pid] {
				i := index[p.Period]
				if vals[i] == nil {
					vals[i] = new(float64)
				}
				*vals[i] += p.Value
			}
		}
		spec.Series = append(spec.Series, chart.Series{Name: name, Values: vals})
	}
	for i, t := range tots {
		if i == 4 && len(tots) > 5 {
			var rest []string
			for _, o := range tots[4:] {
				rest = append(rest, o.id)
			}
			add(r.tr("chart_other_partners"), rest)
			break
		}
		name := t.id
		if p := r.site.Partner(t.id); p != nil {
			name = p.Name
		}
		add(name, []string{t.id})
	}
	spec.Title = r.tr("chart_by_partner", "metric", m.Name)
	spec.Subtitle = m.Name
	html, err := chart.Web(spec, 340)
	if err != nil {
		return nil, err
	}
	cv := &ChartView{ID: id, HTML: html, Title: spec.Title, Subtitle: m.Name,
		Caption: r.tr("chart_partners_report", len(tots))}
	if k := tableGrain(pers); k != model.NoPeriod {
		cv.Table = coarseTable(r.theme.Messages(), grainTitle(r.theme.Messages(), k), spec, pers, k)
	} else {
		cv.Table = spec.DataTable(r.tr("partner_col_period"))
	}
	return cv, nil
}
