package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/diag"
)

const typedStory = `---
title: Coverage reached 74 %
date: 2026-02-01
summary: Partners made 200 visits.
partners: [city-health]
metrics: [coverage]
---
Two partners pooled their lists.

Coverage was 70 % at the end of 2025.

Call 0161 496 0000 on 12 March 2026, or write to 4 Quay Street.
`

const typedDraft = `---
title: Next steps
date: 2026-02-10
summary: What comes next.
draft: true
partners: [city-health]
metrics: [coverage]
---
Coverage is {{coverage}}. In Q1 2026 coverage was 75 %.
`

const liveStory = `---
title: Our first shared result
date: 2026-02-01
summary: Two organisations pooled their outreach lists and reached more families.
partners: [city-health]
metrics: [coverage]
---
Coverage reached {{coverage}} in {{coverage period}}, {{coverage change}} on the quarter before.
Partners made {{visits}} visits. Call 0161 496 0000 on 12 March 2026.
`

// typedCheck checks valid-minimal with the stories given, and returns the
// typed-figure problems as lines.
func typedCheck(t *testing.T, strict bool, stories map[string]string) ([]string, diag.List) {
	t.Helper()
	return typedCheckSite(t, invalidSite(t, ""), strict, stories)
}

func typedCheckSite(t *testing.T, site string, strict bool, stories map[string]string) ([]string, diag.List) {
	t.Helper()
	for name, text := range stories {
		if err := os.WriteFile(filepath.Join(site, "content", "stories", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, list := Check(context.Background(), Options{Source: site, Now: Day(2026, 3, 1), StrictFigures: strict})
	var got []string
	for _, e := range list {
		if strings.Contains(e.Msg, "typed figure") {
			got = append(got, e.Error())
		}
	}
	return got, list
}

// TestCheckTypedFigures: check reports typed figures in titles, summaries
// and bodies at their file:line:col, in drafts too; --strict-figures makes
// them errors; a story with only live figures passes a strict check.
func TestCheckTypedFigures(t *testing.T) {
	got, list := typedCheck(t, false, map[string]string{"one.md": typedStory, "two.md": typedDraft})
	want := []string{
		`content/stories/one.md:2:1: warning: typed figure "74 %" is the latest value of coverage (74 %, Q1 2026) (write {{coverage}} so it follows the data)`,
		`content/stories/one.md:4:1: warning: typed figure "200" is the latest value of visits (200 visits, Q1 2026) (write {{visits}} so it follows the data)`,
		`content/stories/one.md:10:14: warning: typed figure "70 %" next to coverage does not match the data: for the period the sentence names, the data holds 71 % for Q4 2025 (write {{coverage @2025-Q4}}, or correct the number)`,
		`content/stories/two.md:9:51: warning: typed figure "75 %" next to coverage does not match the data: for the period the sentence names, the data holds 74 % for Q1 2026 (write {{coverage}}, or correct the number)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if list.HasErrors() {
		t.Errorf("typed figures are errors without --strict-figures:\n%v", list)
	}

	got, list = typedCheck(t, true, map[string]string{"one.md": typedStory})
	if len(got) != 3 || !list.HasErrors() || len(list.Errors()) != 3 {
		t.Errorf("strict check: %d typed figures, %d errors, want 3 and 3:\n%v", len(got), len(list.Errors()), list)
	}

	got, list = typedCheck(t, true, map[string]string{"one.md": liveStory})
	if len(got) != 0 || list.HasErrors() {
		t.Errorf("strict check of live figures only: %v", list)
	}
}

// TestCheckStrictFiguresInSiteYAML: check.strict_figures in site.yaml is
// --strict-figures.
func TestCheckStrictFiguresInSiteYAML(t *testing.T) {
	site := invalidSite(t, "")
	yml := filepath.Join(site, "site.yaml")
	b, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(yml, append(b, "check:\n  strict_figures: true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	got, list := typedCheckSite(t, site, false, map[string]string{"one.md": typedStory})
	if len(got) != 3 || len(list.Errors()) != 3 {
		t.Errorf("check with strict_figures in site.yaml: %d typed figures, %d errors, want 3 and 3:\n%v", len(got), len(list.Errors()), list)
	}
}
