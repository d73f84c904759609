package chart

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

const font = `font-family="system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"`

// SVG draws the chart as a static SVG of the given size. It follows the
// same rules as the interactive chart: zero-based axis, dashed target,
// thin baseline, gaps for missing periods, the latest value labelled.
func SVG(s *Spec, width, height int) string {
	return s.drawer().svg(s, width, height)
}

// lineSVG draws a line chart as a static SVG.
func lineSVG(s *Spec, width, height int) string {
	s = s.Downsample(PointsFor(width))
	var b strings.Builder
	W, H := float64(width), float64(height)
	left, right, top, bottom := 52.0, 88.0, 14.0, 28.0
	// The right gutter holds the target's and baseline's labels in full.
	for _, l := range s.sideLabels() {
		right = math.Max(right, textWidth(l, 11)+12)
	}
	right = math.Min(right, W*0.4)
	series := s.Series
	if len(series) > 5 {
		series = series[:5]
	}
	legendRows := legendLayout(series, left, W)
	if len(series) > 1 {
		bottom += 22 * float64(legendRows[len(legendRows)-1].row+1)
	}
	pw, ph := W-left-right, H-top-bottom
	fmt.Fprintf(&b, `<svg class="chart-static" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="%s">`,
		width, height, attr(s.ariaLabel()))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(s.ariaLabel()))
	lo, hi, ok := s.bounds()
	if !ok || len(s.Labels) == 0 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="14" fill="%s" %s>%s</text></svg>`, W/2, H/2, axisColor, font, esc(s.NoDataText()))
		return b.String()
	}
	ticks := s.ticks(lo, hi)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	y := func(v float64) float64 { return top + ph - (v-lo)/(hi-lo)*ph }
	n := len(s.Labels)
	var x func(i int) float64
	band := pw / float64(n)
	if n == 1 {
		x = func(i int) float64 { return left + band*(float64(i)+0.5) }
	} else {
		x = func(i int) float64 { return left + pw*float64(i)/float64(n-1) }
	}
	// Grid and y labels.
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, left+pw, y(t), y(t), gridColor)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="%s" %s>%s</text>`, left-6, y(t)+4, axisColor, font, esc(compact(t)))
	}
	// X labels, thinned so they do not overlap.
	step := int(math.Ceil(float64(n) * 56 / pw))
	if step < 1 {
		step = 1
	}
	for i, l := range s.Labels {
		if (n-1-i)%step != 0 {
			continue // keep the latest label
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11" fill="%s" %s>%s</text>`, x(i), top+ph+18, axisColor, font, esc(l))
	}
	// Baseline: a thin line; target: dashed, each labelled directly.
	if s.Baseline != nil {
		yy := y(*s.Baseline)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, left+pw, yy, yy, axisColor)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s" %s>Baseline %s</text>`, left+pw+6, yy+4, axisColor, font, esc(s.format(*s.Baseline)))
	}
	if s.Target != nil {
		yy := y(*s.Target)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`, left, left+pw, yy, yy, axisColor)
		ty := yy + 4
		if s.Baseline != nil && math.Abs(y(*s.Baseline)-yy) < 14 {
			ty = yy - 6
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" font-weight="600" fill="%s" %s>Target %s</text>`, left+pw+6, ty, axisColor, font, esc(s.format(*s.Target)))
	}
	for si, se := range series {
		col := s.color(si)
		var path strings.Builder
		pen := false
		last := -1
		for i, v := range se.Values {
			if i >= n {
				break
			}
			if v == nil {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(*v))
			pen = true
			last = i
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`, strings.TrimSpace(path.String()), col)
		for i, v := range se.Values {
			if v != nil && i < n {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%s" fill="%s"/>`, x(i), y(*v), map[bool]string{true: "4.5", false: "2.5"}[i == last], col)
			}
		}
		if last >= 0 && si == 0 {
			// Above and left of the point, inside the plot: the target and
			// baseline labels sit to the right of it.
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="12" font-weight="700" fill="%s" %s>%s</text>`, x(last)-6, y(*se.Values[last])-8, col, font, esc(s.format(*se.Values[last])))
		}
	}
	// Legend, for more than one series.
	if len(series) > 1 {
		last := legendRows[len(legendRows)-1].row
		for si, se := range series {
			at := legendRows[si]
			ly := H - 16 - 22*float64(last-at.row)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`, at.x, ly, s.color(si))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s" %s>%s</text>`, at.x+16, ly+10, axisColor, font, esc(se.Name))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// sideLabels returns the target's and baseline's labels.
func (s *Spec) sideLabels() []string {
	var out []string
	if s.Target != nil {
		out = append(out, s.TargetWord()+" "+s.format(*s.Target))
	}
	if s.Baseline != nil {
		out = append(out, s.BaselineWord()+" "+s.format(*s.Baseline))
	}
	return out
}

// textWidth estimates the width of text in the sans-serif fonts of the
// static drawings: about 0.6 em a character.
func textWidth(text string, size float64) float64 {
	return 0.6 * size * float64(len([]rune(text)))
}

// legendItem is where a legend entry goes: its row (0 first) and x.
type legendItem struct {
	row int
	x   float64
}

// legendLayout places the legend's entries left to right from left,
// starting a new row where the next would pass width.
func legendLayout(series []Series, left, width float64) []legendItem {
	out := make([]legendItem, len(series))
	row, x := 0, left
	for i, se := range series {
		w := 28 + textWidth(se.Name, 11)
		if x > left && x+w > width {
			row, x = row+1, left
		}
		out[i] = legendItem{row, x}
		x += w
	}
	if len(out) == 0 {
		out = []legendItem{{}}
	}
	return out
}

func (s *Spec) ariaLabel() string {
	l := s.Title
	if s.Subtitle != "" && s.Subtitle != s.Title && s.Words.Aria != nil {
		return s.Words.Aria(s.Title, s.Subtitle)
	}
	if s.Subtitle != "" && s.Subtitle != s.Title {
		if strings.HasSuffix(l, ".") || strings.HasSuffix(l, "!") || strings.HasSuffix(l, "?") {
			l += " " + s.Subtitle
		} else {
			l += ". " + s.Subtitle
		}
	}
	return l
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	span := hi - lo
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return []float64{lo, lo + 1}
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	switch r := raw / mag; {
	case r <= 1:
		step = mag
	case r <= 2:
		step = 2 * mag
	case r <= 2.5:
		step = 2.5 * mag
	case r <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	start := math.Floor(lo/step) * step
	var out []float64
	// Up to and including the first tick at or above hi.
	for v := start; len(out) < 40; v += step {
		t := math.Round(v/step) * step
		out = append(out, t)
		if t >= hi-step*1e-9 {
			break
		}
	}
	if len(out) < 2 {
		out = append(out, start+step)
	}
	return out
}

// niceIntTicks is niceTicks with a whole-number step of at least 1.
func niceIntTicks(lo, hi float64, n int) []float64 {
	t := niceTicks(lo, hi, n)
	if len(t) < 2 || t[1]-t[0] >= 1 {
		return t
	}
	start := math.Floor(lo)
	out := []float64{start}
	for v := start + 1; len(out) < 40; v++ {
		out = append(out, v)
		if v >= hi {
			break
		}
	}
	return out
}

// compact writes an axis number briefly: 1200 → 1.2k, 2500000 → 2.5M.
func compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return trimFloat(v/1e6) + "M"
	case a >= 1e4:
		return trimFloat(v/1e3) + "k"
	}
	return trimFloat(v)
}

// Sparkline draws a small line of values without axes, with the latest
// value marked; nil values are gaps. A series longer than a point every
// two pixels is downsampled (sparkPoints).
func Sparkline(values []*float64, label string, width, height int, color string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, width, height, width, height, attr(label))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if v != nil {
			lo, hi = math.Min(lo, *v), math.Max(hi, *v)
		}
	}
	if math.IsInf(lo, 1) {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	pad := 4.0
	W, H := float64(width)-2*pad, float64(height)-2*pad
	n := len(values)
	x := func(i int) float64 {
		if n == 1 {
			return pad + W/2
		}
		return pad + W*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return pad + H - (v-lo)/(hi-lo)*H }
	var path strings.Builder
	pen := false
	last := -1
	for _, i := range sparkPoints(values, width) {
		v := values[i]
		if v == nil {
			pen = false
			continue
		}
		c := "L"
		if !pen {
			c = "M"
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", c, x(i), y(*v))
		pen = true
		last = i
	}
	fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`, strings.TrimSpace(path.String()), color)
	if last >= 0 {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, x(last), y(*values[last]), color)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkPoints are the indexes of the values a sparkline width pixels wide
// draws: every one, or, for a longer series, those LTTB keeps for one
// every two pixels (PointsFor) and the latest value, which has its dot. A
// 120-pixel sparkline of 4,000 daily values drew 4,000 segments (44 kB,
// and 2.2 MB for a scorecard of 50 such metrics) where 60 show the same.
func sparkPoints(values []*float64, width int) []int {
	n := PointsFor(width)
	if len(values) <= n {
		out := make([]int, len(values))
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := LTTB(values, n)
	latest := -1
	for i := len(values) - 1; i >= 0; i-- {
		if values[i] != nil {
			latest = i
			break
		}
	}
	if k, found := slices.BinarySearch(out, latest); latest >= 0 && !found {
		out = slices.Insert(out, k, latest)
	}
	return out
}
