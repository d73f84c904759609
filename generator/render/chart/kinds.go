package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// The kinds drawn here, for the executive briefing: horizontal bars by
// category, progress to target, before and after, and shares of a total.
// Each has an echarts option (hbarsOption, progressOption,
// beforeAfterOption, shareOption) and a static SVG (briefSVG with svgHBars,
// svgBeforeAfter, svgShare) drawn from the same Spec, data and colours; the
// table kinds (chart.go) says which draws which kind.

// mutedColor is the colour of "before" bars: a grey that keeps a 3:1
// contrast with a white page, so it reads as data, not as decoration.
const mutedColor = "#7b8689"

// MaxShareParts is the most parts a share bar shows (DESIGN: at most five
// series); the render step groups the rest as "Others".
const MaxShareParts = 5

// barColor returns the colour of bar i of series si.
func (s *Spec) barColor(si, i int) string {
	switch s.Kind {
	case BeforeAfter:
		if len(s.Series) > 1 {
			if si == 0 {
				return mutedColor
			}
			return s.color(0)
		}
		if i < len(s.Labels)-1 {
			return mutedColor
		}
		return s.color(0)
	case Share:
		return s.color(i)
	}
	return s.color(si)
}

// value returns series si's value for category i, or nil.
func (s *Spec) value(si, i int) *float64 {
	if si >= len(s.Series) || i >= len(s.Series[si].Values) {
		return nil
	}
	return s.Series[si].Values[i]
}

// Shares returns each category's share of the first series' total, in
// percent, and the total. Missing and negative values count as zero.
func (s *Spec) Shares() (shares []float64, total float64) {
	for i := range s.Labels {
		if v := s.value(0, i); v != nil && *v > 0 {
			total += *v
		}
	}
	shares = make([]float64, len(s.Labels))
	if total == 0 {
		return shares, 0
	}
	for i := range s.Labels {
		if v := s.value(0, i); v != nil && *v > 0 {
			shares[i] = *v / total * 100
		}
	}
	return shares, total
}

func percent(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strings.Replace(fmt.Sprintf("%.1f %%", v), "-", "−", 1)
	}
	return strings.Replace(fmt.Sprintf("%.0f %%", v), "-", "−", 1)
}

// wrapWords breaks s into lines of at most width characters, at spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// inkOn returns black or white, whichever reads better on colour c (#rrggbb).
func inkOn(c string) string {
	var r, g, b int
	if _, err := fmt.Sscanf(c, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return "#fff"
	}
	lin := func(v int) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	if (l+0.05)/0.05 > 1.05/(l+0.05) {
		return "#000"
	}
	return "#fff"
}

// echartsLabel returns an echarts label showing exactly text. Braces
// would be read as echarts placeholders, so they become parentheses.
func echartsLabel(text, position, color string) *opts.Label {
	text = strings.NewReplacer("{", "(", "}", ")").Replace(text)
	return &opts.Label{Show: opts.Bool(true), Position: position, Formatter: text, Color: color, FontWeight: "bold", FontSize: 13}
}

// wrappedLabels breaks category labels for an echarts axis, on at most
// two lines (the rest of a long name joins the second), as a third would
// not fit a briefing chart's row and echarts would hide the name.
func wrappedLabels(labels []string, width int) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		lines := wrapWords(l, width)
		if len(lines) > 2 {
			lines = []string{lines[0], strings.Join(lines[1:], " ")}
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out
}

// tooltip returns an echarts tooltip showing exactly text.
func tooltip(text string) *opts.Tooltip {
	return &opts.Tooltip{Formatter: types.FuncStr(strings.NewReplacer("{", "(", "}", ")").Replace(text))}
}

// barChart is what the echarts options of the briefing kinds start from:
// a bar chart, the global options they share and the axes' styles.
type barChart struct {
	c        *charts.Bar
	global   []charts.GlobalOpts
	axisText *opts.AxisLabel
	split    *opts.SplitLine
	wrapped  *opts.AxisLabel // category names wrapped over two lines get a line height in finish
	ya       opts.YAxis      // a value axis from zero
}

func newBarChart(s *Spec, init opts.Initialization) barChart {
	b := barChart{c: charts.NewBar()}
	b.axisText = &opts.AxisLabel{Color: axisColor}
	b.split = &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: gridColor}}
	b.wrapped = &opts.AxisLabel{Color: axisColor, Interval: "0", FontSize: 12}
	b.ya = opts.YAxis{Type: "value", Min: 0, Name: s.Unit, AxisLabel: b.axisText, SplitLine: b.split}
	if s.whole() {
		b.ya.MinInterval = 1
	}
	b.global = []charts.GlobalOpts{
		charts.WithInitializationOpts(init),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	}
	return b
}

// hbarsOption builds the echarts option of HBar and Progress: one
// horizontal bar per category (clamped to 0–100 % with a target line at
// 100 % for Progress).
func hbarsOption(s *Spec, init opts.Initialization, _ int) (string, error) {
	bc := newBarChart(s, init)
	c, global, axisText, split, wrapped := bc.c, bc.global, bc.axisText, bc.split, bc.wrapped
	xa := opts.XAxis{Type: "value", Min: 0, AxisLabel: axisText, SplitLine: split}
	if s.whole() {
		xa.MinInterval = 1
	}
	if s.Kind == Progress {
		xa.Max = 100
		xa.AxisLabel = &opts.AxisLabel{Color: axisColor, Formatter: "{value} %"}
	}
	global = append(global,
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "88", Top: "20", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(xa),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", AxisLabel: wrapped}),
	)
	c.SetGlobalOptions(global...)
	// A category axis runs upwards; reverse the categories so that the
	// first is at the top, as in the static SVG.
	n := len(s.Labels)
	names := wrappedLabels(s.Labels, 18)
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	c.SetXAxis(names)
	c.XYReversal()
	data := make([]opts.BarData, n)
	for k := range data {
		i := n - 1 - k
		l := s.Labels[i]
		v := s.value(0, i)
		if v == nil {
			data[k] = opts.BarData{Value: "-"}
			continue
		}
		shown := *v
		if s.Kind == Progress {
			shown = math.Max(0, math.Min(100, shown))
		}
		data[k] = opts.BarData{Value: shown, Label: echartsLabel(s.format(*v), "right", axisColor),
			Tooltip: tooltip(s.labelValue(l, s.format(*v)))}
	}
	so := []charts.SeriesOpts{
		charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color(0)}),
		charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "35%"}),
	}
	if s.Kind == Progress {
		so = append(so,
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: s.TargetWord(), XAxis: 100}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: axisColor, Position: "end"},
				LineStyle: &opts.LineStyle{Type: "dashed", Color: axisColor, Width: 1.5},
			}))
	}
	name := ""
	if len(s.Series) > 0 {
		name = s.Series[0].Name
	}
	c.AddSeries(name, data, so...)
	return finish(c)
}

// progressOption builds the echarts option of Progress: hbarsOption's,
// with three ticks.
func progressOption(s *Spec, init opts.Initialization, height int) (string, error) {
	opt, err := hbarsOption(s, init, height)
	if err != nil {
		return opt, err
	}
	// Three ticks, 0 %, 50 % and 100 %: five crowd a narrow briefing chart.
	return patch([]byte(opt), func(o map[string]any) {
		for _, x := range list(o["xAxis"]) {
			x["interval"] = 50
		}
	})
}

// beforeAfterOption builds the echarts option of BeforeAfter: bars
// before (muted) and after (accent), with the target dashed.
func beforeAfterOption(s *Spec, init opts.Initialization, _ int) (string, error) {
	bc := newBarChart(s, init)
	c, global, wrapped, ya := bc.c, bc.global, bc.wrapped, bc.ya
	global = append(global,
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "80", Top: "28", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: wrapped}),
		charts.WithYAxisOpts(ya),
	)
	if len(s.Series) > 1 {
		global = append(global,
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", TextStyle: &opts.TextStyle{Color: axisColor}}),
			charts.WithGridOpts(opts.Grid{Left: "8", Right: "80", Top: "28", Bottom: "36", ContainLabel: opts.Bool(true)}))
	}
	c.SetGlobalOptions(global...)
	c.SetXAxis(wrappedLabels(s.Labels, 18))
	for si, se := range s.Series {
		data := make([]opts.BarData, len(s.Labels))
		for i, l := range s.Labels {
			v := s.value(si, i)
			if v == nil {
				data[i] = opts.BarData{Value: "-"}
				continue
			}
			who := l
			if len(s.Series) > 1 {
				who = s.pair(l, se.Name)
			}
			data[i] = opts.BarData{Value: *v, ItemStyle: &opts.ItemStyle{Color: s.barColor(si, i)},
				Label: echartsLabel(s.format(*v), "top", axisColor), Tooltip: tooltip(s.labelValue(who, s.format(*v)))}
		}
		so := []charts.SeriesOpts{
			charts.WithItemStyleOpts(opts.ItemStyle{Color: s.barColor(si, len(s.Labels)-1)}),
			charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "30%", BarGap: "12%"}),
		}
		if si == 0 && s.Target != nil {
			so = append(so,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: s.TargetWord() + " " + s.format(*s.Target), YAxis: *s.Target}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: axisColor, Position: "end"},
					LineStyle: &opts.LineStyle{Type: "dashed", Color: axisColor, Width: 1.5},
				}))
		}
		c.AddSeries(se.Name, data, so...)
	}
	return finish(c)
}

// shareOption builds the echarts option of Share: one 100 % bar, a part
// for each category, with a legend.
func shareOption(s *Spec, init opts.Initialization, _ int) (string, error) {
	bc := newBarChart(s, init)
	c, global := bc.c, bc.global
	shares, _ := s.Shares()
	var names []string
	for i, l := range s.Labels {
		names = append(names, l+" · "+percent(shares[i]))
	}
	global = append(global,
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Height: "64", ContainLabel: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Show: opts.Bool(false)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "92", Left: "8", Orient: "vertical",
			ItemWidth: 16, ItemHeight: 16, TextStyle: &opts.TextStyle{Color: axisColor, FontSize: 14}}),
	)
	c.SetGlobalOptions(global...)
	c.SetXAxis([]string{s.Subtitle})
	c.XYReversal()
	for i := range s.Labels {
		v := s.value(0, i)
		value := ""
		if v != nil {
			value = " (" + s.format(*v) + ")"
		}
		col := s.barColor(0, i)
		d := opts.BarData{Value: math.Round(shares[i]*10) / 10, Tooltip: tooltip(names[i] + value)}
		if shares[i] >= 12 {
			d.Label = echartsLabel(percent(shares[i]), "inside", inkOn(col))
		}
		c.AddSeries(names[i], []opts.BarData{d},
			charts.WithItemStyleOpts(opts.ItemStyle{Color: col, BorderColor: "#fff", BorderWidth: 1}),
			charts.WithBarChartOpts(opts.BarChart{Stack: "share", BarWidth: "64"}))
	}
	return finish(c)
}

// briefSVG returns the static SVG drawer of a briefing kind: the frame,
// title and "No data yet" the kinds share, with draw for the chart.
func briefSVG(draw func(b *strings.Builder, s *Spec, W, H float64)) func(s *Spec, width, height int) string {
	return func(s *Spec, width, height int) string { return framedSVG(s, width, height, draw) }
}

func framedSVG(s *Spec, width, height int, draw func(b *strings.Builder, s *Spec, W, H float64)) string {
	var b strings.Builder
	W, H := float64(width), float64(height)
	fmt.Fprintf(&b, `<svg class="chart-static" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="%s">`,
		width, height, attr(s.ariaLabel()))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(s.ariaLabel()))
	has := false
	for i := range s.Labels {
		for si := range s.Series {
			if s.value(si, i) != nil {
				has = true
			}
		}
	}
	if !has {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="14" fill="%s" %s>%s</text></svg>`, W/2, H/2, axisColor, font, esc(s.NoDataText()))
		return b.String()
	}
	draw(&b, s, W, H)
	b.WriteString(`</svg>`)
	return b.String()
}

// svgHBars draws one horizontal bar per category, the category's name on
// its own line above the bar so that long names keep the full width, and
// the value at the end of the bar. Progress bars run from 0 to 100 % with
// the target dashed at 100 %.
func svgHBars(b *strings.Builder, s *Spec, W, H float64) {
	left, right, top, bottom := 8.0, 96.0, 20.0, 26.0
	n := len(s.Labels)
	pw := W - left - right
	lo, hi := 0.0, 100.0
	if s.Kind == HBar {
		hi = 0
		for i := range s.Labels {
			if v := s.value(0, i); v != nil {
				lo, hi = math.Min(lo, *v), math.Max(hi, *v)
			}
		}
		if hi == lo {
			hi = lo + 1
		}
	}
	ticks := s.ticks(lo, hi)
	if s.Kind == HBar {
		lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	} else {
		ticks = []float64{0, 25, 50, 75, 100}
	}
	x := func(v float64) float64 { return left + (v-lo)/(hi-lo)*pw }
	rowH := (H - top - bottom) / float64(n)
	nameSize := 13.0
	chars := int(pw / 7.2)
	// Grid lines and the value axis at the bottom.
	for i, t := range ticks {
		label := compact(t)
		if s.Kind == Progress {
			label = percent(t)
		}
		anchor := "middle"
		if i == 0 && x(t)-textWidth(label, 11)/2 < 0 {
			anchor = "start" // the first label starts at the axis, inside the drawing
		}
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, x(t), x(t), top-6, H-bottom, gridColor)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-size="11" fill="%s" %s>%s</text>`, x(t), H-bottom+16, anchor, axisColor, font, esc(label))
	}
	if s.Kind == Progress {
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`, x(100), x(100), top-6, H-bottom, axisColor)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" font-weight="600" fill="%s" %s>Target</text>`, x(100)+4, top+4, axisColor, font)
	}
	for i, l := range s.Labels {
		y0 := top + rowH*float64(i)
		lines := wrapWords(l, chars)
		if len(lines) > 2 {
			lines = append(lines[:1], strings.Join(lines[1:], " "))
		}
		nameH := nameSize * 1.25 * float64(len(lines))
		bh := math.Max(6, math.Min(rowH-nameH-12, 30))
		for li, line := range lines {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%g" fill="currentColor" %s>%s</text>`, left, y0+nameSize+float64(li)*nameSize*1.25, nameSize, font, esc(line))
		}
		by := y0 + nameH + 4
		v := s.value(0, i)
		if v == nil {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="%s" %s>no data</text>`, x(0)+4, by+bh/2+4, axisColor, font)
			continue
		}
		shown := *v
		if s.Kind == Progress {
			shown = math.Max(0, math.Min(100, shown))
		}
		x0, x1 := x(math.Min(shown, 0)), x(math.Max(shown, 0))
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x0, by, math.Max(x1-x0, 1.5), bh, s.barColor(0, i))
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="13" font-weight="700" fill="currentColor" %s>%s</text>`, x1+6, by+bh/2+4.5, font, esc(s.format(*v)))
	}
}

// svgBeforeAfter draws vertical bars from zero: for one series, one bar
// per period, muted before and in the accent after; for two series, a
// muted and an accent bar per category with a legend.
func svgBeforeAfter(b *strings.Builder, s *Spec, W, H float64) {
	left, right, top, bottom := 48.0, 84.0, 24.0, 40.0
	if len(s.Series) > 1 {
		bottom += 24
	}
	pw, ph := W-left-right, H-top-bottom
	lo, hi := 0.0, 0.0
	for si := range s.Series {
		for i := range s.Labels {
			if v := s.value(si, i); v != nil {
				lo, hi = math.Min(lo, *v), math.Max(hi, *v)
			}
		}
	}
	if s.Target != nil {
		lo, hi = math.Min(lo, *s.Target), math.Max(hi, *s.Target)
	}
	if hi == lo {
		hi = lo + 1
	}
	ticks := s.ticks(lo, hi)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	y := func(v float64) float64 { return top + ph - (v-lo)/(hi-lo)*ph }
	for _, t := range ticks {
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, left+pw, y(t), y(t), gridColor)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="%s" %s>%s</text>`, left-6, y(t)+4, axisColor, font, esc(compact(t)))
	}
	if s.Unit != "" {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="%s" %s>%s</text>`, left-6, top-10, axisColor, font, esc(s.Unit))
	}
	n := len(s.Labels)
	k := float64(len(s.Series))
	band := pw / float64(n)
	bw := math.Min(band*0.7/k, 110)
	for i, l := range s.Labels {
		cx := left + band*(float64(i)+0.5)
		for si := range s.Series {
			v := s.value(si, i)
			if v == nil {
				continue
			}
			x0 := cx - bw*k/2 + bw*float64(si)
			y0, y1 := y(math.Max(*v, 0)), y(math.Min(*v, 0))
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x0+1, y0, bw-2, math.Max(y1-y0, 1), s.barColor(si, i))
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="14" font-weight="700" fill="currentColor" %s>%s</text>`, x0+bw/2, y0-6, font, esc(s.format(*v)))
		}
		for li, line := range wrapWords(l, int(band/7)) {
			if li == 2 {
				break
			}
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13" fill="currentColor" %s>%s</text>`, cx, top+ph+18+float64(li)*16, font, esc(line))
		}
	}
	if s.Target != nil {
		yy := y(*s.Target)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`, left, left+pw, yy, yy, axisColor)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" font-weight="600" fill="%s" %s>Target %s</text>`, left+pw+6, yy+4, axisColor, font, esc(s.format(*s.Target)))
	}
	if len(s.Series) > 1 {
		lx := left
		for si, se := range s.Series {
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`, lx, H-16, s.barColor(si, 0))
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="currentColor" %s>%s</text>`, lx+16, H-6, font, esc(se.Name))
			lx += 32 + 7*float64(len([]rune(se.Name)))
		}
	}
}

// svgShare draws one horizontal bar split into each part's share of the
// total, and below it one line per part: its colour, name and share.
func svgShare(b *strings.Builder, s *Spec, W, H float64) {
	shares, _ := s.Shares()
	left, right, top := 8.0, 8.0, 8.0
	pw := W - left - right
	barH := math.Min(72, H*0.16)
	x := left
	for i := range s.Labels {
		w := shares[i] / 100 * pw
		if w <= 0 {
			continue
		}
		col := s.barColor(0, i)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#fff" stroke-width="1"/>`, x, top, w, barH, col)
		if w >= 44 {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13" font-weight="700" fill="%s" %s>%s</text>`, x+w/2, top+barH/2+4.5, inkOn(col), font, esc(percent(shares[i])))
		}
		x += w
	}
	rows := len(s.Labels)
	rowH := math.Min(52, (H-top-barH-16)/float64(max(rows, 1)))
	for i, l := range s.Labels {
		y0 := top + barH + 20 + rowH*float64(i)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="16" height="16" fill="%s"/>`, left, y0, s.barColor(0, i))
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="14" fill="currentColor" %s>%s</text>`, left+24, y0+13, font, esc(l))
		if v := s.value(0, i); v != nil && rowH >= 34 {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="%s" %s>%s</text>`, left+24, y0+29, axisColor, font, esc(s.format(*v)))
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="14" font-weight="700" fill="currentColor" %s>%s</text>`, W-right, y0+13, font, esc(percent(shares[i])))
	}
}
