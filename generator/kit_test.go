package generator

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

var kitStoryLink = regexp.MustCompile(`<li class="kit-story"><h3><a href="[^"]*/stories/([^/"]+)/">`)

// kitSlugs reads the slugs of the stories a built kit lists, in order.
func kitSlugs(t *testing.T, out, partner string) (string, []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "partners", partner, "kit", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, m := range kitStoryLink.FindAllStringSubmatch(string(b), -1) {
		slugs = append(slugs, m[1])
	}
	return string(b), slugs
}

// TestKitListsPublishedStoriesNewestFirst checks that every partner's kit
// lists exactly the published stories and spotlights that name it, newest
// first, and that the partner page links to it.
func TestKitListsPublishedStoriesNewestFirst(t *testing.T) {
	out, res := builtExample(t, "")
	if res.Stats.Kits != len(res.Site.Partners) {
		t.Errorf("%d kits written, want one per partner (%d)", res.Stats.Kits, len(res.Site.Partners))
	}
	listed := 0
	for _, p := range res.Site.Partners {
		var want []*model.Story
		for _, st := range res.Site.Stories {
			if st.Published() && slices.Contains(st.NamedPartners(), p.ID) {
				want = append(want, st)
			}
		}
		sort.SliceStable(want, func(i, j int) bool { return want[i].Date.After(want[j].Date) })
		var wantSlugs []string
		for _, st := range want {
			wantSlugs = append(wantSlugs, st.Slug)
		}
		page, got := kitSlugs(t, out, p.ID)
		if !slices.Equal(got, wantSlugs) {
			t.Errorf("%s's kit lists %v, want %v", p.ID, got, wantSlugs)
		}
		listed += len(got)
		if !strings.Contains(page, `<meta name="robots" content="noindex">`) {
			t.Errorf("%s's kit is not noindex", p.ID)
		}
		pp, err := os.ReadFile(filepath.Join(out, "partners", p.ID, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(pp), `href="../../partners/`+p.ID+`/kit/"`) {
			t.Errorf("%s's page does not link to its kit", p.ID)
		}
	}
	if listed < 8 {
		t.Errorf("the kits list %d stories in all: the test proves little", listed)
	}
	// The kit is not in the main navigation nor in the sitemap.
	for _, f := range []string{"index.html", "sitemap.xml"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "/kit/") {
			t.Errorf("%s links to a kit", f)
		}
	}
}

// TestKitHoldsHeldStories checks that a story held back for any reason
// (a draft, an embargo, an approval missing, a text edited after its
// approval) is in no kit, in a public build and in a --drafts build, which
// previews held stories everywhere else.
func TestKitHoldsHeldStories(t *testing.T) {
	t.Parallel()
	src := leakSite(t)
	// Edit an approved story: its approval no longer holds.
	p := filepath.Join(src, "content", "stories", "2026-11-06-spotlight-kestrel-pharmacy.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, "\nA sentence added after Kestrel approved the text.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, drafts := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "public")
		res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, Drafts: drafts})
		if err != nil {
			t.Fatal(err)
		}
		var reasons []string
		for _, st := range res.Site.Held {
			reasons = append(reasons, st.Held...)
		}
		for _, want := range []string{"draft", "embargoed", "has not approved", "approve this version"} {
			if !strings.Contains(strings.Join(reasons, "\n"), want) {
				t.Fatalf("drafts %v: no story is held because %q; held: %v", drafts, want, reasons)
			}
		}
		for _, st := range res.Site.Held {
			if len(st.NamedPartners()) == 0 {
				t.Fatalf("%s names no partner: the test proves nothing for it", st.Path)
			}
			for _, id := range st.NamedPartners() {
				page, slugs := kitSlugs(t, out, id)
				if slices.Contains(slugs, st.Slug) || strings.Contains(page, st.Slug) || strings.Contains(page, html.EscapeString(st.Title)) {
					t.Errorf("drafts %v: %s's kit holds %s (held: %v)", drafts, id, st.Path, st.Held)
				}
			}
		}
	}
}
