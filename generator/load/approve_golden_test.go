package load

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata/")

// TestAddApprovalKeepsLayout records an approval in front matter written by
// hand and compares the whole file with testdata/approve/NAME-PARTNER.golden:
// comments, blank lines, the order of keys and of entries stay as written;
// a partner's entry is replaced where it stands, a new partner's goes after
// the last entry (after a blank line where the entries have them). go test
// -run TestAddApprovalKeepsLayout -update rewrites the goldens.
func TestAddApprovalKeepsLayout(t *testing.T) {
	tests := []struct {
		file, partner string
	}{
		{"layout", "acme"},  // updated in place, its comments and blank lines kept
		{"layout", "north"}, // appended after the last entry, a blank line before it
		{"append", "acme"},  // appended, lined up with the entries' own indentation
		{"none", "acme"},    // no approved_by yet: added at the end of the block
		{"empty", "acme"},   // approved_by: [] becomes a list, the keys after it kept
		{"twice", "acme"},   // the first entry replaced, the second of the partner removed
		{"toml", "acme"},    // TOML: the table replaced where it stands
		{"toml", "north"},   // TOML: appended after the last table
	}
	for _, tc := range tests {
		t.Run(tc.file+"-"+tc.partner, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "approve", tc.file+".md"))
			if err != nil {
				t.Fatal(err)
			}
			a := model.Approval{Partner: tc.partner, By: "Amina Osei", On: "2026-03-10", Fingerprint: "v2:0123 title=1a2b body=5e6f"}
			out, err := AddApproval("content/stories/x.md", src, a)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "approve", tc.file+"-"+tc.partner+".golden")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("got:\n%s\nwant (%s):\n%s", out, golden, want)
			}
			// The story still loads, with the partner's approval once.
			loaded, errs := loadFiles(t, map[string]string{"content/stories/x.md": string(out)})
			if errs.HasErrors() || len(loaded.Stories) != 1 {
				t.Fatalf("%v\n%s", errs, out)
			}
			n := 0
			for _, ap := range loaded.Stories[0].Approvals {
				if ap.Partner == tc.partner {
					n++
					if ap.Fingerprint != a.Fingerprint || ap.By != a.By {
						t.Errorf("approval read back as %+v", ap)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d approvals by %s, want 1:\n%s", n, tc.partner, out)
			}
		})
	}
}

// FuzzAddApproval: no front matter makes AddApproval panic, and what it
// returns without an error still parses, with the partner's approval in it.
func FuzzAddApproval(f *testing.F) {
	for _, name := range []string{"layout", "append", "none", "empty", "twice", "toml"} {
		if src, err := os.ReadFile(filepath.Join("testdata", "approve", name+".md")); err == nil {
			f.Add(string(src), "acme")
		}
	}
	f.Add("---\napproved_by:\n-\n  partner: acme\n---\n", "acme")
	f.Add("---\napproved_by: {a: b}\n---\n", "acme")
	f.Add("---\n{approved_by: []}\n---\n", "acme")
	f.Fuzz(func(t *testing.T, src, partner string) {
		if partner == "" || strings.ContainsAny(partner, "\r\n") {
			return
		}
		a := model.Approval{Partner: partner, By: "Pat", On: "2026-03-10", Fingerprint: "v2:0123 title=1a2b"}
		out, err := AddApproval("x.md", []byte(src), a)
		if err != nil || !strings.HasPrefix(src, "---\n") {
			return
		}
		var errs diag.List
		fm, _, _, ok := splitFrontMatter("x.md", out, &errs)
		if !ok || fm == nil {
			t.Fatalf("the output has no front matter:\n%q", out)
		}
		var m struct {
			ApprovedBy []map[string]any `yaml:"approved_by"`
		}
		if err := yaml.Unmarshal(fm.raw, &m); err != nil {
			t.Fatalf("the output does not parse: %v\n%q", err, out)
		}
		n := 0
		for _, e := range m.ApprovedBy {
			if e["partner"] == partner {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d entries of %q:\n%q", n, partner, out)
		}
	})
}
