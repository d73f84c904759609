package model

import (
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

func TestCheckGreetingAndRate(t *testing.T) {
	greetings := []struct{ g, fb, err string }{
		{"Dear {name},", "Dear partners,", ""},
		{"Hello everyone,", "", ""},
		{"Dear {name},", "", "greeting_fallback is not set"},
		{"Dear {nom},", "Dear partners,", "placeholder other than {name}"},
		{"Dear {name},", "Dear {name},", "holds a placeholder"},
		{"", "Dear partners,", "greeting is not"},
		{"Dear\n{name},", "x", "one line"},
	}
	for _, tc := range greetings {
		err := CheckGreeting(tc.g, tc.fb)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CheckGreeting(%q, %q) = %v, want %q", tc.g, tc.fb, err, tc.err)
		}
	}
	rates := []struct {
		s    string
		want float64
	}{{"30/min", 30}, {"2/s", 120}, {"600/h", 10}, {" 1.5 / min ", 1.5}, {"30", 0}, {"0/min", 0}, {"-3/min", 0}, {"x/min", 0}, {"3/day", 0}}
	for _, tc := range rates {
		got, err := ParseRate(tc.s)
		if got != tc.want || (err == nil) != (tc.want > 0) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
}

// TestCheckUnsubscribe: an address the same for every reader, or one on
// the site's own host where the site has no page, is a warning; an
// unknown placeholder is an error.
func TestCheckUnsubscribe(t *testing.T) {
	tests := []struct {
		url   string
		pages []string
		want  []string // substrings of the problems, in order; none for none
	}{
		{"https://lists.example.org/unsub?e={email}&t={token}", nil, nil},
		{"mailto:news@example.org?subject=Unsubscribe", nil, nil},
		{"https://lists.example.org/unsub", nil, []string{"warning: newsletter.unsubscribe https://lists.example.org/unsub is the same for every reader"}},
		{"https://www.example.org/unsubscribe", nil, []string{"same for every reader", "points at this site, but the site has no page at /unsubscribe"}},
		{"https://www.example.org/unsubscribe", []string{"unsubscribe"}, []string{"same for every reader"}},
		{"https://www.example.org/leave/?e={email}", []string{"unsubscribe"}, []string{"no page at /leave/"}},
		{"https://lists.example.org/unsub?n={name}", nil, []string{"placeholder other than {email} and {token}"}},
	}
	for _, tc := range tests {
		site := &Site{Config: Config{BaseURL: "https://www.example.org/"}}
		for _, p := range tc.pages {
			site.Pages = append(site.Pages, &Story{Section: "pages", Slug: p})
		}
		var l diag.List
		site.checkUnsubscribe(tc.url, diag.Pos{File: "site.yaml", Line: 3}, &l)
		if len(l) != len(tc.want) {
			t.Errorf("%s: %d problems, want %d: %v", tc.url, len(l), len(tc.want), l)
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(l[i].Error(), w) || !strings.HasPrefix(l[i].Error(), "site.yaml:3: ") {
				t.Errorf("%s: %q lacks %q", tc.url, l[i].Error(), w)
			}
		}
	}
}

// TestPlurals: a value of one takes the singular of its unit, in every
// output that writes values and changes (email, text, feeds, pages).
func TestPlurals(t *testing.T) {
	tests := []struct{ got, want string }{
		{FormatChange(1, "changes"), "+1 change"},
		{FormatChange(-1, "changes"), "−1 change"},
		{FormatChange(2, "changes"), "+2 changes"},
		{FormatChange(1, "%"), "+1 point"},
		{FormatChange(1.5, "%"), "+1.5 points"},
		{FormatValue(1, "changes") + " short", "1 change short"},
		{FormatValue(1, "points"), "1 point"},
		{FormatValue(1, "doses per child"), "1 dose per child"},
		{FormatValue(1, "outbreaks"), "1 outbreak"},
		{FormatValue(1, "batches"), "1 batch"},
		{FormatValue(1, "facilities"), "1 facility"},
		{FormatValue(1, "status"), "1 status"},
		{FormatValue(1, "unit"), "1 unit"},
		{FormatValue(1, "EUR"), "€1"},
		{FormatValue(0, "changes"), "0 changes"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
