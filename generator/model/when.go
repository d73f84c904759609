package model

import (
	"strings"
	"time"
	_ "time/tzdata" // site.yaml's timezone works on machines without zoneinfo

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// DateOnly is the location of a time that stands for a date written
// without a time of day. The loader gives dates this location; New reads
// them as the start of that day in the site's time zone (and Options.Now
// as the end of that day).
var DateOnly = time.FixedZone("date-only", 0)

// LocalTime is the location of a date and time written without a zone.
// New reads its clock in the site's time zone.
var LocalTime = time.FixedZone("local-time", 0)

// Zone returns the time zone named in site.yaml, UTC if none.
func (c Config) Zone() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return time.UTC
}

// At returns the moment t stands for in a site whose time zone is loc: a
// date alone (DateOnly) is the start of that day there, a time without a
// zone (LocalTime) is that clock there, and a time with a zone is that
// moment. The result is in loc, so its calendar day is the site's day.
func At(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	switch t.Location() {
	case DateOnly:
		return clockIn(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), loc)
	case LocalTime:
		return clockIn(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), loc)
	}
	return t.In(loc)
}

// ClockIn is clockIn for the loader, which reads times written with a
// zone's name.
func ClockIn(w time.Time, loc *time.Location) time.Time { return clockIn(w, loc) }

// clockIn returns the first moment at which the clocks of loc show the
// wall time w (given in UTC) or later. When clocks go forward over w (as
// 02:30 on the night summer time starts), that is the moment they jump,
// never an hour before: an embargo does not lift early. When they go
// back, the first of the two moments showing w is taken.
func clockIn(w time.Time, loc *time.Location) time.Time {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	shown := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if shown.Equal(w) {
		return t
	}
	// w falls in a gap: t is just before or just after it.
	start, end := t.ZoneBounds()
	if shown.Before(w) {
		if end.IsZero() {
			return t
		}
		return end.In(loc)
	}
	if start.IsZero() {
		return t
	}
	return start.In(loc)
}

// NowAt returns the moment a build's Now stands for in a site whose time
// zone is loc: a date alone is the last second of that day there (the site
// as it stands at the end of the day), anything else as At reads it.
func NowAt(t time.Time, loc *time.Location) time.Time {
	if t.Location() == DateOnly {
		return clockIn(time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, time.UTC), loc)
	}
	return At(t, loc)
}

// HasClock reports whether t, as At returns it, has a time of day other
// than midnight in its zone: whether it says more than a date.
func HasClock(t time.Time) bool {
	return t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0
}

// Moment writes t with its minute and the site's zone, and the UTC clock
// when the zone is not UTC: "2026-12-15 07:30 America/Los_Angeles (15:30 UTC)".
func (s *Site) Moment(t time.Time) string {
	loc := s.Config.Zone()
	t = t.In(loc)
	out := t.Format("2006-01-02 15:04") + " " + zoneName(loc)
	if u := t.UTC(); loc != time.UTC {
		if u.YearDay() != t.YearDay() || u.Year() != t.Year() {
			out += " (" + u.Format("2006-01-02 15:04") + " UTC)"
		} else {
			out += " (" + u.Format("15:04") + " UTC)"
		}
	}
	return out
}

// when writes t for a hold message: the day alone when t is the start of a
// day in the site's zone, else the day, minute and zone.
func (s *Site) when(t time.Time) string {
	if !HasClock(t.In(s.Config.Zone())) {
		return day(t.In(s.Config.Zone()))
	}
	return day(t.In(s.Config.Zone())) + ", " + s.clock(t)
}

// whenMessage is when as a message: the day (DateMessage) alone, or
// date_time with the {date} and the {time} (the minute and the zone, as
// clock writes them).
func (s *Site) whenMessage(t time.Time) i18n.Message {
	d := DateMessage(t.In(s.Config.Zone()))
	if !HasClock(t.In(s.Config.Zone())) {
		return d
	}
	return i18n.M("date_time", "date", d, "time", s.clock(t))
}

// clock writes "07:30 America/Los_Angeles (15:30 UTC)".
func (s *Site) clock(t time.Time) string {
	m := s.Moment(t)
	return m[strings.IndexByte(m, ' ')+1:]
}

func zoneName(loc *time.Location) string {
	if loc == time.UTC {
		return "UTC"
	}
	return loc.String()
}

// resolveTimes reads the dates and publication times of the input in the
// site's time zone (see At). It may run again on resolved input, and then
// writes nothing (a session hands the live site's partners to New again).
func resolveTimes(in *Input) {
	loc := in.Config.Zone()
	at := func(ts ...*time.Time) {
		for _, t := range ts {
			if !t.IsZero() && t.Location() != loc {
				*t = At(*t, loc)
			}
		}
	}
	for _, list := range [][]*Story{in.Stories, in.Pages} {
		for _, st := range list {
			at(&st.Date, &st.EmbargoUntil)
			for i := range st.Approvals {
				at(&st.Approvals[i].Date)
			}
		}
	}
	for _, n := range in.Newsletters {
		if n.Date.IsZero() {
			// An issue without a date goes out at the start of its month
			// in the site's zone.
			n.Date = clockIn(n.Month.Start(), loc)
		} else {
			at(&n.Date)
		}
	}
	for _, p := range in.Partners {
		at(&p.Joined, &p.Left)
	}
	for _, d := range in.Decisions {
		at(&d.Date, &d.RevisitOn)
	}
	if in.Briefing != nil {
		at(&in.Briefing.Date)
	}
}
