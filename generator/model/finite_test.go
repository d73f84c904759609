package model

import (
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// TestParseNumberMagnitude checks the sizes of number drumbeat computes
// with: up to 10^15, down to 10^-9 (or 0). On the old code 1.7e308 was
// read, and two of them added up to +Inf ("NaN %" on the pages).
func TestParseNumberMagnitude(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when valid
	}{
		{"1e15", ""},
		{"-1,000,000,000,000,000", ""},
		{"0.000000001", ""},
		{"-1e-9", ""},
		{"0", ""},
		{"0e-400", ""},
		{"1.7e308", "is too large"},
		{"-1.7e308", "is too large"},
		{"1000000000000001", "is too large"},
		{"1e16", "is too large"},
		{"1e-10", "is too close to zero"},
		{"4.9e-324", "is too close to zero"},
		{"1e-400", "is too close to zero"}, // ParseFloat reads it as 0
	}
	for _, tt := range tests {
		v, err := ParseNumber(tt.in, false)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ParseNumber(%q): %v", tt.in, err)
		case tt.want != "" && err == nil:
			t.Errorf("ParseNumber(%q) = %v, want an error saying %q", tt.in, v, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), tt.want) && !strings.Contains(err.Error(), "is not a number"):
			t.Errorf("ParseNumber(%q) error %q does not say %q", tt.in, err, tt.want)
		}
	}
}

// TestComputedFiguresAreFinite builds sites from values no loader accepts
// (the loaders stop them at their cells) and checks that every figure that
// would overflow is an error at the values that cause it, not a NaN on a
// page.
func TestComputedFiguresAreFinite(t *testing.T) {
	const huge = 1.7e308
	pos := func(line int) diag.Pos { return diag.Pos{File: "data/observations/x.csv", Line: line, Col: 3} }
	obs := func(period, partner string, v float64, line int) Observation {
		return Observation{Metric: "m", Period: mustPeriod(t, period), Partner: partner, Value: v, Pos: pos(line)}
	}
	tests := []struct {
		name     string
		metric   Metric
		obs      []Observation
		want     string // the first error
		alsoSays string
	}{
		{"partners' sum overflows", Metric{}, []Observation{obs("2026-Q1", "a", huge, 2), obs("2026-Q1", "b", huge, 3)},
			"data/observations/x.csv:2:3: the total of m for 2026-Q1 cannot be worked out", "data/observations/x.csv:3:3"},
		{"range overflows", Metric{}, []Observation{obs("2026-Q1", "", huge, 2), obs("2026-Q2", "", -huge, 3)},
			"data/observations/x.csv:2:3: the range of m's values", "data/observations/x.csv:3:3"},
		{"baseline against values", Metric{Baseline: ptr(-huge)}, []Observation{obs("2026-Q1", "", huge, 4)},
			"data/observations/x.csv:4:3: the range of m's values", "data/metrics.csv:2"},
		{"progress divides by a tiny span", Metric{Baseline: ptr(0), Target: ptr(5e-324)}, []Observation{obs("2026-Q1", "", 1e300, 5)},
			"data/metrics.csv:2: the progress of m towards its target cannot be worked out", "data/observations/x.csv:5:3"},
	}
	for _, tc := range tests {
		m := tc.metric
		m.ID, m.Unit, m.Pos = "m", "%", diag.Pos{File: "data/metrics.csv", Line: 2}
		in := &Input{Metrics: []*Metric{&m}, Partners: []*Partner{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}, Observations: tc.obs}
		_, errs := New(in, Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
		if !errs.HasErrors() {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		got := errs.Errors()[0].Error()
		if !strings.HasPrefix(got, tc.want) || !strings.Contains(got, tc.alsoSays) {
			t.Errorf("%s:\n got %s\nwant %s… naming %s", tc.name, got, tc.want, tc.alsoSays)
		}
	}
}

// TestROIOverflow checks ROI amounts too large to add up, and results whose
// cost per unit overflows.
func TestROIOverflow(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *ROI)
		want string
	}{
		{"amount too large", func(r *ROI) { r.Investments[0].Amount = ptr(1.7e308) }, `content/stories/s.md:7: the investment of "council": amount 1.7e+308 is too large`},
		{"amount too small", func(r *ROI) { r.Investments[0].Amount = ptr(1e-300) }, `content/stories/s.md:7: the investment of "council": amount 1e-300 is too close to zero`},
	}
	for _, tc := range tests {
		r := fixtureROI(t)
		tc.edit(r)
		site, st := roiSite(t, r)
		_, errs := site.ComputeROI(st)
		if !containsErr(errs, tc.want) {
			t.Errorf("%s: want %q in\n%v", tc.name, tc.want, errs)
		}
	}
	// The sums themselves, with values set after the loaders' checks: the
	// clinic's cash is the sum of its ledger (line 10 of the story).
	r := fixtureROI(t)
	site, st := roiSite(t, r)
	for i := range site.Metric("ledger").ByPartner["clinic"] {
		site.Metric("ledger").ByPartner["clinic"][i].Value = 1.7e308
	}
	_, errs := site.ComputeROI(st)
	if !containsErr(errs, `content/stories/s.md:10: the sum of ledger for partner "clinic" over`) || !containsErr(errs, "cannot be worked out") {
		t.Errorf("sums of huge ledger values: want an overflow error, got\n%v", errs)
	}
}

func containsErr(l diag.List, want string) bool {
	for _, e := range l {
		if strings.Contains(e.Error(), want) {
			return true
		}
	}
	return false
}
