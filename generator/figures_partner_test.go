package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// partnerFigureSite is a small site with values by partner, whose one
// story body is given by the test.
func partnerFigureSite(t *testing.T, body string) string {
	return writeSite(t, map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"doses,Doses given,impact,output,doses,up,100,200,2026-Q4,Returns,All doses\n" +
			"cov,Coverage,impact,impact,%,up,70,90,2027-Q4,Register,Share covered\n" +
			"doses2,Doses with a total,impact,output,doses,up,,,,Returns,Total given apart\n",
		"data/partners.yaml": "- {id: clinic, name: Lake Clinic, sector: public}\n- {id: shop, name: Corner Pharmacy, sector: private}\n",
		"data/observations/p.csv": "metric,period,value,partner,note\n" +
			"doses,2025-Q3,60,clinic,\ndoses,2025-Q3,40,shop,\n" +
			"doses,2025-Q4,70,clinic,\ndoses,2025-Q4,50,shop,\n" +
			"doses,2026-Q1,80,clinic,\n" +
			"cov,2025-Q4,70,clinic,\ncov,2026-Q1,75,clinic,\n" +
			"doses2,2025-Q3,200,,\ndoses2,2025-Q3,60,clinic,\ndoses2,2025-Q3,40,shop,\n",
		"content/stories/s.md": "---\ntitle: S\ndate: 2026-04-01\n---\n" + body,
	})
}

func TestPartnerFigures(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // substrings of the story page
		err        string   // substring of the error, with its position
	}{
		{"a partner's latest value", "{{doses by clinic}}", []string{">80 doses<", `title="Doses given by Lake Clinic, Q1 2026"`}, ""},
		{"a partner's value at a period", "{{doses by shop @2025-Q3}}", []string{">40 doses<"}, ""},
		{"a partner's sum over a span", "{{doses by shop @2025-Q3..2025-Q4}}", []string{">90 doses<", "Q3–Q4 2025"}, ""},
		{"a year over quarters", "{{doses by shop @2025}}", []string{">90 doses<"}, ""},
		{"a partner's share", "{{doses by shop share @2025-Q4}}", []string{">42 %<"}, ""},
		{"a share over a span", "{{doses by clinic share @2025-Q3..2025-Q4}}", []string{">59 %<"}, ""},
		{"total over a span", "{{doses total @2025-Q3..2026-Q1}}", []string{">300 doses<"}, ""},
		{"total of one period", "{{doses total @2025-Q4}}", []string{">120 doses<"}, ""},
		{"a percentage of one period", "{{cov by clinic @2026-Q1}}", []string{">75 %<"}, ""},
		{"no partner", "{{doses by}}", nil, `content/stories/s.md:5:1: {{doses by}}: write the partner's id after by`},
		{"unknown partner", "{{doses by clinc}}", nil, `partner "clinc" is not in data/partners.yaml (did you mean "clinic"?)`},
		{"a missing quarter in the sum", "{{doses by shop @2025-Q3..2026-Q1}}", nil, `has no doses value of shop for Q1 2026, so the sum over Q3 2025 – Q1 2026 would fall short`},
		{"no value for the period", "{{doses by shop}}", nil, `has no doses value of shop for Q1 2026`},
		{"percentages do not add up", "{{cov total @2025-Q4..2026-Q1}}", nil, `cov is a percentage, and percentages of several periods do not add up`},
		{"no share of a percentage", "{{cov by clinic share @2026-Q1}}", nil, `a partner's share of a percentage means nothing`},
		{"span outside the data", "{{doses total @2020}}", nil, `metric "doses" has no value for 2020`},
		{"bad word after the partner", "{{doses by shop part}}", nil, `write the partner's id after by, and share after it`},
		{"a share is of the partners' values, not of a larger total", "{{doses2 by shop share @2025-Q3}}", []string{">40 %<"}, ""},
		{"total takes no words", "{{doses total shop}}", nil, `the total view takes no words after it`},
		{"change over a span", "{{doses change @2025-Q3..2025-Q4}}", []string{">+20 doses<", `title="Doses given, Q3 2025 to Q4 2025"`}, ""},
		{"change over a span with a gap", "{{cov change @2025-Q3..2026-Q1}}", nil, `metric "cov" has no value for 2025-Q3`},
		{"change to a period without a value", "{{doses change @2025-Q3..2026-Q2}}", nil, `{{doses change @2025-Q3..2026-Q2}}: metric "doses" has no value for 2026-Q2`},
		{"bad span", "{{doses total @2026-Q1..2025-Q1}}", nil, `ends before it starts`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := partnerFigureSite(t, tc.body)
			out := filepath.Join(t.TempDir(), "out")
			_, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, NoMinify: true})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(out, "stories", "s", "index.html"))
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("story page lacks %q", w)
				}
			}
		})
	}
}

// TestPartnerFigureNamesOnlyApprovedPartners: {{m by partner}} shows the
// partner's name in its tooltip, so in a story that needs approval it may
// name only a partner the story names otherwise (and so has approved it).
func TestPartnerFigureNamesOnlyApprovedPartners(t *testing.T) {
	src := partnerFigureSite(t, "{{doses by shop @2025-Q3}}")
	os.WriteFile(filepath.Join(src, "data", "governance.yaml"), []byte("roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n"), 0o644)
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	if !strings.Contains(list.Error(), "content/stories/s.md:5:1: {{doses by shop @2025-Q3}} names Corner Pharmacy, which this story does not name otherwise") {
		t.Errorf("a story not naming the partner names it through a figure:\n%v", list)
	}
	// Named in the text, the partner must approve the story: no error at
	// the figure, and the story is held until it does.
	src = partnerFigureSite(t, "Corner Pharmacy gave {{doses by shop @2025-Q3}}.")
	os.WriteFile(filepath.Join(src, "data", "governance.yaml"), []byte("roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n"), 0o644)
	_, list = Check(context.Background(), Options{Source: src, Now: exampleNow})
	if strings.Contains(list.Error(), "does not name otherwise") || !strings.Contains(list.Error(), "Corner Pharmacy has not approved it") {
		t.Errorf("a story naming the partner:\n%v", list)
	}
}
