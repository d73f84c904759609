package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
)

// protocolSite is a small site with two partners, approval required and
// lessons exempt.
func protocolSite(t *testing.T, stories map[string]string) string {
	files := map[string]string{
		"site.yaml": "title: Protocol test\nbase_url: https://p.example/\n",
		"data/partners.yaml": "- {id: acme, name: Acme Water, sector: private, role: member, spotlight_consent: true, joined: 2024-01-01}\n" +
			"- {id: civic, name: Civic Trust, sector: civil, role: member, spotlight_consent: true, joined: 2024-02-01}\n",
		"data/governance.yaml": "roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n  exempt_kinds: [lesson]\n",
		"data/decisions.yaml":  "- {id: go-ahead, date: 2025-01-10, decision: Go ahead with the pilot}\n",
	}
	for name, body := range stories {
		files["content/stories/"+name] = body
	}
	return writeSite(t, files)
}

func story(title, date, extra, body string) string {
	return "---\ntitle: " + title + "\ndate: " + date + "\n" + extra + "---\n" + body + "\n"
}

// TestHeldContentReachesNoOutput plants a unique token in every kind of
// story that must stay private and checks that no output file holds it.
func TestHeldContentReachesNoOutput(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	const token = "ZEBRA-7f3c9-TOKEN"
	src := protocolSite(t, map[string]string{
		"public.md":      story("Public story", "2025-03-01", "kind: lesson\n", "A lesson for everyone. See [the plan](/stories/embargoed/)."),
		"embargoed.md":   story("Embargoed "+token, "2025-03-01", "embargo_until: 2025-12-01\nkind: lesson\ntags: ["+token+"]\n", "Secret "+token),
		"future.md":      story("Future "+token, "2025-09-01", "kind: lesson\n", "Not yet "+token),
		"draft.md":       story("Draft "+token, "2025-03-01", "draft: true\nkind: lesson\n", "Draft "+token),
		"unapproved.md":  story("Unapproved "+token, "2025-03-01", "partners: [acme]\n", "Acme did a thing "+token),
		"mentioned.md":   story("Mention "+token, "2025-03-01", "", "Working with Civic Trust on "+token),
		"changed.md":     story("Changed "+token, "2025-03-01", "partners: [acme]\n", "Original text "+token),
		"spotlit.md":     story("Spotlight "+token, "2025-03-01", "kind: spotlight\nspotlight: civic\n", "All about them "+token),
		"approved-ok.md": story("Approved and public", "2025-03-01", "partners: [civic]\n", "Civic Trust helped."),
	})
	now := Day(2025, 6, 1)
	for _, a := range []struct{ file, partner string }{{"changed.md", "acme"}, {"approved-ok.md", "civic"}} {
		if _, err := Approve(Options{Source: src, Now: now}, Approval{Story: "content/stories/" + a.file, Partner: a.partner, By: "Pat Lee", On: now}); err != nil {
			t.Fatal(err)
		}
	}
	// Change the approved text afterwards.
	p := filepath.Join(src, "content/stories/changed.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(b, []byte("Original text"), []byte("Edited text"), 1), 0o644)

	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), Options{Source: src, Output: out, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Site.Stories) != 2 {
		var names []string
		for _, s := range res.Site.Stories {
			names = append(names, s.Slug)
		}
		t.Fatalf("want exactly the 2 public stories, got %v", names)
	}
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(token))) || decodedContains(path, b, token) {
			t.Errorf("%s contains the token of a held story", path)
		}
		for _, slug := range []string{"embargoed", "future", "draft", "unapproved", "mentioned", "changed", "spotlit"} {
			if bytes.Contains(b, []byte("/"+slug+"/")) || bytes.Contains(b, []byte("stories/"+slug)) ||
				decodedContains(path, b, "/"+slug+"/") || decodedContains(path, b, "stories/"+slug) {
				t.Errorf("%s links to held story %s", path, slug)
			}
		}
		return nil
	})
	// check explains each one.
	_, list := Check(context.Background(), Options{Source: src, Now: now})
	for _, want := range []string{
		"content/stories/embargoed.md:1: warning: held back: it is embargoed until 1 December 2025",
		"content/stories/future.md:1: warning: held back: it is dated 1 September 2025, after today",
		"content/stories/draft.md:1: warning: held back: it is a draft",
		"content/stories/unapproved.md:1: warning: held back: Acme Water has not approved it",
		"content/stories/mentioned.md:1: warning: held back: it names Civic Trust in its text, and Civic Trust has not approved it",
		"content/stories/changed.md:1: warning: held back: the text changed after Acme Water approved it on 1 June 2025",
		"content/stories/spotlit.md:1: warning: held back: Civic Trust has not approved it",
		"content/stories/public.md:6:28: warning: links to /stories/embargoed/, which is not public",
	} {
		if !containsMsg(list, want) {
			t.Errorf("check lacks %q in:\n%v", want, list)
		}
	}
	if next := res.Site.NextLift(); next.Format("2006-01-02") != "2025-09-01" {
		t.Errorf("next lift = %s, want 2025-09-01", next.Format("2006-01-02"))
	}
	// A preview build shows them, marked.
	prev := filepath.Join(t.TempDir(), "preview")
	if _, err := Build(context.Background(), Options{Source: src, Output: prev, Now: now, Drafts: true}); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(prev, "stories", "changed", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("Preview: not public")) {
		t.Errorf("--drafts build should show held stories as previews")
	}
}

func TestApproveYAMLAndTOML(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"y.md": story("Yaml story", "2025-03-01", "partners: [acme]\n# a comment that must survive\napproved_by:\n  - partner: acme\n    by: Old Name\n    on: 2025-01-01\n", "Body."),
		"t.md": "+++\ntitle = \"Toml story\"\ndate = 2025-03-01\npartners = [\"acme\", \"civic\"]\n# keep me\n+++\nBody with Civic Trust.\n",
	})
	now := Day(2025, 6, 1)
	for _, s := range []string{"y.md", "t.md"} {
		if _, err := Approve(Options{Source: src}, Approval{Story: filepath.Join(src, "content/stories", s), Partner: "acme", By: "Pat Lee", On: now}); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if _, err := Approve(Options{Source: src}, Approval{Story: "content/stories/t.md", Partner: "civic", By: "Sam Roe", On: now}); err != nil {
		t.Fatal(err)
	}
	y, _ := os.ReadFile(filepath.Join(src, "content/stories/y.md"))
	if !bytes.Contains(y, []byte("# a comment that must survive")) || bytes.Contains(y, []byte("Old Name")) || bytes.Count(y, []byte("fingerprint: v2:")) != 1 {
		t.Errorf("YAML front matter after approve:\n%s", y)
	}
	tm, _ := os.ReadFile(filepath.Join(src, "content/stories/t.md"))
	if !bytes.Contains(tm, []byte("# keep me")) || bytes.Count(tm, []byte("[[approved_by]]")) != 2 {
		t.Errorf("TOML front matter after approve:\n%s", tm)
	}
	site, errs := Load(Options{Source: src, Now: now})
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	if len(site.Stories) != 2 {
		t.Errorf("both stories should be public after approval; held: %v", heldReasons(site))
	}
	// Errors a person can act on.
	for _, tc := range []struct {
		a    Approval
		want string
	}{
		{Approval{Story: "content/stories/y.md", Partner: "acme", By: ""}, "--by NAME"},
		{Approval{Story: "content/stories/y.md", Partner: "acm", By: "X"}, `partner "acm" is not in data/partners.yaml (did you mean "acme"?)`},
		{Approval{Story: "content/stories/y.md", Partner: "civic", By: "X"}, "does not name Civic Trust"},
		{Approval{Story: "content/stories/nope.md", Partner: "acme", By: "X"}, "is not a story of the site"},
		{Approval{Story: "/etc/passwd", Partner: "acme", By: "X"}, "not inside the site folder"},
	} {
		if _, err := Approve(Options{Source: src}, tc.a); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Approve(%+v) = %v, want %q", tc.a, err, tc.want)
		}
	}
}

func heldReasons(s *model.Site) []string {
	var out []string
	for _, h := range s.Held {
		out = append(out, h.Path+": "+strings.Join(h.Held, "; "))
	}
	return out
}

func TestDecisionLinks(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"a.md": story("Lesson", "2025-03-01", "kind: lesson\n", "We [decided](decision:go-ahead) to start."),
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "stories/a/index.html"))
	if !bytes.Contains(b, []byte(`<a href="../../decisions/#go-ahead">decided</a>`)) {
		t.Errorf("decision link not rendered: %s", b)
	}
	d, _ := os.ReadFile(filepath.Join(out, "decisions/index.html"))
	if !bytes.Contains(d, []byte(`id="go-ahead"`)) {
		t.Error("the decision log lacks the anchor")
	}
	src = protocolSite(t, map[string]string{
		"a.md": story("Lesson", "2025-03-01", "kind: lesson\n", "Intro.\n\nWe [decided](decision:go-ahed) to start."),
	})
	_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow})
	if err == nil || !strings.Contains(err.Error(), `content/stories/a.md:8:4: decision "go-ahed" is not in data/decisions.yaml (did you mean "go-ahead"?)`) {
		t.Errorf("unknown decision: %v", err)
	}
}

// TestSpotlightRotationOverAYear simulates twelve monthly issues: every
// consenting partner is featured before anyone is featured twice, partners
// without consent never are, and ties go to the earliest joiner.
func TestSpotlightRotationOverAYear(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	partners := []*model.Partner{
		{ID: "a", SpotlightConsent: true, Joined: d("2023-05-01")},
		{ID: "b", SpotlightConsent: true, Joined: d("2022-01-01")},
		{ID: "c", SpotlightConsent: false, Joined: d("2021-01-01")},
		{ID: "d", SpotlightConsent: true, Joined: d("2023-05-01")},
		{ID: "e", SpotlightConsent: true, Joined: d("2025-06-15")},                        // joins mid-year
		{ID: "f", SpotlightConsent: true, Joined: d("2020-01-01"), Left: d("2025-03-01")}, // leaves early
	}
	last := map[string]model.Recognition{"d": {Date: d("2024-12-01")}}
	var got []string
	for m := 1; m <= 12; m++ {
		at := time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		p := model.PickSpotlight(partners, last, at)
		if p == nil {
			t.Fatalf("month %d: no partner picked", m)
		}
		got = append(got, p.ID)
		last[p.ID] = model.Recognition{Date: at}
	}
	// f (joined first, never featured), then b, then a (ties with d on
	// joined date, but d was featured in December), then d; f has left by
	// May; e, never featured, goes first once it has joined in June.
	want := "[f b a d b a e d b a e d]"
	if fmt.Sprint(got) != want {
		t.Errorf("rotation = %v, want %s", got, want)
	}
	for _, id := range got {
		if id == "c" {
			t.Error("a partner without consent was featured")
		}
	}
}

func TestExampleSpotlightsAndMembership(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	site, errs := Load(Options{Source: exampleDir, Now: exampleNow})
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	if p := site.Spotlight(); p == nil || !p.SpotlightConsent {
		t.Fatalf("home spotlight = %v", p)
	}
	for _, n := range site.Newsletters {
		if n.SpotlightPartner == "" {
			t.Errorf("newsletter %s has no spotlight", n.Month)
		}
	}
	share, joined, left, base := site.Turnover(exampleNow)
	if joined != 1 || left != 1 || base != 9 || share < 0.22 || share > 0.23 {
		t.Errorf("turnover = %.3f (joined %d, left %d, base %d), want 2/9", share, joined, left, base)
	}
	out, _ := builtExample(t, "")
	gov, _ := os.ReadFile(filepath.Join(out, "governance/index.html"))
	if !bytes.Contains(gov, []byte("due for a relaunch")) {
		t.Error("/governance/ should say the team is due for a relaunch")
	}
	partners, _ := os.ReadFile(filepath.Join(out, "partners/index.html"))
	if !bytes.Contains(partners, []byte("Last recognised")) || !bytes.Contains(partners, []byte("Next in line")) {
		t.Error("/partners/ should show when partners were last recognised and who is next")
	}
	join, err := os.ReadFile(filepath.Join(out, "join/index.html"))
	if err != nil || !bytes.Contains(join, []byte("You give")) || !bytes.Contains(join, []byte("You get")) {
		t.Error("/join/ should show what a new partner gives and gets")
	}
}
