package load

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

func TestConfig(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{ConfigFile: "" +
		"title: Riverbend Immunisation Alliance\n" +
		"base_url: https://alliance.example.org/\n" +
		"accent: \"#0b6e4f\"\n" +
		"logo: /images/mark.svg\n" +
		"contact:\n  email: hello@alliance.example.org\n" +
		"markdown:\n  unsafe_html: yes\n" +
		"home:\n  headline_metrics: [coverage_2y, outbreaks]\n" +
		"scorecard:\n  on_track: 0.8\n" +
		"newsletter:\n  from: Alliance <news@alliance.example.org>\n"})
	checkErrs(t, errs)
	c := src.Config
	if c.Title != "Riverbend Immunisation Alliance" || c.BaseURL != "https://alliance.example.org/" || c.Accent != "#0b6e4f" ||
		c.Contact.Email != "hello@alliance.example.org" || !c.Markdown.UnsafeHTML || len(c.Home.HeadlineMetrics) != 2 {
		t.Errorf("config = %+v", c)
	}
	// Defaults for what is not given.
	if c.Language != "en" || c.Currency != "EUR" || c.Home.Stories != 6 || c.Scorecard.OnTrack != 0.8 ||
		c.Scorecard.AtRisk != 0.7 || c.Logos.MaxHeight != 48 || c.Logos.Order != "name" {
		t.Errorf("defaults = %+v", c)
	}
	if c.Lines["scorecard"] != (diag.Pos{File: ConfigFile, Line: 11, Col: 1}) {
		t.Errorf("Lines[scorecard] = %v", c.Lines["scorecard"])
	}
}

func TestConfigProblems(t *testing.T) {
	const f = ConfigFile
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown key", "title: x\nbase_ulr: https://x.org/\n",
			[]string{f + `:2:1: unknown key "base_ulr" (did you mean "base_url"?)`}},
		{"unknown nested key", "title: x\nhome:\n  storys: 3\n",
			[]string{f + `:3:3: unknown key "storys" in ` + "`home`" + ` (did you mean "stories"?)`}},
		{"unknown key, no suggestion", "title: x\nfavourite_colour: red\n",
			[]string{f + `:2:1: unknown key "favourite_colour" (known keys here: accent, allow_remote_images, base_url,`}},
		{"missing title", "tagline: Together\n", []string{f + ":1: site.yaml has no title (add `title: Your partnership`)"}},
		{"blank title", "title: \"  \"\n", []string{f + ":1:1: site.yaml has no title"}},
		{"empty", "", []string{f + ":1: site.yaml is empty"}},
		{"only a comment", "# nothing yet\n", []string{f + ":1: site.yaml is empty"}},
		{"not a block", "- title\n", []string{f + ":1: site.yaml has no title", f + ":1:1: the file should be a block of keys and values, not a list"}},
		{"duplicate key", "title: x\ntagline: a\ntitle: y\n",
			[]string{f + `:3:1: key "title" appears twice in this block (first at line 1)`}},
		{"tab", "title: x\ncontact:\n\temail: a@b.org\n", []string{f + ":3:1: a tab is used for indentation"}},
		{"bad values",
			"title: x\nbase_url: alliance.example.org\naccent: green\nlanguage: english!\nlogo: javascript:x\nlogos:\n  order: size\n",
			[]string{
				f + `:2:1: base_url "alliance.example.org" is not an absolute http(s) URL`,
				f + `:3:1: accent "green" is not a colour like #0b6e4f`,
				f + `:4:1: language "english!" is not a language tag`,
				f + `:5:1: logo "javascript:x" must be a path under static/`,
				f + `:6:1: logos.order "size" should be name or joined`,
			}},
		{"scorecard thresholds", "title: x\nscorecard:\n  on_track: 0.5\n  at_risk: 0.8\n",
			[]string{f + ":2:1: scorecard thresholds must satisfy 0 ≤ at_risk ≤ on_track ≤ 1.5 (got at_risk 0.8, on_track 0.5)"}},
		{"wrong types", "title: x\nhome:\n  stories: many\nmarkdown:\n  unsafe_html: maybe\nscorecard: [1]\n",
			[]string{f + ":3:12: `home.stories` should be a whole number, not \"many\"",
				f + ":5:16: `markdown.unsafe_html` should be true or false, not \"maybe\"",
				f + ":6:12: `scorecard` should be a block of keys and values, not a list"}},
		{"newsletter addresses", "title: x\nnewsletter:\n  from: not an address\n  reply_to: \"a@b.org\\nBcc: c@d.org\"\n",
			[]string{f + `:2:1: newsletter.from "not an address" is not an email address`, f + ":2:1: newsletter.reply_to contains a line break"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.want...)
		})
	}
	_, errs := Dir(fstest.MapFS{})
	checkErrs(t, errs, "site.yaml: the site has no site.yaml")
}

const testPartners = `- id: lakeside-clinic
  name: Lakeside Community Clinic
  sector: community
  url: https://lakeside.example.org
  logo: /logos/lakeside.svg
  logo_alt: Lakeside Community Clinic logo
  joined: 2023-02-01
  left:
  role: delivery-partner
  about: A nurse-led clinic serving the hill villages.
  gives: [Clinic space on Saturdays, Two nurses]
  gets: Vaccine supply
  spotlight_consent: true
  contributions:
    - period: 2025
      kind: cash
      amount: 12000
      note: Outreach fund
    - period: 2025
      kind: in_kind
      hours: 480
      rate: 45.5
      note: Nurse time
    - period: 2026-Q1
      kind: in_kind
      amount: 3_000
- id: kestrel-pharmacy
  name: Kestrel Pharmacy
  sector: private
  joined: 2024-01-15
  left: 2026-05-31
`

func TestPartners(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{PartnersFile: testPartners})
	checkErrs(t, errs)
	if len(src.Partners) != 2 {
		t.Fatalf("%d partners", len(src.Partners))
	}
	p := src.Partners[0]
	if p.ID != "lakeside-clinic" || p.Sector != model.Community || p.Role != "delivery-partner" || !p.SpotlightConsent ||
		!p.Joined.Equal(date(2023, 2, 1)) || !p.Left.IsZero() || len(p.Gives) != 2 || !reflect.DeepEqual(p.Gets, []string{"Vaccine supply"}) {
		t.Errorf("partner = %+v", p)
	}
	if len(p.Contributions) != 3 {
		t.Fatalf("%d contributions", len(p.Contributions))
	}
	for i, want := range []struct {
		period string
		value  float64
		line   int
	}{{"2025", 12000, 15}, {"2025", 480 * 45.5, 19}, {"2026-Q1", 3000, 24}} {
		c := p.Contributions[i]
		if c.Period.String() != want.period || c.Value != want.value || c.Pos != (diag.Pos{File: PartnersFile, Line: want.line, Col: 7}) {
			t.Errorf("contribution %d = %s %v at %v, want %s %v at line %d", i, c.Period, c.Value, c.Pos, want.period, want.value, want.line)
		}
	}
	if p.Pos != (diag.Pos{File: PartnersFile, Line: 1, Col: 3}) || p.Lines["sector"].Line != 3 {
		t.Errorf("positions: %v %v", p.Pos, p.Lines)
	}
	k := src.Partners[1]
	if !k.Left.Equal(date(2026, 5, 31)) || k.Current(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("kestrel left %v", k.Left)
	}
}

func TestPartnersProblems(t *testing.T) {
	const f = PartnersFile
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown key", "- id: a\n  name: A\n  sector: public\n  secter: public\n",
			[]string{f + `:4:3: unknown key "secter" in ` + "`[1]`" + ` (did you mean "sector"?)`}},
		{"wrong sector", "- id: a\n  name: A\n  sector: government\n",
			[]string{f + `:3:3: partner "a" has sector "government" (use one of public, private, civil, community)`}},
		{"no sector", "- id: a\n  name: A\n",
			[]string{f + `:1:3: partner "a" has sector ""`}},
		{"bad dates", "- id: a\n  name: A\n  sector: civil\n  joined: 2023-02-30\n  left: last year\n",
			[]string{f + `:4:3: joined "2023-02-30" is not a date (write dates as YYYY-MM-DD`, f + `:5:3: left "last year" is not a date`}},
		{"left before joining", "- id: a\n  name: A\n  sector: civil\n  joined: 2023-02-01\n  left: 2022-12-31\n",
			[]string{f + `:5:3: partner "a" left (2022-12-31) before joining (2023-02-01)`}},
		{"bad id", "- id: Lakeside Clinic\n  name: A\n  sector: civil\n- name: B\n  sector: civil\n",
			[]string{f + `:1:3: partner id "Lakeside Clinic" may use only lower-case letters, digits, - and _ (at most 64) (for example "lakeside-clinic")`,
				f + `:4:3: partner has no id`}},
		{"no name", "- id: a\n  sector: civil\n", []string{f + `:1:3: partner "a" has no name`}},
		{"bad url and logo", "- id: a\n  name: A\n  sector: civil\n  url: javascript:alert(1)\n  logo: ../logo.svg\n",
			[]string{f + `:4:3: partner "a" url "javascript:alert(1)" is not an http(s) address`, f + `:5:3: logo "../logo.svg" must be a path under static/`}},
		{"contributions",
			"- id: a\n  name: A\n  sector: civil\n  contributions:\n" +
				"    - {period: 2025, kind: cash}\n" +
				"    - {period: 2025, kind: in_kind, amount: 5, hours: 2, rate: 3}\n" +
				"    - {period: 2025, kind: in_kind, hours: 2}\n" +
				"    - {period: 2025, kind: gift, amount: 5}\n" +
				"    - {period: 2025-Q5, kind: cash, amount: 5}\n" +
				"    - {period: 2025, kind: cash, amount: -5}\n" +
				"    - {period: 2025, kind: cash, amount: lots}\n",
			[]string{
				f + `:5:7: cash contribution of "a" has no amount`,
				f + `:6:7: in-kind contribution of "a" gives both an amount and hours × rate; give one`,
				f + `:7:7: in-kind contribution of "a" needs an amount (goods at a value) or hours and rate (time)`,
				f + `:8:7: contribution of "a" has kind "gift" (use cash or in_kind)`,
				f + `:9:7: contribution of "a": "2025-Q5" is not a period`,
				f + `:10:7: contribution of "a" is negative`,
				f + ":11:42: `[1].contributions[7].amount` should be a number, not \"lots\"",
			}},
		// Found by FuzzPartners: a list item that is not a block gave a
		// partner without a position, and a problem without a file.
		{"item is not a block", "[0]", []string{f + ":1:2: `[1]` should be a block of keys and values, not the value \"0\""}},
		// Found by FuzzPartners: an empty item ("-" alone) gave a
		// contribution without a position.
		{"empty item", "- id: a\n  name: A\n  sector: civil\n  contributions:\n    -\n  gives:\n    -\n-\n",
			[]string{f + ":5:6: `[1].contributions[1]` is empty (write its keys after the '- ', or remove the line)", f + ":8:2: `[2]` is empty"}},
		{"not a list", "id: a\nname: A\n", []string{f + ":1:1: the file should be a list (lines starting with '- '), not a block of keys"}},
		{"duplicate key", "- id: a\n  name: A\n  id: b\n", []string{f + `:3:3: key "id" appears twice in this block (first at line 1)`}},
		{"alias bomb",
			"- &p\n  id: a\n  name: A\n  sector: civil\n  gives: &g [" + strings.Repeat("x,", 999) + "x]\n" + strings.Repeat("- *p\n", 1100),
			[]string{f + ":999:3: the file expands into far too much data"}}, // the alias "- *p" that goes over
		{"too many problems", strings.Repeat("- id: a\n  nme: A\n", 60),
			append(repeat(50, f+":"), f+":34:3: too many problems in this file; only the first 50 are shown")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.want...)
		})
	}
	for _, empty := range []string{"", "\n", "# no partners yet\n", "[]\n"} {
		src, errs := loadFiles(t, map[string]string{f: empty})
		checkErrs(t, errs)
		if len(src.Partners) != 0 {
			t.Errorf("%q gave partners %v", empty, src.Partners)
		}
	}
}

const testGovernance = `purpose:
  statement: Every child protected.
  vision: A valley without measles.
roles:
  - id: steering-member
    name: Steering member
    responsibilities: [Attend the monthly meeting]
    rights: [A vote]
  - id: delivery-partner
    name: Delivery partner
membership:
  terms: [Share data monthly]
  joining: Ask the backbone team.
decision_making:
  summary: By consent.
  steps: [Propose, Discuss, Decide]
integration:
  degree: coordinated
  structure: peer
communication:
  approval_required: true
  exempt_kinds: [lesson]
  spokespeople: [Amina Osei]
`

func TestGovernance(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{GovernanceFile: testGovernance})
	checkErrs(t, errs)
	g := src.Governance
	if g.Path != GovernanceFile || g.Purpose.Statement != "Every child protected." || len(g.Roles) != 2 ||
		g.Roles[1].ID != "delivery-partner" || g.Roles[1].Pos != (diag.Pos{File: GovernanceFile, Line: 9, Col: 5}) ||
		g.Integration.Degree != "coordinated" || !g.Communication.ApprovalRequired ||
		!reflect.DeepEqual(g.Communication.ExemptKinds, []model.Kind{model.KindLesson}) || len(g.DecisionMaking.Steps) != 3 {
		t.Errorf("governance = %+v", g)
	}
	// No governance.yaml is no problem; the path is still known for messages.
	src, errs = loadFiles(t, nil)
	checkErrs(t, errs)
	if src.Governance.Path != GovernanceFile {
		t.Errorf("Path = %q", src.Governance.Path)
	}
}

func TestGovernanceProblems(t *testing.T) {
	const f = GovernanceFile
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"roles", "roles:\n  - id: a\n    name: A\n  - id: a\n    name: Again\n  - id: b\n  - name: C\n  - id: Bad Id\n    name: D\n",
			[]string{f + `:4:5: role "a" is defined twice (first at line 2)`, f + `:6:5: role "b" has no name`,
				f + `:7:5: role has no id`, f + `:8:5: role id "Bad Id" may use only`}},
		{"role is not a block", "roles: [steering]\n",
			[]string{f + ":1:9: `roles[1]` should be a block of keys and values, not the value \"steering\"", f + ":1:9: role has no id"}},
		// Found by FuzzGovernance: "-" alone gave a role without a position.
		{"empty role", "roles:\n  -\n", []string{f + ":2:4: `roles[1]` is empty"}},
		{"integration", "integration:\n  degree: merged\n  structure: flat\n",
			[]string{f + `:1:1: integration degree "merged" (use one of parallel, coordinated, collaborative, integrated)`, f + `:1:1: integration structure "flat" (use peer or prime-sub)`}},
		{"exempt kinds", "communication:\n  exempt_kinds: [lesson, essay]\n",
			[]string{f + `:1:1: exempt_kinds names "essay", which is not a story kind`}},
		{"unknown key", "purpose:\n  statment: x\n",
			[]string{f + `:2:3: unknown key "statment" in ` + "`purpose`" + ` (did you mean "statement"?)`}},
		{"deep nesting", "purpose:\n  statement: " + strings.Repeat("[", 20000) + "\n",
			[]string{f + ":2: YAML: exceeded max depth of 10000"}},
		// Found in review: a "..." line dropped the communication
		// section, and with it approval_required.
		{"document end marker", "roles: []\n...\ncommunication:\n  approval_required: true\n",
			[]string{f + `:2: a line "..." or "---" ends the YAML here`}},
		{"second document", "roles: []\n---\ncommunication:\n  approval_required: true\n",
			[]string{f + `:2: a line "..." or "---" ends the YAML here`}},
		{"wrong type", "communication:\n  approval_required: [yes]\n",
			[]string{f + ":2:22: `communication.approval_required` should be a single value, not a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.want...)
		})
	}
}

func TestDecisions(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{DecisionsFile: "" +
		"- id: saturday-clinics\n  date: 2025-09-04\n  decision: Open two clinics on Saturdays.\n  rationale: Working parents.\n  decided_by: Steering group\n  revisit_on: 2026-03-31\n" +
		"- id: reminders\n  date: 2025-05-01\n  decision: Send text reminders.\n"})
	checkErrs(t, errs)
	if len(src.Decisions) != 2 {
		t.Fatalf("%d decisions", len(src.Decisions))
	}
	d := src.Decisions[0]
	if d.ID != "saturday-clinics" || !d.Date.Equal(date(2025, 9, 4)) || !d.RevisitOn.Equal(date(2026, 3, 31)) || d.DecidedBy != "Steering group" ||
		d.Pos != (diag.Pos{File: DecisionsFile, Line: 1, Col: 3}) {
		t.Errorf("decision = %+v", d)
	}
	if !d.Due(date(2026, 3, 31)) || d.Due(date(2026, 3, 30)) || src.Decisions[1].Due(date(2100, 1, 1)) {
		t.Error("Due is wrong")
	}
}

func TestDecisionsProblems(t *testing.T) {
	const f = DecisionsFile
	_, errs := loadFiles(t, map[string]string{f: "" +
		"- id: a\n  decision: x\n" +
		"- id: b\n  date: 4 Sept 2025\n  decision: x\n  revisit_on: soon\n" +
		"- id: c\n  date: 2025-01-01\n" +
		"- id: D!\n  date: 2025-01-01\n  decision: x\n" +
		"- id: e\n  date: 2025-01-01\n  decision: x\n  decided: all\n"})
	checkErrs(t, errs,
		f+`:1:3: decision "a" has no date`,
		f+`:4:3: date "4 Sept 2025" is not a date`,
		f+`:6:3: revisit_on "soon" is not a date`,
		f+`:7:3: decision "c" has no text (add `+"`decision:`",
		f+`:9:3: decision id "D!" may use only lower-case letters, digits, - and _`,
		f+`:15:3: unknown key "decided" in `+"`[5]`"+` (did you mean "decided_by"?)`,
	)
}

// TestLinks checks that files and folders that are links are refused: on
// a real disk they could point anywhere.
func TestLinks(t *testing.T) {
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
	}
	fsys := siteFS(map[string]string{
		"outside/secret.md":   "---\ntitle: Secret\ndate: 2026-01-01\n---\n",
		"outside/metrics.csv": testMetrics,
	})
	fsys["content/stories/link.md"] = link("../../outside/secret.md")
	fsys["content/pages"] = link("../outside")
	fsys["data"] = link("outside")
	fsys["static/images"] = link("../outside")
	src, errs := Dir(fsys)
	checkErrs(t, errs,
		"content/pages: is a link, not a folder",
		"content/stories/link.md: is a link or special file, not a regular file",
		"data: is a link, not a folder",
		"data/metrics.csv: is inside data/, which is a link, not a folder",
		"static/images: is a link or special file, not a regular file",
	)
	if len(src.Stories)+len(src.Pages)+len(src.Metrics) != 0 {
		t.Errorf("read through links: %d stories, %d pages, %d metrics", len(src.Stories), len(src.Pages), len(src.Metrics))
	}
	// A linked site.yaml.
	fsys = fstest.MapFS{"real.yaml": {Data: []byte("title: x\n")}, ConfigFile: link("real.yaml")}
	_, errs = Dir(fsys)
	checkErrs(t, errs, "site.yaml: is a link, not a regular file")
}

// TestDirRepeatable checks that Dir can run twice and in parallel on the
// same files with the same result (no package state).
func TestDirRepeatable(t *testing.T) {
	files := map[string]string{
		MetricsFile:                "id,name,perspective,level,unit,direction\nx,X,impact,impact,%,up\n",
		"data/observations/a.csv":  "metric,period,value\nx,2025,1\ny,2025,1\n",
		"content/stories/a.md":     "---\ntitle: A\ndate: 2026-01-01\n---\n",
		"content/stories/b.md":     "no front matter",
		PartnersFile:               "- id: p\n  name: P\n  sector: civil\n",
		"content/newsletter/x.md":  "",
		"content/pages/about.md":   "---\ntitle: About\n---\n",
		"data/observations/b.csv":  "period,x\n2026,2\n",
		"data/observations/c.csv":  "period,x\n2026-13,2\n",
		"content/stories/c.md":     "---\ntitle: C\n---\n",
		"content/stories/d.md":     "---\ntitle: D\ndate: 2026-01-01\nslug: Bad Slug\n---\n",
		"content/stories/e.md":     "---\ntitle: E\ndate: 2026-01-01\n---\n",
		"data/observations/d.csv":  "metric,period,value\nx,2025-Q1,\"1,5\"\n",
		"content/stories/f f f.md": "---\ntitle: F\ndate: 2026-01-01\n---\n",
	}
	_, first := loadFiles(t, files)
	if len(first) != 7 {
		t.Fatalf("%d problems, want 7:\n%v", len(first), first)
	}
	for i := 0; i < 8; i++ {
		t.Run("run", func(t *testing.T) {
			t.Parallel()
			_, again := loadFiles(t, files)
			if again.Error() != first.Error() {
				t.Errorf("second run differs:\n%v\nfirst:\n%v", again, first)
			}
		})
	}
}
