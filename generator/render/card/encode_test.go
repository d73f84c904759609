package card

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// decodeMatches decodes a PNG written by encodePNG and checks that every
// pixel is the one the canvas holds (painted row by row) in the palette.
func decodeMatches(t *testing.T, c *canvas, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	p, ok := img.(*image.Paletted)
	if !ok {
		t.Fatalf("decoded as %T, want a paletted image", img)
	}
	if p.Rect.Dx() != c.w || p.Rect.Dy() != c.h {
		t.Fatalf("decoded %v, want %dx%d", p.Rect, c.w, c.h)
	}
	row := make([]uint8, c.w)
	for y := 0; y < c.h; y++ {
		c.paint(y, row)
		if got := p.Pix[y*p.Stride : y*p.Stride+c.w]; !bytes.Equal(got, row) {
			for x := range row {
				if got[x] != row[x] {
					t.Fatalf("pixel (%d, %d) is %d, want %d", x, y, got[x], row[x])
				}
			}
		}
	}
}

// TestEncodeRoundTrip checks the run coder on the lengths where deflate's
// codes change (a match is 3…258 bytes), on pieces that touch, overlap and
// leave the canvas, and on glyph rows, by decoding with image/png, whose
// zlib reader also checks the Adler-32.
func TestEncodeRoundTrip(t *testing.T) {
	bold, err := face("bold", 64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		draw func(c *canvas)
	}{
		{"blank", func(c *canvas) {}},
		{"run lengths", func(c *canvas) {
			x := 0
			for i, n := range []int{1, 2, 3, 4, 5, 6, 257, 258, 259, 260, 261, 262, 516, 517} {
				c.add(i, piece{x0: x % 600, x1: x%600 + n, ix: uint8(1 + i%3)})
				x += 37
			}
		}},
		{"touching fills", func(c *canvas) {
			c.fill(image.Rect(0, 5, 24, 40), 3)
			c.fill(image.Rect(24, 10, 300, 20), 3) // continues the run
			c.fill(image.Rect(300, 10, 301, 20), 2)
			c.fill(image.Rect(1199, 0, 1200, 630), 1)
		}},
		{"overlap and clipping", func(c *canvas) {
			c.fill(image.Rect(-50, 100, 100, 120), 2)
			c.fill(image.Rect(80, 110, 1300, 130), 1)
			c.text(bold, rampAccent, 1100, 200, "overflows the edge")
			c.text(bold, rampInk, -30, 300, "starts before it")
		}},
		{"text over text", func(c *canvas) {
			c.text(bold, rampInk, 96, 200, "Overlapping lines")
			c.text(bold, rampAccent, 110, 210, "Overlapping lines")
			c.text(bold, rampInk2, 96, 400, "AVATAR fjord ŁÓDŹ …")
		}},
		{"a fill beside the row above", func(c *canvas) {
			// A row of a word that reaches further right than the row
			// above it, with paper in between (the gap before the full
			// stop), and a fill on the row above over that paper: the row
			// must not be coded as a copy of what is above it there.
			c.text(bold, rampAccent, 96, 300, "AA.")
			row := make([]uint8, c.w)
			for y := 1; y < c.h; y++ {
				c.paint(y, row)
				for _, p := range c.rows[y] {
					for _, q := range c.rows[y-1] {
						if p.g == nil || p.g.up != q.g {
							continue
						}
						for x := q.x1; x < p.x1; x++ {
							if row[x] == ixPaper {
								c.fill(image.Rect(x, y-1, x+1, y), 1)
								return
							}
						}
					}
				}
			}
			t.Fatal("no row reaches past the one above it over paper")
		}},
		{"story", func(c *canvas) {
			if err := story(c, Card{Kicker: "K · Impact", Title: "Six months of Saturday clinics", Figure: "€44 per dose", Caption: "Doses given", Footer: "example.org · 1 May 2026"}); err != nil {
				t.Fatal(err)
			}
		}},
		{"briefing", func(c *canvas) {
			c.fill(image.Rect(0, 0, 24, Height), full(rampAccent))
			if err := briefing(c, Card{Kicker: "K", Title: "Riverbend in six charts", Date: "20 November 2026"}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCanvas()
			defer c.release()
			tc.draw(c)
			decodeMatches(t, c, encodePNG(c, palette(paper)))
		})
	}
}

// FuzzEncode draws fills and text from arbitrary bytes and checks that the
// PNG decodes to the same pixels.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{0, 10, 20, 30, 3, 1, 0, 5, 'h', 'i'})
	f.Add([]byte{255, 255, 255, 255, 255, 0, 0, 0, 0, 0})
	regular, err := face("regular", 28)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newCanvas()
		defer c.release()
		for len(data) >= 5 {
			x, y := int(data[0])*5-40, int(data[1])*3-20
			w, h := int(data[2])*5, int(data[3])%40
			op := data[4]
			data = data[5:]
			if op%2 == 0 {
				c.fill(image.Rect(x, y, x+w, y+h), 1+op/2%3)
				continue
			}
			n := min(int(op)%16, len(data))
			c.text(regular, int(op/2)%3, x, y, string(data[:n]))
			data = data[n:]
		}
		decodeMatches(t, c, encodePNG(c, palette(paper)))
	})
}
