package generator

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	_ "image/png"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/internal/heavy"

	_ "golang.org/x/image/webp"
)

// metadataBlocks lists the metadata an image file carries: JPEG APPn
// segments other than JFIF and Adobe, and COM; PNG text, time, eXIf and
// iCCP chunks; WebP EXIF, XMP and ICCP chunks. Empty for a clean file.
func metadataBlocks(t *testing.T, name string, b []byte) []string {
	t.Helper()
	var out []string
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xd8}):
		for i := 2; i+4 <= len(b); {
			if b[i] != 0xff {
				t.Fatalf("%s: not a marker at %d", name, i)
			}
			m := b[i+1]
			if m == 0xda || m == 0xd9 { // start of scan: the metadata comes before
				return out
			}
			n := int(binary.BigEndian.Uint16(b[i+2:]))
			seg := b[i+4 : min(len(b), i+2+n)]
			switch {
			case m == 0xe0 && bytes.HasPrefix(seg, []byte("JFIF\x00")):
			case m == 0xee && bytes.HasPrefix(seg, []byte("Adobe")):
			case m >= 0xe0 && m <= 0xef:
				out = append(out, "APP"+strconv.Itoa(int(m-0xe0))+" "+string(seg[:min(len(seg), 12)]))
			case m == 0xfe:
				out = append(out, "COM")
			}
			i += 2 + n
		}
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		for i := 8; i+8 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			typ := string(b[i+4 : i+8])
			switch typ {
			case "tEXt", "zTXt", "iTXt", "tIME", "eXIf", "iCCP":
				out = append(out, typ)
			}
			i += 12 + n
		}
	case bytes.HasPrefix(b, []byte("RIFF")) && len(b) > 12 && string(b[8:12]) == "WEBP":
		for i := 12; i+8 <= len(b); {
			typ := string(b[i : i+4])
			n := int(binary.LittleEndian.Uint32(b[i+4:]))
			switch typ {
			case "EXIF", "XMP ", "ICCP":
				out = append(out, typ)
			}
			i += 8 + n + n&1
		}
	}
	return out
}

// outputImages returns every JPEG, PNG and WebP file under out.
func outputImages(t *testing.T, out string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".webp":
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(out, p)
			files[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	return files
}

// TestPhotosReachReadersClean builds the example, whose photos arrive as
// phones send them (sideways with an EXIF orientation, with a GPS position,
// camera data, XMP and IPTC), and checks that no output image carries any
// metadata, that no original is published, that every srcset names files
// of the sizes it says, and that the covers are upright.
func TestPhotosReachReadersClean(t *testing.T) {
	heavy.Test(t)
	out, _ := buildExample(t, Options{CacheDir: t.TempDir()})
	imgs := outputImages(t, out)
	if len(imgs) < 10 {
		t.Fatalf("only %d images in the output", len(imgs))
	}
	for name, b := range imgs {
		if md := metadataBlocks(t, name, b); len(md) > 0 {
			t.Errorf("%s carries metadata: %v", name, md)
		}
	}
	// No source photo is published as it is.
	sources := examplePhotos(t)
	for name, b := range imgs {
		for src, sb := range sources {
			if bytes.Equal(b, sb) {
				t.Errorf("%s is the original %s", name, src)
			}
		}
	}
	if len(sources) < 3 {
		t.Fatalf("the example has %d photos, want at least 3", len(sources))
	}
	// exiftool, a real parser, finds no EXIF, GPS, XMP, IPTC or ICC.
	if exiftool, err := exec.LookPath("exiftool"); err != nil {
		if os.Getenv("DRUMBEAT_REQUIRE_EXIFTOOL") != "" {
			t.Fatal("exiftool not found, and DRUMBEAT_REQUIRE_EXIFTOOL is set (CI installs libimage-exiftool-perl)")
		}
		t.Log("SKIP part: exiftool not found (Debian: libimage-exiftool-perl); the segments were checked by hand above")
	} else {
		var names []string
		for name := range imgs {
			names = append(names, filepath.Join(out, filepath.FromSlash(name)))
		}
		cmd := exec.Command(exiftool, append([]string{"-j", "-G", "-a"}, names...)...)
		res, err := cmd.Output()
		if err != nil {
			t.Fatalf("exiftool: %v", err)
		}
		var tags []map[string]any
		if err := json.Unmarshal(res, &tags); err != nil {
			t.Fatal(err)
		}
		for _, m := range tags {
			for k := range m {
				g, _, _ := strings.Cut(k, ":")
				switch g {
				case "EXIF", "GPS", "XMP", "IPTC", "ICC_Profile", "MakerNotes", "Photoshop", "Composite":
					if g == "Composite" && !strings.Contains(k, "GPS") {
						continue
					}
					t.Errorf("%s: exiftool finds %s = %v", m["SourceFile"], k, m[k])
				}
			}
		}
	}
	// Every srcset names files that exist, of the widths it says, and the
	// img's width and height are the largest file's.
	srcsetRE := regexp.MustCompile(`<img [^>]*srcset="([^"]+)"[^>]*>`)
	attrRE := func(tag, name string) string {
		m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return m[1]
	}
	pages := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		dir := path.Dir(filepath.ToSlash(rel))
		for _, m := range srcsetRE.FindAllStringSubmatch(string(b), -1) {
			pages++
			tag := m[0]
			var lastW, lastH int
			for _, part := range strings.Split(m[1], ", ") {
				u, w, ok := strings.Cut(part, " ")
				if !ok || !strings.HasSuffix(w, "w") {
					t.Errorf("%s: srcset part %q", rel, part)
					continue
				}
				want, _ := strconv.Atoi(strings.TrimSuffix(w, "w"))
				file := path.Join(dir, u)
				data, ok := imgs[file]
				if !ok {
					t.Errorf("%s: srcset names %s, which is not in the output", rel, file)
					continue
				}
				cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: %v", file, err)
					continue
				}
				if cfg.Width != want {
					t.Errorf("%s: srcset says %dw, the file is %d px wide", file, want, cfg.Width)
				}
				lastW, lastH = cfg.Width, cfg.Height
			}
			if w, h := attrRE(tag, "width"), attrRE(tag, "height"); w != strconv.Itoa(lastW) || h != strconv.Itoa(lastH) {
				t.Errorf("%s: img width=%s height=%s, the largest file is %d × %d: %s", rel, w, h, lastW, lastH, tag)
			}
			if attrRE(tag, "sizes") == "" {
				t.Errorf("%s: img without sizes: %s", rel, tag)
			}
			if !strings.Contains(tag, ` alt=`) {
				t.Errorf("%s: img without alt: %s", rel, tag)
			}
		}
		return nil
	})
	if pages < 5 {
		t.Errorf("only %d pictures with a srcset in the output", pages)
	}
}

// examplePhotos returns the example's photo files (JPEG, PNG, WebP) under
// content/ and static/.
func examplePhotos(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range []string{"content", "static"} {
		filepath.WalkDir(filepath.Join(exampleDir, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".jpg", ".jpeg", ".png", ".webp":
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				out[p] = b
			}
			return nil
		})
	}
	return out
}

// TestPhotoErrors builds small sites whose photos are broken in the ways
// real files are, and checks each error names the line that cites the
// photo and the file, without a panic.
func TestPhotoErrors(t *testing.T) {
	good := tinyJPEG(t)
	// A PNG header that claims 30000 × 30000 pixels, in a few bytes.
	bomb := pngHeader(30000, 30000)
	heic := append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'}, make([]byte, 64)...)
	tests := []struct {
		name  string
		file  []byte
		image string // the story's image: line
		want  string
	}{
		{"truncated", good[:len(good)/2], "photo.jpg", "stories/2026-01-10-a/index.md:5:"},
		{"bomb", bomb, "photo.jpg", "30000 × 30000"},
		{"heic", heic, "photo.jpg", "HEIC"},
		{"not an image", []byte("hello, this is text"), "photo.jpg", "photo.jpg"},
		{"missing", nil, "other.jpg", "other.jpg"},
		{"outside the site", good, "../../../../etc/passwd", "passwd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"site.yaml": "title: Test\n",
				"content/stories/2026-01-10-a/index.md": "---\ntitle: A\ndate: 2026-01-10\nsummary: S\n" +
					"image: " + tc.image + "\nimage_alt: A field\n---\nText.\n",
			})
			if tc.file != nil {
				os.WriteFile(filepath.Join(dir, "content/stories/2026-01-10-a/photo.jpg"), tc.file, 0o644)
			}
			_, errs := Check(context.Background(), Options{Source: dir, Now: exampleNow, CacheDir: t.TempDir()})
			if !errs.HasErrors() {
				t.Fatalf("no error; want one with %q", tc.want)
			}
			msg := errs.Error()
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "index.md:") {
				t.Errorf("the error does not say %q at the story's line:\n%s", tc.want, msg)
			}
		})
	}
}

// writeTree writes files (path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pngHeader returns the signature and IHDR of a w × h PNG, and no pixels.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = binary.BigEndian.AppendUint32(b, w)
	b = binary.BigEndian.AppendUint32(b, h)
	b = append(b, 8, 2, 0, 0, 0)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[12:]))
}

// tinyJPEG returns a 64 × 48 JPEG of a gradient.
func tinyJPEG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			o := m.PixOffset(x, y)
			m.Pix[o], m.Pix[o+1], m.Pix[o+2], m.Pix[o+3] = uint8(x*4), uint8(y*5), 128, 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPhotoCache checks that a rebuild with unchanged photos does no image
// work, and that a changed photo or a changed setting is never served from
// an old result.
func TestPhotoCache(t *testing.T) {
	dir := t.TempDir()
	cache := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml": "title: Test\n",
		"content/stories/2026-01-10-a/index.md": "---\ntitle: A\ndate: 2026-01-10\nsummary: S\n" +
			"image: photo.jpg\nimage_alt: A field\n---\nText.\n",
	})
	photo := filepath.Join(dir, "content/stories/2026-01-10-a/photo.jpg")
	if err := os.WriteFile(photo, tinyJPEG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func() (Result, map[string][]byte) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Build(context.Background(), Options{Source: dir, Output: out, Now: exampleNow, CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		return res, outputImages(t, out)
	}
	first, imgs1 := build()
	if first.ImagesMade == 0 {
		t.Fatal("a build with an empty cache processed no image")
	}
	again, imgs2 := build()
	if again.ImagesMade != 0 {
		t.Errorf("a rebuild with unchanged photos processed %d images", again.ImagesMade)
	}
	if len(imgs1) != len(imgs2) {
		t.Errorf("%d images, then %d", len(imgs1), len(imgs2))
	}
	for name, b := range imgs1 {
		if !bytes.Equal(b, imgs2[name]) {
			t.Errorf("%s differs between a cold and a warm build", name)
		}
	}
	// The same size, another picture: its digest changes.
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	var buf bytes.Buffer
	jpeg.Encode(&buf, m, nil)
	os.WriteFile(photo, buf.Bytes(), 0o644)
	changed, imgs3 := build()
	if changed.ImagesMade == 0 {
		t.Error("a replaced photo was served from the cache")
	}
	if sameNames(imgs2, imgs3) {
		t.Error("a replaced photo kept the names of the old one's files")
	}
	// Another JPEG quality: new files.
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: Test\nimages:\n  quality: 60\n"), 0o644)
	q, imgs4 := build()
	if q.ImagesMade == 0 || sameNames(imgs3, imgs4) {
		t.Errorf("a new quality setting was served from the cache (%d made)", q.ImagesMade)
	}
}

// sameNames reports whether the processed files (under media/) of a and b
// have the same names.
func sameNames(a, b map[string][]byte) bool {
	n := 0
	for name := range a {
		if strings.HasPrefix(name, "media/") && !strings.Contains(name, "logo-") {
			if _, ok := b[name]; !ok {
				return false
			}
			n++
		}
	}
	return n > 0
}

// TestPhotosUprightInEmailAndCards checks, on the example, that a photo
// stored sideways (EXIF orientation 6) comes out upright, that the
// newsletter's email shows the photos and the spotlight's logo from
// absolute addresses of files the build wrote, each email photo under 200
// kB, and that a story with a cover has a 1200 × 630 JPEG social card.
func TestPhotosUprightInEmailAndCards(t *testing.T) {
	out, _ := builtExample(t, "https://alliance.example.org/")
	imgs := outputImages(t, out)
	var van image.Config
	for name, b := range imgs {
		if strings.HasPrefix(name, "media/van-handover-1408-") && strings.HasSuffix(name, ".jpg") {
			van, _, _ = image.DecodeConfig(bytes.NewReader(b))
		}
	}
	if van.Width != 1408 || van.Height <= van.Width {
		t.Errorf("the van photo (stored 4000 × 3000, orientation 6) came out %d × %d, want upright 1408 wide and taller than wide", van.Width, van.Height)
	}
	html, err := os.ReadFile(filepath.Join(out, "newsletter/2026-11/email.html"))
	if err != nil {
		t.Fatal(err)
	}
	srcs := regexp.MustCompile(`<img [^>]*src="([^"]+)"`).FindAllStringSubmatch(string(html), -1)
	var photos, logos int
	for _, m := range srcs {
		u := m[1]
		if !strings.HasPrefix(u, "https://alliance.example.org/") {
			t.Errorf("email image %s is not absolute", u)
			continue
		}
		rel := strings.TrimPrefix(u, "https://alliance.example.org/")
		b, ok := imgs[rel]
		if !ok && !strings.HasSuffix(rel, ".png") {
			t.Errorf("email image %s is not in the output", rel)
			continue
		}
		switch {
		case strings.HasPrefix(rel, "media/logo-"):
			logos++
		case strings.HasPrefix(rel, "media/"):
			photos++
			if len(b) > 200_000 {
				t.Errorf("email photo %s is %d bytes, over 200 kB", rel, len(b))
			}
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
			t.Errorf("email image %s: %v", rel, err)
		}
	}
	if photos == 0 || logos == 0 {
		t.Errorf("the November email shows %d photos and %d logos, want at least one of each", photos, logos)
	}
	card, ok := imgs["stories/cold-chain-handover/card.jpg"]
	if !ok {
		t.Fatal("no stories/cold-chain-handover/card.jpg")
	}
	if c, _, err := image.DecodeConfig(bytes.NewReader(card)); err != nil || c.Width != 1200 || c.Height != 630 {
		t.Errorf("the social card is %d × %d (%v), want 1200 × 630", c.Width, c.Height, err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories/cold-chain-handover/index.html"))
	for _, want := range []string{`content="https://alliance.example.org/stories/cold-chain-handover/card.jpg"`, `content="image/jpeg"`, `Photo: A white refrigerated van`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the story page has no %s", want)
		}
	}
}

// TestPageCover: a page (content/pages) with an image: shows it at its top,
// processed, with its caption, as a story does.
func TestPageCover(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":                    "title: Test\n",
		"content/pages/about/index.md": "---\ntitle: About\nimage: hall.jpg\nimage_alt: The hall\nimage_caption: Where we meet\n---\nText.\n",
	})
	os.WriteFile(filepath.Join(dir, "content/pages/about/hall.jpg"), tinyJPEG(t), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Source: dir, Output: out, Now: exampleNow, CacheDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "about/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<figure class="story-image"><picture>`, `alt="The hall"`, `<figcaption>Where we meet</figcaption>`, `media/hall-64-`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page has no %s", want)
		}
	}
}

// TestStoryCardCache checks that the social card of a story without a
// cover is kept in the image cache: a rebuild copies it instead of drawing
// it, with the same bytes as drawn, and a changed title draws it again.
func TestStoryCardCache(t *testing.T) {
	dir := t.TempDir()
	cache := t.TempDir()
	story := func(title string) string {
		return "---\ntitle: " + title + "\ndate: 2026-01-10\nsummary: S\n---\nText.\n"
	}
	writeTree(t, dir, map[string]string{
		"site.yaml":                             "title: Test\n",
		"content/stories/2026-01-10-a/index.md": story("A <first> & \"quoted\""),
		"content/stories/2026-01-10-b/index.md": story("B"),
	})
	build := func() (Result, map[string][]byte) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Build(context.Background(), Options{Source: dir, Output: out, Now: exampleNow, CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		cards := map[string][]byte{}
		for _, s := range []string{"a", "b"} {
			b, err := os.ReadFile(filepath.Join(out, "stories", s, "card.png"))
			if err != nil {
				t.Fatal(err)
			}
			cards[s] = b
		}
		return res, cards
	}
	first, c1 := build()
	if first.ImagesMade < 2 {
		t.Fatalf("a build with an empty cache drew %d images, want the 2 story cards at least", first.ImagesMade)
	}
	again, c2 := build()
	if again.ImagesMade != 0 {
		t.Errorf("a rebuild drew %d images, want none: the story cards come from the cache", again.ImagesMade)
	}
	for s, b := range c1 {
		if !bytes.Equal(b, c2[s]) {
			t.Errorf("the card of %s differs between a cold and a warm build", s)
		}
	}
	writeTree(t, dir, map[string]string{"content/stories/2026-01-10-b/index.md": story("B, renamed")})
	changed, c3 := build()
	if changed.ImagesMade != 1 {
		t.Errorf("a new title drew %d images, want 1 (its card)", changed.ImagesMade)
	}
	if bytes.Equal(c2["b"], c3["b"]) {
		t.Error("a story's new title was not drawn on its card")
	}
	if !bytes.Equal(c2["a"], c3["a"]) {
		t.Error("an unchanged story's card changed")
	}
}
