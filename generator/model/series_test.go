package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// seriesByMaps is Site.series as it was before it sorted indexes, with a
// map for every metric, partner and period: the reference that
// TestSeriesAsByMaps holds the sorting version to.
func seriesByMaps(s *Site, obs []Observation, errs *diag.List) {
	type key struct {
		metric, partner string
		period          Period
	}
	seen := make(map[key]diag.Pos, len(obs))
	totals := map[string]map[Period]*Point{}
	sums := map[string]map[Period]*Point{}
	byPartner := map[string]map[string][]Point{}
	for i := range obs {
		o := &obs[i]
		if s.metricByID[o.Metric] == nil {
			continue
		}
		k := key{o.Metric, o.Partner, o.Period}
		if prev, dup := seen[k]; dup {
			who := ""
			if o.Partner != "" {
				who = " for " + o.Partner
			}
			errs.Errorf(o.Pos, "%s has a second value for %s%s (the first is at %s)", o.Metric, o.Period, who, prev).
				WithHint("keep one value per metric, period and partner")
			continue
		}
		seen[k] = o.Pos
		if o.Partner != "" && s.partnerByID[o.Partner] == nil {
			e := errs.Errorf(o.Pos, "partner %q is not in data/partners.yaml", o.Partner)
			if h := diag.Suggest(o.Partner, keys(s.partnerByID)); h != "" {
				e.WithHint("did you mean %q?", h)
			}
			continue
		}
		if s.LatestPeriod.IsZero() || s.LatestPeriod.Before(o.Period) {
			s.LatestPeriod = o.Period
		}
		if o.Partner == "" {
			if totals[o.Metric] == nil {
				totals[o.Metric] = map[Period]*Point{}
			}
			totals[o.Metric][o.Period] = &Point{Period: o.Period, Value: o.Value, Note: o.Note, Pos: o.Pos}
			continue
		}
		if byPartner[o.Metric] == nil {
			byPartner[o.Metric] = map[string][]Point{}
			sums[o.Metric] = map[Period]*Point{}
		}
		byPartner[o.Metric][o.Partner] = append(byPartner[o.Metric][o.Partner], Point{Period: o.Period, Value: o.Value, Note: o.Note, Pos: o.Pos})
		if p := sums[o.Metric][o.Period]; p != nil {
			p.Value += o.Value
		} else {
			sums[o.Metric][o.Period] = &Point{Period: o.Period, Value: o.Value, Pos: o.Pos}
		}
	}
	for _, m := range s.Metrics {
		merged := map[Period]*Point{}
		for p, pt := range sums[m.ID] {
			merged[p] = pt
		}
		for p, pt := range totals[m.ID] {
			merged[p] = pt
		}
		m.Series = make([]Point, 0, len(merged))
		for _, pt := range merged {
			m.Series = append(m.Series, *pt)
		}
		sortPoints(m.Series)
		if bp := byPartner[m.ID]; len(bp) > 0 {
			m.ByPartner = bp
			for _, pts := range bp {
				sortPoints(pts)
			}
		}
	}
}

// TestSeriesAsByMaps checks on random observations (second values, unknown
// metrics and partners, totals and partners' values of the same periods,
// periods of every kind, values whose sums depend on the order they are
// added in) that Site.series gives the series, partners' series, latest
// period and problems, in the same order, that seriesByMaps does.
func TestSeriesAsByMaps(t *testing.T) {
	var periods []Period
	for _, text := range []string{"2024", "2025", "2025-Q1", "2025-Q2", "2025-01", "2025-02", "2025-03", "2025-01-01", "2025-01-02", "2025-03-31", "2025-W02"} {
		if p, err := ParsePeriod(text); err == nil {
			periods = append(periods, p)
		}
	}
	metrics := []string{"a", "b", "c", "zz"}             // zz is not a metric
	partners := []string{"", "", "p1", "p2", "p3", "px"} // px is not a partner
	values := []float64{0.1, 0.2, 0.3, 1e16, 1, -2.5, 1.0 / 3}
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		in := &Input{
			Metrics:  []*Metric{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "empty"}},
			Partners: []*Partner{{ID: "p1", Name: "One"}, {ID: "p2", Name: "Two"}, {ID: "p3", Name: "Three"}},
		}
		for i := range r.IntN(300) {
			in.Observations = append(in.Observations, Observation{
				Metric: metrics[r.IntN(len(metrics))], Partner: partners[r.IntN(len(partners))],
				Period: periods[r.IntN(len(periods))], Value: values[r.IntN(len(values))],
				Note: fmt.Sprint("note ", i%3), Pos: diag.Pos{File: "data/observations/x.csv", Line: i + 2},
			})
		}
		s, _ := New(in, Options{})
		run := func(f func(*Site, []Observation, *diag.List)) (series map[string][]Point, parts map[string]map[string][]Point, latest Period, errs []string) {
			for _, m := range s.Metrics {
				m.Series, m.ByPartner = nil, nil
			}
			s.LatestPeriod = Period{}
			var l diag.List
			f(s, in.Observations, &l)
			series, parts = map[string][]Point{}, map[string]map[string][]Point{}
			for _, m := range s.Metrics {
				series[m.ID], parts[m.ID] = m.Series, m.ByPartner
			}
			for _, e := range l {
				errs = append(errs, e.Error())
			}
			return series, parts, s.LatestPeriod, errs
		}
		ws, wp, wl, we := run(seriesByMaps)
		gs, gp, gl, ge := run((*Site).series)
		if !reflect.DeepEqual(gs, ws) || !reflect.DeepEqual(gp, wp) || gl != wl || !reflect.DeepEqual(ge, we) {
			t.Fatalf("seed %d: series differ from seriesByMaps'\n got %v\n%v\n%v\n%q\nwant %v\n%v\n%v\n%q", seed, gs, gp, gl, ge, ws, wp, wl, we)
		}
	}
}

// BenchmarkSeries groups 50 metrics × 4,000 daily values, without
// partners, with Site.series ("sorted") and with seriesByMaps, as it was.
func BenchmarkSeries(b *testing.B) {
	in := &Input{}
	day, _ := ParsePeriod("2015-01-01")
	for m := range 50 {
		id := fmt.Sprintf("m%03d", m)
		in.Metrics = append(in.Metrics, &Metric{ID: id})
		p := day
		for i := range 4000 {
			in.Observations = append(in.Observations, Observation{Metric: id, Period: p, Value: float64(i), Pos: diag.Pos{File: "data/observations/obs.csv", Line: len(in.Observations) + 2}})
			p = p.Next()
		}
	}
	s, _ := New(in, Options{})
	for _, bc := range []struct {
		name string
		f    func(*Site, []Observation, *diag.List)
	}{{"sorted", (*Site).series}, {"maps", seriesByMaps}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var errs diag.List
				bc.f(s, in.Observations, &errs)
			}
		})
	}
}
