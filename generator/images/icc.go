package images

import (
	"bytes"
	"compress/zlib"
	"image"
	"io"
	"math"
	"sort"
)

// maxICC bounds the size of an ICC profile read from a file.
const maxICC = 4 << 20

// jpegICC joins a JPEG's APP2 ICC_PROFILE segments (a profile may be split
// across several, each numbered) in their order; nil when there are none
// or their numbering is broken.
func jpegICC(segs []segment) []byte {
	type part struct {
		seq  int
		data []byte
	}
	var parts []part
	total := 0
	for _, s := range segs {
		if s.marker != 0xE2 || len(s.data) < 14 || string(s.data[:12]) != "ICC_PROFILE\x00" {
			continue
		}
		parts = append(parts, part{int(s.data[12]), s.data[14:]})
		total += len(s.data) - 14
	}
	if len(parts) == 0 || total > maxICC {
		return nil
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].seq < parts[j].seq })
	out := make([]byte, 0, total)
	for i, p := range parts {
		if p.seq != i+1 {
			return nil
		}
		out = append(out, p.data...)
	}
	return out
}

// pngICC is the profile in a PNG's iCCP chunk, nil when there is none or it
// does not inflate within maxICC.
func pngICC(b []byte) []byte {
	for _, c := range pngChunks(b) {
		if c.typ != "iCCP" {
			continue
		}
		i := bytes.IndexByte(c.data, 0)
		if i < 0 || i+2 > len(c.data) || c.data[i+1] != 0 {
			return nil
		}
		r, err := zlib.NewReader(bytes.NewReader(c.data[i+2:]))
		if err != nil {
			return nil
		}
		p, err := io.ReadAll(io.LimitReader(r, maxICC+1))
		if err != nil || len(p) > maxICC {
			return nil
		}
		return p
	}
	return nil
}

// curve is a tone reproduction curve: device value 0–1 to linear 0–1.
type curve func(float64) float64

// iccTransform converts RGB pixels of a matrix/TRC profile to sRGB.
type iccTransform struct {
	lin [3][256]float32 // per channel, 8-bit value to linear
	m   [3][3]float32   // linear device RGB to linear sRGB
}

// sRGB's colorants adapted to D50, as ICC profiles give them (rXYZ, gXYZ,
// bXYZ as columns).
var srgbD50 = [3][3]float64{
	{0.4360747, 0.3850649, 0.1430804},
	{0.2225045, 0.7168786, 0.0606169},
	{0.0139322, 0.0971045, 0.7141733},
}

// xyzD50ToSRGB is the inverse of srgbD50.
var xyzD50ToSRGB = [3][3]float64{
	{3.1338561, -1.6168667, -0.4906146},
	{-0.9787684, 1.9161415, 0.0334540},
	{0.0719453, -0.2289914, 1.4052427},
}

// parseICC reads an RGB matrix/TRC ICC profile. It returns nil when p is
// not one (a LUT-based or CMYK or grey profile, or damaged data) or when it
// is sRGB within a small tolerance: then there is nothing to convert.
func parseICC(p []byte) *iccTransform {
	t, _ := parseICCKind(p)
	return t
}

// parseICCKind is parseICC that also says whether p is a matrix/TRC RGB
// profile at all: known with a nil transform is sRGB.
func parseICCKind(p []byte) (t *iccTransform, known bool) {
	if len(p) < 132 || string(p[16:20]) != "RGB " || string(p[20:24]) != "XYZ " {
		return nil, false
	}
	if n := int64(be32(p[0:4])); n >= 132 && n < int64(len(p)) {
		p = p[:n]
	}
	count := int64(be32(p[128:132]))
	if count > 1000 {
		return nil, false
	}
	tags := map[string][]byte{}
	for i := int64(0); i < count; i++ {
		e := 132 + 12*i
		if e+12 > int64(len(p)) {
			return nil, false
		}
		off, size := int64(be32(p[e+4:])), int64(be32(p[e+8:]))
		if off+size > int64(len(p)) || size < 8 {
			continue
		}
		tags[string(p[e:e+4])] = p[off : off+size]
	}
	var col [3][3]float64
	var curves [3]curve
	for c, name := range []string{"r", "g", "b"} {
		x, ok := xyzTag(tags[name+"XYZ"])
		if !ok {
			return nil, false
		}
		col[0][c], col[1][c], col[2][c] = x[0], x[1], x[2]
		curves[c] = trcTag(tags[name+"TRC"])
		if curves[c] == nil {
			return nil, false
		}
	}
	if isSRGB(col, curves) {
		return nil, true
	}
	t = &iccTransform{}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			var s float64
			for k := 0; k < 3; k++ {
				s += xyzD50ToSRGB[i][k] * col[k][j]
			}
			t.m[i][j] = float32(s)
		}
	}
	for c := 0; c < 3; c++ {
		for v := 0; v < 256; v++ {
			y := curves[c](float64(v) / 255)
			if math.IsNaN(y) {
				y = 0
			}
			t.lin[c][v] = float32(math.Max(0, math.Min(1, y)))
		}
	}
	return t, true
}

func s15(b []byte) float64 { return float64(int32(be32(b))) / 65536 }

func xyzTag(b []byte) ([3]float64, bool) {
	if len(b) < 20 || string(b[:4]) != "XYZ " {
		return [3]float64{}, false
	}
	return [3]float64{s15(b[8:]), s15(b[12:]), s15(b[16:])}, true
}

// trcTag reads a curv or para tag; nil when it is neither or damaged.
func trcTag(b []byte) curve {
	if len(b) < 12 {
		return nil
	}
	switch string(b[:4]) {
	case "curv":
		n := int64(be32(b[8:]))
		switch {
		case n == 0:
			return func(x float64) float64 { return x }
		case n == 1:
			if len(b) < 14 {
				return nil
			}
			g := float64(be16(b[12:])) / 256
			return func(x float64) float64 { return math.Pow(x, g) }
		case 12+2*n > int64(len(b)) || n > 65536:
			return nil
		}
		tab := make([]float64, n)
		for i := range tab {
			tab[i] = float64(be16(b[12+2*i:])) / 65535
		}
		return func(x float64) float64 {
			f := x * float64(len(tab)-1)
			i := int(f)
			if i >= len(tab)-1 {
				return tab[len(tab)-1]
			}
			if i < 0 {
				return tab[0]
			}
			return tab[i] + (tab[i+1]-tab[i])*(f-float64(i))
		}
	case "para":
		typ := be16(b[8:])
		np := [...]int{1, 3, 4, 5, 7}
		if int(typ) >= len(np) || len(b) < 12+4*np[typ] {
			return nil
		}
		var v [7]float64
		for i := 0; i < np[typ]; i++ {
			v[i] = s15(b[12+4*i:])
		}
		g, a, bb, c, d, e, f := v[0], v[1], v[2], v[3], v[4], v[5], v[6]
		pow := func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return math.Pow(x, g)
		}
		switch typ {
		case 0:
			return func(x float64) float64 { return pow(x) }
		case 1:
			return func(x float64) float64 {
				if a != 0 && x >= -bb/a {
					return pow(a*x + bb)
				}
				return 0
			}
		case 2:
			return func(x float64) float64 {
				if a != 0 && x >= -bb/a {
					return pow(a*x+bb) + c
				}
				return c
			}
		case 3:
			return func(x float64) float64 {
				if x >= d {
					return pow(a*x + bb)
				}
				return c * x
			}
		case 4:
			return func(x float64) float64 {
				if x >= d {
					return pow(a*x+bb) + e
				}
				return c*x + f
			}
		}
	}
	return nil
}

func linearToSRGB(x float64) float64 {
	if x <= 0.0031308 {
		return 12.92 * x
	}
	return 1.055*math.Pow(x, 1/2.4) - 0.055
}

// isSRGB is true for colorants within 0.002 of sRGB's and curves within
// one 8-bit step of sRGB's.
func isSRGB(col [3][3]float64, curves [3]curve) bool {
	for i := range col {
		for j := range col[i] {
			if math.Abs(col[i][j]-srgbD50[i][j]) > 0.002 {
				return false
			}
		}
	}
	for _, c := range curves {
		for v := 0; v <= 255; v += 5 {
			x := float64(v) / 255
			if math.Abs(linearToSRGB(math.Max(0, c(x)))-x)*255 > 1 {
				return false
			}
		}
	}
	return true
}

// toSRGB8 maps linear 0–1 in 4096 steps to 8-bit sRGB.
var toSRGB8 = func() (t [4097]uint8) {
	for i := range t {
		t[i] = uint8(math.Round(linearToSRGB(float64(i)/4096) * 255))
	}
	return
}()

// apply converts m's pixels in place.
func (t *iccTransform) apply(m *image.RGBA) {
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*m.Rect.Dx()]
		for i := 0; i+4 <= len(row); i += 4 {
			a := row[i+3]
			if a == 0 {
				continue
			}
			r, g, b := row[i], row[i+1], row[i+2]
			if a != 255 { // un-premultiply
				r = uint8(min(255, int(r)*255/int(a)))
				g = uint8(min(255, int(g)*255/int(a)))
				b = uint8(min(255, int(b)*255/int(a)))
			}
			lr, lg, lb := t.lin[0][r], t.lin[1][g], t.lin[2][b]
			var out [3]uint8
			for c := 0; c < 3; c++ {
				v := t.m[c][0]*lr + t.m[c][1]*lg + t.m[c][2]*lb
				switch {
				case !(v > 0):
					v = 0
				case v > 1:
					v = 1
				}
				out[c] = toSRGB8[int(v*4096+0.5)]
			}
			if a != 255 {
				for c := range out {
					out[c] = uint8(int(out[c]) * int(a) / 255)
				}
			}
			row[i], row[i+1], row[i+2] = out[0], out[1], out[2]
		}
	}
}
