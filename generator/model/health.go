package model

import (
	"math"
	"sort"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// Health returns warnings about the site that do not stop a build: what is
// held back and why, and the health of the metric data: metrics with no
// value for the latest period of their kind, gaps inside a series, values
// far outside a series' usual range, metrics without a target, and targets
// whose date has passed.
func Health(s *Site) diag.List {
	var w diag.List
	for _, st := range s.Held {
		for _, why := range st.Held {
			w.Warnf(diag.Pos{File: st.Path, Line: 1}, "held back: %s", why)
		}
	}
	if share, joined, left, base := s.Turnover(s.Now); share > RelaunchThreshold {
		w.Warnf(diag.Pos{File: "data/partners.yaml", Line: 1}, "in the last twelve months %s joined and %d left, a turnover of %s of the %d members a year ago: the team is due for a relaunch",
			partners(joined), left, FormatPercent(share), base).WithHint("past %s turnover, hold a relaunch: realign on purpose, roles and ways of working with the new team", FormatPercent(RelaunchThreshold))
	}
	latest := map[PeriodKind]Period{}
	for _, m := range s.Metrics {
		if l, ok := m.Latest(); ok {
			if cur, ok := latest[l.Period.Kind]; !ok || cur.Before(l.Period) {
				latest[l.Period.Kind] = l.Period
			}
		}
	}
	for _, m := range s.Metrics {
		l, ok := m.Latest()
		if !ok {
			w.Warnf(m.Pos, "metric %q has no observations", m.ID).WithHint("add values under data/observations/")
			continue
		}
		if want := latest[l.Period.Kind]; l.Period != want {
			w.Warnf(m.Pos, "metric %q has no value for %s, the latest period in the data (its latest is %s)", m.ID, want, l.Period)
		}
		for _, g := range Gaps(m) {
			w.Warnf(m.Pos, "metric %q has no value for %s, between values before and after it", m.ID, g)
		}
		for _, p := range Outliers(m) {
			w.Warnf(p.Pos, "%s for %s is %s, far outside the series' usual range; check for a typo", m.ID, p.Period, FormatValue(p.Value, m.Unit))
		}
		if m.Target == nil {
			w.Warnf(m.Pos, "metric %q has no target", m.ID).WithHint("a target lets the scorecard show progress and status")
		} else if m.TargetPassed(s.Now) {
			w.Warnf(m.Pos, "the target date of %q (%s) has passed", m.ID, m.TargetDate).WithHint("set a new target and target_date, or retire the metric")
		}
	}
	if len(s.Metrics) > 0 {
		has := map[Perspective]bool{}
		for _, m := range s.Metrics {
			has[m.Perspective] = true
		}
		for _, p := range Perspectives {
			if !has[p] {
				w.Warnf(diag.Pos{File: "data/metrics.csv", Line: 1}, "no metric has the perspective %s: the scorecard leaves out its row", p).
					WithHint("a balanced scorecard has at least one metric in each of impact, partnership, finance and learning")
			}
		}
	}
	return w
}

// Gaps returns the periods missing inside a metric's series, when the
// series uses one kind of period.
func Gaps(m *Metric) []Period {
	if len(m.Series) < 2 {
		return nil
	}
	kind := m.Series[0].Period.Kind
	for _, p := range m.Series {
		if p.Period.Kind != kind || kind == Day {
			return nil
		}
	}
	var gaps []Period
	for i := 1; i < len(m.Series); i++ {
		for p := m.Series[i-1].Period.Next(); p != m.Series[i].Period && len(gaps) < 100; p = p.Next() {
			gaps = append(gaps, p)
		}
	}
	return gaps
}

// Outliers returns the points that lie far outside the rest of the series:
// more than three interquartile ranges beyond the quartiles. Series with
// fewer than six values are not judged.
func Outliers(m *Metric) []Point {
	n := len(m.Series)
	if n < 6 {
		return nil
	}
	vals := make([]float64, n)
	for i, p := range m.Series {
		vals[i] = p.Value
	}
	sort.Float64s(vals)
	q1, q3 := quantile(vals, 0.25), quantile(vals, 0.75)
	iqr := q3 - q1
	if iqr == 0 {
		iqr = math.Max(math.Abs(q3)*0.1, 1e-9)
	}
	lo, hi := q1-3*iqr, q3+3*iqr
	var out []Point
	for _, p := range m.Series {
		if p.Value < lo || p.Value > hi {
			out = append(out, p)
		}
	}
	return out
}

func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}

func partners(n int) string {
	if n == 1 {
		return "1 partner"
	}
	return FormatNumber(float64(n)) + " partners"
}
