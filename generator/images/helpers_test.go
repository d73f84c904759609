package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"math"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// quadrants is a w × h image whose quadrants are red, green (top), blue,
// white (bottom), so that every orientation gives a different picture.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.RGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.RGBA{255, 0, 0, 255}
			case y < h/2:
				c = color.RGBA{0, 255, 0, 255}
			case x < w/2:
				c = color.RGBA{0, 0, 255, 255}
			default:
				c = color.RGBA{255, 255, 255, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func encJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encPNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifBlock is an APP1 Exif payload (big-endian TIFF) with the orientation
// o in IFD0 and a GPS IFD holding a latitude reference, as a phone writes.
func exifBlock(o int) []byte {
	var b bytes.Buffer
	b.WriteString("Exif\x00\x00")
	t := []byte("MM\x00*\x00\x00\x00\x08")
	u16 := func(v int) { t = binary.BigEndian.AppendUint16(t, uint16(v)) }
	u32 := func(v int) { t = binary.BigEndian.AppendUint32(t, uint32(v)) }
	// IFD0 at 8: 2 entries, then the next-IFD offset; the GPS IFD follows
	// at 8+2+24+4 = 38.
	u16(2)
	u16(0x0112)
	u16(3)
	u32(1)
	u16(o)
	u16(0)
	u16(0x8825)
	u16(4)
	u32(1)
	u32(38)
	u32(0)
	// GPS IFD: GPSLatitudeRef "N".
	u16(1)
	u16(0x0001)
	u16(2)
	u32(2)
	t = append(t, 'N', 0, 0, 0)
	u32(0)
	b.Write(t)
	return b.Bytes()
}

// withSegments inserts APPn/COM segments right after a JPEG's SOI.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// seg is a JPEG marker segment with payload p.
func seg(marker byte, p []byte) []byte {
	n := len(p) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, p...)
}

func s15b(v float64) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(v*65536))))
}

// matrixProfile is an ICC v2 RGB matrix/TRC profile with the given D50
// colorants (columns r, g, b) and sRGB's parametric curve.
func matrixProfile(col [3][3]float64) []byte {
	type tag struct {
		sig  string
		data []byte
	}
	xyz := func(c int) []byte {
		d := []byte("XYZ \x00\x00\x00\x00")
		for i := 0; i < 3; i++ {
			d = append(d, s15b(col[i][c])...)
		}
		return d
	}
	para := []byte("para\x00\x00\x00\x00\x00\x03\x00\x00")
	for _, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
		para = append(para, s15b(v)...)
	}
	tags := []tag{{"rXYZ", xyz(0)}, {"gXYZ", xyz(1)}, {"bXYZ", xyz(2)}, {"rTRC", para}, {"gTRC", para}, {"bTRC", para}}
	head := make([]byte, 128)
	copy(head[12:], "mntr")
	copy(head[16:], "RGB ")
	copy(head[20:], "XYZ ")
	copy(head[36:], "acsp")
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	off := 128 + 4 + 12*len(tags)
	var body []byte
	for _, tg := range tags {
		table = append(table, tg.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(body)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(tg.data)))
		body = append(body, tg.data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	p := append(append(head, table...), body...)
	binary.BigEndian.PutUint32(p[0:], uint32(len(p)))
	return p
}

// displayP3 is Display P3's colorants adapted to D50.
var displayP3 = [3][3]float64{
	{0.5151, 0.2920, 0.1571},
	{0.2412, 0.6922, 0.0666},
	{-0.0011, 0.0419, 0.7841},
}

// iccSegments splits a profile into APP2 ICC_PROFILE segments of at most
// chunk bytes each.
func iccSegments(p []byte, chunk int) [][]byte {
	n := (len(p) + chunk - 1) / chunk
	var segs [][]byte
	for i := 0; i < n; i++ {
		part := p[i*chunk : min(len(p), (i+1)*chunk)]
		segs = append(segs, seg(0xE2, append([]byte{'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, byte(i + 1), byte(n)}, part...)))
	}
	return segs
}

// countFS counts the opens of an fs.FS.
type countFS struct {
	fs.FS
	opens atomic.Int64
}

func (c *countFS) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.FS.Open(name)
}

func (c *countFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: v}
	}
	return m
}

// jpegMarkers lists the markers of a JPEG's segments before its image data.
func jpegMarkers(b []byte) []byte {
	segs, _, _ := jpegSegments(b)
	var ms []byte
	for _, s := range segs {
		ms = append(ms, s.marker)
	}
	return ms
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
