package email

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/drumbeat/drumbeat/generator/render/chart"
)

// Scale is how many image pixels a PNG chart holds per CSS pixel.
const Scale = 2

// pt converts CSS pixels to points: a CSS pixel is 1/96 inch, a point 1/72.
func pt(px float64) vg.Length { return vg.Length(px * 0.75) }

// scheme is a chart's colours: light, for the white card, or dark, for
// the dark card of the email's dark scheme.
type scheme struct {
	ink, axis, grid, paper color.RGBA
	dark                   bool
}

var lightScheme = scheme{
	ink:   color.RGBA{0x1c, 0x23, 0x26, 0xff},
	axis:  color.RGBA{0x4a, 0x55, 0x59, 0xff},
	grid:  color.RGBA{0xe3, 0xe8, 0xe6, 0xff},
	paper: color.RGBA{0xff, 0xff, 0xff, 0xff},
}

// darkScheme is the email's dark palette: text colours at AA or better
// on the dark card the chart sits on.
func darkScheme() scheme {
	p := newPalette("")
	hex := func(s string) color.RGBA { c, _ := parseHex(s); return c.color() }
	return scheme{ink: hex(p.DInk), axis: hex(p.DMuted), grid: hex(p.DLine), paper: hex(p.DCard), dark: true}
}

// ChartMinText is the size of the smallest text in a chart, in CSS pixels
// of the chart as drawn: tick labels and the target's and baseline's.
const ChartMinText = 16

func sans(px float64, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: pt(px)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// ChartPNG draws a chart as a PNG for mail clients, which show neither SVG
// nor scripts: width × height CSS pixels at Scale times the resolution. It
// follows the site's chart rules: the axis starts at zero, the target is a
// dashed line and the baseline a thin one, each labelled directly, missing
// periods are gaps, and the latest value is written beside its point. The
// same spec gives the same bytes.
func ChartPNG(s *chart.Spec, width, height int) ([]byte, error) {
	return drawChart(s, width, height, lightScheme)
}

// ChartPNGDark draws the chart for the email's dark scheme: the dark
// card's background, light text, and the accent lightened as the email's
// dark links are, so the chart is no bright block in a dark inbox.
func ChartPNGDark(s *chart.Spec, width, height int) ([]byte, error) {
	return drawChart(s, width, height, darkScheme())
}

func drawChart(s *chart.Spec, width, height int, sc scheme) ([]byte, error) {
	b, _, err := drawChartBoxes(s, width, height, sc)
	return b, err
}

// drawChartBoxes draws the chart and returns, besides the PNG, the boxes
// of the direct labels it drew and the height of the x axis, for tests.
func drawChartBoxes(s *chart.Spec, width, height int, sc scheme) ([]byte, *labelBoxes, error) {
	if width <= 0 || height <= 0 {
		return nil, nil, fmt.Errorf("chart %s: size %d × %d", s.ID, width, height)
	}
	s = s.Downsample(chart.PointsFor(width))
	accent, ok := parseHex(s.Accent)
	if !ok {
		accent, _ = parseHex(chart.Palette[0])
	}
	if sc.dark {
		accent, _ = parseHex(newPalette(accent.hex()).DAccent)
	}
	p := plot.New()
	p.BackgroundColor = sc.paper
	hdl := p.TextHandler
	tick := text.Style{Color: sc.axis, Font: sans(ChartMinText, false), Handler: hdl}
	styleAxis := func(a *plot.Axis) {
		a.Tick.Label = tick
		a.Tick.LineStyle = draw.LineStyle{Color: sc.grid, Width: pt(1)}
		a.Tick.Length = pt(4)
		a.LineStyle = draw.LineStyle{Color: sc.grid, Width: pt(1)}
		a.Padding = pt(4)
	}
	styleAxis(&p.X)
	styleAxis(&p.Y)
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter

	n := len(s.Labels)
	lo, hi, has := s.Bounds()
	if !has || n == 0 {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
		p.X.Tick.Marker = plot.ConstantTicks{}
		p.Y.Tick.Marker = plot.ConstantTicks{}
		p.Add(noData{style: text.Style{Color: sc.axis, Font: sans(ChartMinText, false), Handler: hdl, XAlign: draw.XCenter, YAlign: draw.YCenter}, text: s.NoDataText()})
		b, err := writePNG(p, width, height, sc.paper)
		return b, &labelBoxes{}, err
	}
	ticks, yt := valueTicks(s, lo, hi)
	p.Y.Min, p.Y.Max = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	p.Y.Tick.Marker = yt
	p.X.LineStyle.Width = 0
	lines := &lineChart{spec: s, accent: accent.color(), hdl: hdl, sc: sc, drawn: &labelBoxes{}}
	// A gutter on the right holds the direct labels: the latest value, the
	// target and the baseline, as wide as the widest of them.
	gutter := 0.0
	for _, l := range lines.labels(nil) {
		gutter = math.Max(gutter, float64(l.style.Width(l.text))/0.75)
	}
	gutter = math.Min(gutter+16, float64(width)*0.45)
	// The y axis is as wide as its widest label.
	axis := 0.0
	for _, t := range yt {
		axis = math.Max(axis, float64(tick.Width(t.Label))/0.75)
	}
	dataWidth := float64(width) - axis - 24 - gutter // less the y axis and the margins
	span := float64(n-1) + 0.7
	p.X.Min = -0.35
	p.X.Max = float64(n-1) + 0.35 + gutter*span/math.Max(dataWidth, 1)
	lines.end = float64(n-1) + 0.35
	// About one label per 90 px of the data area, always the latest.
	step := int(math.Ceil(float64(n) * 90 / math.Max(dataWidth, 90)))
	step = max(step, 1)
	var xt plot.ConstantTicks
	for i, l := range s.Labels {
		if (n-1-i)%step == 0 {
			xt = append(xt, plot.Tick{Value: float64(i), Label: l})
		}
	}
	p.X.Tick.Marker = xt

	p.Add(grid{ticks: ticks, end: lines.end, color: sc.grid}, lines)
	b, err := writePNG(p, width, height, sc.paper)
	return b, lines.drawn, err
}

// valueTicks returns the value axis's ticks (whole numbers for counts, as
// on the web) and their labels, which carry the unit: every one for a
// percentage, the top one for other units ("6k doses").
func valueTicks(s *chart.Spec, lo, hi float64) ([]float64, plot.ConstantTicks) {
	ticks := s.Ticks(lo, hi)
	var yt plot.ConstantTicks
	for i, t := range ticks {
		l := chart.Compact(t)
		switch {
		case s.Unit == "%":
			l += " %"
		case s.Unit != "" && i == len(ticks)-1:
			l += " " + s.Unit
		}
		yt = append(yt, plot.Tick{Value: t, Label: l})
	}
	return ticks, yt
}

func writePNG(p *plot.Plot, width, height int, paper color.RGBA) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(pt(float64(width)), pt(float64(height))), vgimg.UseDPI(96*Scale), vgimg.UseBackgroundColor(paper))
	dc := draw.New(c)
	// A margin inside the image, so nothing touches its edge.
	dc = draw.Crop(dc, pt(4), -pt(10), pt(6), -pt(8))
	p.Draw(dc)
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (c rgb) color() color.RGBA { return color.RGBA{c.r, c.g, c.b, 0xff} }

// grid draws the horizontal grid lines at the y ticks.
type grid struct {
	ticks []float64
	end   float64 // where the data area ends and the label gutter begins
	color color.RGBA
}

func (g grid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: g.color, Width: pt(1)}
	for _, t := range g.ticks {
		y := trY(t)
		c.StrokeLine2(sty, c.Min.X, y, trX(g.end), y)
	}
}

// noData says so in the middle of an empty chart.
type noData struct {
	style text.Style
	text  string
}

func (d noData) Plot(c draw.Canvas, p *plot.Plot) {
	c.FillText(d.style, c.Center(), d.text)
}

// lineChart draws the target, the baseline, each series with its gaps,
// and labels the latest value, the target and the baseline directly in the
// gutter to the right of the data.
type lineChart struct {
	spec   *chart.Spec
	accent color.RGBA
	hdl    text.Handler
	sc     scheme
	end    float64     // x where the data area ends
	drawn  *labelBoxes // the boxes of the labels drawn, filled by Plot
}

// labelBox is the box a label takes on the canvas.
type labelBox struct {
	text                   string
	minX, minY, maxX, maxY vg.Length
	want                   vg.Length // the bottom it wanted
}

func (a labelBox) overlaps(b labelBox) bool {
	return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
}

// labelBoxes records the box of each label drawn.
type labelBoxes struct {
	boxes   []labelBox
	skipped []string
	axisY   vg.Length // the x axis: labels stay above it, clear of the period labels
}

// stack places labels (wanted boxes, most important first) one above the
// other in the order of the values they name, each moved up or down as
// little as the others and the room between lo and hi allow, with gap
// between them. When they do not fit, the least important is skipped and
// the rest placed again. It records and returns the boxes placed.
func (lb *labelBoxes) stack(labels []labelBox, lo, hi, gap vg.Length) []labelBox {
	for len(labels) > 0 {
		order := make([]labelBox, len(labels))
		copy(order, labels)
		sort.SliceStable(order, func(i, j int) bool { return order[i].want > order[j].want })
		// From the top down, no box above hi or over the one above it.
		for i := range order {
			limit := hi
			if i > 0 {
				limit = order[i-1].minY - gap
			}
			if top := order[i].want + (order[i].maxY - order[i].minY); top > limit {
				order[i] = shift(order[i], limit-(order[i].maxY-order[i].minY))
			} else {
				order[i] = shift(order[i], order[i].want)
			}
		}
		// From the bottom up, none below lo or under the one below it.
		for i := len(order) - 1; i >= 0; i-- {
			limit := lo
			if i < len(order)-1 {
				limit = order[i+1].maxY + gap
			}
			if order[i].minY < limit {
				order[i] = shift(order[i], limit)
			}
		}
		if order[0].maxY <= hi+0.01 {
			lb.boxes = append(lb.boxes, order...)
			return order
		}
		lb.skipped = append(lb.skipped, labels[len(labels)-1].text)
		labels = labels[:len(labels)-1]
	}
	return nil
}

// shift moves a box so that its bottom is at minY.
func shift(b labelBox, minY vg.Length) labelBox {
	h := b.maxY - b.minY
	b.minY, b.maxY = minY, minY+h
	return b
}

func (l *lineChart) format(v float64) string {
	if l.spec.Format != nil {
		return l.spec.Format(v)
	}
	return chart.Compact(v)
}

// directLabel is a label in the gutter, wanted at height y.
type directLabel struct {
	text  string
	style text.Style
	y     vg.Length
}

// labels returns the direct labels, wanted at the heights trY gives.
func (l *lineChart) labels(trY func(float64) vg.Length) []directLabel {
	if trY == nil {
		trY = func(float64) vg.Length { return 0 }
	}
	s := l.spec
	sty := func(px float64, bold bool, col color.Color) text.Style {
		return text.Style{Color: col, Font: sans(px, bold), Handler: l.hdl, XAlign: text.XLeft, YAlign: text.YCenter}
	}
	var out []directLabel
	if len(s.Series) > 0 {
		vals := s.Series[0].Values
		for i := min(len(vals), len(s.Labels)) - 1; i >= 0; i-- {
			if v := vals[i]; v != nil {
				out = append(out, directLabel{l.format(*v), sty(ChartMinText+3, true, l.accent), trY(*v)})
				break
			}
		}
	}
	// The target and the baseline without a unit other than %: the axis
	// and the latest value carry it, and the gutter is narrow.
	short := func(v float64) string {
		if s.Unit == "%" {
			return chart.Compact(v) + " %"
		}
		if s.Format != nil && s.Unit == "" {
			return s.Format(v)
		}
		return chart.Compact(v)
	}
	if s.Target != nil {
		out = append(out, directLabel{s.TargetWord() + " " + short(*s.Target), sty(ChartMinText, true, l.sc.ink), trY(*s.Target)})
	}
	if s.Baseline != nil {
		out = append(out, directLabel{s.BaselineWord() + " " + short(*s.Baseline), sty(ChartMinText, false, l.sc.axis), trY(*s.Baseline)})
	}
	return out
}

func (l *lineChart) Plot(c draw.Canvas, p *plot.Plot) {
	s := l.spec
	trX, trY := p.Transforms(&c)
	end := trX(l.end)
	if s.Baseline != nil {
		y := trY(*s.Baseline)
		c.StrokeLine2(draw.LineStyle{Color: l.sc.axis, Width: pt(1)}, c.Min.X, y, end, y)
	}
	if s.Target != nil {
		y := trY(*s.Target)
		c.StrokeLine2(draw.LineStyle{Color: l.sc.ink, Width: pt(1.5), Dashes: []vg.Length{pt(6), pt(4)}}, c.Min.X, y, end, y)
	}
	series := s.Series
	if len(series) > 5 {
		series = series[:5]
	}
	for si, se := range series {
		col := l.accent
		if si > 0 {
			c2, _ := parseHex(chart.Palette[(si-1)%len(chart.Palette)])
			col = c2.color()
		}
		var runs [][]vg.Point
		var run []vg.Point
		last := -1
		for i, v := range se.Values {
			if i >= len(s.Labels) {
				break
			}
			if v == nil {
				if len(run) > 0 {
					runs = append(runs, run)
				}
				run = nil
				continue
			}
			run = append(run, vg.Point{X: trX(float64(i)), Y: trY(*v)})
			last = i
		}
		if len(run) > 0 {
			runs = append(runs, run)
		}
		c.StrokeLines(draw.LineStyle{Color: col, Width: pt(2.5)}, runs...)
		for i, v := range se.Values {
			if v == nil || i >= len(s.Labels) {
				continue
			}
			r := pt(2.5)
			if i == last {
				r = pt(4.5)
			}
			c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: trX(float64(i)), Y: trY(*v)})
		}
	}
	// The labels, the latest value first, then the target, then the
	// baseline, stacked in the order of their values between the x axis
	// (so never on a period label) and the top of the canvas; one with no
	// room left is skipped (the email's text gives every figure).
	if l.drawn == nil {
		l.drawn = &labelBoxes{}
	}
	l.drawn.axisY = trY(p.Y.Min)
	var want []labelBox
	styles := map[string]text.Style{}
	for _, lb := range l.labels(trY) {
		w, h := lb.style.Width(lb.text), lb.style.Height(lb.text)
		want = append(want, labelBox{text: lb.text, minX: end + pt(8), maxX: end + pt(8) + w, minY: lb.y - h/2, maxY: lb.y + h/2, want: lb.y - h/2})
		styles[lb.text] = lb.style
	}
	for _, b := range l.drawn.stack(want, trY(p.Y.Min), c.Max.Y, pt(3)) {
		c.FillText(styles[b.text], vg.Point{X: b.minX, Y: (b.minY + b.maxY) / 2}, b.text)
	}
}
