package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

// Embeddable tiles: an SVG that shows a metric's current figure, and an
// HTML snippet that a partner pastes on its own site: a link to the
// metric's page around the SVG as an image, with inline styles only. An
// image cannot reach the page around it (no script runs in it, its text
// and styles stay inside it), and an SVG shown by an img loads nothing
// else, so the snippet neither changes the host page nor makes a request
// beyond the image itself.

// tile is a tile with its files.
type tile struct {
	KitTile
	Alt  string
	W, H int
	svg  []byte
	page []byte
}

// The tiles' size and type, in SVG pixels. The text is measured with the
// cards' fonts, with a tenth of the width to spare for the reader's
// system font.
const (
	tileW     = 360
	tilePad   = 20
	tileX     = 28 // after the accent bar
	tileFonts = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif`
)

// tileLine is a line of a tile's text.
type tileLine struct {
	Y      int
	Size   int
	Weight string // "normal" or "bold"
	Fill   string
	Text   string
}

// headlineTile is the tile of a headline metric: its latest value.
func (r *renderer) headlineTile(m *model.Metric) *tile {
	return r.tileOnce("/tiles/"+m.ID+".svg", func() *tile { return r.drawHeadlineTile(m) })
}

// tileOnce returns the tile at svg, drawn by draw the first time it is
// asked for: a tile is drawn once for its job and for every kit showing it.
func (r *renderer) tileOnce(svg string, draw func() *tile) *tile {
	if t, ok := r.tiles.Load(svg); ok {
		return t.(*tile)
	}
	t, _ := r.tiles.LoadOrStore(svg, draw())
	return t.(*tile)
}

func (r *renderer) drawHeadlineTile(m *model.Metric) *tile {
	latest, _ := m.Latest()
	value := model.FormatValue(latest.Value, m.Unit)
	per := r.period(latest.Period)
	t := &tile{KitTile: KitTile{Metric: m, Title: m.Name, SVG: "/tiles/" + m.ID + ".svg", HTML: "/tiles/" + m.ID + ".html"}}
	t.Alt = r.tr("kit_tile_alt", "metric", m.Name, "value", value, "period", per, "site", r.site.Config.Title)
	r.drawTile(t, value, per)
	return t
}

// partnerTile is the tile of p's part of m: its latest value, out of the
// metric's total for that period when values add up.
func (r *renderer) partnerTile(p *model.Partner, m *model.Metric) *tile {
	return r.tileOnce("/partners/"+p.ID+"/kit/tiles/"+m.ID+".svg", func() *tile { return r.drawPartnerTile(p, m) })
}

func (r *renderer) drawPartnerTile(p *model.Partner, m *model.Metric) *tile {
	pts := m.ByPartner[p.ID]
	last := pts[len(pts)-1]
	value := model.FormatValue(last.Value, m.Unit)
	part := value
	if model.Additive(m.Unit) {
		for _, q := range m.Series {
			if q.Period == last.Period && q.Value >= last.Value && q.Value > 0 {
				part = r.theme.Messages().String(model.OfTotalMessage(last.Value, q.Value, m.Unit))
			}
		}
	}
	line := r.tr("kit_tile_partner", "partner", p.Name, "value", part, "period", r.period(last.Period))
	base := "/partners/" + p.ID + "/kit/tiles/" + m.ID
	t := &tile{KitTile: KitTile{Metric: m, Partner: p, Title: m.Name, SVG: base + ".svg", HTML: base + ".html"}}
	t.Alt = r.tr("kit_tile_partner_alt", "metric", m.Name, "line", line, "site", r.site.Config.Title)
	r.drawTile(t, value, line)
	return t
}

// drawTile lays out and writes t's SVG, snippet and preview page: the
// metric's name, the figure large in the accent colour, the detail (the
// period, or the partner's part) and the site's name.
func (r *renderer) drawTile(t *tile, figure, detail string) {
	width := (tileW - tileX - tilePad) * 9 / 10
	var lines []tileLine
	y := tilePad + 12
	for _, l := range card.Wrap("medium", 15, t.Metric.Name, width, 2) {
		lines = append(lines, tileLine{Y: y, Size: 15, Weight: "600", Fill: "#1c2326", Text: l})
		y += 20
	}
	size := 26
	for _, s := range []int{44, 38, 32, 26} {
		if card.Measure("bold", float64(s), figure) <= width {
			size = s
			break
		}
	}
	y += size*8/10 + 4
	fig := card.Wrap("bold", float64(size), figure, width, 1)
	lines = append(lines, tileLine{Y: y, Size: size, Weight: "700", Fill: r.accent(), Text: fig[0]})
	y += 24
	for _, l := range card.Wrap("regular", 14, detail, width, 2) {
		lines = append(lines, tileLine{Y: y, Size: 14, Weight: "400", Fill: "#4a5559", Text: l})
		y += 19
	}
	y += 10
	lines = append(lines, tileLine{Y: y, Size: 12, Weight: "400", Fill: "#4a5559", Text: card.Wrap("regular", 12, r.site.Config.Title, width, 1)[0]})
	t.W, t.H = tileW, y+tilePad-4

	var b bytes.Buffer
	if err := tileSVG.Execute(&b, struct {
		W, H   int
		W1, H1 int
		Title  string
		Accent string
		Fonts  string
		Lines  []tileLine
		X      int
	}{t.W, t.H, t.W - 1, t.H - 1, t.Alt, r.accent(), tileFonts, lines, tileX}); err != nil {
		panic(err) // the template and its data are ours
	}
	t.svg = b.Bytes()

	base := r.site.Config.BaseURL
	href := absURL(base, "/metrics/"+t.Metric.ID+"/")
	var s bytes.Buffer
	if err := tileSnippet.Execute(&s, struct {
		Href, Src, Alt string
		W, H           int
	}{href, absURL(base, t.SVG), t.Alt, t.W, t.H}); err != nil {
		panic(err)
	}
	t.Snippet = s.String()
	var pg bytes.Buffer
	lang := r.site.Config.Language
	if lang == "" {
		lang = "en"
	}
	if err := tilePage.Execute(&pg, struct {
		Lang, Title, Heading, Nav, Site, Home, Metric, Note string
		Snippet                                             template.HTML
	}{lang, t.Alt, t.Metric.Name, r.tr("kit_tile_page_nav"), r.site.Config.Title, absURL(base, "/"), href,
		r.tr("kit_tile_page_note", "site", r.site.Config.Title), template.HTML(t.Snippet)}); err != nil {
		panic(err)
	}
	t.page = pg.Bytes()
}

// writeTile writes a tile's SVG and its preview page.
func (r *renderer) writeTile(t *tile) error {
	if err := r.file(strings.TrimPrefix(t.SVG, "/"), t.svg); err != nil {
		return fmt.Errorf("tile %s: %w", t.SVG, err)
	}
	return r.file(strings.TrimPrefix(t.HTML, "/"), t.page)
}

// tileSVG is a tile's SVG. It is XML: html/template escapes its text and
// attribute values as it does HTML's, which XML reads the same. Nothing
// in it refers to another file, and its fonts are the reader's own.
var tileSVG = template.Must(template.New("tile").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}" role="img" aria-labelledby="tile-title">
<title id="tile-title">{{.Title}}</title>
<rect x="0.5" y="0.5" width="{{.W1}}" height="{{.H1}}" rx="10" fill="#ffffff" stroke="#cfd8da"/>
<path d="M0.5 10.5a10 10 0 0 1 10-10H14v{{.H}}H10.5a10 10 0 0 1-10-10Z" fill="{{.Accent}}"/>
<g font-family="{{.Fonts}}">
{{- range .Lines}}
<text x="{{$.X}}" y="{{.Y}}" font-size="{{.Size}}" font-weight="{{.Weight}}" fill="{{.Fill}}">{{.Text}}</text>
{{- end}}
</g>
</svg>
`))

// tileSnippet is the markup a partner pastes: a link around the tile's
// image, styled inline so that the host page's rules for links and
// images (borders, margins, underlines) leave it as it is.
var tileSnippet = template.Must(template.New("snippet").Parse(`<a href="{{.Href}}" style="display:inline-block;max-width:100%;margin:0;padding:0;border:0;background:none;line-height:0;text-decoration:none"><img src="{{.Src}}" alt="{{.Alt}}" width="{{.W}}" height="{{.H}}" loading="lazy" style="display:block;width:{{.W}}px;max-width:100%;height:auto;margin:0;padding:0;border:0;background:none;box-shadow:none"></a>`))

// tilePage is the preview page of a tile: the snippet under a heading,
// with links to the site and the metric, and no style or script of the
// site's, so that it shows the snippet as another site would.
var tilePage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
</head>
<body>
<header><nav aria-label="{{.Nav}}"><a href="{{.Home}}">{{.Site}}</a> · <a href="{{.Metric}}">{{.Heading}}</a></nav></header>
<main>
<h1>{{.Heading}}</h1>
{{.Snippet}}
</main>
<footer><p>{{.Note}}</p></footer>
</body>
</html>
`))
