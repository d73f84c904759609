package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMisspeltPartnersNeverPublish builds a site whose story names its
// partner under `partner:` instead of `partners:`. Before, the key was
// kept silently: check passed and the story was published without the
// partner's approval. Now check and build stop at the key.
func TestMisspeltPartnersNeverPublish(t *testing.T) {
	const token = "OKAPI-41d7-TOKEN"
	src := protocolSite(t, map[string]string{
		"x.md": story("Acme story "+token, "2025-03-01", "summary: s\npartner: [acme]\n", "What we did together "+token),
	})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const want = `content/stories/x.md:5:1: unknown field "partner" (did you mean "partners"?)`

	_, errs := Check(context.Background(), Options{Source: src, Now: now})
	if !errs.HasErrors() || !strings.Contains(errs.Error(), want) {
		t.Errorf("check: %v\nwant the error %s", errs, want)
	}

	out := filepath.Join(t.TempDir(), "public")
	_, err := Build(context.Background(), Options{Source: src, Output: out, Now: now})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("build: %v\nwant the error %s", err, want)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), token) {
				t.Errorf("%s holds the story", p)
			}
		}
		return nil
	})
}
