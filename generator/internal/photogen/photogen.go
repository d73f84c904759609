// Package photogen paints deterministic, real-looking outdoor photographs
// without people: a rural clinic, a cold-chain van on a country road, a
// village hall under trees. The example partnership's photos and the
// benchmark corpus's photos are made with it, so the repository needs no
// photographs of real places or people, and anyone may use them.
//
// A picture is a small 3-D world (a flat ground with a road, hills, boxes
// for buildings and vehicles, noisy clusters of leaves for trees) seen by a
// camera at eye height, lit by a low sun with soft shadows, then softened as
// by a lens and given a sensor's grain, so that its JPEG has the detail and
// the size of a phone's.
package photogen

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// Scene is a kind of picture.
type Scene int

const (
	Clinic    Scene = iota // a rural clinic on a Saturday morning
	ColdChain              // a refrigerated van and a cool box on a country road
	Hall                   // a village meeting hall under trees, in autumn
)

// Scenes lists every scene.
var Scenes = []Scene{Clinic, ColdChain, Hall}

func (s Scene) String() string {
	switch s {
	case Clinic:
		return "clinic"
	case ColdChain:
		return "coldchain"
	case Hall:
		return "hall"
	}
	return fmt.Sprintf("Scene(%d)", int(s))
}

// Options say what to paint.
type Options struct {
	Scene         Scene
	Width, Height int    // as the picture is seen (upright)
	Seed          uint64 // the same seed paints the same picture
	// Grain is the film grain's strength, 0 for the default (0.028);
	// less grain makes a smaller JPEG.
	Grain float64
}

// Paint paints the picture, upright.
func Paint(o Options) *image.RGBA {
	if o.Grain == 0 {
		o.Grain = 0.028
	}
	c := newCanvas(o.Width, o.Height)
	w := &world{c: c, n: newNoise(o.Seed + 1), seed: o.Seed}
	switch o.Scene {
	case ColdChain:
		w.coldChain()
	case Hall:
		w.hall()
	default:
		w.clinic()
	}
	c.blur()
	return c.finish(o.Seed+999, o.Grain)
}

// Orient returns the pixels to store for a picture seen as img when the
// file says EXIF orientation o (1, 3, 6 or 8): a viewer that applies the
// orientation shows img. Orientation 6 means "rotate 90° clockwise to
// view", so the stored pixels are img turned 90° anticlockwise.
func Orient(img *image.RGBA, o int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.RGBA
	var at func(x, y int) (int, int) // stored (x, y) → seen (x, y)
	switch o {
	case 3:
		out = image.NewRGBA(image.Rect(0, 0, w, h))
		at = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 6:
		out = image.NewRGBA(image.Rect(0, 0, h, w))
		// Viewing rotates the stored pixels (h wide, w high) 90° clockwise:
		// stored (x, y) is seen at (w-1-y, x).
		at = func(x, y int) (int, int) { return w - 1 - y, x }
	case 8:
		out = image.NewRGBA(image.Rect(0, 0, h, w))
		// Viewing rotates them 90° anticlockwise: stored (x, y) is seen at
		// (y, h-1-x).
		at = func(x, y int) (int, int) { return y, h - 1 - x }
	default:
		return img
	}
	ob := out.Bounds()
	for y := 0; y < ob.Dy(); y++ {
		for x := 0; x < ob.Dx(); x++ {
			sx, sy := at(x, y)
			copy(out.Pix[out.PixOffset(x, y):out.PixOffset(x, y)+4], img.Pix[img.PixOffset(sx, sy):img.PixOffset(sx, sy)+4])
		}
	}
	return out
}

// JPEG encodes img at the given quality (4:2:0, as Go's encoder does).
func JPEG(img image.Image, quality int) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WithComment returns a JPEG with a comment (COM) segment after its SOI
// marker: the same picture in different bytes.
func WithComment(jpg []byte, comment string) []byte {
	if len(jpg) < 2 || len(comment) > 65533 {
		return jpg
	}
	n := len(comment) + 2
	out := make([]byte, 0, len(jpg)+n+2)
	out = append(out, jpg[:2]...)
	out = append(out, 0xFF, 0xFE, byte(n>>8), byte(n))
	out = append(out, comment...)
	return append(out, jpg[2:]...)
}
