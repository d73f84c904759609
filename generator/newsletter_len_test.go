package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubjectLengthIsTheReaders: a subject or preheader with figures is
// measured as the reader gets it, not as written with its braces.
func TestSubjectLengthIsTheReaders(t *testing.T) {
	tests := []struct {
		name, subject, preheader string
		want                     []string // warnings expected
		not                      []string // warnings not expected
	}{
		{"short once resolved", "Coverage {{cov @2025-Q3}} and {{cases @2025-Q3}} this autumn, up", "Coverage reached {{cov @2025-Q3}} this quarter, the highest yet in the valley.",
			nil, []string{"the subject is", "the preheader is"}},
		{"long once resolved", "Coverage reached {{cov @2025-Q3}}, with cases down to {{cases @2025-Q3}} this quarter", "Short {{cov}}.",
			[]string{":2:1: warning: the subject is 65 characters", ":3:1: warning: the preheader is 13 characters"}, nil},
		{"plain text measured as before", strings.Repeat("x", 61), strings.Repeat("y", 39),
			[]string{":2:1: warning: the subject is 61 characters", ":3:1: warning: the preheader is 39 characters"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := figureSite(t, "Text.")
			os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: Test\nbase_url: https://t.example/\nnewsletter:\n  from: Test <news@t.example>\n"), 0o644)
			os.MkdirAll(filepath.Join(src, "content", "newsletter"), 0o755)
			os.WriteFile(filepath.Join(src, "content", "newsletter", "2025-10.md"), []byte("---\nsubject: \""+tc.subject+"\"\npreheader: \""+tc.preheader+"\"\ndate: 2025-10-20\n---\nHello.\n"), 0o644)
			_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
			all := list.Error()
			for _, w := range tc.want {
				if !strings.Contains(all, "content/newsletter/2025-10.md"+w) {
					t.Errorf("no %q in:\n%s", w, all)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(all, w) {
					t.Errorf("unexpected %q in:\n%s", w, all)
				}
			}
		})
	}
}
