package render

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/url"
	"strings"
	"unicode"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
	"golang.org/x/text/unicode/norm"
)

// body is a story's converted Markdown.
type body struct {
	html template.HTML
	// cited lists the metrics the prose cites, in order of first citation,
	// then those the title and summary cite (the first prose of them are
	// the body's: the card's key figure comes from those, as
	// model.Site.CardFigure has it).
	cited []string
	prose int
	// roi holds the figures of an ROI story; nil for other stories.
	roi *model.ROIFigures
	// front is the story's title and summary, their figures resolved.
	front *storyFront
}

// convertAll converts every shown story and page body in parallel,
// resolving figures, and records which stories cite which metrics.
func (r *renderer) convertAll() {
	all := append(append([]*model.Story(nil), r.site.Stories...), r.site.Pages...)
	bodies := make([]body, len(all))
	lists := make([]diag.List, len(all))
	par.Do(len(all), func(i int) {
		bodies[i], lists[i] = r.convert(all[i])
	})
	// Held stories are converted too, to check them: a story must be
	// correct before a partner approves it, not fail the build once
	// approved (fixing it then would void the approval). Their errors
	// (figures, links to decisions, ROI declarations) stop the build as a
	// public story's do, and their warnings are reported as a preview's
	// are; the converted text is dropped, so nothing of a held story
	// reaches any output. With --drafts they are among the shown stories,
	// as previews.
	if !r.site.Drafts {
		held := append(append([]*model.Story(nil), r.site.Held...), r.site.HeldPages...)
		heldErrs := make([]diag.List, len(held))
		par.Do(len(held), func(i int) { _, heldErrs[i] = r.convertHeld(held[i]) })
		for _, l := range heldErrs {
			r.errs.Append(l)
		}
	}
	r.errs.Append(r.resolveNewsletters())
	r.errs.Append(r.resolveBriefing())
	r.bodies = make(map[*model.Story]body, len(all))
	r.indexKits()
	r.citedBy = map[string][]*model.Story{}
	for i, st := range all {
		r.bodies[st] = bodies[i]
		r.errs.Append(lists[i])
		if st.Section != "stories" || st.Preview {
			continue
		}
		seen := map[string]bool{}
		for _, id := range append(append([]string(nil), st.Metrics...), bodies[i].cited...) {
			if !seen[id] && r.site.Metric(id) != nil {
				seen[id] = true
				r.citedBy[id] = append(r.citedBy[id], st)
			}
		}
	}
}

func (r *renderer) convert(st *model.Story) (body, diag.List) {
	return r.convertWith(&figures{r: r, st: st, root: rootPrefix(st.URL())})
}

// convertHeld converts a held story only to check it: its links to other
// held stories are not reported, as in a preview.
func (r *renderer) convertHeld(st *model.Story) (body, diag.List) {
	return r.convertWith(&figures{r: r, st: st, root: rootPrefix(st.URL()), checkOnly: true})
}

func (r *renderer) convertWith(f *figures) (body, diag.List) {
	var errs diag.List
	st := f.st
	if st.ROI != nil {
		roi, rerrs := r.site.ComputeROI(st)
		errs.Append(rerrs)
		f.roi = roi
		f.roiFailed = roi == nil
	}
	// The title and summary: their figures count as cited (for the
	// metric's page and staleness), after the body's.
	front := f.storyFront(&errs)
	frontCited := f.cited
	f.cited = nil
	out, ok := r.convertMarkdown(st, st.Body, f.root, f, &errs)
	if !ok {
		return body{front: &front}, errs
	}
	prose := len(f.cited)
	f.cited = append(f.cited, frontCited...)
	// A story that cites a metric whose data is more than one period behind
	// its date is stale: the figure may no longer be what the story says.
	if st.Section == "stories" {
		seen := map[string]bool{}
		for _, id := range append(append([]string(nil), st.Metrics...), f.cited...) {
			m := r.site.Metric(id)
			if m == nil || seen[id] {
				continue
			}
			seen[id] = true
			if latest, ok := m.Latest(); ok && st.Date.After(latest.Period.Next().End()) {
				errs.Warnf(st.Pos("date"), "the story is dated %s but the latest %s data is for %s; the figures may be stale",
					st.Date.Format("2006-01-02"), id, latest.Period.Label()).WithHint("add newer observations, or cite the period with {{%s @%s}}", id, latest.Period)
			}
		}
	}
	if f.roi != nil {
		f.cited = append(f.cited, f.roi.MetricIDs()...)
	}
	if st.Kind == model.KindROI && st.Section == "stories" {
		checkArc(st, out, &errs)
	}
	return body{html: template.HTML(out), cited: f.cited, prose: prose, roi: f.roi, front: &front}, errs
}

// hintError is an error with a hint for the author.
type hintError struct{ msg, hint string }

func (e *hintError) Error() string { return e.msg }

// figures resolves {{metric view @period}} and {{roi:name view}} in one
// story.
type figures struct {
	r     *renderer
	st    *model.Story
	root  string
	n     int
	cited []string
	roi   *model.ROIFigures // the story's ROI figures, for {{roi:…}}
	// roiFailed is set when the ROI figures could not be worked out; the
	// reasons are reported once, not again at every {{roi:…}}.
	roiFailed bool
	// checkOnly is set when a held story is converted to be checked.
	checkOnly bool
}

var _ markdown.FigureResolver = (*figures)(nil)

// figValue is a resolved figure: its text and what it links to, or, for a
// figure that is not text (a sparkline, a chart), its HTML.
type figValue struct {
	Text  string // the figure as plain text: "82.6 %", "Q3 2026"
	Title string // what the figure is, for a tooltip
	Href  string // where the figure links to
	Class string // the link's class: "fig", or "fig fig-roi"
	// HTML is set for a figure that is not text; Text is then a short
	// description of it.
	HTML  string
	Block bool // HTML is a block (a chart)
}

// html is the figure as HTML: its HTML, or its text in a link.
func (v figValue) html() string {
	if v.HTML != "" {
		return v.HTML
	}
	class := v.Class
	if class == "" {
		class = "fig"
	}
	return fmt.Sprintf(`<a class="%s" href="%s" title="%s">%s</a>`, esc(class), esc(v.Href), esc(v.Title), esc(v.Text))
}

func (f *figures) ResolveFigure(ref markdown.FigureRef) (string, bool, error) {
	v, err := f.value(ref)
	if err != nil {
		return "", false, err
	}
	return v.html(), v.Block, nil
}

// value resolves a figure to its text and link (or its HTML).
func (f *figures) value(ref markdown.FigureRef) (figValue, error) {
	site := f.r.site
	if name, ok := strings.CutPrefix(ref.ID, "roi:"); ok {
		return f.resolveROI(name, ref)
	}
	if ref.View != "" && !contains(markdown.Views, ref.View) {
		return figValue{}, &hintError{fmt.Sprintf("%s: %q is not a figure view", written(ref), ref.View), "use one of " + strings.Join(markdown.Views, ", ")}
	}
	if strings.EqualFold(ref.ID, targetsID) && site.Metric(ref.ID) == nil {
		return f.targetsValue(ref)
	}
	m := site.Metric(ref.ID)
	if m == nil {
		var ids []string
		for _, x := range site.Metrics {
			ids = append(ids, x.ID)
		}
		h := "add it to data/metrics.csv, or correct the id"
		if s := diag.Suggest(ref.ID, ids); s != "" {
			h = fmt.Sprintf("did you mean %q?", s)
		}
		return figValue{}, &hintError{fmt.Sprintf("metric %q is not in data/metrics.csv", ref.ID), h}
	}
	f.cited = append(f.cited, m.ID)
	return f.metricValue(m, ref)
}

// metricValue resolves a view of metric m. Views of words (trend, gap and
// the others) are in figures_words.go.
func (f *figures) metricValue(m *model.Metric, ref markdown.FigureRef) (figValue, error) {
	if isSpanView(ref.View) {
		return f.spanValue(m, ref)
	}
	if len(ref.Args) > 0 && !viewTakesArgs(ref.View) {
		return figValue{}, &hintError{fmt.Sprintf("%s: the %s view takes no words after it", written(ref), viewName(ref.View)), "remove " + strings.Join(ref.Args, " ")}
	}
	if isWordsView(ref.View) {
		return f.wordsValue(m, ref)
	}
	var at model.Point
	var per model.Period
	// A change may run between two periods: {{m change @from..to}}.
	to, asWritten := model.Period{}, written(ref)
	if ref.View == "change" {
		if a, _, ok := strings.Cut(ref.Period, ".."); ok {
			sp, err := model.ParseSpan(ref.Period)
			if err != nil {
				return figValue{}, &hintError{fmt.Sprintf("%s: %v", asWritten, err), ""}
			}
			ref.Period, to = a, sp.Last
		}
	}
	if ref.Period != "" {
		p, err := model.ParsePeriod(ref.Period)
		if err != nil {
			return figValue{}, &hintError{fmt.Sprintf("{{%s @%s}}: %v", ref.ID, ref.Period, err), ""}
		}
		per = p
	}
	latest, hasData := m.Latest()
	if !hasData {
		return figValue{}, &hintError{fmt.Sprintf("metric %q has no observations yet", m.ID), "add values under data/observations/, or remove the figure"}
	}
	at = latest
	if !per.IsZero() && ref.View != "change" {
		p, ok := m.At(per)
		if !ok {
			return figValue{}, &hintError{fmt.Sprintf("metric %q has no value for %s", m.ID, per), fmt.Sprintf("its periods run from %s to %s", m.Series[0].Period, latest.Period)}
		}
		at = p
	}
	href := f.root + "metrics/" + m.ID + "/"
	link := func(text, title string) (figValue, error) {
		return figValue{Text: text, Title: title, Href: href}, nil
	}
	name := m.Name
	switch ref.View {
	case "":
		return link(model.FormatValue(at.Value, m.Unit), f.r.tr("figure_title_at", "metric", name, "period", f.r.period(at.Period)))
	case "period":
		return link(f.r.period(at.Period), name)
	case "change":
		from, ok := m.Previous()
		if !per.IsZero() {
			from, ok = m.At(per)
			if !ok {
				return figValue{}, &hintError{fmt.Sprintf("metric %q has no value for %s to measure the change from", m.ID, per), fmt.Sprintf("its periods run from %s to %s", m.Series[0].Period, latest.Period)}
			}
		}
		if !ok {
			return figValue{}, &hintError{fmt.Sprintf("metric %q has only one value; there is no change to show", m.ID), ""}
		}
		end := latest
		if !to.IsZero() {
			if end, ok = m.At(to); !ok {
				return figValue{}, &hintError{fmt.Sprintf("%s: metric %q has no value for %s", asWritten, m.ID, to), fmt.Sprintf("its periods run from %s to %s", m.Series[0].Period, latest.Period)}
			}
		}
		d := end.Value - from.Value
		return link(f.r.theme.Messages().String(model.ChangeMessage(d, m.Unit)), f.r.tr("figure_title_span", "metric", name, "from", f.r.period(from.Period), "to", f.r.period(end.Period)))
	case "progress":
		p, ok := m.Progress()
		if !ok {
			return figValue{}, &hintError{fmt.Sprintf("metric %q has no target (or its target equals its baseline), so there is no progress to show", m.ID), "set target in data/metrics.csv"}
		}
		return link(model.FormatPercent(math.Max(0, p)), f.r.tr("figure_title_progress", "metric", name))
	case "target":
		if m.Target == nil {
			return figValue{}, &hintError{fmt.Sprintf("metric %q has no target", m.ID), "set target in data/metrics.csv"}
		}
		return link(model.FormatValue(*m.Target, m.Unit), name+": target")
	case "baseline":
		b, ok := m.BaselineValue()
		if !ok {
			return figValue{}, &hintError{fmt.Sprintf("metric %q has no baseline", m.ID), ""}
		}
		return link(model.FormatValue(b, m.Unit), name+": baseline")
	case "sparkline":
		vals, _ := seriesValues(m)
		svg := chart.Sparkline(vals, sparkLabel(f.r.theme.Messages(), m), 96, 24, f.r.accent())
		return figValue{Text: sparkLabel(f.r.theme.Messages(), m), Href: href, HTML: fmt.Sprintf(`<a class="fig fig-spark" href="%s">%s</a>`, esc(href), svg)}, nil
	case "chart":
		f.n++
		id := fmt.Sprintf("fig-%s-%d", f.st.Slug, f.n)
		cv, err := f.r.metricChart(m, id)
		if err != nil {
			return figValue{}, err
		}
		var b strings.Builder
		if err := f.r.theme.executePartial(&b, "chart", ChartCtx{Root: f.root, Chart: cv}); err != nil {
			return figValue{}, err
		}
		return figValue{Text: f.r.tr("figure_chart_of", "metric", m.Name), Href: href, HTML: b.String(), Block: true}, nil
	}
	return figValue{}, &hintError{fmt.Sprintf("%s: %q is not a figure view", written(ref), ref.View), "use one of " + strings.Join(markdown.Views, ", ")}
}

// written is a figure as its writer wrote it, spaced the usual way.
func written(ref markdown.FigureRef) string {
	w := "{{" + ref.ID
	if ref.View != "" {
		w += " " + ref.View
	}
	for _, a := range ref.Args {
		w += " " + a
	}
	if ref.Period != "" {
		w += " @" + ref.Period
	}
	return w + "}}"
}

// viewName is a view's name as the reader writes it.
func viewName(v string) string {
	if v == "" {
		return "value"
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var _ markdown.LinkResolver = (*figures)(nil)

// ResolveLink checks links to the site's own stories and turns
// decision:<id> into a link to the decision log. A link to a story that is
// not public is dropped (its text stays), so nothing points at it, in
// whatever form it is written: a site path (/stories/x/), relative to the
// page (../x/), or absolute with the site's base_url (with or without
// www.). Any other address of the site that holds a held story's slug is
// dropped too.
func (f *figures) ResolveLink(dest string) (string, bool, error) {
	nd, warn, err := f.resolveLink(dest)
	if nd != "" && !f.r.site.Drafts && !f.checkOnly {
		if h := f.heldAnywhere(dest); h != nil {
			return "", true, &hintError{fmt.Sprintf("links to %s, which holds the address of %s, not public (%s); the link is left out until it is", dest, h.URL(), heldWhy(h)), ""}
		}
	}
	return nd, warn, err
}

func (f *figures) resolveLink(dest string) (string, bool, error) {
	site := f.r.site
	if id, ok := strings.CutPrefix(dest, "decision:"); ok {
		if site.Decision(id) == nil {
			var ids []string
			for _, d := range site.Decisions {
				ids = append(ids, d.ID)
			}
			h := "the ids are in data/decisions.yaml"
			if s := diag.Suggest(id, ids); s != "" {
				h = fmt.Sprintf("did you mean %q?", s)
			}
			return "", false, &hintError{fmt.Sprintf("decision %q is not in data/decisions.yaml", id), h}
		}
		return "/decisions/#" + id, false, nil
	}
	p, ok := f.sitePath(dest)
	if !ok {
		return dest, false, nil
	}
	if slug, ok := storySlug(p.Path); ok {
		if st := site.Story(slug); st != nil && (!st.Preview || f.st.Preview) {
			return dest, false, nil
		}
		if h := f.heldStory(slug); h != nil {
			if site.Drafts || f.checkOnly {
				return dest, false, nil
			}
			return "", true, &hintError{fmt.Sprintf("links to %s, which is not public (%s); the link is left out until it is", dest, heldWhy(h)), ""}
		}
		if strings.HasPrefix(dest, "/") {
			return dest, true, &hintError{fmt.Sprintf("links to %s, but there is no such story", dest), "check the story's file name or slug"}
		}
	}
	if h := f.heldIn(p); h != nil && !site.Drafts && !f.checkOnly {
		return "", true, &hintError{fmt.Sprintf("links to %s, which holds the address of %s, not public (%s); the link is left out until it is", dest, h.URL(), heldWhy(h)), ""}
	}
	return dest, false, nil
}

var _ markdown.ImageResolver = (*figures)(nil)

// ResolveImage refuses images on other hosts unless the site allows them,
// and then replaces each with the copy the build downloaded, so no page
// loads anything from another host.
func (f *figures) ResolveImage(dest string) (string, error) {
	if !model.IsRemote(dest) {
		return dest, nil
	}
	site := f.r.site
	if !site.Config.AllowRemoteImages {
		return "", &hintError{fmt.Sprintf("the image %s is on another host: pages would load it from there", dest), model.RemoteImageHint}
	}
	if p, ok := site.RemoteImages[dest]; ok {
		return p, nil
	}
	if site.RemoteImages == nil {
		return dest, nil // a check: nothing was downloaded, and nothing is written
	}
	return "", &hintError{fmt.Sprintf("the image %s was not downloaded", dest), ""}
}

var _ markdown.RawHTMLChecker = (*figures)(nil)

// CheckRawHTML refuses raw HTML that holds the address of a held story:
// its links cannot be dropped as Markdown links are, and shown as text
// (unsafe HTML off) the address would be read all the same.
func (f *figures) CheckRawHTML(raw string) error {
	if f.r.site.Drafts {
		return nil
	}
	low := folded(raw)
	dec := strings.ToLower(html.UnescapeString(raw))
	if u, err := url.PathUnescape(dec); err == nil {
		dec = u
	}
	dec = folded(dec)
	for _, h := range f.r.site.Held {
		needle := "/" + strings.ToLower(h.Slug)
		if strings.Contains(low, needle) || strings.Contains(dec, needle) {
			return &hintError{fmt.Sprintf("the raw HTML here holds the address of %s, which is not public (%s)", h.URL(), heldWhy(h)),
				"remove it until the story is public, or write the link in Markdown ([text](" + h.URL() + ")), which is left out while the story is held"}
		}
	}
	return nil
}

var _ markdown.LinkTextHider = (*figures)(nil)

// HideLinkText reports whether the text of a dropped link names the held
// story it pointed at (its slug or its address), so the text must go too.
func (f *figures) HideLinkText(dest, text string) bool {
	p, ok := f.sitePath(dest)
	if !ok {
		return false
	}
	var h *model.Story
	if slug, ok := storySlug(p.Path); ok {
		h = f.heldStory(slug)
	}
	if h == nil {
		h = f.heldIn(p)
	}
	return h != nil && strings.Contains(folded(text), strings.ToLower(h.Slug))
}

// folded is s in lower case and in NFC, the form of slugs: a held story's
// slug written with its letters decomposed (й as и and a combining breve,
// "и%CC%86" in an address) reads the same, and servers whose file system
// ignores the difference (macOS) serve the page at it, so it must be
// caught all the same.
func folded(s string) string {
	return norm.NFC.String(strings.ToLower(s))
}

// heldWhy is the first reason h is held, with a count of the others.
func heldWhy(h *model.Story) string {
	if len(h.Held) == 0 {
		return "it is not public"
	}
	why := h.Held[0]
	if len(h.Held) > 1 {
		why += fmt.Sprintf(", and %d more reasons", len(h.Held)-1)
	}
	return why
}

// heldStory returns the held story with this slug, or nil.
func (f *figures) heldStory(slug string) *model.Story {
	for _, h := range f.r.site.Held {
		if strings.EqualFold(h.Slug, norm.NFC.String(slug)) {
			return h
		}
	}
	return nil
}

// heldAnywhere returns a held story whose slug stands anywhere in dest as
// a word of its own (between characters that are not letters, digits or
// dashes), whatever the host, or nil. The address is read as a browser
// reads it first: tabs and line breaks dropped, backslashes as slashes,
// percent-encoding decoded; then in NFC, as slugs are (see folded). A held story's slug is its headline in a few
// words: an address that carries it ("/stories/slug.html",
// "https:host/stories/slug", "/stories\slug") gives the story away even
// where no page answers. A public story of the same slug is not held.
func (f *figures) heldAnywhere(dest string) *model.Story {
	if len(f.r.site.Held) == 0 {
		return nil
	}
	d := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return unicode.ToLower(r)
	}, dest)
	for i := 0; i < 4 && strings.Contains(d, "%"); i++ {
		u, err := url.PathUnescape(d)
		if err != nil || u == d {
			break
		}
		d = strings.ToLower(u)
	}
	d = norm.NFC.String(d)
	if f.otherSite(d) {
		return nil
	}
	word := func(b byte) bool { return b == '-' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' }
	for _, h := range f.r.site.Held {
		slug := strings.ToLower(h.Slug)
		if slug == "" {
			continue
		}
		if st := f.r.site.Story(h.Slug); st != nil && !st.Preview {
			continue
		}
		for from := 0; ; {
			i := strings.Index(d[from:], slug)
			if i < 0 {
				break
			}
			i += from
			end := i + len(slug)
			if (i == 0 || !word(d[i-1])) && (end == len(d) || !word(d[end])) {
				return h
			}
			from = i + 1
		}
	}
	return nil
}

// otherSite reports whether d (lower case) is a well-formed http(s)
// address of another host than the site's base_url: another site's
// addresses are its own business, whatever words they hold.
func (f *figures) otherSite(d string) bool {
	u, err := url.Parse(d)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.HasPrefix(d, u.Scheme+"://") {
		return false
	}
	host := func(h string) string {
		h = strings.TrimSuffix(strings.ToLower(h), ".")
		return strings.TrimPrefix(h, "www.")
	}
	base, err := url.Parse(f.r.site.Config.BaseURL)
	if err != nil || base.Hostname() == "" {
		return false
	}
	return host(u.Hostname()) != host(base.Hostname())
}

// heldIn returns a held story whose slug is a segment of p's path or its
// fragment, or nil. A public story of the same slug is not held.
func (f *figures) heldIn(p *url.URL) *model.Story {
	for _, seg := range append(strings.Split(p.Path, "/"), p.Fragment) {
		if seg == "" || f.r.site.Story(seg) != nil && !f.r.site.Story(seg).Preview {
			continue
		}
		if h := f.heldStory(seg); h != nil {
			return h
		}
	}
	return nil
}

// storySlug returns the slug of a story's address, /stories/<slug>/ (or
// /stories/<slug> or /stories/<slug>/index.html).
func storySlug(p string) (string, bool) {
	slug, ok := strings.CutPrefix(p, "/stories/")
	if !ok {
		return "", false
	}
	slug = strings.TrimSuffix(strings.TrimSuffix(slug, "index.html"), "/")
	if slug == "" || strings.Contains(slug, "/") {
		return "", false
	}
	return slug, true
}

// sitePath returns dest as an address on the site (its path from the
// site's root, query and fragment), or false for an address elsewhere.
// Relative addresses are resolved against the page the link is on; an
// absolute URL is on the site when it starts with the site's base_url.
func (f *figures) sitePath(dest string) (*url.URL, bool) {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		// Not a valid URL, but a browser may still follow it: look at its
		// parts as written.
		u = &url.URL{Path: dest}
		if i := strings.IndexAny(dest, "?#"); i >= 0 {
			u.Path, u.Fragment = dest[:i], strings.TrimPrefix(dest[i:], "#")
		}
		if strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") {
			return u, f.r.site.Config.BaseURL != ""
		}
	}
	if u.Scheme == "" && u.Host == "" && u.Opaque == "" {
		if u.Path == "" {
			return u, true // a fragment on the same page
		}
		return (&url.URL{Path: pageURL(f.st)}).ResolveReference(u), true
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	base, err := url.Parse(f.r.site.Config.BaseURL)
	host := func(u *url.URL) string {
		return strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), "www.")
	}
	if err != nil || base.Host == "" || host(u) != host(base) {
		return nil, false
	}
	rest, ok := strings.CutPrefix(u.Path, strings.TrimSuffix(base.Path, "/"))
	if !ok || rest != "" && rest[0] != '/' {
		return nil, false
	}
	if rest == "" {
		rest = "/"
	}
	return (&url.URL{Path: "/"}).ResolveReference(&url.URL{Path: rest, RawQuery: u.RawQuery, Fragment: u.Fragment}), true
}

// pageURL is the site path of the page a body is shown on.
func pageURL(st *model.Story) string {
	if st.Section == "newsletter" {
		return "/newsletter/" + strings.TrimPrefix(st.Slug, "newsletter-") + "/"
	}
	return st.URL()
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func sparkLabel(msgs *i18n.Catalogue, m *model.Metric) string {
	if l, ok := m.Latest(); ok {
		return msgs.S("spark_label_latest", "metric", m.Name, "value", model.FormatValue(l.Value, m.Unit), "period", periodText(msgs, l.Period))
	}
	return msgs.S("spark_label", "metric", m.Name)
}

// convertMarkdown converts src, the body of st, with the figures of f, and
// reports its problems at their lines in st's file. ok is false when the
// Markdown could not be rendered at all.
func (r *renderer) convertMarkdown(st *model.Story, src []byte, root string, f markdown.FigureResolver, errs *diag.List) (out []byte, ok bool) {
	out, ferrs, err := r.md.Convert(src, root, f)
	if err != nil {
		errs.Errorf(diag.Pos{File: st.Path, Line: st.BodyLine}, "cannot render the Markdown: %v", err)
		return nil, false
	}
	for _, fe := range ferrs {
		e := &diag.Error{Pos: diag.Pos{File: st.Path, Line: st.BodyLine + fe.Line - 1, Col: fe.Col}, Msg: fe.Err.Error()}
		if fe.Warning {
			e.Severity = diag.SevWarning
		}
		var he *hintError
		if errors.As(fe.Err, &he) {
			e.Msg, e.Hint = he.msg, he.hint
		}
		errs.Add(e)
	}
	return out, true
}
