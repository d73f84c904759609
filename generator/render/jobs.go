package render

import (
	"context"
	"fmt"

	"github.com/drumbeat/drumbeat/generator/model"
)

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
	r.data.Nav = siteNav(site, r.theme.Messages(), r.title)

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

// keyedJob is one job of a render, named by the address of what it writes:
// "/stories/x/", "/stories/page/2/", "feed.xml", "static:css/site.css", or
// "briefing#1" and "newsletter#3" for jobs whose addresses are their own.
type keyedJob struct {
	key string
	run func() error
}

// keyJobs makes All's jobs, in All's order, each named by its address.
func (p *Prepared) keyJobs() error {
	r, site := p.r, p.r.site
	var jobs []keyedJob
	add := func(key string, f func() error) { jobs = append(jobs, keyedJob{key: key, run: f}) }
	collect := func(fill func(add func(func() error))) []func() error {
		var fs []func() error
		fill(func(f func() error) { fs = append(fs, f) })
		return fs
	}
	add("/", r.home)
	lists := collect(r.storyLists)
	if len(lists) != r.listPages(len(site.Stories)) {
		return fmt.Errorf("render: the story list has %d pages, expected %d", len(lists), r.listPages(len(site.Stories)))
	}
	for i, f := range lists {
		add(listPath("/stories/", i+1), f)
	}
	if hasROI(site) {
		add(ImpactPath, r.impact)
	}
	for _, st := range site.Stories {
		st := st
		add(st.URL(), func() error { return r.story(st, "story") })
	}
	for _, pg := range site.Pages {
		pg := pg
		add(pg.URL(), func() error { return r.story(pg, "page") })
	}
	tags := collect(r.tagPages)
	if len(site.Tags) > 0 {
		want := 1
		for _, t := range site.Tags {
			want += r.listPages(len(t.Stories))
		}
		if len(tags) != want {
			return fmt.Errorf("render: the tag pages are %d, expected %d", len(tags), want)
		}
		add("/tags/", tags[0])
		k := 1
		for _, t := range site.Tags {
			for i := 1; i <= r.listPages(len(t.Stories)); i++ {
				add(listPath(t.URL(), i), tags[k])
				k++
			}
		}
	}
	add("/partners/", r.partners)
	for _, pt := range site.Partners {
		pt := pt
		add("/partners/"+pt.ID+"/", func() error { return r.partner(pt) })
	}
	add("/scorecard/", r.scorecard)
	for _, m := range site.Metrics {
		m := m
		add("/metrics/"+m.ID+"/", func() error { return r.metric(m) })
	}
	for i, f := range collect(r.briefingJobs) {
		add(fmt.Sprintf("briefing#%d", i+1), f)
	}
	for i, f := range collect(r.newsletterJobs) {
		add(fmt.Sprintf("newsletter#%d", i+1), f)
	}
	add("/governance/", r.governance)
	add("/join/", r.join)
	add("/decisions/", r.decisions)
	add("/404.html", r.notFound)
	add("robots.txt", r.robots)
	if site.Config.BaseURL != "" {
		add("sitemap.xml", r.sitemap)
		add("feed.xml", r.feed)
	}
	r.fileJobs(add)
	p.jobs = jobs
	p.byKey = make(map[string]int, len(jobs))
	for i, j := range jobs {
		if _, dup := p.byKey[j.key]; dup {
			return fmt.Errorf("render: two jobs write %s", j.key)
		}
		p.byKey[j.key] = i
	}
	return nil
}
