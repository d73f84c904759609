package search

import (
	"strings"
	"testing"
)

// BenchmarkPrepare finds the words of a story-like document: what the
// index costs a build per document.
func BenchmarkPrepare(b *testing.B) {
	body := strings.Repeat("Partners in the district ran Saturday vaccination clinics; the pharmacy's cold chain held 4,321 doses at 2-8 °C, and Santé Nord trained 12 nurses. ", 12)
	d := Doc{URL: "/stories/x/", Title: "Six months of Saturday clinics: what each partner got back", Meta: "Lakeside Clinic, Santé Nord, vaccination, clinics", Body: body, Snippet: body[:300]}
	b.ReportAllocs()
	for b.Loop() {
		Prepare(d)
	}
}
