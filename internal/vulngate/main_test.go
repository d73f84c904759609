package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A called finding (a function in its innermost frame), one only imported
// and one only required, as govulncheck -format json writes them.
const stream = `{"config":{"protocol_version":"v1.0.0"}}
{"osv":{"id":"GO-2026-0001","summary":"Crash in x"}}
{"osv":{"id":"GO-2026-0002","summary":"Leak in y"}}
{"finding":{"osv":"GO-2026-0001","fixed_version":"v1.2.3","trace":[{"module":"example.com/x","version":"v1.2.0","package":"example.com/x","function":"Parse"},{"module":"github.com/drumbeat/drumbeat","package":"github.com/drumbeat/drumbeat/generator","function":"Build"}]}}
{"finding":{"osv":"GO-2026-0002","fixed_version":"v0.9.0","trace":[{"module":"example.com/y","version":"v0.8.0","package":"example.com/y"}]}}
{"finding":{"osv":"GO-2026-0003","trace":[{"module":"example.com/z","version":"v0.1.0"}]}}
`

func TestVulngate(t *testing.T) {
	tests := []struct {
		name, accepted string
		ok             bool
		want           []string
	}{
		{"nothing accepted", "", false, []string{"VULNERABLE GO-2026-0001: Crash in x (example.com/x@v1.2.0 example.com/x, fixed in v1.2.3)"}},
		{"the called one accepted", "# why\nGO-2026-0001  waits for x v1.2.3 (issue #9)\n", true, []string{"accepted GO-2026-0001: Crash in x", "waits for x v1.2.3 (issue #9)", "1 known vulnerabilities, all accepted"}},
		{"a stale entry is named", "GO-2026-0001 reason\nGO-2026-0009 reason\n", true, []string{"no longer found: GO-2026-0009"}},
		{"only imported or required: not failed on", "GO-2026-0001 reason\n", true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "accepted")
			if err := os.WriteFile(file, []byte(tc.accepted), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			ok, err := run(strings.NewReader(stream), &out, file)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.ok {
				t.Errorf("ok = %v, want %v:\n%s", ok, tc.ok, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), "GO-2026-0002") || strings.Contains(out.String(), "GO-2026-0003") {
				t.Errorf("a finding the code does not call was reported:\n%s", out.String())
			}
		})
	}
	if _, err := run(strings.NewReader(""), &bytes.Buffer{}, ""); err == nil {
		t.Error("no JSON at all passed")
	}
	file := filepath.Join(t.TempDir(), "accepted")
	os.WriteFile(file, []byte("GO-2026-0001\n"), 0o644)
	if _, err := run(strings.NewReader(stream), &bytes.Buffer{}, file); err == nil || !strings.Contains(err.Error(), "without a reason") {
		t.Errorf("an ID without a reason: %v", err)
	}
}
