package generator

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestNonFiniteInputsAreErrors writes numbers that are infinite, NaN or
// too large to add up in every file that holds numbers, and checks that
// each is an error at its cell or line. On the old code 1.7e308 in two
// partners' rows built a site that showed "NaN %" and NaN chart
// coordinates, and .inf in partners.yaml was read as infinity.
func TestNonFiniteInputsAreErrors(t *testing.T) {
	const metrics = "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
		"m1,Coverage,impact,outcome,%,up,10,90,2027,Survey,Share covered\n"
	const partners = "- {id: a, name: Alpha, sector: civil, role: member}\n- {id: b, name: Beta, sector: civil, role: member}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"two huge observations", map[string]string{
			"data/observations/o.csv": "metric,period,value,partner\nm1,2026-Q1,1.7e308,a\nm1,2026-Q1,1.7e308,b\n",
		}, "data/observations/o.csv:2:12: \"1.7e308\" is too large"},
		{"infinite observation", map[string]string{
			"data/observations/o.csv": "metric,period,value\nm1,2026-Q1,1,\nm1,2026-Q2,Inf\n",
		}, "data/observations/o.csv:3:"},
		{"wide table", map[string]string{
			"data/observations/o.csv": "period,m1\n2026-Q1,5\n2026-Q2,-2e20\n",
		}, "data/observations/o.csv:3:9: m1: \"-2e20\" is too large"},
		{"huge target", map[string]string{
			"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\nm1,Coverage,impact,outcome,%,up,10,1e300,2027,Survey,Share covered\n",
		}, "data/metrics.csv:2:"},
		{"tiny baseline", map[string]string{
			"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\nm1,Coverage,impact,outcome,%,up,1e-320,90,2027,Survey,Share covered\n",
		}, "is too close to zero"},
		{"infinite contribution", map[string]string{
			"data/partners.yaml": partners + "- id: c\n  name: Gamma\n  sector: civil\n  role: member\n  contributions:\n    - {period: 2025, kind: cash, amount: .inf}\n",
		}, "data/partners.yaml:8:"},
		{"NaN rate", map[string]string{
			"data/partners.yaml": partners + "- id: c\n  name: Gamma\n  sector: civil\n  role: member\n  contributions:\n    - {period: 2025, kind: in_kind, hours: 10, rate: .nan}\n",
		}, "data/partners.yaml:8:"},
		{"huge hours", map[string]string{
			"data/partners.yaml": partners + "- id: c\n  name: Gamma\n  sector: civil\n  role: member\n  contributions:\n    - {period: 2025, kind: in_kind, hours: 1e200, rate: 1e200}\n",
		}, "data/partners.yaml:8:"},
		{"huge ROI amount, YAML", map[string]string{
			"content/stories/r.md": "---\ntitle: R\ndate: 2025-06-01\nkind: roi\npartners: [a]\ninvestment:\n  from: 2025-Q1\n  to: 2025-Q2\n  cash:\n    - {partner: a, amount: 1.7e308}\n---\nBody.\n",
		}, "content/stories/r.md:10:"},
		{"huge ROI amount, TOML", map[string]string{
			"content/stories/r.md": "+++\ntitle = \"R\"\ndate = 2025-06-01\nkind = \"roi\"\npartners = [\"a\"]\n[investment]\nfrom = \"2025-Q1\"\nto = \"2025-Q2\"\n[[investment.cash]]\npartner = \"a\"\namount = 1.7e308\n[[results]]\nmetric = \"m1\"\nfrom = \"2025-Q1\"\nto = \"2025-Q2\"\n+++\nBody.\n",
		}, "is too large"},
	}
	for _, tc := range tests {
		files := map[string]string{
			"site.yaml":               "title: T\nbase_url: https://t.example/\n",
			"data/metrics.csv":        metrics,
			"data/partners.yaml":      partners,
			"data/governance.yaml":    "roles:\n  - {id: member, name: Member}\n",
			"data/observations/o.csv": "metric,period,value\nm1,2026-Q1,50\n",
		}
		for k, v := range tc.files {
			files[k] = v
		}
		src := writeSite(t, files)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error with %q, got %v", tc.name, tc.want, err)
		}
	}
}
