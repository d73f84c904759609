package chart

import (
	"strings"
	"testing"
	"time"
)

// dailySpec is a metric page's line chart of n daily values (a random walk,
// the same each time) with a target and a baseline: the data shape of the
// benchmark (issue #21), 4,000 days a metric.
func dailySpec(n int) *Spec {
	s := &Spec{ID: "chart-m000", Kind: Line, Title: "Daily visits at 212", Subtitle: "Metric 0", Unit: "people",
		Labels: make([]string, n), Series: []Series{{Name: "Metric 0", Values: make([]*float64, n)}}}
	day := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1-n)
	v, x := 150.0, uint32(1)
	for i := 0; i < n; i++ {
		s.Labels[i] = day.AddDate(0, 0, i).Format("2 Jan 2006")
		x = x*1664525 + 1013904223
		v += float64(x>>28) - 7.5
		f := v
		s.Series[0].Values[i] = &f
	}
	target, baseline := 1000.0, 100.0
	s.Target, s.Baseline = &target, &baseline
	return s
}

// BenchmarkChartOption builds the chart of a metric with 4,000 daily
// values: web is what a metric page pays (Web: the series thinned by LTTB
// to what 720 px can show, its echarts option and its static SVG);
// downsample, option and svg are its parts; option-all is the option
// without thinning, the cost Web avoids.
func BenchmarkChartOption(b *testing.B) {
	s := dailySpec(4000)
	thin := s.Downsample(PointsFor(webWidth))
	b.Run("web", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			h, err := Web(s, 320)
			if err != nil || !strings.Contains(string(h), "lttb") {
				b.Fatalf("%v, %d bytes", err, len(h))
			}
		}
	})
	b.Run("downsample", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if d := s.Downsample(PointsFor(webWidth)); len(d.Labels) > PointsFor(webWidth) {
				b.Fatalf("%d periods", len(d.Labels))
			}
		}
	})
	b.Run("option", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := echartsOption(thin, 320); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("svg", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = SVG(thin, webWidth, 320)
		}
	})
	b.Run("option-all", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := echartsOption(s, 320); err != nil {
				b.Fatal(err)
			}
		}
	})
}
