package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
	"github.com/drumbeat/drumbeat/generator/render/email"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	Link    []atomLink  `xml:"link"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  *atomPerson `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	Link      atomLink     `xml:"link"`
	ID        string       `xml:"id"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Summary   string       `xml:"summary,omitempty"`
	Content   *atomContent `xml:"content,omitempty"`
	Category  []atomCat    `xml:"category"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// feed writes /feed.xml, an Atom feed of the 20 latest published stories,
// and /index.xml, an RSS feed of every published story with its full text.
// Their updated times are the newest story's date, so they change only
// with the content.
func (r *renderer) feed() error {
	if err := r.rss(); err != nil {
		return err
	}
	base := r.site.Config.BaseURL
	f := atomFeed{
		Title:  r.site.Config.Title,
		Link:   []atomLink{{Href: absURL(base, "/feed.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: absURL(base, "/")}},
		ID:     absURL(base, "/"),
		Author: &atomPerson{Name: r.site.Config.Title},
	}
	var newest time.Time
	for _, st := range r.site.Stories {
		if st.Preview {
			continue
		}
		if len(f.Entries) == 20 {
			break
		}
		if st.Date.After(newest) {
			newest = st.Date
		}
		e := atomEntry{
			Title:     r.title(st),
			Link:      atomLink{Href: absURL(base, st.URL())},
			ID:        absURL(base, st.URL()),
			Updated:   rfc3339(st.Date),
			Published: rfc3339(st.Date),
			Summary:   r.summary(st),
		}
		for _, t := range st.Tags {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Updated = rfc3339(newest)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	b.WriteByte('\n')
	return r.file("feed.xml", b.Bytes())
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeXML writes v as an indented XML document at rel.
func (r *renderer) writeXML(rel string, v any) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	b.WriteByte('\n')
	return r.file(rel, b.Bytes())
}

type rssFeed struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DCNS      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	Generator     string    `xml:"generator,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator"`
	Description string   `xml:"description,omitempty"`
	Content     cdata    `xml:"content:encoded"`
	Category    []string `xml:"category"`
}

type rssGUID struct {
	PermaLink string `xml:"isPermaLink,attr"`
	ID        string `xml:",chardata"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

// RSSLimit is how many of the newest stories /index.xml carries in full.
// A feed reader wants the recent ones; ten thousand stories in full would
// make a feed of hundreds of megabytes that every reader downloads again.
const RSSLimit = 100

// rss writes /index.xml: RSS 2.0 with the newest published stories in
// full (RSSLimit of them), their links and images absolute, their charts as
// PNG images under /metrics/<id>/chart.png.
func (r *renderer) rss() error {
	base := r.site.Config.BaseURL
	desc := r.site.Config.Tagline
	if desc == "" {
		desc = r.tr("feed_description", "site", r.site.Config.Title)
	}
	f := rssFeed{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", ContentNS: "http://purl.org/rss/1.0/modules/content/",
		DCNS: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{Title: r.site.Config.Title, Link: absURL(base, "/"), Description: desc, Language: r.site.Config.Language,
			Self: atomLink{Href: absURL(base, "/index.xml"), Rel: "self", Type: "application/rss+xml"}}}
	charts := &feedCharts{r: r, seen: map[string]bool{}}
	var newest time.Time
	for _, st := range r.site.Stories {
		if st.Preview || !st.Published() {
			continue
		}
		if len(f.Channel.Items) == RSSLimit {
			break
		}
		if st.Date.After(newest) {
			newest = st.Date
		}
		content, err := r.absoluteBody(st, charts)
		if err != nil {
			return err
		}
		it := rssItem{Title: r.title(st), Link: absURL(base, st.URL()), GUID: rssGUID{PermaLink: "true", ID: absURL(base, st.URL())},
			PubDate: st.Date.UTC().Format(time.RFC1123Z), Creator: r.site.Config.Title, Description: r.summary(st), Content: cdata{content},
			Category: st.Tags}
		f.Channel.Items = append(f.Channel.Items, it)
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Channel.LastBuildDate = newest.UTC().Format(time.RFC1123Z)
	for _, c := range charts.list {
		b, err := email.ChartPNG(c.spec, feedChartWidth, feedChartHeight)
		if err != nil {
			return err
		}
		if err := r.file(c.path, b); err != nil {
			return err
		}
	}
	return r.writeXML("index.xml", f)
}

// The size, in CSS pixels, of a chart in a feed.
const (
	feedChartWidth  = 720
	feedChartHeight = 360
)

// feedCharts collects the PNG charts the stories in a feed show.
type feedCharts struct {
	r    *renderer
	seen map[string]bool
	list []emailChart
}

func (c *feedCharts) add(m *model.Metric) string {
	file := "metrics/" + m.ID + "/chart.png"
	if !c.seen[m.ID] {
		c.seen[m.ID] = true
		vals, pers := seriesValues(m)
		spec := &chart.Spec{ID: "feed-" + m.ID, Kind: chart.Line, Title: takeaway(c.r.theme.Messages(), m), Subtitle: m.Name, Unit: m.Unit,
			Labels: c.r.labels(pers), Series: []chart.Series{{Name: m.Name, Values: vals}}, Target: m.Target, Accent: c.r.accent(), Format: c.r.format(m), Words: chartWords(c.r.theme.Messages())}
		if b, ok := m.BaselineValue(); ok && m.Baseline != nil {
			spec.Baseline = &b
		}
		c.list = append(c.list, emailChart{path: file, spec: spec})
	}
	return absURL(c.r.site.Config.BaseURL, "/"+file)
}

// feedFigures resolves a story's figures for a feed reader: values and
// links as on the web but absolute, charts as PNG images with their
// caption and data, sparklines as the latest value.
type feedFigures struct {
	*figures
	charts *feedCharts
}

func (f *feedFigures) ResolveFigure(ref markdown.FigureRef) (string, bool, error) {
	if strings.HasPrefix(ref.ID, "roi:") {
		// ROI figures link to their line in the story's table: on the
		// story's page, not in the reader.
		html, block, err := f.figures.ResolveFigure(ref)
		return strings.ReplaceAll(html, `href="#`, `href="`+esc(absURL(f.r.site.Config.BaseURL, f.st.URL()))+`#`), block, err
	}
	m := f.r.site.Metric(ref.ID)
	switch {
	case m == nil || len(m.Series) == 0:
	case ref.View == "chart":
		src := f.charts.add(m)
		href := absURL(f.r.site.Config.BaseURL, "/metrics/"+m.ID+"/")
		_, pers := seriesValues(m)
		return fmt.Sprintf(`<figure><a href="%s"><img src="%s" width="%d" height="%d" alt="%s"></a><figcaption><strong>%s.</strong> %s %s</figcaption></figure>`,
			esc(href), esc(src), feedChartWidth, feedChartHeight, esc(chartAlt(f.charts.r.theme.Messages(), m, pers)), esc(takeaway(f.charts.r.theme.Messages(), m)), esc(m.Name+"."), esc(caption(f.charts.r.theme.Messages(), m))), true, nil
	case ref.View == "sparkline":
		ref.View = ""
	}
	return f.figures.ResolveFigure(ref)
}

// absoluteBody converts a story's Markdown for a feed: every link and
// image absolute, no scripts, no SVG. Problems were reported when the
// story's page was built.
func (r *renderer) absoluteBody(st *model.Story, charts *feedCharts) (string, error) {
	base := r.site.Config.BaseURL
	f := &feedFigures{figures: &figures{r: r, st: st, root: base}, charts: charts}
	if st.ROI != nil {
		// The ROI figures the story's page computed.
		f.roi = r.bodies[st].roi
		f.roiFailed = f.roi == nil
	}
	out, _, err := r.md.Convert(st.Body, base, f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", st.Path, err)
	}
	return string(out), nil
}

// newsletterFeeds writes /newsletter/feed.xml (Atom) and
// /newsletter/feed.json (JSON Feed 1.1) with every published issue in full.
func (r *renderer) newsletterFeeds(issues []*issue) error {
	base := r.site.Config.BaseURL
	title := r.site.Config.Title + " newsletter"
	f := atomFeed{
		Title:  title,
		Link:   []atomLink{{Href: absURL(base, "/newsletter/feed.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: absURL(base, "/newsletter/"), Rel: "alternate", Type: "text/html"}},
		ID:     absURL(base, "/newsletter/"),
		Author: &atomPerson{Name: r.site.Config.Title},
	}
	jf := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: title, HomePageURL: absURL(base, "/newsletter/"),
		FeedURL: absURL(base, "/newsletter/feed.json"), Description: r.tr("feed_newsletter_description", "site", r.site.Config.Title),
		Language: r.site.Config.Language, Authors: []jsonAuthor{{Name: r.site.Config.Title, URL: absURL(base, "/")}}, Items: []jsonItem{}}
	var newest time.Time
	for _, is := range issues {
		mi := is.model
		if mi.Date.After(newest) {
			newest = mi.Date
		}
		content, err := email.Content(is.mail)
		if err != nil {
			return err
		}
		u := absURL(base, mi.URL())
		f.Entries = append(f.Entries, atomEntry{Title: mi.Subject, Link: atomLink{Href: u, Rel: "alternate", Type: "text/html"}, ID: u,
			Updated: rfc3339(mi.Date), Published: rfc3339(mi.Date), Summary: mi.Preheader, Content: &atomContent{Type: "html", Body: content}})
		jf.Items = append(jf.Items, jsonItem{ID: u, URL: u, Title: mi.Subject, Summary: mi.Preheader, ContentHTML: content,
			DatePublished: rfc3339(mi.Date)})
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Updated = rfc3339(newest)
	if err := r.writeXML("newsletter/feed.xml", f); err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jf); err != nil {
		return err
	}
	return r.file("newsletter/feed.json", b.Bytes())
}

// jsonFeed is a JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string `json:"id"`
	URL           string `json:"url"`
	Title         string `json:"title"`
	Summary       string `json:"summary,omitempty"`
	ContentHTML   string `json:"content_html"`
	DatePublished string `json:"date_published"`
}
