package render

import (
	"flag"
	"os"
	"regexp"
	"testing"
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
		{"{{Targets count progress >= 80 @2026-Q3}} targets due this year are over 80 % met.",
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
