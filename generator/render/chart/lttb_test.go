package chart

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func vals(xs ...float64) []*float64 {
	out := make([]*float64, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

func TestLTTB(t *testing.T) {
	spike := make([]float64, 100)
	spike[37] = 50
	gappy := vals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	gappy[5] = nil
	for _, tc := range []struct {
		name string
		ys   []*float64
		n    int
		want []int
	}{
		{"fewer points than n", vals(1, 2, 3), 5, []int{0, 1, 2}},
		{"n below 3 keeps all", vals(1, 2, 3, 4), 2, []int{0, 1, 2, 3}},
		{"empty", nil, 10, []int{}},
		// Buckets of two: [1,2] [3,4] [5,6] [7,8]; the peak and the trough win.
		{"peaks and troughs", vals(0, 0, 9, 0, 0, -9, 0, 0, 0, 0), 6, []int{0, 2, 3, 5, 7, 9}},
		{"a spike is kept", vals(spike...), 10, nil},
		// On a straight line every triangle is flat: the first point of a
		// bucket wins; the bucket with the gap keeps it too.
		{"a gap is kept", gappy, 4, []int{0, 1, 5, 6, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := LTTB(tc.ys, tc.n)
			if tc.name == "a spike is kept" {
				if len(got) != 10 || !contains(got, 37) {
					t.Errorf("LTTB = %v, want 10 points with the spike at 37", got)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("LTTB = %v, want %v", got, tc.want)
			}
		})
	}
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// TestLTTBProperties checks, for many lengths and sizes, that LTTB keeps
// n points in increasing order with the first and the last.
func TestLTTBProperties(t *testing.T) {
	for _, size := range []int{3, 10, 99, 1000, 4000} {
		ys := make([]*float64, size)
		for i := range ys {
			v := math.Sin(float64(i)/7) * float64(i%13)
			ys[i] = &v
		}
		for _, n := range []int{3, 4, 50, 360} {
			got := LTTB(ys, n)
			want := min(n, size)
			if len(got) != want {
				t.Errorf("size %d, n %d: %d points, want %d", size, n, len(got), want)
			}
			if got[0] != 0 || got[len(got)-1] != size-1 {
				t.Errorf("size %d, n %d: first %d, last %d", size, n, got[0], got[len(got)-1])
			}
			for i := 1; i < len(got); i++ {
				if got[i] <= got[i-1] {
					t.Fatalf("size %d, n %d: indexes not increasing at %d: %v", size, n, i, got)
				}
			}
		}
	}
}

func TestDownsampleLongSeries(t *testing.T) {
	s := &Spec{ID: "long", Kind: Line, Unit: "doses"}
	for i := 0; i < 4000; i++ {
		v := float64(1000 + i%50)
		s.Labels = append(s.Labels, fmt.Sprintf("D%d", i))
		s.Series = append(s.Series[:0], Series{Name: "Doses", Values: append(valuesOf(s), &v)})
	}
	d := s.Downsample(PointsFor(webWidth))
	if len(d.Labels) != 360 || len(d.Series[0].Values) != 360 || d.Labels[0] != "D0" || d.Labels[359] != "D3999" {
		t.Errorf("downsampled to %d labels (%s…%s), want 360 from D0 to D3999", len(d.Labels), d.Labels[0], d.Labels[len(d.Labels)-1])
	}
	if len(s.Labels) != 4000 {
		t.Error("Downsample changed its input")
	}
	html, err := Web(s, 320)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(html), "<circle"); n > 400 {
		t.Errorf("the static drawing has %d points", n)
	}
	if len(html) > 120_000 {
		t.Errorf("a 4,000-point chart is %d bytes of HTML", len(html))
	}
	if short := (&Spec{Kind: Line, Labels: []string{"a"}, Series: []Series{{Values: vals(1)}}}); short.Downsample(10) != short {
		t.Error("a short chart should be returned as it is")
	}
}

func valuesOf(s *Spec) []*float64 {
	if len(s.Series) == 0 {
		return nil
	}
	return s.Series[0].Values
}

func TestWholeNumberTicks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []*float64
		target float64
		want   []float64
	}{
		{"counts 0 to 2", vals(0, 1, 2), 2, []float64{0, 1, 2}},
		{"counts 0 to 3", vals(0, 1, 2, 3), 3, []float64{0, 1, 2, 3}},
		{"fractions keep half steps", vals(0, 0.5, 1.5), 2, []float64{0, 0.5, 1, 1.5, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Spec{ID: "c", Kind: Line, Labels: []string{"Q1", "Q2", "Q3", "Q4"}[:len(tc.values)], Series: []Series{{Values: tc.values}}, Target: &tc.target}
			lo, hi, _ := s.Bounds()
			if got := s.Ticks(lo, hi); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ticks %v, want %v", got, tc.want)
			}
			opt, err := echartsOption(s, 300)
			if err != nil {
				t.Fatal(err)
			}
			if whole := strings.Contains(opt, `"minInterval":1`); whole != s.whole() {
				t.Errorf("minInterval 1 is %v for %s: %s", whole, tc.name, opt)
			}
		})
	}
}

// TestLineLabelPlaces checks where the interactive line chart puts its
// labels: the latest value above and left of its point; short target and
// baseline labels beside the plot, long ones at the start of their line;
// a baseline too close to the target without a label of its own; and a
// line height for wrapped category names.
func TestLineLabelPlaces(t *testing.T) {
	opt := func(s *Spec) string {
		o, err := echartsOption(s, 320)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	short := &Spec{ID: "a", Kind: Line, Unit: "%", Labels: []string{"Q1", "Q2"}, Series: []Series{{Name: "C", Values: vals(70, 82.6)}}, Target: f(90), Baseline: f(71),
		Format: func(v float64) string { return trimFloat(v) + " %" }}
	o := opt(short)
	for _, want := range []string{`"align":"right"`, `"position":"end"`, `"Target 90 %"`, `"Baseline 71 %"`, `"sampling":"lttb"`, `"nameTextStyle":{"align":"left"`} {
		if !strings.Contains(o, want) {
			t.Errorf("short labels: option lacks %s: %s", want, o)
		}
	}
	long := *short
	long.Unit, long.Format = "sessions", func(v float64) string { return trimFloat(v) + " sessions" }
	if o := opt(&long); !strings.Contains(o, `"position":"insideStartTop"`) {
		t.Errorf("long labels should go at the start of their line: %s", o)
	}
	falling := *short
	falling.Series = []Series{{Name: "C", Values: vals(80, 60)}}
	if o := opt(&falling); !strings.Contains(o, `"position":"bottom"`) {
		t.Errorf("a line falling into its latest value should be labelled below the point: %s", o)
	}
	falling.Series = []Series{{Name: "C", Values: vals(80, 0)}}
	if o := opt(&falling); strings.Contains(o, `"position":"bottom"`) {
		t.Errorf("a latest value at the axis should be labelled above the point: %s", o)
	}
	close := *short
	close.Baseline = f(89)
	if o := opt(&close); strings.Contains(o, "Baseline") {
		t.Errorf("a baseline 1 point under the target should lose its label: %s", o)
	}
	hbar := &Spec{ID: "h", Kind: HBar, Labels: []string{"Riverbend Valley Health Department", "Kestrel"}, Series: []Series{{Name: "S", Values: vals(17, 10)}}}
	if o := opt(hbar); !strings.Contains(o, `"lineHeight":13`) || !strings.Contains(o, `"minInterval":1`) {
		t.Errorf("wrapped names need a line height and counts whole ticks: %s", o)
	}
	// Every label has the explicit line height, not echarts' default,
	// which it measures from a CJK glyph and so depends on the reader's
	// fonts (with CJK fonts the axis name and the target's label went
	// above the chart and category names were hidden).
	withUnit := *short
	withUnit.Unit = "%"
	if o := opt(&withUnit); strings.Count(o, `"lineHeight":13`) < 3 || !strings.Contains(o, `"nameTextStyle":{"align":"left","color":"#6b7678","lineHeight":13}`) {
		t.Errorf("the axis name, the axis labels and the marks' labels need the line height: %s", o)
	}
	if got := wrappedLabels([]string{"Shared work-plan actions done on time"}, 18)[0]; got != "Shared work-plan\nactions done on time" {
		t.Errorf("wrapped into %q, want two lines", got)
	}
}

// TestDownsampleManySeries: lines beyond two share the chart's points
// (twice what one line gets, at least 24 periods each), so a chart of 20
// partners over 4,000 days does not draw 20 × 360 points.
func TestDownsampleManySeries(t *testing.T) {
	tests := []struct{ series, budget, want int }{
		{1, 360, 360},
		{2, 360, 360},
		{3, 360, 240},
		{20, 360, 36},
		{60, 360, 24},
		{60, 10, 10},
	}
	for _, tc := range tests {
		s := &Spec{Kind: Line}
		for i := 0; i < 4000; i++ {
			s.Labels = append(s.Labels, fmt.Sprint(i))
		}
		for k := 0; k < tc.series; k++ {
			v := make([]*float64, 4000)
			for i := range v {
				x := float64((i*7 + k*13) % 500)
				v[i] = &x
			}
			s.Series = append(s.Series, Series{Values: v})
		}
		if got := len(s.Downsample(tc.budget).Labels); got != tc.want {
			t.Errorf("%d series, budget %d: %d periods, want %d", tc.series, tc.budget, got, tc.want)
		}
	}
}
