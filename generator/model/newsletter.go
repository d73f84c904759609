package model

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// Issue is a newsletter issue put together from its file and the month's
// content and data. Every story in it is public: drafts, embargoed,
// future-dated and unapproved stories never land in an issue, not even in
// a --drafts build.
type Issue struct {
	*Newsletter
	Date    time.Time // the send date: the issue's date, or the first of its month
	Preview bool      // dated after now: shown only by a --drafts build, never sent

	// ROI is the month's return-on-investment narrative: the newest public
	// story of kind roi dated in the month or picked by hand.
	ROI *Story
	// Picked are the public stories picked by hand (items:), in the order
	// given, without the ROI narrative and the spotlight story.
	Picked []*Story
	// Stories are the month's other public stories, newest first.
	Stories []*Story

	// Spotlight is the partner the issue recognises, and SpotlightStory
	// the partner's newest public spotlight story up to the issue's date.
	Spotlight      *Partner
	SpotlightStory *Story

	// AsOf is the latest period in the data as of the issue's date.
	AsOf Period
	// Movers are the metrics that changed most in the latest period, as
	// of the issue's date, biggest change first.
	Movers []Mover
	// NoNewFigures is the previous issue's month when no metric has a
	// period newer than it had: the issue then shows no movers (they
	// would repeat the previous issue's) and says so.
	NoNewFigures Period
	// Decisions are the decisions taken in the month, those due for
	// review and those coming up for review before the end of next month.
	Decisions []DecisionNote
}

// MaxMovers is how many metrics an issue shows under "the numbers that moved".
const MaxMovers = 3

// moverWindow is how recent a metric's latest period must be, counted back
// from the issue's date, for its change to count as news.
const moverWindow = 183 * 24 * time.Hour

// Mover is a metric's change in the latest period, as of an issue.
type Mover struct {
	// Metric is the metric as the issue saw it: its series holds only the
	// periods that had ended by the issue's date.
	Metric   *Metric
	From, To Point
	Delta    float64 // To.Value − From.Value
	// Score ranks the change: the share of the way from baseline to target
	// it covers, or the relative change for a metric without a target.
	Score float64
}

// Good reports whether the change is an improvement.
func (m Mover) Good() bool { return m.Metric.Good(m.Delta) }

// DecisionWhy is why a decision is in an issue.
type DecisionWhy uint8

// Why a decision is in an issue.
const (
	Decided  DecisionWhy = iota + 1 // taken in the issue's month
	Due                             // its revisit date has passed
	Upcoming                        // to be revisited before the end of next month
)

// DecisionNote is a decision with why the issue mentions it.
type DecisionNote struct {
	*Decision
	Why DecisionWhy
}

// URL returns the issue's path on the site.
func (n *Newsletter) URL() string { return "/newsletter/" + n.Month.String() + "/" }

// Issues assembles every issue the build shows, newest first: the issues
// whose date has come, plus (in a --drafts build) the later ones as
// previews. The list holds problems with the issues' files, such as a
// hand-picked story that does not exist.
func (s *Site) Issues() ([]*Issue, diag.List) {
	var out []*Issue
	var errs diag.List
	for _, n := range s.Newsletters {
		is, l := s.Assemble(n)
		errs.Append(l)
		if is.Preview && !s.Drafts {
			continue
		}
		out = append(out, is)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[j].Month.Before(out[i].Month) })
	return out, errs
}

// Issue returns the issue of the month written like 2026-11, assembled,
// whether or not its date has come.
func (s *Site) Issue(month string) (*Issue, diag.List, error) {
	p, err := ParsePeriod(month)
	if err != nil || p.Kind != Month {
		return nil, nil, fmt.Errorf("%q is not a month; write it like 2026-11", month)
	}
	var have []string
	for _, n := range s.Newsletters {
		if n.Month == p {
			is, l := s.Assemble(n)
			return is, l, nil
		}
		have = append(have, n.Month.String())
	}
	sort.Strings(have)
	if len(have) == 0 {
		return nil, nil, fmt.Errorf("there is no issue for %s: the site has no content/newsletter/ files", p)
	}
	return nil, nil, fmt.Errorf("there is no issue for %s (content/newsletter/%s.md); the issues are %s", p, p, strings.Join(have, ", "))
}

// Assemble puts an issue together. A story lands in the issue of the month
// of its date (of its embargo's end, if later), and only if it is public;
// stories picked by hand (items:)
// come first and may be from any month. Each story appears once: the
// spotlight story in the spotlight, the ROI narrative in its own place.
func (s *Site) Assemble(n *Newsletter) (*Issue, diag.List) {
	var errs diag.List
	at := n.SendDate()
	is := &Issue{Newsletter: n, Date: at, Preview: at.After(s.Now)}
	pos := func(key string) diag.Pos { return linePos(n.Lines, key, diag.Pos{File: n.Path, Line: 1}) }
	public := func(st *Story) bool { return st != nil && st.Published() && !st.Preview }

	// Hand-picked items.
	var picked []*Story
	seen := map[*Story]bool{}
	for i, slug := range n.Items {
		p, ok := n.Lines[fmt.Sprintf("items.%d", i)]
		if !ok {
			p = pos("items")
		}
		st := s.storyBySlug[slug]
		if st == nil {
			for _, h := range s.Held {
				if h.Slug == slug {
					st = h
				}
			}
		}
		switch {
		case st == nil:
			var slugs []string
			for _, x := range s.Stories {
				slugs = append(slugs, x.Slug)
			}
			for _, x := range s.Held {
				slugs = append(slugs, x.Slug)
			}
			e := errs.Errorf(p, "the issue picks story %q, which is not in content/stories", slug)
			if h := diag.Suggest(slug, slugs); h != "" {
				e.WithHint("did you mean %q?", h)
			} else {
				e.WithHint("items: lists story slugs: the file name without .md and its leading date")
			}
		case !public(st):
			reason := strings.Join(st.Held, "; ")
			if reason == "" {
				reason = "it is not public"
			}
			errs.Warnf(p, "the issue leaves out %q: it is held back (%s)", slug, reason)
		case seen[st]:
		default:
			seen[st] = true
			picked = append(picked, st)
		}
	}
	// The month's public stories, newest first (s.Stories is sorted so).
	var month []*Story
	for _, st := range s.Stories {
		if public(st) && n.Month.Contains(st.PublishedOn()) && !seen[st] {
			month = append(month, st)
		}
	}

	// The spotlight.
	id := n.SpotlightPartner
	if id == "" {
		id = n.Spotlight
	}
	if id == "" {
		if p := PickSpotlight(s.Partners, s.recognised, at); p != nil {
			id = p.ID
		}
	}
	if p := s.partnerByID[id]; p != nil {
		if !p.SpotlightConsent {
			errs.Errorf(pos("spotlight"), "partner %q has not consented to spotlights (spotlight_consent in data/partners.yaml)", p.ID).
				WithHint("ask the partner first, then set spotlight_consent: true, or pick another partner")
		} else {
			is.Spotlight = p
		}
	}
	if is.Spotlight != nil {
		for _, st := range s.Stories { // newest first
			if public(st) && st.Kind == KindSpotlight && st.Spotlight == is.Spotlight.ID && !st.Date.After(at) {
				is.SpotlightStory = st
				break
			}
		}
	}

	// The ROI narrative: the newest public roi story, picked or of the month.
	for _, st := range append(append([]*Story(nil), picked...), month...) {
		if st.Kind == KindROI && (is.ROI == nil || st.Date.After(is.ROI.Date)) {
			is.ROI = st
		}
	}
	placed := func(st *Story) bool { return st == is.ROI || st == is.SpotlightStory }
	for _, st := range picked {
		if !placed(st) {
			is.Picked = append(is.Picked, st)
		}
	}
	for _, st := range month {
		if !placed(st) {
			is.Stories = append(is.Stories, st)
		}
	}

	is.AsOf, is.Movers = s.movers(at)
	if prev := s.previousIssue(n); prev != nil && !s.newFigures(prev.SendDate(), at) {
		is.Movers, is.NoNewFigures = nil, prev.Month
	}
	is.Decisions = s.decisionNotes(n.Month, at)
	return is, errs
}

// previousIssue returns the issue before n, or nil.
func (s *Site) previousIssue(n *Newsletter) *Newsletter {
	var prev *Newsletter
	for _, o := range s.Newsletters {
		if o.Month.Before(n.Month) && (prev == nil || prev.Month.Before(o.Month)) {
			prev = o
		}
	}
	return prev
}

// newFigures reports whether any metric has a period at t that it did not
// have at before.
func (s *Site) newFigures(before, t time.Time) bool {
	for _, m := range s.Metrics {
		now, ok := m.AsOf(t).Latest()
		if !ok {
			continue
		}
		then, ok := m.AsOf(before).Latest()
		if !ok || then.Period.Before(now.Period) {
			return true
		}
	}
	return false
}

// PublishedOn is the day a story goes public by the calendar: its date, or
// the day its embargo lifts if that is later. An embargoed story lands in
// the issue of the month its embargo lifts, not in an issue sent while it
// was still held.
func (st *Story) PublishedOn() time.Time {
	if st.EmbargoUntil.After(st.Date) {
		return st.EmbargoUntil
	}
	return st.Date
}

// AsOf returns the metric as it stood at t: a copy whose series holds only
// the periods that had ended by then.
func (m *Metric) AsOf(t time.Time) *Metric {
	c := *m
	c.Series = nil
	for _, p := range m.Series {
		if !p.Period.End().After(t) {
			c.Series = append(c.Series, p)
		}
	}
	if len(m.ByPartner) > 0 {
		c.ByPartner = map[string][]Point{}
		for id, pts := range m.ByPartner {
			for _, p := range pts {
				if !p.Period.End().After(t) {
					c.ByPartner[id] = append(c.ByPartner[id], p)
				}
			}
		}
	}
	return &c
}

// movers returns the latest period in the data as of t and the metrics
// that changed most in it. A metric counts when its latest value as of t is
// for the latest period of its kind (quarter, month, year) in the data,
// that period ended in the six months before t, and it has a value before
// it. Changes are ranked by the share of the way from baseline to target
// they cover (the relative change for a metric without a target); ties go
// to the metric listed first in metrics.csv. Metrics that did not change
// are left out.
func (s *Site) movers(t time.Time) (Period, []Mover) {
	var asOf Period
	latestOfKind := map[PeriodKind]Period{}
	cut := make([]*Metric, len(s.Metrics))
	for i, m := range s.Metrics {
		cut[i] = m.AsOf(t)
		if l, ok := cut[i].Latest(); ok {
			if asOf.IsZero() || asOf.Before(l.Period) {
				asOf = l.Period
			}
			if cur, ok := latestOfKind[l.Period.Kind]; !ok || cur.Before(l.Period) {
				latestOfKind[l.Period.Kind] = l.Period
			}
		}
	}
	var out []Mover
	for _, m := range cut {
		to, ok1 := m.Latest()
		from, ok2 := m.Previous()
		if !ok1 || !ok2 || to.Period != latestOfKind[to.Period.Kind] || t.Sub(to.Period.End()) > moverWindow {
			continue
		}
		d := to.Value - from.Value
		if d == 0 {
			continue
		}
		mv := Mover{Metric: m, From: from, To: to, Delta: d}
		base, okb := m.BaselineValue()
		switch {
		case m.Target != nil && okb && *m.Target != base:
			mv.Score = math.Abs(d / (*m.Target - base))
		case from.Value != 0:
			mv.Score = math.Abs(d / from.Value)
		default:
			mv.Score = 1
		}
		out = append(out, mv)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > MaxMovers {
		out = out[:MaxMovers]
	}
	return asOf, out
}

// decisionNotes returns the decisions an issue mentions: those taken in its
// month (newest first), those due for review at its date (longest overdue
// first), and those to be revisited before the end of the next month
// (soonest first).
func (s *Site) decisionNotes(month Period, at time.Time) []DecisionNote {
	var decided, due, upcoming []DecisionNote
	horizon := month.Next().End()
	for _, d := range s.Decisions { // newest first
		switch {
		case month.Contains(d.Date):
			decided = append(decided, DecisionNote{d, Decided})
		case d.Date.After(at):
			// Not taken yet at the issue's date.
		case !d.RevisitOn.IsZero() && !d.RevisitOn.After(at):
			due = append(due, DecisionNote{d, Due})
		case !d.RevisitOn.IsZero() && !d.RevisitOn.After(horizon):
			upcoming = append(upcoming, DecisionNote{d, Upcoming})
		}
	}
	byRevisit := func(l []DecisionNote) {
		sort.SliceStable(l, func(i, j int) bool { return l[i].RevisitOn.Before(l[j].RevisitOn) })
	}
	byRevisit(due)
	byRevisit(upcoming)
	return append(append(decided, due...), upcoming...)
}

// CheckNewsletter reports what the newsletter's settings lack. An issue is
// sent as email, whose links and images must be absolute and which needs a
// sender: without base_url or newsletter.from a site with issues does not
// build. Without an unsubscribe address or a postal address it builds,
// with a warning.
func (s *Site) CheckNewsletter() diag.List {
	var errs diag.List
	if len(s.Newsletters) == 0 {
		return nil
	}
	c := s.Config
	at := func(key string) diag.Pos {
		return linePos(c.Lines, key, diag.Pos{File: "site.yaml", Line: 1})
	}
	issue := s.Newsletters[0].Path
	if c.BaseURL == "" {
		errs.Errorf(at("base_url"), "the newsletter (%s) needs base_url in site.yaml: an email's links and images must be absolute", issue).
			WithHint("add `base_url: https://your-site.example.org/` to site.yaml, or pass --base-url")
	}
	if strings.TrimSpace(c.Newsletter.From) == "" {
		errs.Errorf(at("newsletter"), "the newsletter (%s) needs a sender: newsletter.from in site.yaml", issue).
			WithHint("add `newsletter:` with `from: Partnership name <news@example.org>` to site.yaml")
	}
	if u := c.Newsletter.Unsubscribe; u != "" {
		if !unsubscribeURL(u) {
			errs.Errorf(at("newsletter"), "newsletter.unsubscribe %q is not an https: or mailto: address", u).
				WithHint("write the page where readers unsubscribe, like https://example.org/unsubscribe, or mailto:news@example.org?subject=unsubscribe")
		} else {
			s.checkUnsubscribe(u, at("newsletter"), &errs)
		}
	} else if c.Newsletter.From != "" {
		errs.Warnf(at("newsletter"), "newsletter.unsubscribe is not set, so the email's unsubscribe link writes to the sender").
			WithHint("set newsletter.unsubscribe to the page where readers unsubscribe")
	}
	if c.Newsletter.Address == "" && c.Contact.Address == "" {
		errs.Warnf(at("newsletter"), "the newsletter has no postal address; anti-spam laws such as CAN-SPAM ask for one in every email").
			WithHint("set newsletter.address (or contact.address) in site.yaml")
	}
	if p := c.Newsletter.SMTPPort; p < 0 || p > 65535 {
		errs.Errorf(at("newsletter"), "newsletter.smtp_port %d is not a port number", p)
	}
	if strings.ContainsAny(c.Newsletter.SMTPHost+c.Newsletter.SMTPUsername, " \t\r\n/") {
		errs.Errorf(at("newsletter"), "newsletter.smtp_host and smtp_username may not contain spaces, slashes or line breaks")
	}
	switch strings.ToUpper(c.Newsletter.SMTPAuth) {
	case "", "PLAIN", "LOGIN", "XOAUTH2":
	default:
		errs.Errorf(at("newsletter"), "newsletter.smtp_auth %q is not PLAIN, LOGIN or XOAUTH2", c.Newsletter.SMTPAuth).
			WithHint("leave it out to log in with PLAIN, or LOGIN when the server offers no PLAIN")
	}
	if g, fb := c.Newsletter.Greeting, c.Newsletter.GreetingFallback; g != "" || fb != "" {
		if err := CheckGreeting(g, fb); err != nil {
			errs.Errorf(at("newsletter"), "newsletter.greeting: %v", err).
				WithHint("write it like `greeting: Dear {name},` with `greeting_fallback: Dear partners,`")
		}
	}
	if r := c.Newsletter.Rate; r != "" {
		if _, err := ParseRate(r); err != nil {
			errs.Errorf(at("newsletter"), "newsletter.rate: %v", err).
				WithHint("write how many messages a minute the SMTP server allows, like `rate: 30/min`")
		}
	}
	return errs
}

// checkUnsubscribe checks an unsubscribe address: its placeholders, that
// it names the reader (mail clients' one-click unsubscribe needs that),
// and that a page on the site's own host exists.
func (s *Site) checkUnsubscribe(u string, at diag.Pos, errs *diag.List) {
	rest := strings.NewReplacer("{email}", "", "{token}", "").Replace(u)
	if strings.ContainsAny(rest, "{}") {
		errs.Errorf(at, "newsletter.unsubscribe %q holds a placeholder other than {email} and {token}", u).
			WithHint("{email} is the reader's address, {token} a signature of it under DRUMBEAT_UNSUBSCRIBE_SECRET")
		return
	}
	if strings.HasPrefix(u, "mailto:") {
		return // each reader's message carries their address
	}
	per := strings.Contains(u, "{email}") || strings.Contains(u, "{token}")
	if !per {
		errs.Warnf(at, "newsletter.unsubscribe %s is the same for every reader, so the email offers no one-click unsubscribe (Gmail and Yahoo need an address that names the reader; List-Unsubscribe-Post is not sent)", u).
			WithHint("use your list service's address with the reader in it, like https://lists.example.org/unsub?e={email}&t={token}; see README, Sending the newsletter")
	}
	pu, err := url.Parse(strings.NewReplacer("{email}", "x", "{token}", "x").Replace(u))
	bu, berr := url.Parse(s.Config.BaseURL)
	if err != nil || berr != nil || bu.Hostname() == "" || !strings.EqualFold(pu.Hostname(), bu.Hostname()) {
		return
	}
	if !s.hasPath(strings.TrimPrefix(pu.Path, bu.Path), strings.TrimPrefix(pu.Path, "/")) {
		e := errs.Warnf(at, "newsletter.unsubscribe %s points at this site, but the site has no page at %s", u, pu.Path)
		if per {
			e.WithHint("a static site cannot unsubscribe anyone: point it at your list service, or add the page (content/pages/%s.md)", strings.Trim(pu.Path, "/"))
		} else {
			e.WithHint("add the page (content/pages/%s.md) saying how to unsubscribe, or point it at your list service", strings.Trim(pu.Path, "/"))
		}
	}
}

// hasPath reports whether the site has a page or static file at one of
// the paths (relative to the site's root, without the leading slash).
func (s *Site) hasPath(paths ...string) bool {
	for _, p := range paths {
		p = strings.Trim(p, "/")
		if p == "" {
			return true // the home page
		}
		for _, pg := range s.Pages {
			if strings.Trim(pg.URL(), "/") == p {
				return true
			}
		}
		for _, f := range s.Static {
			f = strings.TrimPrefix(f, "static/")
			if f == p || f == p+".html" || f == p+"/index.html" {
				return true
			}
		}
	}
	return false
}

// CheckGreeting checks a greeting and its fallback: the greeting may hold
// {name} and no other placeholder, the fallback none, and a greeting with
// {name} needs a fallback for the readers whose name is not known.
func CheckGreeting(greeting, fallback string) error {
	if strings.ContainsAny(greeting+fallback, "\r\n") {
		return fmt.Errorf("a greeting is one line")
	}
	if g := strings.ReplaceAll(greeting, "{name}", ""); strings.ContainsAny(g, "{}") {
		return fmt.Errorf("greeting %q holds a placeholder other than {name}", greeting)
	}
	if strings.ContainsAny(fallback, "{}") {
		return fmt.Errorf("greeting_fallback %q holds a placeholder; it is for readers whose name is not known", fallback)
	}
	if greeting == "" {
		return fmt.Errorf("greeting_fallback is set but greeting is not")
	}
	if strings.Contains(greeting, "{name}") && fallback == "" {
		return fmt.Errorf("greeting %q names the reader, but greeting_fallback is not set for readers whose name is not known", greeting)
	}
	return nil
}

// Greeting returns the issue's greeting and its fallback: its own, or
// site.yaml's. Both are empty when the issue greets no one.
func (s *Site) Greeting(n *Newsletter) (greeting, fallback string) {
	if n.Greeting != "" {
		fb := n.GreetingFallback
		if fb == "" {
			fb = s.Config.Newsletter.GreetingFallback
		}
		return n.Greeting, fb
	}
	return s.Config.Newsletter.Greeting, s.Config.Newsletter.GreetingFallback
}

// ParseRate reads a sending rate written "N/min" (or "N/s", "N/h") and
// returns it in messages a minute.
func ParseRate(s string) (float64, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
	if !ok || err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a rate like 30/min", s)
	}
	switch strings.TrimSpace(unit) {
	case "min", "m", "minute":
		return v, nil
	case "s", "sec", "second":
		return v * 60, nil
	case "h", "hour":
		return v / 60, nil
	}
	return 0, fmt.Errorf("%q is not a rate like 30/min (per min, s or h)", s)
}

// unsubscribeURL reports whether u is an https:, http: or mailto: URL.
func unsubscribeURL(u string) bool {
	if strings.ContainsAny(u, "\r\n\t ") {
		return false
	}
	switch {
	case strings.HasPrefix(u, "mailto:") && strings.Contains(u, "@"):
		return true
	case strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"):
		rest := u[strings.Index(u, "//")+2:]
		return rest != "" && rest[0] != '/'
	}
	return false
}

// CheckSubjectLength warns about a newsletter subject that inboxes cut,
// measured as the reader gets it (its figures resolved).
func CheckSubjectLength(subject string, at diag.Pos, errs *diag.List) {
	if l := len([]rune(subject)); l > 60 {
		errs.Warnf(at, "the subject is %d characters; mail clients cut it after about 60", l)
	}
}

// CheckPreheaderLength warns about a preheader too short or too long to
// read well in an inbox, measured as the reader gets it.
func CheckPreheaderLength(preheader string, at diag.Pos, errs *diag.List) {
	if l := len([]rune(preheader)); preheader != "" && (l < 40 || l > 130) {
		errs.Warnf(at, "the preheader is %d characters; 40 to 130 reads best in an inbox", l)
	}
}
