package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritePhotos writes a small corpus with photos: each story a page
// bundle with its own photo.jpg (distinct bytes), cited by image: with
// image_alt, and the Hugo site's leaf bundles sharing the same files, with a
// layout that resizes them to drumbeat's widths.
func TestWritePhotos(t *testing.T) {
	photoW, photoH = 160, 120 // before the photos are first painted
	dir, hdir := t.TempDir(), t.TempDir()
	c := Corpus{Stories: 4, Seed: 1, Photos: true}
	if err := Write(c, dir, hdir); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, slug := range []string{"story-00000", "story-00001", "story-00002", "story-00003"} {
		md, err := os.ReadFile(filepath.Join(dir, "content/stories", slug, "index.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"slug: " + slug + "\n", "image: photo.jpg\n", "image_alt: \"A "} {
			if !bytes.Contains(md, []byte(want)) {
				t.Errorf("%s: no %q in its front matter", slug, want)
			}
		}
		photo, err := os.ReadFile(filepath.Join(dir, "content/stories", slug, "photo.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(photo)] {
			t.Errorf("%s: the same photo bytes as another story", slug)
		}
		seen[string(photo)] = true
		a, _ := os.Stat(filepath.Join(dir, "content/stories", slug, "photo.jpg"))
		b, err := os.Stat(filepath.Join(hdir, "content/stories", slug, "photo.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(a, b) {
			t.Errorf("%s: the Hugo site's photo is a copy, not the same file", slug)
		}
		hmd, err := os.ReadFile(filepath.Join(hdir, "content/stories", slug, "index.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(hmd, []byte("publishResources: false")) {
			t.Errorf("%s: Hugo would publish the original photo", slug)
		}
	}
	layout, err := os.ReadFile(filepath.Join(hdir, "layouts/_default/single.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"480", "800", "1200", "1408"} {
		if !strings.Contains(string(layout), `.Resize "`+w+`x jpg q80"`) {
			t.Errorf("the Hugo layout does not resize to %s px", w)
		}
	}
	// Without photos, the same stories in the same files as before.
	plain := t.TempDir()
	if err := Write(Corpus{Stories: 2, Seed: 1}, plain, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(plain, "content/stories/story-00001.md")); err != nil {
		t.Error(err)
	}
}
