package render

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Prepared is a render made ready to run more than once: every body is
// converted and the stories are indexed once, so that after a story is
// edited only the pages that show it are rendered again. It is what a dev
// server keeps between rebuilds. One goroutine uses a Prepared at a time.
//
// Prepared runs the jobs All runs, from the same list (renderer.jobs);
// TestJobListsAgree and the tests in generator/session_test.go check that
// both give the same files.
type Prepared struct {
	r        *renderer
	jobs     []job
	convWarn diag.List // warnings found converting the bodies
	// related[i] holds the indexes (in site.Stories) of the stories that
	// story i shows as related; relatedBy[j] the stories that show story j.
	related   [][]int
	relatedBy [][]int
	// inIssues are the stories some newsletter issue shows.
	inIssues map[*model.Story]bool
	// stale are the jobs Update put off, by key; Flush runs them.
	stale map[string]bool
	nonce int
}

// Prepare converts every story and page body of site and indexes the
// stories, as All does before it renders. The error is a diag.List when a
// body has errors.
func Prepare(ctx context.Context, site *model.Site, opt Options) (*Prepared, error) {
	r, err := prepare(site, opt, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.search.keep = true // rebuilds make again only an edited story's words
	p := &Prepared{r: r, convWarn: r.errs.Warnings(), stale: map[string]bool{}}
	r.errs = nil
	p.jobs = r.jobs()
	seen := make(map[string]bool, len(p.jobs))
	for _, j := range p.jobs {
		if seen[j.key] {
			return nil, fmt.Errorf("render: two jobs write %s", j.key)
		}
		seen[j.key] = true
	}
	p.indexRelated()
	p.inIssues = issueStories(site)
	return p, nil
}

// All renders every page and file into sink: the files All writes.
func (p *Prepared) All(ctx context.Context, sink Sink) (Stats, error) {
	p.r.search.reset() // a new sink: write every file of the index
	fs := make([]func() error, len(p.jobs))
	for i, j := range p.jobs {
		fs[i] = j.run
	}
	return p.runJobs(ctx, fs, sink)
}

func (p *Prepared) runJobs(ctx context.Context, jobs []func() error, sink Sink) (Stats, error) {
	r := p.r
	r.sink = sink
	r.errs = nil
	r.pages.Store(0)
	r.files.Store(0)
	r.kits.Store(0)
	defer func() { r.sink = nil }()
	if err := r.run(ctx, jobs); err != nil {
		return Stats{}, err
	}
	r.errs = sortedOnce(r.errs)
	if err := r.errs.Err(); err != nil {
		return Stats{}, err
	}
	warn := append(append(diag.List(nil), p.convWarn...), r.errs.Warnings()...)
	warn.Sort()
	return Stats{Pages: int(r.pages.Load()), Files: int(r.files.Load()), Stories: len(r.site.Stories), Kits: int(r.kits.Load()), Warnings: warn}, nil
}

// Body is a story's converted Markdown, made by Convert for an Edit.
type Body struct {
	b    body
	errs diag.List
}

// Convert converts the body of st, a story that is to take the place of
// one of the site's (same address), as the render would. The list holds
// the problems found in it, errors and warnings. Convert changes nothing.
func (p *Prepared) Convert(st *model.Story) (*Body, diag.List) {
	b, errs := p.r.convert(st)
	return &Body{b: b, errs: errs}, errs
}

// Edit is a story of the site that was changed in place: its address,
// date and tags are what they were, and it is still shown (or still not).
type Edit struct {
	Story  *model.Story // the story in the site, already updated
	Before model.Story  // what it was before
	Body   *Body        // its body, from Convert
}

// Update takes in edited stories and renders into sink the pages that
// show them: the story's own page; when its card changed, the home page,
// the list and tag pages it is on, the stories that list it as related
// and the pages of the partners it names and the metrics it cites (before
// and after); when it did not, the partner and metric pages it came onto
// or left; and the newsletter when an issue shows it (before or after).
// Related stories are found again when its partners, metrics, tags or
// visibility changed. The feeds are put off until Flush. If Update fails,
// the Prepared must not be used again.
func (p *Prepared) Update(ctx context.Context, edits []Edit, sink Sink) (Stats, error) {
	r, site := p.r, p.r.site
	keys := map[string]bool{}
	if site.Config.BaseURL != "" {
		// The feeds hold every story in full: put them off until asked
		// for (Flush), which a dev server does when they are requested.
		p.stale["feed.xml"] = true
	}
	reindex := false
	cardChanged := map[*model.Story]bool{}
	for _, e := range edits {
		st := e.Story
		old := r.bodies[st]
		r.bodies[st] = e.Body.b
		path := st.Path
		p.convWarn = slices.DeleteFunc(p.convWarn, func(w *diag.Error) bool { return w.Pos.File == path })
		p.convWarn = append(p.convWarn, e.Body.errs.Warnings()...)
		p.forgetCards(st)
		// A page that shows the story only as a card changes only if the
		// card does, or if the story comes onto it or leaves it.
		changed := p.cardHTML(&e.Before) != p.cardHTML(st)
		cardChanged[st] = changed
		touch := func(prefix string, before, after []string) {
			for _, id := range before {
				if changed || !slices.Contains(after, id) {
					keys[prefix+id+"/"] = true
				}
			}
			for _, id := range after {
				if changed || !slices.Contains(before, id) {
					keys[prefix+id+"/"] = true
				}
			}
		}
		touch("/partners/", e.Before.NamedPartners(), st.NamedPartners())
		// A kit holds the story's texts, made of its title, summary and
		// key figure: any edit may change them. The kit cards of the
		// partners it names (before and after): its own show its title and
		// figure, and it may come onto a kit or leave it (then another
		// story takes or gives up its place).
		for _, id := range append(e.Before.NamedPartners(), st.NamedPartners()...) {
			keys[KitPath(id)] = true
			keys[kitCardsKey(id)] = true
		}
		touch("/metrics/", citations(site, &e.Before, old.cited), citations(site, st, e.Body.b.cited))
		if e.Before.Preview != st.Preview {
			keys["sitemap.xml"] = true
			reindex = true
		}
		if !slices.Equal(relatedKeys(&e.Before), relatedKeys(st)) {
			reindex = true
		}
	}
	p.convWarn.Sort()
	for _, e := range edits {
		r.kitIdx.forget(append(e.Before.NamedPartners(), e.Story.NamedPartners()...))
	}
	r.indexCitations()
	r.indexKits()
	if reindex {
		r.buildRelated()
	}
	for _, e := range edits {
		st := e.Story
		i, shown := r.storyIdx[st]
		if !shown {
			continue // held back and not previewed: it appears nowhere
		}
		keys[st.URL()] = true
		// The index: only the story's own words are found again.
		r.forgetSearch(st.URL())
		keys[SearchPath] = true
		if !cardChanged[st] {
			continue
		}
		keys["/"] = true
		keys[listPath("/stories/", i/r.per+1)] = true
		for _, t := range site.Tags {
			if k := slices.Index(t.Stories, st); k >= 0 {
				keys[listPath(t.URL(), k/r.per+1)] = true
			}
		}
		for _, j := range p.relatedBy[i] {
			keys[site.Stories[j].URL()] = true
		}
	}
	if reindex {
		for _, i := range p.reindexRelated(edits) {
			keys[site.Stories[i].URL()] = true
		}
	}
	var jobs []func() error
	for _, j := range p.jobs {
		if keys[j.key] && !strings.HasPrefix(j.key, "newsletter#") {
			jobs = append(jobs, j.run)
		}
	}
	if len(site.Newsletters) > 0 {
		// The newsletter's jobs hold the issues as they were assembled:
		// make them again, from the edited site.
		now := issueStories(site)
		again := false
		for _, e := range edits {
			again = again || p.inIssues[e.Story] || now[e.Story]
		}
		p.inIssues = now
		if again {
			r.newsletterJobs(func(_ string, f func() error) { jobs = append(jobs, f) })
		}
	}
	return p.runJobs(ctx, jobs, sink)
}

// citations returns the metrics whose pages list st: those it names and
// those its prose cites, when it is a public story (as convertAll counts).
func citations(site *model.Site, st *model.Story, cited []string) []string {
	if st.Section != "stories" || st.Preview {
		return nil
	}
	var out []string
	for _, id := range append(append([]string(nil), st.Metrics...), cited...) {
		if site.Metric(id) != nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// cardHTML renders st's card as a story list and a partner page show it,
// through the theme's "card" partial; pages other than the home page and
// the story's own show stories only through it. A theme without the
// partial gives a different string each time: every card counts as changed.
func (p *Prepared) cardHTML(st *model.Story) string {
	var b strings.Builder
	for _, pg := range []*Page{{Path: "/stories/", Section: "stories"}, {Path: "/partners/p/", Section: "partners"}} {
		pg.Site = p.r.data
		if err := p.r.theme.executePartial(&b, "card", CardCtx{Page: pg, Card: p.r.card(st)}); err != nil {
			p.nonce++
			return fmt.Sprintf("%v #%d", err, p.nonce)
		}
	}
	return b.String()
}

// issueStories returns the stories the site's newsletter issues show.
func issueStories(site *model.Site) map[*model.Story]bool {
	out := map[*model.Story]bool{}
	if len(site.Newsletters) == 0 {
		return out
	}
	issues, _ := site.Issues()
	for _, is := range issues {
		for _, st := range append(append([]*model.Story{is.ROI, is.SpotlightStory}, is.Picked...), is.Stories...) {
			if st != nil {
				out[st] = true
			}
		}
	}
	return out
}

// Stale reports whether Update put off jobs that Flush would run: the
// feeds, which hold every story in full and are as slow to write as
// hundreds of pages.
func (p *Prepared) Stale() bool { return len(p.stale) > 0 }

// Flush runs the jobs Update put off, into sink.
func (p *Prepared) Flush(ctx context.Context, sink Sink) (Stats, error) {
	var jobs []func() error
	for _, j := range p.jobs {
		if p.stale[j.key] {
			jobs = append(jobs, j.run)
		}
	}
	stats, err := p.runJobs(ctx, jobs, sink)
	if err == nil {
		clear(p.stale)
	}
	return stats, err
}

// forgetCards drops the cached cards of st, whose text changed.
func (p *Prepared) forgetCards(st *model.Story) { p.r.data.frag.forget(st) }

// indexCitations records which public stories cite each metric, as
// convertAll does, from the converted bodies.
func (r *renderer) indexCitations() {
	r.citedBy = map[string][]*model.Story{}
	for _, list := range [][]*model.Story{r.site.Stories, r.site.Pages} {
		for _, st := range list {
			if st.Section != "stories" || st.Preview {
				continue
			}
			seen := map[string]bool{}
			for _, id := range append(append([]string(nil), st.Metrics...), r.bodies[st].cited...) {
				if !seen[id] && r.site.Metric(id) != nil {
					seen[id] = true
					r.citedBy[id] = append(r.citedBy[id], st)
				}
			}
		}
	}
}

// relatedOf returns the indexes of the stories related returns for story i.
func (p *Prepared) relatedOf(i int) []int {
	r := p.r
	rel := r.related(r.site.Stories[i], 3)
	out := make([]int, len(rel))
	for k, st := range rel {
		out[k] = r.storyIdx[st]
	}
	return out
}

// indexRelated computes every story's related stories, and the reverse.
func (p *Prepared) indexRelated() {
	n := len(p.r.site.Stories)
	p.related = make([][]int, n)
	par.Do(n, func(i int) { p.related[i] = p.relatedOf(i) })
	p.relatedBy = make([][]int, n)
	for i, rel := range p.related {
		for _, j := range rel {
			p.relatedBy[j] = append(p.relatedBy[j], i)
		}
	}
}

// reindexRelated computes again the related stories of every story that
// shares a partner, metric or tag with an edited story (before or after
// the edit): only those can change, since related looks only at stories
// that share one. It returns the stories whose related stories changed.
func (p *Prepared) reindexRelated(edits []Edit) []int {
	keys := map[string]bool{}
	for _, e := range edits {
		for _, k := range relatedKeys(&e.Before) {
			keys[k] = true
		}
		for _, k := range relatedKeys(e.Story) {
			keys[k] = true
		}
	}
	var cands []int
	for i, st := range p.r.site.Stories {
		for _, k := range relatedKeys(st) {
			if keys[k] {
				cands = append(cands, i)
				break
			}
		}
	}
	fresh := make([][]int, len(cands))
	par.Do(len(cands), func(k int) { fresh[k] = p.relatedOf(cands[k]) })
	var changed []int
	for k, i := range cands {
		if slices.Equal(fresh[k], p.related[i]) {
			continue
		}
		changed = append(changed, i)
		for _, j := range p.related[i] {
			p.relatedBy[j] = slices.DeleteFunc(p.relatedBy[j], func(x int) bool { return x == i })
		}
		for _, j := range fresh[k] {
			p.relatedBy[j] = append(p.relatedBy[j], i)
		}
		p.related[i] = fresh[k]
	}
	return changed
}
