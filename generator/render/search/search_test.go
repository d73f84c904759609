package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Santé publique", []string{"sante", "publique"}},
		{"The CLINICS of the north", []string{"clinics", "north"}},
		{"Ça coûte 5 € — naïve", []string{"ca", "coute", "5", "naive"}},
		{"cold-chain, 2026's", []string{"cold", "chain", "2026"}},
		{"a I x", nil},
		{"Ångström Ñandú", []string{"angstrom", "nandu"}},
		{"健康 data", []string{"健康", "data"}},
		{"", nil},
	} {
		if got := Tokens(tc.in); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStem(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"clinics", "clinic"},
		{"clinic", "clinic"},
		{"vaccines", "vaccine"},
		{"studies", "study"},
		{"classes", "class"},
		{"boxes", "box"},
		{"churches", "church"},
		{"status", "status"},
		{"analysis", "analysis"},
		{"glass", "glass"},
		{"training", "train"},
		{"trained", "train"},
		{"running", "run"},
		{"planned", "plan"},
		{"calling", "call"},
		{"agreed", "agree"},
		{"bring", "bring"}, // no vowel would be left: kept
		{"red", "red"},
		{"bus", "bus"},
		{"santé", "santé"}, // not ASCII: kept
	} {
		if got := Stem(tc.in); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// docs returns n documents with known words.
func docs(n int) []Doc {
	var out []Doc
	for i := 0; i < n; i++ {
		out = append(out, Doc{
			URL: fmt.Sprintf("/stories/s%d/", i), Title: fmt.Sprintf("Vaccine clinic %d", i), Kind: "story",
			Date: time.Date(2020+i%5, 1, 1+i%28, 0, 0, 0, 0, time.UTC), DateText: "a date",
			Partners: []string{fmt.Sprintf("p%d", i%3)}, Tags: []string{"health"},
			Meta: "Summary of santé", Body: strings.Repeat(fmt.Sprintf("word%d community ", i), 3), Snippet: "Summary",
		})
	}
	return out
}

func build(ds []Doc) Index {
	var es []*Entry
	for _, d := range ds {
		es = append(es, Prepare(d))
	}
	return Build(es)
}

// TestBuildDeterministic: the same documents, in any order, give the
// same files, byte for byte.
func TestBuildDeterministic(t *testing.T) {
	ds := docs(300)
	a := build(ds)
	rev := slices.Clone(ds)
	slices.Reverse(rev)
	b := build(rev)
	if a.Manifest != b.Manifest || len(a.Files) != len(b.Files) {
		t.Fatalf("manifests %s and %s, %d and %d files", a.Manifest, b.Manifest, len(a.Files), len(b.Files))
	}
	for i := range a.Files {
		if a.Files[i].Path != b.Files[i].Path || !bytes.Equal(a.Files[i].Data, b.Files[i].Data) {
			t.Fatalf("file %d differs: %s and %s", i, a.Files[i].Path, b.Files[i].Path)
		}
	}
}

type manifest struct {
	N      int               `json:"n"`
	Chunk  int               `json:"chunk"`
	Docs   []string          `json:"docs"`
	Shards map[string]string `json:"shards"`
	Facets map[string]string `json:"facets"`
	Years  map[string][2]int `json:"years"`
	Stop   []string          `json:"stop"`
}

func files(idx Index) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range idx.Files {
		m[f.Path] = f.Data
	}
	return m
}

// lookup finds the documents (ids) holding word w exactly, as search.js
// does: the shards whose key begins w.
func lookup(t *testing.T, idx Index, w string) []int {
	t.Helper()
	fs := files(idx)
	var man manifest
	if err := json.Unmarshal(fs[idx.Manifest], &man); err != nil {
		t.Fatal(err)
	}
	var ids []int
	for k, name := range man.Shards {
		if !strings.HasPrefix(w, k) {
			continue
		}
		var sh map[string]string
		if err := json.Unmarshal(fs["search/t."+name+".json"], &sh); err != nil {
			t.Fatal(err)
		}
		id := 0
		for _, v := range decode(sh[w]) {
			id += v >> 3
			ids = append(ids, id)
		}
	}
	return ids
}

func TestBuildFindsWords(t *testing.T) {
	idx := build(docs(2000))
	fs := files(idx)
	var man manifest
	if err := json.Unmarshal(fs[idx.Manifest], &man); err != nil {
		t.Fatal(err)
	}
	if man.N != 2000 || len(man.Docs) != (2000+ChunkDocs-1)/ChunkDocs {
		t.Fatalf("manifest: %d docs in %d chunks", man.N, len(man.Docs))
	}
	if got := lookup(t, idx, "vaccine"); len(got) != 2000 {
		t.Errorf("vaccine: %d documents, want 2000", len(got))
	}
	if got := lookup(t, idx, "sante"); len(got) != 2000 {
		t.Errorf("sante (from santé): %d documents, want 2000", len(got))
	}
	if got := lookup(t, idx, "word1234"); len(got) != 1 {
		t.Errorf("word1234: %d documents, want 1", len(got))
	}
	if got := lookup(t, idx, "the"); len(got) != 0 {
		t.Errorf("the stop word 'the' is indexed")
	}
	// Shards stay small: a big group is split by its next letters.
	for k, name := range man.Shards {
		if n := len(fs["search/t."+name+".json"]); n > 3*shardBytes && utf8.RuneCountInString(k) < maxKey {
			t.Errorf("shard %q is %d bytes", k, n)
		}
	}
	// Years are ranges of ids, newest first.
	if r := man.Years["2024"]; r[0] != 0 || r[1] != 400 {
		t.Errorf("2024 is ids %v, want [0 400]", r)
	}
}

// decode reads a posting list as search.js does.
func decode(s string) []int {
	var out []int
	v, shift := 0, 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
		v |= (d & 31) << shift
		shift += 5
		if d < 32 {
			out = append(out, v)
			v, shift = 0, 0
		}
	}
	return out
}

func TestDigits(t *testing.T) {
	var b bytes.Buffer
	want := []int{0, 1, 31, 32, 33, 1023, 1024, 1 << 20, 123456789}
	for _, v := range want {
		appendNum(&b, uint64(v))
	}
	if got := decode(b.String()); !slices.Equal(got, want) {
		t.Errorf("decode(appendNum(%v)) = %v", want, got)
	}
}

// FuzzTokens: any text gives tokens that are folded, of letters and
// digits only, never stop words, and stemming them does not panic and
// keeps them non-empty.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Santé publique", "clinics running", "ÅÄÖ ﬁ ŉ", "\xff\xfe", "ies", "ssing", "健康s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Tokens(s) {
			if w == "" || Stop(w) || Fold(w) != w {
				t.Fatalf("token %q of %q", w, s)
			}
			if st := Stem(w); st == "" || len(st) > len(w)+1 {
				t.Fatalf("Stem(%q) = %q", w, st)
			}
		}
		Prepare(Doc{Title: s, Body: s, Snippet: s})
	})
}

// wordsByRune is Words written the simple way: the oracle of FuzzWords.
func wordsByRune(s string) []string {
	f := Fold(s)
	var out []string
	start := -1
	for i, r := range f {
		word := unicode.IsLetter(r) || unicode.IsNumber(r)
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			out = append(out, f[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, f[start:])
	}
	return out
}

// FuzzWords: Words, with its ASCII fast path, splits as the rune by rune
// loop does.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Santé publique", "a-b c_d", "Ω≈ç √", "\xff\xfeab", "x\u0301y", "ab12 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Words(s), wordsByRune(s); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("Words(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestEntryKeepsNoText: an entry holds its words and snippet, not the
// document's text (nor its folded copy, of which the words were parts):
// a build prepares every page's entry before it writes the index, and a
// dev server keeps them all (#21, peak memory).
func TestEntryKeepsNoText(t *testing.T) {
	var words []string
	for i := 0; i < 100; i++ {
		words = append(words, fmt.Sprintf("Wörd%d", i))
	}
	body := strings.Repeat(strings.Join(words, " ")+" ", 1500) // about 1.2 MB
	snippet := strings.Repeat("long snippet ", 5000)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var es []*Entry
	before := heap()
	for i := 0; i < 3; i++ {
		d := Doc{URL: fmt.Sprintf("/stories/s%d/", i), Title: "A title", Body: strings.Clone(body),
			Meta: strings.Clone(body), Snippet: strings.Clone(snippet)}
		es = append(es, Prepare(d))
	}
	kept := int64(heap()) - int64(before)
	runtime.KeepAlive(es)
	if len(es[0].terms) != 101 || len(es[0].doc.Snippet) > snippetLen+3 {
		t.Fatalf("%d terms, snippet of %d bytes", len(es[0].terms), len(es[0].doc.Snippet))
	}
	// Three documents of 2 × 1.2 MB each: their words, interned, and
	// the entries take a few kilobytes.
	if kept > 256<<10 {
		t.Errorf("3 entries keep %d bytes of the heap; want them not to keep their documents' text", kept)
	}
}

// BenchmarkPrepareVocabulary prepares a story-sized document (about 650
// words of a vocabulary of 400): the index's tokenising, with what it
// allocates.
func BenchmarkPrepareVocabulary(b *testing.B) {
	var words []string
	for i := 0; i < 650; i++ {
		words = append(words, fmt.Sprintf("word%d", (i*7919)%400))
	}
	d := Doc{URL: "/stories/s/", Title: "Vaccine clinics reach the valley", Meta: "A summary of the story\nNorthgate Foundation\nhealth",
		Body: strings.Join(words, " "), Snippet: "A summary of the story"}
	b.ReportAllocs()
	for b.Loop() {
		Prepare(d)
	}
}

// foldWhole is Fold as it was: NFD of the whole string, marks dropped,
// lower case. Fold, which sends only the runs beyond ASCII through NFD,
// must give the same.
func foldWhole(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Santé", "A\u0301b\u0327C", "e\u0301\u0323x", "\u0323\u0301", "Ǆ ǅ ǆ", "İstanbul", "ÅNGSTRÖM", "\xff\xfeA\xc3", "a\u0308\u0301\u0316b", "ﬁ ½ Ⅻ ㎏"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldWhole(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestStopWordsShort: Tokens looks stop words up only for words of 5
// bytes or fewer.
func TestStopWordsShort(t *testing.T) {
	for w := range stop {
		if len(w) > 5 {
			t.Errorf("stop word %q is longer than 5 bytes: Tokens would keep it", w)
		}
	}
}
