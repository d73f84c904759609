package generator

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/search"
)

// heldOnlyTokens returns the index words of the held stories (title,
// summary, alt text, tags and body) that no public source file has.
func heldOnlyTokens(t *testing.T, src string, site *model.Site) map[string]string {
	t.Helper()
	public := map[string]bool{}
	for _, w := range search.Tokens(publicText(t, src, site)) {
		public[w] = true
	}
	out := map[string]string{}
	for _, st := range site.Held {
		for _, s := range append([]string{st.Title, st.Summary, st.ImageAlt, string(st.Body)}, st.Tags...) {
			for _, w := range search.Tokens(s) {
				if !public[w] && len(w) >= 4 {
					out[w] = st.Path
				}
			}
		}
	}
	return out
}

// shardWords returns every word of the index's shards under out, and
// every title of its documents, with the preview mark of each.
func shardWords(t *testing.T, out string) (words map[string]bool, titles map[string]bool) {
	t.Helper()
	words, titles = map[string]bool{}, map[string]bool{}
	names, _ := filepath.Glob(filepath.Join(out, "search", "*.json"))
	if len(names) < 5 {
		t.Fatalf("only %d index files in %s", len(names), out)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		switch base := filepath.Base(name); {
		case strings.HasPrefix(base, "t."):
			var sh map[string]string
			if err := json.Unmarshal(b, &sh); err != nil {
				t.Fatalf("%s: %v", base, err)
			}
			for w := range sh {
				words[w] = true
			}
		case strings.HasPrefix(base, "d."):
			var rows [][]any
			if err := json.Unmarshal(b, &rows); err != nil {
				t.Fatalf("%s: %v", base, err)
			}
			for _, r := range rows {
				titles[r[1].(string)] = len(r) > 5
			}
		}
	}
	return words, titles
}

// TestHeldTokensReachNoSearchShard builds the leak site (a draft, an
// embargoed story, one waiting for approval, and links to each in every
// form from a page and the newsletter) and reads every shard of the
// search index: no word found only in held stories may be in any. With
// --drafts the same words are indexed, and the held stories' titles are
// marked as previews. Indexing the source's text (model.Story.Text)
// instead of the page's fails it: the page's bare addresses of held
// stories put their slugs' words in the index.
func TestHeldTokensReachNoSearchShard(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	src := leakSite(t)
	out := filepath.Join(t.TempDir(), "public")
	res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow})
	if err != nil {
		t.Fatal(err)
	}
	held := heldOnlyTokens(t, src, res.Site)
	if len(held) < 10 {
		t.Fatalf("too few held words to look for: %v", held)
	}
	words, titles := shardWords(t, out)
	var leaked []string
	for w, from := range held {
		if words[w] {
			leaked = append(leaked, w+" ("+from+")")
		}
	}
	sort.Strings(leaked)
	if len(leaked) > 0 {
		t.Errorf("the index holds words of held stories: %s", strings.Join(leaked, ", "))
	}
	for _, st := range res.Site.Held {
		if _, ok := titles[st.Title]; ok {
			t.Errorf("the index lists the held story %s", st.Path)
		}
	}
	// The slugs' words, which a bare address on a public page names, are
	// not indexed either.
	for _, w := range []string{"quarry", "marmalade"} {
		if words[w] {
			t.Errorf("the index holds %q, a word of a held story's address or tag", w)
		}
	}

	drafts := filepath.Join(t.TempDir(), "drafts")
	dres, err := Build(context.Background(), Options{Source: src, Output: drafts, Now: exampleNow, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	dwords, dtitles := shardWords(t, drafts)
	found := 0
	for w := range held {
		if dwords[w] {
			found++
		}
	}
	if found < len(held)/2 {
		t.Errorf("--drafts indexes %d of the %d held words", found, len(held))
	}
	for _, st := range dres.Site.Stories {
		if st.Preview {
			if preview, ok := dtitles[st.Title]; !ok || !preview {
				t.Errorf("--drafts: %s is not in the index as a preview (listed %v)", st.Path, ok)
			}
		}
	}
}
