package generator

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// frontNow is when the front matter figures site (testdata/frontfig) is built.
var frontNow = Day(2026, 1, 15)

// frontSite copies testdata/frontfig, a small site whose story title and
// summary, page summary, newsletter subject and preheader, and briefing
// title and takeaways cite figures, into a new folder, with files
// replaced or added by the test.
func frontSite(t *testing.T, files map[string]string) string {
	t.Helper()
	all := map[string]string{}
	root := filepath.Join("testdata", "frontfig")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		all[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range files {
		all[k] = v
	}
	return writeSite(t, all)
}

func buildFront(t *testing.T, src string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: frontNow, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFrontmatterFigureOutputs checks, against a golden file, every place
// a front matter text with figures reaches a reader: the story page's
// <title>, h1, standfirst, meta description, Open Graph and Twitter tags
// and JSON-LD; cards on the home page and lists (plain text: a card is a
// link); the page's navigation entry and description; the Atom, RSS and
// JSON feeds; the email's Subject header (RFC 2047), its HTML <title> and
// preheader and its plain text; the page; the briefing's title,
// chart titles and description. No {{ may be left anywhere.
func TestFrontmatterFigureOutputs(t *testing.T) {
	out := buildFront(t, frontSite(t, nil))
	picks := []struct {
		file string
		re   string
	}{
		{"stories/live/index.html", `<title>.*?</title>|<meta (name|property)="(description|og:title|og:description|twitter:title|twitter:description|og:image:alt)" content="[^"]*">|<h1>.*?</h1>|<p class="standfirst">.*?</p>|<script type="application/ld\+json">.*?</script>|<textarea[^>]*>[^<]*</textarea>|href="mailto:[^"]*"`},
		{"index.html", `<h3 class="card-title">.*?</h3>|<p class="card-summary">.*?</p>`},
		{"stories/index.html", `<h3 class="card-title">.*?</h3>|<p class="card-summary">.*?</p>`},
		{"metrics/cov/index.html", `<a href="../../stories/live/">[^<]*</a>`},
		{"about/index.html", `<title>.*?</title>|<meta name="description" content="[^"]*">|<p class="standfirst">.*?</p>|<li><a href="../about/"[^>]*>[^<]*</a></li>`},
		{"feed.xml", `<title>.*?</title>|<summary>.*?</summary>`},
		{"index.xml", `<title>.*?</title>|<description>.*?</description>`},
		{"newsletter/feed.xml", `<title>.*?</title>|<summary>.*?</summary>`},
		{"newsletter/feed.json", `"(title|summary)": ?"[^"]*"`},
		{"newsletter/index.html", `<h2 class="issue-title">.*?</h2>|<p>Coverage is up.*?</p>`},
		{"newsletter/2025-10/index.html", `<title>.*?</title>|<meta (name|property)="(description|og:title)" content="[^"]*">|<h1 id="issue-title">.*?</h1>|<p class="standfirst">.*?</p>`},
		{"newsletter/2025-10/email.eml", `(?m)^Subject: .*$`},
		{"newsletter/2025-10/email.html", `<title>.*?</title>|<div class="preheader"[^>]*>[^<]*|<h1>.*?</h1>|<a href="https://t.example/stories/live/"[^>]*>[^<]*</a>|<p[^>]*>Up [^<]*</p>`},
		{"newsletter/2025-10/email.txt", `(?s)\A.*?\n\n.*?\n\n|Coverage reached[^\n]*|Up \+4.5[^\n]*`},
		{"briefing/index.html", `<title>.*?</title>|<meta (name|property)="(description|og:title)" content="[^"]*">|<h1 id="briefing-title">.*?</h1>|<h2 class="bfig-title"[^>]*>.*?</h2>`},
	}
	var b strings.Builder
	for _, p := range picks {
		src, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.file)))
		if err != nil {
			t.Fatal(err)
		}
		ms := regexp.MustCompile(p.re).FindAllString(string(src), -1)
		if len(ms) == 0 {
			t.Errorf("%s: nothing matches %s", p.file, p.re)
		}
		for _, m := range ms {
			b.WriteString(p.file + ": " + strings.ReplaceAll(m, "\n", "⏎") + "\n")
		}
	}
	golden(t, "frontfig/outputs.txt", []byte(b.String()))
	// No figure source is left in any output.
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".png") {
			return err
		}
		b, _ := os.ReadFile(p)
		// A metric's page shows how to cite it, in <code>.
		text := strings.ReplaceAll(string(b), "<code>{{", "<code>")
		if i := strings.Index(text, "{{"); i >= 0 {
			t.Errorf("%s holds %q", p, text[i:min(len(text), i+40)])
		}
		return nil
	})
}

// TestFrontmatterFigureErrors checks that a bad figure in each front
// matter field is reported at its file:line:col by drumbeat check, every
// one of them, not only the first.
func TestFrontmatterFigureErrors(t *testing.T) {
	story := "---\ntitle: %s\ndate: 2025-10-01\nsummary: %s\n---\nBody.\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"title and summary", map[string]string{"content/stories/live.md": "---\ntitle: Coverage {{covv}}\ndate: 2025-10-01\nsummary: \"Up {{cov colour}} and {{cov @2025-Q7}}\"\n---\nBody.\n"},
			[]string{
				`content/stories/live.md:2:17: metric "covv" is not in data/metrics.csv (did you mean "cov"?)`,
				`content/stories/live.md:4:14: {{cov colour}}: "colour" is not a figure view`,
				`content/stories/live.md:4:33: {{cov @2025-Q7}}: "2025-Q7" is not a period`,
			}},
		{"single-quoted summary, sparkline", map[string]string{"content/stories/live.md": strings.Replace(strings.Replace(story, "%s", "Fine", 1), "%s", "'A {{cov sparkline}}'", 1)},
			[]string{`content/stories/live.md:4:13: {{cov sparkline}} draws a picture, and a front matter field holds text only`}},
		{"block summary", map[string]string{"content/stories/live.md": "---\ntitle: Fine\ndate: 2025-10-01\nsummary: |\n  One line.\n  Then {{cov @2024-Q1}}.\n---\nBody.\n"},
			[]string{`content/stories/live.md:6: metric "cov" has no value for 2024-Q1`}},
		{"toml title", map[string]string{"content/stories/live.md": "+++\ntitle = \"Now {{ two, words }}\"\ndate = 2025-10-01\n+++\nBody.\n"},
			[]string{`content/stories/live.md:2:14: {{ two, words }} is not a figure`}},
		{"page title", map[string]string{"content/pages/about.md": "---\ntitle: About {{cases chart}}\n---\nAbout.\n"},
			[]string{`content/pages/about.md:2:14: {{cases chart}} draws a picture`}},
		{"newsletter subject and preheader", map[string]string{"content/newsletter/2025-10.md": "---\nsubject: \"Café news, {{cov target @x}}\"\npreheader: Coverage is {{nope}} since the summer, and the clinics kept their hours.\ndate: 2025-10-20\n---\nHi.\n"},
			[]string{
				`content/newsletter/2025-10.md:2:23: {{cov @x}}: "x" is not a period`,
				`content/newsletter/2025-10.md:3:24: metric "nope" is not in data/metrics.csv`,
			}},
		{"briefing title and takeaway", map[string]string{"content/briefing.md": strings.Replace(strings.Replace(readFile(t, "testdata/frontfig/content/briefing.md"),
			"title: Tally at {{cov}}", "title: Tally at {{cov progres}}", 1), "takeaway: Cases fell to {{cases}}.", "takeaway: Cases fell to {{cases change @2024-Q1}}.", 1)},
			[]string{
				`content/briefing.md:2:17: {{cov progres}}: "progres" is not a figure view`,
				`content/briefing.md:10:29: metric "cases" has no value for 2024-Q1 to measure the change from`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := frontSite(t, tc.files)
			_, errs := Check(context.Background(), Options{Source: src, Now: frontNow})
			var got []string
			for _, e := range errs {
				if e.Severity != diag.SevWarning {
					got = append(got, e.Error())
				}
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("no error %q in\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("%d errors, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
		})
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFrontmatterTakeawayWords checks that a takeaway that cites figures
// is held to model.MaxTakeawayWords as the reader reads it, figures filled
// in: "{{cov change @2025-Q1}}" is two words ("+8.5 points"), not three.
func TestFrontmatterTakeawayWords(t *testing.T) {
	brief := readFile(t, "testdata/frontfig/content/briefing.md")
	for _, tc := range []struct{ takeaway, err string }{
		// 13 words as written, 11 as read: accepted.
		{"Coverage rose {{cov change @2025-Q1}} and cases fell {{cases change @2025-Q1}} this year.", ""},
		// 12 words as written (a figure counted as one), 13 as read.
		{"Valley coverage now stands at {{cov}}, up {{cov change}} in {{cov period}} alone.",
			`content/briefing.md:10:5: the takeaway of chart 2 has 13 words once its figures are filled in ("Valley coverage now stands at 80.5 %, up +4.5 points in Q3 2025 alone."); keep it to 12 or fewer`},
		// Without figures, the model counts as before.
		{"One two three four five six seven eight nine ten eleven twelve thirteen.", `content/briefing.md:10:5: the takeaway of chart 2 has 13 words; keep it to 12 or fewer`},
	} {
		src := frontSite(t, map[string]string{"content/briefing.md": strings.Replace(brief, "Cases fell to {{cases}}.", tc.takeaway, 1)})
		_, errs := Check(context.Background(), Options{Source: src, Now: frontNow})
		var got []string
		for _, e := range errs {
			if e.Severity != diag.SevWarning {
				got = append(got, e.Error())
			}
		}
		switch {
		case tc.err == "" && len(got) > 0:
			t.Errorf("%q: %v", tc.takeaway, got)
		case tc.err != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tc.err)):
			t.Errorf("%q: errors\n%s\nwant %s", tc.takeaway, strings.Join(got, "\n"), tc.err)
		}
	}
}

// changedFiles returns the files that differ between two output folders
// (or are in only one), sorted.
func changedFiles(t *testing.T, a, b string) []string {
	t.Helper()
	read := func(root string) map[string]string {
		m := map[string]string{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			m[filepath.ToSlash(rel)] = string(data)
			return nil
		})
		return m
	}
	ma, mb := read(a), read(b)
	var out []string
	for k, v := range ma {
		if w, ok := mb[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestFrontmatterFiguresFollowTheData builds the site, changes one
// observation and builds it again: every headline that cites the metric
// changes with it, and no file that does not depend on the metric does.
// In testdata/frontfig the story live.md cites cov in its title and
// summary (not in its body, nor in metrics:), the page about.md cites
// cases in its summary, the newsletter cites cov in its subject and
// preheader, and the briefing cites cov in its title and cases in a
// takeaway. The story quiet.md cites nothing: its page never changes.
func TestFrontmatterFiguresFollowTheData(t *testing.T) {
	// What depends on a metric's data whatever the front matter says: its
	// page, the scorecard, the home page's tiles, the newsletter's movers
	// (page, email, feeds, chart PNGs) and the briefing's charts.
	newsletter := []string{"newsletter/2025-10/email.eml", "newsletter/2025-10/email.html", "newsletter/2025-10/email.txt",
		"newsletter/2025-10/index.html", "newsletter/feed.json", "newsletter/feed.xml"}
	tests := []struct {
		name, from, to string
		want           []string
		headlines      map[string]string
	}{
		{"cov", "2025-Q3,80.5,20", "2025-Q3,81.5,20",
			append([]string{
				// Pages showing the story's headline: its page and card, the
				// lists and tag page with its card, the feeds, and the metric
				// page that lists the story as citing cov.
				"stories/live/index.html", "stories/live/card.png", "index.html", "stories/index.html", "tags/coverage/index.html",
				"feed.xml", "index.xml", "metrics/cov/index.html", "metrics/cov/data.csv", "scorecard/index.html",
				"briefing/index.html", "briefing/card.png",
				"newsletter/2025-10/chart-cov.png", "newsletter/2025-10/chart-cov-dark.png", "newsletter/index.html",
				// The headline metric's embeddable tile, and the search page
				// (its index's files are named by their content).
				"tiles/cov.html", "tiles/cov.svg", "search/index.html",
			}, newsletter...),
			map[string]string{
				"stories/live/index.html":      "<title>Coverage reached 81.5 % in Q3 2025 · Tally</title>",
				"stories/index.html":           "Coverage reached 81.5 % in Q3 2025</a>",
				"feed.xml":                     "<title>Coverage reached 81.5 % in Q3 2025</title>",
				"newsletter/2025-10/email.eml": "Subject: =?utf-8?q?Caf=C3=A9_news,_coverage_at_81.5_%_=E2=82=AC?=",
				"newsletter/index.html":        "Café news, coverage at 81.5 % €</a>",
				"briefing/index.html":          `<meta property="og:title" content="Tally at 81.5 %">`,
			}},
		{"cases", "2025-Q3,80.5,20", "2025-Q3,80.5,19",
			append([]string{
				"about/index.html", "briefing/index.html", "index.html", "metrics/cases/index.html", "metrics/cases/data.csv", "scorecard/index.html",
				"newsletter/2025-10/chart-cases.png", "newsletter/2025-10/chart-cases-dark.png",
				"tiles/cases.html", "tiles/cases.svg", "search/index.html",
			}, newsletter...),
			map[string]string{
				"about/index.html":    `<meta name="description" content="We saw 19 cases last quarter">`,
				"briefing/index.html": `Cases fell to 19 cases.`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := frontSite(t, nil)
			before := buildFront(t, src)
			obs := filepath.Join(src, "data", "observations", "q.csv")
			b, _ := os.ReadFile(obs)
			changed := strings.Replace(string(b), tc.from, tc.to, 1)
			if changed == string(b) {
				t.Fatal("the fixture's observations changed; update the test")
			}
			os.WriteFile(obs, []byte(changed), 0o644)
			after := buildFront(t, src)
			got := changedFiles(t, before, after)
			// The search index's files are named by their content: the
			// index follows the data when some of them change names.
			index := 0
			got = slices.DeleteFunc(got, func(f string) bool {
				if strings.HasPrefix(f, "search/") && strings.HasSuffix(f, ".json") {
					index++
					return true
				}
				return false
			})
			if index == 0 {
				t.Errorf("no file of the search index changed: it does not follow the data")
			}
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("changed files:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for file, headline := range tc.headlines {
				if !strings.Contains(readFile(t, filepath.Join(after, file)), headline) {
					t.Errorf("%s does not say %s", file, headline)
				}
			}
		})
	}
}

// TestFrontmatterFigureStale checks that a figure cited only in the front
// matter makes the story's metric stale as a body figure does, and counts
// as a citation of the metric (its page lists the story).
func TestFrontmatterFigureStale(t *testing.T) {
	src := frontSite(t, map[string]string{
		"content/stories/late.md": "---\ntitle: Late news\ndate: 2026-06-01\nsummary: Cases are at {{cases}}.\n---\nNo figures here.\n",
	})
	res, errs := Check(context.Background(), Options{Source: src, Now: frontNow.AddDate(1, 0, 0)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	want := `content/stories/late.md:3:1: warning: the story is dated 2026-06-01 but the latest cases data is for Q3 2025; the figures may be stale`
	var ws []string
	for _, w := range append(errs, res.Warnings...) {
		ws = append(ws, w.Error())
	}
	if !slices.ContainsFunc(ws, func(s string) bool { return strings.HasPrefix(s, want) }) {
		t.Errorf("no warning %q in\n%s", want, strings.Join(ws, "\n"))
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: frontNow.AddDate(1, 0, 0), NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	if m := readFile(t, filepath.Join(out, "metrics", "cases", "index.html")); !strings.Contains(m, `href="../../stories/late/"`) {
		t.Error("the page of cases does not list the story that cites it in its summary")
	}
}
