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
		{"newsletter/2025-10/email.html", `<title>.*?</title>|<div class="preheader"[^>]*>[^<]*|<h1>.*?</h1>`},
		{"newsletter/2025-10/email.txt", `(?s)\A.*?\n\n.*?\n\n`},
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
