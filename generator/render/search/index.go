package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unique"
)

// Doc is one document of the index: a page of the site as search shows it.
type Doc struct {
	URL      string // site path: "/stories/x/"
	Title    string
	Kind     string    // the kind filter's value: "story", "partner", "metric", …
	Date     time.Time // zero for undated documents (partners, metrics)
	DateText string    // the date as readers see it
	Partners []string  // the partner filter's values: partner ids
	Tags     []string  // the tag filter's values: tag slugs
	// Meta holds the words that describe the document without being its
	// title: the summary, the partners' names, the tags, a metric's
	// perspective. They rank above the body.
	Meta    string
	Body    string
	Snippet string // the short text shown under the title
	// Preview marks a document a --drafts build shows that is not public.
	Preview bool
}

// Field bits of a posting: where in the document the word is.
const (
	inTitle = 1
	inMeta  = 2
	inBody  = 4
)

// Entry is a document with its words found: what Build needs of it. Making
// entries is most of the work, so a dev server keeps them and makes again
// only an edited story's (see Prepare). An entry keeps none of the
// document's text beyond its snippet: its words are interned, each held
// once for every document that has it (TestEntryKeepsNoText).
type Entry struct {
	doc   Doc
	terms []term // sorted by word
}

type term struct {
	w    unique.Handle[string] // the word, interned
	bits uint8
}

// snippetLen bounds the bytes of a document's snippet.
const snippetLen = 160

// Prepare finds the words of d.
func Prepare(d Doc) *Entry {
	bits := make(map[string]uint8, len(d.Body)/16)
	for _, f := range []struct {
		s   string
		bit uint8
	}{{d.Title, inTitle}, {d.Meta, inMeta}, {d.Body, inBody}} {
		for _, w := range Tokens(f.s) {
			bits[w] |= f.bit
		}
	}
	e := &Entry{doc: d, terms: make([]term, 0, len(bits))}
	// The words are substrings of the folded text: interning copies
	// each word once, so that the text itself is not kept.
	for w, b := range bits {
		e.terms = append(e.terms, term{unique.Make(w), b})
	}
	slices.SortFunc(e.terms, func(a, b term) int { return strings.Compare(a.w.Value(), b.w.Value()) })
	e.doc.Body, e.doc.Meta = "", ""
	// A cut snippet is a part of the whole text joined: copied, so that
	// the rest is not kept.
	e.doc.Snippet = strings.Clone(cut(strings.Join(strings.Fields(d.Snippet), " "), snippetLen))
	return e
}

// cut shortens s to at most n bytes at a word boundary, with "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > n/2 {
		i = j
	}
	return strings.TrimRight(s[:i], " ,;:.") + "…"
}

// File is a file of the index, its path relative to the output root.
type File struct {
	Path string
	Data []byte
}

// Index is the built index: its files, and the path of the manifest, the
// one file the search page names.
type Index struct {
	Files    []File
	Manifest string // "search/index.1a2b3c4d5e.json"
}

// Layout knobs, fixed so that the same documents give the same bytes.
const (
	// ChunkDocs is how many documents' titles and snippets one file holds.
	ChunkDocs = 16
	// shardBytes is the size above which a shard of words is split by
	// the next letter of its words, up to maxKey letters.
	shardBytes = 12 << 10
	maxKey     = 4
)

// Build makes the index of entries. Documents are numbered newest first
// (undated last, then by address), and every file is named by the hash of
// its bytes, so the same entries give the same files.
func Build(entries []*Entry) Index {
	es := slices.Clone(entries)
	slices.SortStableFunc(es, func(a, b *Entry) int {
		ad, bd := a.doc.Date, b.doc.Date
		switch {
		case ad.IsZero() != bd.IsZero():
			if ad.IsZero() {
				return 1
			}
			return -1
		case !ad.Equal(bd):
			return bd.Compare(ad)
		}
		return strings.Compare(a.doc.URL, b.doc.URL)
	})
	var idx Index
	// add adds a file named prefix.HASH.json and returns HASH, which is
	// how the manifest names it (search.js adds the rest).
	add := func(prefix string, data []byte) string {
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:5]) // 10 digits: a fingerprint, as deploy and the assets know them
		idx.Files = append(idx.Files, File{Path: "search/" + prefix + "." + h + ".json", Data: data})
		return h
	}
	// Postings: word → ids, with the field bits of each.
	post := map[string][]uint32{} // id<<3 | bits
	for id, e := range es {
		for _, t := range e.terms {
			w := t.w.Value()
			post[w] = append(post[w], uint32(id)<<3|uint32(t.bits))
		}
	}
	words := make([]string, 0, len(post))
	for w := range post {
		words = append(words, w)
	}
	sort.Strings(words)
	shards := map[string]string{}
	for _, g := range group(words, post) {
		shards[g.key] = add("t", encodeShard(g.words, post))
	}
	// Documents' titles and snippets, ChunkDocs a file.
	var chunks []string
	for lo := 0; lo < len(es); lo += ChunkDocs {
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range es[lo:min(lo+ChunkDocs, len(es))] {
			if i > 0 {
				b.WriteByte(',')
			}
			d := e.doc
			row := []any{d.URL, d.Title, d.Kind, d.DateText, d.Snippet}
			if d.Preview {
				row = append(row, 1)
			}
			writeJSON(&b, row)
		}
		b.WriteByte(']')
		chunks = append(chunks, add("d", b.Bytes()))
	}
	// Filters: kind, partner and tag → ids; years → ranges of ids.
	facets := map[string]string{}
	for _, f := range []struct {
		name   string
		values func(Doc) []string
	}{
		{"kind", func(d Doc) []string { return []string{d.Kind} }},
		{"partner", func(d Doc) []string { return d.Partners }},
		{"tag", func(d Doc) []string { return d.Tags }},
	} {
		ids := map[string][]uint32{}
		for id, e := range es {
			for _, v := range f.values(e.doc) {
				if l := ids[v]; len(l) == 0 || l[len(l)-1] != uint32(id) {
					ids[v] = append(l, uint32(id))
				}
			}
		}
		var b bytes.Buffer
		b.WriteByte('{')
		for i, v := range sortedKeys(ids) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(&b, v)
			b.WriteByte(':')
			writeDeltas(&b, ids[v], 0)
		}
		b.WriteByte('}')
		facets[f.name] = add("f-"+f.name, b.Bytes())
	}
	years := map[string][2]int{}
	for id, e := range es {
		if e.doc.Date.IsZero() {
			continue
		}
		y := strconv.Itoa(e.doc.Date.Year())
		r, ok := years[y]
		if !ok {
			r[0] = id
		}
		r[1] = id + 1
		years[y] = r
	}
	man := struct {
		N      int               `json:"n"`
		Chunk  int               `json:"chunk"`
		Docs   []string          `json:"docs"`
		Shards map[string]string `json:"shards"`
		Facets map[string]string `json:"facets"`
		Years  map[string][2]int `json:"years"`
		Stop   []string          `json:"stop"`
	}{len(es), ChunkDocs, chunks, shards, facets, years, sortedKeys(stop)}
	var b bytes.Buffer
	writeJSON(&b, man)
	idx.Manifest = "search/index." + add("index", b.Bytes()) + ".json"
	return idx
}

type shard struct {
	key   string
	words []string
}

// group splits the sorted words into shards keyed by their first two
// letters; a shard larger than shardBytes is split by the next letter,
// up to maxKey letters. A word shorter than a key stays in the shard of
// its own letters.
func group(words []string, post map[string][]uint32) []shard {
	var out []shard
	var split func(key string, ws []string, n int)
	split = func(key string, ws []string, n int) {
		size := 0
		for _, w := range ws {
			size += len(w) + 4 + 4*len(post[w])
		}
		if size <= shardBytes || n >= maxKey {
			out = append(out, shard{key, ws})
			return
		}
		// Split by the first n+1 letters.
		for i := 0; i < len(ws); {
			k := prefix(ws[i], n+1)
			j := i + 1
			for j < len(ws) && prefix(ws[j], n+1) == k {
				j++
			}
			if k == key {
				out = append(out, shard{k, ws[i:j]})
			} else {
				split(k, ws[i:j], n+1)
			}
			i = j
		}
	}
	for i := 0; i < len(words); {
		k := prefix(words[i], 2)
		j := i + 1
		for j < len(words) && prefix(words[j], 2) == k {
			j++
		}
		split(k, words[i:j], 2)
		i = j
	}
	return out
}

// prefix returns the first n letters (runes) of w, or w.
func prefix(w string, n int) string {
	for i := range w {
		if n == 0 {
			return w[:i]
		}
		n--
	}
	return w
}

// digits are the 64 characters a posting list is written with: each
// number is written 5 bits a character, lowest first, and a character
// of the upper half (32 and more) says that more of the number follows.
const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendNum writes v in digits.
func appendNum(b *bytes.Buffer, v uint64) {
	for v >= 32 {
		b.WriteByte(digits[32|v&31])
		v >>= 5
	}
	b.WriteByte(digits[v])
}

// encodeShard writes words' postings as {"word":"…",…}: each posting is
// the document id's difference from the previous one times 8, plus the
// field bits (1 title, 2 summary/partners/tags, 4 body), in digits.
func encodeShard(words []string, post map[string][]uint32) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, w := range words {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSON(&b, w)
		b.WriteString(`:"`)
		prev := uint32(0)
		for _, p := range post[w] {
			id := p >> 3
			appendNum(&b, uint64((id-prev)<<3|p&7))
			prev = id
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// writeDeltas writes ids (ascending) as differences from the previous,
// in digits, as a JSON string.
func writeDeltas(b *bytes.Buffer, ids []uint32, prev uint32) {
	b.WriteByte('"')
	for _, id := range ids {
		appendNum(b, uint64(id-prev))
		prev = id
	}
	b.WriteByte('"')
}

// writeJSON writes v as JSON with <, > and & escaped (\u003c): the script
// sets texts with textContent, and a file of the site that a browser might
// be led to read as HTML never holds markup from an input.
func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.Encode(v)
	b.Truncate(b.Len() - 1) // Encode's newline
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
