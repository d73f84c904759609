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

// TestHostileStoriesAreRefusedAtTheirLine checks a few inputs that once
// took seconds to minutes or gigabytes: check now names the line, fast.
func TestHostileStoriesAreRefusedAtTheirLine(t *testing.T) {
	bound := 5 * time.Second // the whole check of a small site
	if raceEnabled {
		bound = 30 * time.Second
	}
	for _, tt := range []struct {
		name, src, want string
	}{
		{"100 KB of nested >", story("Deep", "2025-03-01", "", "Intro.\n\n"+strings.Repeat(">", 100_000)),
			"content/stories/x.md:7:17: block quotes and lists nest more than 16 levels deep here"},
		{"120 KB of [x](", story("Links", "2025-03-01", "", strings.Repeat("[x](", 30_000)),
			"content/stories/x.md:5:1027: this paragraph has more than 256 links"},
		{"100 KB of {{ x", story("Figures", "2025-03-01", "", strings.Repeat("{{ x ", 20_000)), ""},
		{"TOML inline tables", "+++\ntitle = \"x\"\ndate = 2025-03-01\nx = " + strings.Repeat("{a=", 10_000) + "1" + strings.Repeat("}", 10_000) + "\n+++\nBody.\n",
			"content/stories/x.md:4:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := protocolSite(t, map[string]string{"x.md": tt.src})
			start := time.Now()
			_, errs := Check(context.Background(), Options{Source: src, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
			if d := time.Since(start); d > bound {
				t.Errorf("check took %v", d)
			}
			if tt.want == "" {
				return // only the time matters
			}
			if !errs.HasErrors() || !strings.Contains(errs.Error(), tt.want) {
				t.Errorf("check: %.600v\nwant the error %s", errs, tt.want)
			}
		})
	}
}
