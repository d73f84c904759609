package images

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// maxSVG bounds the size of an SVG this package draws.
const maxSVG = 1 << 20

var (
	svgHref   = regexp.MustCompile(`(?i)(?:xlink:)?href\s*=\s*["']\s*([^"']*)["']`)
	svgURL    = regexp.MustCompile(`(?i)url\(\s*["']?\s*([^)"']*)`)
	svgEntity = regexp.MustCompile(`(?i)<!ENTITY`)
	svgImport = regexp.MustCompile(`(?i)@import`)
)

// svgExternal is the first reference in an SVG to anything outside it (a
// link, a file, a stylesheet), "" when it has none. References within the
// file (#id) and data: URLs are its own.
func svgExternal(data []byte) string {
	if svgEntity.Match(data) {
		return "<!ENTITY"
	}
	if svgImport.Match(data) {
		return "@import"
	}
	for _, re := range []*regexp.Regexp{svgHref, svgURL} {
		for _, m := range re.FindAllSubmatch(data, -1) {
			ref := strings.TrimSpace(string(m[1]))
			if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(strings.ToLower(ref), "data:") {
				continue
			}
			return ref
		}
	}
	return ""
}

// svgRefused is the *Error for an SVG this package does not draw: over
// 1 MB, not an SVG, or referring to anything outside itself.
func svgRefused(data []byte) error {
	if len(data) > maxSVG {
		return &Error{Msg: fmt.Sprintf("is an SVG of %s, more than the limit of 1 MB", byteSize(int64(len(data)))), Hint: "simplify it (an editor's \"optimise\" or \"save as plain SVG\"), or export it as PNG"}
	}
	if !sniffSVG(data) {
		return &Error{Msg: "is not an SVG image (it does not start with <svg)", Hint: "export it again as SVG, or as PNG"}
	}
	if ref := svgExternal(data); ref != "" {
		return &Error{Msg: fmt.Sprintf("is an SVG that refers to something outside it (%s), which is never fetched", ref), Hint: "embed what it shows in the SVG itself, or export it as PNG"}
	}
	return nil
}

// RasterizeSVG draws an SVG (a partner's logo) into a width × height image
// with a transparent background, keeping its aspect ratio and centring it.
//
// Shapes are drawn by github.com/srwiley/oksvg and rasterx (pure Go,
// paths, basic shapes, strokes, gradients, transforms); oksvg does not draw
// text, and most logos are a mark and a name in <text>, so this package
// draws each <text> itself, on top of the shapes, with the Go fonts
// (regular, medium or bold by font-weight; the same on every machine, so
// the output does not depend on the fonts installed). Text positions honour
// x, y, text-anchor, font-size, fill and opacity, and translate() on the
// text or its groups; other transforms of text are not applied. An SVG that
// refers to anything outside itself (a linked image, a stylesheet, an
// entity) or is larger than 1 MB is refused, and nothing is ever fetched.
func RasterizeSVG(data []byte, width, height int) (m *image.NRGBA, err error) {
	if err := svgRefused(data); err != nil {
		return nil, err
	}
	if width <= 0 || height <= 0 || int64(width)*int64(height) > DefaultMaxPixels {
		return nil, fmt.Errorf("images: RasterizeSVG: size %d × %d", width, height)
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, &Error{Msg: fmt.Sprintf("is an SVG that could not be drawn (%v)", r), Hint: "open it in an editor and save it again as plain SVG, or export it as PNG"}
		}
	}()
	icon, err := oksvg.ReadIconStream(bytes.NewReader(fixRects(data)), oksvg.IgnoreErrorMode)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("is an SVG that could not be read (%v)", err), Hint: "open it in an editor and save it again as plain SVG, or export it as PNG"}
	}
	vb := icon.ViewBox
	if !(vb.W > 0 && vb.H > 0) {
		w, h := svgSize(data)
		vb.X, vb.Y, vb.W, vb.H = 0, 0, float64(w), float64(h)
	}
	if !(vb.W > 0 && vb.H > 0) || math.IsInf(vb.W, 0) || math.IsInf(vb.H, 0) {
		return nil, &Error{Msg: "is an SVG without a size (no viewBox, width or height)", Hint: "give its <svg> a viewBox, such as viewBox=\"0 0 240 48\""}
	}
	s := min(float64(width)/vb.W, float64(height)/vb.H)
	ox, oy := (float64(width)-vb.W*s)/2, (float64(height)-vb.H*s)/2
	icon.SetTarget(ox, oy, vb.W*s, vb.H*s)
	rgba := image.NewRGBA(image.Rect(0, 0, width, height))
	sc := rasterx.NewScannerGV(width, height, rgba, rgba.Bounds())
	icon.Draw(rasterx.NewDasher(width, height, sc), 1)
	texts, err := svgTexts(data)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("is an SVG that could not be read (%v)", err), Hint: "open it in an editor and save it again as plain SVG, or export it as PNG"}
	}
	for _, t := range texts {
		drawText(rgba, t, func(x, y float64) (float64, float64) { return ox + (x-vb.X)*s, oy + (y-vb.Y)*s }, s)
	}
	out := image.NewNRGBA(rgba.Rect)
	draw.Draw(out, out.Rect, rgba, image.Point{}, draw.Src)
	return out, nil
}

var (
	svgRect = regexp.MustCompile(`<rect\b[^>]*>`)
	svgRx   = regexp.MustCompile(`\srx\s*=\s*("[^"]*"|'[^']*')`)
	svgRy   = regexp.MustCompile(`\sry\s*=\s*("[^"]*"|'[^']*')`)
)

// fixRects gives each <rect> with only one of rx and ry the other, equal,
// as SVG says (oksvg takes a missing one as 0 and draws square corners).
func fixRects(data []byte) []byte {
	return svgRect.ReplaceAllFunc(data, func(r []byte) []byte {
		x, y := svgRx.FindSubmatch(r), svgRy.FindSubmatch(r)
		switch {
		case x != nil && y == nil:
			return append([]byte("<rect ry="+string(x[1])), r[len("<rect"):]...)
		case y != nil && x == nil:
			return append([]byte("<rect rx="+string(y[1])), r[len("<rect"):]...)
		}
		return r
	})
}

// svgText is one <text> element to draw.
type svgText struct {
	x, y   float64
	size   float64
	weight int
	anchor string
	fill   color.NRGBA
	text   string
}

// svgTexts reads the <text> elements of an SVG, with what they inherit from
// their groups (font, fill, opacity, translate).
func svgTexts(data []byte) ([]svgText, error) {
	type state struct {
		tx, ty  float64
		size    float64
		weight  int
		anchor  string
		fill    string
		opacity float64
		display bool
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	stack := []state{{size: 16, weight: 400, anchor: "start", fill: "black", opacity: 1, display: true}}
	var texts []svgText
	var cur *svgText
	depthInText := 0
	inDefs := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			st := stack[len(stack)-1]
			attrs := map[string]string{}
			for _, a := range t.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if style, ok := attrs["style"]; ok {
				for _, decl := range strings.Split(style, ";") {
					k, v, ok := strings.Cut(decl, ":")
					if ok {
						attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
					}
				}
			}
			if v, ok := attrs["font-size"]; ok {
				if f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "px"), 64); err == nil && f > 0 && f < 1e4 {
					st.size = f
				}
			}
			if v, ok := attrs["font-weight"]; ok {
				switch v {
				case "bold", "bolder":
					st.weight = 700
				case "normal":
					st.weight = 400
				default:
					if n, err := strconv.Atoi(v); err == nil {
						st.weight = n
					}
				}
			}
			if v, ok := attrs["text-anchor"]; ok {
				st.anchor = v
			}
			if v, ok := attrs["fill"]; ok {
				st.fill = v
			}
			if v, ok := attrs["opacity"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					st.opacity *= math.Max(0, math.Min(1, f))
				}
			}
			if v, ok := attrs["fill-opacity"]; ok && t.Name.Local == "text" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					st.opacity *= math.Max(0, math.Min(1, f))
				}
			}
			if attrs["display"] == "none" || attrs["visibility"] == "hidden" {
				st.display = false
			}
			if tx, ty, ok := parseTranslate(attrs["transform"]); ok {
				st.tx += tx
				st.ty += ty
			}
			switch t.Name.Local {
			case "defs", "symbol", "clipPath", "mask", "title", "desc", "metadata", "style":
				inDefs++
			case "text":
				if inDefs == 0 && st.display && depthInText == 0 {
					x, _ := strconv.ParseFloat(strings.Fields(attrs["x"] + " 0")[0], 64)
					y, _ := strconv.ParseFloat(strings.Fields(attrs["y"] + " 0")[0], 64)
					c := parseColor(st.fill)
					c.A = uint8(float64(c.A)*st.opacity + 0.5)
					cur = &svgText{x: x + st.tx, y: y + st.ty, size: st.size, weight: st.weight, anchor: st.anchor, fill: c}
				}
			}
			if cur != nil {
				depthInText++
			}
			stack = append(stack, st)
		case xml.EndElement:
			switch t.Name.Local {
			case "defs", "symbol", "clipPath", "mask", "title", "desc", "metadata", "style":
				inDefs--
			}
			if cur != nil {
				depthInText--
				if depthInText == 0 {
					cur.text = strings.Join(strings.Fields(cur.text), " ")
					if cur.text != "" && cur.fill.A > 0 {
						texts = append(texts, *cur)
					}
					cur = nil
				}
			}
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(t)
			}
		}
	}
	return texts, nil
}

var svgTranslate = regexp.MustCompile(`^\s*translate\(\s*([-0-9.eE]+)(?:[\s,]+([-0-9.eE]+))?\s*\)\s*$`)

func parseTranslate(s string) (float64, float64, bool) {
	m := svgTranslate.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	x, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, 0, false
	}
	var y float64
	if m[2] != "" {
		y, _ = strconv.ParseFloat(m[2], 64)
	}
	return x, y, true
}

var namedColors = map[string]color.NRGBA{
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255}, "red": {255, 0, 0, 255},
	"green": {0, 128, 0, 255}, "blue": {0, 0, 255, 255}, "gray": {128, 128, 128, 255},
	"grey": {128, 128, 128, 255}, "none": {}, "transparent": {},
}

// parseColor reads #rgb, #rrggbb, rgb(r,g,b) and a few colour names;
// anything else is black, as an SVG's default fill.
func parseColor(s string) color.NRGBA {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColors[s]; ok {
		return c
	}
	hex := func(h string) (uint8, bool) {
		v, err := strconv.ParseUint(h, 16, 8)
		return uint8(v), err == nil
	}
	switch {
	case strings.HasPrefix(s, "#") && len(s) == 7:
		r, ok1 := hex(s[1:3])
		g, ok2 := hex(s[3:5])
		b, ok3 := hex(s[5:7])
		if ok1 && ok2 && ok3 {
			return color.NRGBA{r, g, b, 255}
		}
	case strings.HasPrefix(s, "#") && len(s) == 4:
		r, ok1 := hex(s[1:2] + s[1:2])
		g, ok2 := hex(s[2:3] + s[2:3])
		b, ok3 := hex(s[3:4] + s[3:4])
		if ok1 && ok2 && ok3 {
			return color.NRGBA{r, g, b, 255}
		}
	case strings.HasPrefix(s, "rgb(") && strings.HasSuffix(s, ")"):
		parts := strings.Split(s[4:len(s)-1], ",")
		if len(parts) == 3 {
			var c [3]uint8
			for i, p := range parts {
				v, err := strconv.Atoi(strings.TrimSpace(p))
				if err != nil {
					return color.NRGBA{A: 255}
				}
				c[i] = uint8(max(0, min(255, v)))
			}
			return color.NRGBA{c[0], c[1], c[2], 255}
		}
	}
	return color.NRGBA{A: 255}
}

var (
	fontsOnce sync.Once
	goFonts   map[int]*opentype.Font // by weight: 400, 500, 700
)

func loadFonts() {
	goFonts = map[int]*opentype.Font{}
	for w, ttf := range map[int][]byte{400: goregular.TTF, 500: gomedium.TTF, 700: gobold.TTF} {
		if f, err := opentype.Parse(ttf); err == nil {
			goFonts[w] = f
		}
	}
}

// drawText draws t onto m; at maps the SVG's user units to pixels and s is
// the pixels per unit.
func drawText(m *image.RGBA, t svgText, at func(x, y float64) (float64, float64), s float64) {
	fontsOnce.Do(loadFonts)
	w := 400
	switch {
	case t.weight >= 600:
		w = 700
	case t.weight >= 500:
		w = 500
	}
	f := goFonts[w]
	size := t.size * s
	if f == nil || !(size >= 1) || size > 4096 {
		return
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return
	}
	defer face.Close()
	d := font.Drawer{Dst: m, Src: image.NewUniform(t.fill), Face: face}
	x, y := at(t.x, t.y)
	adv := float64(d.MeasureString(t.text)) / 64
	switch t.anchor {
	case "middle":
		x -= adv / 2
	case "end":
		x -= adv
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	d.DrawString(t.text)
}
