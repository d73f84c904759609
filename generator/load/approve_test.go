package load

import (
	"bytes"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestAddApprovalEdgeCases(t *testing.T) {
	a := model.Approval{Partner: "acme", By: "Pat", On: "2026-01-02", Fingerprint: "sha256:0123456789abcdef"}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty toml block", "+++\n+++\nBody\n", []string{"+++\n[[approved_by]]\npartner = \"acme\"", "+++\nBody\n"}},
		{"empty yaml block", "---\n---\nBody\n", []string{"---\napproved_by:\n  - partner: acme", "---\nBody\n"}},
		{"crlf kept", "---\r\ntitle: T\r\n---\r\nBody\r\n", []string{"title: T\r\napproved_by:\r\n  - partner: acme\r\n"}},
		{"bom kept", "\xEF\xBB\xBF---\ntitle: T\n---\nBody\n", []string{"\xEF\xBB\xBF---\ntitle: T\napproved_by:"}},
		{"replaces the same partner", "---\napproved_by:\n  - partner: acme\n    by: Old\n    on: 2025-01-01\n  - partner: other\n    by: X\n    on: 2025-01-01\n---\nB\n", []string{"partner: other", "by: Pat"}},
	}
	for _, tc := range tests {
		out, err := AddApproval("x.md", []byte(tc.src), a)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !bytes.Contains(out, []byte(w)) {
				t.Errorf("%s: output lacks %q:\n%q", tc.name, w, out)
			}
		}
		if bytes.Contains(out, []byte("by: Old")) {
			t.Errorf("%s: the old approval by the same partner survived", tc.name)
		}
		if bytes.Contains([]byte(tc.src), []byte("\r\n")) && bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) {
			t.Errorf("%s: mixed line ends:\n%q", tc.name, out)
		}
	}
}

// TestAddApprovalV2RoundTrip: a v2 fingerprint (spaces, colons and
// equals signs in one value) is written to YAML and TOML front matter and
// read back as it was.
func TestAddApprovalV2RoundTrip(t *testing.T) {
	fp := "v2:0123456789abcdef title=1a2b summary=3c4d body=5e6f image=0000 pictures=1111 image_alt=2222 tags=3333"
	a := model.Approval{Partner: "acme", By: "Pat", On: "2026-01-02", Fingerprint: fp}
	for name, src := range map[string]string{
		"yaml": "---\ntitle: T\ndate: 2026-01-01\npartners: [acme]\n---\nBody\n",
		"toml": "+++\ntitle = \"T\"\ndate = 2026-01-01\npartners = [\"acme\"]\n+++\nBody\n",
	} {
		out, err := AddApproval("content/stories/x.md", []byte(src), a)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		src, errs := loadFiles(t, map[string]string{"content/stories/x.md": string(out)})
		if errs.HasErrors() || len(src.Stories) != 1 || len(src.Stories[0].Approvals) != 1 {
			t.Fatalf("%s: %v\n%s", name, errs, out)
		}
		if got := src.Stories[0].Approvals[0].Fingerprint; got != fp {
			t.Errorf("%s: fingerprint read back as %q, want %q\n%s", name, got, fp, out)
		}
	}
}
