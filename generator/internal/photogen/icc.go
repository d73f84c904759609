package photogen

import (
	"encoding/binary"
	"image"
	"math"
)

// mat3 is a 3×3 matrix, row major.
type mat3 [9]float64

func (m mat3) mul(n mat3) mat3 {
	var r mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[i*3+j] += m[i*3+k] * n[k*3+j]
			}
		}
	}
	return r
}

func (m mat3) apply(v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[1]*v[1] + m[2]*v[2],
		m[3]*v[0] + m[4]*v[1] + m[5]*v[2],
		m[6]*v[0] + m[7]*v[1] + m[8]*v[2],
	}
}

func (m mat3) inv() mat3 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return mat3{
		(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}
}

// rgbToXYZ returns the matrix from linear RGB to XYZ for the primaries and
// white point given as xy chromaticities.
func rgbToXYZ(rx, ry, gx, gy, bx, by, wx, wy float64) mat3 {
	xyz := func(x, y float64) [3]float64 { return [3]float64{x / y, 1, (1 - x - y) / y} }
	r, g, b, w := xyz(rx, ry), xyz(gx, gy), xyz(bx, by), xyz(wx, wy)
	p := mat3{r[0], g[0], b[0], r[1], g[1], b[1], r[2], g[2], b[2]}
	s := p.inv().apply(w)
	return mat3{
		p[0] * s[0], p[1] * s[1], p[2] * s[2],
		p[3] * s[0], p[4] * s[1], p[5] * s[2],
		p[6] * s[0], p[7] * s[1], p[8] * s[2],
	}
}

var (
	d65 = [2]float64{0.3127, 0.3290}
	// d50 is the ICC profile connection space's white.
	d50       = [3]float64{0.9642, 1.0, 0.8249}
	srgbToXYZ = rgbToXYZ(0.64, 0.33, 0.30, 0.60, 0.15, 0.06, d65[0], d65[1])
	p3ToXYZ   = rgbToXYZ(0.680, 0.320, 0.265, 0.690, 0.150, 0.060, d65[0], d65[1])
)

// bradfordD65ToD50 adapts XYZ under D65 to D50 (the ICC's own method).
func bradfordD65ToD50() mat3 {
	ma := mat3{0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296}
	w65 := [3]float64{d65[0] / d65[1], 1, (1 - d65[0] - d65[1]) / d65[1]}
	s, d := ma.apply(w65), ma.apply(d50)
	return ma.inv().mul(mat3{d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]}).mul(ma)
}

func srgbDecode(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func srgbEncode(v float64) float64 {
	if v <= 0.0031308 {
		return v * 12.92
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// ToDisplayP3 converts an sRGB picture's pixels, in place, to Display P3
// (the same colours, in the wider space's numbers): a file carrying them
// with DisplayP3Profile looks as the sRGB picture did, and a viewer that
// ignores the profile shows it duller.
func ToDisplayP3(img *image.RGBA) {
	m := p3ToXYZ.inv().mul(srgbToXYZ)
	var dec [256]float64
	for i := range dec {
		dec[i] = srgbDecode(float64(i) / 255)
	}
	const steps = 4096
	var enc [steps + 1]uint8
	for i := range enc {
		enc[i] = uint8(clamp(srgbEncode(float64(i)/steps)*255+0.5, 0, 255))
	}
	for o := 0; o+3 < len(img.Pix); o += 4 {
		v := m.apply([3]float64{dec[img.Pix[o]], dec[img.Pix[o+1]], dec[img.Pix[o+2]]})
		for k := 0; k < 3; k++ {
			img.Pix[o+k] = enc[int(clamp(v[k], 0, 1)*steps+0.5)]
		}
	}
}

// DisplayP3Profile returns an ICC version 2 display profile of Display P3
// (DCI-P3 primaries, the D65 white and the sRGB tone curve): a matrix and
// three tone curves, as phones embed.
func DisplayP3Profile() []byte {
	be := binary.BigEndian
	s15 := func(b []byte, v float64) { be.PutUint32(b, uint32(int32(math.Round(v*65536)))) }
	xyz := func(v [3]float64) []byte {
		b := make([]byte, 20)
		copy(b, "XYZ ")
		for i := range v {
			s15(b[8+4*i:], v[i])
		}
		return b
	}
	desc := func(s string) []byte {
		b := make([]byte, 12+len(s)+1+4+4+2+1+67)
		copy(b, "desc")
		be.PutUint32(b[8:], uint32(len(s)+1))
		copy(b[12:], s)
		return b
	}
	text := func(s string) []byte {
		b := make([]byte, 8+len(s)+1)
		copy(b, "text")
		copy(b[8:], s)
		return b
	}
	const n = 1024
	curve := make([]byte, 12+2*n)
	copy(curve, "curv")
	be.PutUint32(curve[8:], n)
	for i := 0; i < n; i++ {
		be.PutUint16(curve[12+2*i:], uint16(math.Round(srgbDecode(float64(i)/(n-1))*65535)))
	}
	m := bradfordD65ToD50().mul(p3ToXYZ)
	col := func(j int) [3]float64 { return [3]float64{m[j], m[3+j], m[6+j]} }
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{
		{"desc", desc("Display P3 (drumbeat photogen)")},
		{"cprt", text("No copyright, use freely")},
		{"wtpt", xyz(d50)},
		{"rXYZ", xyz(col(0))},
		{"gXYZ", xyz(col(1))},
		{"bXYZ", xyz(col(2))},
		{"rTRC", curve},
		{"gTRC", nil}, // shares rTRC's data
		{"bTRC", nil},
	}
	head := 128 + 4 + 12*len(tags)
	var body []byte
	offs := make([]int, len(tags))
	sizes := make([]int, len(tags))
	for i, t := range tags {
		if t.data == nil {
			offs[i], sizes[i] = offs[i-1], sizes[i-1]
			continue
		}
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		offs[i], sizes[i] = head+len(body), len(t.data)
		body = append(body, t.data...)
	}
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	p := make([]byte, head, head+len(body))
	p = append(p, body...)
	be.PutUint32(p[0:], uint32(len(p)))
	be.PutUint32(p[8:], 0x02100000) // version 2.1
	copy(p[12:], "mntr")
	copy(p[16:], "RGB ")
	copy(p[20:], "XYZ ")
	for i, v := range []uint16{2026, 12, 7, 12, 0, 0} {
		be.PutUint16(p[24+2*i:], v)
	}
	copy(p[36:], "acsp")
	for i, v := range d50 {
		s15(p[68+4*i:], v)
	}
	be.PutUint32(p[128:], uint32(len(tags)))
	for i, t := range tags {
		o := 132 + 12*i
		copy(p[o:], t.sig)
		be.PutUint32(p[o+4:], uint32(offs[i]))
		be.PutUint32(p[o+8:], uint32(sizes[i]))
	}
	return p
}
