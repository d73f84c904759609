package render

import "github.com/drumbeat/drumbeat/generator/model"

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

// kitCards returns the cards of st in p's kit, in the order 1200×630, 1080×1080, 1080×1350;
// nil when st has none (only the partner's newest r.kitCardLimit() kit stories have cards).
// A stub: the kit-media branch declares the real one.
func (r *renderer) kitCards(p *model.Partner, st *model.Story) []KitCard { return nil }

// kitTiles returns the tiles a partner's kit offers: the site's headline metrics'
// (home.headline_metrics in site.yaml) and one per metric p contributes to (m.ByPartner[p.ID]).
// A stub: the kit-media branch declares the real one.
func (r *renderer) kitTiles(p *model.Partner) []KitTile { return nil }
