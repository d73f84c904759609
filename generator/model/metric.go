package model

import (
	"fmt"
	"math"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// Status is how a metric stands against its target.
type Status uint8

// The statuses, best first. NoStatus is for metrics without a target or data.
const (
	NoStatus Status = iota
	OnTrack
	AtRisk
	OffTrack
)

// String returns the status in words, as the scorecard shows it.
func (s Status) String() string {
	switch s {
	case OnTrack:
		return "On track"
	case AtRisk:
		return "At risk"
	case OffTrack:
		return "Off track"
	}
	return "No target"
}

// Class returns a CSS class name for the status.
func (s Status) Class() string {
	switch s {
	case OnTrack:
		return "on-track"
	case AtRisk:
		return "at-risk"
	case OffTrack:
		return "off-track"
	}
	return "no-status"
}

// Icon returns a text symbol for the status, so it is not told by colour alone.
func (s Status) Icon() string {
	switch s {
	case OnTrack:
		return "✓"
	case AtRisk:
		return "!"
	case OffTrack:
		return "✕"
	}
	return "–"
}

// Latest returns the metric's latest point and whether there is one.
func (m *Metric) Latest() (Point, bool) {
	if len(m.Series) == 0 {
		return Point{}, false
	}
	return m.Series[len(m.Series)-1], true
}

// Previous returns the point before the latest, and whether there is one.
func (m *Metric) Previous() (Point, bool) {
	if len(m.Series) < 2 {
		return Point{}, false
	}
	return m.Series[len(m.Series)-2], true
}

// At returns the value at period p, and whether there is one.
func (m *Metric) At(p Period) (Point, bool) {
	for i := len(m.Series) - 1; i >= 0; i-- {
		if m.Series[i].Period == p {
			return m.Series[i], true
		}
	}
	return Point{}, false
}

// BaselineValue returns the baseline from metrics.csv, or else the first
// observed value, and whether there is one.
func (m *Metric) BaselineValue() (float64, bool) {
	if m.Baseline != nil {
		return *m.Baseline, true
	}
	if len(m.Series) > 0 {
		return m.Series[0].Value, true
	}
	return 0, false
}

// Good reports whether a change of delta is an improvement.
func (m *Metric) Good(delta float64) bool {
	if m.Down {
		return delta < 0
	}
	return delta > 0
}

// Progress returns how far the latest value has come from the baseline to
// the target, as a share (0 = at baseline, 1 = target reached), respecting
// direction: for a down metric, falling is progress. ok is false when there
// is no target, no baseline, no value, or the target equals the baseline.
func (m *Metric) Progress() (share float64, ok bool) {
	latest, ok1 := m.Latest()
	base, ok2 := m.BaselineValue()
	if !ok1 || !ok2 || m.Target == nil {
		return 0, false
	}
	span := *m.Target - base
	if span == 0 {
		return 0, false
	}
	return (latest.Value - base) / span, true
}

// Expected returns the share of the way to target that a straight line from
// the first observed period to target_date would have covered by the latest
// period. Without a target date it is 1: the target is due now.
func (m *Metric) Expected() float64 {
	latest, ok := m.Latest()
	if !ok || m.TargetDate.IsZero() || len(m.Series) < 1 {
		return 1
	}
	start := m.Series[0].Period.End()
	end := m.TargetDate.End()
	now := latest.Period.End()
	total := end.Sub(start)
	if total <= 0 {
		return 1
	}
	f := float64(now.Sub(start)) / float64(total)
	return math.Min(1, math.Max(f, 0.05))
}

// Status compares progress with the progress expected by now: at or above
// onTrack times the expected share is on track, at or above atRisk times it
// at risk, below that off track.
func (m *Metric) Status(onTrack, atRisk float64) Status {
	p, ok := m.Progress()
	if !ok {
		return NoStatus
	}
	ratio := p / m.Expected()
	switch {
	case ratio >= onTrack:
		return OnTrack
	case ratio >= atRisk:
		return AtRisk
	}
	return OffTrack
}

// TargetPassed reports whether the target date is over at now.
func (m *Metric) TargetPassed(now time.Time) bool {
	return !m.TargetDate.IsZero() && m.TargetDate.End().Before(now)
}

// checkComputed reports, at the values that cause them, figures of the
// metrics that cannot be worked out as finite numbers: a period's total
// (the sum of the partners' values), the chart scale (the largest value
// less the smallest) and the progress towards the target. The limits of
// CheckMagnitude keep them finite for any values the loaders accept; this
// is the check that they do.
func (s *Site) checkComputed(errs *diag.List) {
	for _, m := range s.Metrics {
		bad := false
		for _, pt := range m.Series {
			if Finite(pt.Value) {
				continue
			}
			at := []diag.Pos{pt.Pos}
			for _, id := range keys(m.ByPartner) {
				for _, q := range m.ByPartner[id] {
					if q.Period == pt.Period {
						at = append(at, q.Pos)
					}
				}
			}
			overflow(errs, fmt.Sprintf("the total of %s for %s", m.ID, pt.Period), at...)
			bad = true
		}
		if bad {
			continue
		}
		lo, hi := Point{Value: math.Inf(1)}, Point{Value: math.Inf(-1)}
		add := func(pt Point) {
			if pt.Value < lo.Value {
				lo = pt
			}
			if pt.Value > hi.Value {
				hi = pt
			}
		}
		for _, pt := range m.Series {
			add(pt)
		}
		for _, id := range keys(m.ByPartner) {
			for _, pt := range m.ByPartner[id] {
				add(pt)
			}
		}
		for _, v := range []*float64{m.Baseline, m.Target} {
			if v != nil {
				add(Point{Value: *v, Pos: m.Pos})
			}
		}
		if len(m.Series) > 0 && !Finite(hi.Value-lo.Value) {
			overflow(errs, fmt.Sprintf("the range of %s's values (for its charts and changes)", m.ID), hi.Pos, lo.Pos)
			continue
		}
		if p, ok := m.Progress(); ok && !Finite(p, p/m.Expected()) {
			latest, _ := m.Latest()
			overflow(errs, fmt.Sprintf("the progress of %s towards its target", m.ID), m.Pos, latest.Pos)
		}
	}
}
