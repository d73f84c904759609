package model

import (
	"sort"
	"time"
)

// Lift is a moment at which the date or embargo of held stories stops
// holding them back.
type Lift struct {
	At      time.Time
	Stories []*Story // held stories and pages, in the order of Site.Held then Site.HeldPages
}

// LiftAt returns the moment at which st's date and embargo stop holding it
// back: the later of the two that are after now, or the zero time when
// neither holds it back.
func (s *Site) LiftAt(st *Story) time.Time {
	var at time.Time
	for _, t := range []time.Time{st.Date, st.EmbargoUntil} {
		if t.After(s.Now) && t.After(at) {
			at = t
		}
	}
	return at
}

// HeldByTimeOnly reports whether only st's date or embargo holds it back,
// so that it is public at LiftAt with the files as they are now (not a
// draft, no approval missing).
func (s *Site) HeldByTimeOnly(st *Story) bool {
	if st.Draft || s.LiftAt(st).IsZero() {
		return false
	}
	n := 0
	for _, t := range []time.Time{st.Date, st.EmbargoUntil} {
		if !t.IsZero() && t.After(s.Now) {
			n++
		}
	}
	return len(st.Held) == n
}

// Lifts returns the moments after now at which held stories and pages stop
// being held back by their date or embargo, earliest first.
func (s *Site) Lifts() []Lift {
	by := map[time.Time]*Lift{}
	var out []*Lift
	for _, list := range [][]*Story{s.Held, s.HeldPages} {
		for _, st := range list {
			at := s.LiftAt(st)
			if at.IsZero() {
				continue
			}
			key := at.UTC()
			l := by[key]
			if l == nil {
				l = &Lift{At: at}
				by[key] = l
				out = append(out, l)
			}
			l.Stories = append(l.Stories, st)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	lifts := make([]Lift, len(out))
	for i, l := range out {
		lifts[i] = *l
	}
	return lifts
}

// NextIssue returns the newsletter issue whose send date is the next after
// now, or nil when no issue file is dated after now. Its web page appears
// on that date, so the site is to be built again then.
func (s *Site) NextIssue() *Newsletter {
	var next *Newsletter
	for _, n := range s.Newsletters {
		at := n.SendDate()
		if at.After(s.Now) && (next == nil || at.Before(next.SendDate())) {
			next = n
		}
	}
	return next
}
