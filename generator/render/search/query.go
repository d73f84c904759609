package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Load is what the search page of a built site loads for a reader's first
// query, as its script (js/search.js) chooses: the files, as site paths
// without the leading slash, and how many documents match.
type Load struct {
	Files   []string // the page, its stylesheets, icon and scripts, the manifest, the shards, the titles of the first ten results
	Results int
}

// Manifest is the part of the index's manifest (search/index.HASH.json)
// the search page reads to choose its files.
type Manifest struct {
	N      int               `json:"n"`
	Chunk  int               `json:"chunk"`
	Docs   []string          `json:"docs"`
	Shards map[string]string `json:"shards"`
	Stop   []string          `json:"stop"`
}

// pageRefs finds what the search page loads before a query: stylesheets,
// the icon (site.yaml's logo), scripts and the manifest (data-index).
var pageRefs = regexp.MustCompile(`<link rel="(?:stylesheet|icon)" href="([^"]+)"|<script src="([^"]+)"|data-index="([^"]+)"`)

// FirstQuery returns what the search page of the site built in site loads
// for a first query of q: search.js's choice of files (shardsFor, match,
// rank and render), done again in Go so that the bench can weigh them
// without a browser. TestBrowserSearchFirstQueryFiles checks that a
// browser loads the same files.
func FirstQuery(site fs.FS, q string) (Load, error) {
	const page = "search/index.html"
	html, err := fs.ReadFile(site, page)
	if err != nil {
		return Load{}, err
	}
	ld := Load{Files: []string{page}}
	manifest := ""
	for _, m := range pageRefs.FindAllStringSubmatch(string(html), -1) {
		ref := path.Join(path.Dir(page), m[1]+m[2]+m[3])
		if m[3] != "" {
			manifest = ref
		} else if !slices.Contains(ld.Files, ref) {
			ld.Files = append(ld.Files, ref)
		}
	}
	if manifest == "" {
		return Load{}, errors.New(page + ": no data-index")
	}
	ld.Files = append(ld.Files, manifest)
	var man Manifest
	if err := readJSON(site, manifest, &man); err != nil {
		return Load{}, err
	}
	words := queryTokens(q, man.Stop)
	if len(words) == 0 {
		return ld, nil
	}
	dir := path.Dir(manifest)
	var maps [][]uint8
	for _, w := range words {
		m := make([]uint8, man.N)
		for _, h := range man.shardsFor(w) {
			name := path.Join(dir, "t."+h+".json")
			var sh map[string]string
			if err := readJSON(site, name, &sh); err != nil {
				return Load{}, err
			}
			if !slices.Contains(ld.Files, name) {
				ld.Files = append(ld.Files, name)
			}
			matchShard(m, w, sh)
		}
		maps = append(maps, m)
	}
	ids := rank(maps)
	ld.Results = len(ids)
	for _, id := range ids[:min(10, len(ids))] {
		c := id / man.Chunk
		if c >= len(man.Docs) {
			return Load{}, fmt.Errorf("%s: document %d has no titles file", manifest, id)
		}
		if name := path.Join(dir, "d."+man.Docs[c]+".json"); !slices.Contains(ld.Files, name) {
			ld.Files = append(ld.Files, name)
		}
	}
	return ld, nil
}

func readJSON(site fs.FS, name string, v any) error {
	b, err := fs.ReadFile(site, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// queryTokens is search.js's tokens: the folded words of q, without the
// manifest's stop words, of two characters or more (a digit alone counts)
// and at most 40 (the script counts UTF-16 units; runes here).
func queryTokens(q string, stopWords []string) []string {
	var out []string
	for _, w := range Words(q) {
		n := utf8.RuneCountInString(w)
		if slices.Contains(stopWords, w) || (n < 2 && !isDigit(w)) || n > maxWord {
			continue
		}
		out = append(out, w)
	}
	return out
}

// shardsFor is search.js's shardsFor: the hashes of the shards that may
// hold w, its stem and, for three letters or more, the words it begins,
// in the order of the manifest's keys.
func (m *Manifest) shardsFor(w string) []string {
	s := Stem(w)
	p := 0
	for p < len(w) && p < len(s) && w[p] == s[p] {
		p++
	}
	pre := w[:p]
	var out []string
	for _, k := range sortedKeys(m.Shards) {
		if strings.HasPrefix(pre, k) || (utf8.RuneCountInString(w) >= 3 && strings.HasPrefix(k, pre)) {
			out = append(out, m.Shards[k])
		}
	}
	return out
}

// matchShard is search.js's match for one shard: m[id] gets the best
// match of w (3 the word, 2 a word it begins, 1 a word of its stem) in
// bits 0-1 and, in bit 2, whether a matching word is in the title.
func matchShard(m []uint8, w string, sh map[string]string) {
	ws, prefix := Stem(w), utf8.RuneCountInString(w) >= 3
	for t, list := range sh {
		var c uint8
		switch {
		case t == w:
			c = 3
		case prefix && strings.HasPrefix(t, w):
			c = 2
		case Stem(t) == ws:
			c = 1
		default:
			continue
		}
		id, v, p := 0, 0, 1
		for i := 0; i < len(list); i++ {
			d := strings.IndexByte(digits, list[i])
			v += d & 31 * p
			if d >= 32 {
				p *= 32
				continue
			}
			id += v >> 3
			if id >= len(m) {
				return
			}
			o := m[id]
			m[id] = max(o&3, c) | o&4 | uint8(v&1)<<2
			v, p = 0, 1
		}
	}
}

// rank is search.js's rank without filters: the ids every word matched,
// more query words in the title first, then better matches, then lower
// ids (newer).
func rank(maps [][]uint8) []int {
	var ids []int
	key := map[int]int{}
	q := len(maps)
	for id := range maps[0] {
		titles, cls := 0, 0
		all := true
		for _, m := range maps {
			if m[id] == 0 {
				all = false
				break
			}
			titles += int(m[id] >> 2)
			cls += int(m[id] & 3)
		}
		if all {
			ids = append(ids, id)
			key[id] = (q-titles)*(3*q+1) + 3*q - cls
		}
	}
	slices.SortStableFunc(ids, func(a, b int) int { return key[a] - key[b] })
	return ids
}

// CountPostings adds to counts, for each word of a shard file (t.HASH.json),
// how many documents it is in.
func CountPostings(shard []byte, counts map[string]int) error {
	var sh map[string]string
	if err := json.Unmarshal(shard, &sh); err != nil {
		return err
	}
	for w, list := range sh {
		for i := 0; i < len(list); i++ {
			if strings.IndexByte(digits, list[i]) < 32 {
				counts[w]++
			}
		}
	}
	return nil
}
