package chart

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestSVGGapsTargetAndZeroBase(t *testing.T) {
	s := &Spec{ID: "c1", Title: "Coverage at 82 %", Unit: "%", Labels: []string{"Q1", "Q2", "Q3", "Q4"},
		Series: []Series{{Name: "Coverage", Values: []*float64{f(70), nil, f(78), f(82)}}},
		Target: f(90), Baseline: f(71)}
	svg := SVG(s, 600, 300)
	path := regexp.MustCompile(`<path d="([^"]+)"`).FindStringSubmatch(svg)
	if path == nil || strings.Count(path[1], "M") != 2 {
		t.Errorf("a gap should split the line into two runs: %v", path)
	}
	for _, want := range []string{`stroke-dasharray="6 4"`, "Target 90", "Baseline 71", `role="img"`, "<title>Coverage at 82 %", ">0<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestSVGNoData(t *testing.T) {
	svg := SVG(&Spec{ID: "e", Labels: nil}, 300, 150)
	if !strings.Contains(svg, "No data yet") {
		t.Error("an empty chart should say so")
	}
}

func TestWebIsReproducibleAndSafe(t *testing.T) {
	s := &Spec{ID: "chart-x", Title: "</script><script>alert(1)</script>", Unit: "%", Labels: []string{"Q1", "Q2"},
		Series: []Series{{Name: "A </script>", Values: []*float64{f(1), f(2)}}}, Target: f(3)}
	a, err := Web(s, 300)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Web(s, 300)
	if a != b {
		t.Error("two renders of one spec differ")
	}
	html := string(a)
	if strings.Count(html, "</script>") != 1 {
		t.Errorf("a series name closed the script element:\n%s", html)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="chart-x-option">(.*)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no option JSON")
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("option is not JSON: %v", err)
	}
	if !strings.Contains(m[1], "Target 3") || strings.Contains(m[1], "go-echarts.github.io") {
		t.Errorf("option: %s", m[1])
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   string
	}{
		{0, 90, "[0 25 50 75 100]"},
		{0, 1, "[0 0.25 0.5 0.75 1]"},
		{-5, 5, "[-5 -2.5 0 2.5 5]"},
	}
	for _, tc := range tests {
		got := niceTicks(tc.lo, tc.hi, 4)
		if s := strings.ReplaceAll(strings.Trim(strings.Join(strings.Fields(fmtFloats(got)), " "), " "), "  ", " "); s != tc.want {
			t.Errorf("niceTicks(%g, %g) = %s, want %s", tc.lo, tc.hi, s, tc.want)
		}
	}
}

func fmtFloats(v []float64) string {
	var parts []string
	for _, x := range v {
		parts = append(parts, trimFloat(x))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestSparklineGaps(t *testing.T) {
	h := string(Sparkline([]*float64{f(1), nil, f(3)}, "trend", 100, 20, "#000"))
	if !strings.Contains(h, `aria-label="trend"`) || strings.Count(h, "M") != 2 {
		t.Errorf("sparkline: %s", h)
	}
	if h := string(Sparkline(nil, "none", 100, 20, "#000")); strings.Contains(h, "<path") {
		t.Errorf("empty sparkline drew a path: %s", h)
	}
}

// TestSparklineLongSeries checks that a sparkline of a long series draws
// about a point every two pixels, keeps its gaps, and marks the latest
// value where the full drawing does; a short series is drawn whole.
func TestSparklineLongSeries(t *testing.T) {
	long := make([]*float64, 4000)
	for i := range long {
		if i%500 != 250 && i < 3990 { // gaps, and none at the end
			long[i] = f(float64(i%97) + float64(i)/100)
		}
	}
	h := string(Sparkline(long, "trend", 120, 32, "#000"))
	path := regexp.MustCompile(`<path d="([^"]+)"`).FindStringSubmatch(h)
	if path == nil {
		t.Fatalf("no path: %s", h)
	}
	if n := strings.Count(path[1], "M") + strings.Count(path[1], "L"); n > PointsFor(120)+1 || n < PointsFor(120)/2 {
		t.Errorf("a 120-pixel sparkline of 4,000 values draws %d points", n)
	}
	if strings.Count(path[1], "M") < 2 {
		t.Errorf("the gaps are gone: %s", path[1])
	}
	// The latest value (index 3989 of 4000) has its dot where drawing
	// every value puts it: 4 px of padding, then 112 px for the indexes.
	if got, want := regexp.MustCompile(`<circle[^>]*>`).FindString(h), fmt.Sprintf(`cx="%.1f"`, 4+112*3989.0/3999); !strings.Contains(got, want) {
		t.Errorf("latest value's dot %s, want %s", got, want)
	}
	short := []*float64{f(1), f(2), nil, f(4)}
	if a := string(Sparkline(short, "s", 120, 32, "#000")); strings.Count(a, "L")+strings.Count(a, "M") != 3 {
		t.Errorf("short series: %s", a)
	}
}
