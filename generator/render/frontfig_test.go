package render

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// frontSite sets up a renderer of the site under
// generator/testdata/frontfig, whose titles, summaries, subject and
// briefing cite figures, its bodies and front matter converted.
func frontSite(t testing.TB) *renderer {
	t.Helper()
	in, errs := load.Dir(os.DirFS("../testdata/frontfig"))
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	theme, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, os.DirFS("../testdata/frontfig"), "en", Funcs(), false)
	if err != nil {
		t.Fatal(err)
	}
	r := setupRenderer(site, Options{Theme: theme}, nil)
	r.convertAll()
	if r.errs.HasErrors() {
		t.Fatal(r.errs)
	}
	return r
}

// TestFrontCardText checks the text the social card of a story whose
// title cites figures draws: the figures' values, not their {{source}}.
func TestFrontCardText(t *testing.T) {
	r := frontSite(t)
	st := r.site.Story("live")
	// A figure in the title is not the card's key figure: that comes from
	// the body and metrics: (as model.Site.CardFigure, which approvals
	// cover, has it); the live story cites nothing else, so its card shows
	// its summary.
	if k, m := r.keyFigure(st), r.site.CardFigure(st); k != nil || m != nil {
		t.Errorf("key figure %+v, model's card figure %+v, want none", k, m)
	}
	c := r.storyCardText(st, r.keyFigure(st))
	got := fmt.Sprintf("kicker: %s\ntitle: %s\nfigure: %s\ncaption: %s\ntext: %s\nfooter: %s\n", c.Kicker, c.Title, c.Figure, c.Caption, c.Text, c.Footer)
	want := "kicker: Tally · Story\ntitle: Coverage reached 80.5 % in Q3 2025\nfigure: \ncaption: \ntext: Up +4.5 points on the quarter, café by café\nfooter: t.example · 1 October 2025\n"
	if got != want {
		t.Errorf("card text:\n%s\nwant\n%s", got, want)
	}
	// With a key figure, the card shows it beside the resolved title.
	c = r.storyCardText(st, &model.Figure{Value: "20 cases", Label: "Cases", Detail: "Q3 2025"})
	if c.Title != "Coverage reached 80.5 % in Q3 2025" || c.Figure != "20 cases" {
		t.Errorf("card title %q, figure %q", c.Title, c.Figure)
	}
	// The share text and the email share link carry the resolved title.
	sh := r.share(st, nil, "https://t.example/stories/live/")
	if !strings.HasPrefix(sh.Text, "Coverage reached 80.5 % in Q3 2025") || strings.Contains(sh.Text+sh.Email+sh.X, "{{") {
		t.Errorf("share text %q, email %q", sh.Text, sh.Email)
	}
}

// TestFrontResolve checks how a front matter text is resolved: figures to
// their text and a link, code spans and \{{ left alone, and problems
// reported at the figure's column in the value.
func TestFrontResolve(t *testing.T) {
	r := frontSite(t)
	f := &figures{r: r, st: r.site.Story("live"), root: "../../"}
	at := diag.Pos{File: "x.md", Line: 3, Col: 8}
	tests := []struct {
		src, text, html, err string
	}{
		{"Cov {{cov}}", "Cov 80.5 %", `Cov <a class="fig" href="../../metrics/cov/" title="Coverage, Q3 2025">80.5 %</a>`, ""},
		{"Café <b> {{cov change}}", "Café <b> +4.5 points", `Café &lt;b&gt; <a class="fig" href="../../metrics/cov/" title="Coverage, Q2 2025 to Q3 2025">+4.5 points</a>`, ""},
		{"Was {{cov @2025-Q1}}", "Was 72 %", "", ""},
		{"Write `{{cov}}` or \\{{cov}}", "Write `{{cov}}` or {{cov}}", "Write `{{cov}}` or {{cov}}", ""},
		{"Open {{cov", "Open {{cov", "", ""},
		{"See {{covv}}", "See {{covv}}", "", `x.md:3:12: metric "covv" is not in data/metrics.csv`},
		{"é {{cov colour}}", "", "", `x.md:3:11: {{cov colour}}: "colour" is not a figure view`},
		{"{{cov @2025-Q7}}", "", "", `x.md:3:8: {{cov @2025-Q7}}: "2025-Q7" is not a period`},
		{"{{cov sparkline}}", "", "", `x.md:3:8: {{cov sparkline}} draws a picture`},
		{"{{ two, words }}", "", "", `x.md:3:8: {{ two, words }} is not a figure`},
		{"a {{cov}} b {{nope}} c {{cases target}} {{x y z}}", "", "", `x.md:3:20: metric "nope"`},
	}
	for _, tc := range tests {
		var errs diag.List
		got := f.resolve(tc.src, at, &errs)
		if tc.text != "" && got.Text != tc.text {
			t.Errorf("%q: text %q, want %q", tc.src, got.Text, tc.text)
		}
		if tc.html != "" && string(got.HTML) != tc.html {
			t.Errorf("%q: HTML %q, want %q", tc.src, got.HTML, tc.html)
		}
		if tc.err == "" && len(errs) > 0 || tc.err != "" && (len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.err)) {
			t.Errorf("%q: errors %v, want %q", tc.src, errs, tc.err)
		}
	}
	// Every problem is reported, not only the first.
	var errs diag.List
	f.resolve("a {{nope}} b {{cov colour}} c {{cases target}} {{x y z}}", at, &errs)
	if len(errs) != 3 {
		t.Errorf("%d problems reported, want 3: %v", len(errs), errs)
	}
	// A block value: the figure's line, no column.
	errs = nil
	f.resolve("one\ntwo {{nope}}", diag.Pos{File: "x.md", Line: 4}, &errs)
	if len(errs) != 1 || errs[0].Pos != (diag.Pos{File: "x.md", Line: 5}) {
		t.Errorf("block value: %v", errs)
	}
}

// TestFrontNewsletterSend checks the message newsletter send and export
// build on their own (without a site build): its Subject header and the
// issue they report carry the subject with its figures filled in,
// RFC 2047-encoded in the header.
func TestFrontNewsletterSend(t *testing.T) {
	site := frontSite(t).site
	msg, mi, err := Newsletter(site, "2025-10", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mi.Subject != "Café news, coverage at 80.5 % €" || !strings.HasPrefix(mi.Preheader, "Coverage is up +4.5 points") {
		t.Errorf("issue subject %q, preheader %q", mi.Subject, mi.Preheader)
	}
	if msg.Subject != mi.Subject {
		t.Errorf("message subject %q", msg.Subject)
	}
	b, err := msg.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if want := "Subject: =?utf-8?q?Caf=C3=A9_news,_coverage_at_80.5_%_=E2=82=AC?=\r\n"; !strings.Contains(string(b), want) {
		t.Errorf("no %q in the message", want)
	}
	if !strings.Contains(string(msg.Text), "Café news, coverage at 80.5 % €\n") || !strings.Contains(string(msg.Text), "Coverage reached 80.5 % in Q3 2025") {
		t.Errorf("text email:\n%s", msg.Text)
	}
	// The model's issue is left as written.
	if site.Newsletters[0].Subject != "Café news, coverage at {{cov}} €" {
		t.Errorf("the model's subject became %q", site.Newsletters[0].Subject)
	}
}

// FuzzFrontResolve checks that resolving any front matter text ends,
// without panicking, reports positions inside the value's lines, and
// leaves the text as written when it holds no "{{".
func FuzzFrontResolve(f *testing.F) {
	for _, s := range []string{"Cov {{cov}}", "`{{cov}}` \\{{cov}}", "{{", "}}{{cov", "{{cov}}{{x y z}}\n{{cases change @2025-Q1}}", "``{{cov}}`", "\\", "{{ two, words }}"} {
		f.Add(s)
	}
	r := frontSite(f)
	fig := &figures{r: r, st: r.site.Story("live"), root: "../../"}
	f.Fuzz(func(t *testing.T, src string) {
		var errs diag.List
		at := diag.Pos{File: "x.md", Line: 2, Col: 8}
		got := fig.resolve(src, at, &errs)
		for _, e := range errs {
			if e.Pos.Line != 2 || e.Pos.Col < 8 || e.Pos.Col > 8+len(src) {
				t.Fatalf("%q: problem at %v", src, e.Pos)
			}
		}
		if !strings.Contains(src, "{{") && (got.Text != src || len(errs) > 0) {
			t.Fatalf("%q became %q", src, got.Text)
		}
	})
}
