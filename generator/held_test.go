package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// heldSite is figureSite's data with a governance that requires approval,
// a public lesson, and the stories given.
func heldSite(t *testing.T, stories map[string]string) string {
	files := map[string]string{
		"site.yaml": "title: Test\nbase_url: https://t.example/\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
			"people_reached,People reached,impact,output,people,up,100,900,2027-Q4,Register,People reached\n",
		"data/observations/q.csv":   "period,people_reached\n2025-Q1,200\n2025-Q2,300\n2025-Q3,450\n",
		"data/partners.yaml":        "- {id: acme, name: Acme Water, sector: private, role: member, joined: 2024-01-01}\n",
		"data/governance.yaml":      "roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n  exempt_kinds: [lesson]\n",
		"data/decisions.yaml":       "- {id: go-ahead, date: 2025-01-10, decision: Go ahead with the pilot}\n",
		"content/stories/public.md": "---\ntitle: Public\ndate: 2025-10-01\nkind: lesson\n---\nWe reached {{people_reached}} people.\n",
	}
	for name, body := range stories {
		files["content/stories/"+name] = body
	}
	return writeSite(t, files)
}

// TestHeldStoryErrorsAreErrors checks that the figures, references and ROI
// declarations of a story held back for any reason are checked, and that
// their problems are errors for check and for build. On the old code a
// held story was not converted: check said "ok" and the build succeeded,
// and failed only once the partner had approved the text.
func TestHeldStoryErrorsAreErrors(t *testing.T) {
	holds := []struct{ name, front string }{
		{"awaiting approval", "date: 2025-10-01\npartners: [acme]\n"},
		{"draft", "date: 2025-10-01\ndraft: true\nkind: lesson\n"},
		{"embargoed", "date: 2025-10-01\nembargo_until: 2026-12-15T07:30:00-08:00\nkind: lesson\n"},
		{"future", "date: 2027-01-01\nkind: lesson\n"},
	}
	problems := []struct {
		name, body string
		line       int // in the body, from 0
		want       string
	}{
		{"misspelt metric", "Intro.\n\nWe reached {{people_reachd}} people.\n", 2, `metric "people_reachd" is not in data/metrics.csv`},
		{"bad view", "We reached {{people_reached colour}}.\n", 0, `{{people_reached colour}}: "colour" is not a figure view`},
		{"no value at the period", "We reached {{people_reached @2024-Q1}}.\n", 0, `metric "people_reached" has no value for 2024-Q1`},
		{"unknown decision", "Intro.\n\nAs [decided](decision:go-ahed).\n", 2, `decision "go-ahed" is not in data/decisions.yaml`},
	}
	for _, h := range holds {
		for _, p := range problems {
			t.Run(h.name+"/"+p.name, func(t *testing.T) {
				front := "---\ntitle: Held\n" + h.front + "---\n"
				line := strings.Count(front, "\n") + 1 + p.line
				src := heldSite(t, map[string]string{"held.md": front + p.body})

				res, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
				if res.Site == nil || len(res.Site.Held) != 1 {
					t.Fatalf("the story is not held: %v", list)
				}
				found := false
				for _, e := range list.Errors() {
					if e.Pos.File == "content/stories/held.md" && e.Pos.Line == line && strings.Contains(e.Msg, p.want) {
						found = true
					}
				}
				if !found {
					t.Errorf("check says\n%v\nwant the error at line %d: %s", list, line, p.want)
				}
				out := filepath.Join(t.TempDir(), "out")
				if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err == nil || !strings.Contains(err.Error(), p.want) {
					t.Errorf("build: %v\nwant the error %s", err, p.want)
				}
				if _, err := os.Stat(out); err == nil {
					t.Error("a failed build wrote output")
				}
			})
		}
	}
}

// TestHeldROIFiguresAreChecked checks a held ROI story's {{roi:…}} figures
// and its declarations against the data.
func TestHeldROIFiguresAreChecked(t *testing.T) {
	front := strings.Replace(roiFront, "kind: roi\n", "kind: roi\ndraft: true\n", 1)
	for _, tc := range []struct{ front, body, want string }{
		{front, "The cost was {{roi:totl}}.\n", "roi:totl"},
		{strings.Replace(front, "{metric: dropout,", "{metric: dropot,", 1), "Body.\n", `"dropot"`},
	} {
		_, list := Check(context.Background(), Options{Source: roiSite(t, tc.front, tc.body, nil), Now: exampleNow})
		if !strings.Contains(list.Errors().Error(), tc.want) {
			t.Errorf("check says\n%v\nwant an error about %s", list, tc.want)
		}
	}
}

// TestHeldStoryLeavesNoTrace builds a site with and without a held story
// whose figures, charts, links and decision references are all correct:
// the two outputs are identical, byte for byte. The held story is checked,
// but nothing of it is written.
func TestHeldStoryLeavesNoTrace(t *testing.T) {
	held := "---\ntitle: Held ZEBRA\ndate: 2025-10-01\npartners: [acme]\ntags: [zebra]\n---\n" +
		"Acme reached {{people_reached}} people ({{people_reached change}}), as [decided](decision:go-ahead).\n\n" +
		"{{people_reached chart}}\n\n{{people_reached sparkline}}\n\nSee [the lesson](/stories/public/).\n"
	with := heldSite(t, map[string]string{"held.md": held})
	without := heldSite(t, nil)
	outs := make([]string, 2)
	for i, src := range []string{with, without} {
		outs[i] = filepath.Join(t.TempDir(), "out")
		res, err := Build(context.Background(), Options{Source: src, Output: outs[i], Now: exampleNow})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && len(res.Site.Held) != 1 {
			t.Fatalf("the story is not held")
		}
	}
	// The partner's share kit, which copies its stories' texts out, is
	// among the files compared.
	if _, err := os.Stat(filepath.Join(outs[0], "partners", "acme", "kit", "index.html")); err != nil {
		t.Errorf("no kit for the partner the held story names: %v", err)
	}
	if a, b := hashTree(t, outs[0]), hashTree(t, outs[1]); a != b {
		t.Errorf("the output with a held story differs from the output without it")
	}
	_, list := Check(context.Background(), Options{Source: with, Now: exampleNow})
	if list.HasErrors() {
		t.Errorf("a correct held story has errors: %v", list)
	}
}

// TestHeldSlugCollision checks a held story whose address is a public
// story's: a warning in a public build, which goes on; an error in a
// --drafts build. On the old code it stopped the public build.
func TestHeldSlugCollision(t *testing.T) {
	for _, order := range []string{"a-held.md", "z-held.md"} { // before and after the public story in file order
		src := heldSite(t, map[string]string{order: "---\ntitle: Draft\ndate: 2025-10-02\nkind: lesson\ndraft: true\nslug: public\n---\nA draft.\n"})
		const msg = "has the same web address (/stories/public/) as content/stories/public.md"

		out := filepath.Join(t.TempDir(), "out")
		res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow})
		if err != nil {
			t.Fatalf("%s: the public build stopped: %v", order, err)
		}
		if !hasLine(res.Warnings, "content/stories/"+order+":6:1: warning: content/stories/"+order+" "+msg) {
			t.Errorf("%s: no warning about the address in %v", order, res.Warnings)
		}
		b, err := os.ReadFile(filepath.Join(out, "stories", "public", "index.html"))
		if err != nil || !strings.Contains(string(b), "<h1") || strings.Contains(string(b), "A draft.") || !strings.Contains(string(b), "people") {
			t.Errorf("%s: /stories/public/ is not the public story (%v)", order, err)
		}
		_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
		if list.HasErrors() {
			t.Errorf("%s: check: %v", order, list.Errors())
		}

		_, err = Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow, Drafts: true})
		if err == nil || !strings.Contains(err.Error(), "content/stories/"+order+":6:1: content/stories/"+order+" "+msg) {
			t.Errorf("%s: --drafts build: %v, want the error", order, err)
		}
	}
	// Two public stories with one address stay an error.
	src := heldSite(t, map[string]string{"twin.md": "---\ntitle: Twin\ndate: 2025-10-02\nkind: lesson\nslug: public\n---\nTwin.\n"})
	if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow}); err == nil || !strings.Contains(err.Error(), "has the same web address") {
		t.Errorf("two public stories with one address: %v", err)
	}
}

// TestHeldStoryWarnings checks that a held story's warnings are reported
// as a preview's are: a link to no story is; a link to another held story,
// which a preview keeps, is not.
func TestHeldStoryWarnings(t *testing.T) {
	src := heldSite(t, map[string]string{
		"held.md":  "---\ntitle: Held\ndate: 2025-10-01\ndraft: true\nkind: lesson\n---\nSee [this](/stories/nope/) and [that](/stories/other/).\n",
		"other.md": "---\ntitle: Other\ndate: 2025-10-01\ndraft: true\nkind: lesson\n---\nOther.\n",
	})
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	if list.HasErrors() {
		t.Fatal(list.Errors())
	}
	var got []string
	for _, w := range list.Warnings() {
		if w.Pos.File == "content/stories/held.md" && w.Pos.Line == 7 {
			got = append(got, w.Msg)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "links to /stories/nope/, but there is no such story") {
		t.Errorf("warnings at the links: %q", got)
	}
}
