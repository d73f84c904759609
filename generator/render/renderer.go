package render

import (
	"bytes"
	"context"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Sink receives the rendered files. Its methods are called concurrently.
type Sink interface {
	File(path string, data []byte) error
	Copy(path string, fsys fs.FS, name string) error
}

// Remover is a Sink that can also take back a file it was given: a dev
// server's sink, laid over the files of an earlier build. After a story
// edit, Prepared.Update removes the index files (search/) the new index no
// longer names. Sinks of a whole build need not implement it.
type Remover interface {
	Remove(path string) error
}

// Options configure a render.
type Options struct {
	Theme   *Theme
	Version string
	PerPage int // stories per list page; 24 when zero
	// Media holds the processed pictures (generator/media); the render
	// writes their files and shows them. Nil when the site has none.
	Media *media.Set
	// NoSearch leaves out the search index and page (the header's form
	// then leads nowhere): for timing what the index adds to a build
	// (DRUMBEAT_NO_SEARCH=1, see README, Search), never for a site.
	NoSearch bool
}

// Stats counts what a render produced.
type Stats struct {
	Pages   int // HTML pages
	Files   int // every file, pages included
	Stories int
	Kits    int // partners' share kits
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
	// noSearch: Options.NoSearch.
	noSearch bool
	// export marks the unsubscribe link of the newsletter's email even
	// when it is the same for everyone, for a list manager's tag.
	export bool

	bodies map[*model.Story]body
	// spend holds the converted bodies' HTML in a build (All), where the
	// last of its readers lets it go (see bodyHTML); nil for a dev server,
	// which renders pages again.
	spend     map[*model.Story]*spentHTML
	relIdx    relatedIndex
	storyIdx  map[*model.Story]int
	citedBy   map[string][]*model.Story // metric id → stories that cite it
	kitBy     map[string][]*model.Story // partner id → its kit's stories (indexKits)
	partnerBy map[string][]*model.Story // partner id → the stories its page lists (indexKits)
	news      map[*model.Newsletter]newsFront
	brief     *briefFront // nil without a briefing, or before convertAll
	pages     atomic.Int64
	files     atomic.Int64
	kits      atomic.Int64
	// periodTexts holds periodText of the periods charts label (a
	// model.Period → string): metrics of daily values share their days.
	periodTexts sync.Map
	// dateTexts holds date's texts by day ([3]int{year, month, day} →
	// string): a build writes each story's date on its page and its cards.
	dateTexts sync.Map
	// kitIdx holds which stories of each partner's kit have cards (kitmedia.go).
	kitIdx kitIndex
	// tiles keeps each tile drawn, by its SVG's path: the tile jobs write
	// them and the kit pages show their snippets (kittiles.go).
	tiles sync.Map
	// search keeps the index's documents between a dev server's rebuilds.
	search searchState

	mu   sync.Mutex
	errs diag.List
}

// siteNav returns the main navigation: Stories, Impact (when the build
// shows an ROI story), Scorecard, Partners, Governance,
// Newsletter and Briefing (when the site has them), then the pages that
// have a weight.
func siteNav(site *model.Site, msgs *i18n.Catalogue, title func(*model.Story) string) []NavItem {
	nav := []NavItem{{msgs.S("nav_stories"), "/stories/", "stories"}}
	if hasROI(site) {
		nav = append(nav, NavItem{msgs.S("nav_impact"), ImpactPath, "impact"})
	}
	nav = append(nav,
		NavItem{msgs.S("nav_scorecard"), "/scorecard/", "scorecard"},
		NavItem{msgs.S("nav_partners"), "/partners/", "partners"},
		NavItem{msgs.S("nav_governance"), "/governance/", "governance"},
	)
	if len(site.Newsletters) > 0 {
		nav = append(nav, NavItem{msgs.S("nav_newsletter"), "/newsletter/", "newsletter"})
	}
	if site.Briefing != nil {
		nav = append(nav, NavItem{msgs.S("nav_briefing"), "/briefing/", "briefing"})
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

// sortedOnce sorts the problems a render found and drops the repeats: an
// error in a layout is found on every page made with it, and is told once.
func sortedOnce(l diag.List) diag.List {
	l.Sort()
	out := l[:0]
	for i, e := range l {
		if i > 0 && e.Severity == l[i-1].Severity && e.Error() == l[i-1].Error() {
			continue
		}
		out = append(out, e)
	}
	return out
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
	if _, ok := r.sink.(BytesReused); ok {
		// The sink keeps no byte of the page: its buffer is used again.
		buf := pageBufs.Get().(*bytes.Buffer)
		defer func() {
			if buf.Cap() <= maxPooledPage {
				buf.Reset()
				pageBufs.Put(buf)
			}
		}()
		b, err := r.theme.executeInto(buf, layout, p)
		if err != nil {
			return err
		}
		r.pages.Add(1)
		r.files.Add(1)
		return r.sink.File(outPath(p.Path), b)
	}
	b, err := r.theme.execute(layout, p)
	if err != nil {
		return err
	}
	r.pages.Add(1)
	r.files.Add(1)
	return r.sink.File(outPath(p.Path), b)
}

// BytesReused is a Sink whose File keeps none of the bytes it is given
// once it has returned (it writes them out, or a copy): the render may
// then write the next page into the same buffer. write.Dir is one.
type BytesReused interface {
	Sink
	FileKeepsNoBytes()
}

// pageBufs are the buffers pages are written into for a BytesReused sink;
// a buffer grown past maxPooledPage (a long metric page) is left to the
// garbage collector.
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledPage = 256 << 10

func (r *renderer) file(rel string, b []byte) error {
	r.files.Add(1)
	return r.sink.File(rel, b)
}

func (r *renderer) card(st *model.Story) *StoryCard {
	fr := r.front(st)
	return &StoryCard{Story: st, Title: fr.title.Text, Summary: fr.summary.Text, Partners: r.partnersOf(st.NamedPartners()), Date: r.date(st.Date)}
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

// setupRenderer makes a renderer for site, its bodies not yet converted
// (prepare converts them; tests use it alone).
func setupRenderer(site *model.Site, opt Options, sink Sink) *renderer {
	if opt.PerPage <= 0 {
		opt.PerPage = 24
	}
	r := &renderer{
		site:     site,
		theme:    opt.Theme,
		md:       markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML}),
		sink:     sink,
		per:      opt.PerPage,
		noSearch: opt.NoSearch,
	}
	r.data = &SiteData{
		Site:    site,
		Version: opt.Version,
		Feed:    site.Config.BaseURL != "",
		Nav:     siteNav(site, opt.Theme.Messages(), func(st *model.Story) string { return st.Title }),
	}
	r.data.frag = newFragments(r.theme, site.Stories, site.Pages)
	r.data.media = opt.Media
	r.data.theme = opt.Theme
	if !site.LatestPeriod.IsZero() {
		r.data.DataUpdated = r.period(site.LatestPeriod)
	}
	return r
}
