package main

import (
	"encoding/json"
	"io"
	"time"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// checkReport is what check --json prints: the facts a scheduler needs
// (when to build next, and why) and the counts and problems of the check.
// Its fields only grow; Schema changes if one changes meaning.
type checkReport struct {
	Schema   int     `json:"schema"`
	Site     string  `json:"site"`
	Now      *moment `json:"now"`
	OK       bool    `json:"ok"` // no errors: build would succeed
	Errors   int     `json:"errors"`
	Warnings int     `json:"warnings"`
	// NextBuild is the earliest of NextEmbargoLift and NextNewsletter:
	// when the site must be built again to publish what it holds.
	NextBuild       *nextBuild    `json:"next_build"`
	NextEmbargoLift *liftFact     `json:"next_embargo_lift"`
	NextNewsletter  *issueFact    `json:"next_newsletter"`
	Held            []heldFact    `json:"held"`
	Problems        []problemFact `json:"problems"`
	// Kits are the partners' share kits a build writes.
	Kits []kitFact `json:"kits"`
}

// kitFact is a partner's share kit: the partner's id and the kit's address.
type kitFact struct {
	Partner string `json:"partner"`
	URL     string `json:"url"`
}

// moment is a time three ways: RFC 3339 in the site's time zone, in UTC
// (what cron schedules use), and as check writes it.
type moment struct {
	At   string `json:"at"`
	UTC  string `json:"utc"`
	Text string `json:"text"`
}

type nextBuild struct {
	moment
	Why string `json:"why"` // "embargo lift", "newsletter" or "embargo lift and newsletter"
}

type liftFact struct {
	moment
	Stories []string `json:"stories"` // source paths of what it lifts
}

type issueFact struct {
	moment
	Month string `json:"month"`
	Path  string `json:"path"`
}

type heldFact struct {
	Path    string   `json:"path"`
	Kind    string   `json:"kind"` // "story" or "page"
	Reasons []string `json:"reasons"`
	// LiftsAt is when its date and embargo stop holding it back; null
	// when they do not hold it back.
	LiftsAt *moment `json:"lifts_at"`
	// PublicThen says whether it is public at LiftsAt with the files as
	// they are (not a draft, every approval recorded).
	PublicThen bool `json:"public_then"`
}

type problemFact struct {
	Severity string `json:"severity"` // "error" or "warning"
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	// Cell is the sheet and cell of a problem in a workbook ("Q3!C7");
	// Line and Col are then its row and column.
	Cell    string `json:"cell,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

func momentOf(s *model.Site, t time.Time) *moment {
	if t.IsZero() {
		return nil
	}
	return &moment{
		At:   t.In(s.Config.Zone()).Format(time.RFC3339),
		UTC:  t.UTC().Format(time.RFC3339),
		Text: s.Moment(t),
	}
}

// report gathers the facts of a check. Stories are named by their source
// path, never by title: CI logs may be more public than the repository.
func report(res generator.Result, list diag.List) checkReport {
	r := checkReport{
		Schema:   1,
		Errors:   len(list.Errors()),
		Warnings: len(list.Warnings()),
		OK:       !list.HasErrors(),
		Held:     []heldFact{},
		Problems: []problemFact{},
		Kits:     []kitFact{},
	}
	for _, e := range list {
		sev := "error"
		if e.Severity == diag.SevWarning {
			sev = "warning"
		}
		r.Problems = append(r.Problems, problemFact{Severity: sev, File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col, Cell: e.Pos.Cell, Message: e.Msg, Hint: e.Hint})
	}
	s := res.Site
	if s == nil {
		return r
	}
	r.Site = s.Config.Title
	r.Now = momentOf(s, s.Now)
	if r.OK {
		for _, k := range generator.Kits(s) {
			r.Kits = append(r.Kits, kitFact{Partner: k.Partner.ID, URL: k.URL})
		}
	}
	for _, kind := range []struct {
		name string
		list []*model.Story
	}{{"story", s.Held}, {"page", s.HeldPages}} {
		for _, st := range kind.list {
			r.Held = append(r.Held, heldFact{Path: st.Path, Kind: kind.name, Reasons: append([]string{}, st.Held...),
				LiftsAt: momentOf(s, s.LiftAt(st)), PublicThen: s.HeldByTimeOnly(st)})
		}
	}
	var lift time.Time
	if lifts := s.Lifts(); len(lifts) > 0 {
		lift = lifts[0].At
		l := &liftFact{moment: *momentOf(s, lift), Stories: []string{}}
		for _, st := range lifts[0].Stories {
			l.Stories = append(l.Stories, st.Path)
		}
		r.NextEmbargoLift = l
		r.NextBuild = &nextBuild{moment: l.moment, Why: "embargo lift"}
	}
	if n := s.NextIssue(); n != nil {
		at := n.SendDate()
		r.NextNewsletter = &issueFact{moment: *momentOf(s, at), Month: n.Month.String(), Path: n.Path}
		switch {
		case lift.IsZero() || at.Before(lift):
			r.NextBuild = &nextBuild{moment: r.NextNewsletter.moment, Why: "newsletter"}
		case at.Equal(lift):
			r.NextBuild.Why = "embargo lift and newsletter"
		}
	}
	return r
}

func writeReport(w io.Writer, r checkReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
