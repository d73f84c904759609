package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// writeSite writes files into a new site folder and returns its path.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// figureSite is a small site whose one story body is given by the test.
func figureSite(t *testing.T, body string) string {
	return writeSite(t, map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"cov,Coverage,impact,impact,%,up,70,90,2027-Q4,Register,Share covered\n" +
			"cases,Cases,impact,outcome,cases,down,40,10,,Clinic,Cases seen\n" +
			"cost,Cost per child,finance,outcome,EUR,down,,,,Ledger,\n",
		"data/observations/q.csv": "period,cov,cases,cost\n2025-Q1,72,30,120\n2025-Q2,,28,118\n2025-Q3,80.5,20,110\n",
		"content/stories/s.md":    "---\ntitle: S\ndate: 2025-10-01\n---\n" + body,
	})
}

func TestFigures(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // substrings of the story page
		err        string   // substring of the error, with its position
	}{
		{"latest value", "Coverage is {{cov}}.", []string{`href="../../metrics/cov/"`, ">80.5 %<"}, ""},
		{"value at a period", "It was {{cov @2025-Q1}}.", []string{">72 %<"}, ""},
		{"change on previous", "Change {{cases change}}.", []string{">−8 cases<"}, ""},
		{"change since a period", "Since Q1: {{cov change @2025-Q1}}.", []string{">+8.5 points<"}, ""},
		{"progress up", "{{cov progress}}", []string{">53 %<"}, ""},
		{"progress down", "{{cases progress}}", []string{">67 %<"}, ""},
		{"target and baseline", "{{cov target}} {{cov baseline}}", []string{">90 %<", ">70 %<"}, ""},
		{"period", "{{cov period}}", []string{">Q3 2025<"}, ""},
		{"currency", "{{cost}}", []string{">€110<"}, ""},
		{"sparkline", "{{cov sparkline}}", []string{`class="sparkline"`, `<path d="M`}, ""},
		{"chart alone in a paragraph", "Intro.\n\n{{cov chart}}\n", []string{`data-chart="fig-s-1"`, `<figure class="chart-figure"`, "Show the data"}, ""},
		{"escaped braces", `Write \{{cov}} to cite.`, []string{"{{cov}} to cite"}, ""},
		{"code span untouched", "Use `{{cov}}` to cite.", []string{"<code>{{cov}}</code>"}, ""},
		{"unknown metric", "Line one.\n\nSee {{covv}}.", nil, `content/stories/s.md:7:5: metric "covv" is not in data/metrics.csv (did you mean "cov"?)`},
		{"no value at period", "{{cov @2025-Q2}}", nil, `content/stories/s.md:5:1: metric "cov" has no value for 2025-Q2`},
		{"bad period", "{{cov @2025-Q7}}", nil, `content/stories/s.md:5:1: {{cov @2025-Q7}}: "2025-Q7" is not a period`},
		{"no target", "{{cost progress}}", nil, `content/stories/s.md:5:1: metric "cost" has no target`},
		{"unknown view", "{{cov colour}}", nil, `content/stories/s.md:5:1: {{cov colour}}: "colour" is not a figure view`},
		{"not a figure view", "{{ hello world }}", nil, `content/stories/s.md:5:1: {{hello world}}: "world" is not a figure view`},
		{"words after a view that is not one", "{{ two words here }}", nil, `content/stories/s.md:5:1: {{two words here}}: "words" is not a figure view`},
		{"words after a view that takes none", "{{cov change since}}", nil, `content/stories/s.md:5:1: {{cov change since}}: the change view takes no words after it`},
		{"not a figure", "{{ two, words }}", nil, `content/stories/s.md:5:1: {{ two, words }} is not a figure`},
		{"words: trend", "Coverage {{cov trend @2025-Q1}}.", []string{`href="../../metrics/cov/" title="Coverage, Q1 2025 to Q3 2025">rose from 72 % to 80.5 %</a>`}, ""},
		{"words: gap", "{{cov gap}}", []string{">9.5 points short of 90 %<"}, ""},
		{"words: streak", "{{cases streak down}}", []string{">two quarters running<"}, ""},
		{"words: targets count", "{{Targets count progress >= 50 @2027-Q1}}", []string{`href="../../scorecard/"`, ">One of one<"}, ""},
		{"words: a streak that does not hold", "Line one.\n\nNone for {{cases streak = 0}}.", nil, `content/stories/s.md:7:10: {{cases streak = 0}}: the condition = 0 does not hold for Q3 2025 (20 cases)`},
		{"words: a view that needs words", "{{cases streak}}", nil, `content/stories/s.md:5:1: {{cases streak}}: the streak view needs a condition after it`},
		{"words: a bad condition", "{{cases streak => 0}}", nil, `content/stories/s.md:5:1: {{cases streak => 0}}: "=> 0" is not a condition`},
		{"words: no partners", "{{cov top}}", nil, `content/stories/s.md:5:1: {{cov top}}: metric "cov" has no values by partner`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := figureSite(t, tc.body)
			out := filepath.Join(t.TempDir(), "out")
			_, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, NoMinify: true})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, err)
				}
				if _, statErr := os.Stat(out); statErr == nil {
					t.Error("a failed build wrote output")
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

func TestFigureErrorsAreAllReported(t *testing.T) {
	src := figureSite(t, "{{nope}} and {{cov @1999}}\n\n{{cov bogus}}")
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	if n := len(list.Errors()); n != 3 {
		t.Fatalf("want 3 errors, got %d:\n%v", n, list.Errors())
	}
}

func TestStaleFigureWarning(t *testing.T) {
	src := figureSite(t, "Coverage is {{cov}}.")
	// Move the story well past the data: Q3 2025 data, story in mid-2026.
	p := filepath.Join(src, "content", "stories", "s.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), "date: 2025-10-01", "date: 2026-06-01", 1)), 0o644)
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	if !containsMsg(list.Warnings(), "content/stories/s.md:3:1: warning: the story is dated 2026-06-01 but the latest cov data is for Q3 2025") {
		t.Errorf("no staleness warning:\n%v", list)
	}
}

func TestDataHealthWarnings(t *testing.T) {
	src := figureSite(t, "Hello.")
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	for _, want := range []string{
		`data/metrics.csv:2: warning: metric "cov" has no value for 2025-Q2, between values before and after it`,
		`data/metrics.csv:4: warning: metric "cost" has no target`,
	} {
		if !containsMsg(list, want) {
			t.Errorf("missing warning %q in:\n%v", want, list)
		}
	}
	// A target date in the past, and a value far outside the series.
	src = writeSite(t, map[string]string{
		"site.yaml": "title: T\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date\n" +
			"x,X,impact,output,,up,1,10,2024\n",
		"data/observations/x.csv": "period,x\n2025-01,5\n2025-02,5.2\n2025-03,5.1\n2025-04,5.3\n2025-05,5.2\n2025-06,52\n2025-07,5.4\n",
	})
	_, list = Check(context.Background(), Options{Source: src, Now: exampleNow})
	for _, want := range []string{
		`data/metrics.csv:2: warning: the target date of "x" (2024) has passed`,
		`data/observations/x.csv:7: warning: x for 2025-06 is 52, far outside the series' usual range`,
	} {
		if !containsMsg(list, want) {
			t.Errorf("missing warning %q in:\n%v", want, list)
		}
	}
}

func containsMsg(l diag.List, want string) bool {
	for _, e := range l {
		if strings.Contains(e.Error(), want) {
			return true
		}
	}
	return false
}

var _ = fmt.Sprint
