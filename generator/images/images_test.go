package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
)

func colorName(c color.Color) string {
	r, g, b, _ := c.RGBA()
	r, g, b = r>>8, g>>8, b>>8
	hi := func(v uint32) bool { return v > 160 }
	lo := func(v uint32) bool { return v < 90 }
	switch {
	case hi(r) && hi(g) && hi(b):
		return "W"
	case hi(r) && lo(g) && lo(b):
		return "R"
	case lo(r) && hi(g) && lo(b):
		return "G"
	case lo(r) && lo(g) && hi(b):
		return "B"
	}
	return fmt.Sprintf("?%d,%d,%d", r, g, b)
}

// TestOrientation applies each EXIF orientation to a stored 64 × 32 image
// with red, green / blue, white quadrants and reads the displayed quadrants,
// as the EXIF specification draws them.
func TestOrientation(t *testing.T) {
	src := encJPEG(t, quadrants(64, 32), 95)
	tests := []struct {
		o    int
		want string // displayed TL TR / BL BR
	}{
		{1, "RG/BW"},
		{2, "GR/WB"},
		{3, "WB/GR"},
		{4, "BW/RG"},
		{5, "RB/GW"},
		{6, "BR/WG"},
		{7, "WG/BR"},
		{8, "GW/RB"},
	}
	p, err := NewProcessor("", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.o), func(t *testing.T) {
			data := withSegments(src, seg(0xE1, exifBlock(tt.o)))
			fsys := mapFS(map[string][]byte{"p.jpg": data})
			info, err := p.Inspect(fsys, "p.jpg")
			if err != nil {
				t.Fatal(err)
			}
			w, h := 64, 32
			if tt.o >= 5 {
				w, h = 32, 64
			}
			if info.Orientation != tt.o || info.Width != w || info.Height != h {
				t.Fatalf("Inspect = %+v, want orientation %d, %d × %d", info, tt.o, w, h)
			}
			r, err := p.Process(fsys, "p.jpg", "", Job{Widths: []int{w}})
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(r.Outputs[0], nil)
			if err != nil {
				t.Fatal(err)
			}
			if b := m.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Fatalf("output is %v, want %d × %d", b, w, h)
			}
			got := colorName(m.At(w/4, h/4)) + colorName(m.At(3*w/4, h/4)) + "/" + colorName(m.At(w/4, 3*h/4)) + colorName(m.At(3*w/4, 3*h/4))
			if got != tt.want {
				t.Errorf("displayed quadrants %s, want %s", got, tt.want)
			}
			// Clean orients a static JPEG the same way.
			c, changed, err := Clean(data)
			if err != nil || !changed {
				t.Fatalf("Clean: changed %v, %v", changed, err)
			}
			cm, err := decode(c, JPEG)
			if err != nil {
				t.Fatal(err)
			}
			got = colorName(cm.At(w/4, h/4)) + colorName(cm.At(3*w/4, h/4)) + "/" + colorName(cm.At(w/4, 3*h/4)) + colorName(cm.At(3*w/4, 3*h/4))
			if got != tt.want || len(jpegMarkers(c)) == 0 && false {
				t.Errorf("Clean: displayed quadrants %s, want %s", got, tt.want)
			}
		})
	}
}

// metadataMarkers are the JPEG segments that carry metadata: APP1–APP15
// (EXIF, XMP, ICC, IPTC, …) and COM.
func metadataMarkers(b []byte) []string {
	var bad []string
	for _, m := range jpegMarkers(b) {
		if m >= 0xE1 && m <= 0xEF || m == 0xFE {
			bad = append(bad, fmt.Sprintf("%X", m))
		}
	}
	return bad
}

// phonePhoto is a JPEG as a phone sends it: EXIF with orientation 6 and a
// GPS position, XMP, an IPTC block, a comment and a Display P3 profile
// split across two APP2 segments.
func phonePhoto(t testing.TB, w, h int) []byte {
	segs := [][]byte{
		seg(0xE1, exifBlock(6)),
		seg(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/' dc:creator='Someone'/></rdf:RDF></x:xmpmeta>")),
		seg(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x08\x1c\x02\x78\x00\x03abc\x00")),
		seg(0xFE, []byte("a comment")),
	}
	segs = append(segs, iccSegments(matrixProfile(displayP3), 150)...)
	return withSegments(encJPEG(t, quadrants(w, h), 90), segs...)
}

// TestNoMetadata processes a phone photo full of metadata and finds none in
// any output, by walking the segments and, where exiftool is installed, by
// reading them back with it.
func TestNoMetadata(t *testing.T) {
	src := phonePhoto(t, 400, 300)
	if m := metadataMarkers(src); len(m) < 5 {
		t.Fatalf("the test photo has only %v", m)
	}
	dir := t.TempDir()
	p, err := NewProcessor(filepath.Join(dir, "cache"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fsys := mapFS(map[string][]byte{"p.jpg": src})
	r, err := p.Process(fsys, "p.jpg", "", Job{Widths: []int{100, 200}, WebP: true})
	if err != nil {
		t.Fatal(err)
	}
	jpegSize := map[int]int64{}
	webps := 0
	for _, o := range r.Outputs {
		switch o.Format {
		case JPEG:
			jpegSize[o.Width] = o.Size
		case WebP:
			webps++
			if js, ok := jpegSize[o.Width]; !ok || o.Size >= js {
				t.Errorf("a WebP of %d bytes kept beside a JPEG of %d", o.Size, js)
			}
		}
	}
	if webps == 0 {
		t.Error("no WebP was kept (the flat test picture is smaller as WebP)")
	}
	cleaned, changed, err := Clean(src)
	if err != nil || !changed {
		t.Fatalf("Clean: %v %v", changed, err)
	}
	files := map[string][]byte{"clean.jpg": cleaned}
	for _, o := range r.Outputs {
		b, err := os.ReadFile(filepath.Join(dir, "cache", o.File))
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(o.File)] = b
	}
	for name, b := range files {
		if Sniff(b) == JPEG {
			if m := metadataMarkers(b); len(m) > 0 {
				t.Errorf("%s has metadata segments %v", name, m)
			}
		}
		if Sniff(b) == WebP {
			cs, _ := webpChunks(b)
			for _, c := range cs {
				if c.id == "EXIF" || c.id == "XMP " || c.id == "ICCP" {
					t.Errorf("%s has a %s chunk", name, c.id)
				}
			}
		}
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("ICC_PROFILE")) || bytes.Contains(b, []byte("xmpmeta")) {
			t.Errorf("%s holds metadata bytes", name)
		}
	}
	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		if os.Getenv("DRUMBEAT_REQUIRE_EXIFTOOL") != "" {
			t.Fatal("exiftool is not installed (apt-get install libimage-exiftool-perl)")
		}
		t.Log("SKIPPED the exiftool read-back: exiftool is not installed (apt-get install libimage-exiftool-perl)")
		return
	}
	// The source shows the groups, so the tool does see them.
	srcFile := filepath.Join(dir, "src.jpg")
	os.WriteFile(srcFile, src, 0o644)
	if groups := exifGroups(t, exiftool, srcFile); !strings.Contains(groups, "GPS") || !strings.Contains(groups, "XMP") || !strings.Contains(groups, "ICC") {
		t.Fatalf("exiftool does not see the source's metadata: %s", groups)
	}
	for name, b := range files {
		f := filepath.Join(dir, name)
		os.WriteFile(f, b, 0o644)
		if groups := exifGroups(t, exiftool, f); groups != "" {
			t.Errorf("exiftool finds %s in %s", groups, name)
		}
	}
}

// exifGroups is the metadata groups exiftool reads in a file (EXIF, GPS,
// XMP, IPTC, ICC_Profile, Photoshop, comments), space-separated.
func exifGroups(t *testing.T, exiftool, file string) string {
	out, err := exec.Command(exiftool, "-j", "-G", file).Output()
	if err != nil {
		t.Fatalf("exiftool %s: %v", file, err)
	}
	seen := map[string]bool{}
	for _, g := range []string{"EXIF:", "GPS", "XMP:", "IPTC:", "ICC_Profile:", "Photoshop:", "Comment"} {
		if bytes.Contains(out, []byte(`"`+g)) || g == "GPS" && bytes.Contains(out, []byte(":GPS")) {
			seen[strings.TrimSuffix(g, ":")] = true
		}
	}
	var gs []string
	for g := range seen {
		gs = append(gs, g)
	}
	return strings.Join(gs, " ")
}

func TestWidths(t *testing.T) {
	src := encJPEG(t, quadrants(600, 400), 90)
	p, _ := NewProcessor("", Limits{})
	fsys := mapFS(map[string][]byte{"p.jpg": src})
	tests := []struct {
		job  Job
		want []string
	}{
		{Job{Widths: []int{200, 400}}, []string{"200×133", "400×267"}},
		{Job{Widths: []int{400, 800, 1200}}, []string{"400×267", "600×400"}},
		{Job{Widths: []int{300, 300, 600}}, []string{"300×200", "600×400"}},
		{Job{}, []string{"600×400"}},
		{Job{Widths: []int{1200}, Aspect: 1}, []string{"400×400"}},
		{Job{Widths: []int{100, 200}, Aspect: 2}, []string{"100×50", "200×100"}},
		{Job{Widths: []int{64}, PNG: true}, []string{"64×43"}},
	}
	for _, tt := range tests {
		r, err := p.Process(fsys, "p.jpg", "", tt.job)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range r.Outputs {
			m, err := Decode(o, nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.Bounds().Dx() != o.Width || m.Bounds().Dy() != o.Height {
				t.Errorf("%+v: output says %d × %d, file is %v", tt.job, o.Width, o.Height, m.Bounds())
			}
			got = append(got, fmt.Sprintf("%d×%d", o.Width, o.Height))
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%+v: outputs %v, want %v", tt.job, got, tt.want)
		}
	}
}

// TestCropFocus crops a wide image to a square around a focal point and
// finds the marked point inside the crop.
func TestCropFocus(t *testing.T) {
	tests := []struct {
		focus Focus
		x0    int // expected left of the 300 × 300 crop in the 900 × 300 image
	}{
		{Focus{0.5, 0.5}, 300},
		{Focus{}, 300},
		{Focus{0.1, 0.5}, 0},
		{Focus{0.9, 0.5}, 600},
		{Focus{0.4, 0.5}, 210},
		{Focus{2, -1}, 600},
	}
	for _, tt := range tests {
		r := cropRect(900, 300, 1, tt.focus)
		if r != image.Rect(tt.x0, 0, tt.x0+300, 300) {
			t.Errorf("focus %v: crop %v, want x from %d", tt.focus, r, tt.x0)
		}
	}
	// By pixels: a red dot at 80 %, 50 % of a grey 900 × 300 photo is in
	// the square crop made around it.
	m := image.NewRGBA(image.Rect(0, 0, 900, 300))
	for i := range m.Pix {
		m.Pix[i] = 128
	}
	for y := 140; y < 160; y++ {
		for x := 710; x < 730; x++ {
			m.SetRGBA(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	p, _ := NewProcessor("", Limits{})
	r, err := p.Process(mapFS(map[string][]byte{"p.jpg": encJPEG(t, m, 95)}), "p.jpg", "", Job{Widths: []int{300}, Aspect: 1, Focus: Focus{0.8, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Decode(r.Outputs[0], nil)
	// The crop is x 570–870: the dot is at 140–160 in it.
	if c := colorName(out.At(150, 150)); c != "R" {
		t.Errorf("the focal point is not in the crop: %s at its place", c)
	}
}

// TestICC converts Display P3 to sRGB: P3's red is outside sRGB and clips
// to sRGB's red; a P3 grey stays grey; an sRGB profile is left alone.
func TestICC(t *testing.T) {
	tr := parseICC(matrixProfile(displayP3))
	if tr == nil {
		t.Fatal("the P3 profile was not read")
	}
	if parseICC(matrixProfile(srgbD50)) != nil {
		t.Error("an sRGB profile is converted")
	}
	tests := []struct {
		in, want [3]uint8
		tol      int
	}{
		{[3]uint8{255, 0, 0}, [3]uint8{255, 0, 0}, 0},
		{[3]uint8{0, 255, 0}, [3]uint8{0, 255, 0}, 0},
		{[3]uint8{128, 128, 128}, [3]uint8{128, 128, 128}, 1},
		{[3]uint8{255, 255, 255}, [3]uint8{255, 255, 255}, 1},
		// A muted P3 red is a more saturated sRGB red (computed with the
		// matrices of the ICC specification's Bradford D50 adaptation).
		{[3]uint8{200, 100, 100}, [3]uint8{215, 93, 97}, 1},
	}
	for _, tt := range tests {
		m := image.NewRGBA(image.Rect(0, 0, 1, 1))
		copy(m.Pix, []uint8{tt.in[0], tt.in[1], tt.in[2], 255})
		tr.apply(m)
		for c := 0; c < 3; c++ {
			if d := int(m.Pix[c]) - int(tt.want[c]); d > tt.tol || d < -tt.tol {
				t.Errorf("P3 %v → sRGB %v, want %v", tt.in, m.Pix[:3], tt.want)
				break
			}
		}
	}
	// Through Process: a P3 photo's red comes out as sRGB red, its profile
	// split over three segments.
	red := image.NewRGBA(image.Rect(0, 0, 32, 32))
	for i := 0; i < len(red.Pix); i += 4 {
		copy(red.Pix[i:], []uint8{200, 100, 100, 255})
	}
	src := withSegments(encJPEG(t, red, 100), iccSegments(matrixProfile(displayP3), 100)...)
	p, _ := NewProcessor("", Limits{})
	r, err := p.Process(mapFS(map[string][]byte{"p.jpg": src}), "p.jpg", "", Job{Widths: []int{32}, Quality: 100})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Decode(r.Outputs[0], nil)
	if cr, cg, _, _ := out.At(16, 16).RGBA(); cr>>8 < 210 || cg>>8 > 98 {
		t.Errorf("the P3 photo was not converted: %v", out.At(16, 16))
	}
}

// bomb is a PNG header of w × h pixels with a few bytes of data.
func bomb(t testing.TB, w, h int) []byte {
	small := encPNG(t, image.NewGray(image.Rect(0, 0, 8, 8)))
	b := append([]byte{}, small...)
	// IHDR's width and height are at 16 and 20; its CRC at 29.
	b[16], b[17], b[18], b[19] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	b[20], b[21], b[22], b[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
	crc := crc32IEEE(b[12:29])
	b[29], b[30], b[31], b[32] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
	return b
}

func TestBombRefusedWithBoundedHeap(t *testing.T) {
	src := bomb(t, 30000, 30000)
	p, _ := NewProcessor("", Limits{})
	fsys := mapFS(map[string][]byte{"bomb.png": src})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := p.Process(fsys, "bomb.png", "", Job{Widths: []int{800}})
	runtime.ReadMemStats(&after)
	var ie *Error
	if !errors.As(err, &ie) {
		t.Fatalf("Process = %v, want an *Error", err)
	}
	if want := "is 30000 × 30000 pixels (900 megapixels), more than the limit of 64 megapixels"; ie.Msg != want {
		t.Errorf("Msg = %q, want %q", ie.Msg, want)
	}
	if !strings.Contains(ie.Hint, "max_megapixels") {
		t.Errorf("Hint = %q", ie.Hint)
	}
	grew := after.TotalAlloc - before.TotalAlloc
	if grew > 4<<20 {
		t.Errorf("refusing the bomb allocated %d kB", grew>>10)
	}
	t.Logf("refusing the bomb allocated %d kB", grew>>10)
	if _, err := p.Inspect(fsys, "bomb.png"); !errors.As(err, &ie) {
		t.Errorf("Inspect = %v", err)
	}
	// A file over the byte limit is refused before it is read.
	small, _ := NewProcessor("", Limits{MaxBytes: 50})
	if _, err := small.Inspect(fsys, "bomb.png"); !errors.As(err, &ie) || !strings.Contains(ie.Msg, "more than the limit of 50 bytes") {
		t.Errorf("over MaxBytes: %v", err)
	}
}

func TestBadFiles(t *testing.T) {
	jpg := encJPEG(t, quadrants(200, 100), 90)
	pngb := encPNG(t, quadrants(200, 100))
	tests := []struct {
		name string
		data []byte
		msg  string
		hint string
	}{
		{"cut.jpg", jpg[:len(jpg)/2], "is cut short or damaged", "save it again as JPEG"},
		{"cut.png", pngb[:len(pngb)/2], "is cut short or damaged", "save it again as PNG"},
		{"head.jpg", jpg[:40], "", "JPEG"},
		{"empty.jpg", nil, "is empty", ""},
		{"photo.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x00\x00"), "is a HEIC photo", "heif-convert photo.heic photo.jpg"},
		{"photo2.heic", []byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heix\x00\x00\x00\x00"), "is a HEIC photo", "Preview"},
		{"a.avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00"), "is an AVIF image", "JPEG"},
		{"scan.tif", []byte("II*\x00\x08\x00\x00\x00\x00\x00"), "is a TIFF image", "export it as JPEG or PNG"},
		{"scan2.tif", []byte("MM\x00*\x00\x00\x00\x08\x00\x00"), "is a TIFF image", "export it as JPEG or PNG"},
		{"notes.txt", []byte("hello"), "is not an image", ""},
		{"tracker.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image href="https://example.com/pixel.gif"/></svg>`), "refers to something outside it (https://example.com/pixel.gif)", "embed"},
	}
	p, _ := NewProcessor("", Limits{})
	for _, tt := range tests {
		fsys := mapFS(map[string][]byte{tt.name: tt.data})
		_, err := p.Process(fsys, tt.name, "", Job{Widths: []int{100}})
		var ie *Error
		if !errors.As(err, &ie) {
			t.Errorf("%s: %v, want an *Error", tt.name, err)
			continue
		}
		if !strings.Contains(ie.Msg, tt.msg) || !strings.Contains(ie.Hint, tt.hint) {
			t.Errorf("%s: %q (%q), want %q (%q)", tt.name, ie.Msg, ie.Hint, tt.msg, tt.hint)
		}
	}
	if _, err := p.Inspect(mapFS(nil), "missing.jpg"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing: %v", err)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		data string
		want Format
	}{
		{"\xFF\xD8\xFF\xE0", JPEG},
		{"\x89PNG\r\n\x1a\n", PNG},
		{"GIF89a", GIF},
		{"RIFF\x00\x00\x00\x00WEBPVP8 ", WebP},
		{"<svg xmlns='http://www.w3.org/2000/svg'/>", SVG},
		{"\xEF\xBB\xBF <?xml version='1.0'?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN' 'x'>\n<svg>", SVG},
		{"<svgx>", Unknown},
		{"<html><svg>", Unknown},
		{"\x00\x00\x00\x18ftypheic", HEIC},
		{"\x00\x00\x00\x18ftypavis\x00\x00\x00\x00", AVIF},
		{"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isom", Unknown},
		{"II*\x00", TIFF},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.data)); got != tt.want {
			t.Errorf("Sniff(%q) = %q, want %q", tt.data, got, tt.want)
		}
	}
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	src := encJPEG(t, quadrants(300, 200), 90)
	job := Job{Widths: []int{100, 200}, Aspect: 1.5}
	p, err := NewProcessor(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fsys := &countFS{FS: mapFS(map[string][]byte{"p.jpg": src})}
	d, err := p.Digest(fsys, "p.jpg")
	if err != nil {
		t.Fatal(err)
	}
	first, err := p.Process(fsys, "p.jpg", d, job)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range first.Outputs {
		if o.Data != nil || o.File == "" || o.Size == 0 || len(o.Hash) != 10 {
			t.Errorf("output %+v", o)
		}
		if _, err := Decode(o, p.FS()); err != nil {
			t.Errorf("Decode(%s): %v", o.File, err)
		}
		// The cache folder tells each output's SHA-256 from its name,
		// so the writer can link an unchanged one without reading it.
		b, _ := fs.ReadFile(p.FS(), o.File)
		sum, ok := p.FS().(interface {
			Sum(string) ([32]byte, bool)
		}).Sum(o.File)
		if !ok || sum != sha256.Sum256(b) {
			t.Errorf("Sum(%s) = %x, %v; the bytes' SHA-256 is %x", o.File, sum, ok, sha256.Sum256(b))
		}
	}
	for _, name := range []string{"digests.json", "m/ab/x.json", "o/ab/" + strings.Repeat("a", 64) + ".jpg", "o/ab/abc.jpg", "o/xy/xy" + strings.Repeat("g", 62) + ".jpg"} {
		if sum, ok := p.FS().(interface {
			Sum(string) ([32]byte, bool)
		}).Sum(name); ok {
			t.Errorf("Sum(%s) = %x: a name that does not carry its SHA-256", name, sum)
		}
	}
	opens := fsys.opens.Load()
	// A hit, from another processor on the same folder, opens nothing.
	p2, _ := NewProcessor(dir, Limits{})
	again, err := p2.Process(fsys, "p.jpg", d, job)
	if err != nil {
		t.Fatal(err)
	}
	if fsys.opens.Load() != opens {
		t.Errorf("a cache hit opened the source")
	}
	if fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("hit %+v, first %+v", again, first)
	}
	// Misses: another source, another job, other limits.
	misses := []struct {
		name   string
		p      *Processor
		digest string
		job    Job
	}{
		{"source", p, strings.Repeat("0", 64), job},
		{"widths", p, d, Job{Widths: []int{100, 150}, Aspect: 1.5}},
		{"focus", p, d, Job{Widths: []int{100, 200}, Aspect: 1.5, Focus: Focus{0.2, 0.5}}},
		{"quality", p, d, Job{Widths: []int{100, 200}, Aspect: 1.5, Quality: 60}},
		{"webp", p, d, Job{Widths: []int{100, 200}, Aspect: 1.5, WebP: true}},
		{"limits", must(NewProcessor(dir, Limits{MaxPixels: 1e7})), d, job},
	}
	for _, m := range misses {
		before := fsys.opens.Load()
		if _, err := m.p.Process(fsys, "p.jpg", m.digest, m.job); err != nil {
			t.Fatal(err)
		}
		if fsys.opens.Load() == before {
			t.Errorf("a change of %s did not miss", m.name)
		}
	}
	// A cached output cut short (or gone) is a miss, made again.
	f := filepath.Join(dir, first.Outputs[1].File)
	os.WriteFile(f, []byte("half"), 0o644)
	before := fsys.opens.Load()
	r, err := p.Process(fsys, "p.jpg", d, job)
	if err != nil {
		t.Fatal(err)
	}
	if fsys.opens.Load() == before {
		t.Error("a damaged cached file was served")
	}
	if _, err := Decode(r.Outputs[1], p.FS()); err != nil {
		t.Errorf("the remade output: %v", err)
	}
	os.Remove(filepath.Join(dir, first.Outputs[0].File))
	before = fsys.opens.Load()
	if _, err := p.Process(fsys, "p.jpg", d, job); err != nil || fsys.opens.Load() == before {
		t.Errorf("a missing cached file: %v, opens %d → %d", err, before, fsys.opens.Load())
	}
	// A corrupt manifest is a miss.
	matches, _ := filepath.Glob(filepath.Join(dir, "m", "*", "*.json"))
	for _, m := range matches {
		os.WriteFile(m, []byte("{"), 0o644)
	}
	before = fsys.opens.Load()
	if _, err := p.Process(fsys, "p.jpg", d, job); err != nil || fsys.opens.Load() == before {
		t.Errorf("a corrupt manifest: %v", err)
	}
	// No temporary file is left behind.
	filepath.WalkDir(dir, func(path string, de os.DirEntry, err error) error {
		if strings.HasPrefix(de.Name(), ".tmp-") {
			t.Errorf("left %s", path)
		}
		return nil
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestDerive(t *testing.T) {
	for _, dir := range []string{t.TempDir(), ""} {
		p, _ := NewProcessor(dir, Limits{})
		calls := 0
		mk := func() ([]byte, error) { calls++; return encPNG(t, quadrants(20, 10)), nil }
		a, err := p.Derive("card:abc", "png", mk)
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.Derive("card:abc", "png", mk)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 1 || a.Hash != b.Hash || a.Width != 20 || a.Height != 10 || a.Format != PNG {
			t.Errorf("dir %q: calls %d, %+v %+v", dir, calls, a, b)
		}
		if _, err := p.Derive("card:abd", "png", mk); err != nil || calls != 2 {
			t.Errorf("another key was not made: %v", err)
		}
		if (p.FS() == nil) != (dir == "") {
			t.Errorf("FS() with dir %q", dir)
		}
		if _, err := Decode(a, p.FS()); err != nil {
			t.Error(err)
		}
	}
}

// TestDigestMemo: an unchanged file is not read again, even by the next
// build's processor; a rewrite of the same size with another time is; a
// file changed within the racy window is always read.
func TestDigestMemo(t *testing.T) {
	src := t.TempDir()
	cache := t.TempDir()
	name := filepath.Join(src, "p.jpg")
	os.WriteFile(name, []byte("first content"), 0o644)
	old := time.Now().Add(-time.Minute)
	os.Chtimes(name, old, old)
	fsys := &countFS{FS: os.DirFS(src)}
	p, _ := NewProcessor(cache, Limits{})
	d1, err := p.Digest(fsys, "p.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if d1 != hexSum([]byte("first content")) {
		t.Fatal("wrong digest")
	}
	if d, _ := p.Digest(fsys, "p.jpg"); d != d1 || fsys.opens.Load() != 1 {
		t.Errorf("an unchanged file was read again (%d opens)", fsys.opens.Load())
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	p2, _ := NewProcessor(cache, Limits{})
	if d, _ := p2.Digest(fsys, "p.jpg"); d != d1 || fsys.opens.Load() != 1 {
		t.Errorf("the next build read an unchanged file again (%d opens)", fsys.opens.Load())
	}
	// The same size, another content, another time.
	os.WriteFile(name, []byte("other content"), 0o644)
	later := old.Add(time.Second)
	os.Chtimes(name, later, later)
	if d, _ := p2.Digest(fsys, "p.jpg"); d != hexSum([]byte("other content")) {
		t.Errorf("a same-size rewrite was not seen")
	}
	// Racy: written just now, so read every time.
	os.WriteFile(name, []byte("third content"), 0o644)
	n := fsys.opens.Load()
	p2.Digest(fsys, "p.jpg")
	p2.Digest(fsys, "p.jpg")
	if fsys.opens.Load() != n+2 {
		t.Errorf("a file changed within the racy window was trusted")
	}
	// An fs.FS without stat data is always read.
	m := &countFS{FS: mapFS(map[string][]byte{"a.jpg": []byte("x")})}
	p2.Digest(m, "a.jpg")
	p2.Digest(m, "a.jpg")
	if m.opens.Load() != 2 {
		t.Errorf("MapFS: %d opens, want 2", m.opens.Load())
	}
}

func TestClean(t *testing.T) {
	base := encJPEG(t, quadrants(64, 32), 90)
	dirty := withSegments(base, seg(0xE1, exifBlock(1)), seg(0xED, []byte("Photoshop 3.0\x00")), seg(0xFE, []byte("hi")), seg(0xE2, []byte("ICC_PROFILE\x00\x01\x01junk")))
	out, changed, err := Clean(dirty)
	if err != nil || !changed {
		t.Fatalf("Clean: %v %v", changed, err)
	}
	if m := metadataMarkers(out); len(m) > 0 {
		t.Errorf("left %v", m)
	}
	if !bytes.Equal(out, base) {
		t.Errorf("the JPEG's other bytes changed (%d → %d bytes)", len(base), len(out))
	}
	if _, changed, _ := Clean(base); changed {
		t.Error("a clean JPEG changed")
	}
	// What follows the end of the image (a phone's second picture with its
	// own EXIF, a motion photo's video) goes too.
	trailer := append(append([]byte{}, base...), withSegments(base, seg(0xE1, exifBlock(1)))...)
	if out, changed, err := Clean(trailer); err != nil || !changed || !bytes.Equal(out, base) {
		t.Errorf("trailer: changed %v, %v, %d bytes, want %d", changed, err, len(out), len(base))
	}

	// PNG: text and time chunks go, pixels stay.
	pb := encPNG(t, quadrants(16, 8))
	chunk := func(typ string, data []byte) []byte {
		b := []byte{byte(len(data) >> 24), byte(len(data) >> 16), byte(len(data) >> 8), byte(len(data))}
		b = append(b, typ...)
		b = append(b, data...)
		crc := crc32IEEE(b[4:])
		return append(b, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
	}
	ihdrEnd := 8 + 25
	dp := append(append([]byte{}, pb[:ihdrEnd]...), chunk("tEXt", []byte("GPS\x0051.5,-0.1"))...)
	dp = append(dp, chunk("tIME", make([]byte, 7))...)
	dp = append(dp, chunk("eXIf", exifBlock(1)[6:])...)
	dp = append(dp, pb[ihdrEnd:]...)
	out, changed, err = Clean(dp)
	if err != nil || !changed || !bytes.Equal(out, pb) {
		t.Errorf("PNG: changed %v, %v, equal %v", changed, err, bytes.Equal(out, pb))
	}
	if _, changed, _ := Clean(pb); changed {
		t.Error("a clean PNG changed")
	}
	if out, changed, _ := Clean(append(append([]byte{}, pb...), "Exif GPS"...)); !changed || !bytes.Equal(out, pb) {
		t.Error("data after IEND stayed")
	}

	// WebP: EXIF and XMP chunks go, the flags and size follow.
	wb, err := encodeWebP(quadrants(16, 8), 80)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := webpChunks(wb)
	riff := func(id string, data []byte) []byte {
		b := append([]byte(id), byte(len(data)), byte(len(data)>>8), byte(len(data)>>16), byte(len(data)>>24))
		b = append(b, data...)
		if len(data)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	vp8x := riff("VP8X", []byte{0x08 | 0x04, 0, 0, 0, 15, 0, 0, 7, 0, 0})
	body := append(append([]byte{}, vp8x...), wb[cs[0].start:]...)
	body = append(body, riff("EXIF", exifBlock(1)[6:])...)
	body = append(body, riff("XMP ", []byte("<x:xmpmeta/>"))...)
	dw := append([]byte("RIFF\x00\x00\x00\x00WEBP"), body...)
	n := len(dw) - 8
	dw[4], dw[5], dw[6], dw[7] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	out, changed, err = Clean(dw)
	if err != nil || !changed {
		t.Fatalf("WebP: %v %v", changed, err)
	}
	ocs, ok := webpChunks(out)
	if !ok || len(ocs) != 2 || ocs[0].id != "VP8X" || ocs[0].data[0] != 0 {
		t.Errorf("WebP chunks after Clean: %+v (ok %v)", ocs, ok)
	}
	if a, err := decode(out, WebP); err != nil || a.Bounds().Dx() != 16 {
		t.Errorf("the cleaned WebP: %v", err)
	}
}

func TestRasterizeSVG(t *testing.T) {
	files, _ := filepath.Glob("../../static/logos/*.svg")
	if len(files) == 0 {
		t.Fatal("no logos")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		m, err := RasterizeSVG(data, 480, 120)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if m.Bounds() != image.Rect(0, 0, 480, 120) {
			t.Errorf("%s: %v", f, m.Bounds())
		}
		// The mark (left) and the name in <text> (right) are both drawn.
		left, right := 0, 0
		for y := 0; y < 120; y++ {
			for x := 0; x < 480; x++ {
				if m.NRGBAAt(x, y).A > 128 {
					if x < 120 {
						left++
					} else {
						right++
					}
				}
			}
		}
		if left < 500 || right < 500 {
			t.Errorf("%s: %d opaque pixels in the mark, %d in the name", f, left, right)
		}
		if os.Getenv("SVG_OUT") != "" {
			os.WriteFile(filepath.Join(os.Getenv("SVG_OUT"), filepath.Base(f)+".png"), encPNG(t, m), 0o644)
		}
	}
	bad := []struct{ svg, msg string }{
		{`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="http://example.com/a.png"/></svg>`, "refers to something outside it"},
		{`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><use xlink:href="file:///etc/passwd"/></svg>`, "refers to something outside it"},
		{`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect style="fill:url(http://x/y)"/></svg>`, "refers to something outside it"},
		{`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg viewBox="0 0 10 10">&x;</svg>`, "refers to something outside it"},
		{"<svg viewBox='0 0 10 10'>" + strings.Repeat(" ", 1<<20) + "</svg>", "more than the limit of 1 MB"},
		{"<svg></svg>", "without a size"},
	}
	for _, b := range bad {
		_, err := RasterizeSVG([]byte(b.svg), 100, 100)
		var ie *Error
		if !errors.As(err, &ie) || !strings.Contains(ie.Msg, b.msg) {
			t.Errorf("%.60s: %v, want %q", b.svg, err, b.msg)
		}
	}
}

func TestProcessSVGToPNG(t *testing.T) {
	data, err := os.ReadFile("../../static/logos/lakeside-clinic.svg")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := NewProcessor("", Limits{})
	r, err := p.Process(mapFS(map[string][]byte{"l.svg": data}), "l.svg", "", Job{Widths: []int{464}, PNG: true})
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Outputs[0]; o.Format != PNG || o.Width != 464 || o.Height != 96 {
		t.Errorf("%+v", o)
	}
}

func TestMaxBytes(t *testing.T) {
	// Noise compresses badly: the quality must drop to fit.
	m := image.NewRGBA(image.Rect(0, 0, 300, 300))
	s := uint32(1)
	for i := range m.Pix {
		s = s*1664525 + 1013904223
		m.Pix[i] = uint8(s >> 24)
	}
	p, _ := NewProcessor("", Limits{})
	fsys := mapFS(map[string][]byte{"n.png": encPNG(t, m)})
	full, _ := p.Process(fsys, "n.png", "", Job{Widths: []int{300}, Quality: 90})
	limit := full.Outputs[0].Size * 2 / 3
	r, err := p.Process(fsys, "n.png", "", Job{Widths: []int{300}, Quality: 90, MaxBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outputs[0].Size > limit {
		t.Errorf("%d bytes, limit %d (at 90: %d)", r.Outputs[0].Size, limit, full.Outputs[0].Size)
	}
}

// TestResampleMatchesXDraw: the fixed-point resampler gives what
// golang.org/x/image/draw.CatmullRom gives, within 2 levels of 255, reducing and
// enlarging.
func TestResampleMatchesXDraw(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 300, 200))
	s := uint32(3)
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			s = s*1664525 + 1013904223
			i := src.PixOffset(x, y)
			src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = uint8(x), uint8(y), uint8(s>>28)*8, 255
		}
	}
	for _, size := range [][2]int{{100, 67}, {149, 99}, {211, 140}, {300, 100}, {450, 300}} {
		got := resize(src, size[0], size[1])
		want := image.NewRGBA(image.Rect(0, 0, size[0], size[1]))
		xdraw.CatmullRom.Scale(want, want.Rect, src, src.Rect, xdraw.Src, nil)
		worst := 0
		for i := range got.Pix {
			d := int(got.Pix[i]) - int(want.Pix[i])
			worst = max(worst, d, -d)
		}
		if worst > 2 {
			t.Errorf("%v: differs from x/image/draw by up to %d", size, worst)
		}
	}
}

// TestConcurrent processes photos from many goroutines at once, with a
// pixel budget that lets one decode at a time (run it with -race).
func TestConcurrent(t *testing.T) {
	p, _ := NewProcessor(t.TempDir(), Limits{MaxPixels: 300 * 200})
	files := map[string][]byte{}
	for i := 0; i < 8; i++ {
		files[fmt.Sprintf("p%d.jpg", i)] = encJPEG(t, quadrants(300-i, 200), 80)
	}
	fsys := mapFS(files)
	errs := make(chan error, 2*len(files))
	for name := range files {
		for k := 0; k < 2; k++ {
			go func() {
				d, err := p.Digest(fsys, name)
				if err == nil {
					_, err = p.Process(fsys, name, d, Job{Widths: []int{50, 100}})
				}
				errs <- err
			}()
		}
	}
	for range 2 * len(files) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if p.sem.used != 0 {
		t.Errorf("%d pixels still held", p.sem.used)
	}
	if err := p.Close(); err != nil {
		t.Error(err)
	}
}

// TestReduceMatchesXDraw: the area-average reduction to twice the width,
// then Catmull-Rom, gives what x/image/draw's Catmull-Rom gives straight
// from the source, on a smooth picture: no shift, no seam, no lost row.
func TestReduceMatchesXDraw(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 1000, 700))
	for y := 0; y < 700; y++ {
		for x := 0; x < 1000; x++ {
			i := src.PixOffset(x, y)
			src.Pix[i] = uint8(127 + 120*math.Sin(float64(x)/37))
			src.Pix[i+1] = uint8(127 + 120*math.Cos(float64(y)/23))
			src.Pix[i+2] = uint8((x + 2*y) % 256 / 2)
			src.Pix[i+3] = 255
		}
	}
	for _, w := range []int{200, 333, 480} {
		h := w * 7 / 10
		got := resize(toRGBA(src, src.Rect, 2*w, 2*h), w, h)
		want := image.NewRGBA(image.Rect(0, 0, w, h))
		xdraw.CatmullRom.Scale(want, want.Rect, src, src.Rect, xdraw.Src, nil)
		var sum, worst int
		for i := range got.Pix {
			d := int(got.Pix[i]) - int(want.Pix[i])
			d = max(d, -d)
			sum += d
			worst = max(worst, d)
		}
		mean := float64(sum) / float64(len(got.Pix))
		t.Logf("width %d: %.2f on average, %d at most", w, mean, worst)
		if mean > 0.6 || worst > 10 {
			t.Errorf("width %d: differs by %.2f on average, %d at most", w, mean, worst)
		}
	}
}

// TestTransparency: a transparent PNG keeps its alpha as PNG and shows
// white, not black, where it was transparent as JPEG.
func TestTransparency(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for x := 0; x < 20; x++ {
		for y := 0; y < 20; y++ {
			m.SetNRGBA(x, y, color.NRGBA{200, 30, 30, 255})
		}
	}
	fsys := mapFS(map[string][]byte{"logo.png": encPNG(t, m)})
	p, _ := NewProcessor("", Limits{})
	for _, png := range []bool{true, false} {
		r, err := p.Process(fsys, "logo.png", "", Job{Widths: []int{40}, PNG: png})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := Decode(r.Outputs[0], nil)
		cr, cg, cb, ca := out.At(30, 10).RGBA()
		switch {
		case png && ca != 0:
			t.Errorf("PNG: the transparent half has alpha %d", ca>>8)
		case !png && (cr>>8 < 250 || cg>>8 < 250 || cb>>8 < 250):
			t.Errorf("JPEG: the transparent half is %d,%d,%d, not white", cr>>8, cg>>8, cb>>8)
		}
		if c := colorName(out.At(5, 10)); c != "R" {
			t.Errorf("PNG %v: the opaque half is %s", png, c)
		}
	}
}

// TestInspectLongHeader: a header past the first 256 kB read (large APPn
// segments before the EXIF block) is read whole.
func TestInspectLongHeader(t *testing.T) {
	var segs [][]byte
	for i := 0; i < 6; i++ {
		segs = append(segs, seg(0xE9, bytes.Repeat([]byte{'x'}, 60000)))
	}
	segs = append(segs, seg(0xE1, exifBlock(6)))
	data := withSegments(encJPEG(t, quadrants(64, 32), 80), segs...)
	p, _ := NewProcessor("", Limits{})
	info, err := p.Inspect(mapFS(map[string][]byte{"p.jpg": data}), "p.jpg")
	if err != nil || info != (Info{Format: JPEG, Width: 32, Height: 64, Orientation: 6}) {
		t.Errorf("Inspect = %+v, %v", info, err)
	}
}

// TestReproducible: the same source and job give the same bytes, every
// time (the widths are made in parallel).
func TestReproducible(t *testing.T) {
	logo, _ := os.ReadFile("../../static/logos/kestrel-pharmacy.svg")
	fsys := mapFS(map[string][]byte{"p.jpg": phonePhoto(t, 300, 200), "l.svg": logo})
	jobs := []struct {
		name string
		job  Job
	}{
		{"p.jpg", Job{Widths: []int{60, 120, 200}, WebP: true, Aspect: 1.2, Focus: Focus{0.3, 0.6}}},
		{"l.svg", Job{Widths: []int{200, 400}, PNG: true}},
	}
	for _, j := range jobs {
		var first []string
		for run := 0; run < 3; run++ {
			p, _ := NewProcessor("", Limits{})
			r, err := p.Process(fsys, j.name, "", j.job)
			if err != nil {
				t.Fatal(err)
			}
			var hashes []string
			for _, o := range r.Outputs {
				hashes = append(hashes, string(o.Format)+":"+o.Hash)
			}
			if run == 0 {
				first = hashes
			} else if strings.Join(hashes, " ") != strings.Join(first, " ") {
				t.Errorf("%s: run %d gave %v, first %v", j.name, run, hashes, first)
			}
		}
	}
}

// TestCMYK: a CMYK JPEG (testdata/cmyk.jpg, 32 × 32, red over blue, made
// with ImageMagick: convert -size 32x16 xc:'rgb(200,30,30)' \( -size 32x16
// xc:'rgb(30,30,200)' \) -append -colorspace CMYK -quality 95 -strip
// cmyk.jpg) is converted to RGB the plain way.
func TestCMYK(t *testing.T) {
	data, err := os.ReadFile("testdata/cmyk.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := decode(data, JPEG); m == nil {
		t.Fatal("does not decode")
	} else if _, ok := m.(*image.CMYK); !ok {
		t.Fatalf("decodes to %T, not CMYK", m)
	}
	p, _ := NewProcessor("", Limits{})
	r, err := p.Process(mapFS(map[string][]byte{"c.jpg": data}), "c.jpg", "", Job{Widths: []int{32}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Decode(r.Outputs[0], nil)
	if top, bottom := colorName(out.At(16, 8)), colorName(out.At(16, 24)); top != "R" || bottom != "B" {
		t.Errorf("top %s, bottom %s; want R, B (%v %v)", top, bottom, out.At(16, 8), out.At(16, 24))
	}
}

var updateVersion = flag.Bool("update-version", false, "record the outputs of TestCacheVersionNamesOutputs under the current cacheVersion")

// TestCacheVersionNamesOutputs: the bytes a set of jobs gives are recorded
// with the cacheVersion they were made under (testdata/version.golden). A
// change of this package that changes any output, without a new
// cacheVersion, would let a cache made by the old code serve old results
// as new: the test fails and says to change cacheVersion, then run with
// -update-version.
func TestCacheVersionNamesOutputs(t *testing.T) {
	logo, _ := os.ReadFile("../../static/logos/kestrel-pharmacy.svg")
	fsys := mapFS(map[string][]byte{"p.jpg": phonePhoto(t, 300, 200), "l.svg": logo})
	h := sha256.New()
	p, _ := NewProcessor("", Limits{})
	for _, j := range []struct {
		name string
		jobs []Job
	}{
		{"p.jpg", []Job{{Widths: []int{60, 120, 200}, WebP: true, Aspect: 1.2, Focus: Focus{0.3, 0.6}}, {Widths: []int{100}, MaxBytes: 3000}}},
		{"l.svg", []Job{{Widths: []int{200, 400}, PNG: true}}},
	} {
		rs, err := p.ProcessAll(fsys, j.name, "x", j.jobs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			for _, o := range r.Outputs {
				fmt.Fprintf(h, "%s %d %d %s\n", o.Format, o.Width, o.Height, o.Hash)
			}
		}
	}
	got := cacheVersion + " " + hex.EncodeToString(h.Sum(nil))[:16] + "\n"
	if *updateVersion {
		os.WriteFile("testdata/version.golden", []byte(got), 0o644)
		return
	}
	want, _ := os.ReadFile("testdata/version.golden")
	if string(want) == got {
		return
	}
	wv, _, _ := strings.Cut(string(want), " ")
	if wv == cacheVersion {
		t.Fatalf("the outputs changed (%q, was %q) but cacheVersion did not: change cacheVersion in cache.go, so caches made by the old code are not served, then run go test ./generator/images -run TestCacheVersionNamesOutputs -update-version", strings.TrimSpace(got), strings.TrimSpace(string(want)))
	}
	t.Fatalf("cacheVersion is new: run go test ./generator/images -run TestCacheVersionNamesOutputs -update-version to record its outputs")
}

// The index (index.json) serves a warm build's manifests from one file;
// it is only a copy: without it, damaged or stale, the per-key manifests
// answer, and an output gone from the cache is still a miss.
func TestCacheIndex(t *testing.T) {
	src := encJPEG(t, quadrants(300, 200), 90)
	jobs := []Job{{Widths: []int{100, 200}, Aspect: 1.5}, {Widths: []int{120}}}
	fill := func(t *testing.T) (string, []Result) {
		dir := t.TempDir()
		p := must(NewProcessor(dir, Limits{}))
		fsys := &countFS{FS: mapFS(map[string][]byte{"p.jpg": src})}
		rs, err := p.ProcessAll(fsys, "p.jpg", hexSum(src), jobs)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Derive("social\x00x", "jpg", func() ([]byte, error) { return src, nil }); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		return dir, rs
	}
	cases := []struct {
		name     string
		damage   func(t *testing.T, dir string, rs []Result)
		wantHit  bool
		wantRead bool // per-key manifests read (the index did not answer)
	}{
		{"index answers alone", func(t *testing.T, dir string, rs []Result) {}, true, false},
		{"no index: manifests answer", func(t *testing.T, dir string, rs []Result) {
			os.Remove(filepath.Join(dir, indexFile))
		}, true, true},
		{"damaged index: manifests answer", func(t *testing.T, dir string, rs []Result) {
			os.WriteFile(filepath.Join(dir, indexFile), []byte(`{"Version":`), 0o644)
		}, true, true},
		{"index of another version: manifests answer", func(t *testing.T, dir string, rs []Result) {
			b, _ := os.ReadFile(filepath.Join(dir, indexFile))
			os.WriteFile(filepath.Join(dir, indexFile), bytes.Replace(b, []byte(cacheVersion), []byte("drumbeat-images-0"), 1), 0o644)
		}, true, true},
		{"output gone: a miss, made again", func(t *testing.T, dir string, rs []Result) {
			os.Remove(filepath.Join(dir, rs[0].Outputs[0].File))
		}, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, first := fill(t)
			if _, err := os.Stat(filepath.Join(dir, indexFile)); err != nil {
				t.Fatalf("no index after a build: %v", err)
			}
			c.damage(t, dir, first)
			// The per-key manifests are moved away where the index should
			// answer alone, so a read of one shows as a miss.
			if !c.wantRead {
				if err := os.Rename(filepath.Join(dir, "m"), filepath.Join(dir, "m-away")); err != nil {
					t.Fatal(err)
				}
				defer os.Rename(filepath.Join(dir, "m-away"), filepath.Join(dir, "m"))
			}
			p := must(NewProcessor(dir, Limits{}))
			fsys := &countFS{FS: mapFS(map[string][]byte{"p.jpg": src})}
			rs, err := p.ProcessAll(fsys, "p.jpg", hexSum(src), jobs)
			if err != nil {
				t.Fatal(err)
			}
			if hit := fsys.opens.Load() == 0; hit != c.wantHit {
				t.Errorf("hit = %v, want %v", hit, c.wantHit)
			}
			if fmt.Sprint(rs) != fmt.Sprint(first) {
				t.Errorf("results %+v, want %+v", rs, first)
			}
			if c.wantHit && p.Made() != 0 {
				t.Errorf("made %d images on a hit", p.Made())
			}
		})
	}
}
