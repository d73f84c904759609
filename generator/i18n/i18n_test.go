package i18n

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

func TestForm(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want plural.Form
	}{
		{"en", 0, plural.Other},
		{"en", 1, plural.One},
		{"en", 2, plural.Other},
		{"en", 21, plural.Other},
		{"en", -1, plural.One},
		// French puts 0 with 1.
		{"fr", 0, plural.One},
		{"fr", 1, plural.One},
		{"fr", 2, plural.Other},
		// Polish has few and many.
		{"pl", 1, plural.One},
		{"pl", 2, plural.Few},
		{"pl", 5, plural.Many},
		{"pl", 22, plural.Few},
		{"pl", 12, plural.Many},
	}
	for _, tc := range tests {
		if got := Form(language.MustParse(tc.lang), tc.n); got != tc.want {
			t.Errorf("Form(%s, %d) = %v, want %v", tc.lang, tc.n, got, tc.want)
		}
	}
}

// TestDecimalForm: a count with decimals (hours) takes the CLDR form for
// its visible fraction digits, by the same rule as whole numbers.
func TestDecimalForm(t *testing.T) {
	tests := []struct {
		lang string
		n    float64
		want plural.Form
	}{
		{"en", 1, plural.One},
		{"en", 1.5, plural.Other},
		{"en", 0.5, plural.Other},
		{"en", 1200, plural.Other},
		{"fr", 1.5, plural.One}, // French: i = 0 or 1
		{"fr", 2.5, plural.Other},
		{"pl", 2, plural.Few},
		{"pl", 2.5, plural.Other}, // Polish: fractions are other
	}
	for _, tc := range tests {
		if got := decimalForm(language.MustParse(tc.lang), tc.n); got != tc.want {
			t.Errorf("decimalForm(%s, %v) = %v, want %v", tc.lang, tc.n, got, tc.want)
		}
	}
	c := load(t, nil, "en")
	for n, want := range map[float64]string{1: "1 story", 1.5: "1.5 stories", 1200: "1,200 stories", -2.5: "−2.5 stories"} {
		if got, err := c.Format("stories_count", "count", n); err != nil || got != want {
			t.Errorf("Format(stories_count, %v) = %q, %v; want %q", n, got, err, want)
		}
	}
}

const themeEN = `
stories_count:
  one: "{count} story"
  other: "{count} stories"
greeting: "Hello, {name}!"
plain: "Read more"
braces: "{{not an argument} and {count"
`

func load(t testing.TB, site fstest.MapFS, lang string) *Catalogue {
	t.Helper()
	theme := fstest.MapFS{"i18n/en.yaml": {Data: []byte(themeEN)}}
	c, errs := Load(theme, "themes/test", site, lang)
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	return c
}

func TestFormat(t *testing.T) {
	c := load(t, nil, "en")
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"stories_count", []any{0}, "0 stories"},
		{"stories_count", []any{1}, "1 story"},
		{"stories_count", []any{2}, "2 stories"},
		{"stories_count", []any{1200}, "1,200 stories"},
		{"stories_count", []any{"count", int64(1)}, "1 story"},
		{"greeting", []any{"name", "Ana"}, "Hello, Ana!"},
		{"greeting", []any{"name", M("plain")}, "Hello, Read more!"},
		{"plain", nil, "Read more"},
		{"braces", []any{"count", 3}, "{not an argument} and {count"},
		// A name given twice: its last value, as when arguments were a map.
		{"greeting", []any{"name", "Ana", "name", "Bo"}, "Hello, Bo!"},
		{"stories_count", []any{"count", 1, "count", 5}, "5 stories"},
		{"greeting", []any{"other", "x", "name", "Ana"}, "Hello, Ana!"},
	}
	for _, tc := range tests {
		got, err := c.Format(tc.key, tc.args...)
		if err != nil || got != tc.want {
			t.Errorf("Format(%q, %v) = %q, %v; want %q", tc.key, tc.args, got, err, tc.want)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	c := load(t, nil, "en")
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"nope", nil, `no message "nope" in i18n/en.yaml (theme themes/test/i18n/en.yaml)`},
		{"stories_count", nil, `message "stories_count" has plural forms but no count was given`},
		{"stories_count", []any{"count", "many"}, `the count many is not a whole number`},
		{"greeting", nil, `message "greeting" uses {name}, but no name was given`},
		{"greeting", []any{"name"}, `arguments come in name, value pairs`},
	}
	for _, tc := range tests {
		_, err := c.Format(tc.key, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Format(%q, %v): got %v, want %q", tc.key, tc.args, err, tc.want)
		}
	}
	// Go code never gets an empty string: the key shows instead.
	if got := c.S("nope"); got != "[nope]" {
		t.Errorf("S(nope) = %q", got)
	}
}

func TestHTMLEscaping(t *testing.T) {
	theme := fstest.MapFS{"i18n/en.yaml": {Data: []byte(`m: "People's R&D <for> {name}"`)}}
	c, _ := Load(theme, "themes/test", nil, "en")
	got, err := c.HTML("m", "name", `A & "B's" <C>+`)
	want := `People's R&amp;D &lt;for&gt; A &amp; &#34;B&#39;s&#34; &lt;C&gt;&#43;`
	if err != nil || got != want {
		t.Errorf("HTML = %q, %v; want %q", got, err, want)
	}
	got, _ = c.HTML("m", "name", Safe("<b>x</b>"))
	if !strings.HasSuffix(got, "<b>x</b>") {
		t.Errorf("a Safe argument is escaped: %q", got)
	}
}

func TestSiteOverridesThemeKeyByKey(t *testing.T) {
	site := fstest.MapFS{"i18n/en.yaml": {Data: []byte("plain: \"Read on\"\n")}}
	c := load(t, site, "en")
	if got := c.S("plain"); got != "Read on" {
		t.Errorf("site override: got %q", got)
	}
	if got := c.S("stories_count", 3); got != "3 stories" {
		t.Errorf("a key the site does not override: got %q", got)
	}
}

func TestLanguageFallsBackToEnglish(t *testing.T) {
	// French for one key: the rest is English, with English plural rules.
	site := fstest.MapFS{
		"i18n/fr.yaml": {Data: []byte("plain: \"Lire la suite\"\nstories_count:\n  one: \"{count} récit\"\n  other: \"{count} récits\"\n")},
	}
	c := load(t, site, "fr")
	for _, tc := range []struct {
		key  string
		args []any
		want string
	}{
		{"plain", nil, "Lire la suite"},
		{"stories_count", []any{0}, "0 récit"}, // French: 0 is one
		{"greeting", []any{"name", "Ana"}, "Hello, Ana!"},
	} {
		if got := c.S(tc.key, tc.args...); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.key, got, tc.want)
		}
	}

	// A language no catalogue has: a warning at the site's language line.
	sitefs := fstest.MapFS{"site.yaml": {Data: []byte("title: X\nlanguage: de\n")}}
	theme := fstest.MapFS{"i18n/en.yaml": {Data: []byte(themeEN)}}
	c, errs := Load(theme, "themes/test", sitefs, "de")
	if errs.HasErrors() || len(errs.Warnings()) != 1 {
		t.Fatalf("want one warning, got %v", errs)
	}
	if w := errs.Warnings()[0].Error(); !strings.Contains(w, `site.yaml:2: warning: language "de" has no message catalogue`) {
		t.Errorf("warning: %s", w)
	}
	if got := c.S("plain"); got != "Read more" {
		t.Errorf("English fallback: got %q", got)
	}
}

func TestCatalogueErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"yaml syntax", "a: \"x\"\nb: y\n  c: z\n", "i18n/en.yaml:3: message catalogue: mapping values are not allowed in this context"},
		{"tab", "a: x\n\tb: y\n", "i18n/en.yaml:2: message catalogue: found a tab character"},
		{"not a mapping", "- a\n- b\n", "i18n/en.yaml:1:1: a message catalogue is a mapping of keys to messages"},
		{"bad category", "a:\n  one: x\n  several: y\n  other: z\n", `i18n/en.yaml:3:3: message "a": "several" is not a plural category`},
		{"no other", "a:\n  one: x\n", `i18n/en.yaml:1:1: message "a" has plural forms but no other form`},
		{"list", "a: [x, y]\n", `i18n/en.yaml:1:4: message "a" should be a text or a mapping of plural forms`},
		{"twice", "a: x\na: y\n", `i18n/en.yaml:2:1: message "a" is defined twice (first at line 1)`},
	}
	for _, tc := range tests {
		site := fstest.MapFS{"i18n/en.yaml": {Data: []byte(tc.src)}}
		_, errs := Load(nil, "", site, "en")
		if !errs.HasErrors() || !strings.Contains(errs.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, errs, tc.want)
		}
	}
}

// BenchmarkFormat formats a message with two arguments, one of them a
// message, as a date is written (date_format with its month).
func BenchmarkFormat(b *testing.B) {
	c := load(b, nil, "en")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Format("greeting", "name", M("plain"), "other", 3); err != nil {
			b.Fatal(err)
		}
	}
}
