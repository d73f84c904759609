package load

import (
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// TestValuePositions checks where the loader says the text of a title or
// summary starts (Lines[key+"="]), so that a figure inside it is reported
// at its column: past the quote of a quoted value, and, for a block value,
// the line after the indicator with no column.
func TestValuePositions(t *testing.T) {
	const name = "content/stories/x.md"
	tests := []struct {
		src            string
		title, summary diag.Pos
	}{
		{"---\ntitle: Plain {{a}}\nsummary: \"Quoted\"\ndate: 2025-01-01\n---\nBody.\n", diag.Pos{File: name, Line: 2, Col: 8}, diag.Pos{File: name, Line: 3, Col: 11}},
		{"---\ntitle:   'Single'\nsummary: |\n  Block\ndate: 2025-01-01\n---\nBody.\n", diag.Pos{File: name, Line: 2, Col: 11}, diag.Pos{File: name, Line: 4}},
		{"---\ntitle: >-\n  Folded\nsummary: x\ndate: 2025-01-01\n---\nBody.\n", diag.Pos{File: name, Line: 3}, diag.Pos{File: name, Line: 4, Col: 10}},
		{"+++\ntitle = \"Quoted\"\nsummary = '''\nBlock'''\ndate = 2025-01-01\n+++\nBody.\n", diag.Pos{File: name, Line: 2, Col: 10}, diag.Pos{File: name, Line: 4}},
	}
	for _, tc := range tests {
		var errs diag.List
		s := readStory(fstest.MapFS{name: {Data: []byte(tc.src)}}, name, "stories", nil, &errs)
		if errs.HasErrors() || s == nil {
			t.Fatalf("%q: %v", tc.src, errs)
		}
		if got := s.Lines["title="]; got != tc.title {
			t.Errorf("%q: title at %v, want %v", tc.src, got, tc.title)
		}
		if got := s.Lines["summary="]; got != tc.summary {
			t.Errorf("%q: summary at %v, want %v", tc.src, got, tc.summary)
		}
	}
}
