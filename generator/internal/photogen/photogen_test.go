package photogen

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"
)

func TestPaintIsDeterministic(t *testing.T) {
	for _, s := range Scenes {
		t.Run(s.String(), func(t *testing.T) {
			a := Paint(Options{Scene: s, Width: 120, Height: 90, Seed: 7})
			b := Paint(Options{Scene: s, Width: 120, Height: 90, Seed: 7})
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Fatal("the same seed painted two different pictures")
			}
			c := Paint(Options{Scene: s, Width: 120, Height: 90, Seed: 8})
			if bytes.Equal(a.Pix, c.Pix) {
				t.Fatal("another seed painted the same picture")
			}
		})
	}
}

// TestPaintHasDetail fails on a flat or nearly flat picture: a photo's JPEG
// must have a phone photo's detail.
func TestPaintHasDetail(t *testing.T) {
	img := Paint(Options{Scene: Clinic, Width: 400, Height: 300, Seed: 1})
	var sum, sum2 float64
	for o := 0; o < len(img.Pix); o += 4 {
		v := float64(img.Pix[o+1])
		sum += v
		sum2 += v * v
	}
	n := float64(len(img.Pix) / 4)
	if sd := math.Sqrt(sum2/n - (sum/n)*(sum/n)); sd < 20 {
		t.Errorf("standard deviation of green %.1f, want a varied picture", sd)
	}
	jpg, err := JPEG(img, 88)
	if err != nil {
		t.Fatal(err)
	}
	if len(jpg) < 25_000 {
		t.Errorf("a 400×300 JPEG of %d bytes: too little detail", len(jpg))
	}
}

// TestOrient checks the stored pixels against the EXIF specification's
// words: for each orientation, where the picture's top-left corner is kept.
func TestOrient(t *testing.T) {
	const w, h = 5, 3
	seen := image.NewRGBA(image.Rect(0, 0, w, h))
	red := color.RGBA{255, 0, 0, 255}
	seen.Set(0, 0, red)
	for _, tc := range []struct {
		o      int
		sw, sh int
		x, y   int // where the seen top-left pixel is stored
	}{
		{1, w, h, 0, 0},
		{3, w, h, w - 1, h - 1}, // rotated 180°
		// 6: "the 0th row is the visual right-hand side, the 0th column
		// the visual top": the top-left is stored bottom-left.
		{6, h, w, 0, w - 1},
		// 8: "the 0th row is the visual left-hand side, the 0th column the
		// visual bottom": the top-left is stored top-right.
		{8, h, w, h - 1, 0},
	} {
		s := Orient(seen, tc.o)
		if b := s.Bounds(); b.Dx() != tc.sw || b.Dy() != tc.sh {
			t.Errorf("orientation %d: stored %v, want %d×%d", tc.o, b, tc.sw, tc.sh)
			continue
		}
		if s.RGBAAt(tc.x, tc.y) != red {
			t.Errorf("orientation %d: the top-left pixel is not stored at (%d, %d)", tc.o, tc.x, tc.y)
		}
		n := 0
		for o := 0; o < len(s.Pix); o += 4 {
			if s.Pix[o] == 255 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("orientation %d: %d red pixels, want 1", tc.o, n)
		}
	}
}

func TestDisplayP3Profile(t *testing.T) {
	p := DisplayP3Profile()
	be := binary.BigEndian
	if int(be.Uint32(p)) != len(p) {
		t.Fatalf("size field %d, profile %d bytes", be.Uint32(p), len(p))
	}
	if string(p[36:40]) != "acsp" || string(p[12:16]) != "mntr" || string(p[16:20]) != "RGB " {
		t.Fatalf("bad header %q", p[:40])
	}
	tags := map[string][]byte{}
	for i := 0; i < int(be.Uint32(p[128:])); i++ {
		o := 132 + 12*i
		off, size := int(be.Uint32(p[o+4:])), int(be.Uint32(p[o+8:]))
		if off%4 != 0 || off+size > len(p) {
			t.Fatalf("tag %q at %d+%d", p[o:o+4], off, size)
		}
		tags[string(p[o:o+4])] = p[off : off+size]
	}
	col := func(sig string) [3]float64 {
		b := tags[sig]
		var v [3]float64
		for i := range v {
			v[i] = float64(int32(be.Uint32(b[8+4*i:]))) / 65536
		}
		return v
	}
	// The colorants add up to the D50 white (RGB 1,1,1 is white).
	r, g, b := col("rXYZ"), col("gXYZ"), col("bXYZ")
	for i := range d50 {
		if s := r[i] + g[i] + b[i]; math.Abs(s-d50[i]) > 2e-4 {
			t.Errorf("colorants add up to %v in component %d, want %v", s, i, d50[i])
		}
	}
	// Display P3's red, as Apple's own profile gives it.
	if math.Abs(r[0]-0.5151) > 5e-4 || math.Abs(r[1]-0.2412) > 5e-4 {
		t.Errorf("red colorant %v", r)
	}
	for _, sig := range []string{"desc", "cprt", "wtpt", "rTRC", "gTRC", "bTRC"} {
		if tags[sig] == nil {
			t.Errorf("no %s tag", sig)
		}
	}
}

// TestToDisplayP3 checks that a pure sRGB red is less saturated in P3's
// numbers (P3's red is redder) and grey stays grey.
func TestToDisplayP3(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Pix = []uint8{255, 0, 0, 255, 128, 128, 128, 255}
	ToDisplayP3(img)
	if r, g := img.Pix[0], img.Pix[1]; r == 255 || g < 40 {
		t.Errorf("sRGB red in P3 = %v", img.Pix[:3])
	}
	if img.Pix[4] != 128 || img.Pix[5] != 128 || img.Pix[6] != 128 {
		t.Errorf("grey in P3 = %v", img.Pix[4:7])
	}
}

func TestWithComment(t *testing.T) {
	jpg, err := JPEG(Paint(Options{Scene: Hall, Width: 64, Height: 48, Seed: 1}), 80)
	if err != nil {
		t.Fatal(err)
	}
	a, b := WithComment(jpg, "story 1"), WithComment(jpg, "story 2")
	if bytes.Equal(a, b) {
		t.Fatal("two comments, the same bytes")
	}
	for _, j := range [][]byte{a, b} {
		if _, err := jpeg.Decode(bytes.NewReader(j)); err != nil {
			t.Fatalf("with a comment the JPEG does not decode: %v", err)
		}
	}
	if !bytes.Contains(a, []byte{0xFF, 0xFE, 0, 9, 's', 't', 'o', 'r', 'y', ' ', '1'}) {
		t.Error("no COM segment")
	}
}
