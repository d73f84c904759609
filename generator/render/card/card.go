// Package card draws social cards: the 1200 × 630 PNG images that link
// previews show. It is pure Go, with the Go fonts embedded, so a card looks
// the same on every machine and every build gives the same bytes. A build
// draws one per story, so drawing is made cheap: canvas.go keeps a card as
// rows of words and fills, encode.go writes those straight as deflate, and
// huffman.go holds the code fitted to cards.
package card

import (
	"fmt"
	"image"
	"image/color"
	"strings"
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

	// A story's card leads with a figure, or with a line of text when it
	// has none, and has a footer instead of a date.
	Figure  string // the key figure, drawn large in the accent colour: "€42 per dose"
	Caption string // what the figure is
	Text    string // drawn under the title when there is no figure: the summary
	Footer  string // the foot line: the site's address and the date
}

var (
	paper = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink   = color.RGBA{0x1c, 0x23, 0x26, 0xff}
	ink2  = color.RGBA{0x4a, 0x55, 0x59, 0xff}
)

const margin = 96

// Version names the way PNG draws a card: the image cache keeps drawn
// story cards under it, so change it whenever PNG draws differently.
const Version = 1

// PNG draws the card. A briefing card has the kicker, the title (as large
// as fits in three lines) and the date in the accent colour, and six small
// charts as a mark. A story card (one with a figure, text or footer) has
// the kicker, the title in ink, the figure large in the accent colour with
// its caption (or the text), and the footer.
func PNG(c Card) ([]byte, error) {
	accent, err := parseColor(c.Accent)
	if err != nil {
		return nil, err
	}
	img := newCanvas()
	defer img.release()
	img.fill(image.Rect(0, 0, 24, Height), full(rampAccent))
	if c.Figure != "" || c.Text != "" || c.Footer != "" {
		err = story(img, c)
	} else {
		err = briefing(img, c)
	}
	if err != nil {
		return nil, err
	}
	return encodePNG(img, palette(accent)), nil
}

// briefing draws a briefing's card.
func briefing(img *canvas, c Card) error {
	kicker, err := face("medium", 34)
	if err != nil {
		return err
	}
	img.text(kicker, rampInk2, margin, 132, fitLine(kicker, c.Kicker, Width-2*margin))

	// The title: the largest size at which it fits in three lines.
	title, size, lines, err := fit("bold", c.Title, Width-2*margin, 3, []float64{88, 76, 66, 58})
	if err != nil {
		return err
	}
	y := 132 + int(size*1.35)
	for _, l := range lines {
		img.text(title, rampAccent, margin, y, l)
		y += int(size * 1.12)
	}
	date, err := face("regular", 40)
	if err != nil {
		return err
	}
	img.text(date, rampAccent, margin, y-int(size*1.12)+int(size*0.3)+56, fitLine(date, c.Date, 720))
	sixCharts(img)
	return nil
}

// story draws a story's card.
func story(img *canvas, c Card) error { return storyIn(img, c, Width-margin) }

// storyIn draws a story's card between the left margin and right.
func storyIn(img *canvas, c Card, right int) error {
	width := right - margin
	const bottom = Height - 64 // the footer's baseline

	kicker, err := face("medium", 30)
	if err != nil {
		return err
	}
	y := 104
	img.text(kicker, rampInk2, margin, y, fitLine(kicker, c.Kicker, width))

	// The title: the largest size at which it fits its lines; with a
	// figure below it, two lines, else three.
	maxLines, sizes := 3, []float64{72, 64, 56, 50}
	if c.Figure != "" {
		maxLines, sizes = 2, []float64{64, 56, 50, 44}
	}
	title, size, lines, err := fit("bold", c.Title, width, maxLines, sizes)
	if err != nil {
		return err
	}
	y += int(size * 1.3)
	for i, l := range lines {
		if i > 0 {
			y += int(size * 1.14)
		}
		img.text(title, rampInk, margin, y, l)
	}

	foot, err := face("regular", 28)
	if err != nil {
		return err
	}
	img.fill(image.Rect(margin, bottom-50, right, bottom-48), ixTint35)
	img.text(foot, rampInk2, margin, bottom, fitLine(foot, c.Footer, width-120))
	mark(img, right-84, bottom)

	room := bottom - 72 // the last baseline above the footer rule
	if c.Figure == "" {
		body, err := face("regular", 36)
		if err != nil {
			return err
		}
		lines := wrap(body, c.Text, width)
		y += 64
		for i := 0; i < len(lines) && y <= room; i++ {
			l := lines[i]
			if i+1 < len(lines) && y+48 > room {
				l = fitLine(body, l+" "+strings.Join(lines[i+1:], " "), width)
			}
			img.text(body, rampInk2, margin, y, l)
			y += 48
		}
		return nil
	}
	// The figure: as large as fits one line and leaves room for its caption.
	caption, err := face("regular", 34)
	if err != nil {
		return err
	}
	captionLines := wrap(caption, c.Caption, width)
	if len(captionLines) > 2 {
		captionLines = append(captionLines[:1], fitLine(caption, strings.Join(captionLines[1:], " "), width))
	}
	for _, fs := range []float64{120, 104, 92, 80, 68, 58} {
		fig, err := face("bold", fs)
		if err != nil {
			return err
		}
		base := y + 28 + int(fs*0.95)
		need := base + len(captionLines)*46 + 4
		if fs > 58 && (fig.measure(c.Figure) > width || need > room) {
			continue
		}
		img.text(fig, rampAccent, margin, base, fitLine(fig, c.Figure, width))
		cy := base + 52
		for _, l := range captionLines {
			img.text(caption, rampInk2, margin, cy, l)
			cy += 46
		}
		break
	}
	return nil
}

// fit returns the largest of sizes at which s wraps into maxLines lines of
// width pixels, and the lines; at the smallest size the last line is cut.
func fit(name, s string, width, maxLines int, sizes []float64) (*typeface, float64, []string, error) {
	var f *typeface
	var lines []string
	var size float64
	for _, size = range sizes {
		var err error
		if f, err = face(name, size); err != nil {
			return nil, 0, nil, err
		}
		if lines = wrap(f, s, width); len(lines) <= maxLines {
			return f, size, lines, nil
		}
	}
	lines = append(lines[:maxLines-1:maxLines-1], fitLine(f, strings.Join(lines[maxLines-1:], " "), width))
	return f, size, lines, nil
}

// mark draws a small bar chart in the accent colour, its base at y.
func mark(img *canvas, x, y int) {
	for i, h := range []int{14, 24, 34} {
		col := uint8(ixTint55)
		if i == 2 {
			col = full(rampAccent)
		}
		bx := x + i*30
		img.fill(image.Rect(bx, y-h, bx+22, y), col)
	}
}

// sixCharts draws the mark in the bottom right corner: six small bar
// charts, three by two, in tints of the accent.
func sixCharts(img *canvas) {
	const w, h, gap = 60, 44, 14
	x0 := Width - margin - 3*w - 2*gap
	y0 := Height - 64 - 2*h - gap
	bars := [6][3]int{{14, 24, 34}, {30, 20, 26}, {10, 22, 40}, {34, 26, 16}, {20, 30, 36}, {24, 34, 28}}
	for i, heights := range bars {
		x := x0 + (i%3)*(w+gap)
		y := y0 + (i/3)*(h+gap)
		img.fill(image.Rect(x, y, x+w, y+h), ixTint12)
		for j, bh := range heights {
			bx := x + 8 + j*16
			col := uint8(ixTint55)
			if j == 2 {
				col = full(rampAccent)
			}
			img.fill(image.Rect(bx, y+h-4-bh, bx+12, y+h-4), col)
		}
	}
}

// tint mixes c with white: share 1 is c itself.
func tint(c color.RGBA, share float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v)*share + 255*(1-share) + 0.5) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

// wrap breaks s into lines no wider than width pixels, at spaces, but
// not between a number and the word after it ("6,030 doses"), as the site
// does not.
func wrap(f *typeface, s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range keepUnits(strings.Fields(s)) {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if cur != "" && f.measure(try) > width {
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

// keepUnits joins each word that follows a number to it: "6,030" "doses"
// becomes "6,030 doses".
func keepUnits(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		if n := len(out); n > 0 && w != "" && !startsWithDigit(w) && endsWithDigit(out[n-1]) {
			out[n-1] += " " + w
			continue
		}
		out = append(out, w)
	}
	return out
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func endsWithDigit(s string) bool { return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' }

// fitLine shortens s with an ellipsis until it is no wider than width pixels.
func fitLine(f *typeface, s string, width int) string {
	if f.measure(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && f.measure(string(r)+"…") > width {
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
