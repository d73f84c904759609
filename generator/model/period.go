package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// PeriodKind is the granularity of a Period.
type PeriodKind uint8

// The kinds of period, coarsest first.
const (
	NoPeriod PeriodKind = iota
	Year
	Quarter
	Month
	Day
)

// Period is a span of time named the way the data names it: 2026, 2026-Q3,
// 2026-09 or 2026-09-15. The zero Period means "none".
type Period struct {
	Kind PeriodKind
	Y    int // year
	N    int // quarter 1–4 or month 1–12; 0 for a year
	D    int // day of month for a day period
}

// ParsePeriod reads a period. It returns an error whose text says which forms
// are accepted.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := func() (Period, error) {
		return Period{}, fmt.Errorf("%q is not a period; write a year (2026), a quarter (2026-Q3), a month (2026-09) or a day (2026-09-15)", s)
	}
	if len(s) < 4 || len(s) > 10 {
		return bad()
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1000 || s[0] == '+' || s[0] == '-' {
		return bad()
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Kind: Year, Y: y}, nil
	case len(rest) == 3 && (rest[:2] == "-Q" || rest[:2] == "-q"):
		q := int(rest[2] - '0')
		if q < 1 || q > 4 {
			return bad()
		}
		return Period{Kind: Quarter, Y: y, N: q}, nil
	case len(rest) == 3 && rest[0] == '-':
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 || !isDigits(rest[1:]) {
			return bad()
		}
		return Period{Kind: Month, Y: y, N: m}, nil
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return bad()
		}
		return Period{Kind: Day, Y: t.Year(), N: int(t.Month()), D: t.Day()}, nil
	}
	return bad()
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// IsZero reports whether p is "no period".
func (p Period) IsZero() bool { return p.Kind == NoPeriod }

// Start returns the first day of the period.
func (p Period) Start() time.Time {
	switch p.Kind {
	case Year:
		return time.Date(p.Y, 1, 1, 0, 0, 0, 0, time.UTC)
	case Quarter:
		return time.Date(p.Y, time.Month(3*(p.N-1)+1), 1, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(p.Y, time.Month(p.N), 1, 0, 0, 0, 0, time.UTC)
	case Day:
		return time.Date(p.Y, time.Month(p.N), p.D, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// End returns the last day of the period.
func (p Period) End() time.Time {
	switch p.Kind {
	case Year:
		return time.Date(p.Y, 12, 31, 0, 0, 0, 0, time.UTC)
	case Quarter:
		return time.Date(p.Y, time.Month(3*p.N+1), 0, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(p.Y, time.Month(p.N+1), 0, 0, 0, 0, 0, time.UTC)
	case Day:
		return p.Start()
	}
	return time.Time{}
}

// Before orders periods by their end, then by their start, so that
// 2026-Q3 comes after 2026-07 and 2026 comes after 2026-Q4's months.
func (p Period) Before(q Period) bool {
	pe, qe := p.End(), q.End()
	if !pe.Equal(qe) {
		return pe.Before(qe)
	}
	ps, qs := p.Start(), q.Start()
	if !ps.Equal(qs) {
		return ps.After(qs) // the shorter span first
	}
	return p.Kind < q.Kind
}

// Prev returns the period just before p, of the same kind.
func (p Period) Prev() Period {
	switch p.Kind {
	case Year:
		return Period{Kind: Year, Y: p.Y - 1}
	case Quarter:
		if p.N == 1 {
			return Period{Kind: Quarter, Y: p.Y - 1, N: 4}
		}
		return Period{Kind: Quarter, Y: p.Y, N: p.N - 1}
	case Month:
		if p.N == 1 {
			return Period{Kind: Month, Y: p.Y - 1, N: 12}
		}
		return Period{Kind: Month, Y: p.Y, N: p.N - 1}
	case Day:
		t := p.Start().AddDate(0, 0, -1)
		return Period{Kind: Day, Y: t.Year(), N: int(t.Month()), D: t.Day()}
	}
	return p
}

// Next returns the period just after p, of the same kind.
func (p Period) Next() Period {
	switch p.Kind {
	case Year:
		return Period{Kind: Year, Y: p.Y + 1}
	case Quarter:
		if p.N == 4 {
			return Period{Kind: Quarter, Y: p.Y + 1, N: 1}
		}
		return Period{Kind: Quarter, Y: p.Y, N: p.N + 1}
	case Month:
		if p.N == 12 {
			return Period{Kind: Month, Y: p.Y + 1, N: 1}
		}
		return Period{Kind: Month, Y: p.Y, N: p.N + 1}
	case Day:
		t := p.Start().AddDate(0, 0, 1)
		return Period{Kind: Day, Y: t.Year(), N: int(t.Month()), D: t.Day()}
	}
	return p
}

// String returns the period as the data writes it: 2026-Q3.
func (p Period) String() string {
	switch p.Kind {
	case Year:
		return fmt.Sprintf("%04d", p.Y)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Y, p.N)
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Y, p.N)
	case Day:
		return fmt.Sprintf("%04d-%02d-%02d", p.Y, p.N, p.D)
	}
	return ""
}

// Label returns the period the way people say it: "Q3 2026", "Sep 2026".
func (p Period) Label() string {
	switch p.Kind {
	case Year:
		return fmt.Sprintf("%d", p.Y)
	case Quarter:
		return fmt.Sprintf("Q%d %d", p.N, p.Y)
	case Month:
		return fmt.Sprintf("%s %d", time.Month(p.N).String()[:3], p.Y)
	case Day:
		return fmt.Sprintf("%d %s %d", p.D, time.Month(p.N).String()[:3], p.Y)
	}
	return ""
}

// Message is Label as a message for the site's catalogue: period_year,
// period_quarter, period_month or period_day, with {year}, {quarter},
// {day} and {month} (a message itself: month_short_jan …). Written in
// English, it is Label.
func (p Period) Message() i18n.Message {
	y := strconv.Itoa(p.Y)
	switch p.Kind {
	case Year:
		return i18n.M("period_year", "year", y)
	case Quarter:
		return i18n.M("period_quarter", "quarter", strconv.Itoa(p.N), "year", y)
	case Month:
		return i18n.M("period_month", "month", monthShort(p.N), "year", y)
	case Day:
		return i18n.M("period_day", "day", strconv.Itoa(p.D), "month", monthShort(p.N), "year", y)
	}
	return i18n.M("period_none")
}

// monthShort is the message of a month's short name.
func monthShort(n int) i18n.Message {
	switch time.Month(n) {
	case time.January:
		return i18n.M("month_short_jan")
	case time.February:
		return i18n.M("month_short_feb")
	case time.March:
		return i18n.M("month_short_mar")
	case time.April:
		return i18n.M("month_short_apr")
	case time.May:
		return i18n.M("month_short_may")
	case time.June:
		return i18n.M("month_short_jun")
	case time.July:
		return i18n.M("month_short_jul")
	case time.August:
		return i18n.M("month_short_aug")
	case time.September:
		return i18n.M("month_short_sep")
	case time.October:
		return i18n.M("month_short_oct")
	case time.November:
		return i18n.M("month_short_nov")
	}
	return i18n.M("month_short_dec")
}

// DateMessage is a date for readers: date_format with {day}, {month}
// (MonthMessage) and {year}, "27 November 2026" in English, the date as
// day writes it for the model's English texts.
func DateMessage(t time.Time) i18n.Message {
	return i18n.M("date_format", "day", strconv.Itoa(t.Day()), "month", MonthMessage(t.Month()), "year", strconv.Itoa(t.Year()))
}

// MonthMessage is the message of a month's full name: month_january …
// month_december.
func MonthMessage(m time.Month) i18n.Message {
	switch m {
	case time.January:
		return i18n.M("month_january")
	case time.February:
		return i18n.M("month_february")
	case time.March:
		return i18n.M("month_march")
	case time.April:
		return i18n.M("month_april")
	case time.May:
		return i18n.M("month_may")
	case time.June:
		return i18n.M("month_june")
	case time.July:
		return i18n.M("month_july")
	case time.August:
		return i18n.M("month_august")
	case time.September:
		return i18n.M("month_september")
	case time.October:
		return i18n.M("month_october")
	case time.November:
		return i18n.M("month_november")
	}
	return i18n.M("month_december")
}

// Contains reports whether day t falls inside p: the calendar day of t in
// its own location (the site's time zone, for story dates), at any hour.
func (p Period) Contains(t time.Time) bool {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return !t.Before(p.Start()) && !t.After(p.End())
}
