// Package card draws social cards: the 1200 × 630 PNG images that link
// previews show. It is pure Go, with the Go fonts embedded, so a card looks
// the same on every machine and every build gives the same bytes.
package card

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The card's size, the one link previews expect.
const (
	Width  = 1200
	Height = 630
)

// Card is what one card shows.
type Card struct {
	Kicker string // a small line above the title: the partnership's name
	Title  string
	Date   string
	Accent string // the theme's accent colour, #rrggbb; title and date use it
}

var (
	paper = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink2  = color.RGBA{0x4a, 0x55, 0x59, 0xff}
)

const margin = 96

// PNG draws the card: the kicker, the title (as large as fits in three
// lines) and the date in the accent colour, and six small charts as a mark.
func PNG(c Card) ([]byte, error) {
	accent, err := parseColor(c.Accent)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	fill(img, image.Rect(0, 0, 24, Height), accent)

	kicker, err := face(gomedium.TTF, 34)
	if err != nil {
		return nil, err
	}
	text(img, kicker, ink2, margin, 132, fitLine(kicker, c.Kicker, Width-2*margin))

	// The title: the largest size at which it fits in three lines.
	var lines []string
	var title font.Face
	size := 0.0
	for _, size = range []float64{88, 76, 66, 58} {
		if title, err = face(gobold.TTF, size); err != nil {
			return nil, err
		}
		if lines = wrap(title, c.Title, Width-2*margin); len(lines) <= 3 {
			break
		}
	}
	if len(lines) > 3 {
		lines = append(lines[:2], fitLine(title, strings.Join(lines[2:], " "), Width-2*margin))
	}
	y := 132 + int(size*1.35)
	for _, l := range lines {
		text(img, title, accent, margin, y, l)
		y += int(size * 1.12)
	}
	date, err := face(goregular.TTF, 40)
	if err != nil {
		return nil, err
	}
	text(img, date, accent, margin, y-int(size*1.12)+int(size*0.3)+56, fitLine(date, c.Date, 720))
	sixCharts(img, accent)

	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sixCharts draws the mark in the bottom right corner: six small bar
// charts, three by two, in tints of the accent.
func sixCharts(img *image.RGBA, accent color.RGBA) {
	const w, h, gap = 60, 44, 14
	x0 := Width - margin - 3*w - 2*gap
	y0 := Height - 64 - 2*h - gap
	bars := [6][3]int{{14, 24, 34}, {30, 20, 26}, {10, 22, 40}, {34, 26, 16}, {20, 30, 36}, {24, 34, 28}}
	for i, heights := range bars {
		x := x0 + (i%3)*(w+gap)
		y := y0 + (i/3)*(h+gap)
		fill(img, image.Rect(x, y, x+w, y+h), tint(accent, 0.12))
		for j, bh := range heights {
			bx := x + 8 + j*16
			col := tint(accent, 0.55)
			if j == 2 {
				col = accent
			}
			fill(img, image.Rect(bx, y+h-4-bh, bx+12, y+h-4), col)
		}
	}
}

// tint mixes c with white: share 1 is c itself.
func tint(c color.RGBA, share float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v)*share + 255*(1-share) + 0.5) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func face(ttf []byte, size float64) (font.Face, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

func text(img *image.RGBA, f font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// wrap breaks s into lines no wider than width pixels, at spaces.
func wrap(f font.Face, s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if cur != "" && font.MeasureString(f, try).Ceil() > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = try
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// fitLine shortens s with an ellipsis until it is no wider than width pixels.
func fitLine(f font.Face, s string, width int) string {
	if font.MeasureString(f, s).Ceil() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(f, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// parseColor reads #rrggbb or #rgb.
func parseColor(s string) (color.RGBA, error) {
	c := color.RGBA{A: 0xff}
	var err error
	switch len(s) {
	case 7:
		_, err = fmt.Sscanf(s, "#%02x%02x%02x", &c.R, &c.G, &c.B)
	case 4:
		_, err = fmt.Sscanf(s, "#%1x%1x%1x", &c.R, &c.G, &c.B)
		c.R, c.G, c.B = c.R*17, c.G*17, c.B*17
	default:
		err = fmt.Errorf("not #rrggbb")
	}
	if err != nil {
		return c, fmt.Errorf("accent colour %q is not a colour like #0f5e66", s)
	}
	return c, nil
}
