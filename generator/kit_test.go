package generator

import (
	"context"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
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

var (
	shareLinksPara = regexp.MustCompile(`(?s)<p class="share-links">(.*?)</p>`)
	hrefAttr       = regexp.MustCompile(`<a href="([^"]*)"([^>]*)>`)
	mastodonForm   = regexp.MustCompile(`<form class="share-mastodon" data-text="([^"]*)"`)
	scriptSrc      = regexp.MustCompile(`<script[^>]*\ssrc=`)
)

// TestStoryShareLinks checks every story page's share links: plain links
// (no script of a network, nothing opened before a click) to each
// network's share address, with the post for that network encoded in it,
// within the network's limit and ending with the story's address.
func TestStoryShareLinks(t *testing.T) {
	out, res := builtExample(t, "")
	if len(res.Site.Stories) < 5 {
		t.Fatalf("%d stories", len(res.Site.Stories))
	}
	for _, st := range res.Site.Stories {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(st.URL(), "/")), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		abs := "https://alliance.example.org" + st.URL()
		if scriptSrc.MatchString(page) && strings.Contains(page, `src="http`) {
			t.Errorf("%s loads a script from elsewhere", st.URL())
		}
		para := shareLinksPara.FindStringSubmatch(page)
		if para == nil {
			t.Fatalf("%s has no share links", st.URL())
		}
		links := map[string]string{}
		for _, m := range hrefAttr.FindAllStringSubmatch(para[1], -1) {
			href := html.UnescapeString(m[1])
			if a := m[2]; a != "" && a != ` rel="noopener"` && a != " download" {
				t.Errorf("%s: a share link has attributes %q", st.URL(), m[2])
			}
			u, err := url.Parse(href)
			if err != nil {
				t.Fatalf("%s: %q: %v", st.URL(), href, err)
			}
			links[u.Scheme+"://"+u.Host+u.Path] = href
		}
		for _, tc := range []struct {
			at    string
			param string
			count func(string) int
			max   int
		}{
			{"https://bsky.app/intent/compose", "text", render.CountGraphemes, render.MaxBluesky},
			{"https://wa.me/", "text", utf8.RuneCountInString, render.MaxMessage},
			{"https://x.com/intent/post", "url", nil, 0},
			{"https://www.linkedin.com/sharing/share-offsite/", "url", nil, 0},
		} {
			href, ok := links[tc.at]
			if !ok {
				t.Errorf("%s: no link to %s among %v", st.URL(), tc.at, links)
				continue
			}
			if strings.Contains(href, "+") && tc.count != nil {
				t.Errorf("%s: %s encodes spaces as +: %s", st.URL(), tc.at, href)
			}
			u, _ := url.Parse(href)
			text := u.Query().Get(tc.param)
			if !strings.HasSuffix(text, abs) {
				t.Errorf("%s: %s's %s does not end with the story's address: %q", st.URL(), tc.at, tc.param, text)
			}
			if tc.count != nil {
				if n := tc.count(text); n > tc.max || !strings.HasPrefix(text, strings.Join(strings.Fields(st.Title), " ")[:10]) {
					t.Errorf("%s: %s's text is %d long (max %d) or does not start with the title: %q", st.URL(), tc.at, n, tc.max, text)
				}
			}
		}
		if _, ok := links["mailto://"]; !ok {
			t.Errorf("%s: no email link", st.URL())
		}
		m := mastodonForm.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no Mastodon form", st.URL())
		}
		if text := html.UnescapeString(m[1]); !strings.HasSuffix(text, abs) || render.CountMastodon(text) > render.MaxMastodon {
			t.Errorf("%s: the Mastodon text %q", st.URL(), text)
		}
	}
}
