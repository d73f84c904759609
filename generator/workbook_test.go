package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExampleWorkbook: the example keeps its quarterly and annual figures
// in data/observations/indicators.xlsx; the built site shows them.
func TestExampleWorkbook(t *testing.T) {
	out, _ := builtExample(t, "")
	for file, want := range map[string][]string{
		// Annual sheet, long form: 88.9 % stored as 0.889 with a % format, a note.
		"metrics/partner_retention/data.csv": {"2025,,88.9,%,\"8 of 9 renewed on time; Quayside Logistics renewed late, then left in May 2026\""},
		// Annual sheet: an amount in EUR with a currency format.
		"metrics/budget_leveraged/data.csv": {"2024,,361040,EUR,"},
		// Quarterly sheet, wide form: 82.6 % stored as 0.826; a gap stays a gap.
		"metrics/coverage_2y/data.csv":  {"2026-Q3,,82.6,%,"},
		"metrics/data_on_time/data.csv": {"2024-Q4,,71,%,\n2025-Q2,,74,%,"},
	} {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q:\n%s", file, w, b)
			}
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "metrics/coverage_2y/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "82.6") {
		t.Error("the coverage page does not show 82.6 % from the workbook")
	}
}

// TestBuildWorkbookProblems: check and build report every problem of a
// workbook, each at its file, sheet and cell, not only the first.
func TestBuildWorkbookProblems(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Q3")
	f.SetSheetRow("Q3", "A1", &[]any{"period", "cov", "cases"})
	f.SetSheetRow("Q3", "A2", &[]any{"2025-Q3", "n/a", 3})
	f.NewSheet("Q4 2025")
	f.SetSheetRow("Q4 2025", "A1", &[]any{"period", "cases"})
	f.SetSheetRow("Q4 2025", "A2", &[]any{"2025-Q4"})
	f.SetCellFormula("Q4 2025", "B2", "1+1")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	src := writeSite(t, map[string]string{
		"site.yaml": "title: Test\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction\n" +
			"cov,Coverage,impact,impact,%,up\ncases,Cases,impact,outcome,cases,down\n",
		"data/observations/doses.xlsx": buf.String(),
	})
	want := []string{
		"data/observations/doses.xlsx:Q3!B2: cov: \"n/a\" is not a number",
		"data/observations/doses.xlsx:'Q4 2025'!B2: cases: the formula in this cell has no saved result",
	}
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	_, err = Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "public"), Now: exampleNow})
	if err == nil {
		t.Fatal("build of a site with a broken workbook succeeded")
	}
	for _, w := range want {
		if !strings.Contains(list.Error(), w) {
			t.Errorf("check does not report %q:\n%v", w, list)
		}
		if !strings.Contains(err.Error(), w) {
			t.Errorf("build does not report %q:\n%v", w, err)
		}
	}
}
