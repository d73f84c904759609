package card

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// PhotoWidth is the width of the photo on the right of a story's card; it
// fills the card's height, so the photo is cropped to PhotoWidth × Height.
const PhotoWidth = 440

// PhotoJPEG draws a story's card with its photo: the text of PNG's story
// card (kicker, title, headline figure or summary, footer) on the left, the
// photo on the right, cropped to PhotoWidth × Height (the caller crops it
// around its focal point), with the partners' logos, when given, on a white
// strip across the photo's foot. A card with a photo is a JPEG: a photo
// does not compress as PNG.
func PhotoJPEG(c Card, photo image.Image, logos []image.Image) ([]byte, error) {
	accent, err := parseColor(c.Accent)
	if err != nil {
		return nil, err
	}
	cv := newCanvas()
	defer cv.release()
	cv.fill(image.Rect(0, 0, 24, Height), full(rampAccent))
	if err := storyIn(cv, c, Width-PhotoWidth-48); err != nil {
		return nil, err
	}
	pal := palette(accent)
	out := image.NewRGBA(image.Rect(0, 0, Width, Height))
	row := make([]uint8, Width)
	for y := 0; y < Height; y++ {
		cv.paint(y, row)
		o := out.PixOffset(0, y)
		for x := 0; x < Width-PhotoWidth; x++ {
			r, g, b, _ := pal[row[x]].RGBA()
			out.Pix[o+4*x], out.Pix[o+4*x+1], out.Pix[o+4*x+2], out.Pix[o+4*x+3] = byte(r>>8), byte(g>>8), byte(b>>8), 0xff
		}
	}
	dst := image.Rect(Width-PhotoWidth, 0, Width, Height)
	if photo != nil {
		b := photo.Bounds()
		if b.Dx() == PhotoWidth && b.Dy() == Height {
			draw.Draw(out, dst, photo, b.Min, draw.Src)
		} else {
			draw.CatmullRom.Scale(out, dst, photo, b, draw.Src, nil)
		}
	}
	drawLogos(out, dst, logos)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawLogos puts up to three logos, each at most 56 px high, on a white
// strip at the foot of the photo.
func drawLogos(out *image.RGBA, photo image.Rectangle, logos []image.Image) {
	if len(logos) > 3 {
		logos = logos[:3]
	}
	if len(logos) == 0 {
		return
	}
	const pad, h = 20, 56
	strip := image.Rect(photo.Min.X, photo.Max.Y-h-2*pad, photo.Max.X, photo.Max.Y)
	draw.Draw(out, strip, &image.Uniform{color.RGBA{0xff, 0xff, 0xff, 0xff}}, image.Point{}, draw.Src)
	slot := (strip.Dx() - pad) / len(logos)
	for i, l := range logos {
		b := l.Bounds()
		if b.Empty() {
			continue
		}
		w := b.Dx() * h / b.Dy()
		lh := h
		if w > slot-pad {
			w = slot - pad
			lh = b.Dy() * w / b.Dx()
		}
		x := strip.Min.X + pad + i*slot + (slot-pad-w)/2
		y := strip.Min.Y + pad + (h-lh)/2
		draw.CatmullRom.Scale(out, image.Rect(x, y, x+w, y+lh), l, b, draw.Over, nil)
	}
}
