package model

import (
	"math"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

func ptr(v float64) *float64 { return &v }

func mustSpan(t *testing.T, s string) Span {
	t.Helper()
	sp, err := ParseSpan(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// roiSite is the small fixture the ROI figures are checked against by
// hand: three partners, a count of doses by partner, a dropout rate,
// volunteer hours and a cash ledger as input metrics.
func roiSite(t *testing.T, roi *ROI, partners ...string) (*Site, *Story) {
	t.Helper()
	obs := func(metric, period string, v float64, partner string) Observation {
		return Observation{Metric: metric, Period: mustPeriod(t, period), Value: v, Partner: partner, Pos: diag.Pos{File: "data/observations/x.csv", Line: 2}}
	}
	if partners == nil {
		partners = []string{"council", "clinic", "parents"}
	}
	in := &Input{
		Config: Config{Title: "T", Currency: "EUR"},
		Partners: []*Partner{
			{ID: "council", Name: "River Council", Sector: Public, Contributions: []Contribution{
				{Kind: "cash", Period: mustPeriod(t, "2025-Q3"), Value: 1000, Note: "Fuel", Pos: diag.Pos{File: "data/partners.yaml", Line: 9}},
				{Kind: "in_kind", Period: mustPeriod(t, "2025"), Value: 500, Note: "Hall", Pos: diag.Pos{File: "data/partners.yaml", Line: 12}},
			}},
			{ID: "clinic", Name: "Lake Clinic", Sector: Community},
			{ID: "parents", Name: "Parents' Circle", Sector: Community},
			{ID: "outsider", Name: "Outsider Ltd", Sector: Private},
		},
		Metrics: []*Metric{
			{ID: "doses", Name: "Doses given", Level: LevelOutput, Unit: "doses"},
			{ID: "dropout", Name: "Dropout", Level: LevelOutcome, Unit: "%", Down: true},
			{ID: "vol_hours", Name: "Volunteer hours", Level: LevelInput, Unit: "hours"},
			{ID: "ledger", Name: "Cash ledger", Level: LevelInput, Unit: "EUR"},
			{ID: "flat", Name: "Flat", Level: LevelOutcome, Unit: "cases"},
		},
		Observations: []Observation{
			obs("doses", "2025-Q1", 100, "clinic"), obs("doses", "2025-Q2", 120, "clinic"),
			obs("doses", "2025-Q3", 150, "clinic"), obs("doses", "2025-Q4", 170, "clinic"),
			obs("doses", "2025-Q1", 50, "parents"),
			obs("dropout", "2025-Q2", 10, ""), obs("dropout", "2025-Q4", 8, ""),
			obs("vol_hours", "2025-Q3", 30, "parents"), obs("vol_hours", "2025-Q4", 50, "parents"),
			obs("ledger", "2025-Q3", 1000, "clinic"), obs("ledger", "2025-Q4", 500, "clinic"),
			obs("flat", "2025-Q2", 4, ""), obs("flat", "2025-Q4", 4, ""),
		},
	}
	st := &Story{Path: "content/stories/s.md", Section: "stories", Slug: "s", Title: "S", Kind: KindROI, Partners: partners, ROI: roi}
	in.Stories = []*Story{st}
	site, errs := New(in, Options{})
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	return site, st
}

func line(n int) diag.Pos { return diag.Pos{File: "content/stories/s.md", Line: n} }

// fixtureROI: over Q3–Q4 2025 the council puts in €6,000 cash; the clinic
// 100 hours at €40 (€4,000) and €1,500 cash from its ledger (Q3 €1,000 +
// Q4 €500); the parents 80 volunteer hours (30 + 50) at €25 (€2,000).
func fixtureROI(t *testing.T) *ROI {
	return &ROI{
		Period: mustSpan(t, "2025-Q3..2025-Q4"),
		Pos:    line(5),
		Investments: []Investment{
			{Partner: "council", Cash: true, Amount: ptr(6000), Pos: line(7)},
			{Partner: "clinic", Hours: ptr(100), Rate: ptr(40), Pos: line(8)},
			{Partner: "parents", Metric: "vol_hours", Rate: ptr(25), Pos: line(9)},
			{Partner: "clinic", Cash: true, Metric: "ledger", Pos: line(10)},
		},
		Results: []Claim{
			// Clinic doses: 100 + 120 = 220 before, 150 + 170 = 320 after.
			{Metric: "doses", Partner: "clinic", From: mustSpan(t, "2025-Q1..2025-Q2"), To: mustSpan(t, "2025-Q3..2025-Q4"), Pos: line(12)},
			// Dropout: 10 % → 8 %, down is better.
			{Metric: "dropout", From: mustSpan(t, "2025-Q2"), To: mustSpan(t, "2025-Q4"), Pos: line(13)},
		},
		Returns: []Return{{Partner: "parents", Got: "A say in clinic hours", Pos: line(15)}},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestComputeROIHandChecked(t *testing.T) {
	site, st := roiSite(t, fixtureROI(t))
	f, errs := site.ComputeROI(st)
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	// Totals: cash 6,000 + 1,500 = 7,500; in kind 4,000 + 2,000 = 6,000.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cash", f.Cash, 7500},
		{"in kind", f.InKind, 6000},
		{"total", f.Total, 13500},
		{"hours", f.Hours, 180},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if f.Investors != 3 {
		t.Errorf("investors = %d, want 3", f.Investors)
	}
	// Per partner: share = own / 13,500; leverage = (13,500 − own) / own.
	partners := []struct {
		id                   string
		total, share, lev    float64
		cash, inKind, hours  float64
		wantShare, wantLever string
	}{
		{"council", 6000, 6000.0 / 13500, 7500.0 / 6000, 6000, 0, 0, "44 %", "€1.25"},
		{"clinic", 5500, 5500.0 / 13500, 8000.0 / 5500, 1500, 4000, 100, "41 %", "€1.45"},
		{"parents", 2000, 2000.0 / 13500, 11500.0 / 2000, 0, 2000, 80, "15 %", "€5.75"},
	}
	if len(f.Partners) != len(partners) {
		t.Fatalf("%d partners, want %d", len(f.Partners), len(partners))
	}
	for i, w := range partners {
		p := f.Partners[i]
		if p.Partner.ID != w.id || !near(p.Total, w.total) || !near(p.Share, w.share) || !near(p.Leverage, w.lev) ||
			!near(p.Cash, w.cash) || !near(p.InKind, w.inKind) || !near(p.Hours, w.hours) {
			t.Errorf("partner %d = %+v, want %+v", i, p, w)
		}
		if fig, err := f.Figure(w.id, "share"); err != nil || fig.Value != w.wantShare {
			t.Errorf("{{roi:%s share}} = %q (%v), want %q", w.id, fig.Value, err, w.wantShare)
		}
		if fig, err := f.Figure(w.id, "leverage"); err != nil || fig.Value != w.wantLever {
			t.Errorf("{{roi:%s leverage}} = %q (%v), want %q", w.id, fig.Value, err, w.wantLever)
		}
	}
	if got := f.Partner("parents").Got; got != "A say in clinic hours" {
		t.Errorf("parents got %q", got)
	}
	// Results: doses +100 on 220 (+45 %), 13,500 / 100 = €135 a dose;
	// dropout −2 points on 10 (−20 %), 13,500 / 2 = €6,750 a point.
	doses, drop := f.Result("doses"), f.Result("dropout")
	if doses == nil || drop == nil {
		t.Fatal("results missing")
	}
	if !near(doses.Before, 220) || !near(doses.After, 320) || !near(doses.Change, 100) || !near(doses.CostPer, 135) || !doses.Improved {
		t.Errorf("doses = %+v", doses)
	}
	if !near(drop.Change, -2) || !drop.Improved || !near(drop.CostPer, 6750) || !near(drop.Relative, -0.2) {
		t.Errorf("dropout = %+v", drop)
	}
	figs := []struct{ ref, want string }{
		{"total", "€13,500"},
		{"cash", "€7,500"},
		{"in_kind", "€6,000"},
		{"hours", "180 hours"},
		{"partners", "3"},
		{"period", "Q3–Q4 2025"},
		{"council", "€6,000"},
		{"clinic cash", "€1,500"},
		{"clinic inkind", "€4,000"},
		{"parents hours", "80 hours"},
		{"doses", "+100 doses"},
		{"doses before", "220 doses"},
		{"doses after", "320 doses"},
		{"doses percent", "+45 %"},
		{"doses cost", "€135 per extra dose"},
		{"doses from", "Q1–Q2 2025"},
		{"dropout change", "−2 points"},
		{"dropout percent", "−20 %"},
		{"dropout cost", "€6,750 per point lower"},
		{"headline", "€135 per extra dose"}, // the first improvement's cost per unit
	}
	for _, c := range figs {
		fig, err := f.Ref(c.ref)
		if err != nil {
			t.Errorf("%s: %v", c.ref, err)
			continue
		}
		if fig.Value != c.want {
			t.Errorf("%s = %q, want %q", c.ref, fig.Value, c.want)
		}
		if fig.Label == "" || fig.Anchor == "" {
			t.Errorf("%s has no label or anchor: %+v", c.ref, fig)
		}
	}
}

func TestComputeROIFromContributions(t *testing.T) {
	roi := &ROI{
		Period:           mustSpan(t, "2025-Q3..2025-Q4"),
		Contributions:    []string{"council"},
		ContributionsPos: line(6),
		Pos:              line(5),
		Results:          []Claim{{Metric: "dropout", From: mustSpan(t, "2025-Q2"), To: mustSpan(t, "2025-Q4"), Pos: line(9)}},
	}
	site, st := roiSite(t, roi)
	f, errs := site.ComputeROI(st)
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	// Only the Q3 cash counts; the yearly contribution straddles the period.
	if !near(f.Total, 1000) || !near(f.Cash, 1000) || len(f.Lines) != 1 || !f.Lines[0].FromData || f.Lines[0].Pos.Line != 9 {
		t.Errorf("figures = %+v", f)
	}
	if w := errs.Warnings(); len(w) != 1 || !strings.Contains(w[0].Error(), "the 2025 contribution of council (data/partners.yaml:12) runs beyond Q3–Q4 2025") {
		t.Errorf("warnings = %v", w)
	}
	if fig, _ := f.Ref("dropout cost"); fig.Value != "€500 per point lower" {
		t.Errorf("cost = %q", fig.Value)
	}
}

func TestComputeROIErrors(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(r *ROI)
		partners []string
		want     string
	}{
		{"unknown partner", func(r *ROI) { r.Investments[0].Partner = "councl" }, nil,
			`s.md:7: partner "councl" is not in data/partners.yaml (did you mean "council"?)`},
		{"partner not in the story", func(r *ROI) { r.Investments[0].Partner = "outsider" }, nil,
			`s.md:7: partner "outsider" is counted in this ROI story but is not in its partners list`},
		{"no value at a period", func(r *ROI) { r.Results[1].To = mustSpan(t, "2025-Q3") }, nil,
			`s.md:13: metric "dropout" has no value for 2025-Q3`},
		{"no partner value at a period", func(r *ROI) { r.Results[0].From = mustSpan(t, "2024-Q4..2025-Q2") }, nil,
			`s.md:12: metric "doses" has no value for partner clinic for 2024-Q4`},
		{"unknown metric", func(r *ROI) { r.Results[0].Metric = "dose" }, nil,
			`s.md:12: metric "dose" is not in data/metrics.csv (did you mean "doses"?)`},
		{"claimed twice", func(r *ROI) { r.Results[1].Metric = "doses"; r.Results[1].Partner = "clinic" }, nil,
			`s.md:13: metric "doses" is claimed twice (first at line 12)`},
		{"to before from", func(r *ROI) { r.Results[1].From, r.Results[1].To = r.Results[1].To, r.Results[1].From }, nil,
			`s.md:13: the result "dropout" runs to Q2 2025, which does not come after Q4 2025`},
		{"percentages added up", func(r *ROI) { r.Results[1].To = mustSpan(t, "2025-Q3..2025-Q4") }, nil,
			`s.md:13: dropout is a percentage, which cannot be added up over Q3–Q4 2025`},
		{"zero change", func(r *ROI) { r.Results[1].Metric = "flat" }, nil,
			`s.md:13: flat did not change from Q2 2025 to Q4 2025 (4 cases both times), so there is no cost per unit of change (it would divide by zero)`},
		{"zero total", func(r *ROI) {
			r.Investments = []Investment{{Partner: "council", Cash: true, Amount: ptr(0), Pos: line(7)}}
		}, nil, `s.md:5: everything put in adds up to 0`},
		{"zero partner", func(r *ROI) { r.Investments[0].Amount = ptr(0) }, nil,
			`s.md:7: partner "council" puts in 0, so its leverage cannot be worked out (it would divide by zero)`},
		{"negative", func(r *ROI) { r.Investments[0].Amount = ptr(-5) }, nil,
			`s.md:7: the investment of "council" is negative`},
		{"not a number", func(r *ROI) { r.Investments[0].Amount = ptr(math.NaN()) }, nil,
			`s.md:7: the investment of "council" is not a number`},
		{"no investment", func(r *ROI) { r.Investments = nil }, nil, `s.md:5: the story counts no investment`},
		{"no results", func(r *ROI) { r.Results = nil }, nil, `s.md:5: the story claims no results`},
		{"output metric as investment", func(r *ROI) { r.Investments[2].Metric = "doses" }, nil,
			`s.md:9: metric "doses" is an output metric; only input metrics can count as investment`},
		{"input metric without rate", func(r *ROI) { r.Investments[2].Rate = nil }, nil,
			`s.md:9: metric "vol_hours" is counted in hours; give rate:`},
		{"input metric missing a period", func(r *ROI) { r.Period = mustSpan(t, "2025-Q2..2025-Q4") }, nil,
			`s.md:9: metric "vol_hours" has no value for partner "parents" for 2025-Q2`},
		{"input metric without partner values", func(r *ROI) { r.Investments[2].Partner = "council" }, nil,
			`s.md:9: metric "vol_hours" has no values for partner "council"`},
		{"contributions missing", func(r *ROI) { r.Contributions = []string{"parents"}; r.ContributionsPos = line(6) }, nil,
			`s.md:6: partner "parents" has no contributions in data/partners.yaml for Q3–Q4 2025`},
		{"bad headline", func(r *ROI) { r.Headline = "doses leverage"; r.HeadlinePos = line(16) }, nil,
			`s.md:16: headline "doses leverage": {{roi:doses leverage}}: "leverage" is not a view of a result`},
		{"headline for a worse result", func(r *ROI) {
			r.Results[1].From, r.Results[1].To = mustSpan(t, "2025-Q2"), mustSpan(t, "2025-Q4")
			r.Headline, r.HeadlinePos = "parents cost", line(16)
		}, nil, `s.md:16: headline "parents cost": {{roi:parents cost}}: "cost" is not a view of a partner's figures`},
		{"return twice", func(r *ROI) { r.Returns = append(r.Returns, Return{Partner: "parents", Got: "x", Pos: line(16)}) }, nil,
			`s.md:16: what parents got is written twice (first at line 15)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			roi := fixtureROI(t)
			tc.edit(roi)
			site, st := roiSite(t, roi, tc.partners...)
			f, errs := site.ComputeROI(st)
			if !errs.HasErrors() {
				t.Fatalf("no error; figures %+v", f)
			}
			if f != nil {
				t.Error("figures returned with errors")
			}
			if !strings.Contains(errs.Err().Error(), tc.want) {
				t.Errorf("errors:\n%v\nwant %q", errs.Err(), tc.want)
			}
		})
	}
}

func TestROIFigureErrors(t *testing.T) {
	roi := fixtureROI(t)
	// Make the dropout rate rise: 8 % → 10 %.
	roi.Results[1].From, roi.Results[1].To = mustSpan(t, "2025-Q2"), mustSpan(t, "2025-Q4")
	site, st := roiSite(t, roi)
	site.Metric("dropout").Series[0].Value, site.Metric("dropout").Series[1].Value = 8, 10
	site.Metric("doses").ByPartner["clinic"][0].Value = 0
	site.Metric("doses").ByPartner["clinic"][1].Value = 0
	f, errs := site.ComputeROI(st)
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	for _, c := range []struct{ ref, want string }{
		{"dropout cost", "dropout got worse from Q2 2025 to Q4 2025 (+2 points), so there is no cost per unit of improvement"},
		{"doses percent", "doses was 0 in Q1–Q2 2025, so its change has no percentage (it would divide by zero)"},
		{"outsider", `partner "outsider" puts nothing into this ROI story`},
		{"flat", `metric "flat" is not among the results this story claims`},
		{"totl", `did you mean "total"?`},
		{"total share", `{{roi:total}} takes no view`},
		{"council colour", `"colour" is not a view of a partner's figures`},
		{"council hours", `partner "council" gave no time`},
	} {
		_, err := f.Ref(c.ref)
		if err == nil {
			t.Errorf("%s: no error", c.ref)
			continue
		}
		if got := err.Msg + " (" + err.Hint + ")"; !strings.Contains(got, c.want) {
			t.Errorf("%s: %s, want %q", c.ref, got, c.want)
		}
	}
	// The headline is the cost of the first improvement: 13,500 / 320 doses.
	if h := f.HeadlineFigure(); h.Value != "€42 per extra dose" {
		t.Errorf("headline = %+v", h)
	}
}

func TestSpans(t *testing.T) {
	tests := []struct {
		in, label string
		n         int
		err       string
	}{
		{"2025-Q3", "Q3 2025", 1, ""},
		{"2025-Q2..2025-Q3", "Q2–Q3 2025", 2, ""},
		{"2025-Q4..2026-Q1", "Q4 2025 – Q1 2026", 2, ""},
		{"2025-10..2026-03", "Oct 2025 – Mar 2026", 6, ""},
		{"2025-04..2025-09", "Apr–Sep 2025", 6, ""},
		{"2024..2025", "2024–2025", 2, ""},
		{"2026-01-03..2026-01-05", "3–5 Jan 2026", 3, ""},
		{"2025-Q3..2025-09", "", 0, "different kinds"},
		{"2025-Q3..2025-Q1", "", 0, "ends before it starts"},
		{"2025-Q5", "", 0, "is not a period"},
		{"1000-01-01..2026-01-01", "", 0, "more than 1000 periods"},
	}
	for _, tc := range tests {
		sp, err := ParseSpan(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if sp.Label() != tc.label || len(sp.Periods()) != tc.n || sp.String() != tc.in {
			t.Errorf("%s: label %q, %d periods, string %q", tc.in, sp.Label(), len(sp.Periods()), sp.String())
		}
	}
	// Months inside a span of quarters.
	if got := len(mustSpan(t, "2025-Q4..2026-Q1").PeriodsOf(Month)); got != 6 {
		t.Errorf("months in two quarters: %d", got)
	}
}

func TestMoneyAndUnits(t *testing.T) {
	for _, c := range []struct {
		v         float64
		cur, want string
	}{
		{1.5, "EUR", "€1.50"}, {1.25, "EUR", "€1.25"}, {42.49, "EUR", "€42"}, {30165, "EUR", "€30,165"},
		{0.333333, "USD", "$0.33"}, {5.75, "CHF", "5.75 CHF"}, {2, "", "2.00"}, {0, "EUR", "€0.00"}, {-1.5, "EUR", "−€1.50"},
	} {
		if got := money(c.v, c.cur); got != c.want {
			t.Errorf("money(%v, %s) = %q, want %q", c.v, c.cur, got, c.want)
		}
	}
	for _, c := range []struct{ unit, want string }{
		{"doses", "dose"}, {"%", "point"}, {"EUR", "€1"}, {"children", "child"}, {"deliveries", "delivery"},
		{"cases", "case"}, {"class", "class"}, {"", "unit"}, {"kg", "kg"},
	} {
		if got := unitOne(c.unit, "EUR"); got != c.want {
			t.Errorf("unitOne(%q) = %q, want %q", c.unit, got, c.want)
		}
	}
}
