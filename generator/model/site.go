package model

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/slug"
	"golang.org/x/text/unicode/norm"
)

// Options are the choices of one build that change what is published.
type Options struct {
	// Now is the moment that decides what is published. A date alone (a
	// time in DateOnly) is the end of that day in the site's time zone.
	Now    time.Time
	Drafts bool // show unpublished stories, marked as previews
}

// Site is the checked, typed partnership site.
type Site struct {
	Config Config
	Now    time.Time
	Drafts bool

	// Stories are the stories shown in this build, newest first: the
	// published ones, plus the held ones as previews when Drafts is set.
	Stories []*Story
	// Held are the stories that are not public, with the reasons.
	Held []*Story
	// HeldPages are the pages that are not public, in a build without
	// drafts (with drafts they are among Pages, as previews).
	HeldPages   []*Story
	Pages       []*Story // shown pages, ordered by weight then title
	Newsletters []*Newsletter
	Metrics     []*Metric // in metrics.csv order
	Partners    []*Partner
	Governance  Governance
	Decisions   []*Decision // newest first
	Tags        []*Tag      // by name
	Static      []string
	Briefing    *Briefing // nil when the site has no content/briefing.md

	// LatestPeriod is the latest period with any observation.
	LatestPeriod Period

	// RemoteImages maps each remote image address to the site path of the
	// copy a build downloaded (allow_remote_images); nil when none was.
	RemoteImages map[string]string

	recognised map[string]Recognition
	mentions   *mentionIndex

	metricByID   map[string]*Metric
	partnerByID  map[string]*Partner
	roleByID     map[string]*Role
	decisionByID map[string]*Decision
	storyBySlug  map[string]*Story
}

// Tag is a tag with the shown stories that carry it.
type Tag struct {
	Name    string
	Slug    string
	Stories []*Story
}

// URL returns the tag page's path.
func (t *Tag) URL() string { return "/tags/" + t.Slug + "/" }

// Metric returns the metric with the id, or nil.
func (s *Site) Metric(id string) *Metric { return s.metricByID[id] }

// Partner returns the partner with the id, or nil.
func (s *Site) Partner(id string) *Partner { return s.partnerByID[id] }

// Role returns the governance role with the id, or nil.
func (s *Site) Role(id string) *Role { return s.roleByID[id] }

// Decision returns the decision with the id, or nil.
func (s *Site) Decision(id string) *Decision { return s.decisionByID[id] }

// Story returns the shown story with the slug, or nil.
func (s *Site) Story(slug string) *Story { return s.storyBySlug[slug] }

// New checks the input against itself and returns the site. The list holds
// every problem found, errors and warnings; the site is usable for
// rendering only when the list has no errors.
func New(in *Input, opt Options) (*Site, diag.List) {
	var errs diag.List
	resolveTimes(in)
	s := &Site{
		Config:       in.Config,
		Now:          NowAt(opt.Now, in.Config.Zone()),
		Drafts:       opt.Drafts,
		Governance:   in.Governance,
		Static:       in.Static,
		Briefing:     in.Briefing,
		metricByID:   map[string]*Metric{},
		partnerByID:  map[string]*Partner{},
		roleByID:     map[string]*Role{},
		decisionByID: map[string]*Decision{},
		storyBySlug:  map[string]*Story{},
	}
	for i := range s.Governance.Roles {
		r := &s.Governance.Roles[i]
		s.roleByID[r.ID] = r
	}
	for _, m := range in.Metrics {
		if prev, dup := s.metricByID[m.ID]; dup {
			first := fmt.Sprintf("line %d", prev.Pos.Line)
			if prev.Pos.Cell != "" {
				first = prev.Pos.Cell // in data/metrics.xlsx: Metrics!A3
			}
			errs.Errorf(m.Pos, "metric %q is defined twice (first at %s)", m.ID, first).
				WithHint("give each metric its own id")
			continue
		}
		s.metricByID[m.ID] = m
		s.Metrics = append(s.Metrics, m)
	}
	for _, p := range in.Partners {
		if prev, dup := s.partnerByID[p.ID]; dup {
			errs.Errorf(p.Pos, "partner %q is defined twice (first at line %d)", p.ID, prev.Pos.Line)
			continue
		}
		s.partnerByID[p.ID] = p
		s.Partners = append(s.Partners, p)
		if p.Role != "" && s.roleByID[p.Role] == nil {
			e := errs.Errorf(linePos(p.Lines, "role", p.Pos), "partner %q holds role %q, which %s does not define", p.ID, p.Role, s.Governance.Path)
			if h := diag.Suggest(p.Role, keys(s.roleByID)); h != "" {
				e.WithHint("did you mean %q?", h)
			} else {
				e.WithHint("define it under roles: in %s, or use one of: %s", s.Governance.Path, strings.Join(keys(s.roleByID), ", "))
			}
		}
	}
	for _, d := range in.Decisions {
		if prev, dup := s.decisionByID[d.ID]; dup {
			errs.Errorf(d.Pos, "decision %q is defined twice (first at line %d)", d.ID, prev.Pos.Line)
			continue
		}
		s.decisionByID[d.ID] = d
		s.Decisions = append(s.Decisions, d)
	}
	sort.SliceStable(s.Decisions, func(i, j int) bool {
		a, b := s.Decisions[i], s.Decisions[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.ID < b.ID
	})
	s.series(in.Observations, &errs)
	s.checkComputed(&errs)
	s.mentions = newMentionIndex(s.Partners)
	s.stories(in, &errs)
	s.newsletters(in, &errs)
	s.recognitions()
	if id := s.Config.Home.Spotlight; id != "" && s.partnerByID[id] == nil {
		errs.Errorf(linePos(s.Config.Lines, "home", diag.Pos{File: "site.yaml", Line: 1}), "home.spotlight names partner %q, which is not in data/partners.yaml", id)
	}
	s.checkBriefing(&errs)
	s.checkRemoteImages(&errs)
	errs.Sort()
	return s, errs
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func linePos(lines map[string]diag.Pos, key string, fallback diag.Pos) diag.Pos {
	if p, ok := lines[key]; ok {
		return p
	}
	return fallback
}

// series groups observations into each metric's series. A total given
// without a partner wins; otherwise a period's total is the sum of its
// partners' values, added in the order the files give them.
//
// It sorts the observations' indexes by metric, partner and period instead
// of keeping maps of them: with 200,000 daily values the maps (and a Point
// allocated for each value) took 44 MB and 7 % of a build's CPU time. The
// problems are reported in the files' order, as they were.
func (s *Site) series(obs []Observation, errs *diag.List) {
	idx := make([]int32, 0, len(obs))
	for i := range obs {
		if s.metricByID[obs[i].Metric] != nil { // unknown metrics are reported by the loader
			idx = append(idx, int32(i))
		}
	}
	// By metric, partner (the totals, without one, first) and period;
	// equal keys in the files' order.
	slices.SortFunc(idx, func(a, b int32) int {
		x, y := &obs[a], &obs[b]
		if c := strings.Compare(x.Metric, y.Metric); c != 0 {
			return c
		}
		if c := strings.Compare(x.Partner, y.Partner); c != 0 {
			return c
		}
		if c := comparePeriods(x.Period, y.Period); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// A second value for a metric, partner and period is a problem, and
	// so is a partner not in partners.yaml (checked for first values only);
	// both are reported in the files' order, as the checks ran before.
	first := map[int32]int32{} // a second value's index → the first's
	for i := 1; i < len(idx); i++ {
		x, y := &obs[idx[i-1]], &obs[idx[i]]
		if x.Metric == y.Metric && x.Partner == y.Partner && x.Period == y.Period {
			f := idx[i-1]
			if g, ok := first[f]; ok {
				f = g
			}
			first[idx[i]] = f
		}
	}
	unknown := map[int32]bool{}
	for i := range obs {
		o := &obs[i]
		if s.metricByID[o.Metric] == nil {
			continue
		}
		if f, dup := first[int32(i)]; dup {
			who := ""
			if o.Partner != "" {
				who = " for " + o.Partner
			}
			errs.Errorf(o.Pos, "%s has a second value for %s%s (the first is at %s)", o.Metric, o.Period, who, obs[f].Pos).
				WithHint("keep one value per metric, period and partner")
			continue
		}
		if o.Partner != "" && s.partnerByID[o.Partner] == nil {
			e := errs.Errorf(o.Pos, "partner %q is not in data/partners.yaml", o.Partner)
			if h := diag.Suggest(o.Partner, keys(s.partnerByID)); h != "" {
				e.WithHint("did you mean %q?", h)
			}
			unknown[int32(i)] = true
			continue
		}
		if s.LatestPeriod.IsZero() || s.LatestPeriod.Before(o.Period) {
			s.LatestPeriod = o.Period
		}
	}
	ok := func(i int32) bool {
		_, dup := first[i]
		return !dup && !unknown[i]
	}
	for _, m := range s.Metrics {
		m.Series = []Point{}
	}
	var parts []int32 // one metric's partners' values, for the sums
	for lo := 0; lo < len(idx); {
		id := obs[idx[lo]].Metric
		hi := lo
		for hi < len(idx) && obs[idx[hi]].Metric == id {
			hi++
		}
		m := s.metricByID[id]
		nt := 0
		for _, i := range idx[lo:hi] {
			if obs[i].Partner == "" && ok(i) {
				nt++
			}
		}
		totals := make([]Point, 0, nt) // in period order
		byPartner := map[string][]Point{}
		parts = parts[:0]
		for _, i := range idx[lo:hi] {
			if !ok(i) {
				continue
			}
			o := &obs[i]
			pt := Point{Period: o.Period, Value: o.Value, Note: o.Note, Pos: o.Pos}
			if o.Partner == "" {
				totals = append(totals, pt)
				continue
			}
			byPartner[o.Partner] = append(byPartner[o.Partner], pt)
			parts = append(parts, i)
		}
		// A period's sum adds its partners' values in the files' order.
		slices.SortFunc(parts, func(a, b int32) int {
			if c := comparePeriods(obs[a].Period, obs[b].Period); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		var sums []Point // in period order
		for _, i := range parts {
			o := &obs[i]
			if n := len(sums); n > 0 && sums[n-1].Period == o.Period {
				sums[n-1].Value += o.Value
				continue
			}
			sums = append(sums, Point{Period: o.Period, Value: o.Value, Pos: o.Pos})
		}
		// Merge: a total wins over the sum of its period.
		series := totals
		if len(sums) > 0 {
			series = make([]Point, 0, len(totals)+len(sums))
			for len(totals) > 0 || len(sums) > 0 {
				switch {
				case len(sums) == 0 || len(totals) > 0 && comparePeriods(totals[0].Period, sums[0].Period) < 0:
					series, totals = append(series, totals[0]), totals[1:]
				case len(totals) == 0 || comparePeriods(sums[0].Period, totals[0].Period) < 0:
					series, sums = append(series, sums[0]), sums[1:]
				default: // the same period
					series, totals, sums = append(series, totals[0]), totals[1:], sums[1:]
				}
			}
		}
		sortPoints(series)
		m.Series = series
		if len(byPartner) > 0 {
			m.ByPartner = byPartner
			for _, pts := range byPartner {
				sortPoints(pts)
			}
		}
		lo = hi
	}
}

// comparePeriods orders periods by kind, year, number and day: an order
// for grouping, not the calendar's (Period.Before).
func comparePeriods(p, q Period) int {
	if c := cmp.Compare(p.Kind, q.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Y, q.Y); c != 0 {
		return c
	}
	if c := cmp.Compare(p.N, q.N); c != 0 {
		return c
	}
	return cmp.Compare(p.D, q.D)
}

func sortPoints(pts []Point) {
	sort.Slice(pts, func(i, j int) bool { return pts[i].Period.Before(pts[j].Period) })
}

// refList checks a front matter list of ids against known ids.
func refList(st *Story, key string, ids []string, known func(string) bool, all []string, what, file string, errs *diag.List) {
	for i, id := range ids {
		if known(id) {
			continue
		}
		pos := st.Pos(key)
		if p, ok := st.Lines[fmt.Sprintf("%s.%d", key, i)]; ok {
			pos = p
		}
		e := errs.Errorf(pos, "%s %q is not in %s", what, id, file)
		if h := diag.Suggest(id, all); h != "" {
			e.WithHint("did you mean %q?", h)
		} else {
			e.WithHint("add it to %s, or correct the id", file)
		}
	}
}

// publicFirst returns the published stories of list, then the held ones,
// each in the order of list: a public story keeps its address when a held
// one has the same.
func publicFirst(list []*Story) []*Story {
	out := make([]*Story, 0, len(list))
	for _, st := range list {
		if st.Published() {
			out = append(out, st)
		}
	}
	for _, st := range list {
		if !st.Published() {
			out = append(out, st)
		}
	}
	return out
}

func (s *Site) stories(in *Input, errs *diag.List) {
	partnerIDs, metricIDs := keys(s.partnerByID), keys(s.metricByID)
	slugs := map[string]*Story{}
	check := func(st *Story) bool {
		if prev, dup := slugs[st.Section+"/"+st.Slug]; dup {
			// Public stories come first: a held story that collides does
			// not stop the public site, which does not show it, but it
			// must be renamed before it can be shown.
			if !s.Drafts && !st.Published() {
				errs.Warnf(st.Pos("slug"), "%s has the same web address (%s) as %s; it is held back now, but it cannot be published, nor previewed with --drafts, until one of them has another address", st.Path, st.URL(), prev.Path).
					WithHint("rename one of the files, or give one a different `slug:`")
			} else {
				errs.Errorf(st.Pos("slug"), "%s has the same web address (%s) as %s", st.Path, st.URL(), prev.Path).
					WithHint("rename one of the files, or give one a different `slug:`")
				return false
			}
		} else {
			slugs[st.Section+"/"+st.Slug] = st
		}
		refList(st, "partners", st.Partners, func(id string) bool { return s.partnerByID[id] != nil }, partnerIDs, "partner", "data/partners.yaml", errs)
		refList(st, "metrics", st.Metrics, func(id string) bool { return s.metricByID[id] != nil }, metricIDs, "metric", "data/metrics.csv", errs)
		if st.Spotlight != "" {
			refList(st, "spotlight", []string{st.Spotlight}, func(id string) bool { return s.partnerByID[id] != nil }, partnerIDs, "partner", "data/partners.yaml", errs)
			if p := s.partnerByID[st.Spotlight]; p != nil && !p.SpotlightConsent {
				errs.Errorf(st.Pos("spotlight"), "partner %q has not consented to spotlights (spotlight_consent in data/partners.yaml)", p.ID).
					WithHint("ask the partner first, then set spotlight_consent: true")
			}
		}
		for _, a := range st.Approvals {
			if s.partnerByID[a.Partner] == nil {
				e := errs.Errorf(a.Pos, "approval by partner %q, which is not in data/partners.yaml", a.Partner)
				if h := diag.Suggest(a.Partner, partnerIDs); h != "" {
					e.WithHint("did you mean %q?", h)
				}
			}
		}
		return true
	}
	// What holds a story back (its dates, the partners it names and their
	// approvals) depends on nothing but the story and the partners: found
	// on every processor, before the checks in file order.
	all := append(append([]*Story(nil), in.Stories...), in.Pages...)
	par.Do(len(all), func(i int) { s.hold(all[i]) })
	var shown []*Story
	for _, st := range publicFirst(in.Stories) {
		if !check(st) {
			continue
		}
		if !st.Published() {
			s.Held = append(s.Held, st)
			if !s.Drafts {
				continue
			}
			st.Preview = true
		}
		shown = append(shown, st)
	}
	sortStories(shown)
	sortStories(s.Held)
	s.Stories = shown
	for _, st := range shown {
		s.storyBySlug[st.Slug] = st
	}
	for _, pg := range publicFirst(in.Pages) {
		if !check(pg) {
			continue
		}
		if reserved[pg.Slug] {
			errs.Errorf(pg.Pos("slug"), "the page's address /%s/ is taken by drumbeat's own %s page", pg.Slug, pg.Slug).
				WithHint("give the page another `slug:`")
			continue
		}
		if !pg.Published() {
			if !s.Drafts {
				s.HeldPages = append(s.HeldPages, pg)
				continue
			}
			pg.Preview = true
		}
		s.Pages = append(s.Pages, pg)
	}
	if !s.Drafts {
		s.heldSlugsInText(errs)
	}
	sort.SliceStable(s.Pages, func(i, j int) bool {
		a, b := s.Pages[i], s.Pages[j]
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Title < b.Title
	})
	s.checkTags(in.Stories, errs)
	// Tags of shown stories. Names with one slug are one tag, under the
	// name its newest story spells it with (checkTags warns).
	bySlug := map[string]*Tag{}
	for _, st := range shown {
		seen := map[string]bool{}
		for _, t := range st.Tags {
			slug := TagSlug(t)
			if slug == "" || seen[slug] {
				continue
			}
			seen[slug] = true
			tag := bySlug[slug]
			if tag == nil {
				tag = &Tag{Name: t, Slug: slug}
				bySlug[slug] = tag
				s.Tags = append(s.Tags, tag)
			}
			tag.Stories = append(tag.Stories, st)
		}
	}
	sort.Slice(s.Tags, func(i, j int) bool { return s.Tags[i].Slug < s.Tags[j].Slug })
}

// reserved are the top-level addresses drumbeat's own pages use.
var reserved = map[string]bool{
	"stories": true, "partners": true, "governance": true, "decisions": true, "tags": true,
	"scorecard": true, "metrics": true, "newsletter": true, "briefing": true, "impact": true,
	"join": true, "static": true, "css": true, "js": true, "404": true,
}

// TagSlug returns the address part of a tag: "Cold chain" → "cold-chain",
// "Santé" → "sante", "健康" → "健康" (see package slug). It is "" for a tag
// without letters or digits, which has no page.
func TagSlug(t string) string { return slug.Make(t) }

// checkTags warns, in file order, of a tag that cannot have a page (no
// letters or digits: "🌍", "!!!") and of two spellings that share one
// address ("Santé" and "Sante" are both /tags/sante/), whose stories are
// listed together on one page. Spellings that differ only in case
// ("Health", "health") share it without a warning.
func (s *Site) checkTags(stories []*Story, errs *diag.List) {
	type first struct {
		name string
		pos  diag.Pos
	}
	seen := map[string]first{}
	warned := map[[2]string]bool{}
	for _, st := range stories {
		for i, t := range st.Tags {
			pos := linePos(st.Lines, fmt.Sprintf("tags.%d", i), st.Pos("tags"))
			sl := TagSlug(t)
			if sl == "" {
				if strings.TrimSpace(t) == "" {
					errs.Warnf(pos, "tag %d is empty; it is left out", i+1).
						WithHint("remove it, or give it a word")
				} else {
					errs.Warnf(pos, "tag %q has no letters or digits to make a web address from; it is left out and has no page", t).
						WithHint("give the tag a word (letters or digits), or remove it")
				}
				continue
			}
			f, ok := seen[sl]
			if !ok {
				seen[sl] = first{t, pos}
				continue
			}
			if strings.EqualFold(f.name, t) || warned[[2]string{f.name, t}] {
				continue
			}
			warned[[2]string{f.name, t}] = true
			errs.Warnf(pos, "tag %q has the same address (/tags/%s/) as tag %q at %s: their stories are listed together on one page", t, sl, f.name, f.pos).
				WithHint("spell the tag the same way in every story")
		}
	}
}

func sortStories(list []*Story) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.Slug < b.Slug
	})
}

func day(t time.Time) string { return t.Format("2 January 2006") }

// hold decides whether a story is public and records why not. Its date and
// embargo count to the second, in the site's time zone (see At).
func (s *Site) hold(st *Story) {
	// held records a reason in English (Held) and as a message (HeldWhy).
	held := func(text string, m i18n.Message) {
		st.Held = append(st.Held, text)
		st.HeldWhy = append(st.HeldWhy, m)
	}
	if st.Draft {
		held("it is a draft", i18n.M("held_draft"))
	}
	if !st.Date.IsZero() && st.Date.After(s.Now) {
		if HasClock(st.Date) {
			held("it is dated "+s.when(st.Date)+", after now", i18n.M("held_dated_after_now", "when", s.whenMessage(st.Date)))
		} else {
			held("it is dated "+day(st.Date)+", after today", i18n.M("held_dated_after_today", "date", DateMessage(st.Date)))
		}
	}
	if !st.EmbargoUntil.IsZero() && st.EmbargoUntil.After(s.Now) {
		held("it is embargoed until "+s.when(st.EmbargoUntil), i18n.M("held_embargoed", "when", s.whenMessage(st.EmbargoUntil)))
	}
	if st.Section != "stories" {
		return
	}
	where := s.findMentions(st)
	c := s.Governance.Communication
	if !c.ApprovalRequired {
		return
	}
	for _, k := range c.ExemptKinds {
		if k == st.Kind {
			return
		}
	}
	var fp string // the current fingerprint, worked out once when needed
	current := func() string {
		if fp == "" {
			fp = s.Fingerprint(st)
		}
		return fp
	}
	for _, id := range st.NamedPartners() {
		name := id
		if p := s.partnerByID[id]; p != nil {
			name = p.Name
		}
		a, ok := st.Approval(id)
		switch {
		case !ok && contains(st.Mentioned, id):
			held("it names "+name+" in "+where[id]+", and "+name+" has not approved it",
				i18n.M("held_named_unapproved", "partner", name, "where", placeMessage(where[id])))
		case !ok:
			held(name+" has not approved it", i18n.M("held_unapproved", "partner", name))
		case a.Fingerprint == "":
			held("the approval by "+name+" records no fingerprint of the text; record it with `drumbeat approve "+st.Path+" --partner "+id+" --by NAME`",
				i18n.M("held_no_fingerprint", "partner", name, "path", st.Path, "id", id))
		default:
			if change, why := s.approvalChange(st, a, name, current); change != "" {
				held(change+"; ask them to approve this version, then run `drumbeat approve "+st.Path+" --partner "+id+" --by NAME`",
					i18n.M("held_approval_changed", "change", why, "path", st.Path, "id", id))
			}
		}
	}
}

// placeMessages are the places findMentions names, as messages.
var placeMessages = map[string]i18n.Message{
	"its text":           i18n.M("held_in_text"),
	"its title":          i18n.M("held_in_title"),
	"its summary":        i18n.M("held_in_summary"),
	"its image alt text": i18n.M("held_in_image_alt"),
	"its image caption":  i18n.M("held_in_image_caption"),
	"its photo credit":   i18n.M("held_in_photo_credit"),
	"its tags":           i18n.M("held_in_tags"),
}

// placeMessage is a place findMentions names as a message argument (the
// English words for a place it does not know).
func placeMessage(place string) any {
	if m, ok := placeMessages[place]; ok {
		return m
	}
	return place
}

// findMentions records the partners the story names that its partners
// list and spotlight do not: named in what readers see of it, its body
// as plain text, its title, summary, image alt text, caption and credit
// and tags. It returns
// where each was first found, in words ("its tags").
func (s *Site) findMentions(st *Story) map[string]string {
	where := map[string]string{}
	note := func(text []byte, place string) {
		for _, id := range s.mentions.find(text) {
			if !contains(st.Partners, id) && id != st.Spotlight && !contains(st.Mentioned, id) {
				st.Mentioned = append(st.Mentioned, id)
				where[id] = place
			}
		}
	}
	if st.Text != "" || len(st.Body) == 0 {
		note([]byte(st.Text), "its text")
	} else {
		note(st.Body, "its text") // a story made without the loader, in tests
	}
	note([]byte(st.Title), "its title")
	note([]byte(st.Summary), "its summary")
	note([]byte(st.ImageAlt), "its image alt text")
	if c := st.Cover; c != nil {
		note([]byte(c.Caption), "its image caption")
		note([]byte(c.Credit), "its photo credit")
	}
	// The captions and credits of body images are in its text: they are
	// written in the images' titles.
	for _, t := range st.Tags {
		note([]byte(t), "its tags")
	}
	return where
}

// NamedPartners returns the partners a story names: its partners list, its
// spotlight partner and the partners its text mentions, without repeats.
func (st *Story) NamedPartners() []string {
	out := append([]string(nil), st.Partners...)
	if st.Spotlight != "" && !contains(out, st.Spotlight) {
		out = append(out, st.Spotlight)
	}
	for _, id := range st.Mentioned {
		if !contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Approval returns the partner's latest approval of the story.
func (st *Story) Approval(partner string) (Approval, bool) {
	var best Approval
	found := false
	for _, a := range st.Approvals {
		if a.Partner == partner && (!found || !a.Date.Before(best.Date)) {
			best, found = a, true
		}
	}
	return best, found
}

// NextLift returns the earliest future moment at which a held story or
// page would be published by time alone (the later of its date and
// embargo), or the zero time. Moment writes it.
func (s *Site) NextLift() time.Time {
	if l := s.Lifts(); len(l) > 0 {
		return l[0].At
	}
	return time.Time{}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Site) newsletters(in *Input, errs *diag.List) {
	for _, n := range in.Newsletters {
		if n.Spotlight != "" && s.partnerByID[n.Spotlight] == nil {
			errs.Errorf(linePos(n.Lines, "spotlight", diag.Pos{File: n.Path, Line: 1}), "partner %q is not in data/partners.yaml", n.Spotlight)
		}
		s.Newsletters = append(s.Newsletters, n)
	}
}

// StoriesNaming returns the shown stories that name the partner.
func (s *Site) StoriesNaming(partner string) []*Story {
	var out []*Story
	for _, st := range s.Stories {
		if contains(st.NamedPartners(), partner) {
			out = append(out, st)
		}
	}
	return out
}

// StoriesCiting returns the shown stories that draw on the metric.
func (s *Site) StoriesCiting(metric string) []*Story {
	var out []*Story
	for _, st := range s.Stories {
		if contains(st.Metrics, metric) {
			out = append(out, st)
		}
	}
	return out
}

// CurrentPartners returns the partners who have not left, in logo order.
func (s *Site) CurrentPartners() []*Partner {
	var out []*Partner
	for _, p := range s.Partners {
		if p.Current(s.Now) && (p.Joined.IsZero() || !p.Joined.After(s.Now)) {
			out = append(out, p)
		}
	}
	s.orderPartners(out)
	return out
}

// FormerPartners returns the partners who have left.
func (s *Site) FormerPartners() []*Partner {
	var out []*Partner
	for _, p := range s.Partners {
		if !p.Current(s.Now) {
			out = append(out, p)
		}
	}
	s.orderPartners(out)
	return out
}

func (s *Site) orderPartners(ps []*Partner) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if s.Config.Logos.Order == "joined" && !a.Joined.Equal(b.Joined) {
			return a.Joined.Before(b.Joined)
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
}

// heldSlugsInText warns about a public story or page whose text (as
// readers see it) holds a held story's slug as a word of its own, such as
// "/stories/council-funding/" written as text or in code: it is not a
// link, so nothing is dropped, but the slug often reads as the held
// story's headline.
func (s *Site) heldSlugsInText(errs *diag.List) {
	if len(s.Held) == 0 {
		return
	}
	word := func(b byte) bool { return b == '-' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' }
	for _, st := range append(append([]*Story(nil), s.Stories...), s.Pages...) {
		// In NFC, as slugs are: a slug written with its letters
		// decomposed (й as и and a combining breve) reads the same.
		text := norm.NFC.String(strings.ToLower(st.Text))
		for _, h := range s.Held {
			slug := strings.ToLower(h.Slug)
			if len(slug) < 4 || !strings.Contains(slug, "-") || s.storyBySlug[h.Slug] != nil {
				continue // a one-word slug is an ordinary word in text
			}
			for from := 0; ; {
				i := strings.Index(text[from:], slug)
				if i < 0 {
					break
				}
				i += from
				if end := i + len(slug); (i == 0 || !word(text[i-1])) && (end == len(text) || !word(text[end])) {
					errs.Warnf(diag.Pos{File: st.Path, Line: 1}, "its text holds %q, the address of %s, which is not public (%s): readers will see it as text", slug, h.URL(), h.Held[0]).
						WithHint("take it out until that story is published")
					break
				}
				from = i + 1
			}
		}
	}
}
