package render

import (
	"context"
	"html/template"
	"sync/atomic"

	"github.com/drumbeat/drumbeat/generator/model"
)

// job is one job of a render, named by the address of what it writes:
// "/stories/x/", "/stories/page/2/", "feed.xml", "static:css/site.css", or
// "briefing#1" and "newsletter#3" for jobs whose addresses are their own.
type job struct {
	key string
	run func() error
}

// addJob adds a job to the list jobs makes.
type addJob func(key string, run func() error)

// jobs lists every job of a render, in the order they run. It is the one
// list: build (All) runs all of it, and the dev server (Prepare) indexes it
// by key to run again only the jobs an edit touches. A new page kind adds
// its jobs here (through a method of its own file, as the lists and the
// briefing do) and nowhere else; TestJobListsAgree checks that All and
// Prepared write the same files.
func (r *renderer) jobs() []job {
	var jobs []job
	add := func(key string, f func() error) { jobs = append(jobs, job{key: key, run: f}) }
	add("/", r.home)
	r.searchJobs(add) // early: it is the longest job
	r.storyLists(add)
	if hasROI(r.site) {
		add(ImpactPath, r.impact)
	}
	r.storyJobs(add)
	r.tagPages(add)
	r.partnerJobs(add)
	r.kitMediaJobs(add)
	add("/scorecard/", r.scorecard)
	r.metricJobs(add)
	r.briefingJobs(add)
	r.newsletterJobs(add)
	add("/governance/", r.governance)
	add("/join/", r.join)
	add("/decisions/", r.decisions)
	add("/404.html", r.notFound)
	add("robots.txt", r.robots)
	if r.site.Config.BaseURL != "" {
		add("sitemap.xml", r.sitemap)
		add("feed.xml", r.feed)
	}
	r.fileJobs(add)
	return jobs
}

// prepare makes a renderer for site and converts every story and page
// body, as both All and Prepare do before they render: metric pages list
// the stories whose prose cites them, and figure errors are reported
// before anything is written. The error is a diag.List when a body has
// errors; the renderer's errs keep the warnings.
func prepare(site *model.Site, opt Options, sink Sink) (*renderer, error) {
	r := setupRenderer(site, opt, sink)
	r.convertAll()
	r.buildRelated()
	if r.errs.HasErrors() {
		r.errs.Sort()
		return nil, r.errs.Err()
	}
	r.data.Nav = siteNav(site, r.theme.Messages(), r.title)
	return r, nil
}

// All renders every page and file of the site into sink.
func All(ctx context.Context, site *model.Site, opt Options, sink Sink) (Stats, error) {
	r, err := prepare(site, opt, sink)
	if err != nil {
		return Stats{}, err
	}
	r.spendBodies()
	var run []func() error
	for _, j := range r.jobs() {
		run = append(run, j.run)
	}
	if err := r.run(ctx, run); err != nil {
		return Stats{}, err
	}
	r.errs = sortedOnce(r.errs)
	if err := r.errs.Err(); err != nil {
		return Stats{}, err
	}
	return Stats{Pages: int(r.pages.Load()), Files: int(r.files.Load()), Stories: len(site.Stories), Kits: int(r.kits.Load()), Warnings: r.errs.Warnings()}, nil
}

// spentHTML is a converted body's HTML in a build, with the number of its
// readers still to come.
type spentHTML struct {
	html template.HTML
	left atomic.Int32
}

// spendBodies moves each converted body's HTML where its readers, its page
// and its search document, take it once each, the last letting it go: a
// build renders every page once, and keeping every story's HTML until the
// end took a tenth of its peak memory (#21). A third reader would find the
// HTML gone: TestJobListsAgree, which compares All with Prepared (which
// keeps the bodies), would fail.
func (r *renderer) spendBodies() {
	readers := int32(1) // the page
	if r.theme.Has("search") {
		readers++ // the search document
	}
	r.spend = make(map[*model.Story]*spentHTML, len(r.bodies))
	for st, b := range r.bodies {
		sp := &spentHTML{html: b.html}
		sp.left.Store(readers)
		r.spend[st] = sp
		b.html = ""
		r.bodies[st] = b
	}
}

// bodyHTML returns the converted body of st, for its page or its search
// document. In a build, the last of them lets it go: each read comes before
// the reader's decrement, which comes before the write that drops it.
func (r *renderer) bodyHTML(st *model.Story) template.HTML {
	sp := r.spend[st]
	if sp == nil {
		return r.bodies[st].html
	}
	h := sp.html
	if sp.left.Add(-1) == 0 {
		sp.html = ""
	}
	return h
}
