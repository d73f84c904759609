package generator

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHeldStoryHasNoKitCard builds a site where a partner is named by a
// public story and by one it has not approved, publicly and with --drafts
// (which shows the held story as a preview): the partner's kit has the
// three cards of the public story and none of the held one, and no file
// anywhere is named after the held story. On code that took the kit's
// stories from every story naming the partner, the --drafts build drew
// the held story's cards.
func TestHeldStoryHasNoKitCard(t *testing.T) {
	// A lesson needs no approval in heldSite; a story does.
	public := "---\ntitle: Acme opens a tap\ndate: 2025-09-01\nkind: lesson\npartners: [acme]\nmetrics: [people_reached]\n---\nWe reached {{people_reached}} people.\n"
	held := "---\ntitle: Held ZEBRA\ndate: 2025-10-01\npartners: [acme]\nmetrics: [people_reached]\n---\nAcme reached {{people_reached}} people.\n"
	src := heldSite(t, map[string]string{"acme-tap.md": public, "zebra.md": held})
	for _, drafts := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "out")
		res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, Drafts: drafts})
		if err != nil {
			t.Fatal(err)
		}
		var kit []string
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(out, p)
			rel = filepath.ToSlash(rel)
			// A --drafts build shows the held story's own page and card.
			if strings.Contains(rel, "zebra") && (!drafts || !strings.HasPrefix(rel, "stories/zebra/")) {
				t.Errorf("drafts %v: %s is named after the held story", drafts, rel)
			}
			if strings.HasPrefix(rel, "partners/acme/kit/") && strings.HasSuffix(rel, ".png") {
				kit = append(kit, rel)
			}
			return nil
		})
		slices.Sort(kit)
		want := []string{"partners/acme/kit/acme-tap-1080x1080.png", "partners/acme/kit/acme-tap-1080x1350.png", "partners/acme/kit/acme-tap-1200x630.png"}
		if !slices.Equal(kit, want) {
			t.Errorf("drafts %v: acme's kit cards are %v, want %v (held: %d)", drafts, kit, want, len(res.Site.Held))
		}
		if _, err := os.Stat(filepath.Join(out, "partners/acme/kit/tiles/people_reached.svg")); err == nil {
			t.Errorf("drafts %v: acme has a tile of a metric it has no values of", drafts)
		}
	}
}
