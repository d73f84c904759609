package chart

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

const (
	axisColor  = "#6b7678" // readable on light and dark backgrounds
	gridColor  = "rgba(107,118,120,0.25)"
	targetText = "Target"
)

// echartsOption builds the chart with go-echarts and returns its option JSON.
func echartsOption(s *Spec, height int) (opt string, err error) {
	defer func() {
		// go-echarts panics on template errors; never let that take the build down.
		if r := recover(); r != nil {
			err = fmt.Errorf("chart %s: %v", s.ID, r)
		}
	}()
	init := opts.Initialization{ChartID: s.ID, Renderer: "svg", Width: "100%", Height: fmt.Sprintf("%dpx", height)}
	if s.Kind >= HBar {
		return kindOption(s, init)
	}
	// Short target and baseline labels go beside the plot, as in the static
	// SVG, where the latest value's label cannot meet them; long ones stay
	// inside, above their line.
	markPos, right := "end", "92"
	for _, v := range []*float64{s.Target, s.Baseline} {
		if v != nil && len([]rune("Baseline "+s.format(*v))) > 14 {
			markPos, right = "insideEndTop", "64"
		}
	}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(init),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: "24", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(yAxis(s)),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Color: axisColor}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(s.Series) > 1), Bottom: "0", TextStyle: &opts.TextStyle{Color: axisColor}}),
	}
	if len(s.Series) > 1 {
		global = append(global, charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: "24", Bottom: "36", ContainLabel: opts.Bool(true)}))
	}
	marks := func() []charts.SeriesOpts {
		var items []opts.MarkLineNameYAxisItem
		if s.Target != nil {
			items = append(items, opts.MarkLineNameYAxisItem{Name: targetText + " " + s.format(*s.Target), YAxis: *s.Target})
		}
		if s.Baseline != nil && (s.Target == nil || *s.Baseline != *s.Target) {
			items = append(items, opts.MarkLineNameYAxisItem{Name: "Baseline " + s.format(*s.Baseline), YAxis: *s.Baseline})
		}
		if len(items) == 0 {
			return nil
		}
		return []charts.SeriesOpts{
			charts.WithMarkLineNameYAxisItemOpts(items...),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: axisColor, Position: markPos},
				LineStyle: &opts.LineStyle{Type: "dashed", Color: axisColor, Width: 1.5},
			}),
		}
	}
	switch s.Kind {
	case Bar:
		c := charts.NewBar()
		c.SetGlobalOptions(global...)
		c.SetXAxis(s.Labels)
		for i, se := range s.Series {
			data := make([]opts.BarData, len(se.Values))
			for j, v := range se.Values {
				if v != nil {
					data[j] = opts.BarData{Value: *v}
				} else {
					data[j] = opts.BarData{Value: "-"}
				}
			}
			so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color(i)}),
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Color: axisColor})}
			if i == 0 {
				so = append(so, marks()...)
			}
			c.AddSeries(se.Name, data, so...)
		}
		return c.RenderSnippet().Option, nil
	default:
		c := charts.NewLine()
		c.SetGlobalOptions(global...)
		c.SetXAxis(s.Labels)
		for i, se := range s.Series {
			data := make([]opts.LineData, len(se.Values))
			last := -1
			for j, v := range se.Values {
				if v != nil {
					data[j] = opts.LineData{Value: *v}
					last = j
				} else {
					data[j] = opts.LineData{Value: "-"}
				}
			}
			so := []charts.SeriesOpts{}
			if last >= 0 && i == 0 {
				// Annotate the latest value on the line.
				data[last].Symbol = "circle"
				data[last].SymbolSize = 9
				so = append(so, charts.WithMarkPointNameCoordItemOpts(opts.MarkPointNameCoordItem{
					Name:       "latest",
					Coordinate: []interface{}{s.Labels[last], *se.Values[last]},
					Symbol:     "circle",
					SymbolSize: 1,
					Label:      &opts.Label{Show: opts.Bool(true), Formatter: s.format(*se.Values[last]), Position: "top", FontWeight: "bold", Color: s.color(0)},
				}))
			}
			so = append(so,
				charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), ShowSymbol: opts.Bool(true), SymbolSize: 6}),
				charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5, Color: s.color(i)}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color(i)}),
			)
			if i == 0 {
				so = append(so, marks()...)
			}
			c.AddSeries(se.Name, data, so...)
		}
		return c.RenderSnippet().Option, nil
	}
}

// yAxis spans the same range as the static chart: every value, the target
// and the baseline, from zero, rounded to the same ticks. (echarts would
// otherwise fit the data alone and cut off a target above it.)
func yAxis(s *Spec) opts.YAxis {
	y := opts.YAxis{
		Name:      s.Unit,
		AxisLabel: &opts.AxisLabel{Color: axisColor},
		SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: gridColor}},
	}
	if s.Kind == Line || s.Kind == Bar {
		if lo, hi, ok := s.bounds(); ok {
			ticks := niceTicks(lo, hi, 4)
			y.Min, y.Max = ticks[0], ticks[len(ticks)-1]
		}
	}
	return y
}
