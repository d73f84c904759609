package chart

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// longLine is a line chart of a daily series of n observations, with a
// target and a baseline, as a metric page draws it.
func longLine(n int) *Spec {
	s := &Spec{ID: "metric-m000", Title: "Metric 0", Unit: "people", Target: f(1000), Baseline: f(100)}
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	v := []*float64{}
	for i := range n {
		s.Labels = append(s.Labels, day.AddDate(0, 0, i).Format("2 Jan 2006"))
		if i%97 == 50 {
			v = append(v, nil) // a gap now and then
			continue
		}
		v = append(v, f(100+float64(i%400)+float64(i)/10))
	}
	s.Series = []Series{{Name: "Metric 0", Values: v}}
	return s
}

// BenchmarkEchartsOption is the echarts option of a line chart of 4,000
// points: as the web page draws it (downsampled to the chart's width) and
// whole.
func BenchmarkEchartsOption(b *testing.B) {
	for _, bc := range []struct {
		name string
		s    *Spec
	}{
		{"web", longLine(4000).Downsample(PointsFor(webWidth))},
		{"all", longLine(4000)},
	} {
		b.Run(fmt.Sprintf("%s-%d", bc.name, len(bc.s.Labels)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := echartsOption(bc.s, 320); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOptionJSONIsRenderSnippets checks that optionJSON returns the bytes
// of go-echarts' RenderSnippet().Option, which it replaces, for labels and
// names that its escaping, unescaping and mark removal could change (but
// for the blank lines after it, which RenderSnippet's template adds and
// patch's decoder skips).
func TestOptionJSONIsRenderSnippets(t *testing.T) {
	for _, label := range []string{
		"Q1 2024", "</script><script>alert(1)</script>", "R&amp;D & co", "it's \"quoted\" + more",
		"a__f__b", `"__f__x__f__"`, "nul\x00byte", "line\u2028sep", "bad\xffutf8", "tab\tand\nnewline", "&#34;&lt;",
	} {
		build := func() *charts.Line {
			c := charts.NewLine()
			c.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: label}), charts.WithYAxisOpts(opts.YAxis{Name: label}))
			c.SetXAxis([]string{label, "2"})
			c.AddSeries(label, []opts.LineData{{Value: 1.5, Name: label}, {Value: "-"}},
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: label, YAxis: 3}))
			return c
		}
		trim := func(s string) string { return strings.TrimRight(s, "\n") }
		want := trim(build().RenderSnippet().Option)
		if got := trim(string(optionJSON(build()))); got != want {
			t.Errorf("label %q:\n got %q\nwant %q", label, got, want)
		}
		b := charts.NewBar()
		b.SetXAxis([]string{label})
		b.XYReversal()
		b.AddSeries(label, []opts.BarData{{Value: 2, Tooltip: tooltip(label)}})
		want = trim(b.RenderSnippet().Option)
		b = charts.NewBar()
		b.SetXAxis([]string{label})
		b.XYReversal()
		b.AddSeries(label, []opts.BarData{{Value: 2, Tooltip: tooltip(label)}})
		if got := trim(string(optionJSON(b))); got != want {
			t.Errorf("bar label %q:\n got %q\nwant %q", label, got, want)
		}
	}
}
