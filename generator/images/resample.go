package images

import (
	"image"
	"math"
)

// The resampler: a separable Catmull-Rom filter (the cubic with B = 0,
// C = 0.5, as golang.org/x/image/draw.CatmullRom), widened by the scale
// when reducing, in fixed point. It does what draw.CatmullRom.Scale does
// for an RGBA image about five times faster (no float64 buffer of 32 bytes
// a pixel); TestResampleMatchesXDraw holds it to that.

const wBits = 14 // weights in 1/16384

// taps is the source span and weights of one output pixel.
type taps struct {
	start int
	w     []int32
}

func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// weights are the taps of each of dst output pixels from src pixels.
func weights(src, dst int) []taps {
	scale := float64(src) / float64(dst)
	support := 2 * math.Max(1, scale)
	ts := make([]taps, dst)
	fw := make([]float64, 0, int(2*support)+3)
	for i := range ts {
		c := (float64(i)+0.5)*scale - 0.5
		// Taps past an edge are left out and the others weigh more, as
		// x/image/draw does.
		lo := max(int(math.Ceil(c-support)), 0)
		hi := min(int(math.Floor(c+support)), src-1)
		fw = fw[:0]
		var sum float64
		for j := lo; j <= hi; j++ {
			v := catmullRom((float64(j) - c) / math.Max(1, scale))
			fw = append(fw, v)
			sum += v
		}
		start := lo
		w := make([]int32, len(fw))
		for k, v := range fw {
			w[k] = int32(math.Round(v / sum * (1 << wBits)))
		}
		ts[i] = taps{start: start, w: w}
	}
	return ts
}

// resize scales m (origin 0,0) to w × h with Catmull-Rom.
func resize(m *image.RGBA, w, h int) *image.RGBA {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	if sw == w && sh == h {
		return m
	}
	hx, vy := weights(sw, w), weights(sh, h)
	// Horizontal pass: every source row to w pixels, kept with 8 bits of
	// fraction.
	tmp := make([]int32, 4*w*sh)
	for y := 0; y < sh; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*sw]
		out := tmp[4*w*y : 4*w*(y+1)]
		for x, t := range hx {
			var r, g, b, a int32
			p := row[4*t.start:]
			for k, wt := range t.w {
				q := p[4*k : 4*k+4 : 4*k+4]
				r += wt * int32(q[0])
				g += wt * int32(q[1])
				b += wt * int32(q[2])
				a += wt * int32(q[3])
			}
			o := out[4*x : 4*x+4 : 4*x+4]
			o[0], o[1], o[2], o[3] = r>>(wBits-8), g>>(wBits-8), b>>(wBits-8), a>>(wBits-8)
		}
	}
	// Vertical pass.
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	acc := make([]int64, 4*w)
	const shift = wBits + 8
	const half = 1 << (shift - 1)
	for y, t := range vy {
		clear(acc)
		for k, wt := range t.w {
			src := tmp[4*w*(t.start+k) : 4*w*(t.start+k+1)]
			w64 := int64(wt)
			for i, v := range src {
				acc[i] += w64 * int64(v)
			}
		}
		o := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i := 0; i+4 <= len(o); i += 4 {
			a := clamp8((acc[i+3] + half) >> shift)
			o[i+3] = a
			o[i] = min(clamp8((acc[i]+half)>>shift), a)
			o[i+1] = min(clamp8((acc[i+1]+half)>>shift), a)
			o[i+2] = min(clamp8((acc[i+2]+half)>>shift), a)
		}
	}
	return dst
}

func clamp8(v int64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// levels are an image and its halvings by 2 × 2 box averaging, made when
// asked for. The largest output width is resampled from the first level;
// each smaller one from the smallest level at least as wide, so the
// Catmull-Rom filter reduces by less than 2 and reads few pixels (libvips
// calls this shrink, then reduce).
type levels []*image.RGBA

func (l *levels) atLeast(w int) *image.RGBA {
	for {
		last := (*l)[len(*l)-1]
		if last.Rect.Dx() < 2*w || last.Rect.Dx() < 2 || last.Rect.Dy() < 2 {
			break
		}
		*l = append(*l, halve(last))
	}
	for _, m := range *l {
		if m.Rect.Dx() < 2*w {
			return m
		}
	}
	return (*l)[len(*l)-1]
}

// halve is m at half its size (rounded down), each pixel the mean of 2 × 2.
func halve(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx()/2, m.Rect.Dy()/2
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		r0 := m.Pix[2*y*m.Stride:]
		r1 := m.Pix[(2*y+1)*m.Stride:]
		o := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < 4*w; x += 4 {
			i := 2 * x
			for c := 0; c < 4; c++ {
				o[x+c] = uint8((int(r0[i+c]) + int(r0[i+4+c]) + int(r1[i+c]) + int(r1[i+4+c]) + 2) >> 2)
			}
		}
	}
	return out
}
