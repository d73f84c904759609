package render

import (
	"github.com/drumbeat/drumbeat/generator/model"
)

// Home is the home page.
type Home struct {
	Headline  []MetricTile
	Latest    []*StoryCard
	Spotlight *SpotlightView // the partner recognised now, if any
	Partners  []*model.Partner
}

// SpotlightView recognises one partner: who they are and their latest
// spotlight story, if they have one.
type SpotlightView struct {
	Partner *model.Partner
	Role    *model.Role
	Story   *StoryCard // may be nil
	Chosen  bool       // picked by hand in site.yaml rather than by the rotation
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
			h.Headline = append(h.Headline, tileIn(r.theme.Messages(), r.site, m))
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

func (r *renderer) notFound() error {
	return r.page("404", &Page{Title: r.tr("notfound_title"), Path: "/404.html", RootRelative: true})
}
