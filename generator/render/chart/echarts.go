package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

const (
	axisColor = "#6b7678" // readable on light and dark backgrounds
	gridColor = "rgba(107,118,120,0.25)"
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
	return s.drawer().option(s, init, height)
}

// lineOption builds the echarts option of a line chart.
func lineOption(s *Spec, init opts.Initialization, height int) (string, error) {
	// Short target and baseline labels go beside the plot, as in the static
	// SVG, where the latest value's label (above and left of its point)
	// cannot meet them; long ones go inside, above their line at its start,
	// away from the latest value. A baseline within a line's height of the
	// target keeps its line but not its label (the caption gives it).
	markPos, right := "end", "92"
	if s.Target == nil && s.Baseline == nil {
		right = "16" // no labels beside the plot
	}
	for _, v := range []*float64{s.Target, s.Baseline} {
		if v != nil && len([]rune(s.BaselineWord()+" "+s.format(*v))) > 14 {
			markPos, right = "insideStartTop", "16"
		}
	}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(init),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: "32", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(yAxis(s)),
		charts.WithXAxisOpts(xAxis(s)),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(s.Series) > 1), Bottom: "0", TextStyle: &opts.TextStyle{Color: axisColor}}),
	}
	if len(s.Series) > 1 {
		global = append(global, charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: "32", Bottom: "36", ContainLabel: opts.Bool(true)}))
	}
	marks := func() []charts.SeriesOpts {
		var items []opts.MarkLineNameYAxisItem
		if s.Target != nil {
			items = append(items, opts.MarkLineNameYAxisItem{Name: s.TargetWord() + " " + s.format(*s.Target), YAxis: *s.Target})
		}
		if s.Baseline != nil && (s.Target == nil || *s.Baseline != *s.Target) {
			name := s.BaselineWord() + " " + s.format(*s.Baseline)
			if s.Target != nil && s.closeLines(*s.Target, *s.Baseline, height) {
				name = "" // too close to the target's label to have its own
			}
			items = append(items, opts.MarkLineNameYAxisItem{Name: name, YAxis: *s.Baseline})
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
				// Above and left of the point, inside the plot: the
				// target's and baseline's labels are beside it or at
				// the start of their lines; below the point when the
				// line falls into it.
				Label: &opts.Label{Show: opts.Bool(true), Formatter: s.format(*se.Values[last]), Position: latestPos(s, se.Values, last, height), Align: "right", FontWeight: "bold", Color: s.color(0)},
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
	return finish(c)
}

// echartsChart is a go-echarts chart: Validate fills in what its setters
// left (the category axis's data), JSON returns its option.
type echartsChart interface {
	Validate()
	JSON() map[string]interface{}
}

// optionJSON returns the chart's option as go-echarts' RenderSnippet().Option
// does, without its templates: RenderSnippet parses three templates and runs
// each (the script's embeds the option a second time), HTML-escapes the
// option, removes go-echarts' marks around JavaScript functions with a
// regexp and unescapes it again. That took about 80 % of the time of a line
// chart's option. The escaping and unescaping cancel out (the JSON has no
// NUL byte, which alone they would change); the regexp runs on the escaped
// text, where its alternatives with a quote never match (the quotes are
// &#34;), so it removes every "__f__" and nothing else, as ReplaceAll does
// here. Our options set no functions; a label could hold the mark.
func optionJSON(c echartsChart) []byte {
	c.Validate()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as JSONNotEscaped
	if err := enc.Encode(c.JSON()); err != nil {
		panic(err) // as go-echarts, recovered in echartsOption
	}
	if mark := []byte("__f__"); bytes.Contains(b.Bytes(), mark) {
		return bytes.ReplaceAll(b.Bytes(), mark, nil)
	}
	return b.Bytes()
}

// textLineHeight is the line height of every chart label, in pixels.
const textLineHeight = 13

// finish sets what go-echarts has no field for: echarts' own LTTB
// sampling of line series (for charts that still hold more points than
// pixels), the axis name's alignment with the axis, so that a long unit
// ("outbreaks") is not cut at the chart's left edge, and a line height for
// category names wrapped over two lines (echarts measures its default from
// a CJK glyph, "国": a browser without CJK fonts measures it too small,
// printing two lines on top of each other, and one with them, as most
// readers' are, measures it at the font's size, which moved the axis's
// name and the target's label above the chart and hid category names).
// Every label gets the same explicit line height instead, so the layout
// is the same whatever fonts the reader's system has.
func finish(c echartsChart) (string, error) {
	return patch(optionJSON(c), func(o map[string]any) {
		for _, se := range list(o["series"]) {
			if se["type"] == "line" {
				se["sampling"] = "lttb"
			}
		}
		for _, y := range list(o["yAxis"]) {
			if y["name"] != nil {
				y["nameTextStyle"] = map[string]any{"align": "left", "color": axisColor, "lineHeight": textLineHeight}
			}
		}
		for _, a := range append(list(o["xAxis"]), list(o["yAxis"])...) {
			if label, ok := a["axisLabel"].(map[string]any); ok {
				label["lineHeight"] = textLineHeight
			}
		}
		for _, se := range list(o["series"]) {
			if l, ok := se["label"].(map[string]any); ok {
				l["lineHeight"] = textLineHeight
			}
			for _, k := range []string{"markLine", "markPoint"} {
				m, _ := se[k].(map[string]any)
				if l, ok := m["label"].(map[string]any); ok {
					l["lineHeight"] = textLineHeight
				}
				for _, d := range list(m["data"]) {
					if l, ok := d["label"].(map[string]any); ok {
						l["lineHeight"] = textLineHeight
					}
				}
			}
		}
	})
}

// patch decodes an echarts option, lets f change it and encodes it again.
func patch(opt []byte, f func(o map[string]any)) (string, error) {
	d := json.NewDecoder(bytes.NewReader(opt))
	d.UseNumber()
	var o map[string]any
	if err := d.Decode(&o); err != nil {
		return "", fmt.Errorf("echarts option: %v", err)
	}
	f(o)
	b, err := json.Marshal(o)
	return string(b), err
}

// list returns the objects of an option's array (or its one object).
func list(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// latestPos is where the latest value's label goes: above its point
// when the line rises or stays level into it, so that the label is clear
// of the line; below it when the line falls into it, unless the point is
// at the bottom of the plot, where the period labels are.
func latestPos(s *Spec, vals []*float64, last, height int) string {
	prev := -1
	for i := last - 1; i >= 0; i-- {
		if vals[i] != nil {
			prev = i
			break
		}
	}
	if prev < 0 || *vals[prev] <= *vals[last] {
		return "top"
	}
	if lo, hi, ok := s.bounds(); ok && s.closeLines(*vals[last], math.Min(lo, s.ticks(lo, hi)[0]), height) {
		return "top"
	}
	return "bottom"
}

// closeLines reports whether two horizontal lines at values a and b are
// drawn less than a label's height apart in a chart of the given height.
func (s *Spec) closeLines(a, b float64, height int) bool {
	lo, hi, ok := s.bounds()
	if !ok {
		return false
	}
	ticks := s.ticks(lo, hi)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	plot := float64(height) - 80 // less the axis, the legend and the margins
	return math.Abs(a-b)/(hi-lo)*plot < 18
}

// xAxis sets the period labels a little further below the axis than
// echarts' 8px, so that the first ("Q1 2024") does not meet the value
// axis's "0" on a narrow chart.
func xAxis(s *Spec) opts.XAxis {
	return opts.XAxis{AxisLabel: &opts.AxisLabel{Color: axisColor, Margin: 12}}
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
	if s.Kind == Line {
		if lo, hi, ok := s.bounds(); ok {
			ticks := s.ticks(lo, hi)
			y.Min, y.Max = ticks[0], ticks[len(ticks)-1]
		}
	}
	if s.whole() {
		y.MinInterval = 1 // counts: no half sessions on the axis
	}
	return y
}
