package render

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// goKey finds the message keys Go code names: r.tr("key"), msgs.S("key"),
// is.t("key"), i18n.M("key") and key := "key" (a key chosen in a branch).
var goKey = regexp.MustCompile(`(?:\.tr|\.S|\.t|\bM)\("([a-z][a-z0-9_]*)"|\bkey :?= "([a-z][a-z0-9_]*)"`)

// templateKey finds T calls in templates the theme does not parse (the
// email's own).
var templateKey = regexp.MustCompile(`\bT "([a-z][a-z0-9_]*)"`)

// TestMessageKeys checks the default theme's English catalogue against the
// code: every key the theme's layouts, the email's templates and Go code
// use has a message, and every message is used (no dead keys).
func TestMessageKeys(t *testing.T) {
	th, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, nil, "en", Funcs(), false)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{} // key → where
	for k := range templateKeys(th.themeSets()) {
		used[k] = "themes/default/layouts"
	}
	if len(used) < 100 {
		t.Fatalf("found %d keys in the theme's layouts; the walk misses T calls", len(used))
	}
	root := filepath.Join("..", "..")
	err = filepath.WalkDir(filepath.Join(root, "generator"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			re = goKey
		case strings.HasSuffix(p, ".html") && strings.Contains(filepath.ToSlash(p), "render/email/templates/"):
			re = templateKey
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			for _, k := range m[1:] {
				if len(k) > 0 {
					used[string(k)] = p
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs := th.Messages()
	var missing []string
	for k, where := range used {
		if !msgs.Has(k) {
			missing = append(missing, k+" (used in "+where+")")
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("no message %s in themes/default/i18n/en.yaml", k)
	}
	for _, k := range msgs.Keys() {
		if _, ok := used[k]; !ok {
			t.Errorf("message %q in themes/default/i18n/en.yaml is used nowhere (a dead key)", k)
		}
	}
}

// TestMissingMessageInLayout checks that a T call whose key has no message
// fails the theme's load at the call's position, naming the catalogues.
func TestMissingMessageInLayout(t *testing.T) {
	site := fstest.MapFS{"layouts/story.html": {Data: []byte("{{define \"main\"}}\n<p>{{T \"home_latest\"}}</p>\n<p>{{if .Story}}{{T \"no_such_key\" \"n\" 1}}{{end}}</p>{{end}}")}}
	_, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, site, "en", Funcs(), true)
	want := `layouts/story.html:3:21: no message "no_such_key" in i18n/en.yaml (theme themes/default/i18n/en.yaml)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), "home_latest") {
		t.Errorf("a key that exists is reported: %v", err)
	}
}

// TestCatalogueErrorFailsLoad checks that a site catalogue with a YAML
// error stops the theme's load with the file and line.
func TestCatalogueErrorFailsLoad(t *testing.T) {
	site := fstest.MapFS{"i18n/en.yaml": {Data: []byte("home_latest: \"Latest\"\nhome_partners: x\n  y: z\n")}}
	_, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, site, "en", Funcs(), false)
	if err == nil || !strings.Contains(err.Error(), "i18n/en.yaml:3: message catalogue: mapping values are not allowed") {
		t.Fatalf("got %v", err)
	}
}

// TestMessageArgsChecked checks that a T call that leaves a {name} of its
// message without a value, or a plural message without its count, fails
// the theme's load at the call, before any page runs it.
func TestMessageArgsChecked(t *testing.T) {
	tests := []struct{ call, want string }{
		{`{{T "partner_since"}}`, `layouts/story.html:2:28: message "partner_since" uses {date}, but no date is given`},
		{`{{T "partner_since" "day" 3}}`, `message "partner_since" uses {date}, but no date is given`},
		{`{{T "stories_count" "n" 3}}`, `message "stories_count" has plural forms but no count is given`},
	}
	for _, tc := range tests {
		site := fstest.MapFS{"layouts/story.html": {Data: []byte("{{define \"main\"}}\n{{if .Story}}<p>{{end}}" + tc.call + "</p>{{end}}")}}
		_, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, site, "en", Funcs(), false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.call, err, tc.want)
		}
	}
	for _, ok := range []string{`{{T "partner_since" "date" .Title}}`, `{{T "stories_count" 3}}`, `{{T "stories_count" "count" 3}}`} {
		site := fstest.MapFS{"layouts/story.html": {Data: []byte("{{define \"main\"}}" + ok + "{{end}}")}}
		if _, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, site, "en", Funcs(), false); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestPeriodMessageIsLabel checks that the default English catalogue writes
// each kind of period as model.Period.Label does, so that moving a label to
// the catalogue leaves English output as it was.
func TestPeriodMessageIsLabel(t *testing.T) {
	msgs := english()
	var ps []model.Period
	for _, s := range []string{"2026", "2026-Q1", "2026-Q4", "2026-09-15", "2024-02-29"} {
		p, err := model.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	for m := 1; m <= 12; m++ {
		p, err := model.ParsePeriod(fmt.Sprintf("2026-%02d", m))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	ps = append(ps, model.Period{})
	for _, p := range ps {
		if got, want := periodText(msgs, p), p.Label(); got != want {
			t.Errorf("periodText(%v) = %q, want %q (Label)", p, got, want)
		}
	}
}

// TestFigureWordsMessages checks that the English catalogue writes the
// figure words' messages (model/words_msg.go) as the English functions
// (model/words.go) write them.
func TestFigureWordsMessages(t *testing.T) {
	msgs := english()
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: catalogue %q, English function %q", what, got, want)
		}
	}
	for _, n := range []int{-3, 0, 1, 2, 7, 10, 11, 12, 1200} {
		check(fmt.Sprint("SpellCount ", n), msgs.String(model.SpellCountMessage(n)), model.SpellCount(n))
	}
	for _, c := range [][2]float64{{71.8, 82.6}, {13.6, 7.6}, {0, 0}, {72.01, 72.02}} {
		for _, u := range []string{"%", "outbreaks", "", "EUR"} {
			check(fmt.Sprint("Trend ", c, u), msgs.String(model.TrendMessage(c[0], c[1], u)), model.TrendWords(c[0], c[1], u))
		}
	}
	target := 90.0
	for _, down := range []bool{false, true} {
		for _, u := range []string{"%", "doses"} {
			m := &model.Metric{Unit: u, Target: &target, Down: down}
			for _, v := range []float64{82.6, 90, 93, 89.999, 1} {
				gm, ok1 := model.GapMessage(m, v)
				gw, ok2 := model.GapWords(m, v)
				if ok1 != ok2 {
					t.Errorf("Gap %v: ok %v, English %v", v, ok1, ok2)
				}
				check(fmt.Sprint("Gap ", u, down, v), msgs.String(gm), gw)
			}
		}
	}
	if _, ok := model.GapMessage(&model.Metric{}, 1); ok {
		t.Error("GapMessage without a target: ok")
	}
	for _, k := range []model.PeriodKind{model.Year, model.Quarter, model.Month, model.Day, model.PeriodKind(99)} {
		one, many := model.PeriodNounMessage(k)
		wo, wm := model.PeriodNoun(k)
		check(fmt.Sprint("PeriodNoun one ", k), msgs.String(one), wo)
		check(fmt.Sprint("PeriodNoun many ", k), msgs.String(many), wm)
		for _, n := range []int{1, 2, 3, 12} {
			check(fmt.Sprint("Streak ", n, k), msgs.String(model.StreakMessage(n, k)), model.StreakWords(n, k))
		}
	}
	for _, s := range []float64{0, -1, 1, 1.2, 0.97, 0.95, 0.004, 0.005, 0.59, 0.33, 0.15, 0.05, 0.5, 0.1, 0.9, 0.007} {
		check(fmt.Sprint("Share ", s), msgs.String(model.ShareMessage(s)), model.ShareWords(s))
	}
	for _, d := range []float64{0, 1, -1, 7.4, -7.4, 0.99999, 1.00001, 1200.5, -0.0001} {
		for _, u := range []string{"%", "doses", "", "EUR", "outbreaks"} {
			check(fmt.Sprint("Change ", d, u), msgs.String(model.ChangeMessage(d, u)), model.FormatChange(d, u))
			check(fmt.Sprint("Amount ", d, u), msgs.String(model.AmountMessage(d, u)), model.Amount(d, u))
		}
	}
	for _, names := range [][]string{nil, {"A"}, {"A", "B"}, {"A", "B", "C"}, {"Lakeside", "Kestrel Pharmacy", "Hill Villages", "D"}} {
		check(fmt.Sprint("Join ", names), msgs.String(model.JoinMessage(names)), model.JoinNames(names))
	}
	for _, u := range []string{"", "%", "sessions", "EUR", "€", "doses"} {
		for _, v := range [][2]float64{{27, 88}, {1, 88}, {60, 100}, {1200.5, 3000}} {
			check(fmt.Sprint("OfTotal ", v, u), msgs.String(model.OfTotalMessage(v[0], v[1], u)), model.OfTotal(v[0], v[1], u))
		}
	}
	for n := 1; n <= 13; n++ {
		for k := 0; k <= n; k++ {
			check(fmt.Sprint("Count ", k, n), msgs.String(model.CountMessage(k, n)), model.CountWords(k, n))
		}
	}
}

// TestSpanMessageIsLabel checks that the English catalogue writes runs of
// periods as model.Span.Label does.
func TestSpanMessageIsLabel(t *testing.T) {
	msgs := english()
	p := func(s string) model.Period {
		t.Helper()
		x, err := model.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, c := range [][2]string{
		{"2026-Q2", "2026-Q3"}, {"2025-Q4", "2026-Q1"}, {"2026-Q3", "2026-Q3"}, {"2026-09", "2026-11"},
		{"2025-12", "2026-02"}, {"2026-11-03", "2026-11-09"}, {"2026-10-30", "2026-11-02"}, {"2024", "2026"},
		{"2024", "2026-Q1"}, {"2026-09", "2026-09"}, {"2026-09-15", "2026-09-15"},
	} {
		s := model.Span{First: p(c[0]), Last: p(c[1])}
		if got, want := spanText(msgs, s), s.Label(); got != want {
			t.Errorf("spanText(%v) = %q, want %q (Label)", c, got, want)
		}
	}
}
