package generator

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

// briefingBase is a valid content/briefing.md for the example's data; the
// cases below change one line of it. Line numbers matter: the errors name them.
const briefingBase = `---
title: Test briefing
date: 2026-11-20
charts:
  - type: line
    metrics: [coverage_2y]
    takeaway: Coverage is up eleven points since 2024.
  - type: bar
    metrics: [outreach_sessions]
    takeaway: Mothers First runs the most outreach.
  - type: progress
    metrics: [doses_given, data_on_time]
    takeaway: Both are close to target.
  - type: before_after
    metrics: [dropout_rate]
    from: 2024-Q1
    to: 2026-Q3
    takeaway: Dropout fell from 14 % to 8 %.
  - type: share
    metrics: [doses_given]
    to: 2026-Q3
    takeaway: Partners give six in ten doses.
  - type: line
    metrics: [measles_outbreaks]
    takeaway: No outbreaks for two quarters.
---
`

// briefingProblems loads the example's data with the given briefing and
// returns the problems found in content/briefing.md.
func briefingProblems(t *testing.T, briefing string) diag.List {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"site.yaml", "data/metrics.csv", "data/partners.yaml", "data/governance.yaml", "data/decisions.yaml",
		"data/observations/indicators.xlsx", "data/observations/by_partner.csv"} {
		b, err := os.ReadFile(filepath.Join(exampleDir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	fsys[load.BriefingFile] = &fstest.MapFile{Data: []byte(briefing)}
	in, errs := load.Dir(fsys)
	_, merrs := model.New(in, model.Options{Now: exampleNow})
	errs.Append(merrs)
	errs.Sort()
	var out diag.List
	for _, e := range errs {
		if e.Pos.File == load.BriefingFile {
			out = append(out, e)
		}
	}
	return out
}

func TestBriefingFrontMatterRules(t *testing.T) {
	const f = "content/briefing.md"
	replace := func(old, new string) string {
		if !strings.Contains(briefingBase, old) {
			t.Fatalf("the base briefing has no %q", old)
		}
		return strings.Replace(briefingBase, old, new, 1)
	}
	sixth := "  - type: line\n    metrics: [measles_outbreaks]\n    takeaway: No outbreaks for two quarters.\n"
	tests := []struct {
		name     string
		briefing string
		want     []string // each the start of one error, in order
	}{
		{"valid", briefingBase, nil},
		{"five charts", replace(sixth, ""),
			[]string{f + ":4:1: the briefing has 5 charts; it needs exactly six (add 1 more under `charts:`)"}},
		{"seven charts", replace(sixth, sixth+sixth),
			[]string{f + ":4:1: the briefing has 7 charts; it needs exactly six (choose the six that matter most and remove 1)"}},
		{"no charts", "---\ntitle: x\n---\n",
			[]string{f + ":1: the briefing has 0 charts; it needs exactly six"}},
		{"unknown metric", replace("metrics: [coverage_2y]", "metrics: [coverage]"),
			[]string{f + `:6:15: metric "coverage" is not in data/metrics.csv (did you mean "coverage_2y"?)`}},
		{"unknown second metric", replace("[doses_given, data_on_time]", "[doses_given, data_ontime]"),
			[]string{f + `:12:28: metric "data_ontime" is not in data/metrics.csv (did you mean "data_on_time"?)`}},
		{"takeaway over twelve words", replace("Coverage is up eleven points since 2024.", "Coverage is up eleven points since 2024, which is a lot, more than we hoped."),
			[]string{f + ":7:5: the takeaway of chart 1 has 15 words; keep it to 12 or fewer"}},
		{"twelve words and symbols are fine", replace("Coverage is up eleven points since 2024.", "Coverage rose from 72 % to 83 % — still short of 90 % by 2027."), nil},
		{"no takeaway", replace("    takeaway: Mothers First runs the most outreach.\n", ""),
			[]string{f + ":8:5: chart 2 has no takeaway"}},
		{"period with no data", replace("from: 2024-Q1", "from: 2023-Q1"),
			[]string{f + ":16:5: dropout_rate has no value for 2023-Q1 (its data runs from 2024-Q1 to 2026-Q3"}},
		{"period with no partner data", replace("    to: 2026-Q3\n    takeaway: Partners", "    to: 2023-Q4\n    takeaway: Partners"),
			[]string{f + ":21:5: doses_given has no values by partner for 2023-Q4 (partners report it from 2024-Q1 to 2026-Q3)"}},
		{"a year for quarterly data", replace("to: 2026-Q3\n    takeaway: Dropout", "to: 2026\n    takeaway: Dropout"),
			[]string{f + ":17:5: dropout_rate has no value for 2026"}},
		{"not a period", replace("from: 2024-Q1", "from: 2024-Q5"),
			[]string{f + ":16:5: `from`: \"2024-Q5\" is not a period"}},
		{"backwards", replace("from: 2024-Q1\n    to: 2026-Q3", "from: 2026-Q3\n    to: 2024-Q1"),
			[]string{f + ":16:5: chart 4 runs from 2026-Q3 to 2024-Q1, backwards"}},
		{"before_after without to", replace("    to: 2026-Q3\n    takeaway: Dropout", "    takeaway: Dropout"),
			[]string{f + ":14:5: a before_after chart needs `to:`; chart 4 has none"}},
		{"unknown type", replace("type: bar", "type: pie"),
			[]string{f + `:8:5: "pie" is not a briefing chart type (a briefing draws no pies: use share for the parts of a whole; the types are line, bar, progress, before_after, share)`}},
		{"a type nothing like one", replace("type: bar", "type: scatterplot"),
			[]string{f + `:8:5: "scatterplot" is not a briefing chart type (use one of line, bar, progress, before_after, share)`}},
		{"misspelt type", replace("type: bar", "type: bars"),
			[]string{f + `:8:5: "bars" is not a briefing chart type (did you mean "bar"?`}},
		{"misspelt key", replace("    takeaway: Mothers First", "    takaway: Mothers First"),
			[]string{f + `:10:5: unknown key "takaway" in ` + "`charts[2]`" + ` (did you mean "takeaway"?)`}},
		{"bar of a metric without partners", replace("metrics: [outreach_sessions]", "metrics: [coverage_2y]"),
			[]string{f + `:9:5: metric "coverage_2y" has no values by partner, so a bar chart of it has nothing to compare`}},
		{"bar with from", replace("metrics: [outreach_sessions]\n", "metrics: [outreach_sessions]\n    from: 2026-Q1\n"),
			[]string{f + ":10:5: a bar chart shows one period; chart 2 gives `from`"}},
		{"two metrics in a share", replace("metrics: [doses_given]\n    to", "metrics: [doses_given, outreach_sessions]\n    to"),
			[]string{f + ":20:5: a share chart draws one metric, and chart 5 names 2"}},
		{"line of mixed units", replace("metrics: [coverage_2y]", "metrics: [coverage_2y, doses_given]"),
			[]string{f + `:6:5: chart 1 puts "coverage_2y" (%) and "doses_given" (doses) on one axis`}},
		{"TOML", "+++\ntitle = \"x\"\n+++\n",
			[]string{f + ":1: the briefing's front matter must be YAML"}},
		{"no front matter", "Six charts.\n",
			[]string{f + ":1: the briefing has no front matter"}},
		{"bad date", replace("date: 2026-11-20", "date: 20 Nov"),
			[]string{f + `:3:1: date "20 Nov" is not a date`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := briefingProblems(t, tt.briefing).Errors()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].Error(), w) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, got[i].Error(), w)
				}
			}
		})
	}
}

func TestBriefingTextIsAWarning(t *testing.T) {
	got := briefingProblems(t, briefingBase+"\nSome words nobody will see.\n")
	if got.HasErrors() || len(got) != 1 || !strings.Contains(got[0].Error(), "content/briefing.md:27: warning: the text after the front matter is not shown") {
		t.Errorf("got %v", got)
	}
}

func TestBriefingErrorStopsTheBuild(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	if err := os.CopyFS(site, os.DirFS(exampleDir+"/generator/scaffold/site")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "content", "briefing.md"), []byte("---\ncharts:\n  - type: line\n    metrics: [nothing]\n    takeaway: x\n---\n"), 0o644)
	_, err := Build(context.Background(), Options{Source: site, Now: exampleNow})
	l := diag.AsList(err)
	if l == nil || !strings.Contains(l.Error(), "content/briefing.md:2:1: the briefing has 1 chart; it needs exactly six") ||
		!strings.Contains(l.Error(), `content/briefing.md:4:15: metric "nothing" is not in data/metrics.csv`) {
		t.Errorf("build error = %v", err)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Error("a failed build wrote output")
	}
}

func TestBriefingPage(t *testing.T) {
	out, _ := builtExample(t, "")
	b, err := os.ReadFile(filepath.Join(out, "briefing", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllString(page, -1)) }
	if n := count(`<section class="bfig" id="chart-\d"`); n != 6 {
		t.Errorf("%d chart sections, want 6", n)
	}
	if n := count(`<svg class="chart-static"`); n != 12 {
		t.Errorf("%d static SVGs, want 12 (portrait and landscape for each chart)", n)
	}
	if n := count(`<script type="application/json" id="briefing-\d-option">`); n != 6 {
		t.Errorf("%d echarts options, want 6", n)
	}
	if n := count(`<table>`); n != 6 {
		t.Errorf("%d data tables, want 6", n)
	}
	for _, want := range []string{
		`<meta property="og:image" content="https://alliance.example.org/briefing/card.png">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<h1 id="briefing-title">Riverbend in six charts</h1>`,
		`20 November 2026`,
		`<link rel="canonical" href="https://alliance.example.org/briefing/">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the briefing lacks %s", want)
		}
	}
	// echarts and the briefing's stylesheet, under their fingerprinted names.
	for _, re := range []string{`src="../vendor/echarts/echarts\.min\.[0-9a-f]{10}\.js"`, `href="../css/briefing\.[0-9a-f]{10}\.css"`} {
		if count(re) != 1 {
			t.Errorf("the briefing does not load %s", re)
		}
	}
	// The takeaways are the chart titles, each at most twelve words.
	titles := regexp.MustCompile(`<h2 class="bfig-title"[^>]*>([^<]+)</h2>`).FindAllStringSubmatch(page, -1)
	if len(titles) != 6 {
		t.Fatalf("%d takeaways", len(titles))
	}
	for _, m := range titles {
		if n := model.TakeawayWords(m[1]); n > model.MaxTakeawayWords {
			t.Errorf("takeaway %q has %d words", m[1], n)
		}
	}
	// The social card.
	f, err := os.Open(filepath.Join(out, "briefing", "card.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("card.png: %v, %dx%d", err, cfg.Width, cfg.Height)
	}
	// Every page links to the briefing.
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !bytes.Contains(home, []byte(`href="briefing/">Briefing</a>`)) {
		t.Error("the navigation does not link to the briefing")
	}
}

func TestNoBriefingNoPage(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	if err := os.CopyFS(site, os.DirFS(exampleDir+"/generator/scaffold/site")); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), Options{Source: site, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "briefing")); err == nil {
		t.Error("a site without content/briefing.md has a /briefing/ page")
	}
	home, _ := os.ReadFile(filepath.Join(site, "public", "index.html"))
	if bytes.Contains(home, []byte(">Briefing<")) {
		t.Error("a site without a briefing links to one")
	}
}
