// Package render turns the model into files: HTML pages through the theme's
// html/template layouts, feeds, the sitemap and static files. It hands every
// file to a Sink and never touches the disk itself.
package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"github.com/drumbeat/drumbeat/generator/media"
	"io/fs"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Sink receives the rendered files. Its methods are called concurrently.
type Sink interface {
	File(path string, data []byte) error
	Copy(path string, fsys fs.FS, name string) error
}

// Options configure a render.
type Options struct {
	Theme   *Theme
	Version string
	PerPage int // stories per list page; 24 when zero
	// Media holds the processed pictures (generator/media); the render
	// writes their files and shows them. Nil when the site has none.
	Media *media.Set
}

// Stats counts what a render produced.
type Stats struct {
	Pages   int // HTML pages
	Files   int // every file, pages included
	Stories int
	// Warnings found while rendering, such as stale figures.
	Warnings diag.List
}

// renderer holds what one render shares across its jobs.
type renderer struct {
	site  *model.Site
	data  *SiteData
	theme *Theme
	md    *markdown.Converter
	sink  Sink
	per   int
	// export marks the unsubscribe link of the newsletter's email even
	// when it is the same for everyone, for a list manager's tag.
	export bool

	bodies   map[*model.Story]body
	relIdx   relatedIndex
	storyIdx map[*model.Story]int
	citedBy  map[string][]*model.Story // metric id → stories that cite it
	news     map[*model.Newsletter]newsFront
	brief    *briefFront // nil without a briefing, or before convertAll
	pages    atomic.Int64
	files    atomic.Int64

	mu   sync.Mutex
	errs diag.List
}

// All renders every page and file of the site into sink.
func All(ctx context.Context, site *model.Site, opt Options, sink Sink) (Stats, error) {
	r := setupRenderer(site, opt, sink)

	// Convert every body first: metric pages list the stories whose prose
	// cites them, and figure errors are reported before anything is written.
	r.convertAll()
	r.buildRelated()
	if r.errs.HasErrors() {
		r.errs.Sort()
		return Stats{}, r.errs.Err()
	}
	r.data.Nav = siteNav(site, r.title)

	var jobs []func() error
	add := func(f func() error) { jobs = append(jobs, f) }
	add(r.home)
	r.storyLists(add)
	if hasROI(site) {
		add(r.impact)
	}
	for _, st := range site.Stories {
		st := st
		add(func() error { return r.story(st, "story") })
	}
	for _, pg := range site.Pages {
		pg := pg
		add(func() error { return r.story(pg, "page") })
	}
	r.tagPages(add)
	add(r.partners)
	for _, p := range site.Partners {
		p := p
		add(func() error { return r.partner(p) })
	}
	add(r.scorecard)
	for _, m := range site.Metrics {
		m := m
		add(func() error { return r.metric(m) })
	}
	r.briefingJobs(add)
	r.newsletterJobs(add)
	add(r.governance)
	add(r.join)
	add(r.decisions)
	add(r.notFound)
	add(r.robots)
	if site.Config.BaseURL != "" {
		add(r.sitemap)
		add(r.feed)
	}
	r.fileJobs(func(_ string, f func() error) { add(f) })
	if err := r.run(ctx, jobs); err != nil {
		return Stats{}, err
	}
	r.errs.Sort()
	if err := r.errs.Err(); err != nil {
		return Stats{}, err
	}
	return Stats{Pages: int(r.pages.Load()), Files: int(r.files.Load()), Stories: len(site.Stories), Warnings: r.errs.Warnings()}, nil
}

// siteNav returns the main navigation: Stories, Impact (when the build
// shows an ROI story), Scorecard, Partners, Governance,
// Newsletter and Briefing (when the site has them), then the pages that
// have a weight.
func siteNav(site *model.Site, title func(*model.Story) string) []NavItem {
	nav := []NavItem{{"Stories", "/stories/", "stories"}}
	if hasROI(site) {
		nav = append(nav, NavItem{"Impact", ImpactPath, "impact"})
	}
	nav = append(nav,
		NavItem{"Scorecard", "/scorecard/", "scorecard"},
		NavItem{"Partners", "/partners/", "partners"},
		NavItem{"Governance", "/governance/", "governance"},
	)
	if len(site.Newsletters) > 0 {
		nav = append(nav, NavItem{"Newsletter", "/newsletter/", "newsletter"})
	}
	if site.Briefing != nil {
		nav = append(nav, NavItem{"Briefing", "/briefing/", "briefing"})
	}
	for _, pg := range site.Pages {
		if pg.Weight > 0 {
			nav = append(nav, NavItem{title(pg), pg.URL(), "page-" + pg.Slug})
		}
	}
	return nav
}

// run runs the jobs on GOMAXPROCS workers. Author-facing problems are
// collected; any other error stops the render.
func (r *renderer) run(ctx context.Context, jobs []func() error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				if err := jobs[i](); err != nil {
					if l := diag.AsList(err); l != nil {
						r.mu.Lock()
						r.errs.Append(l)
						r.mu.Unlock()
						continue
					}
					errOnce.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// outPath maps a page address to its file: "/a/b/" → "a/b/index.html".
func outPath(pagePath string) string {
	p := strings.TrimPrefix(pagePath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// page executes a layout and hands the result to the sink.
func (r *renderer) page(layout string, p *Page) error {
	p.Site = r.data
	b, err := r.theme.execute(layout, p)
	if err != nil {
		return err
	}
	r.pages.Add(1)
	r.files.Add(1)
	return r.sink.File(outPath(p.Path), b)
}

func (r *renderer) file(rel string, b []byte) error {
	r.files.Add(1)
	return r.sink.File(rel, b)
}

func (r *renderer) card(st *model.Story) *StoryCard {
	fr := r.front(st)
	return &StoryCard{Story: st, Title: fr.title.Text, Summary: fr.summary.Text, Partners: r.partnersOf(st.NamedPartners()), Date: humanDate(st.Date)}
}

func (r *renderer) cards(list []*model.Story) []*StoryCard {
	out := make([]*StoryCard, len(list))
	for i, st := range list {
		out[i] = r.card(st)
	}
	return out
}

func (r *renderer) partnersOf(ids []string) []*model.Partner {
	var out []*model.Partner
	for _, id := range ids {
		if p := r.site.Partner(id); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// Tile computes a metric's headline figure.
func Tile(s *model.Site, m *model.Metric) MetricTile {
	t := MetricTile{Metric: m}
	latest, ok := m.Latest()
	if !ok {
		return t
	}
	t.HasValue = true
	t.Value = model.FormatValue(latest.Value, m.Unit)
	t.Period = latest.Period.Label()
	if b, ok := m.BaselineValue(); ok && len(m.Series) > 1 {
		t.SinceBaseline = model.FormatChange(latest.Value-b, m.Unit)
	}
	if prev, ok := m.Previous(); ok {
		d := latest.Value - prev.Value
		t.Change = model.FormatChange(d, m.Unit)
		t.Good = m.Good(d)
		if d == 0 {
			t.Change, t.Flat = "no change", true
		}
	}
	if p, ok := m.Progress(); ok {
		t.Progress = model.FormatPercent(math.Max(0, p))
	}
	t.Status = m.Status(s.Config.Scorecard.OnTrack, s.Config.Scorecard.AtRisk)
	return t
}

func (r *renderer) home() error {
	h := &Home{}
	ids := r.site.Config.Home.HeadlineMetrics
	if len(ids) == 0 {
		for i, m := range r.site.Metrics {
			if i == 4 {
				break
			}
			ids = append(ids, m.ID)
		}
	}
	for _, id := range ids {
		if m := r.site.Metric(id); m != nil {
			h.Headline = append(h.Headline, Tile(r.site, m))
		}
	}
	if p := r.site.Spotlight(); p != nil {
		h.Spotlight = r.spotlight(p)
		h.Spotlight.Chosen = r.site.Config.Home.Spotlight != ""
	}
	var latest []*model.Story
	for _, st := range r.site.Stories {
		if h.Spotlight != nil && h.Spotlight.Story != nil && h.Spotlight.Story.Story == st {
			continue
		}
		if len(latest) < r.site.Config.Home.Stories {
			latest = append(latest, st)
		}
	}
	h.Latest = r.cards(latest)
	h.Partners = r.site.CurrentPartners()
	return r.page("home", &Page{Title: "", Description: r.site.Config.Tagline, Path: "/", Section: "home", Home: h})
}

// spotlight recognises p, with their latest public spotlight story.
func (r *renderer) spotlight(p *model.Partner) *SpotlightView {
	v := &SpotlightView{Partner: p, Role: r.site.Role(p.Role)}
	for _, st := range r.site.Stories {
		if st.Kind == model.KindSpotlight && st.Spotlight == p.ID && !st.Preview {
			v.Story = r.card(st)
			break
		}
	}
	return v
}

func (r *renderer) paginate(base string, stories []*model.Story, fill func(l *List), add func(func() error)) {
	n := len(stories)
	pages := max(1, (n+r.per-1)/r.per)
	pagePath := func(i int) string {
		if i == 1 {
			return base
		}
		return fmt.Sprintf("%spage/%d/", base, i)
	}
	for i := 1; i <= pages; i++ {
		i := i
		add(func() error {
			lo, hi := (i-1)*r.per, min(i*r.per, n)
			l := &List{Cards: r.cards(stories[lo:hi]), Page: i, Pages: pages}
			if i > 1 {
				l.PrevPath = pagePath(i - 1)
			}
			if i < pages {
				l.NextPath = pagePath(i + 1)
			}
			fill(l)
			title := l.Heading
			if i > 1 {
				title = fmt.Sprintf("%s, page %d", l.Heading, i)
			}
			return r.page("list", &Page{Title: title, Description: l.Intro, Path: pagePath(i), Section: "stories", List: l})
		})
	}
}

func (r *renderer) storyLists(add func(func() error)) {
	r.paginate("/stories/", r.site.Stories, func(l *List) {
		l.Heading = "Stories"
		l.Intro = "What the partners are doing together, and what it changes, told with the numbers behind it."
	}, add)
}

func (r *renderer) tagPages(add func(func() error)) {
	if len(r.site.Tags) == 0 {
		return
	}
	add(func() error {
		return r.page("tags", &Page{Title: "Topics", Path: "/tags/", Section: "stories", Tags: r.site.Tags})
	})
	for _, t := range r.site.Tags {
		t := t
		r.paginate(t.URL(), t.Stories, func(l *List) {
			l.Heading = "Stories about " + t.Name
			l.Tag = t
		}, add)
	}
}

func (r *renderer) story(st *model.Story, layout string) error {
	pagePath := st.URL()
	b := r.bodies[st]
	fr := r.front(st)
	v := &StoryView{
		Story:    st,
		Title:    fr.title.HTML,
		Summary:  fr.summary.HTML,
		Body:     b.html, // goldmark output: escaped unless the site opts in to raw HTML
		Date:     humanDate(st.Date),
		Partners: r.partnersOf(st.NamedPartners()),
		Held:     st.Held,
	}
	seen := map[string]bool{}
	for _, id := range append(append([]string(nil), st.Metrics...), b.cited...) {
		if m := r.site.Metric(id); m != nil && !seen[id] {
			seen[id] = true
			v.Metrics = append(v.Metrics, m)
			v.Data = append(v.Data, r.storyDatum(st, m))
		}
	}
	for _, t := range r.site.Tags {
		for _, name := range st.Tags {
			if t.Slug == model.TagSlug(name) {
				v.Tags = append(v.Tags, t)
				break
			}
		}
	}
	image, imageAlt := st.Image, st.ImageAlt
	if pic := r.data.media.Picture(st.Cover); pic != nil && len(pic.JPEG) > 0 {
		image = pic.Largest().Path
	}
	if layout == "story" {
		v.Related = r.cards(r.related(st, 3))
		v.Key = r.keyFigure(st)
		if b.roi != nil {
			v.ROI = r.roiView(b.roi)
		}
		v.Share = r.share(st, v.Key, absURL(r.site.Config.BaseURL, pagePath))
		v.LD = r.articleLD(st, v.Partners)
		// The social card: every shown story has one, drawn here so that
		// nothing about a held story is ever drawn.
		if err := r.storyCard(st, v.Key); err != nil {
			return err
		}
		v.Card = r.storyCardPath(st)
		image, imageAlt = v.Card, fr.title.Text
		if v.Key != nil {
			imageAlt += ". " + v.Key.Caption() + ": " + v.Key.Value
		}
		if r.cover(st) != nil && !st.Cover.Decorative {
			imageAlt += ". Photo: " + st.Cover.Alt
		}
	}
	section := "stories"
	switch {
	case layout == "page":
		section = "page-" + st.Slug
	case b.roi != nil:
		section = "impact"
	}
	return r.page(layout, &Page{Title: fr.title.Text, Description: fr.summary.Text, Path: pagePath, Section: section,
		Preview: st.Preview, Image: image, ImageAlt: imageAlt, Story: v, Charts: strings.Contains(string(b.html), `data-chart="`)})
}

// relatedIndex maps each partner, metric and tag to the public stories
// that carry it, so related stories are found without scanning every story.
type relatedIndex map[string][]int

func (r *renderer) buildRelated() {
	r.relIdx = relatedIndex{}
	r.storyIdx = map[*model.Story]int{}
	for i, st := range r.site.Stories {
		r.storyIdx[st] = i
		if st.Preview {
			continue
		}
		for _, k := range relatedKeys(st) {
			r.relIdx[k] = append(r.relIdx[k], i)
		}
	}
}

// relatedKeys returns a story's partners and metrics (weight 2) and tags (1).
func relatedKeys(st *model.Story) []string {
	var keys []string
	for _, p := range st.NamedPartners() {
		keys = append(keys, "p:"+p)
	}
	for _, m := range st.Metrics {
		keys = append(keys, "m:"+m)
	}
	for _, t := range st.Tags {
		keys = append(keys, "t:"+model.TagSlug(t))
	}
	return keys
}

// related returns up to n public stories that share partners, metrics or
// tags with st, most shared first, then newest. Keys shared by very many
// stories (a common tag) are capped, so the cost stays linear.
func (r *renderer) related(st *model.Story, n int) []*model.Story {
	const maxPerKey = 60
	self, _ := r.storyIdx[st]
	score := make(map[int]int, 64)
	seen := map[string]bool{}
	for _, k := range relatedKeys(st) {
		if seen[k] {
			continue
		}
		seen[k] = true
		w := 2
		if strings.HasPrefix(k, "t:") {
			w = 1
		}
		list := r.relIdx[k]
		if len(list) > maxPerKey {
			// The stories nearest in time to st, on both sides.
			at := sort.SearchInts(list, self)
			lo, hi := max(0, at-maxPerKey/2), min(len(list), at+maxPerKey/2)
			list = list[lo:hi]
		}
		for _, i := range list {
			if i != self {
				score[i] += w
			}
		}
	}
	// The n best, most shared first, then newest (stories are newest
	// first): kept in order as the candidates go by, without sorting them
	// all.
	if n <= 0 {
		return nil
	}
	type scored struct{ i, score int }
	better := func(a, b scored) bool { return a.score > b.score || a.score == b.score && a.i < b.i }
	best := make([]scored, 0, n+1)
	for i, s := range score {
		c := scored{i, s}
		if len(best) == n && !better(c, best[n-1]) {
			continue
		}
		k := len(best)
		for k > 0 && better(c, best[k-1]) {
			k--
		}
		best = slices.Insert(best, k, c)
		if len(best) > n {
			best = best[:n]
		}
	}
	out := make([]*model.Story, 0, len(best))
	for _, c := range best {
		out = append(out, r.site.Stories[c.i])
	}
	return out
}

func (r *renderer) partners() error {
	v := &PartnersView{Former: r.site.FormerPartners(), Next: r.site.Spotlight()}
	current := r.site.CurrentPartners()
	for _, sec := range model.Sectors {
		g := SectorGroup{Sector: sec}
		for _, p := range current {
			if p.Sector == sec {
				e := PartnerEntry{Partner: p}
				if role := r.site.Role(p.Role); role != nil {
					e.RoleName = role.Name
				}
				if rec, ok := r.site.LastRecognised(p.ID); ok {
					e.Recognised = humanDate(rec.Date) + " (" + rec.How + ")"
				}
				g.Partners = append(g.Partners, e)
			}
		}
		if len(g.Partners) > 0 {
			v.Sectors = append(v.Sectors, g)
		}
	}
	return r.page("partners", &Page{Title: "Partners", Description: "The organisations that make up " + r.site.Config.Title + ".",
		Path: "/partners/", Section: "partners", Partners: v})
}

func (r *renderer) partner(p *model.Partner) error {
	v := &PartnerView{Partner: p, Role: r.site.Role(p.Role), Current: p.Current(r.site.Now),
		Joined: humanDate(p.Joined), Left: humanDate(p.Left)}
	cur := r.site.Config.Currency
	var cash, inKind float64
	contribs := append([]model.Contribution(nil), p.Contributions...)
	sort.SliceStable(contribs, func(i, j int) bool { return contribs[j].Period.Before(contribs[i].Period) })
	for _, c := range contribs {
		row := ContributionRow{Period: c.Period.Label(), Value: model.FormatValue(c.Value, cur), Note: c.Note}
		if c.Kind == "cash" {
			row.Kind = "Cash"
			cash += c.Value
		} else {
			row.Kind = "In kind"
			inKind += c.Value
			if c.Hours != nil && c.Rate != nil {
				row.Detail = fmt.Sprintf("%s hours × %s", model.FormatNumber(*c.Hours), model.FormatValue(*c.Rate, cur))
			}
		}
		v.Contributions = append(v.Contributions, row)
	}
	if len(contribs) > 0 {
		v.CashTotal = model.FormatValue(cash, cur)
		v.InKindTotal = model.FormatValue(inKind, cur)
		v.Total = model.FormatValue(cash+inKind, cur)
	}
	for _, st := range r.site.StoriesNaming(p.ID) {
		if st.Preview {
			continue
		}
		if st.Kind == model.KindSpotlight && st.Spotlight == p.ID {
			v.Spotlights = append(v.Spotlights, r.card(st))
		} else {
			v.Stories = append(v.Stories, r.card(st))
		}
	}
	for _, m := range r.site.Metrics {
		if _, ok := m.ByPartner[p.ID]; ok {
			v.Metrics = append(v.Metrics, m)
		}
	}
	return r.page("partner", &Page{Title: p.Name, Description: p.About, Path: "/partners/" + p.ID + "/", Section: "partners", Partner: v})
}

func (r *renderer) governance() error {
	g := &r.site.Governance
	v := &GovernanceView{Gov: g, Degrees: model.IntegrationDegrees}
	for i, d := range model.IntegrationDegrees {
		if d == g.Integration.Degree {
			v.DegreeIndex = i + 1
		}
	}
	v.Roles = roleViews(r.site)
	for i, d := range r.site.Decisions {
		if i == 3 {
			break
		}
		v.RecentDecision = append(v.RecentDecision, d)
	}
	v.Health = membership(r.site)
	return r.page("governance", &Page{Title: "Governance", Description: g.Purpose.Statement, Path: "/governance/", Section: "governance", Governance: v})
}

// roleViews returns the governance roles with the current partners that
// hold each.
func roleViews(s *model.Site) []RoleView {
	g := &s.Governance
	current := s.CurrentPartners()
	var out []RoleView
	for i := range g.Roles {
		rv := RoleView{Role: &g.Roles[i]}
		for _, p := range current {
			if p.Role == g.Roles[i].ID {
				rv.Holders = append(rv.Holders, p)
			}
		}
		out = append(out, rv)
	}
	return out
}

func membership(s *model.Site) Membership {
	share, joined, left, base := s.Turnover(s.Now)
	return Membership{Members: len(s.CurrentPartners()), Joined: joined, Left: left, Base: base,
		Turnover: model.FormatPercent(share), Relaunch: share > model.RelaunchThreshold, Limit: model.FormatPercent(model.RelaunchThreshold)}
}

func (r *renderer) join() error {
	g := &r.site.Governance
	v := &JoinView{Gov: g, Members: len(r.site.CurrentPartners()), Health: membership(r.site)}
	sectors := map[model.Sector]bool{}
	for _, p := range r.site.CurrentPartners() {
		sectors[p.Sector] = true
	}
	v.Sectors = len(sectors)
	v.Roles = roleViews(r.site)
	return r.page("join", &Page{Title: "Join the partnership", Description: "What a new partner gives and what it gets.", Path: "/join/", Section: "partners", Join: v})
}

func (r *renderer) decisions() error {
	v := &DecisionsView{}
	for _, d := range r.site.Decisions {
		dv := DecisionView{Decision: d, Date: humanDate(d.Date), Revisit: humanDate(d.RevisitOn), Due: d.Due(r.site.Now)}
		if dv.Due {
			v.Due++
		}
		v.Decisions = append(v.Decisions, dv)
	}
	return r.page("decisions", &Page{Title: "Decision log", Description: "What the partnership has decided, why, and when it will look again.",
		Path: "/decisions/", Section: "decisions", Decisions: v})
}

func (r *renderer) notFound() error {
	return r.page("404", &Page{Title: "Page not found", Path: "/404.html", RootRelative: true})
}

func (r *renderer) robots() error {
	var b bytes.Buffer
	b.WriteString("User-agent: *\nAllow: /\n")
	if base := r.site.Config.BaseURL; base != "" {
		b.WriteString("Sitemap: " + absURL(base, "/sitemap.xml") + "\n")
	}
	return r.file("robots.txt", b.Bytes())
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (r *renderer) sitemap() error {
	base := r.site.Config.BaseURL
	var urls []sitemapURL
	addURL := func(p string, t time.Time) {
		u := sitemapURL{Loc: absURL(base, p)}
		if !t.IsZero() {
			u.LastMod = t.Format("2006-01-02")
		}
		urls = append(urls, u)
	}
	addURL("/", time.Time{})
	addURL("/stories/", time.Time{})
	if hasROI(r.site) {
		addURL(ImpactPath, time.Time{})
	}
	for _, st := range r.site.Stories {
		if !st.Preview {
			addURL(st.URL(), st.Date)
		}
	}
	for _, pg := range r.site.Pages {
		if !pg.Preview {
			addURL(pg.URL(), time.Time{})
		}
	}
	addURL("/partners/", time.Time{})
	for _, p := range r.site.Partners {
		addURL("/partners/"+p.ID+"/", time.Time{})
	}
	addURL("/scorecard/", time.Time{})
	for _, m := range r.site.Metrics {
		addURL("/metrics/"+m.ID+"/", time.Time{})
	}
	addURL("/governance/", time.Time{})
	addURL("/join/", time.Time{})
	addURL("/decisions/", time.Time{})
	if r.site.Briefing != nil {
		addURL(BriefingPath, r.site.Briefing.Date)
	}
	for _, t := range r.site.Tags {
		addURL(t.URL(), time.Time{})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	enc := xml.NewEncoder(&b)
	for _, u := range urls {
		if err := enc.EncodeElement(u, xml.StartElement{Name: xml.Name{Local: "url"}}); err != nil {
			return err
		}
		b.WriteByte('\n')
	}
	enc.Flush()
	b.WriteString("</urlset>\n")
	return r.file("sitemap.xml", b.Bytes())
}

// storyDatum is metric m as of story st, with today's value beside it when
// the data has moved on since the story.
func (r *renderer) storyDatum(st *model.Story, m *model.Metric) StoryDatum {
	d := StoryDatum{Metric: m, Tile: Tile(r.site, m)}
	latest, ok := m.Latest()
	if !ok {
		return d
	}
	p, ok := r.site.AsOf(st, m)
	if !ok {
		d.Now = model.FormatValue(latest.Value, m.Unit) + " in " + latest.Period.Label()
		return d
	}
	d.Value, d.Period = model.FormatValue(p.Value, m.Unit), p.Period.Label()
	if p.Period != latest.Period {
		d.Now = model.FormatValue(latest.Value, m.Unit) + " in " + latest.Period.Label()
	}
	return d
}
