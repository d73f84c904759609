package render

import (
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// KitView is one partner's share kit (/partners/<id>/kit/): its stories
// with texts ready to post, the figures it can quote and the tiles it can
// put on its own website.
type KitView struct {
	Partner *model.Partner
	Hashtag string // with its #; "" for none
	Stories []KitStory
	// Older counts the partner's stories past the newest share.kit_stories,
	// which the kit leaves to the partner's page.
	Older  int
	Quotes []KitQuote
	Tiles  []KitTile
}

// KitStory is one story of a kit.
type KitStory struct {
	Card  *StoryCard
	URL   string // the story's address, absolute when the site has a base_url
	Texts []KitText
	Cards []KitCard
}

// KitText is a story's text for one network.
type KitText struct {
	ID      string // the element id of its text box
	Network string // Network.ID
	Label   string // the network's name, in the site's language
	Note    string // how the network counts a post, in the site's language
	Text    string
	Length  int // as the network counts it
	Max     int
	Rows    int // lines of the text box
}

// KitQuote is a figure a partner can quote: a sentence made from the data,
// its source and the period of the data.
type KitQuote struct {
	ID     string // the element id of its text box
	Metric *model.Metric
	Text   string
	Source string
	Period string
}

// KitPath is the address of partner id's kit.
func KitPath(id string) string { return "/partners/" + id + "/kit/" }

// kitStories are the stories in p's kit: the published stories and
// spotlights that name it, newest first. A held story is in no kit, not
// even as a preview in a --drafts build: a kit is made to be copied out of
// the site.
func (r *renderer) kitStories(p *model.Partner) []*model.Story {
	if r.kitBy != nil {
		return r.kitBy[p.ID]
	}
	return r.kitStoriesNow(p)
}

// indexKits records the stories of every partner's kit (kitBy), in one
// pass over the stories: asked for each partner by its kit page, its kit
// cards and its tiles, a scan of every story each time was 3.5 % of a
// 10,000-story build. convertAll and Update call it, before any job runs.
//
// It records the stories each partner's page lists (partnerBy) in the same
// pass: a scan of every story for each partner page was 1.6 % of a warm
// 10,000-story today build.
func (r *renderer) indexKits() {
	r.kitBy = map[string][]*model.Story{}
	r.partnerBy = map[string][]*model.Story{}
	for _, st := range r.site.Stories { // newest first, as StoriesNaming
		if st.Preview {
			continue
		}
		kit := st.Published()
		for _, id := range st.NamedPartners() {
			if l := r.partnerBy[id]; len(l) == 0 || l[len(l)-1] != st {
				r.partnerBy[id] = append(l, st)
			}
			if !kit {
				continue
			}
			if l := r.kitBy[id]; len(l) == 0 || l[len(l)-1] != st {
				r.kitBy[id] = append(l, st)
			}
		}
	}
}

// partnerStories are the stories p's page lists: the shown stories that
// name it, newest first, previews left out (StoriesNaming's, from the
// index when there is one).
func (r *renderer) partnerStories(p *model.Partner) []*model.Story {
	if r.partnerBy != nil {
		return r.partnerBy[p.ID]
	}
	var out []*model.Story
	for _, st := range r.site.StoriesNaming(p.ID) {
		if !st.Preview {
			out = append(out, st)
		}
	}
	return out
}

// kitStoriesNow is kitStories worked out from the site's stories as they
// are, without the index (which an edit not yet rendered leaves behind).
func (r *renderer) kitStoriesNow(p *model.Partner) []*model.Story {
	var out []*model.Story
	for _, st := range r.site.StoriesNaming(p.ID) { // newest first
		if st.Preview || !st.Published() {
			continue
		}
		out = append(out, st)
	}
	return out
}

// networkLabels and networkNotes name each network and say how it counts.
var (
	networkLabels = map[string]i18n.Message{
		"x":             i18n.M("kit_net_x"),
		"bluesky":       i18n.M("kit_net_bluesky"),
		"mastodon":      i18n.M("kit_net_mastodon"),
		"linkedin":      i18n.M("kit_net_linkedin"),
		"linkedin_long": i18n.M("kit_net_linkedin_long"),
		"whatsapp":      i18n.M("kit_net_whatsapp"),
	}
	networkNotes = map[string]i18n.Message{
		"x":             i18n.M("kit_count_x"),
		"bluesky":       i18n.M("kit_count_bluesky"),
		"mastodon":      i18n.M("kit_count_mastodon"),
		"linkedin":      i18n.M("kit_count_linkedin"),
		"linkedin_long": i18n.M("kit_count_linkedin"),
		"whatsapp":      i18n.M("kit_count_whatsapp"),
	}
)

// kitTexts writes a story's texts for every network.
func (r *renderer) kitTexts(p *model.Partner, st *model.Story, link string) []KitText {
	msgs := r.theme.Messages()
	fr := r.front(st)
	post := Post{Title: fr.title.Text, Summary: fr.summary.Text, Key: r.keyFigure(st), Partner: p.Name, Handles: p.Handles,
		Gives: p.Gives, Hashtag: r.site.Config.Share.Hashtag, Link: link}
	var out []KitText
	for _, n := range Networks {
		text := PostText(msgs, n, post)
		rows := 1
		for _, c := range text {
			if c == '\n' {
				rows++
			}
		}
		rows += utf8.RuneCountInString(text) / 40
		out = append(out, KitText{ID: "kit-" + st.Slug + "-" + n.ID, Network: n.ID, Label: msgs.String(networkLabels[n.ID]),
			Note: msgs.String(networkNotes[n.ID]), Text: text, Length: n.Count(text), Max: n.Max, Rows: min(max(rows, 3), 16)})
	}
	return out
}

// kitQuotes writes the figures p can quote: for each metric it reports to,
// its latest value and the total of that period, through the figures
// engine ({{m by p @period}}, {{m total @period}}).
func (r *renderer) kitQuotes(p *model.Partner) []KitQuote {
	var out []KitQuote
	f := &figures{r: r, root: "/"}
	for _, m := range r.site.Metrics {
		series := m.ByPartner[p.ID]
		if len(series) == 0 {
			continue
		}
		last := series[0]
		for _, pt := range series {
			if last.Period.Before(pt.Period) {
				last = pt
			}
		}
		per := last.Period.String()
		mine, err := f.spanValue(m, markdown.FigureRef{ID: m.ID, View: "by", Args: []string{p.ID}, Period: per})
		if err != nil {
			continue
		}
		q := KitQuote{ID: "kit-quote-" + m.ID, Metric: m, Source: m.Source, Period: r.period(last.Period)}
		total, err := f.spanValue(m, markdown.FigureRef{ID: m.ID, View: "total", Period: per})
		switch {
		case err != nil:
			q.Text = r.tr("kit_quote_alone", "partner", p.Name, "value", mine.Text, "period", q.Period, "metric", m.Name)
		case model.Additive(m.Unit):
			q.Text = r.tr("kit_quote_part", "partner", p.Name, "value", mine.Text, "total", total.Text, "period", q.Period, "metric", m.Name)
		default:
			q.Text = r.tr("kit_quote_rate", "partner", p.Name, "value", mine.Text, "total", total.Text, "period", q.Period, "metric", m.Name)
		}
		out = append(out, q)
	}
	return out
}

// kit renders p's share kit.
func (r *renderer) kit(p *model.Partner) error {
	v := &KitView{Partner: p, Quotes: r.kitQuotes(p), Tiles: r.kitTiles(p)}
	if h := r.site.Config.Share.Hashtag; h != "" {
		v.Hashtag = "#" + h
	}
	stories := r.kitStories(p)
	if n := r.site.Config.Share.KitStories; n > 0 && len(stories) > n {
		v.Older, stories = len(stories)-n, stories[:n]
	}
	for _, st := range stories {
		link := absURL(r.site.Config.BaseURL, st.URL())
		v.Stories = append(v.Stories, KitStory{Card: r.card(st), URL: link, Texts: r.kitTexts(p, st, link), Cards: r.kitCards(p, st)})
	}
	r.kits.Add(1)
	return r.page("kit", &Page{Title: r.tr("kit_title", "partner", p.Name), Description: r.tr("kit_description", "partner", p.Name),
		Path: KitPath(p.ID), Section: "partners", NoIndex: true, Kit: v})
}
