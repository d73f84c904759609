package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
)

// ROI is what a story of kind roi declares in its front matter: what the
// partners put in over a period, and the results it claims. The load stage
// fills it; Site.ComputeROI works out the figures from it and the data.
type ROI struct {
	// Period is the investment period (investment.from to investment.to).
	Period Span
	// Contributions names the partners whose contributions recorded in
	// data/partners.yaml for periods inside Period count as investment.
	Contributions []string
	// AllContributions counts the recorded contributions of every partner
	// in the story's partners list (from_contributions: true).
	AllContributions bool
	Investments      []Investment // written in the story, cash and in kind
	Results          []Claim
	Returns          []Return
	// Headline is the figure the story leads with, written as inside
	// {{roi:…}}: "doses_given cost", "total". Empty: drumbeat chooses.
	Headline string

	Pos              diag.Pos // the investment block
	ContributionsPos diag.Pos
	HeadlinePos      diag.Pos
}

// Investment is one entry under investment.cash or investment.in_kind:
// money, time (hours × rate), or the values of an input metric.
type Investment struct {
	Partner string
	Cash    bool
	Amount  *float64 // money in the site's currency, or goods at a value
	Hours   *float64 // time given, valued at Rate an hour
	Rate    *float64
	// Metric is an input metric whose values for Partner over the period
	// give the amount (a metric counted in the site's currency) or, times
	// Rate, the value (a metric counted in hours or other units).
	Metric string
	Note   string
	Pos    diag.Pos
}

// Claim is a result a story claims: a metric's value over the To span
// against its value over the From span. A span of several periods adds
// the values up (doses in six months); a single period is its value.
type Claim struct {
	Metric  string
	Partner string // the partner's own values of the metric; "" for the totals
	From    Span
	To      Span
	Pos     diag.Pos
	FromPos diag.Pos
	ToPos   diag.Pos
}

// Return is what a partner got out of the work, in the story's words.
type Return struct {
	Partner string
	Got     string
	Pos     diag.Pos
}

// ROIFigures are the figures of an ROI story, worked out from its front
// matter and the data. No figure in it is NaN or infinite: what cannot be
// worked out is an error instead.
type ROIFigures struct {
	Period   Span
	Currency string
	Lines    []ROILine    // every amount counted, in the order declared
	Partners []PartnerROI // in the story's partners order
	Results  []ROIResult

	Cash, InKind, Total float64
	Hours               float64 // hours of time given, in kind
	Investors           int     // partners that put something in

	// Headline is the reference of the figure the story leads with:
	// "doses_given cost".
	Headline string

	site *Site
}

// ROILine is one amount counted as investment.
type ROILine struct {
	Partner  string
	Cash     bool
	Value    float64 // in the site's currency
	Hours    float64 // time given; 0 when the line is not time
	Rate     float64 // the value of one hour (or unit of Metric)
	Metric   *Metric // the input metric the line was taken from, if any
	Quantity float64 // the sum of Metric's values over the period
	Note     string
	Pos      diag.Pos // where the number is written: the story, or data/partners.yaml
	FromData bool     // taken from data/partners.yaml or an input metric
}

// PartnerROI is what one partner put in, and its standing in the whole.
type PartnerROI struct {
	Partner                    *Partner
	Cash, InKind, Total, Hours float64
	Invested                   bool    // the partner put something in
	Share                      float64 // Total over everything put in
	// Leverage is what the other partners put in for each unit this
	// partner put in: (everything − Total) / Total.
	Leverage float64
	Got      string // what it got out, in the story's words
	Pos      diag.Pos
}

// ROIResult is a claimed result, worked out.
type ROIResult struct {
	Claim
	Metric      *Metric
	Partner     *Partner // nil for the metric's totals
	Before      float64  // over Claim.From
	After       float64  // over Claim.To
	Change      float64  // After − Before
	Relative    float64  // Change / |Before|, when HasRelative
	HasRelative bool     // Before is not zero
	Improved    bool     // the change is progress, given the metric's direction
	// CostPer is everything put in over the size of the change: what one
	// unit of improvement cost. Set only for an improvement (HasCost).
	CostPer float64
	HasCost bool
}

// Figure is one computed figure as a page shows it.
type Figure struct {
	Value  string // "€42 per dose"
	Label  string // what it is: "Vaccine doses given at Lakeside Community Clinic"
	Detail string // how it was worked out, or over which periods
	Anchor string // the id of the part of the story page that holds it
	// Source is where a metric's figure comes from (the metric's source
	// column); "" for other figures.
	Source string
	// LabelMsg and DetailMsg are Label and Detail as messages, for the
	// renderer to write in the site's language; nil keeps the English
	// Label or Detail. (Pointers keep Figure comparable.)
	LabelMsg, DetailMsg *i18n.Message
	// ValueMsg is Value as a message where the value has words in it
	// ("€44 per extra dose", a period, "+7.4 points"); nil where it is a
	// number or an amount alone, written as Value.
	ValueMsg *i18n.Message
}

// valued returns fig with its value as a message too.
func valued(fig Figure, value i18n.Message) Figure {
	fig.ValueMsg = &value
	return fig
}

// said returns fig with its label and detail as messages too (a message
// with no key: none).
func said(fig Figure, label, detail i18n.Message) Figure {
	if label.Key != "" {
		fig.LabelMsg = &label
	}
	if detail.Key != "" {
		fig.DetailMsg = &detail
	}
	return fig
}

// Caption is the figure's label, with its detail when that is short (a
// period): what a social card or a share text puts beside the value.
func (f Figure) Caption() string {
	if f.Detail != "" && len([]rune(f.Detail)) <= 24 {
		return f.Label + ", " + f.Detail
	}
	return f.Label
}

// ROIAggregates are the figures {{roi:<name>}} gives for the story as a
// whole, as opposed to a partner or a result.
var ROIAggregates = []string{"total", "cash", "in_kind", "hours", "period", "partners", "headline"}

// ROIPartnerViews are the views of a partner's figure: {{roi:<partner> <view>}}.
var ROIPartnerViews = []string{"value", "cash", "inkind", "hours", "share", "leverage"}

// ROIResultViews are the views of a result: {{roi:<metric> <view>}}.
var ROIResultViews = []string{"change", "before", "after", "percent", "cost", "from", "to"}

// ComputeROI works out the figures of an ROI story: the investment in
// total and by partner (cash, and in kind at its value), each partner's
// share and leverage, the change in each claimed result and what each unit
// of improvement cost. Missing or inconsistent data is an error at the
// line that names it; so is any figure that would divide by zero. The
// figures are nil when the list holds an error.
func (s *Site) ComputeROI(st *Story) (*ROIFigures, diag.List) {
	r := st.ROI
	if r == nil {
		return nil, nil
	}
	var errs diag.List
	f := &ROIFigures{Period: r.Period, Currency: s.Config.Currency, site: s}
	partnerIDs := keys(s.partnerByID)
	// partner checks a partner id the ROI names at pos: it must be in
	// data/partners.yaml and in the story's partners list, so that it
	// approves the story before it is published.
	partner := func(id string, pos diag.Pos) *Partner {
		p := s.partnerByID[id]
		if p == nil {
			e := errs.Errorf(pos, "partner %q is not in data/partners.yaml", id)
			if h := diag.Suggest(id, partnerIDs); h != "" {
				e.WithHint("did you mean %q?", h)
			}
			return nil
		}
		if !contains(st.Partners, id) {
			errs.Errorf(pos, "partner %q is counted in this ROI story but is not in its partners list", id).
				WithHint("add %s to `partners:`: every partner the story counts must approve it", id)
			return nil
		}
		return p
	}
	finite := func(v float64, pos diag.Pos, what string) bool {
		if math.IsNaN(v) {
			errs.Errorf(pos, "%s is not a number", what)
			return false
		}
		if math.IsInf(v, 0) {
			overflow(&errs, what, pos)
			return false
		}
		if v < 0 {
			errs.Errorf(pos, "%s is negative (%s)", what, FormatNumber(v))
			return false
		}
		return true
	}

	// What the story writes by hand, or points at in an input metric.
	for _, in := range r.Investments {
		if partner(in.Partner, in.Pos) == nil {
			continue
		}
		l := ROILine{Partner: in.Partner, Cash: in.Cash, Note: in.Note, Pos: in.Pos}
		sizeOK := true
		for _, n := range []struct {
			name string
			v    *float64
		}{{"amount", in.Amount}, {"hours", in.Hours}, {"rate", in.Rate}} {
			if n.v == nil || !Finite(*n.v) {
				continue // not a number: reported below
			}
			if err := CheckMagnitude(*n.v); err != nil {
				errs.Errorf(in.Pos, "the investment of %q: %s %s %v", in.Partner, n.name, strconv.FormatFloat(*n.v, 'g', -1, 64), err)
				sizeOK = false
			}
		}
		if !sizeOK {
			continue
		}
		switch {
		case in.Metric != "":
			if !s.metricLine(&l, in, r.Period, &errs) {
				continue
			}
		case in.Amount != nil && in.Hours == nil && in.Rate == nil:
			l.Value = *in.Amount
		case in.Amount == nil && in.Hours != nil && in.Rate != nil && !in.Cash:
			l.Hours, l.Rate = *in.Hours, *in.Rate
			l.Value = l.Hours * l.Rate
		default:
			errs.Errorf(in.Pos, "the investment of %q needs an amount, hours and a rate (in kind only), or a metric", in.Partner)
			continue
		}
		if !finite(l.Value, in.Pos, fmt.Sprintf("the investment of %q", in.Partner)) {
			continue
		}
		f.Lines = append(f.Lines, l)
	}

	// What partners.yaml records for the period.
	ids := r.Contributions
	if r.AllContributions {
		ids = st.Partners
	}
	for _, id := range ids {
		p := partner(id, r.ContributionsPos)
		if p == nil {
			continue
		}
		n := 0
		for _, c := range p.Contributions {
			switch {
			case c.Period.IsZero():
			case r.Period.Contains(c.Period):
				l := ROILine{Partner: id, Cash: c.Kind == "cash", Value: c.Value, Note: c.Note, Pos: c.Pos, FromData: true}
				if c.Hours != nil && c.Rate != nil {
					l.Hours, l.Rate = *c.Hours, *c.Rate
				}
				if finite(l.Value, c.Pos, fmt.Sprintf("the contribution of %q", id)) {
					f.Lines = append(f.Lines, l)
					n++
				}
			case r.Period.Overlaps(c.Period):
				errs.Warnf(r.ContributionsPos, "the %s contribution of %s (%s) runs beyond %s, so it is not counted", c.Period.Label(), id, c.Pos, r.Period.Label()).
					WithHint("record contributions by quarter in data/partners.yaml, or write the part that belongs to this period under cash: or in_kind:")
			}
		}
		if n == 0 && !r.AllContributions {
			errs.Errorf(r.ContributionsPos, "partner %q has no contributions in data/partners.yaml for %s", id, r.Period.Label()).
				WithHint("record them there, or write the investment under cash: or in_kind:")
		}
	}

	// Totals, and each partner's part.
	byPartner := map[string]*PartnerROI{}
	for _, l := range f.Lines {
		pr := byPartner[l.Partner]
		if pr == nil {
			pr = &PartnerROI{Partner: s.partnerByID[l.Partner], Invested: true, Pos: l.Pos}
			byPartner[l.Partner] = pr
		}
		if l.Cash {
			pr.Cash += l.Value
			f.Cash += l.Value
		} else {
			pr.InKind += l.Value
			f.InKind += l.Value
		}
		pr.Total += l.Value
		pr.Hours += l.Hours
		f.Hours += l.Hours
	}
	f.Total = f.Cash + f.InKind
	if !Finite(f.Cash, f.InKind, f.Total, f.Hours) {
		var at []diag.Pos
		for _, l := range f.Lines {
			at = append(at, l.Pos)
		}
		overflow(&errs, "the total put in", at...)
		return nil, errs
	}
	returned := map[string]diag.Pos{}
	for _, rt := range r.Returns {
		if partner(rt.Partner, rt.Pos) == nil {
			continue
		}
		if prev, dup := returned[rt.Partner]; dup {
			errs.Errorf(rt.Pos, "what %s got is written twice (first at line %d)", rt.Partner, prev.Line)
			continue
		}
		returned[rt.Partner] = rt.Pos
		pr := byPartner[rt.Partner]
		if pr == nil {
			pr = &PartnerROI{Partner: s.partnerByID[rt.Partner], Pos: rt.Pos}
			byPartner[rt.Partner] = pr
		}
		pr.Got = rt.Got
	}
	if errs.HasErrors() {
		return nil, errs
	}
	switch {
	case len(f.Lines) == 0:
		errs.Errorf(r.Pos, "the story counts no investment").
			WithHint("write what each partner put in under cash: and in_kind:, or take it from data/partners.yaml with from_contributions: true")
		return nil, errs
	case f.Total == 0:
		errs.Errorf(r.Pos, "everything put in adds up to 0, so no share, leverage or cost per unit can be worked out (they would divide by zero)").
			WithHint("give the amounts the partners put in")
		return nil, errs
	}
	for _, id := range st.Partners {
		pr := byPartner[id]
		if pr == nil {
			continue
		}
		if pr.Invested {
			if pr.Total == 0 {
				errs.Errorf(pr.Pos, "partner %q puts in 0, so its leverage cannot be worked out (it would divide by zero)", id).
					WithHint("remove the entry, or give what the partner put in")
				continue
			}
			f.Investors++
			pr.Share = pr.Total / f.Total
			pr.Leverage = (f.Total - pr.Total) / pr.Total
			if !Finite(pr.Share, pr.Leverage) {
				overflow(&errs, fmt.Sprintf("the share and leverage of %q", id), pr.Pos)
				continue
			}
		}
		f.Partners = append(f.Partners, *pr)
		delete(byPartner, id) // a partner listed twice appears once
	}

	// The results.
	metricIDs := keys(s.metricByID)
	claimed := map[string]diag.Pos{}
	for _, c := range r.Results {
		m := s.metricByID[c.Metric]
		if m == nil {
			e := errs.Errorf(c.Pos, "metric %q is not in data/metrics.csv", c.Metric)
			if h := diag.Suggest(c.Metric, metricIDs); h != "" {
				e.WithHint("did you mean %q?", h)
			}
			continue
		}
		if prev, dup := claimed[c.Metric]; dup {
			errs.Errorf(c.Pos, "metric %q is claimed twice (first at line %d)", c.Metric, prev.Line).
				WithHint("claim each metric once; {{roi:%s …}} must name one result", c.Metric)
			continue
		}
		claimed[c.Metric] = c.Pos
		res := ROIResult{Claim: c, Metric: m}
		series := m.Series
		if c.Partner != "" {
			if res.Partner = partner(c.Partner, c.Pos); res.Partner == nil {
				continue
			}
			series = m.ByPartner[c.Partner]
			if len(series) == 0 {
				errs.Errorf(c.Pos, "metric %q has no values for partner %q", c.Metric, c.Partner).
					WithHint("record them in data/observations/ with a partner column, or claim the metric's totals (remove partner:)")
				continue
			}
		}
		if c.From.IsZero() || c.To.IsZero() {
			errs.Errorf(c.Pos, "the result %q needs `from:` and `to:` periods", c.Metric)
			continue
		}
		if !c.From.End().Before(c.To.Start()) {
			errs.Errorf(or(c.ToPos, c.Pos), "the result %q runs to %s, which does not come after %s", c.Metric, c.To.Label(), c.From.Label()).
				WithHint("`from:` is the period before, `to:` the period after")
			continue
		}
		before, ok1 := spanValue(m, series, c.Partner, c.From, or(c.FromPos, c.Pos), &errs)
		after, ok2 := spanValue(m, series, c.Partner, c.To, or(c.ToPos, c.Pos), &errs)
		if !ok1 || !ok2 {
			continue
		}
		res.Before, res.After, res.Change = before, after, after-before
		if res.Change == 0 {
			errs.Errorf(c.Pos, "%s did not change from %s to %s (%s both times), so there is no cost per unit of change (it would divide by zero)",
				m.ID, c.From.Label(), c.To.Label(), FormatValue(before, m.Unit)).
				WithHint("claim results that changed, or choose other periods")
			continue
		}
		if before != 0 {
			res.Relative, res.HasRelative = res.Change/math.Abs(before), true
		}
		res.Improved = m.Good(res.Change)
		if res.Improved {
			res.CostPer, res.HasCost = f.Total/math.Abs(res.Change), true
		}
		if !Finite(res.Change, res.Relative, res.CostPer) {
			overflow(&errs, fmt.Sprintf("the result %q", c.Metric), or(c.FromPos, c.Pos), or(c.ToPos, c.Pos))
			continue
		}
		f.Results = append(f.Results, res)
	}
	if len(r.Results) == 0 {
		errs.Errorf(r.Pos, "the story claims no results").
			WithHint("list them under results: with metric, from and to")
	}
	if errs.HasErrors() {
		return nil, errs
	}

	// The headline.
	f.Headline = r.Headline
	if f.Headline == "" {
		f.Headline = f.defaultHeadline()
	} else if _, err := f.Ref(f.Headline); err != nil {
		e := errs.Errorf(or(r.HeadlinePos, r.Pos), "headline %q: %s", r.Headline, err.Msg)
		e.Hint = err.Hint
		return nil, errs
	}
	return f, errs
}

// metricLine fills l from the values of an input metric over the period.
func (s *Site) metricLine(l *ROILine, in Investment, period Span, errs *diag.List) bool {
	m := s.metricByID[in.Metric]
	if m == nil {
		e := errs.Errorf(in.Pos, "metric %q is not in data/metrics.csv", in.Metric)
		if h := diag.Suggest(in.Metric, keys(s.metricByID)); h != "" {
			e.WithHint("did you mean %q?", h)
		}
		return false
	}
	if m.Level != LevelInput {
		errs.Errorf(in.Pos, "metric %q is an %s metric; only input metrics can count as investment", m.ID, m.Level).
			WithHint("write the amount instead, or point at an input metric")
		return false
	}
	series := m.ByPartner[in.Partner]
	if len(series) == 0 {
		errs.Errorf(in.Pos, "metric %q has no values for partner %q", m.ID, in.Partner).
			WithHint("record them in data/observations/ with a partner column, or write the amount instead")
		return false
	}
	// The metric's own periods inside the investment period, all of them.
	var kind PeriodKind
	for _, pt := range series {
		if period.Contains(pt.Period) {
			kind = pt.Period.Kind
			break
		}
	}
	if kind == NoPeriod {
		errs.Errorf(in.Pos, "metric %q has no values for partner %q in %s", m.ID, in.Partner, period.Label())
		return false
	}
	sum := 0.0
	var at []diag.Pos
	for _, p := range period.PeriodsOf(kind) {
		v, ok := valueAt(series, p)
		if !ok {
			errs.Errorf(in.Pos, "metric %q has no value for partner %q for %s, inside the investment period %s", m.ID, in.Partner, p, period.Label()).
				WithHint("add it to data/observations/, or write the amount instead")
			return false
		}
		sum += v
		for _, pt := range series {
			if pt.Period == p {
				at = append(at, pt.Pos)
			}
		}
	}
	if !Finite(sum) {
		overflow(errs, fmt.Sprintf("the sum of %s for partner %q over %s", m.ID, in.Partner, period.Label()), append([]diag.Pos{in.Pos}, at...)...)
		return false
	}
	l.Metric, l.Quantity = m, sum
	money := strings.EqualFold(m.Unit, s.Config.Currency) && m.Unit != ""
	switch {
	case money && in.Rate != nil:
		errs.Errorf(in.Pos, "metric %q is counted in %s already; remove rate:", m.ID, m.Unit)
		return false
	case money:
		l.Value = sum
	case in.Cash:
		errs.Errorf(in.Pos, "cash must be counted in %s, but metric %q is counted in %s", currencyName(s.Config.Currency), m.ID, unitLabel(m.Unit)).
			WithHint("put time and goods under in_kind: with a rate")
		return false
	case in.Rate == nil:
		errs.Errorf(in.Pos, "metric %q is counted in %s; give rate: (the value of one) to turn it into money", m.ID, unitLabel(m.Unit))
		return false
	default:
		l.Rate = *in.Rate
		l.Value = sum * l.Rate
		if isHours(m.Unit) {
			l.Hours = sum
		}
	}
	return true
}

// spanValue adds up the values of series over the periods of sp.
func spanValue(m *Metric, series []Point, who string, sp Span, pos diag.Pos, errs *diag.List) (float64, bool) {
	if !sp.Single() && m.Unit == "%" {
		errs.Errorf(pos, "%s is a percentage, which cannot be added up over %s", m.ID, sp.Label()).
			WithHint("compare single periods, such as from: %s", sp.Last)
		return 0, false
	}
	forWho := ""
	if who != "" {
		forWho = " for partner " + who
	}
	sum := 0.0
	for _, p := range sp.Periods() {
		v, ok := valueAt(series, p)
		if !ok {
			e := errs.Errorf(pos, "metric %q has no value%s for %s", m.ID, forWho, p)
			if len(series) > 0 {
				e.WithHint("its values run from %s to %s", series[0].Period, series[len(series)-1].Period)
			}
			return 0, false
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs.Errorf(pos, "metric %q has a value%s for %s that is not a number", m.ID, forWho, p)
			return 0, false
		}
		sum += v
	}
	if !Finite(sum) {
		overflow(errs, fmt.Sprintf("the sum of %s%s over %s", m.ID, forWho, sp.Label()), pos)
		return 0, false
	}
	return sum, true
}

func valueAt(series []Point, p Period) (float64, bool) {
	for i := len(series) - 1; i >= 0; i-- {
		if series[i].Period == p {
			return series[i].Value, true
		}
	}
	return 0, false
}

func or(p, fallback diag.Pos) diag.Pos {
	if p.File == "" {
		return fallback
	}
	return p
}

func isHours(unit string) bool {
	u := strings.ToLower(unit)
	return u == "hours" || u == "hour" || u == "h"
}

func unitLabel(unit string) string {
	if unit == "" {
		return "plain numbers"
	}
	return unit
}

func currencyName(c string) string {
	if c == "" {
		return "money (site.yaml sets no currency)"
	}
	return c
}

// defaultHeadline leads with the cost per unit of the first result that
// improved, else the change in the first result, else the total.
func (f *ROIFigures) defaultHeadline() string {
	for _, r := range f.Results {
		if r.HasCost {
			return r.Metric.ID + " cost"
		}
	}
	if len(f.Results) > 0 {
		return f.Results[0].Metric.ID + " change"
	}
	return "total"
}

// HeadlineFigure returns the figure the story leads with.
func (f *ROIFigures) HeadlineFigure() Figure {
	fig, err := f.Ref(f.Headline)
	if err != nil {
		// ComputeROI checked the headline; the default always resolves.
		fig, _ = f.Ref("total")
	}
	return fig
}

// Ref returns the figure a reference names, written as inside
// {{roi:…}}: "total", "lakeside-clinic share", "doses_given cost".
func (f *ROIFigures) Ref(ref string) (Figure, *diag.Error) {
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "roi:")
	fields := strings.Fields(ref)
	switch len(fields) {
	case 1:
		return f.Figure(fields[0], "")
	case 2:
		return f.Figure(fields[0], fields[1])
	}
	return Figure{}, figErr(fmt.Sprintf("%q is not an ROI figure", ref), "write a name and a view, such as \"total\" or \"doses_given cost\"")
}

func figErr(msg, hint string) *diag.Error { return &diag.Error{Msg: msg, Hint: hint} }

// Partner returns the figures of one partner, or nil.
func (f *ROIFigures) Partner(id string) *PartnerROI {
	for i := range f.Partners {
		if f.Partners[i].Partner.ID == id {
			return &f.Partners[i]
		}
	}
	return nil
}

// Result returns the result that claims the metric, or nil.
func (f *ROIFigures) Result(metric string) *ROIResult {
	for i := range f.Results {
		if f.Results[i].Metric.ID == metric {
			return &f.Results[i]
		}
	}
	return nil
}

// One names one unit of the currency: "€1".
func (f *ROIFigures) One() string { return FormatValue(1, f.Currency) }

// Money formats an amount in the site's currency: whole units from 10 up,
// cents below (€1.73, €2.00, €42, €30,165).
func (f *ROIFigures) Money(v float64) string { return money(v, f.Currency) }

func money(v float64, currency string) string {
	r := math.Round(v)
	if math.Abs(v) < 10 {
		r = math.Round(v*100) / 100
	}
	s := FormatValue(r, currency)
	if math.Abs(v) < 10 {
		// Two decimals for small amounts: €1.50 and €2.00, not €1.5 and €2.
		n := FormatNumber(math.Abs(r))
		switch i := strings.IndexByte(n, '.'); {
		case i < 0:
			s = strings.Replace(s, n, n+".00", 1)
		case len(n)-i == 2:
			s = strings.Replace(s, n, n+"0", 1)
		}
	}
	return s
}

// Figure returns one figure of the story: {{roi:<subject> <view>}}.
func (f *ROIFigures) Figure(subject, view string) (Figure, *diag.Error) {
	if view == "value" {
		view = ""
	}
	period, periodMsg := f.Period.Label(), f.Period.Message()
	if contains(ROIAggregates, subject) {
		if view != "" {
			return Figure{}, figErr(fmt.Sprintf("{{roi:%s}} takes no view; %q is not one", subject, view), "write {{roi:"+subject+"}}")
		}
		switch subject {
		case "total":
			return said(Figure{Value: f.Money(f.Total), Label: "Put in by " + f.investorsPhrase(), Detail: "Cash and in kind, " + period, Anchor: "roi-put-in"},
				i18n.M("roi_fig_total", "who", f.InvestorsWho()), i18n.M("roi_fig_total_detail", "period", periodMsg)), nil
		case "cash":
			return said(Figure{Value: f.Money(f.Cash), Label: "Cash put in", Detail: period, Anchor: "roi-put-in"}, i18n.M("roi_fig_cash"), periodMsg), nil
		case "in_kind":
			return said(Figure{Value: f.Money(f.InKind), Label: "Put in kind: time at an agreed rate, goods at their value", Detail: period, Anchor: "roi-put-in"}, i18n.M("roi_fig_in_kind"), periodMsg), nil
		case "hours":
			if f.Hours == 0 {
				return Figure{}, figErr("the story counts no time given (hours × rate), so there are no hours to show", "")
			}
			return valued(said(Figure{Value: FormatValue(f.Hours, "hours"), Label: "Hours of time given", Detail: period, Anchor: "roi-put-in"}, i18n.M("roi_fig_hours"), periodMsg), HoursMessage(f.Hours)), nil
		case "period":
			return valued(said(Figure{Value: period, Label: "The period of the investment", Anchor: "roi-put-in"}, i18n.M("roi_fig_period"), i18n.Message{}), periodMsg), nil
		case "partners":
			return said(Figure{Value: FormatNumber(float64(f.Investors)), Label: "Partners who put something in", Detail: period, Anchor: "roi-put-in"}, i18n.M("roi_fig_partners"), periodMsg), nil
		case "headline":
			return f.Ref(f.Headline)
		}
	}
	if p := f.Partner(subject); p != nil {
		return f.partnerFigure(p, view)
	}
	if r := f.Result(subject); r != nil {
		return f.resultFigure(r, view)
	}
	// Not in this story: say why.
	if f.site != nil {
		if f.site.Partner(subject) != nil {
			return Figure{}, figErr(fmt.Sprintf("partner %q puts nothing into this ROI story", subject), "count what it put in under investment:, or cite another partner")
		}
		if f.site.Metric(subject) != nil {
			return Figure{}, figErr(fmt.Sprintf("metric %q is not among the results this story claims", subject), "add it under results: with from and to, or cite it as {{"+subject+"}}")
		}
	}
	names := append([]string(nil), ROIAggregates...)
	for _, p := range f.Partners {
		names = append(names, p.Partner.ID)
	}
	for _, r := range f.Results {
		names = append(names, r.Metric.ID)
	}
	hint := "use " + strings.Join(names, ", ")
	if s := diag.Suggest(subject, names); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	return Figure{}, figErr(fmt.Sprintf("{{roi:%s}}: %q is neither an ROI figure, a partner that put something in, nor a claimed result", subject, subject), hint)
}

func (f *ROIFigures) investorsPhrase() string {
	if f.Investors == 1 {
		for _, p := range f.Partners {
			if p.Invested {
				return p.Partner.Name
			}
		}
	}
	return FormatNumber(float64(f.Investors)) + " partners"
}

// InvestorsWho is who put something in, as a message argument: the one
// partner's name, or roi_fig_investors.
func (f *ROIFigures) InvestorsWho() any {
	if f.Investors == 1 {
		for _, p := range f.Partners {
			if p.Invested {
				return p.Partner.Name
			}
		}
	}
	return i18n.M("roi_fig_investors", "count", FormatNumber(float64(f.Investors)))
}

func (f *ROIFigures) partnerFigure(p *PartnerROI, view string) (Figure, *diag.Error) {
	name := p.Partner.Name
	anchor := "roi-p-" + p.Partner.ID
	period, periodMsg := f.Period.Label(), f.Period.Message()
	if !p.Invested {
		return Figure{}, figErr(fmt.Sprintf("partner %q puts nothing into this ROI story", p.Partner.ID), "count what it put in under investment:")
	}
	switch view {
	case "":
		return said(Figure{Value: f.Money(p.Total), Label: "Put in by " + name, Detail: "Cash and in kind, " + period, Anchor: anchor},
			i18n.M("roi_fig_total", "who", name), i18n.M("roi_fig_total_detail", "period", periodMsg)), nil
	case "cash":
		return said(Figure{Value: f.Money(p.Cash), Label: "Cash put in by " + name, Detail: period, Anchor: anchor}, i18n.M("roi_fig_partner_cash", "partner", name), periodMsg), nil
	case "inkind":
		return said(Figure{Value: f.Money(p.InKind), Label: "Put in kind by " + name, Detail: period, Anchor: anchor}, i18n.M("roi_fig_partner_in_kind", "partner", name), periodMsg), nil
	case "hours":
		if p.Hours == 0 {
			return Figure{}, figErr(fmt.Sprintf("partner %q gave no time counted as hours × rate", p.Partner.ID), "")
		}
		return valued(said(Figure{Value: FormatValue(p.Hours, "hours"), Label: "Hours given by " + name, Detail: period, Anchor: anchor}, i18n.M("roi_fig_partner_hours", "partner", name), periodMsg), HoursMessage(p.Hours)), nil
	case "share":
		return said(Figure{Value: FormatPercent(p.Share), Label: name + "'s share of everything put in", Detail: f.Money(p.Total) + " of " + f.Money(f.Total), Anchor: anchor},
			i18n.M("roi_fig_partner_share", "partner", name), i18n.M("roi_fig_partner_share_detail", "part", f.Money(p.Total), "total", f.Money(f.Total))), nil
	case "leverage":
		return said(Figure{Value: f.Money(p.Leverage), Label: "Put in by the other partners for each " + FormatValue(1, f.Currency) + " from " + name,
			Detail: "(" + f.Money(f.Total) + " − " + f.Money(p.Total) + ") ÷ " + f.Money(p.Total), Anchor: anchor},
			i18n.M("roi_fig_partner_leverage", "one", FormatValue(1, f.Currency), "partner", name),
			i18n.M("roi_fig_partner_leverage_detail", "total", f.Money(f.Total), "part", f.Money(p.Total))), nil
	}
	return Figure{}, figErr(fmt.Sprintf("{{roi:%s %s}}: %q is not a view of a partner's figures", p.Partner.ID, view, view), "use "+strings.Join(ROIPartnerViews, ", "))
}

// ResultLabel names a result: the metric, and the partner when the claim
// is about one partner's own values.
func (r *ROIResult) ResultLabel() string {
	if r.Partner != nil {
		return r.Metric.Name + " at " + r.Partner.Name
	}
	return r.Metric.Name
}

// ResultMessage is ResultLabel as a message: roi_result or roi_result_at.
func (r *ROIResult) ResultMessage() i18n.Message {
	if r.Partner != nil {
		return i18n.M("roi_result_at", "metric", r.Metric.Name, "partner", r.Partner.Name)
	}
	return i18n.M("roi_result", "metric", r.Metric.Name)
}

// PerUnit names one unit of the result's metric: "dose", "point", "€1".
func (r *ROIResult) PerUnit(currency string) string { return unitOne(r.Metric.Unit, currency) }

// perChange names one unit of the result's improvement: "extra dose",
// "point lower", "outbreak fewer".
func (r *ROIResult) perChange(currency string) string {
	one := r.PerUnit(currency)
	switch {
	case !r.Metric.Down:
		return "extra " + one
	case one == "point" || one == "unit" || one == FormatValue(1, r.Metric.Unit):
		return one + " lower"
	}
	return one + " fewer"
}

// PerChangeMessage is perChange as a message: roi_per_extra, roi_per_lower
// or roi_per_fewer, with {one} the unit (roi_one_point, roi_one_unit, or
// the metric's own unit in the singular, or one of the currency).
func (r *ROIResult) PerChangeMessage(currency string) i18n.Message {
	one := r.PerUnit(currency)
	var oneArg any = one
	switch one {
	case "point":
		oneArg = i18n.M("roi_one_point")
	case "unit":
		oneArg = i18n.M("roi_one_unit")
	}
	switch {
	case !r.Metric.Down:
		return i18n.M("roi_per_extra", "one", oneArg)
	case one == "point" || one == "unit" || one == FormatValue(1, r.Metric.Unit):
		return i18n.M("roi_per_lower", "one", oneArg)
	}
	return i18n.M("roi_per_fewer", "one", oneArg)
}

func (f *ROIFigures) resultFigure(r *ROIResult, view string) (Figure, *diag.Error) {
	m := r.Metric
	label := r.ResultLabel()
	anchor := "roi-r-" + m.ID
	against := r.To.Label() + " against " + r.From.Label()
	labelMsg := r.ResultMessage()
	againstMsg := i18n.M("roi_against", "to", r.To.Message(), "from", r.From.Message())
	switch view {
	case "", "change":
		return valued(said(Figure{Value: FormatChange(r.Change, m.Unit), Label: label, Detail: against, Anchor: anchor}, labelMsg, againstMsg), ChangeMessage(r.Change, m.Unit)), nil
	case "before":
		return said(Figure{Value: FormatValue(r.Before, m.Unit), Label: label, Detail: r.From.Label(), Anchor: anchor}, labelMsg, r.From.Message()), nil
	case "after":
		return said(Figure{Value: FormatValue(r.After, m.Unit), Label: label, Detail: r.To.Label(), Anchor: anchor}, labelMsg, r.To.Message()), nil
	case "from":
		return valued(said(Figure{Value: r.From.Label(), Label: label + ": the period before", Anchor: anchor}, i18n.M("roi_result_before", "result", labelMsg), i18n.Message{}), r.From.Message()), nil
	case "to":
		return valued(said(Figure{Value: r.To.Label(), Label: label + ": the period after", Anchor: anchor}, i18n.M("roi_result_after", "result", labelMsg), i18n.Message{}), r.To.Message()), nil
	case "percent":
		if !r.HasRelative {
			return Figure{}, figErr(fmt.Sprintf("%s was 0 in %s, so its change has no percentage (it would divide by zero)", m.ID, r.From.Label()), "cite the change instead: {{roi:"+m.ID+" change}}")
		}
		sign := "+"
		if r.Relative < 0 {
			sign = "−"
		}
		return said(Figure{Value: sign + FormatPercent(math.Abs(r.Relative)), Label: label, Detail: against, Anchor: anchor}, labelMsg, againstMsg), nil
	case "cost":
		if !r.HasCost {
			return Figure{}, figErr(fmt.Sprintf("%s got worse from %s to %s (%s), so there is no cost per unit of improvement", m.ID, r.From.Label(), r.To.Label(), FormatChange(r.Change, m.Unit)),
				"cite its change instead: {{roi:"+m.ID+" change}}")
		}
		return valued(said(Figure{Value: f.Money(r.CostPer) + " per " + r.perChange(f.Currency), Label: label,
			Detail: "Everything put in (" + f.Money(f.Total) + ") ÷ the change (" + FormatChange(r.Change, m.Unit) + "), " + against, Anchor: anchor},
			labelMsg, i18n.M("roi_cost_detail", "total", f.Money(f.Total), "change", ChangeMessage(r.Change, m.Unit), "against", againstMsg)),
			i18n.M("roi_cost_value", "cost", f.Money(r.CostPer), "per", r.PerChangeMessage(f.Currency))), nil
	}
	return Figure{}, figErr(fmt.Sprintf("{{roi:%s %s}}: %q is not a view of a result", m.ID, view, view), "use "+strings.Join(ROIResultViews, ", "))
}

// unitOne names one unit: "doses" → "dose", "%" → "point", "EUR" → "€1".
func unitOne(unit, currency string) string {
	u := strings.TrimSpace(unit)
	switch {
	case u == "":
		return "unit"
	case strings.EqualFold(u, currency) || currencySymbols[u] != "":
		return FormatValue(1, u)
	}
	if u == "%" {
		return "point"
	}
	return Singular(u)
}

// MetricIDs lists the metrics the figures draw on: the claimed results,
// then the input metrics counted as investment.
func (f *ROIFigures) MetricIDs() []string {
	var out []string
	for _, r := range f.Results {
		out = append(out, r.Metric.ID)
	}
	for _, l := range f.Lines {
		if l.Metric != nil && !contains(out, l.Metric.ID) {
			out = append(out, l.Metric.ID)
		}
	}
	return out
}
