package render

import (
	"fmt"
	"strconv"
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

	t.svg = tileSVGBytes(t.W, t.H, t.Alt, r.accent(), lines)
	base := r.site.Config.BaseURL
	href := absURL(base, "/metrics/"+t.Metric.ID+"/")
	t.Snippet = string(tileSnippetBytes(nil, href, absURL(base, t.SVG), t.Alt, t.W, t.H))
	lang := r.site.Config.Language
	if lang == "" {
		lang = "en"
	}
	t.page = tilePageBytes(lang, t.Alt, t.Metric.Name, r.tr("kit_tile_page_nav"), r.site.Config.Title, absURL(base, "/"), href,
		r.tr("kit_tile_page_note", "site", r.site.Config.Title), t.Snippet)
}

// writeTile writes a tile's SVG and its preview page.
func (r *renderer) writeTile(t *tile) error {
	if err := r.file(strings.TrimPrefix(t.SVG, "/"), t.svg); err != nil {
		return fmt.Errorf("tile %s: %w", t.SVG, err)
	}
	return r.file(strings.TrimPrefix(t.HTML, "/"), t.page)
}

// The tiles' files are written by appending their text and values, each
// value escaped as html/template escapes it in that place (a text, an
// attribute, a URL in an attribute): 5,000 tiles on a site of 100 partners
// and 50 metrics, each an SVG, a snippet and a preview page, were 1.3 % of
// a build's CPU through html/template. TestTileBytesMatchTemplates checks
// the bytes against the templates they replace (kept in the test) for
// values with every character that needs escaping.

// tileSVGBytes is a tile's SVG. It is XML: its text and attribute values
// are escaped as HTML's, which XML reads the same. Nothing in it refers to
// another file, and its fonts are the reader's own.
func tileSVGBytes(w, h int, title, accent string, lines []tileLine) []byte {
	b := make([]byte, 0, 900+len(lines)*160)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" width="`...)
	b = strconv.AppendInt(b, int64(w), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, `" viewBox="0 0 `...)
	b = strconv.AppendInt(b, int64(w), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, `" role="img" aria-labelledby="tile-title">
<title id="tile-title">`...)
	b = appendEscaped(b, title)
	b = append(b, `</title>
<rect x="0.5" y="0.5" width="`...)
	b = strconv.AppendInt(b, int64(w-1), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(h-1), 10)
	b = append(b, `" rx="10" fill="#ffffff" stroke="#cfd8da"/>
<path d="M0.5 10.5a10 10 0 0 1 10-10H14v`...)
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, `H10.5a10 10 0 0 1-10-10Z" fill="`...)
	b = appendEscaped(b, accent)
	b = append(b, `"/>
<g font-family="`...)
	b = appendEscaped(b, tileFonts)
	b = append(b, `">`...)
	for _, l := range lines {
		b = append(b, "\n<text x=\""...)
		b = strconv.AppendInt(b, tileX, 10)
		b = append(b, `" y="`...)
		b = strconv.AppendInt(b, int64(l.Y), 10)
		b = append(b, `" font-size="`...)
		b = strconv.AppendInt(b, int64(l.Size), 10)
		b = append(b, `" font-weight="`...)
		b = appendEscaped(b, l.Weight)
		b = append(b, `" fill="`...)
		b = appendEscaped(b, l.Fill)
		b = append(b, `">`...)
		b = appendEscaped(b, l.Text)
		b = append(b, `</text>`...)
	}
	return append(b, "\n</g>\n</svg>\n"...)
}

// tileSnippetBytes appends the markup a partner pastes to b: a link around
// the tile's image, styled inline so that the host page's rules for links
// and images (borders, margins, underlines) leave it as it is.
func tileSnippetBytes(b []byte, href, src, alt string, w, h int) []byte {
	b = append(b, `<a href="`...)
	b = appendURLAttr(b, href)
	b = append(b, `" style="display:inline-block;max-width:100%;margin:0;padding:0;border:0;background:none;line-height:0;text-decoration:none"><img src="`...)
	b = appendURLAttr(b, src)
	b = append(b, `" alt="`...)
	b = appendEscaped(b, alt)
	b = append(b, `" width="`...)
	b = strconv.AppendInt(b, int64(w), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, `" loading="lazy" style="display:block;width:`...)
	b = strconv.AppendInt(b, int64(w), 10)
	return append(b, `px;max-width:100%;height:auto;margin:0;padding:0;border:0;background:none;box-shadow:none"></a>`...)
}

// tilePageBytes is the preview page of a tile: the snippet (markup, as
// is) under a heading, with links to the site and the metric, and no style
// or script of the site's, so that it shows the snippet as another site
// would.
func tilePageBytes(lang, title, heading, nav, site, home, metric, note, snippet string) []byte {
	b := make([]byte, 0, 700+len(snippet)+2*len(title))
	b = append(b, `<!DOCTYPE html>
<html lang="`...)
	b = appendEscaped(b, lang)
	b = append(b, `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>`...)
	b = appendEscaped(b, title)
	b = append(b, `</title>
</head>
<body>
<header><nav aria-label="`...)
	b = appendEscaped(b, nav)
	b = append(b, `"><a href="`...)
	b = appendURLAttr(b, home)
	b = append(b, `">`...)
	b = appendEscaped(b, site)
	b = append(b, `</a> · <a href="`...)
	b = appendURLAttr(b, metric)
	b = append(b, `">`...)
	b = appendEscaped(b, heading)
	b = append(b, `</a></nav></header>
<main>
<h1>`...)
	b = appendEscaped(b, heading)
	b = append(b, "</h1>\n"...)
	b = append(b, snippet...)
	b = append(b, `
</main>
<footer><p>`...)
	b = appendEscaped(b, note)
	return append(b, `</p></footer>
</body>
</html>
`...)
}

// appendEscaped appends s escaped as html/template escapes a string in
// text, in an RCDATA element such as title and in a quoted attribute: NUL
// becomes U+FFFD and " & ' + < > their references. These are all ASCII,
// so going byte by byte leaves every other character, and any byte that
// is not UTF-8, as it is, as html/template does.
func appendEscaped(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[written:i]...)
		b = append(b, repl...)
		written = i + 1
	}
	return append(b, s[written:]...)
}

// appendURLAttr appends s as html/template writes a URL that fills a
// quoted attribute: "#ZgotmplZ" when its scheme is other than http, https
// or mailto, else normalised (bytes that are not URL characters
// %-encoded, valid %-escapes kept) and escaped for the attribute.
func appendURLAttr(b []byte, s string) []byte {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return append(b, "#ZgotmplZ"...)
	}
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '&' || c == '+':
			// URL characters, escaped for the attribute.
			b = append(b, s[written:i]...)
			if c == '&' {
				b = append(b, "&amp;"...)
			} else {
				b = append(b, "&#43;"...)
			}
			written = i + 1
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		written = i + 1
	}
	return append(b, s[written:]...)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
