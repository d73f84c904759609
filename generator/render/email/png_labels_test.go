package email

import (
	"fmt"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

func num(v float64) *float64 { return &v }

// series returns a spec of one line through vs, with a target and a
// baseline (nil for none).
func lineSpec(unit string, target, baseline *float64, vs ...float64) *chart.Spec {
	s := &chart.Spec{ID: "t", Kind: chart.Line, Unit: unit, Target: target, Baseline: baseline,
		Format: func(v float64) string { return model.FormatValue(v, unit) }}
	var vals []*float64
	for i, v := range vs {
		s.Labels = append(s.Labels, fmt.Sprintf("Q%d %d", i%4+1, 2024+i/4))
		vals = append(vals, num(v))
	}
	s.Series = []chart.Series{{Name: "S", Values: vals}}
	return s
}

// TestChartPNGLabelBoxes draws charts whose direct labels want the same
// place (the latest value next to the target, a baseline at zero beside
// the last period's label, all three at one height) at the email's and
// the feed's sizes, and checks the boxes of the labels drawn: no two
// overlap, none goes below the x axis (where the period labels are), they
// are stacked in the order of their values, and the latest value is
// always drawn.
func TestChartPNGLabelBoxes(t *testing.T) {
	specs := map[string]*chart.Spec{
		"88 sessions under target 90":   lineSpec("sessions", num(90), num(45), 47, 53, 57, 65, 51, 66, 69, 72, 80, 80, 88),
		"baseline 0 by the last period": lineSpec("changes", num(3), num(0), 0, 1, 1, 2, 1, 3, 2, 2, 3, 1, 2),
		"all three at one height":       lineSpec("%", num(50), num(50.5), 40, 45, 50),
		"target at the latest value":    lineSpec("outbreaks", num(0), num(3), 3, 2, 4, 2, 2, 1, 2, 1, 1, 0, 0),
		"one period":                    lineSpec("doses", num(6200), num(4700), 6100),
	}
	sizes := []struct{ w, h int }{{ChartWidth, ChartHeight}, {720, 360}, {300, 160}}
	if raceEnabled {
		// Drawing runs on one goroutine: the race detector has nothing to
		// find here, and makes each chart ten times slower. make test runs
		// every size in its plain lane, without the detector.
		sizes = sizes[:1]
	}
	for name, s := range specs {
		for _, sz := range sizes {
			for _, sc := range []scheme{lightScheme, darkScheme()} {
				png, boxes, err := drawChartBoxes(s, sz.w, sz.h, sc)
				if err != nil || len(png) == 0 {
					t.Fatalf("%s at %d×%d: %v", name, sz.w, sz.h, err)
				}
				where := fmt.Sprintf("%s at %d×%d", name, sz.w, sz.h)
				bs := boxes.boxes
				for i := range bs {
					for j := i + 1; j < len(bs); j++ {
						if bs[i].overlaps(bs[j]) {
							t.Errorf("%s: %q overlaps %q", where, bs[i].text, bs[j].text)
						}
					}
					if bs[i].minY < boxes.axisY-0.01 {
						t.Errorf("%s: %q goes below the x axis", where, bs[i].text)
					}
				}
				latest := s.Format(*s.Series[0].Values[len(s.Series[0].Values)-1])
				drawn := false
				for i, b := range bs {
					drawn = drawn || b.text == latest
					if i > 0 && b.maxY > bs[i-1].minY {
						t.Errorf("%s: %q is not below %q", where, b.text, bs[i-1].text)
					}
				}
				if !drawn {
					t.Errorf("%s: the latest value %q is not drawn: %v (skipped %v)", where, latest, bs, boxes.skipped)
				}
			}
		}
	}
}

// TestChartPNGWholeTicks checks that counts get whole-number ticks (no
// 0.5 changes) and fractions keep their halves.
func TestChartPNGWholeTicks(t *testing.T) {
	for _, tc := range []struct {
		spec *chart.Spec
		want string
	}{
		{lineSpec("changes", num(2), nil, 0, 1, 2, 1), "0 1 2 changes"},
		{lineSpec("outbreaks", nil, nil, 0, 1, 0), "0 1 outbreaks"},
		{lineSpec("hours", nil, nil, 0.5, 1.5), "0 0.5 1 1.5 hours"},
	} {
		lo, hi, _ := tc.spec.Bounds()
		_, yt := valueTicks(tc.spec, lo, hi)
		var got []string
		for _, tk := range yt {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s ticks: %q, want %q", tc.spec.Unit, strings.Join(got, " "), tc.want)
		}
	}
}
