package photogen

import (
	"image"
	"math"

	"github.com/drumbeat/drumbeat/generator/internal/par"
)

// rgb is a colour with sRGB-encoded components in [0, 1].
type rgb struct{ R, G, B float64 }

func (c rgb) mul(k float64) rgb { return rgb{c.R * k, c.G * k, c.B * k} }
func (c rgb) mix(d rgb, t float64) rgb {
	return rgb{mix(c.R, d.R, t), mix(c.G, d.G, t), mix(c.B, d.B, t)}
}

func hex(s string) rgb {
	var v [3]float64
	for i := range v {
		hi, lo := unhex(s[1+2*i]), unhex(s[2+2*i])
		v[i] = float64(hi*16+lo) / 255
	}
	return rgb{v[0], v[1], v[2]}
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// canvas is a picture being painted, three float32 per pixel.
type canvas struct {
	w, h int
	pix  []float32
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, pix: make([]float32, w*h*3)} }

// blend paints col over pixel (x, y) with opacity a.
func (c *canvas) blend(x, y int, col rgb, a float64) {
	if a <= 0 {
		return
	}
	i := (y*c.w + x) * 3
	if a >= 1 {
		c.pix[i], c.pix[i+1], c.pix[i+2] = float32(col.R), float32(col.G), float32(col.B)
		return
	}
	c.pix[i] += float32((col.R - float64(c.pix[i])) * a)
	c.pix[i+1] += float32((col.G - float64(c.pix[i+1])) * a)
	c.pix[i+2] += float32((col.B - float64(c.pix[i+2])) * a)
}

// darken multiplies pixel (x, y) by 1-a, tinted: a shadow.
func (c *canvas) darken(x, y int, a float64, tint rgb) {
	i := (y*c.w + x) * 3
	c.pix[i] *= float32(1 - a*(1-tint.R))
	c.pix[i+1] *= float32(1 - a*(1-tint.G))
	c.pix[i+2] *= float32(1 - a*(1-tint.B))
}

// rows calls fn for each row from y0 to y1 (exclusive), in parallel.
func (c *canvas) rows(y0, y1 int, fn func(y int)) {
	y0, y1 = max(y0, 0), min(y1, c.h)
	if y1 <= y0 {
		return
	}
	const band = 16
	n := (y1 - y0 + band - 1) / band
	par.Do(n, func(i int) {
		for y := y0 + i*band; y < min(y0+(i+1)*band, y1); y++ {
			fn(y)
		}
	})
}

type pt struct{ X, Y float64 }

// poly calls shade for every pixel a convex polygon (in pixels) covers,
// with the pixel's coverage in [0, 1]; soft is the width in pixels over
// which the edge fades.
func (c *canvas) poly(p []pt, soft float64, shade func(x, y int, cov float64)) {
	if len(p) < 3 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	area := 0.0
	for i, a := range p {
		b := p[(i+1)%len(p)]
		area += a.X*b.Y - b.X*a.Y
		minX, maxX = math.Min(minX, a.X), math.Max(maxX, a.X)
		minY, maxY = math.Min(minY, a.Y), math.Max(maxY, a.Y)
	}
	if area == 0 {
		return
	}
	type edge struct{ nx, ny, d float64 }
	edges := make([]edge, len(p))
	for i, a := range p {
		b := p[(i+1)%len(p)]
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			l = 1
		}
		nx, ny := -dy/l, dx/l // inward for a positive area (y down)
		if area < 0 {
			nx, ny = -nx, -ny
		}
		edges[i] = edge{nx, ny, nx*a.X + ny*a.Y}
	}
	if soft < 1 {
		soft = 1
	}
	x0 := max(int(math.Floor(minX-soft)), 0)
	x1 := min(int(math.Ceil(maxX+soft)), c.w-1)
	c.rows(int(math.Floor(minY-soft)), int(math.Ceil(maxY+soft))+1, func(y int) {
		py := float64(y) + 0.5
		for x := x0; x <= x1; x++ {
			px := float64(x) + 0.5
			d := math.Inf(1)
			for _, e := range edges {
				d = math.Min(d, e.nx*px+e.ny*py-e.d)
			}
			cov := clamp(d/soft+0.5, 0, 1)
			if cov > 0 {
				shade(x, y, cov)
			}
		}
	})
}

// blur softens the picture with a 1-2-1 kernel in both directions, as a
// lens does.
func (c *canvas) blur() {
	tmp := make([]float32, len(c.pix))
	c.rows(0, c.h, func(y int) {
		for x := 0; x < c.w; x++ {
			l, r := max(x-1, 0), min(x+1, c.w-1)
			for k := 0; k < 3; k++ {
				i := (y*c.w+x)*3 + k
				tmp[i] = (c.pix[(y*c.w+l)*3+k] + 2*c.pix[i] + c.pix[(y*c.w+r)*3+k]) / 4
			}
		}
	})
	c.rows(0, c.h, func(y int) {
		u, d := max(y-1, 0), min(y+1, c.h-1)
		for x := 0; x < c.w; x++ {
			for k := 0; k < 3; k++ {
				i := (y*c.w+x)*3 + k
				c.pix[i] = (tmp[(u*c.w+x)*3+k] + 2*tmp[i] + tmp[(d*c.w+x)*3+k]) / 4
			}
		}
	})
}

// finish adds a vignette and film grain (stronger in the shadows, as a
// phone sensor's) and returns the picture as 8-bit RGBA.
func (c *canvas) finish(seed uint64, grain float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	cx, cy := float64(c.w)/2, float64(c.h)/2
	rr := cx*cx + cy*cy
	c.rows(0, c.h, func(y int) {
		for x := 0; x < c.w; x++ {
			i := (y*c.w + x) * 3
			dx, dy := float64(x)-cx, float64(y)-cy
			vig := 1 - 0.22*math.Pow((dx*dx+dy*dy)/rr, 1.5)
			lum := (float64(c.pix[i])*0.3 + float64(c.pix[i+1])*0.59 + float64(c.pix[i+2])*0.11) * vig
			amp := grain * (0.55 + 0.9*(1-clamp(lum, 0, 1)))
			g := (hash(seed, x, y) + hash(seed+1, x, y) + hash(seed+2, x, y) - 1.5) * amp
			o := (y*c.w + x) * 4
			for k := 0; k < 3; k++ {
				ch := (hash(seed+3+uint64(k), x, y) - 0.5) * amp * 0.5
				v := float64(c.pix[i+k])*vig + g + ch
				img.Pix[o+k] = uint8(clamp(v*255+0.5, 0, 255))
			}
			img.Pix[o+3] = 255
		}
	})
	return img
}
