package generator

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChartLongMetricPage builds a site with a 4,000-point daily metric:
// its page stays under 200 kB of HTML, its chart is downsampled, its table
// is by year and links to data.csv, which holds every value.
func TestChartLongMetricPage(t *testing.T) {
	var obs strings.Builder
	obs.WriteString("period,visits\n")
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&obs, "%s,%d\n", day.AddDate(0, 0, i).Format("2006-01-02"), 100+(i*37)%91)
	}
	src := writeSite(t, map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"visits,Home visits,impact,output,visits,up,100,150,2027-Q4,Logs,Visits a day\n",
		"data/observations/v.csv": obs.String(),
		"content/stories/s.md":    "---\ntitle: S\ndate: 2025-10-01\n---\nVisits:\n\n{{visits chart}}\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"metrics/visits/index.html", "stories/s/index.html"} {
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) >= 200_000 {
			t.Errorf("%s is %d bytes, want under 200 kB", page, len(b))
		}
		t.Logf("%s: %d bytes", page, len(b))
	}
	html, _ := os.ReadFile(filepath.Join(out, "metrics/visits/index.html"))
	page := string(html)
	for _, want := range []string{"Values by year", "the last value of each year", `metrics/visits/data.csv" download`, ">2025<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the metric page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<tr>"); n > 2*40+4 {
		t.Errorf("the metric page has %d table rows", n)
	}
	f, err := os.Open(filepath.Join(out, "metrics/visits/data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4001 || strings.Join(rows[0], ",") != "period,partner,value,unit,note" ||
		strings.Join(rows[1], ",") != "2015-01-01,,100,visits," || rows[4000][0] != "2025-12-13" {
		t.Errorf("data.csv: %d rows, first %v, second %v, last %v", len(rows), rows[0], rows[1], rows[len(rows)-1])
	}
}

// TestChartDataCSVExample checks the example's data.csv: every value of
// the metric, the totals and each partner's, and the link to it.
func TestChartDataCSVExample(t *testing.T) {
	out, _ := builtExample(t, "")
	b, err := os.ReadFile(filepath.Join(out, "metrics/outreach_sessions/data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"period,partner,value,unit,note\n", "2024-Q1,,47,sessions,\n", "2026-Q3,,88,sessions,\n", "2026-Q3,mothers-first,27,sessions,"} {
		if !strings.Contains(got, want) {
			t.Errorf("data.csv lacks %q:\n%s", want, got)
		}
	}
	page, _ := os.ReadFile(filepath.Join(out, "metrics/outreach_sessions/index.html"))
	if !strings.Contains(string(page), `href="../../metrics/outreach_sessions/data.csv"`) || !strings.Contains(string(page), "All values") {
		t.Error("the metric page does not link to its data.csv or lost its table of all values")
	}
}

// TestChartLongMetricByManyPartners: the worst case found in review, a
// metric of 4,000 days by 20 partners, whose page was 207 kB (the static
// partner chart drew 360 points for each of its 20 lines). A chart of many
// lines shares its points among them, so the page stays under 200 kB.
func TestChartLongMetricByManyPartners(t *testing.T) {
	var obs, partners strings.Builder
	obs.WriteString("metric,period,value,partner,note\n")
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for p := 0; p < 20; p++ {
		fmt.Fprintf(&partners, "- {id: p%d, name: Partner number %d of the valley, sector: civil}\n", p, p)
	}
	for i := 0; i < 4000; i++ {
		for p := 0; p < 20; p++ {
			fmt.Fprintf(&obs, "visits,%s,%d,p%d,\n", day.AddDate(0, 0, i).Format("2006-01-02"), (i*7+p*13)%500+p, p)
		}
	}
	src := writeSite(t, map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"visits,Home visits,impact,output,visits,up,100,150,2027-Q4,Logs,Visits a day\n",
		"data/partners.yaml":      partners.String(),
		"data/observations/v.csv": obs.String(),
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "metrics/visits/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= 200_000 {
		t.Errorf("the metric page is %d bytes, want under 200 kB", len(b))
	}
	t.Logf("metrics/visits/index.html: %d bytes", len(b))
}
