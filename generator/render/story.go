package render

import (
	"html/template"
	"slices"
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
)

// StoryView is a full story or page.
type StoryView struct {
	Story *model.Story
	// Title and Summary are the story's, each figure in them a link to its
	// metric, as in the body.
	Title, Summary template.HTML
	Body           template.HTML
	Date           string
	Partners       []*model.Partner
	Metrics        []*model.Metric
	// Data is "the data behind this story": each metric it lists, as of
	// the story's period, as its text and card give it.
	Data    []StoryDatum
	Tags    []*model.Tag
	Related []*StoryCard
	Held    []string // why it is not public (preview builds)
	Share   Share
	// Key is the figure the story leads with on its card and in its share
	// text: an ROI story's headline, else the latest value of the first
	// metric it cites; nil when it cites none.
	Key *model.Figure
	// ROI holds an ROI story's computed figures; nil for other stories.
	ROI *ROIView
	// Card is the site path of the story's social card (1200 × 630 PNG).
	Card string
	// LD describes the story as a schema.org Article.
	LD *ArticleLD
}

// StoryDatum is a metric as of a story's period, and now when the data
// has moved on since.
type StoryDatum struct {
	Metric *model.Metric
	Tile   MetricTile // the status is today's
	// Value and Period are the metric as of the story; empty when the
	// data starts after it.
	Value, Period string
	// Now is the latest value and period ("82.6 % in Q3 2026") when it is
	// later than the story's; empty otherwise.
	Now string
}

// storyJobs adds the jobs of every story's page and every plain page.
func (r *renderer) storyJobs(add addJob) {
	for _, st := range r.site.Stories {
		st := st
		add(st.URL(), func() error { return r.story(st, "story") })
	}
	for _, pg := range r.site.Pages {
		pg := pg
		add(pg.URL(), func() error { return r.story(pg, "page") })
	}
}

// story renders a story's page (layout "story") or a plain page ("page").
func (r *renderer) story(st *model.Story, layout string) error {
	pagePath := st.URL()
	b := r.bodies[st]
	html := r.bodyHTML(st) // b.html, which a build keeps apart
	fr := r.front(st)
	v := &StoryView{
		Story:    st,
		Title:    fr.title.HTML,
		Summary:  fr.summary.HTML,
		Body:     html, // goldmark output: escaped unless the site opts in to raw HTML
		Date:     r.date(st.Date),
		Partners: r.partnersOf(st.NamedPartners()),
		Held:     r.heldReasons(st),
	}
	seen := map[string]bool{}
	for _, id := range append(append([]string(nil), st.Metrics...), b.cited...) {
		if m := r.site.Metric(id); m != nil && !seen[id] {
			seen[id] = true
			v.Metrics = append(v.Metrics, m)
			v.Data = append(v.Data, r.storyDatum(st, m))
		}
	}
	// The story's tags in the site's order: each tag's slug made once, not
	// once for every tag of the site (300 tags made slugs 5 % of a build).
	slugs := make([]string, len(st.Tags))
	for i, name := range st.Tags {
		slugs[i] = model.TagSlug(name)
	}
	for _, t := range r.site.Tags {
		if slices.Contains(slugs, t.Slug) {
			v.Tags = append(v.Tags, t)
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
			imageAlt = r.tr("card_alt_figure", "text", imageAlt, "figure", r.tr("label_detail", "label", captionText(r.theme.Messages(), *v.Key), "detail", v.Key.Value))
		}
		if r.cover(st) != nil && !st.Cover.Decorative {
			imageAlt = r.tr("card_alt_photo", "text", imageAlt, "photo", st.Cover.Alt)
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
		Preview: st.Preview, Image: image, ImageAlt: imageAlt, Story: v, Charts: strings.Contains(string(html), `data-chart="`)})
}

// storyDatum is metric m as of story st, with today's value beside it when
// the data has moved on since the story.
func (r *renderer) storyDatum(st *model.Story, m *model.Metric) StoryDatum {
	d := StoryDatum{Metric: m, Tile: tileIn(r.theme.Messages(), r.site, m)}
	latest, ok := m.Latest()
	if !ok {
		return d
	}
	p, ok := r.site.AsOf(st, m)
	if !ok {
		d.Now = r.tr("takeaway_value", "value", model.FormatValue(latest.Value, m.Unit), "period", r.period(latest.Period))
		return d
	}
	d.Value, d.Period = model.FormatValue(p.Value, m.Unit), r.period(p.Period)
	if p.Period != latest.Period {
		d.Now = r.tr("takeaway_value", "value", model.FormatValue(latest.Value, m.Unit), "period", r.period(latest.Period))
	}
	return d
}

// keyFigure is the figure a story's card and share text lead with: the
// figure its partners approved (model.Site.CardFigure), as of the story's
// period. Nil when there is none.
func (r *renderer) keyFigure(st *model.Story) *model.Figure {
	fig := r.site.CardFigure(st)
	if fig == nil {
		return nil
	}
	l := r.localFigure(*fig)
	return &l
}

// ArticleLD is a story as a schema.org Article, for search engines and
// link previews. html/template writes it as JSON, escaped for a script.
type ArticleLD struct {
	Context       string   `json:"@context"`
	Type          string   `json:"@type"`
	Headline      string   `json:"headline"`
	Description   string   `json:"description,omitempty"`
	DatePublished string   `json:"datePublished,omitempty"`
	URL           string   `json:"url,omitempty"`
	MainEntity    string   `json:"mainEntityOfPage,omitempty"`
	Image         []string `json:"image,omitempty"`
	InLanguage    string   `json:"inLanguage,omitempty"`
	Keywords      string   `json:"keywords,omitempty"`
	Author        OrgLD    `json:"author"`
	Publisher     OrgLD    `json:"publisher"`
	Mentions      []OrgLD  `json:"mentions,omitempty"`
}

// OrgLD is a schema.org Organization.
type OrgLD struct {
	Type string   `json:"@type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
	Logo *ImageLD `json:"logo,omitempty"`
}

// ImageLD is a schema.org ImageObject.
type ImageLD struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

// articleLD describes a story for schema.org. Addresses are absolute, or
// left out without a base URL.
func (r *renderer) articleLD(st *model.Story, partners []*model.Partner) *ArticleLD {
	cfg := r.site.Config
	base := cfg.BaseURL
	abs := func(p string) string {
		if base == "" {
			return ""
		}
		return absURL(base, p)
	}
	org := OrgLD{Type: "Organization", Name: cfg.Title, URL: abs("/")}
	if cfg.Logo != "" && base != "" {
		org.Logo = &ImageLD{Type: "ImageObject", URL: abs(cfg.Logo)}
	}
	a := &ArticleLD{Context: "https://schema.org", Type: "Article", Headline: r.title(st), Description: r.summary(st),
		URL: abs(st.URL()), MainEntity: abs(st.URL()), InLanguage: cfg.Language, Author: org, Publisher: org,
		Keywords: strings.Join(st.Tags, ", ")}
	if !st.Date.IsZero() {
		a.DatePublished = st.Date.Format("2006-01-02")
	}
	if base != "" {
		a.Image = []string{abs(r.storyCardPath(st))}
		if pic := r.data.media.Picture(st.Cover); pic != nil && len(pic.JPEG) > 0 {
			a.Image = append(a.Image, abs(pic.Largest().Path))
		} else if st.Image != "" {
			a.Image = append(a.Image, abs(st.Image))
		}
	}
	for _, p := range partners {
		a.Mentions = append(a.Mentions, OrgLD{Type: "Organization", Name: p.Name, URL: p.URL})
	}
	return a
}

// heldReasons are the reasons a story is held, in the site's language, for
// the banner of a --drafts preview.
func (r *renderer) heldReasons(st *model.Story) []string {
	if len(st.HeldWhy) != len(st.Held) {
		return st.Held // a story held by hand (in tests): its English reasons
	}
	out := make([]string, len(st.HeldWhy))
	for i, m := range st.HeldWhy {
		out[i] = r.theme.Messages().String(m)
	}
	return out
}
