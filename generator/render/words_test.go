package render

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// exampleFigures resolves figures on the example site, as of the date the
// example is built with.
func exampleFigures(t *testing.T) *figures {
	t.Helper()
	in, errs := load.Dir(os.DirFS("../.."))
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	r := setupRenderer(site, Options{}, nil)
	return &figures{r: r, st: &model.Story{Slug: "test"}, root: "/"}
}

var figureInText = regexp.MustCompile(`\{\{(.*?)\}\}`)

// expand replaces each figure in text with its words.
func expand(f *figures, text string) (string, error) {
	var first error
	out := figureInText.ReplaceAllStringFunc(text, func(s string) string {
		ref, ok := markdown.ParseFigure(s[2 : len(s)-2])
		if !ok {
			if first == nil {
				first = &hintError{msg: s + " is not a figure"}
			}
			return s
		}
		v, err := f.value(ref)
		if err != nil {
			if first == nil {
				first = err
			}
			return s
		}
		return v.Text
	})
	return out, first
}

// TestBriefingTakeaways: the six takeaways of content/briefing.md, written
// with figures of words, say on the example data what they say by hand
// today, except where the data says otherwise (six targets are due in 2026,
// not five; coverage values are shown as the site shows them).
func TestBriefingTakeaways(t *testing.T) {
	f := exampleFigures(t)
	tests := []struct{ src, want string }{
		{"Coverage {{coverage_2y trend @2024-Q1}}, {{coverage_2y gap}}.",
			"Coverage rose from 71.8 % to 82.6 %, 7.4 points short of 90 %."},
		{"Families dropping out between doses {{dropout_rate trend @2024-Q1..2026-Q3}}.",
			"Families dropping out between doses fell from 13.6 % to 7.6 %."},
		{"No measles outbreaks in the valley for {{measles_outbreaks streak = 0}}.",
			"No measles outbreaks in the valley for two quarters running."},
		{"Partners outside the health department give {{doses_given share except valley-health-dept @2026-Q1..2026-Q3}} doses.",
			"Partners outside the health department give six in ten doses."},
		{"{{outreach_sessions top @2026-Q3}} runs the most outreach: {{outreach_sessions top of @2026-Q3}}.",
			"Mothers First Riverbend runs the most outreach: 27 of 88 sessions."}, // the name in data/partners.yaml
		{"{{Targets count progress > 80 @2026-Q3}} targets due this year are over 80 % met.",
			"Four of the six targets due this year are over 80 % met."},
	}
	for _, tc := range tests {
		got, err := expand(f, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

// wordsSite is a small site with the edge cases of the views of words: a
// missing period (cov 2025-Q2), a single observation (once), falling and
// down-direction metrics (cases, outbreaks), a unit without "%" (doses),
// a currency (budget, yearly; gifts, by partner), partners' values with a quarter of zero
// totals (doses 2025-Q4) and a tie (doses 2026-Q2).
var wordsSite = fstest.MapFS{
	"site.yaml": {Data: []byte("title: Test\nbase_url: https://t.example/\n")},
	"data/partners.yaml": {Data: []byte(`- id: alpha
  name: Alpha Clinic
  sector: public
  joined: 2024-01-01
  role: member
- id: beta
  name: Beta Pharmacy
  sector: private
  joined: 2024-01-01
  role: member
- id: gamma
  name: Gamma Parents
  sector: community
  joined: 2024-01-01
  role: member
- id: delta
  name: Delta Youth
  sector: community
  joined: 2024-01-01
  role: member
`)},
	"data/governance.yaml": {Data: []byte("roles:\n  - id: member\n    name: Member\n")},
	"data/metrics.csv": {Data: []byte("id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
		"cov,Coverage,impact,impact,%,up,70,90,2026-Q4,Register,\n" +
		"cases,Cases,impact,outcome,cases,down,40,10,2027-Q4,Clinic,\n" +
		"outbreaks,Outbreaks,impact,outcome,outbreaks,down,3,0,2027,Surveillance,\n" +
		"once,Reviews,learning,output,,up,,,,Minutes,\n" +
		"doses,Doses given,impact,output,doses,up,100,200,2026-Q4,Returns,\n" +
		"budget,Budget,finance,input,EUR,up,400000,500000,2026,Ledger,\n" +
		"gifts,Gifts,finance,input,EUR,up,,,,Ledger,\n")},
	"data/observations/q.csv": {Data: []byte("period,cov,cases,outbreaks,once\n" +
		"2025-Q1,72,30,2,\n2025-Q2,,28,0,\n2025-Q3,80.5,20,0,\n2025-Q4,80.5,10,1,\n2026-Q1,93,8,0,5\n")},
	"data/observations/y.csv": {Data: []byte("period,budget\n2025,420000\n2026,455000\n")},
	"data/observations/p.csv": {Data: []byte("metric,period,value,partner,note\n" +
		"doses,2025-Q4,0,alpha,\ndoses,2025-Q4,0,beta,\n" +
		"doses,2026-Q1,60,alpha,\ndoses,2026-Q1,30,beta,\ndoses,2026-Q1,10,gamma,\n" +
		"doses,2026-Q2,70,alpha,\ndoses,2026-Q2,70,beta,\ndoses,2026-Q2,20,gamma,\n" +
		"gifts,2026-Q1,600,alpha,\ngifts,2026-Q1,400,beta,\n")},
}

// wordsFigures resolves figures on wordsSite.
func wordsFigures(t testing.TB) *figures {
	t.Helper()
	in, errs := load.Dir(wordsSite)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	return &figures{r: setupRenderer(site, Options{}, nil), st: &model.Story{Slug: "s"}, root: "../../"}
}

// TestWordsGolden resolves each figure of testdata/words.txt on wordsSite
// and compares its words, title and link (or its error and hint) with
// testdata/words.golden. Run with -update to rewrite the golden file.
func TestWordsGolden(t *testing.T) {
	f := wordsFigures(t)
	src, err := os.ReadFile("testdata/words.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			b.WriteString(line + "\n")
			continue
		}
		ref, ok := markdown.ParseFigure(strings.TrimSuffix(strings.TrimPrefix(line, "{{"), "}}"))
		if !ok {
			t.Fatalf("%s is not a figure", line)
		}
		b.WriteString(line + "\n")
		v, err := f.value(ref)
		if err != nil {
			b.WriteString("\terror: " + err.Error() + "\n")
			if he, ok := err.(*hintError); ok && he.hint != "" {
				b.WriteString("\thint: " + he.hint + "\n")
			}
			continue
		}
		fmt.Fprintf(&b, "\t→ %s\n\ttitle: %s\n\thref: %s\n", v.Text, v.Title, v.Href)
	}
	got := b.String()
	if *update {
		if err := os.WriteFile("testdata/words.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("testdata/words.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("words differ from testdata/words.golden (run with -update to accept them):\n%s", got)
	}
}

// TestWordsREADME: every example in the table of README.md's "Words for
// numbers" says on the example data what the table says it does.
func TestWordsREADME(t *testing.T) {
	f := exampleFigures(t)
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(src), "### Words for numbers\n")
	if !ok {
		t.Fatal("README.md has no section Words for numbers")
	}
	sec, _, _ = strings.Cut(sec, "\n#")
	row := regexp.MustCompile("(?m)^\\| `(\\{\\{[^`]*\\}\\})` \\| ([^|]+) \\|")
	n := 0
	for _, m := range row.FindAllStringSubmatch(sec, -1) {
		n++
		got, err := expand(f, m[1])
		if want := strings.TrimSpace(m[2]); err != nil || got != want {
			t.Errorf("%s: got %q, %v; README says %q", m[1], got, err, want)
		}
	}
	if n < 15 {
		t.Errorf("only %d examples found in the table", n)
	}
}

// FuzzWords resolves any figure of words on wordsSite: it never panics,
// and a figure it resolves has words, a title and a link, or else an error
// with a message.
func FuzzWords(fz *testing.F) {
	src, err := os.ReadFile("testdata/words.txt")
	if err != nil {
		fz.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "{{") {
			fz.Add(strings.TrimSuffix(strings.TrimPrefix(line, "{{"), "}}"))
		}
	}
	f := wordsFigures(fz)
	fz.Fuzz(func(t *testing.T, inner string) {
		ref, ok := markdown.ParseFigure(inner)
		if !ok || !isWordsView(ref.View) {
			return
		}
		v, err := f.value(ref)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("{{%s}}: an error without a message", inner)
			}
			return
		}
		if v.Text == "" || v.Title == "" || v.Href == "" || v.HTML != "" {
			t.Fatalf("{{%s}} = %+v", inner, v)
		}
	})
}

// TestWordsNameOnlyApprovedPartners: a figure whose words name a partner
// ({{doses top}}) may name, in a story that needs approval, only partners
// the story names otherwise (whose approval its being public proves); the
// communication protocol reads figures as numbers that name no one. The
// other views name no partner, in their words or their titles.
func TestWordsNameOnlyApprovedPartners(t *testing.T) {
	f := wordsFigures(t)
	f.r.site.Governance.Communication.ApprovalRequired = true
	ref := func(s string) markdown.FigureRef {
		r, ok := markdown.ParseFigure(s)
		if !ok {
			t.Fatalf("%s is not a figure", s)
		}
		return r
	}
	f.st = &model.Story{Section: "stories", Slug: "s", Partners: []string{"beta"}}
	_, err := f.value(ref("doses top @2026-Q1"))
	if err == nil || !strings.Contains(err.Error(), "names Alpha Clinic, which this story does not name otherwise") {
		t.Errorf("a story not naming alpha names it through {{doses top}}: %v", err)
	}
	if _, err := f.value(ref("doses top @2026-Q2")); err == nil {
		t.Error("a tie names alpha beside beta")
	}
	for _, s := range []string{"doses top 2 @2026-Q1", "doses top of @2026-Q1", "doses top share @2026-Q1", "doses share except beta @2026-Q1", "doses share alpha @2026-Q1"} {
		v, err := f.value(ref(s))
		if err != nil {
			t.Errorf("{{%s}}: %v", s, err)
			continue
		}
		for _, name := range []string{"Alpha", "Gamma"} {
			if strings.Contains(v.Text+v.Title, name) {
				t.Errorf("{{%s}} names %s: %+v", s, name, v)
			}
		}
	}
	f.st.Partners = []string{"alpha", "beta"}
	if v, err := f.value(ref("doses top @2026-Q2")); err != nil || v.Text != "Alpha Clinic and Beta Pharmacy" {
		t.Errorf("a story naming both: %+v, %v", v, err)
	}
	f.st = &model.Story{Section: "stories", Slug: "s", Mentioned: []string{"alpha"}}
	if _, err := f.value(ref("doses top @2026-Q1")); err != nil {
		t.Errorf("a story whose text names alpha: %v", err)
	}
	f.st = &model.Story{Section: "pages", Slug: "about"}
	if _, err := f.value(ref("doses top @2026-Q1")); err != nil {
		t.Errorf("a page needs no approval: %v", err)
	}
	f.r.site.Governance.Communication.ApprovalRequired = false
	f.st = &model.Story{Section: "stories", Slug: "s"}
	if _, err := f.value(ref("doses top @2026-Q1")); err != nil {
		t.Errorf("without approval_required: %v", err)
	}
}
