package images

import (
	"image"
	"testing"
)

// seeds are small files of every kind, with metadata, for the fuzz targets.
func seeds(f *testing.F) [][]byte {
	small := quadrants(16, 8)
	jpg := encJPEG(f, small, 80)
	wb, _ := encodeWebP(small, 80)
	return [][]byte{
		jpg,
		withSegments(jpg, seg(0xE1, exifBlock(6))),
		phonePhoto(f, 16, 8),
		encPNG(f, small),
		bomb(f, 30000, 30000),
		wb,
		[]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 24"><rect x="2" y="2" width="20" height="20" rx="10" fill="#2a7d4f"/><text x="30" y="16" font-size="12" fill="#fff">A</text></svg>`),
		[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
	}
}

func FuzzInspect(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	lim := Limits{}.orDefault()
	f.Fuzz(func(t *testing.T, data []byte) {
		info, _, err := inspect(data, lim, false)
		if err == nil && info.Format != SVG && (info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > lim.MaxPixels) {
			t.Errorf("Inspect = %+v without an error", info)
		}
		inspect(data, lim, true)
		Sniff(data)
	})
}

func FuzzOrientation(f *testing.F) {
	for o := 1; o <= 8; o++ {
		f.Add(exifBlock(o))
	}
	f.Add([]byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := exifOrientation(data); o < 1 || o > 8 {
			t.Errorf("orientation %d", o)
		}
		segs, _, _ := jpegSegments(data)
		jpegOrientation(segs)
		jpegICC(segs)
		cs, _ := webpChunks(data)
		webpOrientation(cs)
		pngChunks(data)
	})
}

func FuzzICC(f *testing.F) {
	f.Add(matrixProfile(displayP3))
	f.Add(matrixProfile(srgbD50))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tr := parseICC(data); tr != nil {
			m := image.NewRGBA(image.Rect(0, 0, 4, 4))
			for i := range m.Pix {
				m.Pix[i] = uint8(i * 17)
			}
			tr.apply(m)
		}
	})
}

func FuzzClean(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Clean re-encodes a rotated photo: keep the fuzzer's pictures small.
		if info, _, err := inspect(data, Limits{MaxPixels: 1 << 16, MaxBytes: 1 << 20}, false); err != nil && info.Format != Unknown && info.Format != SVG {
			return
		}
		out, changed, err := Clean(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Errorf("Clean: %v is not an *Error", err)
			}
			return
		}
		if !changed && len(out) != len(data) {
			t.Errorf("unchanged, but %d bytes → %d", len(data), len(out))
		}
		if changed && Sniff(out) != Sniff(data) {
			t.Errorf("Clean turned %s into %s", Sniff(data), Sniff(out))
		}
	})
}

func FuzzProcess(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	p, _ := NewProcessor("", Limits{MaxPixels: 1 << 14, MaxBytes: 1 << 16})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := p.ProcessBytes(data, Job{Widths: []int{8, 32}, Aspect: 1.5, PNG: len(data)%2 == 0})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Errorf("Process: %v is not an *Error", err)
			}
			return
		}
		for _, o := range r.Outputs {
			if _, err := Decode(o, nil); err != nil {
				t.Errorf("output %+v does not decode: %v", o, err)
			}
		}
	})
}
