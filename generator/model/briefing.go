package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// BriefingCharts is how many charts the executive briefing holds.
const BriefingCharts = 6

// MaxTakeawayWords is the most words a briefing chart's takeaway may have.
const MaxTakeawayWords = 12

// ChartType is the kind of a briefing chart.
type ChartType string

// The briefing's chart types.
const (
	ChartLine        ChartType = "line"         // a time series with its target dashed
	ChartBar         ChartType = "bar"          // one period's values by partner
	ChartProgress    ChartType = "progress"     // progress from baseline to target, per metric
	ChartBeforeAfter ChartType = "before_after" // the value at `from` beside the value at `to`
	ChartShare       ChartType = "share"        // each partner's share of the total over the periods
)

// ChartTypes lists the briefing's chart types.
var ChartTypes = [...]ChartType{ChartLine, ChartBar, ChartProgress, ChartBeforeAfter, ChartShare}

// Briefing is the executive briefing chosen in content/briefing.md: six
// charts, each with a one-line takeaway.
type Briefing struct {
	Path   string
	Title  string
	Date   time.Time // zero when not given
	Charts []*BriefingChart
	Lines  map[string]diag.Pos // position of each front matter key
}

// BriefingChart is one chart of the briefing.
type BriefingChart struct {
	Type     ChartType
	Metrics  []string
	Takeaway string
	// From and To are the periods as written (zero when not given); once
	// the site is checked they hold the periods drawn. To stays zero for a
	// progress chart of metrics whose latest periods differ.
	From, To Period
	Pos      diag.Pos            // the chart's entry in the list
	Lines    map[string]diag.Pos // position of each key of the entry
	// Unread is set by the loader when a period could not be read (and was
	// reported); the periods are then not checked again.
	Unread bool
}

// Pos returns the position of a front matter key, or of the file's first line.
func (b *Briefing) Pos(key string) diag.Pos {
	if p, ok := b.Lines[key]; ok {
		return p
	}
	return diag.Pos{File: b.Path, Line: 1}
}

// pos returns the position of a key of the chart's entry, or of the entry.
func (c *BriefingChart) pos(key string) diag.Pos {
	if p, ok := c.Lines[key]; ok {
		return p
	}
	return c.Pos
}

// TakeawayWords counts the words of a takeaway: runs of characters
// between spaces that hold a letter or a digit ("82.6", "Q3", "€101"), so
// "%" or a dash alone is no word.
func TakeawayWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// checkBriefing checks the briefing against the metrics and the data, and
// settles the periods each chart draws.
func (s *Site) checkBriefing(errs *diag.List) {
	b := s.Briefing
	if b == nil {
		return
	}
	if n := len(b.Charts); n != BriefingCharts {
		e := errs.Errorf(b.Pos("charts"), "the briefing has %d %s; it needs exactly six", n, map[bool]string{true: "chart", false: "charts"}[n == 1])
		switch {
		case n == 0:
			e.WithHint("list six charts under `charts:`, each with a type, metrics and a takeaway")
		case n < BriefingCharts:
			e.WithHint("add %d more under `charts:`", BriefingCharts-n)
		default:
			e.WithHint("choose the six that matter most and remove %d", n-BriefingCharts)
		}
	}
	for i, c := range b.Charts {
		s.checkBriefingChart(i+1, c, errs)
	}
}

// MetricLimits returns the most metrics a chart of type t draws, and
// whether t is a chart type. Lines and before/after charts put their
// metrics on one axis; five lines or three pairs of bars are as many as
// a phone screen shows clearly.
func (t ChartType) MetricLimits() (most int, ok bool) {
	switch t {
	case ChartLine:
		return 5, true
	case ChartBar, ChartShare:
		return 1, true
	case ChartProgress:
		return 6, true
	case ChartBeforeAfter:
		return 3, true
	}
	return 0, false
}

func (s *Site) checkBriefingChart(n int, c *BriefingChart, errs *diag.List) {
	what := fmt.Sprintf("chart %d", n)
	// The takeaway: one claim of at most twelve words.
	switch w := TakeawayWords(c.Takeaway); {
	case strings.TrimSpace(c.Takeaway) == "":
		errs.Errorf(c.Pos, "%s has no takeaway", what).
			WithHint("add `takeaway:`, the chart's message in at most %d words, such as \"Coverage rose to 83 %%, 7 points short of target.\"", MaxTakeawayWords)
	case w > MaxTakeawayWords && !strings.Contains(c.Takeaway, "{{"):
		// A takeaway that cites figures is counted once they are filled
		// in, by the render: "{{coverage change}}" may read "+1.6 points".
		errs.Errorf(c.pos("takeaway"), "the takeaway of %s has %d words; keep it to %d or fewer", what, w, MaxTakeawayWords).
			WithHint("say one thing a busy reader can repeat; the chart and its data table carry the rest")
	}
	// The type.
	most, known := c.Type.MetricLimits()
	switch {
	case c.Type == "":
		errs.Errorf(c.Pos, "%s has no type", what).WithHint("add `type:` with one of %s", chartTypeList())
		return
	case !known:
		names := make([]string, len(ChartTypes))
		for i, t := range ChartTypes {
			names[i] = string(t)
		}
		e := errs.Errorf(c.pos("type"), "%q is not a briefing chart type", string(c.Type))
		if strings.Contains(string(c.Type), "pie") || strings.Contains(string(c.Type), "donut") {
			e.WithHint("a briefing draws no pies: use share for the parts of a whole; the types are %s", chartTypeList())
		} else if h := diag.Suggest(string(c.Type), names); h != "" {
			e.WithHint("did you mean %q? The types are %s", h, chartTypeList())
		} else {
			e.WithHint("use one of %s", chartTypeList())
		}
		return
	}
	// The metrics.
	if len(c.Metrics) == 0 {
		errs.Errorf(c.Pos, "%s names no metric", what).WithHint("add `metrics: [metric_id]` with ids from data/metrics.csv")
		return
	}
	var ms []*Metric
	ok := true
	ids := keys(s.metricByID)
	for i, id := range c.Metrics {
		m := s.metricByID[id]
		if m == nil {
			e := errs.Errorf(c.pos(fmt.Sprintf("metrics.%d", i)), "metric %q is not in data/metrics.csv", id)
			if h := diag.Suggest(id, ids); h != "" {
				e.WithHint("did you mean %q?", h)
			} else {
				e.WithHint("use a metric id from data/metrics.csv")
			}
			ok = false
			continue
		}
		ms = append(ms, m)
	}
	if !ok {
		return
	}
	if len(ms) > most {
		want := "one metric"
		if most > 1 {
			want = fmt.Sprintf("from 1 to %d metrics", most)
		}
		errs.Errorf(c.pos("metrics"), "a %s chart draws %s, and %s names %d", c.Type, want, what, len(ms)).
			WithHint("split it into separate charts, or drop the metrics that matter less")
		return
	}
	if c.Type == ChartLine || c.Type == ChartBeforeAfter {
		for _, m := range ms[1:] {
			if m.Unit != ms[0].Unit {
				errs.Errorf(c.pos("metrics"), "%s puts %q (%s) and %q (%s) on one axis", what, ms[0].ID, unitName(ms[0].Unit), m.ID, unitName(m.Unit)).
					WithHint("metrics drawn together must share a unit; give each its own chart")
				return
			}
		}
	}
	if c.Unread {
		return
	}
	for _, m := range ms {
		if len(m.Series) == 0 {
			errs.Errorf(c.pos("metrics"), "metric %q has no data yet, so %s would be empty", m.ID, what).
				WithHint("add its observations under data/observations/, or choose another metric")
			return
		}
	}
	switch c.Type {
	case ChartLine:
		s.briefingLine(what, c, ms, errs)
	case ChartBar, ChartShare:
		s.briefingPartners(what, c, ms[0], errs)
	case ChartProgress:
		s.briefingProgress(what, c, ms, errs)
	case ChartBeforeAfter:
		s.briefingBeforeAfter(what, c, ms, errs)
	}
}

func chartTypeList() string {
	names := make([]string, len(ChartTypes))
	for i, t := range ChartTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func unitName(u string) string {
	if u == "" {
		return "no unit"
	}
	return u
}

// noData reports that metric m has no value for period p, saying which
// periods it does have.
func noData(pos diag.Pos, m *Metric, p Period, pts []Point, errs *diag.List) {
	e := errs.Errorf(pos, "%s has no value for %s", m.ID, p)
	if len(pts) > 0 {
		e.WithHint("its data runs from %s to %s; choose a period in between that has a value", pts[0].Period, pts[len(pts)-1].Period)
	}
}

func hasPeriod(pts []Point, p Period) bool {
	for _, pt := range pts {
		if pt.Period == p {
			return true
		}
	}
	return false
}

// checkOrder reports `from` after `to`.
func checkOrder(what string, c *BriefingChart, errs *diag.List) bool {
	if !c.From.IsZero() && !c.To.IsZero() && c.To.Before(c.From) {
		errs.Errorf(c.pos("from"), "%s runs from %s to %s, backwards", what, c.From, c.To).
			WithHint("`from` is the earlier period, `to` the later")
		return false
	}
	return true
}

func (s *Site) briefingLine(what string, c *BriefingChart, ms []*Metric, errs *diag.List) {
	kind := ms[0].Series[0].Period.Kind
	for _, m := range ms {
		for _, pt := range m.Series {
			if pt.Period.Kind != kind {
				errs.Errorf(c.pos("metrics"), "%s mixes periods of different lengths (%s and %s)", what, ms[0].Series[0].Period, pt.Period).
					WithHint("a line chart draws metrics counted over the same kind of period")
				return
			}
		}
	}
	ok := true
	for _, key := range []string{"from", "to"} {
		p := c.From
		if key == "to" {
			p = c.To
		}
		if p.IsZero() {
			continue
		}
		for _, m := range ms {
			if !hasPeriod(m.Series, p) {
				noData(c.pos(key), m, p, m.Series, errs)
				ok = false
			}
		}
	}
	if !ok || !checkOrder(what, c, errs) {
		return
	}
	if c.From.IsZero() {
		for _, m := range ms {
			if first := m.Series[0].Period; c.From.IsZero() || first.Before(c.From) {
				c.From = first
			}
		}
	}
	if c.To.IsZero() {
		for _, m := range ms {
			if last := m.Series[len(m.Series)-1].Period; c.To.IsZero() || c.To.Before(last) {
				c.To = last
			}
		}
	}
	if c.From == c.To {
		errs.Errorf(c.pos("from"), "%s draws a single period (%s); a line needs two or more", what, c.From).
			WithHint("widen `from` and `to`, or use a bar or before_after chart")
	}
}

// PartnerPeriods returns the periods in which partners report values for
// the metric, oldest first.
func (m *Metric) PartnerPeriods() []Period {
	seen := map[Period]bool{}
	var out []Period
	for _, pts := range m.ByPartner {
		for _, pt := range pts {
			if !seen[pt.Period] {
				seen[pt.Period] = true
				out = append(out, pt.Period)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func (s *Site) briefingPartners(what string, c *BriefingChart, m *Metric, errs *diag.List) {
	if len(m.ByPartner) == 0 {
		errs.Errorf(c.pos("metrics"), "metric %q has no values by partner, so a %s chart of it has nothing to compare", m.ID, c.Type).
			WithHint("observations need a `partner` column; or draw this metric as a line")
		return
	}
	pers := m.PartnerPeriods()
	var pts []Point
	for _, p := range pers {
		pts = append(pts, Point{Period: p})
	}
	if c.Type == ChartBar && !c.From.IsZero() {
		errs.Errorf(c.pos("from"), "a bar chart shows one period; %s gives `from`", what).
			WithHint("remove `from` and give the period as `to` (the latest when left out)")
		return
	}
	ok := true
	for _, key := range []string{"from", "to"} {
		p := c.From
		if key == "to" {
			p = c.To
		}
		if !p.IsZero() && !hasPeriod(pts, p) {
			e := errs.Errorf(c.pos(key), "%s has no values by partner for %s", m.ID, p)
			e.WithHint("partners report it from %s to %s", pers[0], pers[len(pers)-1])
			ok = false
		}
	}
	if !ok || !checkOrder(what, c, errs) {
		return
	}
	if c.To.IsZero() {
		c.To = pers[len(pers)-1]
		if !c.From.IsZero() && c.To.Before(c.From) {
			c.To = c.From
		}
	}
	if c.From.IsZero() {
		c.From = c.To
	}
}

func (s *Site) briefingProgress(what string, c *BriefingChart, ms []*Metric, errs *diag.List) {
	if !c.From.IsZero() {
		errs.Errorf(c.pos("from"), "a progress chart measures from each metric's baseline; %s gives `from`", what).
			WithHint("remove `from`; set baselines in data/metrics.csv")
		return
	}
	ok := true
	for i, m := range ms {
		pos := c.pos(fmt.Sprintf("metrics.%d", i))
		base, hasBase := m.BaselineValue()
		switch {
		case m.Target == nil:
			errs.Errorf(pos, "metric %q has no target, so there is no progress to show", m.ID).
				WithHint("set its target in data/metrics.csv, or draw it as a line")
			ok = false
		case hasBase && base == *m.Target:
			errs.Errorf(pos, "metric %q has its target equal to its baseline, so progress cannot be measured", m.ID)
			ok = false
		case !c.To.IsZero() && !hasPeriod(m.Series, c.To):
			noData(c.pos("to"), m, c.To, m.Series, errs)
			ok = false
		}
	}
	if !ok || !c.To.IsZero() {
		return
	}
	// Without `to`, each metric's latest value; name the period when they agree.
	for _, m := range ms {
		l, _ := m.Latest()
		if c.To.IsZero() {
			c.To = l.Period
		} else if c.To != l.Period {
			c.To = Period{}
			return
		}
	}
}

func (s *Site) briefingBeforeAfter(what string, c *BriefingChart, ms []*Metric, errs *diag.List) {
	missing := false
	for _, key := range []string{"from", "to"} {
		p := c.From
		if key == "to" {
			p = c.To
		}
		if p.IsZero() {
			errs.Errorf(c.Pos, "a before_after chart needs `%s:`; %s has none", key, what).
				WithHint("give `from:` (before) and `to:` (after) as periods, such as 2024-Q1 and 2026-Q3")
			missing = true
			continue
		}
		for _, m := range ms {
			if !hasPeriod(m.Series, p) {
				noData(c.pos(key), m, p, m.Series, errs)
				missing = true
			}
		}
	}
	if missing || !checkOrder(what, c, errs) {
		return
	}
	if c.From == c.To {
		errs.Errorf(c.pos("to"), "%s compares %s with itself", what, c.From).WithHint("choose a later `to:`")
	}
}
