package card

import (
	"hash/fnv"
	"image"
	"image/color"
	"math"
	"sort"
	"strings"
	"sync"

	"golang.org/x/image/draw"
)

// Kit cards are a story's cards in a partner's share kit: the same text as
// its social card (title, key figure and caption, or summary; a footer),
// with the partner's logo beside the partnership's mark, in the sizes the
// networks use. Their text stays inside safe margins (Instagram crops the
// portrait's edges) and is large enough to read on a phone.

// Size is a kit card's size in pixels.
type Size struct{ W, H int }

// KitSizes are the kit cards' sizes, in the order a kit lists them: links
// (1200 × 630), square (LinkedIn, Instagram feed), portrait (Instagram).
var KitSizes = []Size{{1200, 630}, {1080, 1080}, {1080, 1350}}

// KitVersion names the way kit cards are drawn: the image cache keeps
// drawn cards under it, so change it whenever KitPNG draws differently.
const KitVersion = 2

// SafeShare is the share of each side kept free of text and logos.
const SafeShare = 0.06

// Safe is the rectangle a w × h kit card keeps its text and logos in.
func Safe(w, h int) image.Rectangle {
	mx, my := int(math.Ceil(float64(w)*SafeShare)), int(math.Ceil(float64(h)*SafeShare))
	return image.Rect(mx, my, w-mx, h-my)
}

// Kit is what a kit card shows.
type Kit struct {
	Card
	Partner string // the partner's name: drawn when it has no logo
	Site    string // the partnership's name: drawn when it has no mark
}

// Box is something a kit card drew, and where: a line of text (What is
// "title", "figure", "caption", "text", "footer", "partner" or "site") with
// its text, or a logo ("partner-logo", "site-logo").
type Box struct {
	What string
	Text string
	R    image.Rectangle
}

// Layout is what a kit card drew, box by box, in drawing order.
type Layout struct {
	Size  Size
	Safe  image.Rectangle
	Boxes []Box
}

// Text returns the texts of the boxes of one kind, in order.
func (l *Layout) Text(what string) []string {
	var out []string
	for _, b := range l.Boxes {
		if b.What == what {
			out = append(out, b.Text)
		}
	}
	return out
}

// kitStyle is one size's type scale.
type kitStyle struct {
	logo         int       // the logos' height
	titleLines   int       // with a figure; one more without
	title        []float64 // sizes to try, largest first
	figure       []float64
	caption      float64
	text         float64
	footer       float64
	partnerLabel float64 // a name drawn in place of a logo
}

func styleFor(s Size) kitStyle {
	switch {
	case s.H <= s.W*3/4: // landscape
		return kitStyle{logo: 64, titleLines: 2, title: []float64{60, 54, 48, 42}, figure: []float64{112, 96, 84, 72, 60, 52},
			caption: 34, text: 36, footer: 30, partnerLabel: 30}
	case s.H <= s.W: // square
		return kitStyle{logo: 96, titleLines: 3, title: []float64{76, 68, 60, 54}, figure: []float64{156, 136, 118, 100, 86, 72},
			caption: 42, text: 44, footer: 34, partnerLabel: 40}
	default: // portrait
		return kitStyle{logo: 104, titleLines: 4, title: []float64{80, 72, 64, 56}, figure: []float64{172, 150, 128, 108, 90, 76},
			caption: 46, text: 46, footer: 36, partnerLabel: 42}
	}
}

// Logos are the two logos of a partner's kit cards, either may be nil.
// One Logos serves all of a partner's cards (on any goroutines): each
// logo is scaled and fitted to the palette once per card size.
type Logos struct {
	Partner, Site image.Image
	mu            sync.Mutex
	placed        map[logoKey]*placedLogo
}

type logoKey struct {
	img    image.Image
	w, h   int
	palSum uint64 // the palette before it
}

// placedLogo is a logo scaled to w × h: its rows, coded, and the palette
// entries it added.
type placedLogo struct {
	w, h  int
	rows  []*glyphRow // nil for a row of paper; lead is from the logo's left
	added color.Palette
}

// KitPNG draws a kit card of size s: the partner's logo (or its name) and
// the partnership's mark (or its name) at the top, the title, the figure
// large in the accent colour with its caption (or the summary), and the
// footer. logos may be nil. It returns the PNG and the layout it drew.
func KitPNG(k Kit, s Size, logos *Logos) ([]byte, *Layout, error) {
	accent, err := parseColor(k.Accent)
	if err != nil {
		return nil, nil, err
	}
	cv := newCanvasSize(s.W, s.H)
	defer cv.release()
	lay := &Layout{Size: s, Safe: Safe(s.W, s.H)}
	pal := palette(accent)
	bar := max(12, s.W/50)
	cv.fill(image.Rect(0, 0, bar, s.H), full(rampAccent))
	if logos == nil {
		logos = &Logos{}
	}
	lg := &logoPalette{pal: pal, logos: logos}
	if err := kitDraw(cv, lay, lg, k, styleFor(s), logos.Partner, logos.Site); err != nil {
		return nil, nil, err
	}
	return encodePNG(cv, lg.pal), lay, nil
}

// textBox is where line l in face f, drawn with its baseline's left end at
// (x, y), lies.
func textBox(f *typeface, x, y int, l string) image.Rectangle {
	f.mu.Lock()
	m := f.face.Metrics()
	f.mu.Unlock()
	return image.Rect(x, y-m.Ascent.Ceil(), x+f.measure(l), y+m.Descent.Ceil())
}

func kitDraw(cv *canvas, lay *Layout, lg *logoPalette, k Kit, st kitStyle, partnerLogo, siteLogo image.Image) error {
	safe := lay.Safe
	width := safe.Dx()
	line := func(f *typeface, ramp, y int, what, l string) {
		cv.text(f, ramp, safe.Min.X, y, l)
		lay.Boxes = append(lay.Boxes, Box{What: what, Text: l, R: textBox(f, safe.Min.X, y, l)})
	}

	// The logos: the partner's on the left, a rule, the partnership's mark.
	gap := st.logo / 2
	slot := (width - gap - 2) / 2
	x := safe.Min.X
	label, err := face("medium", st.partnerLabel)
	if err != nil {
		return err
	}
	logoOrName := func(img image.Image, name, what string) int {
		if r, ok := lg.draw(cv, img, x, safe.Min.Y, slot, st.logo); ok {
			lay.Boxes = append(lay.Boxes, Box{What: what + "-logo", Text: name, R: r})
			return r.Max.X
		}
		if name == "" {
			return x
		}
		l := fitLine(label, name, slot)
		y := safe.Min.Y + st.logo/2 + int(st.partnerLabel*0.35)
		cv.text(label, rampInk, x, y, l)
		r := textBox(label, x, y, l)
		lay.Boxes = append(lay.Boxes, Box{What: what, Text: l, R: r})
		return r.Max.X
	}
	right := logoOrName(partnerLogo, k.Partner, "partner")
	if right > x {
		x = right + gap/2
		cv.fill(image.Rect(x, safe.Min.Y+st.logo/8, x+2, safe.Min.Y+st.logo-st.logo/8), ixTint35)
		x += 2 + gap/2
	}
	slot = safe.Max.X - x
	logoOrName(siteLogo, k.Site, "site")

	// The footer and its rule at the bottom of the safe area.
	foot, err := face("regular", st.footer)
	if err != nil {
		return err
	}
	bottom := safe.Max.Y - int(st.footer*0.3) // the footer's baseline: its descent stays inside
	line(foot, rampInk2, bottom, "footer", fitLine(foot, k.Footer, width))
	ruleY := bottom - int(st.footer*1.6)
	cv.fill(image.Rect(safe.Min.X, ruleY, safe.Max.X, ruleY+2), ixTint35)
	room := ruleY - int(st.footer*0.8) // the lowest a line's descent may reach

	// The title, as large as fits its lines.
	maxLines := st.titleLines
	if k.Figure == "" {
		maxLines--
	}
	title, size, lines, err := fit("bold", k.Title, width, max(1, maxLines), st.title)
	if err != nil {
		return err
	}
	y := safe.Min.Y + st.logo + int(size*1.45)
	for i, l := range lines {
		if i > 0 {
			y += int(size * 1.14)
		}
		line(title, rampInk, y, "title", l)
	}
	y += int(size * 0.3) // the title's descent

	if k.Figure == "" {
		body, err := face("regular", st.text)
		if err != nil {
			return err
		}
		step := int(st.text * 1.35)
		lines := wrap(body, k.Text, width)
		y += int(st.text * 1.6)
		for i := 0; i < len(lines) && y+int(st.text*0.3) <= room; i++ {
			l := lines[i]
			if i+1 < len(lines) && y+step+int(st.text*0.3) > room {
				l = fitLine(body, l+" "+strings.Join(lines[i+1:], " "), width)
			}
			line(body, rampInk2, y, "text", l)
			y += step
		}
		return nil
	}

	// The figure and its caption, as large as fits above the footer,
	// standing on it.
	caption, err := face("regular", st.caption)
	if err != nil {
		return err
	}
	captionLines := wrap(caption, k.Caption, width)
	if len(captionLines) > 2 {
		captionLines = append(captionLines[:1], fitLine(caption, strings.Join(captionLines[1:], " "), width))
	}
	capStep := int(st.caption * 1.3)
	capHeight := len(captionLines) * capStep
	for i, fs := range st.figure {
		fig, err := face("bold", fs)
		if err != nil {
			return err
		}
		// The figure's baseline: above the caption, which ends at room.
		base := room - capHeight - int(fs*0.22)
		smallest := i == len(st.figure)-1
		if !smallest && (fig.measure(k.Figure) > width || base-int(fs*0.95) < y+int(fs*0.25)) {
			continue
		}
		if base-int(fs*0.95) < y {
			base = y + int(fs*0.95) // the smallest size: under the title, even if it reaches the footer's space
		}
		line(fig, rampAccent, base, "figure", fitLine(fig, k.Figure, width))
		cy := base + int(fs*0.22) + capStep - int(st.caption*0.3)
		for _, l := range captionLines {
			line(caption, rampInk2, cy, "caption", l)
			cy += capStep
		}
		break
	}
	return nil
}

// logoPalette puts logos on a card: their colours take the palette
// entries after the card's own (at most 256 in all), each pixel the
// nearest of them.
type logoPalette struct {
	pal   color.Palette
	logos *Logos
}

// draw scales img to at most h high and w wide, over paper, at (x, y), and
// returns where it lies; false when there is no image or no room.
func (lp *logoPalette) draw(cv *canvas, img image.Image, x, y, w, h int) (image.Rectangle, bool) {
	if img == nil || w <= 0 || h <= 0 {
		return image.Rectangle{}, false
	}
	b := img.Bounds()
	if b.Empty() {
		return image.Rectangle{}, false
	}
	lw, lh := b.Dx()*h/b.Dy(), h
	if lw > w {
		lw, lh = w, max(1, b.Dy()*w/b.Dx())
	}
	if lw <= 0 {
		return image.Rectangle{}, false
	}
	pl := lp.place(img, lw, lh)
	lp.pal = append(lp.pal, pl.added...)
	top := y + (h-lh)/2
	for j, gr := range pl.rows {
		if gr != nil {
			cv.add(top+j, piece{x0: x + gr.lead, x1: x + gr.lead + gr.n, g: gr})
		}
	}
	return image.Rect(x, top, x+lw, top+lh), true
}

// place scales img to lw × lh and fits it to the palette as it is, or
// returns it done so before for the same palette.
func (lp *logoPalette) place(img image.Image, lw, lh int) *placedLogo {
	h := fnv.New64a()
	for _, c := range lp.pal {
		r, g, b, _ := c.RGBA()
		h.Write([]byte{byte(r >> 8), byte(g >> 8), byte(b >> 8)})
	}
	key := logoKey{img, lw, lh, h.Sum64()}
	L := lp.logos
	L.mu.Lock()
	defer L.mu.Unlock()
	if pl := L.placed[key]; pl != nil {
		return pl
	}
	rgba := image.NewRGBA(image.Rect(0, 0, lw, lh))
	draw.Draw(rgba, rgba.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(rgba, rgba.Bounds(), img, img.Bounds(), draw.Over, nil)
	pal := append(color.Palette(nil), lp.pal...)
	idx := quantise(&pal, rgba)
	pl := &placedLogo{w: lw, h: lh, rows: make([]*glyphRow, lh), added: pal[len(lp.pal):]}
	for j := range pl.rows {
		row := idx[j*lw : (j+1)*lw]
		lead, end := 0, len(row)
		for lead < end && row[lead] == ixPaper {
			lead++
		}
		for end > lead && row[end-1] == ixPaper {
			end--
		}
		if lead == end {
			continue
		}
		gr := &glyphRow{lead: lead, n: end - lead, px: row[lead:end]}
		var d deflater
		codeRuns(&d, gr.px)
		gr.bits, gr.nbits = d.bits(), d.nbits()
		for i, v := range gr.px {
			gr.sum += uint64(v)
			gr.wsum += uint64(gr.n-i) * uint64(v)
		}
		pl.rows[j] = gr
	}
	if L.placed == nil {
		L.placed = map[logoKey]*placedLogo{}
	}
	L.placed[key] = pl
	return pl
}

// quantise maps each pixel of m to a palette index, adding the logo's
// commonest colours (at 5 bits a channel) to the palette while there is
// room; near-white is paper.
func quantise(pal *color.Palette, m *image.RGBA) []uint8 {
	key := func(r, g, b uint8) uint16 { return uint16(r>>3)<<10 | uint16(g>>3)<<5 | uint16(b>>3) }
	counts := map[uint16]int{}
	n := m.Bounds().Dx() * m.Bounds().Dy()
	for i := 0; i < n; i++ {
		p := m.Pix[4*i:]
		if p[0] >= 0xf8 && p[1] >= 0xf8 && p[2] >= 0xf8 {
			continue
		}
		counts[key(p[0], p[1], p[2])]++
	}
	keys := make([]uint16, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	// The logo's own entries; when the palette is full, the nearest of
	// every entry (the text ramps hold greys and the accent).
	for _, k := range keys {
		if len(*pal) == 256 {
			break
		}
		ex := func(v uint16) uint8 { v &= 31; return uint8(v<<3 | v>>2) }
		*pal = append(*pal, color.RGBA{ex(k >> 10), ex(k >> 5), ex(k), 0xff})
	}
	near := map[uint16]uint8{}
	out := make([]uint8, n)
	for i := 0; i < n; i++ {
		p := m.Pix[4*i:]
		if p[0] >= 0xf8 && p[1] >= 0xf8 && p[2] >= 0xf8 {
			continue // paper
		}
		k := key(p[0], p[1], p[2])
		ix, ok := near[k]
		if !ok {
			ix = nearest(*pal, p[0], p[1], p[2])
			near[k] = ix
		}
		out[i] = ix
	}
	return out
}

// nearest is the index of the palette entry closest to (r, g, b); the
// first of equals.
func nearest(pal color.Palette, r, g, b uint8) uint8 {
	best, bd := 0, math.MaxInt
	for i, c := range pal {
		cr, cg, cb, _ := c.RGBA()
		dr, dg, db := int(cr>>8)-int(r), int(cg>>8)-int(g), int(cb>>8)-int(b)
		if d := dr*dr + dg*dg + db*db; d < bd {
			best, bd = i, d
		}
	}
	return uint8(best)
}

// Measure is how wide s is in the cards' font weight ("regular",
// "medium" or "bold") at size pixels: tiles (SVG, in the reader's system
// font) use it to wrap their text, with room to spare.
func Measure(weight string, size float64, s string) int {
	f, err := face(weight, size)
	if err != nil {
		return 0
	}
	return f.measure(s)
}

// Wrap breaks s into lines no wider than width at size, as a card does;
// at most maxLines, the last one cut with an ellipsis.
func Wrap(weight string, size float64, s string, width, maxLines int) []string {
	f, err := face(weight, size)
	if err != nil {
		return []string{s}
	}
	lines := wrap(f, s, width)
	if maxLines > 0 && len(lines) > maxLines {
		lines = append(lines[:maxLines-1:maxLines-1], fitLine(f, strings.Join(lines[maxLines-1:], " "), width))
	}
	for i, l := range lines {
		lines[i] = fitLine(f, l, width) // a word wider than the line
	}
	return lines
}
