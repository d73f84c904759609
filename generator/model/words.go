package model

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words for numbers: the pure logic behind the figure views a headline
// needs (trend, gap, streak, top, share, count). The render package reads
// the figure and finds the values; these functions choose the words.

var smallCounts = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// SpellCount writes a count as a reader says it: zero to ten in words,
// larger counts in figures ("12", "1,200").
func SpellCount(n int) string {
	if n >= 0 && n < len(smallCounts) {
		return smallCounts[n]
	}
	return FormatNumber(float64(n))
}

// Capitalize returns s with its first letter in upper case, for words that
// start a sentence.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// TrendWords says how a value went from one period to another: "rose
// from 71.8 % to 82.6 %", "fell from 13.6 % to 7.6 %", or "held at 0
// outbreaks" when the two values are written the same (so the words never
// say "rose from 72 % to 72 %").
func TrendWords(from, to float64, unit string) string {
	f, t := FormatValue(from, unit), FormatValue(to, unit)
	switch {
	case f == t:
		return "held at " + t
	case to > from:
		return "rose from " + f + " to " + t
	}
	return "fell from " + f + " to " + t
}

// Amount writes the size of a difference, without a sign, as FormatChange
// writes it: "7.4 points" (or "1 point") for a percentage, "170 doses"
// otherwise.
func Amount(d float64, unit string) string {
	return strings.TrimPrefix(FormatChange(math.Abs(d), unit), "+")
}

// GapWords says how far value v is from the metric's target, direction
// aware: "7.4 points short of 90 %" when the target is not met (below it
// for an up metric, above it for a down one), "3 points past the 5 %
// target" when it is beaten, "at the 90 % target" when the gap is written
// as 0. ok is false when the metric has no target.
func GapWords(m *Metric, v float64) (words string, ok bool) {
	if m.Target == nil {
		return "", false
	}
	t := *m.Target
	target := FormatValue(t, m.Unit)
	if FormatNumber(math.Abs(t-v)) == "0" {
		return "at the " + target + " target", true
	}
	short := v < t
	if m.Down {
		short = v > t
	}
	if short {
		return Amount(t-v, m.Unit) + " short of " + target, true
	}
	return Amount(t-v, m.Unit) + " past the " + target + " target", true
}

// CondOp is the test a Condition makes.
type CondOp uint8

// The tests of a condition.
const (
	CondEq   CondOp = iota // = N
	CondNe                 // != N
	CondLt                 // < N
	CondLe                 // <= N
	CondGt                 // > N
	CondGe                 // >= N
	CondMet                // the target is met (direction-aware)
	CondUp                 // the value rose since the period before
	CondDown               // the value fell since the period before
)

var condOps = map[string]CondOp{
	"=": CondEq, "==": CondEq, "!=": CondNe, "≠": CondNe,
	"<": CondLt, "<=": CondLe, "≤": CondLe, ">": CondGt, ">=": CondGe, "≥": CondGe,
}

// String writes the operator as the condition is written.
func (o CondOp) String() string {
	switch o {
	case CondEq:
		return "="
	case CondNe:
		return "!="
	case CondLt:
		return "<"
	case CondLe:
		return "<="
	case CondGt:
		return ">"
	case CondGe:
		return ">="
	case CondMet:
		return "met"
	case CondUp:
		return "up"
	case CondDown:
		return "down"
	}
	return "?"
}

// Condition is a test of one period's value, written after a figure's
// view: "= 0", "< 5", ">= 80" (or ">=80"), "met" (or "at target"), "up",
// "down".
type Condition struct {
	Op CondOp
	N  float64 // the number compared with, for = != < <= > >=
}

// String writes the condition as it is written in a figure.
func (c Condition) String() string {
	if c.Op >= CondMet {
		return c.Op.String()
	}
	return c.Op.String() + " " + strconv.FormatFloat(c.N, 'f', -1, 64)
}

// ConditionHint says how to write a condition.
const ConditionHint = "write a comparison (= 0, < 5, <= 5, > 80, >= 80, != 0), met (or at target), up or down"

// ParseCondition reads the words of a condition. A number may end in "%"
// ("80%"), which changes nothing: values are compared as the data holds
// them.
func ParseCondition(args []string) (Condition, error) {
	s := strings.Join(args, " ")
	bad := func() (Condition, error) {
		return Condition{}, fmt.Errorf("%q is not a condition", s)
	}
	switch strings.ToLower(s) {
	case "met", "at target", "at-target":
		return Condition{Op: CondMet}, nil
	case "up":
		return Condition{Op: CondUp}, nil
	case "down":
		return Condition{Op: CondDown}, nil
	case "":
		return Condition{}, fmt.Errorf("no condition is written")
	}
	end := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '+' || r == '.' || '0' <= r && r <= '9' })
	if end <= 0 {
		return bad()
	}
	op, ok := condOps[s[:end]]
	if !ok {
		return bad()
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[end:]), "%"))
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || !Finite(n) || strings.ContainsAny(num, "eEinfINFxXpP_ ") {
		return bad()
	}
	return Condition{Op: op, N: n}, nil
}

// Holds reports whether the condition holds for v. prev is the value of the
// period before, for up and down (hasPrev false when there is none: then
// neither holds); target is the metric's target, for met (nil: met never
// holds); down is the metric's direction.
func (c Condition) Holds(v, prev float64, hasPrev bool, target *float64, down bool) bool {
	switch c.Op {
	case CondEq:
		return v == c.N
	case CondNe:
		return v != c.N
	case CondLt:
		return v < c.N
	case CondLe:
		return v <= c.N
	case CondGt:
		return v > c.N
	case CondGe:
		return v >= c.N
	case CondMet:
		if target == nil {
			return false
		}
		if down {
			return v <= *target
		}
		return v >= *target
	case CondUp:
		return hasPrev && v > prev
	case CondDown:
		return hasPrev && v < prev
	}
	return false
}

// Streak counts the periods in a row, ending at period end, for which the
// condition holds on m's series. A period missing from the series ends the
// run (nothing is known about it). For up and down, each period is
// compared with the one just before it, which must be in the series.
// ok is false when end is not in the series.
func Streak(m *Metric, end Period, c Condition) (n int, ok bool) {
	i := len(m.Series) - 1
	for i >= 0 && m.Series[i].Period != end {
		i--
	}
	if i < 0 {
		return 0, false
	}
	for ; i >= 0; i-- {
		pt := m.Series[i]
		hasPrev := i > 0 && m.Series[i-1].Period == pt.Period.Prev()
		prev := 0.0
		if hasPrev {
			prev = m.Series[i-1].Value
		}
		if !c.Holds(pt.Value, prev, hasPrev, m.Target, m.Down) {
			break
		}
		n++
		if !hasPrev {
			break
		}
	}
	return n, true
}

// PeriodNoun is the name of one period of the kind, and of several:
// "quarter", "quarters".
func PeriodNoun(k PeriodKind) (one, many string) {
	switch k {
	case Year:
		return "year", "years"
	case Quarter:
		return "quarter", "quarters"
	case Month:
		return "month", "months"
	case Day:
		return "day", "days"
	}
	return "period", "periods"
}

// StreakWords writes a run of n periods of the kind: "one quarter", "two
// quarters running", "12 months running".
func StreakWords(n int, k PeriodKind) string {
	one, many := PeriodNoun(k)
	if n == 1 {
		return "one " + one
	}
	return SpellCount(n) + " " + many + " running"
}

// ShareWords writes a share (0 to 1) as a simple fraction: "none" for 0,
// "all" for 1, "nearly all" from 0.95, "fewer than one in 200" below
// 0.005, and otherwise the nearest of "N in ten" (N from one to nine) and
// "one in N" (N from 2 to 200), "N in ten" when both are as near: 0.59 is
// "six in ten", 0.33 "one in three", 0.15 "one in seven", 0.05 "one in
// 20".
func ShareWords(share float64) string {
	switch {
	case !(share > 0):
		return "none"
	case share >= 1:
		return "all"
	case share >= 0.95:
		return "nearly all"
	case share < 0.005:
		return "fewer than one in 200"
	}
	tenths := min(max(math.Round(share*10), 1), 9)
	n := min(max(math.Round(1/share), 2), 200)
	if math.Abs(1/n-share) < math.Abs(tenths/10-share) {
		return "one in " + SpellCount(int(n))
	}
	return SpellCount(int(tenths)) + " in ten"
}

// CountWords writes k things out of n: "four of the six", "all six",
// "none of the six"; of two, "both", "one of the two", "neither of the
// two"; of one, "one of one", "none of one". n is at least 1.
func CountWords(k, n int) string {
	switch {
	case n == 1 && k == 1:
		return "one of one"
	case n == 1:
		return "none of one"
	case n == 2 && k == 2:
		return "both"
	case n == 2 && k == 0:
		return "neither of the two"
	case k == 0:
		return "none of the " + SpellCount(n)
	case k == n:
		return "all " + SpellCount(n)
	}
	return SpellCount(k) + " of the " + SpellCount(n)
}

// ProgressAt returns how far value v is from the baseline to the target,
// as a share (0 at the baseline, 1 at the target), as Progress does for the
// latest value. ok is false without a target or baseline, or when they are
// equal.
func ProgressAt(m *Metric, v float64) (share float64, ok bool) {
	base, ok := m.BaselineValue()
	if !ok || m.Target == nil || *m.Target == base {
		return 0, false
	}
	return (v - base) / (*m.Target - base), true
}

// AtOrBefore returns the latest point of the series whose period ends on
// or before the end of p, and whether there is one.
func (m *Metric) AtOrBefore(p Period) (Point, bool) {
	for i := len(m.Series) - 1; i >= 0; i-- {
		if !m.Series[i].Period.End().After(p.End()) {
			return m.Series[i], true
		}
	}
	return Point{}, false
}

// PartnerValue is one partner's value of a metric over a span.
type PartnerValue struct {
	Partner string
	Value   float64
}

// PartnerTotals sums each partner's values of m over the periods that lie
// inside the span, largest first (ties by partner id). Partners without a
// value in the span are left out.
func PartnerTotals(m *Metric, sp Span) []PartnerValue {
	var out []PartnerValue
	for id, pts := range m.ByPartner {
		sum, seen := 0.0, false
		for _, pt := range pts {
			if sp.Contains(pt.Period) {
				sum += pt.Value
				seen = true
			}
		}
		if seen {
			out = append(out, PartnerValue{id, sum})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Value != out[j].Value {
			return out[i].Value > out[j].Value
		}
		return out[i].Partner < out[j].Partner
	})
	return out
}

// RankGroup returns the partners ranked n-th (from 1) in ranked, which is
// sorted largest first: the partner at place n and every partner with the
// same value (a tie). ok is false when there are fewer than n partners.
func RankGroup(ranked []PartnerValue, n int) (group []PartnerValue, ok bool) {
	if n < 1 || n > len(ranked) {
		return nil, false
	}
	v := ranked[n-1].Value
	for _, pv := range ranked {
		if pv.Value == v {
			group = append(group, pv)
		}
	}
	return group, true
}

// JoinNames joins names the way prose does: "A", "A and B", "A, B and C".
func JoinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// NeedsApproval reports whether the communication protocol asks the
// partners a story names to approve it: a story (not a page), when
// governance.yaml requires approval and the story's kind is not exempt. It
// is the test hold makes, for figures whose words name a partner.
func (s *Site) NeedsApproval(st *Story) bool {
	c := s.Governance.Communication
	if st == nil || st.Section != "stories" || !c.ApprovalRequired {
		return false
	}
	for _, k := range c.ExemptKinds {
		if k == st.Kind {
			return false
		}
	}
	return true
}

// OfTotal writes a part out of a whole with the unit once: "27 of 88
// sessions", "1 of 88 sessions", "€60 of €100" (a currency's symbol stays
// on both).
func OfTotal(v, total float64, unit string) string {
	a := FormatValue(v, unit)
	if unit != "" && currencySymbols[unit] == "" {
		a = strings.TrimSuffix(strings.TrimSuffix(a, " "+unit), " "+Singular(unit))
	}
	return a + " of " + FormatValue(total, unit)
}
