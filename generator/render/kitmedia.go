package render

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/drumbeat/drumbeat/generator/images"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

// The media of a partner's share kit (issue #22): for the partner's newest
// kit stories, cards in the sizes the networks use, and embeddable tiles
// (an SVG and an HTML snippet) for the site's headline metrics and for
// each metric the partner contributes to. The kit page (/partners/<id>/kit/)
// lists them through kitCards and kitTiles.

// KitCard is one downloadable social card of a story in a partner's kit.
type KitCard struct {
	URL    string // site-absolute path, e.g. /partners/kestrel-pharmacy/kit/<story-slug>-1080x1080.png
	Width  int
	Height int
	Label  string // what it is for, in the site's language, e.g. "Links (1200 × 630)"
	Alt    string // alt text to paste with the image
}

// KitTile is an embeddable tile: an SVG image and an HTML snippet that shows it.
type KitTile struct {
	Metric  *model.Metric
	Partner *model.Partner // nil for a headline metric's tile; the partner for its contribution's tile
	Title   string         // e.g. "Children fully immunised by age 2"
	SVG     string         // site-absolute path of the SVG, e.g. /tiles/coverage_2y.svg
	HTML    string         // site-absolute path of a page holding only the snippet, e.g. /tiles/coverage_2y.html
	Snippet string         // the snippet's markup, to copy (absolute URLs from base_url)
}

// kitCardLimit is how many of a partner's newest kit stories have cards
// (share.kit_cards in site.yaml; the loader fills in its default).
func (r *renderer) kitCardLimit() int { return r.site.Config.Share.KitCards }

// kitIndex keeps, per partner, the stories that have kit cards: the kit
// page asks for each of its stories. Update clears it.
type kitIndex struct {
	mu     sync.Mutex
	carded map[string]map[*model.Story]bool
}

// forget drops what the index holds of the partners.
func (k *kitIndex) forget(partners []string) {
	k.mu.Lock()
	for _, id := range partners {
		delete(k.carded, id)
	}
	k.mu.Unlock()
}

// kitCardedNow works out the stories of p's kit that have cards from the
// site as it is, without the indexes.
func (r *renderer) kitCardedNow(p *model.Partner) map[*model.Story]bool {
	return r.kitCardedOf(r.kitStoriesNow(p))
}

// kitCardedOf returns the newest kitCardLimit() of a kit's stories.
func (r *renderer) kitCardedOf(stories []*model.Story) map[*model.Story]bool {
	m := map[*model.Story]bool{}
	for _, st := range stories {
		if len(m) == r.kitCardLimit() {
			break
		}
		m[st] = true
	}
	return m
}

// KitCardsDrop reports whether edits, already made to the site's stories
// (Edit.Before holds them as they were), take a story off the cards of a
// partner's kit: the story leaves the partner's stories or becomes a
// preview, or a newer one pushes it out. An incremental render would
// leave its card files behind, so the caller renders the whole site.
func (p *Prepared) KitCardsDrop(edits []Edit) bool {
	r := p.r
	for _, e := range edits {
		for _, id := range append(e.Before.NamedPartners(), e.Story.NamedPartners()...) {
			pt := r.site.Partner(id)
			if pt == nil {
				continue
			}
			r.kitIdx.mu.Lock()
			before, known := r.kitIdx.carded[id]
			r.kitIdx.mu.Unlock()
			if !known {
				return true // not worked out before the edit: cannot tell
			}
			after := r.kitCardedNow(pt)
			for st := range before {
				if !after[st] {
					return true
				}
			}
		}
	}
	return false
}

// kitCarded returns the stories of p's kit that have cards.
func (r *renderer) kitCarded(p *model.Partner) map[*model.Story]bool {
	k := &r.kitIdx
	k.mu.Lock()
	defer k.mu.Unlock()
	if m, ok := k.carded[p.ID]; ok {
		return m
	}
	m := r.kitCardedOf(r.kitStories(p))
	if k.carded == nil {
		k.carded = map[string]map[*model.Story]bool{}
	}
	k.carded[p.ID] = m
	return m
}

// kitCardPath is the address of st's kit card of size s in p's kit.
func kitCardPath(p *model.Partner, st *model.Story, s card.Size) string {
	return fmt.Sprintf("/partners/%s/kit/%s-%dx%d.png", p.ID, st.Slug, s.W, s.H)
}

// kitCards returns the cards of st in p's kit, in the order 1200×630, 1080×1080, 1080×1350;
// nil when st has none (only the partner's newest r.kitCardLimit() kit stories have cards).
func (r *renderer) kitCards(p *model.Partner, st *model.Story) []KitCard {
	if p == nil || st == nil || !r.kitCarded(p)[st] {
		return nil
	}
	alt := r.kitCardAlt(p, st, r.keyFigure(st))
	out := make([]KitCard, len(card.KitSizes))
	for i, s := range card.KitSizes {
		w, h := strconv.Itoa(s.W), strconv.Itoa(s.H) // as written, without a thousands separator
		label := ""
		switch i {
		case 0:
			label = r.tr("kit_card_links", "width", w, "height", h)
		case 1:
			label = r.tr("kit_card_square", "width", w, "height", h)
		default:
			label = r.tr("kit_card_portrait", "width", w, "height", h)
		}
		out[i] = KitCard{URL: kitCardPath(p, st, s), Width: s.W, Height: s.H, Label: label, Alt: alt}
	}
	return out
}

// kitCardAlt is the alt text of st's kit cards: what they say (the title,
// the figure with its caption) and whose logos they show.
func (r *renderer) kitCardAlt(p *model.Partner, st *model.Story, key *model.Figure) string {
	text := r.front(st).title.Text
	if key != nil {
		text = r.tr("card_alt_figure", "text", text, "figure", r.tr("label_detail", "label", captionText(r.theme.Messages(), *key), "detail", key.Value))
	}
	return r.tr("kit_card_alt", "text", text, "partner", p.Name, "site", r.site.Config.Title)
}

// kitCardText is what st's kit cards in p's kit show: the story card's
// text (the same key figure, live from the data), the partner's name and
// the partnership's.
func (r *renderer) kitCardText(p *model.Partner, st *model.Story) card.Kit {
	c := r.storyCardText(st, r.keyFigure(st))
	c.Kicker = "" // the logos say whose card it is
	return card.Kit{Card: c, Partner: p.Name, Site: r.site.Config.Title}
}

// kitMediaJobs adds the jobs of the kits' cards (one per partner) and
// tiles (one per tile).
func (r *renderer) kitMediaJobs(add addJob) {
	for _, m := range r.headlineMetrics() {
		m := m
		add("/tiles/"+m.ID+".svg", func() error { return r.writeTile(r.headlineTile(m)) })
	}
	for _, p := range r.site.Partners {
		p := p
		add(kitCardsKey(p.ID), func() error { return r.kitCardFiles(p) })
		for _, m := range r.contributedMetrics(p) {
			m := m
			add("/partners/"+p.ID+"/kit/tiles/"+m.ID+".svg", func() error { return r.writeTile(r.partnerTile(p, m)) })
		}
	}
}

// kitCardsKey is the key of the job that draws a partner's kit cards.
func kitCardsKey(partner string) string { return "kitcards#" + partner }

// kitCardFiles draws and writes the cards of p's kit. A card is kept in
// the image cache by all that it shows, so a rebuild draws none again.
func (r *renderer) kitCardFiles(p *model.Partner) error {
	carded := r.kitCarded(p)
	if len(carded) == 0 {
		return nil
	}
	var set *media.Set
	if r.data != nil {
		set = r.data.media
	}
	proc := set.Processor()
	var plogo, mark *media.Logo
	if set != nil {
		plogo, mark = set.Logo(p.ID), set.Mark()
	}
	// The logos, decoded once for the partner's cards, when a card is
	// drawn at all.
	var once sync.Once
	var drawn *card.Logos
	logos := func() *card.Logos {
		once.Do(func() {
			drawn = &card.Logos{}
			if plogo != nil {
				drawn.Partner, _ = images.Decode(plogo.Output, proc.FS())
			}
			if mark != nil {
				drawn.Site, _ = images.Decode(mark.Output, proc.FS())
			}
		})
		return drawn
	}
	hash := func(l *media.Logo) string {
		if l == nil {
			return ""
		}
		return l.Output.Hash
	}
	for _, st := range r.kitStories(p) {
		if !carded[st] {
			continue
		}
		k := r.kitCardText(p, st)
		for _, s := range card.KitSizes {
			rel := strings.TrimPrefix(kitCardPath(p, st, s), "/")
			if proc == nil {
				b, _, err := card.KitPNG(k, s, nil)
				if err != nil {
					return fmt.Errorf("kit card of %s for %s: %w", st.Path, p.ID, err)
				}
				if err := r.file(rel, b); err != nil {
					return err
				}
				continue
			}
			key, _ := json.Marshal(struct {
				Kit        card.Kit
				Size       card.Size
				Logo, Mark string
				V          int
			}{k, s, hash(plogo), hash(mark), card.KitVersion})
			out, err := proc.Derive("kitcard\x00"+string(key), "png", func() ([]byte, error) {
				b, _, err := card.KitPNG(k, s, logos())
				return b, err
			})
			if err != nil {
				return fmt.Errorf("kit card of %s for %s: %w", st.Path, p.ID, err)
			}
			r.files.Add(1)
			if out.Data != nil || proc.FS() == nil {
				if err := r.sink.File(rel, out.Data); err != nil {
					return err
				}
				continue
			}
			if err := r.sink.Copy(rel, proc.FS(), out.File); err != nil {
				return err
			}
		}
	}
	return nil
}

// headlineMetrics are the metrics the home page leads with
// (home.headline_metrics, or the first four), that have a value.
func (r *renderer) headlineMetrics() []*model.Metric {
	ids := r.site.Config.Home.HeadlineMetrics
	if len(ids) == 0 {
		for i, m := range r.site.Metrics {
			if i == 4 {
				break
			}
			ids = append(ids, m.ID)
		}
	}
	var out []*model.Metric
	for _, id := range ids {
		if m := r.site.Metric(id); m != nil {
			if _, ok := m.Latest(); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// contributedMetrics are the metrics p has values of.
func (r *renderer) contributedMetrics(p *model.Partner) []*model.Metric {
	var out []*model.Metric
	for _, m := range r.site.Metrics {
		if pts := m.ByPartner[p.ID]; len(pts) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// kitTiles returns the tiles a partner's kit offers: the site's headline metrics'
// (home.headline_metrics in site.yaml) and one per metric p contributes to (m.ByPartner[p.ID]).
func (r *renderer) kitTiles(p *model.Partner) []KitTile {
	var out []KitTile
	for _, m := range r.headlineMetrics() {
		out = append(out, r.headlineTile(m).KitTile)
	}
	if p == nil {
		return out
	}
	for _, m := range r.contributedMetrics(p) {
		out = append(out, r.partnerTile(p, m).KitTile)
	}
	return out
}
