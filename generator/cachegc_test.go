package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cachePath is where the image cache keeps an output with these bytes.
func cachePath(cache string, b []byte, ext string) string {
	s := sha256.Sum256(b)
	h := hex.EncodeToString(s[:])
	return filepath.Join(cache, "images", "o", h[:2], h+ext)
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			files[filepath.ToSlash(rel)] = []byte("symlink")
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildGC(t *testing.T) {
	dir := t.TempDir()
	cache := t.TempDir()
	outside := t.TempDir()
	story := func(title string) string {
		return "---\ntitle: " + title + "\ndate: 2026-01-10\nsummary: S\n---\nText.\n"
	}
	writeTree(t, dir, map[string]string{
		"site.yaml":                             "title: Test\n",
		"content/stories/2026-01-10-a/index.md": story("A"),
		"content/stories/2026-01-10-b/index.md": story("B"),
	})
	build := func(gc bool) (Result, string, error) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "public")
		res, err := Build(context.Background(), Options{Source: dir, Output: out, Now: exampleNow, CacheDir: cache, GC: gc})
		return res, out, err
	}
	card := func(out, s string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "stories", s, "card.png"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	exists := func(p string) bool {
		_, err := os.Lstat(p)
		return err == nil
	}
	_, out1, err := build(false)
	if err != nil {
		t.Fatal(err)
	}
	oldA, oldB := cachePath(cache, card(out1, "a"), ".png"), cachePath(cache, card(out1, "b"), ".png")
	if !exists(oldA) || !exists(oldB) {
		t.Fatalf("the story cards are not in the cache as %s and %s", oldA, oldB)
	}

	// Files of the cache folder not named as its entries, and symbolic
	// links (named as entries) to files and folders outside it.
	hexName := strings.Repeat("ab", 32)
	target := filepath.Join(outside, hexName+".png")
	outsideDir := filepath.Join(outside, "cd")
	writeTree(t, outside, map[string]string{hexName + ".png": "x", "cd/" + strings.Repeat("cd", 32) + ".png": "y"})
	writeTree(t, cache, map[string]string{
		"images/o/ab/notes.txt":                            "keep",
		"images/o/ab/" + strings.ToUpper(hexName) + ".png": "keep",
		"images/m/zz/" + hexName + ".json":                 "{}",
		"README":                                           "keep",
	})
	links := []string{filepath.Join(cache, "images", "o", "ab", hexName+".png"), filepath.Join(cache, "images", "o", "cd")}
	if err := os.Symlink(target, links[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outsideDir, links[1]); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, cache)

	// A failed build removes nothing, even with --gc.
	writeTree(t, dir, map[string]string{"content/stories/2026-01-10-c/index.md": "---\ntitle: C\ndate: 2026-13-45\n---\nText.\n"})
	if _, _, err := build(true); err == nil {
		t.Fatal("a story with a bad date built")
	}
	if after := readTree(t, cache); len(after) != len(before) {
		t.Errorf("a failed build changed the cache: %d files, then %d", len(before), len(after))
	}
	os.RemoveAll(filepath.Join(dir, "content/stories/2026-01-10-c"))

	// B's new title: its old card goes, the new one and A's stay.
	writeTree(t, dir, map[string]string{"content/stories/2026-01-10-b/index.md": story("B, renamed")})
	res, out2, err := build(true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cache.Swept || res.Cache.Removed == 0 {
		t.Errorf("build --gc reported %+v, want a sweep that removed files", res.Cache)
	}
	if !strings.HasPrefix(res.Cache.String(), "cache: removed ") {
		t.Errorf("report %q", res.Cache.String())
	}
	newB := cachePath(cache, card(out2, "b"), ".png")
	if exists(oldB) {
		t.Error("build --gc kept the old card of the story whose title changed")
	}
	if !exists(newB) || !exists(oldA) {
		t.Error("build --gc removed a card the build used")
	}
	for _, p := range append(links, target, filepath.Join(outsideDir, strings.Repeat("cd", 32)+".png"),
		filepath.Join(cache, "images/o/ab/notes.txt"), filepath.Join(cache, "images/o/ab", strings.ToUpper(hexName)+".png"),
		filepath.Join(cache, "images/m/zz", hexName+".json"), filepath.Join(cache, "README")) {
		if !exists(p) {
			t.Errorf("build --gc removed %s, which is not a cache entry", p)
		}
	}

	// The output is the same with and without --gc, and a warm build
	// after --gc makes nothing again.
	again, out3, err := build(false)
	if err != nil {
		t.Fatal(err)
	}
	if again.ImagesMade != 0 {
		t.Errorf("a build after --gc made %d images, want 0: --gc removed an entry in use", again.ImagesMade)
	}
	a, b := readTree(t, out2), readTree(t, out3)
	if len(a) != len(b) {
		t.Errorf("%d files with --gc, %d without", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs with and without --gc", name)
		}
	}
}
