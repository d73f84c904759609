package images

import (
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	photoOnce sync.Once
	photo     []byte
)

// benchPhoto is a 4000 × 3000 JPEG at quality 90 with smooth gradients and
// some texture, about the work a phone photo is.
func benchPhoto(b testing.TB) []byte {
	photoOnce.Do(func() {
		m := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
		s := uint32(7)
		for y := 0; y < 3000; y++ {
			for x := 0; x < 4000; x++ {
				s = s*1664525 + 1013904223
				n := uint8(s>>28) * 2
				i := m.PixOffset(x, y)
				m.Pix[i] = uint8(x*255/4000) + n
				m.Pix[i+1] = uint8(y*255/3000) + n
				m.Pix[i+2] = uint8((x+y)*255/7000) + n
				m.Pix[i+3] = 255
			}
		}
		photo = encJPEG(b, m, 90)
	})
	return photo
}

// BenchmarkProcessPhoto: one 4000 × 3000 JPEG to widths 480, 800, 1200 and
// 1408, with no cache (every iteration does the whole work).
func BenchmarkProcessPhoto(b *testing.B) {
	src := benchPhoto(b)
	fsys := mapFS(map[string][]byte{"p.jpg": src})
	for _, bc := range []struct {
		name string
		webp bool
	}{{"jpeg", false}, {"jpeg+webp", true}} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.webp {
				encodeWebP(image.NewRGBA(image.Rect(0, 0, 8, 8)), 80) // the WASM compile, once
			}
			for i := 0; i < b.N; i++ {
				p, _ := NewProcessor("", Limits{})
				if _, err := p.Process(fsys, "p.jpg", "", Job{Widths: []int{480, 800, 1200, 1408}, WebP: bc.webp}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWebPCost logs what the WebP encoder costs: the first call (which
// compiles the WASM module) and an encode at 1408 px.
func TestWebPCost(t *testing.T) {
	if testing.Short() {
		t.Skip("measures")
	}
	src, err := decode(benchPhoto(t), JPEG)
	if err != nil {
		t.Fatal(err)
	}
	m := toRGBA(src, src.Bounds(), 1408, 1056)
	t0 := time.Now()
	encodeWebP(image.NewRGBA(image.Rect(0, 0, 8, 8)), 80)
	first := time.Since(t0)
	t0 = time.Now()
	wb, err := encodeWebP(m, 80)
	if err != nil {
		t.Fatal(err)
	}
	enc := time.Since(t0)
	t0 = time.Now()
	jb, _ := encodeJPEG(m, 80, 0)
	t.Logf("WebP (%s): first call %v; 1408 × 1056 in %v (%d bytes); JPEG the same in %v (%d bytes)", webpEncoderName(Job{WebP: true}), first, enc, len(wb), time.Since(t0), len(jb))
}

// BenchmarkProcessCached: a cache hit (a rebuild with the photo unchanged):
// the digest from the stat memo and the result from the manifest.
func BenchmarkProcessCached(b *testing.B) {
	dir := b.TempDir()
	src := b.TempDir()
	if err := os.WriteFile(filepath.Join(src, "p.jpg"), benchPhoto(b), 0o644); err != nil {
		b.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(src, "p.jpg"), old, old)
	fsys := os.DirFS(src)
	p, _ := NewProcessor(dir, Limits{})
	job := Job{Widths: []int{480, 800, 1200, 1408}}
	d, _ := p.Digest(fsys, "p.jpg")
	if _, err := p.Process(fsys, "p.jpg", d, job); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := p.Digest(fsys, "p.jpg")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Process(fsys, "p.jpg", d, job); err != nil {
			b.Fatal(err)
		}
	}
}
