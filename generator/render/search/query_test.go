package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestFirstQuery builds an index of 40 documents and checks what
// FirstQuery says a first query loads: the page's files, the manifest,
// the shards of the query's words and the titles of the first ten
// results (the newest first, title matches before them), and the count.
// TestBrowserSearchFirstQueryFiles checks it against Chromium.
func TestFirstQuery(t *testing.T) {
	var es []*Entry
	for i := range 40 {
		d := Doc{URL: fmt.Sprintf("/stories/s%02d/", i), Kind: "story", Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC),
			Title: fmt.Sprintf("Story %d", i), Body: "clinics opened", Snippet: "x"}
		if i%2 == 0 {
			d.Body += " vaccination days"
		}
		if i == 3 {
			d.Title += " about vaccines"
		}
		es = append(es, Prepare(d))
	}
	idx := Build(es)
	site := fstest.MapFS{"search/index.html": {Data: []byte(`<link rel="stylesheet" href="../css/site.1.css"><script src="../js/search.2.js" defer></script><div id="search" data-index="../` + idx.Manifest + `">`)}}
	for _, f := range idx.Files {
		site[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	var man Manifest
	if err := readJSON(site, idx.Manifest, &man); err != nil {
		t.Fatal(err)
	}
	// Documents are numbered newest first: story i is id 39-i.
	chunk := func(story int) string { return "search/d." + man.Docs[(39-story)/ChunkDocs] + ".json" }
	for _, tc := range []struct {
		q       string
		results int
		titles  []string // the titles files, in order
	}{
		// "vacc": 21 stories; story 3's title first, then the newest:
		// 38, 36, …, 22 (ids 1-17, two files).
		{"vacc", 21, []string{chunk(3), chunk(38), chunk(22)}},
		{"clinic", 40, []string{chunk(39)}},
		{"the clinics", 40, []string{chunk(39)}},
		{"opening", 40, []string{chunk(39)}}, // the stem of "opened"
		{"nothing", 0, nil},                  // no shard of "no"
		{"the", 0, nil},
	} {
		ld, err := FirstQuery(site, tc.q)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if ld.Results != tc.results {
			t.Errorf("%q: %d results, want %d", tc.q, ld.Results, tc.results)
		}
		want := []string{"search/index.html", "css/site.1.css", "js/search.2.js", idx.Manifest}
		if !slices.Equal(ld.Files[:min(4, len(ld.Files))], want) {
			t.Errorf("%q: %q, want %q first", tc.q, ld.Files, want)
		}
		var shards, titles []string
		for _, f := range ld.Files[min(4, len(ld.Files)):] {
			if strings.HasPrefix(f, "search/t.") {
				shards = append(shards, f)
			} else {
				titles = append(titles, f)
			}
		}
		if (len(shards) == 0) != (tc.results == 0) {
			t.Errorf("%q: shards %q", tc.q, shards)
		}
		if !slices.Equal(titles, tc.titles) {
			t.Errorf("%q: titles files %q, want %q", tc.q, titles, tc.titles)
		}
	}
}
