package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

// BriefingPath is the briefing's address: short, and stable across builds.
const BriefingPath = "/briefing/"

// briefingCard is the briefing's social card, beside its page.
const briefingCard = BriefingPath + "card.png"

// BriefingView is the executive briefing: a title, a date, six charts.
type BriefingView struct {
	Title string
	// TitleHTML is Title with each figure a link to its metric.
	TitleHTML template.HTML
	Date      string // "20 November 2026", or "" when the briefing has no date
	ISODate   string
	AsOf      string // the latest period the charts draw, as people say it
	Charts    []*BriefingChartView
	// Groups holds the charts three by three: a row of the desktop grid,
	// and a printed page.
	Groups [][]*BriefingChartView
	Card   string // site path of the social card
}

// BriefingChartView is one chart of the briefing: its takeaway as title,
// the metric and periods as subtitle, the chart, and a text alternative
// with the key figures and the data table.
type BriefingChartView struct {
	N int // 1 to 6, for the chart's anchor (#chart-3)
	*ChartView
}

// BriefingPage is what the briefing layout receives: a Page with the
// briefing beside it.
type BriefingPage struct {
	*Page
	Briefing *BriefingView
}

// briefingJobs adds the jobs that render the executive briefing.
func (r *renderer) briefingJobs(add addJob) {
	if r.site.Briefing == nil {
		return
	}
	add("briefing#1", r.briefing)
	add("briefing#2", r.briefingCard)
}

// briefingTitle is the briefing's title, or one made from the site's.
func (r *renderer) briefingTitle() frontText {
	if r.site.Briefing.Title != "" && r.brief != nil {
		return r.brief.title
	}
	if t := r.site.Briefing.Title; t != "" {
		return plainFront(t)
	}
	return plainFront(r.tr("briefing_title", "site", r.site.Config.Title))
}

// takeaway is a briefing chart's takeaway, its figures resolved, as text.
func (r *renderer) takeaway(i int, c *model.BriefingChart) string {
	if r.brief != nil && i < len(r.brief.takeaways) {
		return r.brief.takeaways[i].Text
	}
	return c.Takeaway
}

func (r *renderer) briefing() error {
	b := r.site.Briefing
	t := r.briefingTitle()
	v := &BriefingView{Title: t.Text, TitleHTML: t.HTML, Date: r.date(b.Date), Card: briefingCard}
	if !b.Date.IsZero() {
		v.ISODate = b.Date.Format("2006-01-02")
	}
	var asOf model.Period
	for i, c := range b.Charts {
		cv, err := r.briefingChart(i+1, c)
		if err != nil {
			return err
		}
		v.Charts = append(v.Charts, &BriefingChartView{N: i + 1, ChartView: cv})
		if !c.To.IsZero() && (asOf.IsZero() || asOf.Before(c.To)) {
			asOf = c.To
		}
	}
	if !asOf.IsZero() {
		v.AsOf = r.period(asOf)
	}
	for i := 0; i < len(v.Charts); i += 3 {
		v.Groups = append(v.Groups, v.Charts[i:min(i+3, len(v.Charts))])
	}
	var desc []string
	for i, c := range b.Charts {
		if i == 2 {
			break
		}
		desc = append(desc, r.takeaway(i, c))
	}
	description := ""
	for i, d := range desc {
		if i == 0 {
			description = d
		} else {
			description = r.tr("sentence_then", "text", description, "next", d)
		}
	}
	p := &Page{Title: v.Title, Description: description, Path: BriefingPath, Section: "briefing",
		Image: briefingCard, ImageAlt: v.Title, Charts: true}
	p.Site = r.data
	out, err := r.theme.execute("briefing", &BriefingPage{Page: p, Briefing: v})
	if err != nil {
		return err
	}
	r.pages.Add(1)
	r.files.Add(1)
	return r.sink.File(outPath(p.Path), out)
}

func (r *renderer) briefingCard() error {
	b := r.site.Briefing
	date := r.date(b.Date)
	if date == "" && !r.site.LatestPeriod.IsZero() {
		date = r.tr("briefing_card_figures_to", "period", r.period(r.site.LatestPeriod))
	}
	png, err := card.PNG(card.Card{
		Kicker: r.site.Config.Title,
		Title:  r.briefingTitle().Text,
		Date:   date,
		Accent: r.accent(),
	})
	if err != nil {
		return fmt.Errorf("briefing card: %w", err)
	}
	return r.file(strings.TrimPrefix(briefingCard, "/"), png)
}
