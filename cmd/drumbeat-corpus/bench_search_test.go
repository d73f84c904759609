package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/corpus"
)

// TestSearchFigures builds a small today corpus and checks that the
// bench's search figures are computed from it: the index's files and
// bytes, and a first query of a common and a rare word, each loading the
// page, stylesheet, script, manifest, a shard and titles (no time is
// checked).
func TestSearchFigures(t *testing.T) {
	c, err := corpus.Shape("today", 20)
	if err != nil {
		t.Fatal(err)
	}
	c.Partners, c.Metrics, c.Rows = 4, 3, 300
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	if err := corpus.Write(c, dir, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Build(context.Background(), generator.Options{Source: dir, Output: out, Now: generator.Day(2026, 11, 27), CacheDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	s, err := searchFigures(out, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Files < 5 || s.Bytes <= s.GzipBytes || s.GzipBytes <= 0 {
		t.Errorf("index: %d files, %d bytes, %d gzipped", s.Files, s.Bytes, s.GzipBytes)
	}
	if len(s.Queries) != 2 {
		t.Fatalf("queries: %+v", s.Queries)
	}
	common, rare := s.Queries[0], s.Queries[1]
	for _, q := range s.Queries {
		// page, stylesheet, script, manifest, a shard, a titles file
		if q.Word == "" || q.Results < 1 || q.Files < 6 || q.Bytes <= q.GzipBytes || q.GzipBytes <= 0 {
			t.Errorf("%s: %+v", q.What, q)
		}
	}
	if common.Results < 20 || rare.Results >= common.Results {
		t.Errorf("common %q finds %d, rare %q %d", common.Word, common.Results, rare.Word, rare.Results)
	}
	var b strings.Builder
	s.print(&b, "today  20       ")
	t.Log("\n" + b.String())
	for _, want := range []string{"search: index ", "first query, common word", "first query, rare word", "keystroke to results: skipped"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestMeasureLine: the bench reads the times of TestBrowserSearchMeasure's
// lines.
func TestMeasureLine(t *testing.T) {
	line := `    search_measure_test.go:152: "vacc": 9,993 results; first query 12 files, 101.2 kB (index files 53.6 kB; the server counted 12 files, 101.2 kB), 31.6 kB gzipped; keystroke to results in the page 138.9 ms first (painted 164.3; 120.2 ms after the last shard arrived: 22.8 reading and ranking, 81.5 loading titles, 15.9 showing), with the shards loaded 14.0 (4.6-42.2) ms (painted 46.1 (13.8-137.9)), 5 times`
	m := measureLine.FindStringSubmatch(line)
	if m == nil || m[1] != `"vacc"` || m[2] != "9,993 results" || m[3] != "138.9" || m[4] != "14.0 (4.6-42.2)" {
		t.Errorf("%q", m)
	}
}
