package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestStoryCardCacheUnwritable checks the image cache's keeping of the social cards
// of stories without a photo (PNG): a warm build draws none and writes the
// same bytes as a cold one; a story whose card text changes gets its card
// drawn again, byte for byte the card a cold build draws, and the other
// story's card is still taken from the cache.
func TestStoryCardCacheUnwritable(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":                             "title: Test\nbase_url: https://example.org/\n",
		"content/stories/2026-01-10-a/index.md": "---\ntitle: A first story\ndate: 2026-01-10\nsummary: What happened first.\n---\nText.\n",
		"content/stories/2026-01-11-b/index.md": "---\ntitle: A second story\ndate: 2026-01-11\nsummary: What happened next.\n---\nText.\n",
	})
	build := func(cache string) (Result, map[string][]byte) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Build(context.Background(), Options{Source: dir, Output: out, Now: exampleNow, CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		return res, outputImages(t, out)
	}
	const a, b = "stories/a/card.png", "stories/b/card.png"
	cache := t.TempDir()
	cold, imgs1 := build(cache)
	if cold.ImagesMade < 2 {
		t.Fatalf("a cold build made %d images, want the 2 story cards at least", cold.ImagesMade)
	}
	if len(imgs1[a]) == 0 || len(imgs1[b]) == 0 {
		t.Fatalf("no story cards in %v", keys(imgs1))
	}
	warm, imgs2 := build(cache)
	if warm.ImagesMade != 0 {
		t.Errorf("a warm build drew %d images", warm.ImagesMade)
	}
	for _, name := range []string{a, b} {
		if !bytes.Equal(imgs1[name], imgs2[name]) {
			t.Errorf("%s differs between a cold and a warm build", name)
		}
	}
	// A new title: that card is drawn again, as a cold build draws it.
	os.WriteFile(filepath.Join(dir, "content/stories/2026-01-10-a/index.md"),
		[]byte("---\ntitle: A retitled story\ndate: 2026-01-10\nsummary: What happened first.\n---\nText.\n"), 0o644)
	edited, imgs3 := build(cache)
	if edited.ImagesMade != 1 {
		t.Errorf("after one story's title changed, %d images were made, want its card", edited.ImagesMade)
	}
	if bytes.Equal(imgs3[a], imgs1[a]) {
		t.Error("the retitled story's card is the old one")
	}
	if !bytes.Equal(imgs3[b], imgs1[b]) {
		t.Error("the other story's card changed")
	}
	_, fresh := build(t.TempDir())
	for _, name := range []string{a, b} {
		if !bytes.Equal(imgs3[name], fresh[name]) {
			t.Errorf("%s from the cache differs from a cold build's", name)
		}
	}
	// A cache that cannot keep the cards (its outputs' folder is a file):
	// the build still writes them, as drawn.
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "images", "o"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, unkept := build(broken)
	for _, name := range []string{a, b} {
		if !bytes.Equal(unkept[name], fresh[name]) {
			t.Errorf("%s with a cache that cannot keep it differs from a cold build's", name)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
