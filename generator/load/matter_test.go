package load

import (
	"reflect"
	"testing"
)

// TestUnknownFrontMatterKeys checks that every key drumbeat does not know
// is an error at its line, with a suggestion, in YAML and TOML, at the top
// level and inside the blocks with a fixed schema. Before, unknown keys
// were kept silently: `partner: [x]` published a story without approval.
func TestUnknownFrontMatterKeys(t *testing.T) {
	const (
		story = "content/stories/x.md"
		page  = "content/pages/about.md"
		issue = "content/newsletter/2026-10.md"
	)
	tests := []struct {
		name string
		file string
		src  string
		want []string
	}{
		{"partner for partners, YAML", story,
			"---\ntitle: x\ndate: 2026-01-01\nsummary: s\npartner: [x]\n---\nBody.\n",
			[]string{story + `:5:1: unknown field "partner" (did you mean "partners"?)`}},
		{"partner for partners, TOML", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\nsummary = \"s\"\npartner = [\"x\"]\n+++\nBody.\n",
			[]string{story + `:5:1: unknown field "partner" (did you mean "partners"?)`}},
		{"no suggestion", story,
			"---\ntitle: x\ndate: 2026-01-01\naudience: parents\n---\n",
			[]string{story + `:4:1: unknown field "audience" (see docs/formats.md for the fields; a field of the site's own must be declared in site.yaml under front_matter: extra_keys:)`}},
		{"in a page", page,
			"---\ntitle: About\nsumary: s\n---\n",
			[]string{page + `:3:1: unknown field "sumary" (did you mean "summary"?)`}},
		{"in an approval, YAML", story,
			"---\ntitle: x\ndate: 2026-01-01\napproved_by:\n  - partner: a\n    bye: Ann\n    on: 2026-01-01\n---\n",
			[]string{story + ":6:5: unknown key \"bye\" in `approved_by[1]` (did you mean \"by\"?)"}},
		{"in an approval, TOML", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\n[[approved_by]]\npartner = \"a\"\nbye = \"Ann\"\n+++\n",
			[]string{story + ":6:1: unknown key \"bye\" in `approved_by` (did you mean \"by\"?)"}},
		{"in the investment, YAML", story,
			"---\ntitle: x\ndate: 2026-01-01\nkind: roi\ninvestment:\n  fro: 2025-Q4\n  to: 2026-Q1\n---\n",
			[]string{story + ":6:3: unknown key \"fro\" in `investment` (did you mean \"from\"?)"}},
		{"in the investment, TOML inline table", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\nkind = \"roi\"\ninvestment = {fro = \"2025-Q4\", to = \"2026-Q1\"}\n+++\n",
			[]string{story + ":5:1: unknown key \"fro\" in `investment` (did you mean \"from\"?)"}},
		{"in a cash entry, TOML", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\nkind = \"roi\"\n[investment]\nfrom = \"2025-Q4\"\n[[investment.cash]]\npartner = \"a\"\namout = 3\n+++\n",
			[]string{story + ":9:1: unknown key \"amout\" in `investment.cash` (did you mean \"amount\"?)"}},
		{"in a result, YAML", story,
			"---\ntitle: x\ndate: 2026-01-01\nkind: roi\nresults:\n  - {metric: m, from: 2025-Q4, too: 2026-Q1}\n---\n",
			[]string{story + ":6:32: unknown key \"too\" in `results[1]` (did you mean \"to\"?)"}},
		{"in a return, TOML dotted key", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\n[[returns]]\npartner = \"a\"\ngot.it = \"b\"\n+++\n",
			[]string{story + ":6:"}}, // got is a string, not a table
		{"a table under an unknown key, TOML", story,
			"+++\ntitle = \"x\"\ndate = 2026-01-01\n[extra.deep]\nk = 1\n+++\n",
			[]string{story + `:4:2: unknown field "extra"`}},
		{"newsletter fields in a story", story,
			"---\ntitle: x\ndate: 2026-01-01\nsubject: Hello\n---\n",
			[]string{story + ":4:1: `subject:` belongs to newsletter issues, not to a story or page"}},
		{"misspelt newsletter field", issue,
			"---\nsubjet: October\npreheader: What happened in October across the partnership\n---\n",
			[]string{issue + `:2:1: unknown field "subjet" (did you mean "subject"?)`}},
		{"story fields in a newsletter", issue,
			"---\nsubject: October\npartners: [a]\n---\n",
			[]string{issue + ":3:1: `partners:` is not a field of a newsletter issue"}},
		{"unknown field in the briefing", BriefingFile,
			"---\ntitle: Briefing\ndate: 2026-01-01\nchart: []\n---\n",
			[]string{BriefingFile + `:4:1: unknown field "chart" (did you mean "charts"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{tt.file: tt.src})
			checkErrs(t, errs, tt.want...)
		})
	}
}

// TestExtraKeys checks the keys a site declares in site.yaml: accepted in
// every kind of front matter, kept in a story's Extra, and themselves
// checked.
func TestExtraKeys(t *testing.T) {
	const config = "title: Test\nfront_matter:\n  extra_keys: [audience, district]\n"
	src, errs := loadFiles(t, map[string]string{
		ConfigFile:                      config,
		"content/stories/a.md":          "---\ntitle: A\ndate: 2026-01-01\naudience: parents\ndistrict: [north, hills]\n---\n",
		"content/stories/b.md":          "+++\ntitle = \"B\"\ndate = 2026-01-01\naudience = \"parents\"\n[district]\nname = \"north\"\n+++\n",
		"content/pages/about.md":        "---\ntitle: About\naudience: funders\n---\n",
		"content/newsletter/2026-10.md": "---\nsubject: October\naudience: funders\n---\n",
	})
	checkErrs(t, errs)
	if len(src.Stories) != 2 || len(src.Pages) != 1 || len(src.Newsletters) != 1 {
		t.Fatalf("%d stories, %d pages, %d issues", len(src.Stories), len(src.Pages), len(src.Newsletters))
	}
	for i, want := range []map[string]any{
		{"audience": "parents", "district": []any{"north", "hills"}},
		{"audience": "parents", "district": map[string]any{"name": "north"}},
	} {
		if got := src.Stories[i].Extra; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Extra = %#v, want %#v", src.Stories[i].Path, got, want)
		}
	}
	if got := src.Pages[0].Extra; !reflect.DeepEqual(got, map[string]any{"audience": "funders"}) {
		t.Errorf("page Extra = %#v", got)
	}

	for _, tt := range []struct {
		name, list string
		want       []string
	}{
		{"one typo from a field", "[partner]",
			[]string{ConfigFile + `:3:16: front_matter.extra_keys: "partner" is one typo away from drumbeat's field "partners" (a misspelt partners: would then pass unnoticed; choose a more distinct name)`}},
		{"a field of drumbeat's", "[audience, title]",
			[]string{ConfigFile + `:3:26: front_matter.extra_keys: "title" is one of drumbeat's own fields`}},
		{"not a key", `["Audience Group"]`,
			[]string{ConfigFile + `:3:16: front_matter.extra_keys: "Audience Group" is not a key name`}},
		{"twice", "[audience, audience]",
			[]string{ConfigFile + `:3:26: front_matter.extra_keys: "audience" is listed twice`}},
		{"unknown key in front_matter", "[audience]\n  extra_key: [x]",
			[]string{ConfigFile + `:4:3: unknown key "extra_key" in ` + "`front_matter`" + ` (did you mean "extra_keys"?)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{ConfigFile: "title: Test\nfront_matter:\n  extra_keys: " + tt.list + "\n"})
			checkErrs(t, errs, tt.want...)
		})
	}
}
