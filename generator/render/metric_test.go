package render

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

func TestCoarserAndGrain(t *testing.T) {
	day := model.Period{Kind: model.Day, Y: 2026, N: 8, D: 15}
	for _, tc := range []struct {
		p    model.Period
		k    model.PeriodKind
		want string
	}{
		{day, model.Quarter, "Q3 2026"},
		{day, model.Year, "2026"},
		{model.Period{Kind: model.Month, Y: 2026, N: 12}, model.Quarter, "Q4 2026"},
		{model.Period{Kind: model.Quarter, Y: 2026, N: 2}, model.Quarter, "Q2 2026"},
		{model.Period{Kind: model.Quarter, Y: 2026, N: 2}, model.Year, "2026"},
	} {
		if got := coarser(tc.p, tc.k).Label(); got != tc.want {
			t.Errorf("coarser(%v, %v) = %s, want %s", tc.p, tc.k, got, tc.want)
		}
	}
	months := func(n int) []model.Period {
		var out []model.Period
		p := model.Period{Kind: model.Month, Y: 2000, N: 1}
		for i := 0; i < n; i++ {
			out = append(out, p)
			p = p.Next()
		}
		return out
	}
	for _, tc := range []struct {
		n    int
		want model.PeriodKind
	}{{40, model.NoPeriod}, {41, model.Quarter}, {120, model.Quarter}, {200, model.Year}} {
		if got := tableGrain(months(tc.n)); got != tc.want {
			t.Errorf("%d months: grain %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestMetricCSVCells(t *testing.T) {
	m := &model.Metric{ID: "m", Unit: "visits", Series: []model.Point{
		{Period: model.Period{Kind: model.Quarter, Y: 2026, N: 1}, Value: 1.5, Note: "=HYPERLINK(\"x\")"},
		{Period: model.Period{Kind: model.Quarter, Y: 2026, N: 2}, Value: -2, Note: "a, \"b\" <c>"},
	}, ByPartner: map[string][]model.Point{"p": {{Period: model.Period{Kind: model.Quarter, Y: 2026, N: 1}, Value: 3, Note: "@sum"}}}}
	b, err := metricCSV(m)
	if err != nil {
		t.Fatal(err)
	}
	want := "period,partner,value,unit,note\n" +
		"2026-Q1,,1.5,visits,\"'=HYPERLINK(\"\"x\"\")\"\n" +
		"2026-Q2,,-2,visits,\"a, \"\"b\"\" <c>\"\n" +
		"2026-Q1,p,3,visits,'@sum\n"
	if string(b) != want {
		t.Errorf("data.csv:\n%s\nwant:\n%s", b, want)
	}
	if rows := coarseRows(english(), m, model.Year); len(rows) != 1 || rows[0].Value != "−2 visits" || !strings.Contains(rows[0].Note, "2 values") {
		t.Errorf("coarse rows: %+v", rows)
	}
}

// TestCoarseTableShowsLastValues checks that a coarse table's row holds
// each series' last value in its period, and "–" for a series without one.
func TestCoarseTableShowsLastValues(t *testing.T) {
	var pers []model.Period
	p, _ := model.ParsePeriod("2025-03-30")
	for range 5 { // 30, 31 March, 1-3 April
		pers = append(pers, p)
		p = p.Next()
	}
	v := func(x float64) *float64 { return &x }
	spec := &chart.Spec{Series: []chart.Series{
		{Name: "A", Values: []*float64{v(1), v(2.5), v(3), nil, nil}},
		{Name: "B", Values: []*float64{v(7), nil, nil, nil, nil}},
		{Name: "C", Values: []*float64{v(1)}}, // shorter than the periods
	}}
	got := coarseTable(english(), "Quarter", spec, pers, model.Quarter)
	want := chart.Table{Head: []string{"Quarter", "A", "B", "C"}, Rows: [][]string{
		{"Q1 2025", "2.5", "7", "1"},
		{"Q2 2025", "3", "–", "–"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("coarseTable = %q, want %q", got, want)
	}
	spec.Format = func(x float64) string { return fmt.Sprintf("%.1f!", x) }
	if got := coarseTable(english(), "Quarter", spec, pers, model.Quarter); got.Rows[0][1] != "2.5!" || got.Rows[1][1] != "3.0!" {
		t.Errorf("with the spec's format: %q", got.Rows)
	}
}
