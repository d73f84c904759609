package typed

import "testing"

// FuzzTypedFind: no input makes Find panic, and every finding lies inside
// the text.
func FuzzTypedFind(f *testing.F) {
	for _, s := range []string{"Coverage reached 83 % in Q3 2026.", "In 2025 partners gave 21,060 doses.", "Call +44 20 7946 0958.", "“6,030 doses”", "1. 2) 3rd 10:30 6.0k €5 {{x}} `7`", "Between July and September 5,900 jabs; 4 points since Q4 2025."} {
		f.Add(s, "coverage_2y 2024-Q1")
	}
	metrics := testMetrics()
	f.Fuzz(func(t *testing.T, s, ctx string) {
		for _, g := range Find(Text{S: s, Context: ctx}, metrics) {
			if g.Off < 0 || g.End > len(s) || g.Off >= g.End || g.Number == "" {
				t.Fatalf("finding %+v outside %q", g, s)
			}
		}
	})
}
