package markdown

import (
	"strings"
	"testing"
)

// TestProse: prose stays at its byte offsets; code, figures, addresses,
// raw HTML and footnote marks are blanked; table cells carry their header
// and row label.
func TestProse(t *testing.T) {
	tests := []struct {
		name, src string
		kept      []string // words kept, at their offsets
		gone      []string // text blanked
		context   string   // the last block's context
	}{
		{"emphasis and link text", "Coverage rose to **83 %** in [Q3 2026](http://x.org/2024/7).", []string{"Coverage rose to", "83 %", "Q3 2026"}, []string{"http", "2024/7", "**"}, ""},
		{"code and figures", "See `coverage 83 %` and {{coverage_2y @2026-Q3}} now.", []string{"See", "and", "now."}, []string{"83 %", "2026-Q3", "coverage_2y"}, ""},
		{"code block", "Text 1.\n\n```\n6,030 doses\n```\n", []string{"Text 1."}, []string{"6,030"}, ""},
		{"raw html and footnotes", "A <span title=\"9 %\">b</span> c[^1].\n\n[^1]: Note 44.\n", []string{"Note 44."}, []string{"9 %", "[^1]"}, ""},
		{"no-break space entity", "Coverage 83&nbsp;% now.", []string{"Coverage 83", "% now."}, []string{"&nbsp;"}, ""},
		{"table", "| Year | Outbreaks |\n| --- | ---: |\n| 2024 | 11 |\n", []string{"Year", "Outbreaks", "2024", "11"}, []string{"|", "---"}, "Outbreaks 2024"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			masked, blocks := Prose([]byte(tc.src))
			if len(masked) != len(tc.src) {
				t.Fatalf("masked is %d bytes, source %d", len(masked), len(tc.src))
			}
			for _, k := range tc.kept {
				i := strings.Index(tc.src, k)
				if i < 0 || string(masked[i:i+len(k)]) != k {
					t.Errorf("%q is not kept at its offset: %q", k, masked)
				}
			}
			for _, g := range tc.gone {
				if strings.Contains(string(masked), g) {
					t.Errorf("%q is not blanked: %q", g, masked)
				}
			}
			if len(blocks) == 0 {
				t.Fatal("no blocks")
			}
			for _, b := range blocks {
				if b.Start < 0 || b.End > len(tc.src) || b.Start >= b.End {
					t.Errorf("block %+v outside the source", b)
				}
			}
			if got := blocks[len(blocks)-1].Context; got != tc.context {
				t.Errorf("context = %q, want %q", got, tc.context)
			}
		})
	}
}

// FuzzProse: no input makes Prose panic, the copy is as long as the
// source and every block lies inside it.
func FuzzProse(f *testing.F) {
	f.Add("Coverage rose to **83 %** in [Q3](http://x/1) `7` {{a @2026-Q3}}\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
	f.Fuzz(func(t *testing.T, src string) {
		masked, blocks := Prose([]byte(src))
		if len(masked) != len(src) {
			t.Fatalf("masked is %d bytes, source %d", len(masked), len(src))
		}
		for _, b := range blocks {
			if b.Start < 0 || b.End > len(src) || b.Start > b.End {
				t.Fatalf("block %+v outside %q", b, src)
			}
		}
	})
}
