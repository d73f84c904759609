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
