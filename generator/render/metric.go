package render

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

// maxTableRows is the most rows a metric's tables show period by period.
// A longer series is shown by quarter, or by year if that is still too
// long, so that a metric page stays small whatever the series' length; the
// full data is in the page's data.csv.
const maxTableRows = 40

// coarser returns the period that holds p at granularity k (a quarter or
// a year), or p when p is already as coarse.
func coarser(p model.Period, k model.PeriodKind) model.Period {
	if p.Kind <= k {
		return p
	}
	switch k {
	case model.Year:
		return model.Period{Kind: model.Year, Y: p.Y}
	case model.Quarter:
		if p.Kind == model.Month || p.Kind == model.Day {
			return model.Period{Kind: model.Quarter, Y: p.Y, N: (p.N-1)/3 + 1}
		}
	}
	return p
}

// tableGrain returns the granularity a table of these periods is shown at:
// NoPeriod (as they are) when there are at most maxTableRows of them,
// otherwise the finest of quarter and year that gives at most that many
// rows (year when even years are too many).
func tableGrain(pers []model.Period) model.PeriodKind {
	if len(pers) <= maxTableRows {
		return model.NoPeriod
	}
	for _, k := range []model.PeriodKind{model.Quarter, model.Year} {
		seen := map[model.Period]bool{}
		for _, p := range pers {
			seen[coarser(p, k)] = true
		}
		if len(seen) <= maxTableRows || k == model.Year {
			return k
		}
	}
	return model.Year
}

// grainWord names a granularity for a table's note.
func grainWord(msgs *i18n.Catalogue, k model.PeriodKind) string {
	if k == model.Year {
		return msgs.S("grain_year")
	}
	return msgs.S("grain_quarter")
}

// grainTitle is the first column's heading of a coarse chart table.
func grainTitle(msgs *i18n.Catalogue, k model.PeriodKind) string {
	if k == model.Year {
		return msgs.S("grain_year_title")
	}
	return msgs.S("grain_quarter_title")
}

// coarseRows returns a metric's table rows, newest first, one per quarter
// or year: the value at the end of the period (its last value), the change
// from the previous row's, and how many values the period holds and their
// range.
func coarseRows(msgs *i18n.Catalogue, m *model.Metric, k model.PeriodKind) []MetricRow {
	type group struct {
		p            model.Period
		last, lo, hi float64
		n            int
	}
	var gs []*group
	for _, pt := range m.Series {
		c := coarser(pt.Period, k)
		if len(gs) == 0 || gs[len(gs)-1].p != c {
			gs = append(gs, &group{p: c, lo: pt.Value, hi: pt.Value})
		}
		g := gs[len(gs)-1]
		g.last, g.n = pt.Value, g.n+1
		g.lo, g.hi = min(g.lo, pt.Value), max(g.hi, pt.Value)
	}
	var rows []MetricRow
	for i := len(gs) - 1; i >= 0; i-- {
		g := gs[i]
		row := MetricRow{Period: periodText(msgs, g.p), Value: model.FormatValue(g.last, m.Unit)}
		if i > 0 {
			row.Change = msgs.String(model.ChangeMessage(g.last-gs[i-1].last, m.Unit))
		}
		if g.n > 1 {
			row.Note = fmt.Sprintf("%d values, %s to %s", g.n, model.FormatValue(g.lo, m.Unit), model.FormatValue(g.hi, m.Unit))
		}
		rows = append(rows, row)
	}
	return rows
}

// coarseTable shows a chart's table at granularity k: each series' last
// value in each quarter or year.
func coarseTable(msgs *i18n.Catalogue, first string, spec *chart.Spec, pers []model.Period, k model.PeriodKind) chart.Table {
	t := chart.Table{Head: []string{first}}
	for _, se := range spec.Series {
		t.Head = append(t.Head, se.Name)
	}
	format := model.FormatNumber
	if spec.Format != nil {
		format = spec.Format
	}
	// A row shows each series' last value in its period: only that one
	// is written (a daily series has 90 a quarter).
	var row []string
	last := make([]int, len(spec.Series)) // the index of the value the row shows, or -1
	end := func() {
		for si, i := range last {
			if i >= 0 {
				row[si+1] = format(*spec.Series[si].Values[i])
			}
		}
		t.Rows = append(t.Rows, row)
	}
	var cur model.Period
	for i, p := range pers {
		c := coarser(p, k)
		if row == nil || c != cur {
			if row != nil {
				end()
			}
			cur, row = c, []string{periodText(msgs, c)}
			for si := range spec.Series {
				row = append(row, "–")
				last[si] = -1
			}
		}
		for si, se := range spec.Series {
			if i < len(se.Values) && se.Values[i] != nil {
				last[si] = i
			}
		}
	}
	if row != nil {
		end()
	}
	return t
}

// cell makes a text field safe to open in a spreadsheet: one that begins
// like a formula (=, +, -, @, a tab or a carriage return) gets a leading
// apostrophe, so that it stays text (OWASP's advice on CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// metricCSV is every value of a metric as CSV: the totals (partner empty),
// then each partner's values, sorted by partner id, oldest first. Text
// fields go through cell.
func metricCSV(m *model.Metric) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"period", "partner", "value", "unit", "note"})
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, p := range m.Series {
		w.Write([]string{p.Period.String(), "", num(p.Value), cell(m.Unit), cell(p.Note)})
	}
	ids := make([]string, 0, len(m.ByPartner))
	for id := range m.ByPartner {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, p := range m.ByPartner[id] {
			w.Write([]string{p.Period.String(), cell(id), num(p.Value), cell(m.Unit), cell(p.Note)})
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// MetricView is a metric's own page.
type MetricView struct {
	Metric    *model.Metric
	Tile      MetricTile
	Chart     *ChartView
	Partners  *ChartView // per-partner breakdown, when observations carry partners
	Rows      []MetricRow
	Grain     string // "quarter" or "year" when Rows are by a coarser period than the data's; "" otherwise
	CSV       string // the path of the metric's full data as CSV
	Stories   []*StoryCard
	Target    string
	Baseline  string
	TargetBy  string
	Direction string
}

// MetricRow is one row of a metric's data table.
type MetricRow struct {
	Period string
	Value  string
	Change string
	Note   string
}

// metricJobs adds the jobs of every metric's page.
func (r *renderer) metricJobs(add addJob) {
	for _, m := range r.site.Metrics {
		m := m
		add("/metrics/"+m.ID+"/", func() error { return r.metric(m) })
	}
}

func (r *renderer) metric(m *model.Metric) error {
	v := &MetricView{Metric: m, Tile: r.tile(m), Direction: r.tr("metric_higher_better")}
	if m.Down {
		v.Direction = r.tr("metric_lower_better")
	}
	if m.Target != nil {
		v.Target = model.FormatValue(*m.Target, m.Unit)
	}
	if b, ok := m.BaselineValue(); ok {
		v.Baseline = model.FormatValue(b, m.Unit)
	}
	if !m.TargetDate.IsZero() {
		v.TargetBy = r.period(m.TargetDate)
	}
	var err error
	if v.Chart, err = r.metricChart(m, "chart-"+m.ID); err != nil {
		return err
	}
	if v.Partners, err = r.partnerChart(m, "chart-"+m.ID+"-partners"); err != nil {
		return err
	}
	pers := make([]model.Period, len(m.Series))
	for i, p := range m.Series {
		pers[i] = p.Period
	}
	v.CSV = "/metrics/" + m.ID + "/data.csv"
	csvData, err := metricCSV(m)
	if err != nil {
		return err
	}
	if err := r.file("metrics/"+m.ID+"/data.csv", csvData); err != nil {
		return err
	}
	if k := tableGrain(pers); k != model.NoPeriod {
		v.Grain, v.Rows = grainWord(r.theme.Messages(), k), coarseRows(r.theme.Messages(), m, k)
	}
	for i := len(m.Series) - 1; i >= 0 && v.Grain == ""; i-- {
		p := m.Series[i]
		row := MetricRow{Period: r.period(p.Period), Value: model.FormatValue(p.Value, m.Unit), Note: p.Note}
		if i > 0 {
			row.Change = r.theme.Messages().String(model.ChangeMessage(p.Value-m.Series[i-1].Value, m.Unit))
		}
		v.Rows = append(v.Rows, row)
	}
	v.Stories = r.cards(r.citedBy[m.ID])
	return r.page("metric", &Page{Title: m.Name, Description: r.tr("label_detail", "label", m.Name, "detail", takeaway(r.theme.Messages(), m)), Path: "/metrics/" + m.ID + "/", Section: "scorecard", Metric: v, Charts: true})
}
