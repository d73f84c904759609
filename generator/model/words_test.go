package model

import (
	"math"
	"strings"
	"testing"
)

func TestSpellCount(t *testing.T) {
	for n, want := range map[int]string{0: "zero", 1: "one", 7: "seven", 10: "ten", 11: "11", 1200: "1,200", -1: "−1"} {
		if got := SpellCount(n); got != want {
			t.Errorf("SpellCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTrendWords(t *testing.T) {
	tests := []struct {
		from, to float64
		unit     string
		want     string
	}{
		{71.8, 82.6, "%", "rose from 71.8 % to 82.6 %"},
		{13.6, 7.6, "%", "fell from 13.6 % to 7.6 %"},
		{0, 0, "outbreaks", "held at 0 outbreaks"},
		{72.01, 72.04, "%", "held at 72 %"}, // written the same: no "rose from 72 % to 72 %"
		{4700, 6030, "doses", "rose from 4,700 doses to 6,030 doses"},
		{2, 1, "outbreaks", "fell from 2 outbreaks to 1 outbreak"},
		{118, 101, "EUR", "fell from €118 to €101"},
		{-3, 2, "", "rose from −3 to 2"},
	}
	for _, tc := range tests {
		if got := TrendWords(tc.from, tc.to, tc.unit); got != tc.want {
			t.Errorf("TrendWords(%v, %v, %q) = %q, want %q", tc.from, tc.to, tc.unit, got, tc.want)
		}
	}
}

func TestGapWords(t *testing.T) {
	up := func(unit string, target float64) *Metric { return &Metric{Unit: unit, Target: ptr(target)} }
	down := func(unit string, target float64) *Metric { return &Metric{Unit: unit, Target: ptr(target), Down: true} }
	tests := []struct {
		m    *Metric
		v    float64
		want string
	}{
		{up("%", 90), 82.6, "7.4 points short of 90 %"},
		{up("%", 90), 89, "1 point short of 90 %"},
		{up("%", 90), 93, "3 points past the 90 % target"},
		{up("%", 90), 90, "at the 90 % target"},
		{up("doses", 6200), 6030, "170 doses short of 6,200 doses"},
		{up("doses", 6200), 6201, "1 dose past the 6,200 doses target"},
		{down("%", 5), 7.6, "2.6 points short of 5 %"}, // above the target of a down metric is short
		{down("%", 5), 2, "3 points past the 5 % target"},
		{down("outbreaks", 0), 0, "at the 0 outbreaks target"},
		{down("EUR", 95), 101, "€6 short of €95"},
	}
	for _, tc := range tests {
		got, ok := GapWords(tc.m, tc.v)
		if !ok || got != tc.want {
			t.Errorf("GapWords(%+v, %v) = %q, %v; want %q", *tc.m, tc.v, got, ok, tc.want)
		}
	}
	if _, ok := GapWords(&Metric{Unit: "%"}, 3); ok {
		t.Error("a gap without a target")
	}
}

func TestParseCondition(t *testing.T) {
	good := map[string]Condition{
		"= 0": {CondEq, 0}, "=0": {CondEq, 0}, "== 0": {CondEq, 0}, "!= 2": {CondNe, 2}, "≠ 2": {CondNe, 2},
		"< 5": {CondLt, 5}, "<= 5": {CondLe, 5}, "≤ 5": {CondLe, 5}, "> 80": {CondGt, 80}, ">= 80": {CondGe, 80},
		">=80": {CondGe, 80}, ">= 80%": {CondGe, 80}, ">= 80 %": {CondGe, 80}, "≥ 80": {CondGe, 80}, "> -1.5": {CondGt, -1.5},
		"met": {Op: CondMet}, "Met": {Op: CondMet}, "at target": {Op: CondMet}, "up": {Op: CondUp}, "down": {Op: CondDown},
	}
	for s, want := range good {
		got, err := ParseCondition(strings.Fields(s))
		if err != nil || got != want {
			t.Errorf("ParseCondition(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "0", "80", "=", ">= eighty", "=> 5", "< 5 6", "at", "rising", ">= 1e3", ">= inf", ">= NaN", "= 0x10", "%", ">= 80%%", "= 1_000"} {
		if c, err := ParseCondition(strings.Fields(s)); err == nil {
			t.Errorf("ParseCondition(%q) = %+v, want an error", s, c)
		}
	}
}

// quarters makes a quarterly metric from values; NaN leaves a quarter out.
func quarters(m *Metric, vals ...float64) *Metric {
	p := Period{Kind: Quarter, Y: 2025, N: 1}
	for _, v := range vals {
		if !math.IsNaN(v) {
			m.Series = append(m.Series, Point{Period: p, Value: v})
		}
		p = p.Next()
	}
	return m
}

func TestStreak(t *testing.T) {
	nan := math.NaN()
	q := func(y, n int) Period { return Period{Kind: Quarter, Y: y, N: n} }
	eq0 := Condition{Op: CondEq}
	tests := []struct {
		name string
		m    *Metric
		end  Period
		c    Condition
		want int
	}{
		{"two zeros at the end", quarters(&Metric{}, 2, 1, 0, 0), q(2025, 4), eq0, 2},
		{"ending at an earlier period", quarters(&Metric{}, 0, 0, 0, 1), q(2025, 3), eq0, 3},
		{"every period", quarters(&Metric{}, 0, 0, 0), q(2025, 3), eq0, 3},
		{"single observation", quarters(&Metric{}, 0), q(2025, 1), eq0, 1},
		{"not holding at the end", quarters(&Metric{}, 0, 1), q(2025, 2), eq0, 0},
		{"a missing period ends the run", quarters(&Metric{}, 0, nan, 0, 0), q(2025, 4), eq0, 2},
		{">= 80", quarters(&Metric{}, 79.9, 80, 85), q(2025, 3), Condition{CondGe, 80}, 2},
		{"up", quarters(&Metric{}, 5, 4, 6, 7, 8), q(2026, 1), Condition{Op: CondUp}, 3},
		{"up: the first value has nothing to rise from", quarters(&Metric{}, 1, 2, 3), q(2025, 3), Condition{Op: CondUp}, 2},
		{"up after a missing period", quarters(&Metric{}, 1, nan, 3, 4), q(2025, 4), Condition{Op: CondUp}, 1},
		{"down", quarters(&Metric{}, 14, 13, 14, 12), q(2025, 4), Condition{Op: CondDown}, 1},
		{"met, up metric", quarters(&Metric{Target: ptr(90)}, 91, 89, 90, 95), q(2025, 4), Condition{Op: CondMet}, 2},
		{"met, down metric", quarters(&Metric{Target: ptr(5), Down: true}, 4, 6, 5, 3), q(2025, 4), Condition{Op: CondMet}, 2},
		{"met without a target", quarters(&Metric{}, 4), q(2025, 1), Condition{Op: CondMet}, 0},
	}
	for _, tc := range tests {
		got, ok := Streak(tc.m, tc.end, tc.c)
		if !ok || got != tc.want {
			t.Errorf("%s: Streak = %d, %v; want %d", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := Streak(quarters(&Metric{}, 1), q(2030, 1), eq0); ok {
		t.Error("a streak ending at a period not in the series")
	}
}

func TestStreakWords(t *testing.T) {
	tests := []struct {
		n    int
		k    PeriodKind
		want string
	}{
		{1, Quarter, "one quarter"}, {2, Quarter, "two quarters running"}, {10, Year, "ten years running"},
		{12, Month, "12 months running"}, {3, Day, "three days running"},
	}
	for _, tc := range tests {
		if got := StreakWords(tc.n, tc.k); got != tc.want {
			t.Errorf("StreakWords(%d, %v) = %q, want %q", tc.n, tc.k, got, tc.want)
		}
	}
}

func TestShareWords(t *testing.T) {
	tests := []struct {
		share float64
		want  string
	}{
		{0, "none"}, {-0.1, "none"}, {math.NaN(), "none"}, {1, "all"}, {1.2, "all"}, {0.97, "nearly all"}, {0.95, "nearly all"},
		{0.94, "nine in ten"}, {10460.0 / 17690, "six in ten"}, {0.5, "five in ten"}, {27.0 / 88, "three in ten"},
		{0.15, "one in seven"}, {0.149, "one in seven"}, {0.14, "one in seven"}, {0.1, "one in ten"}, {0.05, "one in 20"},
		{0.2, "two in ten"}, {0.25, "one in four"}, {0.33, "one in three"}, {0.36, "one in three"}, {0.37, "four in ten"}, {0.4, "four in ten"},
		{0.006, "one in 167"}, {0.004, "fewer than one in 200"}, {0.0049, "fewer than one in 200"}, {0.005, "one in 200"},
	}
	for _, tc := range tests {
		if got := ShareWords(tc.share); got != tc.want {
			t.Errorf("ShareWords(%v) = %q, want %q", tc.share, got, tc.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		k, n int
		want string
	}{
		{4, 6, "four of the six"}, {6, 6, "all six"}, {0, 6, "none of the six"}, {1, 1, "one of one"}, {0, 1, "none of one"},
		{12, 14, "12 of the 14"}, {1, 2, "one of the two"}, {2, 2, "both"}, {0, 2, "neither of the two"},
	}
	for _, tc := range tests {
		if got := CountWords(tc.k, tc.n); got != tc.want {
			t.Errorf("CountWords(%d, %d) = %q, want %q", tc.k, tc.n, got, tc.want)
		}
	}
}

func TestPartnerTotalsAndRanks(t *testing.T) {
	q := func(n int) Period { return Period{Kind: Quarter, Y: 2026, N: n} }
	m := &Metric{ByPartner: map[string][]Point{
		"a": {{Period: q(1), Value: 5}, {Period: q(2), Value: 5}},
		"b": {{Period: q(1), Value: 10}},
		"c": {{Period: q(2), Value: 10}},
		"d": {{Period: q(3), Value: 99}},
	}}
	got := PartnerTotals(m, Span{q(1), q(2)})
	want := []PartnerValue{{"a", 10}, {"b", 10}, {"c", 10}}
	if len(got) != len(want) {
		t.Fatalf("PartnerTotals = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("PartnerTotals = %v, want %v", got, want)
		}
	}
	g, ok := RankGroup(got, 2)
	if !ok || len(g) != 3 {
		t.Errorf("a three-way tie: RankGroup(2) = %v, %v", g, ok)
	}
	if _, ok := RankGroup(got, 4); ok {
		t.Error("rank 4 of three partners")
	}
	if n := PartnerTotals(m, Span{Period{Kind: Quarter, Y: 2020, N: 1}, Period{Kind: Quarter, Y: 2020, N: 1}}); len(n) != 0 {
		t.Errorf("partners without values in the span: %v", n)
	}
	if s := JoinNames([]string{"A", "B", "C"}); s != "A, B and C" {
		t.Errorf("JoinNames = %q", s)
	}
}

func TestProgressAtAndAtOrBefore(t *testing.T) {
	m := quarters(&Metric{Baseline: ptr(4700), Target: ptr(6200)}, 5000, math.NaN(), 6030)
	if p, ok := ProgressAt(m, 6030); !ok || math.Abs(p-1330.0/1500) > 1e-12 {
		t.Errorf("ProgressAt = %v, %v", p, ok)
	}
	if pt, ok := m.AtOrBefore(Period{Kind: Quarter, Y: 2025, N: 2}); !ok || pt.Value != 5000 {
		t.Errorf("AtOrBefore a missing quarter = %v, %v; want the quarter before", pt, ok)
	}
	if pt, ok := m.AtOrBefore(Period{Kind: Year, Y: 2025}); !ok || pt.Value != 6030 {
		t.Errorf("AtOrBefore a year = %v, %v; want its last quarter", pt, ok)
	}
	if _, ok := m.AtOrBefore(Period{Kind: Quarter, Y: 2024, N: 4}); ok {
		t.Error("a value before the series starts")
	}
	if _, ok := ProgressAt(&Metric{Baseline: ptr(3), Target: ptr(3)}, 3); ok {
		t.Error("progress with target = baseline")
	}
}

// FuzzParseCondition checks that ParseCondition never panics, and that a
// condition it accepts reads back the same from its own text.
func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{"= 0", ">=80", ">= 80%", "met", "at target", "up", "≥ 80", "> -1.5", "", "=> 5", "< 1e400", "= ..", "≠0x1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(strings.Fields(s))
		if err != nil {
			return
		}
		if c.Op > CondDown || !Finite(c.N) {
			t.Fatalf("ParseCondition(%q) = %+v", s, c)
		}
		back, err := ParseCondition(strings.Fields(c.String()))
		if err != nil || back != c {
			t.Fatalf("ParseCondition(%q) = %+v; its String %q reads back as %+v, %v", s, c, c.String(), back, err)
		}
	})
}

func TestOfTotal(t *testing.T) {
	tests := []struct {
		v, total float64
		unit     string
		want     string
	}{
		{27, 88, "sessions", "27 of 88 sessions"},
		{1, 88, "sessions", "1 of 88 sessions"},
		{10460, 17690, "doses", "10,460 of 17,690 doses"},
		{60, 100, "EUR", "€60 of €100"},
		{3, 7, "", "3 of 7"},
		{0, 0, "doses", "0 of 0 doses"},
		{1, 2, "doses per child", "1 of 2 doses per child"},
	}
	for _, tc := range tests {
		if got := OfTotal(tc.v, tc.total, tc.unit); got != tc.want {
			t.Errorf("OfTotal(%v, %v, %q) = %q, want %q", tc.v, tc.total, tc.unit, got, tc.want)
		}
	}
}
