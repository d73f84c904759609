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
	s, err := searchFigures(out)
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
