package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestShareText(t *testing.T) {
	link := "https://alliance.example.org/stories/saturday-clinics-six-months/"
	cost := &model.Figure{Value: "€44 per extra dose", Label: "Vaccine doses given at Lakeside Community Clinic"}
	tests := []struct {
		name  string
		title string
		key   *model.Figure
		want  string
	}{
		{"all of it", "Six months of Saturday clinics", cost,
			"Six months of Saturday clinics — Vaccine doses given at Lakeside Community Clinic: €44 per extra dose " + link},
		{"no figure", "Six months of Saturday clinics", nil, "Six months of Saturday clinics " + link},
		{"period beside a short label", "Coverage", &model.Figure{Value: "82.6 %", Label: "Children immunised", Detail: "Q3 2026"},
			"Coverage — Children immunised, Q3 2026: 82.6 % " + link},
		{"long title cut at a word", strings.Repeat("Saturday clinics bring doses within reach ", 6), cost, ""},
	}
	for _, tc := range tests {
		got := ShareText(tc.title, tc.key, link)
		if tc.want != "" && got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxShare {
			t.Errorf("%s: %d characters", tc.name, n)
		}
		if !strings.HasSuffix(got, " "+link) {
			t.Errorf("%s: the link is not whole at the end: %q", tc.name, got)
		}
	}
	if got := ShareText(strings.Repeat("Saturday clinics bring doses within reach ", 6), cost, link); !strings.Contains(got, "… — Vaccine doses given") || !strings.Contains(got, "€44 per extra dose") {
		t.Errorf("a long title is not cut before the figure: %q", got)
	}
}

// TestShareTextNeverTooLong tries titles, figures and links of every
// length: the text stays within MaxShare and keeps the whole link, as long
// as the link itself fits.
func TestShareTextNeverTooLong(t *testing.T) {
	words := strings.Fields("Saturday clinics bring second doses within reach of hill families — «très» 日本語 naïve")
	for n := 0; n < 120; n += 3 {
		title := strings.Repeat(words[n%len(words)]+" ", n)
		for _, key := range []*model.Figure{nil, {Value: "€1", Label: ""}, {Value: strings.Repeat("9", n), Label: strings.Repeat("label ", n), Detail: "Q3 2026"}} {
			for _, link := range []string{"/stories/x/", "https://t.example/stories/" + strings.Repeat("a", 2*n) + "/"} {
				got := ShareText(title, key, link)
				if utf8.RuneCountInString(link) <= MaxShare-1 {
					if c := utf8.RuneCountInString(got); c > MaxShare {
						t.Fatalf("%d characters for title %d, link %d: %q", c, len(title), len(link), got)
					}
				}
				if !strings.HasSuffix(got, link) || !utf8.ValidString(got) {
					t.Fatalf("the link is cut or the text broken: %q", got)
				}
			}
		}
	}
}
