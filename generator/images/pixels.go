package images

import (
	"image"
	"image/draw"
	"math"
	"sort"
)

// storedPoint maps a pixel (x, y) of the displayed image (dw × dh) to the
// stored image's pixel under EXIF orientation o.
func storedPoint(o, x, y, dw, dh int) (int, int) {
	switch o {
	case 2:
		return dw - 1 - x, y
	case 3:
		return dw - 1 - x, dh - 1 - y
	case 4:
		return x, dh - 1 - y
	case 5:
		return y, x
	case 6:
		return y, dw - 1 - x
	case 7:
		return dh - 1 - y, dw - 1 - x
	case 8:
		return dh - 1 - y, x
	}
	return x, y
}

// storedRect maps a rectangle of the displayed image (dw × dh) to the
// stored image's rectangle (origin 0,0) under orientation o.
func storedRect(o int, r image.Rectangle, dw, dh int) image.Rectangle {
	x0, y0 := storedPoint(o, r.Min.X, r.Min.Y, dw, dh)
	x1, y1 := storedPoint(o, r.Max.X-1, r.Max.Y-1, dw, dh)
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	return image.Rect(x0, y0, x1+1, y1+1)
}

// orient returns m (stored, origin 0,0) as displayed under orientation o.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return m
	}
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := out.Pix[y*out.Stride : y*out.Stride+4*dw]
		for x := 0; x < dw; x++ {
			sx, sy := storedPoint(o, x, y, dw, dh)
			i := sy*m.Stride + 4*sx
			copy(row[4*x:4*x+4], m.Pix[i:i+4])
		}
	}
	return out
}

// cropRect is the displayed image's rectangle (w × h) with the aspect ratio
// a around the focal point f, clamped inside the image; the whole image
// when a is 0.
func cropRect(w, h int, a float64, f Focus) image.Rectangle {
	full := image.Rect(0, 0, w, h)
	if a <= 0 || math.IsNaN(a) || math.IsInf(a, 0) || w <= 0 || h <= 0 {
		return full
	}
	fx, fy := focusOf(f)
	if float64(w)/float64(h) > a {
		cw := int(math.Round(float64(h) * a))
		cw = max(1, min(cw, w))
		x0 := int(math.Round(fx*float64(w) - float64(cw)/2))
		x0 = max(0, min(x0, w-cw))
		return image.Rect(x0, 0, x0+cw, h)
	}
	ch := int(math.Round(float64(w) / a))
	ch = max(1, min(ch, h))
	y0 := int(math.Round(fy*float64(h) - float64(ch)/2))
	y0 = max(0, min(y0, h-ch))
	return image.Rect(0, y0, w, y0+ch)
}

// focusOf is f with each part inside 0–1; the zero Focus is the centre.
func focusOf(f Focus) (float64, float64) {
	if f == (Focus{}) {
		return 0.5, 0.5
	}
	c := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0.5
		}
		return math.Max(0, math.Min(1, v))
	}
	return c(f.X), c(f.Y)
}

// widthsFor is the job's widths for an image w pixels wide: none larger
// than w, no duplicates, ascending; w alone when the job asks for none.
func widthsFor(ws []int, w int) []int {
	var out []int
	for _, x := range ws {
		if x <= 0 {
			continue
		}
		out = append(out, min(x, w))
	}
	if len(out) == 0 {
		out = []int{w}
	}
	sort.Ints(out)
	k := 0
	for i, x := range out {
		if i == 0 || x != out[k-1] {
			out[k] = x
			k++
		}
	}
	return out[:k]
}

// toRGBA copies the rectangle r of m into a new RGBA image of size dw × dh
// (origin 0,0). When that is smaller, it averages the source pixels each
// output pixel covers (a box filter over exact areas), one source row at a
// time, so no full-size copy of the source is ever made.
func toRGBA(m image.Image, r image.Rectangle, dw, dh int) *image.RGBA {
	sw, sh := r.Dx(), r.Dy()
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if dw == sw && dh == sh {
		draw.Draw(out, out.Rect, m, r.Min, draw.Src)
		return out
	}
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	hd, hw0, hw1 := areaSpans(sw, dw)
	vd, vw0, vw1 := areaSpans(sh, dh)
	// One spare pixel at the end takes the (zero) second share of the last
	// source pixel, so the loops need no branch.
	hrow := make([]float32, 4*(dw+1))
	acc := [2][]float32{make([]float32, 4*dw), make([]float32, 4*dw)}
	base := 0
	flush := func() {
		o := out.Pix[base*out.Stride : base*out.Stride+4*dw]
		for i, v := range acc[0][:len(o)] {
			switch {
			case v >= 254.5:
				o[i] = 255
			case v > 0:
				o[i] = uint8(v + 0.5)
			default:
				o[i] = 0
			}
		}
		acc[0], acc[1] = acc[1], acc[0]
		clear(acc[1])
		base++
	}
	for sy := 0; sy < sh; sy++ {
		draw.Draw(row, row.Rect, m, image.Pt(r.Min.X, r.Min.Y+sy), draw.Src)
		clear(hrow)
		pix := row.Pix[:4*sw]
		for sx := 0; sx < sw; sx++ {
			p := pix[4*sx : 4*sx+4 : 4*sx+4]
			d := 4 * int(hd[sx])
			h := hrow[d : d+8 : d+8]
			w0, w1 := hw0[sx], hw1[sx]
			r, g, b, a := float32(p[0]), float32(p[1]), float32(p[2]), float32(p[3])
			h[0] += r * w0
			h[1] += g * w0
			h[2] += b * w0
			h[3] += a * w0
			h[4] += r * w1
			h[5] += g * w1
			h[6] += b * w1
			h[7] += a * w1
		}
		for int(vd[sy]) > base {
			flush()
		}
		a0, a1 := acc[0], acc[1][:len(acc[0])]
		w0, w1 := vw0[sy], vw1[sy]
		hr := hrow[:len(a0)]
		for i, v := range hr {
			a0[i] += v * w0
			a1[i] += v * w1
		}
	}
	for base < dh {
		flush()
	}
	return out
}

// areaSpans says, for each of s source pixels reduced to d, the first
// output pixel it falls in and its shares of that one and the next
// (in output pixels: the shares of a whole output pixel add up to 1).
func areaSpans(s, d int) (first []int32, w0, w1 []float32) {
	first, w0, w1 = make([]int32, s), make([]float32, s), make([]float32, s)
	scale := float64(d) / float64(s) // output pixels per source pixel
	for i := 0; i < s; i++ {
		a, b := float64(i)*scale, float64(i+1)*scale
		k := min(int(a), d-1)
		end := float64(k + 1)
		first[i] = int32(k)
		if b <= end || k+1 >= d {
			w0[i] = float32(b - a)
		} else {
			w0[i], w1[i] = float32(end-a), float32(b-end)
		}
	}
	return
}
