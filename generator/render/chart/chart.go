// Package chart draws the site's charts from one Spec with two backends:
// go-echarts options for the interactive web chart, and a static SVG drawn
// in pure Go for print, email, the briefing and readers without JavaScript.
// It is the one place where chart markup becomes template.HTML.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// Kind is the type of a chart. Each kind is drawn by its entry in kinds,
// with both backends; no code depends on the order of the kinds.
//
// To add a kind of briefing chart:
//
//  1. chart: declare the Kind here (before kindCount), and give it a drawer
//     in kinds below: its echarts option and its static SVG, drawn from
//     the same Spec, data and colours (kinds.go holds the briefing
//     kinds'); TestEveryKindIsDrawn fails until it has both.
//  2. model: add its model.ChartType to model.ChartTypes and to the checks
//     of model/briefing.go (which metrics and periods it takes).
//  3. render: add the function that fills its Spec (Kind, Labels, Series)
//     and its data table to briefCharts in render/briefing_charts.go.
type Kind uint8

// The chart kinds.
const (
	Line        Kind = iota // series over time, with target and baseline lines
	HBar                    // one horizontal bar per category, from zero
	Progress                // progress to target per category, 0–100 %
	BeforeAfter             // bars before (muted) and after (accent)
	Share                   // each category's share of the total, one 100 % bar
	kindCount               // the number of kinds: declare new kinds above
)

// drawer draws one kind of chart with both backends.
type drawer struct {
	// option returns the echarts option of the interactive chart, height
	// pixels high.
	option func(s *Spec, init opts.Initialization, height int) (string, error)
	// svg returns the static SVG of the given size.
	svg func(s *Spec, width, height int) string
}

// kinds is how each kind is drawn.
var kinds = [kindCount]drawer{
	Line:        {option: lineOption, svg: lineSVG},
	HBar:        {option: hbarsOption, svg: briefSVG(svgHBars)},
	Progress:    {option: progressOption, svg: briefSVG(svgHBars)},
	BeforeAfter: {option: beforeAfterOption, svg: briefSVG(svgBeforeAfter)},
	Share:       {option: shareOption, svg: briefSVG(svgShare)},
}

// drawer returns how s is drawn: by its kind's drawer, as a line chart
// when its kind is unknown.
func (s *Spec) drawer() drawer {
	if int(s.Kind) < len(kinds) && kinds[s.Kind].option != nil && kinds[s.Kind].svg != nil {
		return kinds[s.Kind]
	}
	return kinds[Line]
}

// Palette is the Okabe–Ito palette, safe for colour-blind readers, in the
// order series take colours (the accent colour goes first when set).
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"}

// Spec describes one chart, independent of how it is drawn.
type Spec struct {
	ID       string // stable DOM id, derived from the page and metric
	Kind     Kind
	Title    string // the takeaway, shown as the chart's caption heading
	Subtitle string // the metric name
	Unit     string
	Labels   []string // category (period or partner) labels, x axis
	Series   []Series // at most 5 are drawn
	Target   *float64
	Baseline *float64
	Accent   string // colour of the first series; Palette[0] when empty
	Format   func(float64) string
	Words    Words // the words drawn into the chart, in the site's language
}

// Words are the words a chart draws, which the renderer takes from the
// site's message catalogue (this package does not read it). An empty word
// is written in English.
type Words struct {
	Target   string // before the target's value: "Target 90 %"
	Baseline string // before the baseline's value: "Baseline 40 %"
	NoData   string // in the middle of a chart with no values
	// The joins between texts; nil joins as English does.
	LabelValue func(label, value string) string    // a tooltip: "Q3 2026: 82.6 %"
	Pair       func(a, b string) string            // a bar of one series among several: "Q3 2026, Lakeside"
	Aria       func(title, subtitle string) string // the aria label: "Coverage rose. Children immunised"
}

func (s *Spec) labelValue(label, value string) string {
	if s.Words.LabelValue != nil {
		return s.Words.LabelValue(label, value)
	}
	return label + ": " + value
}

func (s *Spec) pair(a, b string) string {
	if s.Words.Pair != nil {
		return s.Words.Pair(a, b)
	}
	return a + ", " + b
}

// TargetWord is the word for the target ("Target" when unset).
func (s *Spec) TargetWord() string { return orWord(s.Words.Target, "Target") }

// BaselineWord is the word for the baseline ("Baseline" when unset).
func (s *Spec) BaselineWord() string { return orWord(s.Words.Baseline, "Baseline") }

// NoDataText is what an empty chart says ("No data yet" when unset).
func (s *Spec) NoDataText() string { return orWord(s.Words.NoData, "No data yet") }

func orWord(w, english string) string {
	if w == "" {
		return english
	}
	return w
}

// Series is one line or set of bars.
type Series struct {
	Name   string
	Values []*float64 // one per label; nil is a gap, never a zero
}

func (s *Spec) color(i int) string {
	if i == 0 && s.Accent != "" {
		return s.Accent
	}
	if s.Accent != "" {
		i--
	}
	return Palette[i%len(Palette)]
}

func (s *Spec) format(v float64) string {
	if s.Format != nil {
		return s.Format(v)
	}
	return trimFloat(v)
}

func trimFloat(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// bounds returns the value range the chart must show: every value, the
// target and the baseline; bars and non-negative lines start at zero.
func (s *Spec) bounds() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	add := func(v float64) {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, se := range s.Series {
		for _, v := range se.Values {
			if v != nil {
				add(*v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 0, false
	}
	if s.Target != nil {
		add(*s.Target)
	}
	if s.Baseline != nil {
		add(*s.Baseline)
	}
	if lo > 0 {
		lo = 0 // start at zero: honest proportions
	}
	if hi == lo {
		hi = lo + 1
	}
	return lo, hi, true
}

// whole reports whether every value, the target and the baseline are
// whole numbers: counts (doses, sessions, outbreaks, changes, hours), whose
// axes get whole-number ticks, never 0.5 or 1.5.
func (s *Spec) whole() bool {
	has := false
	ok := func(v *float64) bool { return v == nil || *v == math.Trunc(*v) }
	for _, se := range s.Series {
		for _, v := range se.Values {
			if !ok(v) {
				return false
			}
			has = has || v != nil
		}
	}
	return has && ok(s.Target) && ok(s.Baseline)
}

// ticks returns the value axis's ticks from lo to hi: about four round
// values, whole numbers for counts.
func (s *Spec) ticks(lo, hi float64) []float64 {
	if s.whole() {
		return niceIntTicks(lo, hi, 4)
	}
	return niceTicks(lo, hi, 4)
}

// Ticks returns the value axis's ticks of every drawing of the chart, from
// lo to hi (from Bounds): about four round values, whole numbers when
// every value is whole.
func (s *Spec) Ticks(lo, hi float64) []float64 { return s.ticks(lo, hi) }

// Table is the chart's data as a table, for screen readers and no-JS readers.
type Table struct {
	Head []string
	Rows [][]string
}

// DataTable returns the chart's data table.
func (s *Spec) DataTable(first string) Table {
	t := Table{Head: []string{first}}
	for _, se := range s.Series {
		t.Head = append(t.Head, se.Name)
	}
	for i, l := range s.Labels {
		row := []string{l}
		for _, se := range s.Series {
			if i < len(se.Values) && se.Values[i] != nil {
				row = append(row, s.format(*se.Values[i]))
			} else {
				row = append(row, "–")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Web returns the chart's container for the web page: the static SVG inside
// (shown without JavaScript and in print), and the echarts option as JSON
// that the theme's charts.js draws over it.
func Web(s *Spec, height int) (template.HTML, error) {
	s = s.Downsample(PointsFor(webWidth))
	opt, err := echartsOption(s, height)
	if err != nil {
		return "", err
	}
	svg := SVG(s, webWidth, height)
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="chart" id="%s" data-chart="%s" style="height:%dpx">`, attr(s.ID), attr(s.ID), height)
	b.WriteString(svg)
	b.WriteString(`</div>`)
	fmt.Fprintf(&b, `<script type="application/json" id="%s-option">%s</script>`, attr(s.ID), jsonInScript(opt))
	return template.HTML(b.String()), nil
}

// webWidth is the width of a web chart's static drawing, and about the
// widest the interactive chart is drawn: its option holds at most a point
// for every two of these pixels (echarts' lttb sampling thins them further
// on a narrower screen).
const webWidth = 720

// Static returns the static SVG as HTML, for places without scripts.
func Static(s *Spec, width, height int) template.HTML {
	return template.HTML(SVG(s, width, height))
}

// attr escapes s for an HTML attribute value.
func attr(s string) string { return template.HTMLEscapeString(s) }

// jsonInScript makes JSON safe inside a <script> element: no "</script",
// no "<!--", no line separators that older parsers choke on.
func jsonInScript(js string) string {
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return r.Replace(js)
}

// Bounds returns the value range every drawing of the chart spans: all
// values, the target and the baseline, from zero for values that are not
// negative. Other renderers (the email's PNG charts) use it to match.
func (s *Spec) Bounds() (lo, hi float64, ok bool) { return s.bounds() }

// NiceTicks returns about n round axis values from lo up to the first at or
// above hi.
func NiceTicks(lo, hi float64, n int) []float64 { return niceTicks(lo, hi, n) }

// Compact writes an axis number briefly: 1200 → 1.2k, 2500000 → 2.5M.
func Compact(v float64) string { return compact(v) }
