package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// Span is a run of periods from First to Last, both included. A single
// period has First == Last.
type Span struct {
	First, Last Period
}

// maxSpanPeriods bounds the periods a span may hold, so that a span of
// days over centuries cannot make a build crawl.
const maxSpanPeriods = 1000

// ParseSpan reads a span: one period ("2026-Q1") or two periods of the
// same kind joined by ".." ("2025-Q2..2025-Q3"), the first not after the
// last.
func ParseSpan(s string) (Span, error) {
	a, b, two := strings.Cut(strings.TrimSpace(s), "..")
	first, err := ParsePeriod(a)
	if err != nil {
		return Span{}, err
	}
	if !two {
		return Span{first, first}, nil
	}
	last, err := ParsePeriod(b)
	if err != nil {
		return Span{}, err
	}
	if first.Kind != last.Kind {
		return Span{}, fmt.Errorf("%q joins periods of different kinds; write both as quarters, months, years or days", s)
	}
	if last.Before(first) {
		return Span{}, fmt.Errorf("%q ends before it starts; write the earlier period first", s)
	}
	sp := Span{first, last}
	if len(sp.Periods()) > maxSpanPeriods {
		return Span{}, fmt.Errorf("%q holds more than %d periods", s, maxSpanPeriods)
	}
	return sp, nil
}

// IsZero reports whether the span is empty.
func (s Span) IsZero() bool { return s.First.IsZero() }

// Single reports whether the span is one period.
func (s Span) Single() bool { return s.First == s.Last }

// Start returns the first day of the span.
func (s Span) Start() time.Time { return s.First.Start() }

// End returns the last day of the span.
func (s Span) End() time.Time { return s.Last.End() }

// Contains reports whether period p lies wholly inside the span.
func (s Span) Contains(p Period) bool {
	return !p.Start().Before(s.Start()) && !p.End().After(s.End())
}

// Overlaps reports whether period p shares at least a day with the span.
func (s Span) Overlaps(p Period) bool {
	return !p.Start().After(s.End()) && !p.End().Before(s.Start())
}

// Periods lists the periods of the span, of First's kind, in order. For a
// span whose ends are of different kinds it lists the periods of First's
// kind that lie inside it.
func (s Span) Periods() []Period {
	if s.IsZero() {
		return nil
	}
	var out []Period
	for p := s.First; !s.End().Before(p.End()) && len(out) <= maxSpanPeriods; p = p.Next() {
		out = append(out, p)
	}
	return out
}

// PeriodsOf lists the periods of the given kind that lie inside the span.
func (s Span) PeriodsOf(kind PeriodKind) []Period {
	p := periodAt(kind, s.Start())
	if p.Start().Before(s.Start()) {
		p = p.Next()
	}
	var out []Period
	for ; !s.End().Before(p.End()) && len(out) <= maxSpanPeriods; p = p.Next() {
		out = append(out, p)
	}
	return out
}

// periodAt returns the period of the kind that holds day t.
func periodAt(kind PeriodKind, t time.Time) Period {
	switch kind {
	case Year:
		return Period{Kind: Year, Y: t.Year()}
	case Quarter:
		return Period{Kind: Quarter, Y: t.Year(), N: (int(t.Month())-1)/3 + 1}
	case Month:
		return Period{Kind: Month, Y: t.Year(), N: int(t.Month())}
	case Day:
		return Period{Kind: Day, Y: t.Year(), N: int(t.Month()), D: t.Day()}
	}
	return Period{}
}

// String returns the span as it is written: "2025-Q2..2025-Q3".
func (s Span) String() string {
	if s.Single() {
		return s.First.String()
	}
	return s.First.String() + ".." + s.Last.String()
}

// Label returns the span the way people say it: "Q2–Q3 2025",
// "Q4 2025 – Q1 2026", "Sep 2026".
func (s Span) Label() string {
	f, l := s.First, s.Last
	if s.Single() {
		return f.Label()
	}
	if f.Kind == l.Kind && f.Y == l.Y {
		switch f.Kind {
		case Quarter:
			return fmt.Sprintf("Q%d–Q%d %d", f.N, l.N, f.Y)
		case Month:
			return fmt.Sprintf("%s–%s %d", monthAbbr(f.N), monthAbbr(l.N), f.Y)
		case Day:
			if f.N == l.N {
				return fmt.Sprintf("%d–%d %s %d", f.D, l.D, monthAbbr(f.N), f.Y)
			}
		}
	}
	if f.Kind == Year && l.Kind == Year {
		return fmt.Sprintf("%d–%d", f.Y, l.Y)
	}
	return f.Label() + " – " + l.Label()
}

func monthAbbr(n int) string { return time.Month(n).String()[:3] }

// Message is Label as a message for the site's catalogue: the period's
// own message for a single period, else span_quarters, span_months,
// span_days, span_years or span_periods. Written in English, it is Label.
func (s Span) Message() i18n.Message {
	f, l := s.First, s.Last
	if s.Single() {
		return f.Message()
	}
	y := strconv.Itoa(f.Y)
	if f.Kind == l.Kind && f.Y == l.Y {
		switch f.Kind {
		case Quarter:
			return i18n.M("span_quarters", "from", strconv.Itoa(f.N), "to", strconv.Itoa(l.N), "year", y)
		case Month:
			return i18n.M("span_months", "from", monthShort(f.N), "to", monthShort(l.N), "year", y)
		case Day:
			if f.N == l.N {
				return i18n.M("span_days", "from", strconv.Itoa(f.D), "to", strconv.Itoa(l.D), "month", monthShort(f.N), "year", y)
			}
		}
	}
	if f.Kind == Year && l.Kind == Year {
		return i18n.M("span_years", "from", y, "to", strconv.Itoa(l.Y))
	}
	return i18n.M("span_periods", "from", f.Message(), "to", l.Message())
}
