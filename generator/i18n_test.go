package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteMessageOverride checks that a site's i18n/en.yaml changes the
// text of the key it gives, everywhere that text appears, and nothing else.
func TestSiteMessageOverride(t *testing.T) {
	src := figureSite(t, "Hello.")
	before := filepath.Join(t.TempDir(), "before")
	if _, err := Build(context.Background(), Options{Source: src, Output: before, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(src, "i18n"), 0o755)
	os.WriteFile(filepath.Join(src, "i18n", "en.yaml"), []byte("footer_contact: \"Reach us\"\n"), 0o644)
	after := filepath.Join(t.TempDir(), "after")
	if _, err := Build(context.Background(), Options{Source: src, Output: after, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	changed := 0
	err := filepath.WalkDir(before, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(before, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(after, rel))
		if err != nil {
			t.Errorf("%s: missing after the override", rel)
			return nil
		}
		want := bytes.ReplaceAll(a, []byte(`>Contact</h2>`), []byte(`>Reach us</h2>`))
		if !bytes.Equal(b, want) {
			t.Errorf("%s: the override changed more than the footer's heading", rel)
		}
		if !bytes.Equal(a, b) {
			changed++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if changed == 0 {
		t.Error("the site's footer_contact changed no page")
	}
}

// TestUnknownLanguageWarns checks that check warns about a language with no
// catalogue, and that the pages say so in <html lang>.
func TestUnknownLanguageWarns(t *testing.T) {
	src := figureSite(t, "Hello.")
	b, _ := os.ReadFile(filepath.Join(src, "site.yaml"))
	os.WriteFile(filepath.Join(src, "site.yaml"), append(b, []byte("\nlanguage: xx\n")...), 0o644)
	_, l := Check(context.Background(), Options{Source: src, Now: exampleNow})
	found := false
	for _, w := range l.Warnings() {
		if strings.Contains(w.Error(), `warning: language "xx" has no message catalogue`) && strings.HasPrefix(w.Error(), "site.yaml:") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the language; got %v", l)
	}
}
