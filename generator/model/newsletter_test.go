package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

func ymd(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func per(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// assemblySite is a small partnership over three months, with a story of
// every kind and every way of being held back.
func assemblySite(t *testing.T, now string, drafts bool) *Site {
	t.Helper()
	st := func(slug, date string, kind Kind, mod func(*Story)) *Story {
		s := &Story{Path: "content/stories/" + slug + ".md", Section: "stories", Slug: slug, Title: "Story " + slug, Date: ymd(date), Kind: kind}
		if mod != nil {
			mod(s)
		}
		return s
	}
	approved := func(partner string) func(*Story) {
		return func(s *Story) {
			s.Partners = []string{partner}
			s.Approvals = []Approval{{Partner: partner, By: "Pat", Date: ymd("2025-01-01"), Fingerprint: (&Site{}).Fingerprint(s)}} // the stories cite no metrics: no site data needed
		}
	}
	in := &Input{
		Config: Config{Title: "Test", BaseURL: "https://t.example/", Newsletter: NewsletterConf{From: "T <t@t.example>"}},
		Partners: []*Partner{
			{ID: "acme", Name: "Acme Water", SpotlightConsent: true, Joined: ymd("2020-01-01")},
			{ID: "civic", Name: "Civic Trust", SpotlightConsent: true, Joined: ymd("2021-01-01")},
			{ID: "shy", Name: "Shy Org", SpotlightConsent: false, Joined: ymd("2019-01-01")},
		},
		Governance: Governance{Communication: Communication{ApprovalRequired: true, ExemptKinds: []Kind{KindLesson}}},
		Metrics: []*Metric{
			{ID: "coverage", Name: "Coverage", Unit: "%", Baseline: num(70), Target: num(90)},
			{ID: "cases", Name: "Cases", Unit: "cases", Down: true, Baseline: num(10), Target: num(0)},
			{ID: "hours", Name: "Hours", Unit: "hours"}, // no target: ranked by relative change
			{ID: "flat", Name: "Flat", Unit: "", Baseline: num(1), Target: num(2)},
			{ID: "yearly", Name: "Yearly", Unit: "EUR", Baseline: num(100), Target: num(200)},
		},
		Observations: []Observation{
			{Metric: "coverage", Period: per("2025-Q1"), Value: 75}, {Metric: "coverage", Period: per("2025-Q2"), Value: 76},
			{Metric: "coverage", Period: per("2025-Q3"), Value: 80},
			{Metric: "cases", Period: per("2025-Q1"), Value: 6}, {Metric: "cases", Period: per("2025-Q2"), Value: 3},
			{Metric: "hours", Period: per("2025-Q1"), Value: 100}, {Metric: "hours", Period: per("2025-Q2"), Value: 110},
			{Metric: "hours", Period: per("2025-Q3"), Value: 121},
			{Metric: "flat", Period: per("2025-Q2"), Value: 1.5}, {Metric: "flat", Period: per("2025-Q3"), Value: 1.5},
			{Metric: "yearly", Period: per("2023"), Value: 100}, {Metric: "yearly", Period: per("2024"), Value: 190},
		},
		Decisions: []*Decision{
			{ID: "old-due", Decision: "Old and due", Date: ymd("2024-01-10"), RevisitOn: ymd("2025-06-30")},
			{ID: "soon", Decision: "Up soon", Date: ymd("2024-05-01"), RevisitOn: ymd("2025-11-20")},
			{ID: "later", Decision: "Up later", Date: ymd("2024-05-02"), RevisitOn: ymd("2026-06-01")},
			{ID: "new-oct", Decision: "Taken in October", Date: ymd("2025-10-08")},
			{ID: "future", Decision: "Not taken yet", Date: ymd("2025-12-20"), RevisitOn: ymd("2025-12-21")},
		},
		Stories: []*Story{
			st("oct-story", "2025-10-03", KindStory, approved("acme")),
			st("oct-lesson", "2025-10-20", KindLesson, nil),
			st("oct-roi", "2025-10-12", KindROI, approved("civic")),
			st("oct-draft", "2025-10-05", KindLesson, func(s *Story) { s.Draft = true }),
			st("oct-embargoed", "2025-10-06", KindLesson, func(s *Story) { s.EmbargoUntil = ymd("2026-01-01") }),
			st("oct-lifts-nov", "2025-10-10", KindLesson, func(s *Story) { s.EmbargoUntil = ymd("2025-11-03") }),
			st("oct-unapproved", "2025-10-07", KindStory, func(s *Story) { s.Partners = []string{"acme"} }),
			st("oct-spotlight", "2025-10-09", KindSpotlight, func(s *Story) {
				s.Spotlight = "civic"
				approved("civic")(s)
			}),
			st("sep-lesson", "2025-09-15", KindLesson, nil),
			st("nov-lesson", "2025-11-02", KindLesson, nil),
			st("nov-late", "2025-11-28", KindLesson, nil), // after now in the November build
			st("dec-lesson", "2025-12-01", KindLesson, nil),
		},
		Newsletters: []*Newsletter{
			{Path: "content/newsletter/2025-11.md", Month: per("2025-11"), Subject: "November", Date: ymd("2025-11-25"),
				Items: []string{"sep-lesson", "oct-draft", "no-such-story", "sep-lesson"}, Lines: map[string]diag.Pos{}},
			{Path: "content/newsletter/2025-10.md", Month: per("2025-10"), Subject: "October", Date: ymd("2025-10-24"),
				Spotlight: "civic", Lines: map[string]diag.Pos{}},
			{Path: "content/newsletter/2025-12.md", Month: per("2025-12"), Subject: "December", Lines: map[string]diag.Pos{}},
		},
	}
	site, errs := New(in, Options{Now: ymd(now).Add(24*time.Hour - time.Second), Drafts: drafts})
	if errs.HasErrors() {
		t.Fatalf("the test site has errors:\n%v", errs)
	}
	return site
}

// describe writes an issue as the golden lines compare it.
func describe(is *Issue) string {
	var b strings.Builder
	slugs := func(l []*Story) string {
		var out []string
		for _, s := range l {
			out = append(out, s.Slug)
		}
		if len(out) == 0 {
			return "-"
		}
		return strings.Join(out, ", ")
	}
	one := func(s *Story) string {
		if s == nil {
			return "-"
		}
		return s.Slug
	}
	fmt.Fprintf(&b, "%s %q sent %s", is.Month, is.Subject, is.Date.Format("2006-01-02"))
	if is.Preview {
		b.WriteString(" (preview)")
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  roi:       %s\n", one(is.ROI))
	fmt.Fprintf(&b, "  picked:    %s\n", slugs(is.Picked))
	fmt.Fprintf(&b, "  stories:   %s\n", slugs(is.Stories))
	sp := "-"
	if is.Spotlight != nil {
		sp = is.Spotlight.ID + " (story: " + one(is.SpotlightStory) + ")"
	}
	fmt.Fprintf(&b, "  spotlight: %s\n", sp)
	fmt.Fprintf(&b, "  as of:     %s\n", is.AsOf)
	for _, m := range is.Movers {
		fmt.Fprintf(&b, "  mover:     %s %s→%s %s→%s (score %.3f)\n", m.Metric.ID, FormatNumber(m.From.Value), FormatNumber(m.To.Value), m.From.Period, m.To.Period, m.Score)
	}
	if !is.NoNewFigures.IsZero() {
		fmt.Fprintf(&b, "  movers:    none new since %s\n", is.NoNewFigures)
	}
	why := map[DecisionWhy]string{Decided: "decided", Due: "due", Upcoming: "upcoming"}
	for _, d := range is.Decisions {
		fmt.Fprintf(&b, "  decision:  %s %s\n", why[d.Why], d.ID)
	}
	return b.String()
}

func TestAssembly(t *testing.T) {
	site := assemblySite(t, "2025-11-27", false)
	issues, errs := site.Issues()
	var got strings.Builder
	for _, is := range issues {
		got.WriteString(describe(is))
	}
	want := `2025-11 "November" sent 2025-11-25
  roi:       -
  picked:    sep-lesson
  stories:   nov-lesson, oct-lifts-nov
  spotlight: acme (story: -)
  as of:     2025-Q3
  movers:    none new since 2025-10
  decision:  due old-due
  decision:  due soon
2025-10 "October" sent 2025-10-24
  roi:       oct-roi
  picked:    -
  stories:   oct-lesson, oct-story
  spotlight: civic (story: oct-spotlight)
  as of:     2025-Q3
  mover:     coverage 76→80 2025-Q2→2025-Q3 (score 0.200)
  mover:     hours 110→121 2025-Q2→2025-Q3 (score 0.100)
  decision:  decided new-oct
  decision:  due old-due
  decision:  upcoming soon
`
	if got.String() != want {
		t.Errorf("assembly:\n%s\nwant:\n%s", got.String(), want)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	for _, w := range []string{
		`content/newsletter/2025-11.md:1: the issue picks story "no-such-story", which is not in content/stories`,
		`content/newsletter/2025-11.md:1: warning: the issue leaves out "oct-draft": it is held back (it is a draft)`,
	} {
		found := false
		for _, m := range msgs {
			found = found || strings.HasPrefix(m, w)
		}
		if !found {
			t.Errorf("problems lack %q:\n%s", w, strings.Join(msgs, "\n"))
		}
	}
}

// TestAssemblyNeverIncludesHeldStories holds in a --drafts build too.
func TestAssemblyNeverIncludesHeldStories(t *testing.T) {
	for _, drafts := range []bool{false, true} {
		site := assemblySite(t, "2025-12-31", drafts)
		issues, _ := site.Issues()
		if len(issues) != 3 {
			t.Fatalf("drafts %v: %d issues, want 3", drafts, len(issues))
		}
		for _, is := range issues {
			d := describe(is)
			for _, held := range []string{"oct-draft", "oct-embargoed", "oct-unapproved"} {
				if strings.Contains(d, held) {
					t.Errorf("drafts %v: issue %s includes held story %s:\n%s", drafts, is.Month, held, d)
				}
			}
		}
	}
}

// TestAssemblyPreviews: an issue dated after now is a preview, shown only
// by a --drafts build; a story published after the issue's date but in its
// month lands in it once it is public.
func TestAssemblyPreviews(t *testing.T) {
	site := assemblySite(t, "2025-11-26", false)
	issues, _ := site.Issues()
	if len(issues) != 2 {
		t.Fatalf("%d issues, want 2 (December is not due)", len(issues))
	}
	if strings.Contains(describe(issues[0]), "nov-late") {
		t.Error("a story dated after now landed in an issue")
	}
	site = assemblySite(t, "2025-11-30", false)
	issues, _ = site.Issues()
	if d := describe(issues[0]); !strings.Contains(d, "nov-late") {
		t.Errorf("a public story of the month is missing:\n%s", d)
	}
	site = assemblySite(t, "2025-11-26", true)
	issues, _ = site.Issues()
	if len(issues) != 3 || !issues[0].Preview || issues[0].Month != per("2025-12") {
		t.Fatalf("a drafts build should preview December first, got %d issues", len(issues))
	}
	if _, _, err := site.Issue("2025-13"); err == nil {
		t.Error("2025-13 is not a month")
	}
	if _, _, err := site.Issue("2026-01"); err == nil || !strings.Contains(err.Error(), "the issues are 2025-10, 2025-11, 2025-12") {
		t.Errorf("missing issue: %v", err)
	}
}

func TestAssemblySpotlightNeedsConsent(t *testing.T) {
	site := assemblySite(t, "2025-11-27", false)
	site.Newsletters[0].Spotlight, site.Newsletters[0].SpotlightPartner = "shy", "shy"
	is, errs := site.Assemble(site.Newsletters[0])
	if is.Spotlight != nil || !errs.HasErrors() || !strings.Contains(errs.Error(), "has not consented") {
		t.Errorf("spotlight %v, problems %v", is.Spotlight, errs)
	}
}

func TestMetricAsOf(t *testing.T) {
	site := assemblySite(t, "2025-11-27", false)
	m := site.Metric("coverage").AsOf(ymd("2025-09-29"))
	if l, _ := m.Latest(); l.Period != per("2025-Q2") {
		t.Errorf("as of 29 September the latest is %s, want 2025-Q2 (Q3 has not ended)", l.Period)
	}
	if l, _ := site.Metric("coverage").Latest(); l.Period != per("2025-Q3") {
		t.Error("AsOf changed the metric itself")
	}
}

func TestCheckNewsletter(t *testing.T) {
	site := assemblySite(t, "2025-11-27", false)
	if l := site.CheckNewsletter(); l.HasErrors() {
		t.Errorf("a complete configuration: %v", l)
	}
	site.Config.BaseURL, site.Config.Newsletter.From = "", ""
	site.Config.Newsletter.Unsubscribe = "javascript:alert(1)"
	l := site.CheckNewsletter()
	for _, want := range []string{"needs base_url", "needs a sender", "is not an https: or mailto: address", "no postal address"} {
		if !strings.Contains(l.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, l)
		}
	}
	site.Newsletters = nil
	if l := site.CheckNewsletter(); len(l) != 0 {
		t.Errorf("a site without issues needs no newsletter settings: %v", l)
	}
}
