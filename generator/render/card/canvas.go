package card

import (
	"image"
	"image/color"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A card's colours are palette indices: paper, three tints of the accent,
// and for each of the three text colours a ramp of coverage levels
// (antialiasing) from paper to the full colour. Glyphs are rasterised once
// per face, rune and quarter-pixel position, and words (see word) once per
// face, colour and quarter-pixel start; both are reused by every card. The
// canvas keeps what each row holds, not pixels (see canvas).

// levels is the number of coverage steps of a text colour's ramp.
const levels = 32

// The palette's layout.
const (
	ixPaper  = 0
	ixTint12 = 1
	ixTint35 = 2
	ixTint55 = 3
	ixRamps  = 4 // ramp k's level l (1…levels) is ixRamps + k*levels + l-1
)

// The text colours, in ramp order.
const (
	rampInk = iota
	rampInk2
	rampAccent
)

// palette is the card's palette for an accent colour.
func palette(accent color.RGBA) color.Palette {
	p := color.Palette{paper, tint(accent, 0.12), tint(accent, 0.35), tint(accent, 0.55)}
	for _, c := range []color.RGBA{ink, ink2, accent} {
		for l := 1; l <= levels; l++ {
			p = append(p, tint(c, float64(l)/levels))
		}
	}
	return p
}

// full is the palette index of a text colour at full coverage.
func full(ramp int) uint8 { return uint8(ixRamps + ramp*levels + levels - 1) }

// canvas is a card being drawn, kept as what each row holds rather than as
// pixels: fills and rows of glyphs, each at its x. encodePNG codes a row
// from these pieces, and only paints a row when two pieces overlap.
type canvas struct {
	w, h int
	rows [][]piece
}

// piece is part of a row: [x0, x1) filled with palette index ix, or, when
// g is set, a row of a glyph (g.px) from x0.
type piece struct {
	x0, x1 int
	ix     uint8
	g      *glyphRow
}

var canvases = sync.Pool{New: func() any {
	return &canvas{w: Width, h: Height, rows: make([][]piece, Height)}
}}

// sizedCanvases pools the canvases of other sizes (kit cards), by size.
var sizedCanvases sync.Map // [2]int → *sync.Pool

// newCanvas returns a blank canvas; release gives it back.
func newCanvas() *canvas { return canvases.Get().(*canvas) }

// newCanvasSize returns a blank w × h canvas; release gives it back.
func newCanvasSize(w, h int) *canvas {
	if w == Width && h == Height {
		return newCanvas()
	}
	p, _ := sizedCanvases.LoadOrStore([2]int{w, h}, &sync.Pool{New: func() any {
		return &canvas{w: w, h: h, rows: make([][]piece, h)}
	}})
	return p.(*sync.Pool).Get().(*canvas)
}

func (c *canvas) release() {
	for y := range c.rows {
		c.rows[y] = c.rows[y][:0]
	}
	if c.w == Width && c.h == Height {
		canvases.Put(c)
		return
	}
	if p, ok := sizedCanvases.Load([2]int{c.w, c.h}); ok {
		p.(*sync.Pool).Put(c)
	}
}

// add puts p on row y, keeping the row's pieces in order of x0.
func (c *canvas) add(y int, p piece) {
	if y < 0 || y >= c.h || p.x0 >= p.x1 {
		return
	}
	row := append(c.rows[y], p)
	for i := len(row) - 1; i > 0 && row[i-1].x0 > row[i].x0; i-- {
		row[i-1], row[i] = row[i], row[i-1]
	}
	c.rows[y] = row
}

// fill paints r with palette index ix.
func (c *canvas) fill(r image.Rectangle, ix uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		c.add(y, piece{x0: r.Min.X, x1: r.Max.X, ix: ix})
	}
}

// text draws s in face f and text colour ramp with its baseline's left end
// at (x, y), kerned as font.Drawer would. It is drawn word by word: a word
// is rasterised and coded once per face, colour and quarter-pixel start,
// and its rows reused by every card that has it.
func (c *canvas) text(f *typeface, ramp, x, y int, s string) {
	dot := fixed.I(x)
	f.mu.Lock()
	defer f.mu.Unlock()
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if prev >= 0 {
			dot += f.kern(prev, r)
		}
		if r == ' ' {
			dot += f.glyph(r, 0).advance
			prev = r
			i += size
			continue
		}
		end := strings.IndexByte(s[i:], ' ')
		if end < 0 {
			end = len(s) - i
		}
		wd := s[i : i+end]
		i += end
		if w := f.word(ramp, (dot&63+8)/16, wd); w != nil {
			wx, wy := dot.Floor()+w.x, y+w.y
			for j, gr := range w.rows {
				if gr.n > 0 {
					c.add(wy+j, piece{x0: wx + gr.lead, x1: wx + gr.lead + gr.n, g: gr})
				}
			}
			dot += w.advance
			prev, _ = utf8.DecodeLastRuneInString(wd)
			continue
		}
		// A word without letters is drawn glyph by glyph.
		for j, r := range wd {
			if j > 0 {
				dot += f.kern(prev, r)
			}
			g := f.glyph(r, dot&63)
			gx, gy := dot.Floor()+g.x, y+g.y
			for j, gr := range g.ramp(ramp) {
				if gr.n > 0 {
					c.add(gy+j, piece{x0: gx + gr.lead, x1: gx + gr.lead + gr.n, g: gr})
				}
			}
			dot += g.advance
			prev = r
		}
	}
}

// word is a word drawn in one colour from a quarter-pixel start: its rows
// (top at y from the baseline, left at x from the pixel of the start), and
// its advance.
type word struct {
	x, y    int
	rows    []*glyphRow
	advance fixed.Int26_6
}

type wordKey struct {
	ramp int
	q    fixed.Int26_6 // the start within its pixel, in quarters (0…4)
	s    string
}

// wordBudget bounds the bytes the words kept by all faces take; past it,
// words are still drawn, but not kept.
var wordBytes atomic.Int64

const wordBudget = 64 << 20

// word returns s drawn in colour ramp from q quarters into a pixel, or nil
// for a word without letters (a number, a date, a sign), which is drawn
// glyph by glyph: such words rarely repeat, and would fill the memory.
// Which words are drawn whole depends only on the word, never on what was
// drawn before, so a card's bytes are the same in every build.
func (f *typeface) word(ramp int, q fixed.Int26_6, s string) *word {
	k := wordKey{ramp, q, s}
	if w, ok := f.words[k]; ok {
		return w
	}
	if strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return nil
	}
	// Place the glyphs as text does, then paint them into one coverage
	// raster, keeping the darker coverage where glyphs overlap.
	type placed struct {
		g    *glyph
		x, y int
	}
	var gs []placed
	dot := q * 16
	x0, y0, x1, y1 := 0, 0, 0, 0
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot += f.kern(prev, r)
		}
		g := f.glyph(r, dot&63)
		if g.w > 0 && g.h > 0 {
			p := placed{g, dot.Floor() + g.x, g.y}
			if len(gs) == 0 {
				x0, y0, x1, y1 = p.x, p.y, p.x+g.w, p.y+g.h
			}
			x0, y0 = min(x0, p.x), min(y0, p.y)
			x1, y1 = max(x1, p.x+g.w), max(y1, p.y+g.h)
			gs = append(gs, p)
		}
		dot += g.advance
		prev = r
	}
	w := &word{x: x0, y: y0, advance: dot - q*16}
	if len(gs) > 0 {
		ww, wh := x1-x0, y1-y0
		cov := make([]uint8, ww*wh)
		for _, p := range gs {
			for j := 0; j < p.g.h; j++ {
				row := cov[(p.y-y0+j)*ww+p.x-x0:]
				for i, l := range p.g.cov[j*p.g.w : (j+1)*p.g.w] {
					row[i] = max(row[i], l)
				}
			}
		}
		w.rows = codeRows(cov, ww, wh, ramp)
	}
	size := int64(len(s)) + 64
	for _, gr := range w.rows {
		size += int64(len(gr.px)+len(gr.bits)) + 96
	}
	if wordBytes.Add(size) <= wordBudget {
		f.words[k] = w
	} else {
		wordBytes.Add(-size) // drawn again the next time
	}
	return w
}

// paint draws row y's pieces into row (len w), clipped, for a row whose
// pieces overlap. Overlapping glyphs keep the darker coverage of their
// colour; another colour is covered only by a pixel over half covered.
func (c *canvas) paint(y int, row []uint8) {
	clear(row)
	for _, p := range c.rows[y] {
		if p.g == nil {
			for x := max(p.x0, 0); x < min(p.x1, c.w); x++ {
				row[x] = p.ix
			}
			continue
		}
		base := p.g.base
		for i, ix := range p.g.px {
			x := p.x0 + i
			if x < 0 || x >= c.w || ix == ixPaper {
				continue
			}
			old := row[x]
			if old == ixPaper || (old < ix && old > base) || ix-base > levels/2 {
				row[x] = ix
			}
		}
	}
}

// typeface is a font at one size, with its glyphs, advances and kerning
// kept as they are first needed. Its methods need mu held.
type typeface struct {
	mu      sync.Mutex
	face    font.Face
	glyphs  map[glyphKey]*glyph
	advance map[rune]fixed.Int26_6
	kerns   map[[2]rune]fixed.Int26_6
	words   map[wordKey]*word
}

type glyphKey struct {
	r    rune
	frac fixed.Int26_6 // the dot's position within its pixel, in quarters
}

// glyph is a rasterised glyph: its coverage levels (0…levels), w × h, with
// the top left at (x, y) from the dot, and its rows in each text colour as
// they are first needed.
type glyph struct {
	x, y, w, h int
	cov        []uint8
	advance    fixed.Int26_6
	rows       [3][]*glyphRow
}

// ramp returns the glyph's rows in text colour ramp.
func (g *glyph) ramp(ramp int) []*glyphRow {
	if g.rows[ramp] == nil && g.h > 0 {
		g.rows[ramp] = codeRows(g.cov, g.w, g.h, ramp)
	}
	return g.rows[ramp]
}

// glyphRow is one row of a word in one text colour, ready to be coded:
// after lead pixels of paper, n pixels (px, palette indices) from the first
// to the last drawn one, coded as deflate bits, and their Adler-32 sums.
type glyphRow struct {
	lead, n int
	px      []uint8
	// up is the row above in the same raster. When it is on the image row
	// above, at the same place and alone there, vbits codes this row with
	// copies from it where they are longer than runs.
	up        *glyphRow
	vbits     []byte
	nvbits    uint
	base      uint8 // the ramp's index for coverage 0
	bits      []byte
	nbits     uint
	sum, wsum uint64 // Σ px[i] and Σ (n-i)·px[i]
}

// codeRows turns a coverage raster (levels, w × h) into rows of text
// colour ramp, each trimmed of paper at both ends and coded.
func codeRows(cov []uint8, w, h, ramp int) []*glyphRow {
	base := uint8(ixRamps + ramp*levels - 1)
	rows := make([]*glyphRow, h)
	for j := range rows {
		line := cov[j*w : (j+1)*w]
		lead, end := 0, len(line)
		for lead < end && line[lead] == 0 {
			lead++
		}
		for end > lead && line[end-1] == 0 {
			end--
		}
		gr := &glyphRow{lead: lead, n: end - lead, base: base}
		gr.px = make([]uint8, gr.n)
		for i, l := range line[lead:end] {
			if l > 0 {
				gr.px[i] = base + l
			}
		}
		var d deflater
		codeRuns(&d, gr.px)
		gr.bits, gr.nbits = d.bits(), d.nbits()
		for i, v := range gr.px {
			gr.sum += uint64(v)
			gr.wsum += uint64(gr.n-i) * uint64(v)
		}
		if j > 0 && gr.n > 0 {
			// The row above as it is over this one's span: the raster's
			// row, paper where it has none.
			above := make([]uint8, gr.n)
			for i, l := range cov[(j-1)*w+lead : (j-1)*w+end] {
				if l > 0 {
					above[i] = base + l
				}
			}
			var d deflater
			codeWithAbove(&d, gr.px, above)
			gr.up, gr.vbits, gr.nvbits = rows[j-1], d.bits(), d.nbits()
		}
		rows[j] = gr
	}
	return rows
}

var (
	fontsOnce sync.Once
	fonts     map[string]*sfnt.Font
	fontsErr  error
	facesMu   sync.Mutex
	faces     = map[faceKey]*typeface{}
)

type faceKey struct {
	font string
	size float64
}

// The fonts a card uses, by name.
var fontData = map[string][]byte{"regular": goregular.TTF, "medium": gomedium.TTF, "bold": gobold.TTF}

// face returns the named font at size points (at 72 dpi, so pixels).
func face(name string, size float64) (*typeface, error) {
	fontsOnce.Do(func() {
		fonts = map[string]*sfnt.Font{}
		for n, ttf := range fontData {
			f, err := opentype.Parse(ttf)
			if err != nil {
				fontsErr = err
				return
			}
			fonts[n] = f
		}
	})
	if fontsErr != nil {
		return nil, fontsErr
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	k := faceKey{name, size}
	if tf := faces[k]; tf != nil {
		return tf, nil
	}
	f, err := opentype.NewFace(fonts[name], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	tf := &typeface{face: f, glyphs: map[glyphKey]*glyph{}, advance: map[rune]fixed.Int26_6{}, kerns: map[[2]rune]fixed.Int26_6{}, words: map[wordKey]*word{}}
	faces[k] = tf
	return tf, nil
}

func (f *typeface) kern(a, b rune) fixed.Int26_6 {
	k := [2]rune{a, b}
	v, ok := f.kerns[k]
	if !ok {
		v = f.face.Kern(a, b)
		f.kerns[k] = v
	}
	return v
}

// glyph returns r drawn with the dot frac (in 1/64 pixel) into its pixel,
// rounded to a quarter pixel.
func (f *typeface) glyph(r rune, frac fixed.Int26_6) *glyph {
	k := glyphKey{r, (frac + 8) / 16}
	if g := f.glyphs[k]; g != nil {
		return g
	}
	g := &glyph{}
	dr, mask, mp, adv, ok := f.face.Glyph(fixed.Point26_6{X: k.frac * 16}, r)
	if ok && !dr.Empty() {
		g.x, g.y, g.w, g.h = dr.Min.X, dr.Min.Y, dr.Dx(), dr.Dy()
		g.cov = make([]uint8, g.w*g.h)
		for j := 0; j < g.h; j++ {
			for i := 0; i < g.w; i++ {
				_, _, _, a := mask.At(mp.X+i, mp.Y+j).RGBA()
				g.cov[j*g.w+i] = uint8((a*levels + 0x7fff) / 0xffff)
			}
		}
	}
	// The advance does not depend on where the dot is.
	if ok {
		g.advance = adv
	}
	f.glyphs[k] = g
	return g
}

// measure is how wide s is drawn, as font.MeasureString.
func (f *typeface) measure(s string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			w += f.kern(prev, r)
		}
		a, ok := f.advance[r]
		if !ok {
			a, _ = f.face.GlyphAdvance(r)
			f.advance[r] = a
		}
		w += a
		prev = r
	}
	return w.Ceil()
}
