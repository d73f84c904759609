package model

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

func num(v float64) *float64 { return &v }

// series builds points from "period=value" pairs, oldest first.
func series(t testing.TB, pairs ...string) []Point {
	t.Helper()
	var out []Point
	for _, pv := range pairs {
		p, v, _ := strings.Cut(pv, "=")
		x, err := ParseNumber(v, false)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Point{Period: mustPeriod(t, p), Value: x})
	}
	return out
}

func TestMetricPoints(t *testing.T) {
	m := &Metric{Series: series(t, "2026-Q1=10", "2026-Q2=12", "2026-Q3=15")}
	if p, ok := m.Latest(); !ok || p.Value != 15 {
		t.Errorf("Latest() = %v, %v", p, ok)
	}
	if p, ok := m.Previous(); !ok || p.Value != 12 {
		t.Errorf("Previous() = %v, %v", p, ok)
	}
	if p, ok := m.At(mustPeriod(t, "2026-Q1")); !ok || p.Value != 10 {
		t.Errorf("At(2026-Q1) = %v, %v", p, ok)
	}
	if _, ok := m.At(mustPeriod(t, "2026-Q4")); ok {
		t.Error("At(2026-Q4) found a point")
	}
	one := &Metric{Series: series(t, "2026=1")}
	if _, ok := one.Previous(); ok {
		t.Error("Previous() of a one-point series found a point")
	}
	empty := &Metric{}
	if _, ok := empty.Latest(); ok {
		t.Error("Latest() of an empty series found a point")
	}
}

func TestMetricBaselineValue(t *testing.T) {
	tests := []struct {
		name   string
		m      Metric
		want   float64
		wantOK bool
	}{
		{"from metrics.csv", Metric{Baseline: num(71), Series: series(t, "2025=60")}, 71, true},
		{"zero baseline is a baseline", Metric{Baseline: num(0), Series: series(t, "2025=60")}, 0, true},
		{"falls back to the first value", Metric{Series: series(t, "2024=60", "2025=65")}, 60, true},
		{"none", Metric{}, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.m.BaselineValue()
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: BaselineValue() = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestMetricGood(t *testing.T) {
	up, down := &Metric{}, &Metric{Down: true}
	if !up.Good(1) || up.Good(-1) || up.Good(0) {
		t.Error("up metric: rising should be good, falling and flat not")
	}
	if !down.Good(-1) || down.Good(1) || down.Good(0) {
		t.Error("down metric: falling should be good, rising and flat not")
	}
}

func TestMetricProgress(t *testing.T) {
	tests := []struct {
		name   string
		m      Metric
		want   float64
		wantOK bool
	}{
		{"up, half way", Metric{Baseline: num(70), Target: num(90), Series: series(t, "2026=80")}, 0.5, true},
		{"up, reached", Metric{Baseline: num(70), Target: num(90), Series: series(t, "2026=90")}, 1, true},
		{"up, beyond", Metric{Baseline: num(70), Target: num(90), Series: series(t, "2026=100")}, 1.5, true},
		{"up, fell back", Metric{Baseline: num(70), Target: num(90), Series: series(t, "2026=60")}, -0.5, true},
		{"down, half way", Metric{Down: true, Baseline: num(14), Target: num(5), Series: series(t, "2026=9.5")}, 0.5, true},
		{"down, worse", Metric{Down: true, Baseline: num(14), Target: num(5), Series: series(t, "2026=23")}, -1, true},
		{"down to zero", Metric{Down: true, Baseline: num(3), Target: num(0), Series: series(t, "2026=0")}, 1, true},
		{"baseline from first value", Metric{Target: num(100), Series: series(t, "2025=50", "2026=75")}, 0.5, true},
		{"uses the latest value", Metric{Baseline: num(0), Target: num(10), Series: series(t, "2025=9", "2026=2")}, 0.2, true},
		{"no target", Metric{Baseline: num(70), Series: series(t, "2026=80")}, 0, false},
		{"no data", Metric{Baseline: num(70), Target: num(90)}, 0, false},
		{"target equals baseline", Metric{Baseline: num(5), Target: num(5), Series: series(t, "2026=6")}, 0, false},
		{"only point is the baseline", Metric{Target: num(5), Series: series(t, "2026=5")}, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.m.Progress()
		if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Progress() = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestMetricExpected(t *testing.T) {
	tests := []struct {
		name string
		m    Metric
		want float64
	}{
		{"no target date: due now", Metric{Series: series(t, "2025-Q4=1", "2026-Q4=2")}, 1},
		{"no data", Metric{TargetDate: mustPeriod(t, "2027-Q4")}, 1},
		// 2025-12-31 → 2026-12-31 is one year of the two to 2027-12-31.
		{"half way in time", Metric{TargetDate: mustPeriod(t, "2027-Q4"), Series: series(t, "2025-Q4=1", "2026-Q4=2")}, 0.5},
		{"years", Metric{TargetDate: mustPeriod(t, "2027"), Series: series(t, "2025=1", "2026=2")}, 0.5},
		{"past the target date", Metric{TargetDate: mustPeriod(t, "2026-Q1"), Series: series(t, "2025-Q4=1", "2026-Q4=2")}, 1},
		{"one point: at least 5 %", Metric{TargetDate: mustPeriod(t, "2027"), Series: series(t, "2026=2")}, 0.05},
		{"target date before the data", Metric{TargetDate: mustPeriod(t, "2020"), Series: series(t, "2025=1", "2026=2")}, 1},
		{"target date is the first period", Metric{TargetDate: mustPeriod(t, "2025"), Series: series(t, "2025=1", "2026=2")}, 1},
	}
	for _, tt := range tests {
		if got := tt.m.Expected(); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Expected() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMetricStatus(t *testing.T) {
	const onTrack, atRisk = 0.9, 0.7
	flat := func(latest float64) Metric { // due now: status is progress against 0.9 / 0.7
		return Metric{Baseline: num(0), Target: num(100), Series: []Point{{Period: mustPeriod(t, "2026"), Value: latest}}}
	}
	dated := func(latest float64) Metric { // half way to 2027-Q4: expected 0.5
		return Metric{Baseline: num(0), Target: num(100), TargetDate: mustPeriod(t, "2027-Q4"),
			Series: append(series(t, "2025-Q4=0"), Point{Period: mustPeriod(t, "2026-Q4"), Value: latest})}
	}
	down := func(latest float64) Metric {
		return Metric{Down: true, Baseline: num(20), Target: num(10), Series: []Point{{Period: mustPeriod(t, "2026"), Value: latest}}}
	}
	tests := []struct {
		name string
		m    Metric
		want Status
	}{
		{"target reached", flat(100), OnTrack},
		{"beyond target", flat(130), OnTrack},
		{"exactly on_track", flat(90), OnTrack},
		{"just below on_track", flat(89), AtRisk},
		{"exactly at_risk", flat(70), AtRisk},
		{"just below at_risk", flat(69), OffTrack},
		{"going backwards", flat(-10), OffTrack},
		{"half the time, 45 %", dated(45), OnTrack},
		{"half the time, 40 %", dated(40), AtRisk},
		{"half the time, 35 %", dated(35), AtRisk},
		{"half the time, 30 %", dated(30), OffTrack},
		{"down metric on track", down(11), OnTrack},
		{"down metric at risk", down(12.5), AtRisk},
		{"down metric off track", down(14), OffTrack},
		{"down metric rising", down(25), OffTrack},
		{"no target", Metric{Series: series(t, "2026=1")}, NoStatus},
		{"no data", Metric{Baseline: num(0), Target: num(1)}, NoStatus},
	}
	for _, tt := range tests {
		if got := tt.m.Status(onTrack, atRisk); got != tt.want {
			p, _ := tt.m.Progress()
			t.Errorf("%s: Status() = %v, want %v (progress %v, expected %v)", tt.name, got, tt.want, p, tt.m.Expected())
		}
	}
}

func TestStatusWords(t *testing.T) {
	tests := []struct {
		s                   Status
		text, class, symbol string
	}{
		{NoStatus, "No target", "no-status", "–"},
		{OnTrack, "On track", "on-track", "✓"},
		{AtRisk, "At risk", "at-risk", "!"},
		{OffTrack, "Off track", "off-track", "✕"},
	}
	for _, tt := range tests {
		if tt.s.String() != tt.text || tt.s.Class() != tt.class || tt.s.Icon() != tt.symbol {
			t.Errorf("status %d: %q %q %q", tt.s, tt.s.String(), tt.s.Class(), tt.s.Icon())
		}
	}
}

func TestMetricTargetPassed(t *testing.T) {
	now := time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC)
	tests := []struct {
		td   string
		want bool
	}{
		{"", false},
		{"2026-Q3", true},
		{"2026-10", true},
		{"2026-Q4", false},
		{"2026", false},
		{"2026-11-26", true},
		{"2026-11-27", true}, // the day ends at 00:00 of its date, before now's evening
		{"2027", false},
	}
	for _, tt := range tests {
		m := &Metric{}
		if tt.td != "" {
			m.TargetDate = mustPeriod(t, tt.td)
		}
		if got := m.TargetPassed(now); got != tt.want {
			t.Errorf("target_date %q: TargetPassed = %v, want %v", tt.td, got, tt.want)
		}
	}
}

// TestSeries checks how model.New groups observations: a total given
// without a partner wins over the sum of the partners' values.
func TestSeries(t *testing.T) {
	pos := func(line int) diag.Pos { return diag.Pos{File: "data/observations/x.csv", Line: line} }
	obs := func(metric, period, partner string, v float64, line int) Observation {
		return Observation{Metric: metric, Period: mustPeriod(t, period), Partner: partner, Value: v, Pos: pos(line)}
	}
	in := &Input{
		Metrics: []*Metric{
			{ID: "doses", Unit: "doses", Pos: diag.Pos{File: "data/metrics.csv", Line: 2}},
			{ID: "coverage", Unit: "%", Pos: diag.Pos{File: "data/metrics.csv", Line: 3}},
			{ID: "empty", Pos: diag.Pos{File: "data/metrics.csv", Line: 4}},
		},
		Partners: []*Partner{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}},
		Observations: []Observation{
			obs("doses", "2026-Q2", "a", 10, 2), // out of order on purpose
			obs("doses", "2026-Q1", "a", 100, 3),
			obs("doses", "2026-Q1", "b", 50, 4),
			obs("doses", "2026-Q2", "b", 5, 5),
			obs("doses", "2026-Q2", "", 99, 6), // the total wins over 10+5
			obs("doses", "2026-Q3", "", 7, 7),  // a total alone
			obs("coverage", "2025", "", 70, 8),
			obs("coverage", "2026-Q4", "", 75, 9),
			obs("unknown", "2026", "", 1, 10), // reported by the loader, skipped here
		},
	}
	s, errs := New(in, Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatalf("New: %v", errs.Err())
	}
	doses := s.Metric("doses")
	var got []string
	for _, p := range doses.Series {
		got = append(got, p.Period.String()+"="+FormatNumber(p.Value))
	}
	if want := "2026-Q1=150 2026-Q2=99 2026-Q3=7"; strings.Join(got, " ") != want {
		t.Errorf("doses series = %v, want %s", got, want)
	}
	if len(doses.ByPartner) != 2 {
		t.Fatalf("ByPartner has %d partners, want 2", len(doses.ByPartner))
	}
	a := doses.ByPartner["a"]
	if len(a) != 2 || a[0].Period.String() != "2026-Q1" || a[0].Value != 100 || a[1].Value != 10 {
		t.Errorf("partner a = %+v, want 2026-Q1=100, 2026-Q2=10 in order", a)
	}
	if s.Metric("coverage").ByPartner != nil {
		t.Error("coverage has partner series but no partner values")
	}
	if n := len(s.Metric("empty").Series); n != 0 {
		t.Errorf("empty has %d points", n)
	}
	if s.LatestPeriod.String() != "2026-Q4" {
		t.Errorf("LatestPeriod = %s, want 2026-Q4", s.LatestPeriod)
	}
	if s.Metric("unknown") != nil {
		t.Error("an observation created a metric")
	}
}

func TestSeriesProblems(t *testing.T) {
	pos := func(line int) diag.Pos { return diag.Pos{File: "data/observations/x.csv", Line: line} }
	in := &Input{
		Metrics:  []*Metric{{ID: "doses", Pos: diag.Pos{File: "data/metrics.csv", Line: 2}}, {ID: "doses", Pos: diag.Pos{File: "data/metrics.csv", Line: 5}}},
		Partners: []*Partner{{ID: "lakeside-clinic", Name: "Lakeside"}, {ID: "lakeside-clinic", Name: "Again", Pos: diag.Pos{File: "data/partners.yaml", Line: 9}}},
		Observations: []Observation{
			{Metric: "doses", Period: mustPeriod(t, "2026-Q1"), Value: 1, Pos: pos(2)},
			{Metric: "doses", Period: mustPeriod(t, "2026-Q1"), Value: 2, Pos: pos(3)},
			{Metric: "doses", Period: mustPeriod(t, "2026-Q1"), Partner: "lakeside-clinc", Value: 2, Pos: pos(4)},
			{Metric: "doses", Period: mustPeriod(t, "2026-Q1"), Partner: "lakeside-clinic", Value: 2, Pos: pos(5)},
			{Metric: "doses", Period: mustPeriod(t, "2026-Q1"), Partner: "lakeside-clinic", Value: 3, Pos: pos(6)},
		},
	}
	_, errs := New(in, Options{})
	want := []string{
		`data/metrics.csv:5: metric "doses" is defined twice (first at line 2)`,
		`data/observations/x.csv:3: doses has a second value for 2026-Q1 (the first is at data/observations/x.csv:2)`,
		`data/observations/x.csv:4: partner "lakeside-clinc" is not in data/partners.yaml (did you mean "lakeside-clinic"?)`,
		`data/observations/x.csv:6: doses has a second value for 2026-Q1 for lakeside-clinic (the first is at data/observations/x.csv:5)`,
		`data/partners.yaml:9: partner "lakeside-clinic" is defined twice`,
	}
	text := errs.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("errors do not contain\n\t%s\ngot:\n%s", w, text)
		}
	}
}
