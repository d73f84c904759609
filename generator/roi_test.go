package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/render/card"
)

// roiFront is the front matter of the ROI fixture, line by line: the line
// numbers in the error cases below count from here (line 1 is "---").
//
// The figures, checked by hand: the council puts in €6,000 cash, the
// clinic 100 hours at €40 (€4,000), the parents 30 + 50 volunteer hours
// at €25 (€2,000): €12,000 in all. Shares 50 %, 33 %, 17 %; leverage
// (12,000 − 6,000) / 6,000 = €1, 8,000 / 4,000 = €2, 10,000 / 2,000 = €5.
// The clinic's doses rise from 100 + 120 = 220 to 150 + 170 = 320: +100,
// €12,000 / 100 = €120 a dose. Dropout falls from 10 % to 8 %: −2 points,
// €6,000 a point.
const roiFront = `---
title: What the trial returned
date: 2025-12-01
summary: A trial and what it cost.
kind: roi
partners: [council, clinic, parents]
investment:
  from: 2025-Q3
  to: 2025-Q4
  cash:
    - {partner: council, amount: 6000, note: Fuel}
  in_kind:
    - {partner: clinic, hours: 100, rate: 40, note: Nurse time}
    - {partner: parents, metric: vol_hours, rate: 25, note: Volunteers}
results:
  - {metric: doses, partner: clinic, from: 2025-Q1..2025-Q2, to: 2025-Q3..2025-Q4}
  - {metric: dropout, from: 2025-Q2, to: 2025-Q4}
returns:
  - {partner: parents, got: A say in clinic hours}
headline: doses cost
---
`

// roiBody starts at line 22 of the story.
const roiBody = `## The people

Families in the hills.

## The obstacle

Weekday hours.

## What we did

Together we put in {{roi:total}}; the council {{roi:council share}}.
For each euro from the council the others added {{roi:council leverage}}.

## The result

Doses rose {{roi:doses change}} ({{roi:doses percent}}), at {{roi:doses cost}}.
Dropout fell {{roi:dropout}}.

## For each partner

The parents gave {{roi:parents hours}}.
`

func roiSite(t *testing.T, front, body string, extra map[string]string) string {
	t.Helper()
	files := map[string]string{
		"site.yaml": "title: Valley Trial\nbase_url: https://t.example/\ncurrency: EUR\naccent: \"#aa0000\"\n",
		"data/partners.yaml": "- {id: council, name: River Council, sector: public}\n" +
			"- {id: clinic, name: Lake Clinic, sector: community}\n" +
			"- {id: parents, name: Parents Circle, sector: community}\n" +
			"- {id: outsider, name: Outsider Ltd, sector: private}\n",
		"data/metrics.csv": "id,name,perspective,level,unit,direction,baseline,target\n" +
			"doses,Doses given,impact,output,doses,up,,\n" +
			"dropout,Dropout,impact,outcome,%,down,,\n" +
			"vol_hours,Volunteer hours,partnership,input,hours,up,,\n",
		"data/observations/long.csv": "metric,period,value,partner\n" +
			"doses,2025-Q1,100,clinic\ndoses,2025-Q2,120,clinic\ndoses,2025-Q3,150,clinic\ndoses,2025-Q4,170,clinic\n" +
			"dropout,2025-Q2,10,\ndropout,2025-Q4,8,\n" +
			"vol_hours,2025-Q3,30,parents\nvol_hours,2025-Q4,50,parents\n",
		"content/stories/roi.md":   front + body,
		"content/stories/plain.md": "---\ntitle: A plain story\ndate: 2025-12-02\nsummary: Doses rose.\n---\nDoses reached {{doses}}.\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return writeSite(t, files)
}

func buildROI(t *testing.T, src string, opt Options) (string, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	opt.Source, opt.Output, opt.Now, opt.NoMinify = src, out, exampleNow, true
	_, err := Build(context.Background(), opt)
	return out, err
}

func TestROIStory(t *testing.T) {
	out, err := buildROI(t, roiSite(t, roiFront, roiBody, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories", "roi", "index.html"))
	for _, want := range []string{
		// Figures cited in the prose, linked to the rows that hold them.
		`href="#roi-put-in" title="Put in by 3 partners: Cash and in kind, Q3–Q4 2025">€12,000</a>`,
		`href="#roi-p-council"`, `>50 %</a>`, `>€1.00</a>`,
		`>+100 doses</a>`, `>+45 %</a>`, `>€120 per extra dose</a>`, `>−2 points</a>`, `>80 hours</a>`,
		// The headline and the table of what each partner put in and got.
		`class="roi-headline-value" href="#roi-r-doses">€120 per extra dose</a>`,
		`<tr id="roi-p-clinic">`, `>€4,000</strong>`, `>33 %<`, `>€2.00<`,
		`<tr id="roi-p-parents">`, `>€5.00<`, `A say in clinic hours`,
		`<tr id="roi-total">`, `>€12,000</strong>`,
		`<tr id="roi-r-dropout">`, `€6,000 per point lower`,
		// Shareable: absolute addresses from the base URL.
		`<meta property="og:image" content="https://t.example/stories/roi/card.png">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta property="og:url" content="https://t.example/stories/roi/">`,
		`<textarea id="share-text"`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the ROI story page lacks %s", want)
		}
	}
	for _, bad := range []string{"NaN", "Inf", "{{roi:", "fig-error"} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the ROI story page shows %q", bad)
		}
	}
	ld := articleLD(t, page)
	if ld["@type"] != "Article" || ld["headline"] != "What the trial returned" || ld["url"] != "https://t.example/stories/roi/" ||
		ld["datePublished"] != "2025-12-01" {
		t.Errorf("JSON-LD: %v", ld)
	}
	if img, _ := ld["image"].([]any); len(img) == 0 || img[0] != "https://t.example/stories/roi/card.png" {
		t.Errorf("JSON-LD image: %v", ld["image"])
	}
	share := shareText(t, page)
	if n := utf8.RuneCountInString(share); n > 280 {
		t.Errorf("share text of %d characters: %q", n, share)
	}
	if !strings.Contains(share, "€120 per extra dose") || !strings.HasSuffix(share, " https://t.example/stories/roi/") {
		t.Errorf("share text %q lacks the figure or the link", share)
	}

	// The impact index leads each ROI story with its headline figure; the
	// plain story is not on it. Every page's navigation links to it.
	impact, err := os.ReadFile(filepath.Join(out, "impact", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`€120 per extra dose`, `What the trial returned`, `€12,000 put in by 3 partners, Q3–Q4 2025`} {
		if !strings.Contains(string(impact), want) {
			t.Errorf("/impact/ lacks %q", want)
		}
	}
	if strings.Contains(string(impact), "A plain story") {
		t.Error("/impact/ lists a story that is not an ROI story")
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !regexp.MustCompile(`<a href="stories/">Stories</a></li>\s*<li><a href="impact/">Impact</a>`).Match(home) {
		t.Error("the navigation has no Impact entry after Stories")
	}
	sitemap, _ := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	if !strings.Contains(string(sitemap), "<loc>https://t.example/impact/</loc>") {
		t.Error("the sitemap lacks /impact/")
	}

	// Every story has a social card; a plain story leads with the value of
	// the first metric it cites as of the story: dated 2 December 2025, the
	// latest quarter ended by then is Q3 2025 (Q4's data is later news).
	for _, slug := range []string{"roi", "plain"} {
		checkCard(t, filepath.Join(out, "stories", slug, "card.png"))
	}
	plain, _ := os.ReadFile(filepath.Join(out, "stories", "plain", "index.html"))
	if s := shareText(t, plain); s != "A plain story — Doses given, Q3 2025: 150 doses https://t.example/stories/plain/" {
		t.Errorf("plain share text %q", s)
	}
}

// articleLD returns the page's schema.org JSON-LD, decoded.
func articleLD(t *testing.T, page []byte) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD on the page")
	}
	var ld map[string]any
	if err := json.Unmarshal(m[1], &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	return ld
}

// shareText returns the ready-to-paste text on a story page.
func shareText(t *testing.T, page []byte) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<textarea id="share-text"[^>]*>(.*?)</textarea>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no share text on the page")
	}
	r := strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`, "&lt;", "<", "&gt;", ">")
	return r.Replace(string(m[1]))
}

// checkCard checks that a social card is a 1200 × 630 PNG with text drawn
// on it: dark pixels where the title is, accent pixels where the figure is.
func checkCard(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no social card: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if r := img.Bounds(); r.Dx() != card.Width || r.Dy() != card.Height {
		t.Errorf("%s is %dx%d, want 1200x630", path, r.Dx(), r.Dy())
	}
	dark, accent := 0, 0
	for y := 120; y < 480; y++ {
		for x := 96; x < 1104; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			switch {
			case r>>8 < 0x40 && g>>8 < 0x40 && b>>8 < 0x40:
				dark++
			case r>>8 > 0x90 && g>>8 < 0x20 && b>>8 < 0x20:
				accent++
			}
		}
	}
	if dark < 2000 || accent < 2000 {
		t.Errorf("%s: the text is not drawn (%d dark and %d accent pixels)", path, dark, accent)
	}
}

func TestROIErrors(t *testing.T) {
	tests := []struct {
		name        string
		front, body string
		want        string
		extra       map[string]string
	}{
		{"unknown partner", strings.Replace(roiFront, "{partner: council, amount: 6000", "{partner: councl, amount: 6000", 1), roiBody,
			`content/stories/roi.md:11:7: partner "councl" is not in data/partners.yaml (did you mean "council"?)`, nil},
		{"partner not in the story", strings.Replace(roiFront, "{partner: council, amount: 6000", "{partner: outsider, amount: 6000", 1), roiBody,
			`content/stories/roi.md:11:7: partner "outsider" is counted in this ROI story but is not in its partners list`, nil},
		{"claimed metric with no value", strings.Replace(roiFront, "to: 2025-Q4}", "to: 2025-Q3}", 1), roiBody,
			`content/stories/roi.md:17:38: metric "dropout" has no value for 2025-Q3`, nil},
		{"unknown metric", strings.Replace(roiFront, "{metric: dropout,", "{metric: dropuot,", 1), roiBody,
			`content/stories/roi.md:17:5: metric "dropuot" is not in data/metrics.csv (did you mean "dropout"?)`, nil},
		{"zero denominator", strings.Replace(roiFront, "amount: 6000", "amount: 0", 1), roiBody,
			`content/stories/roi.md:11:7: partner "council" puts in 0, so its leverage cannot be worked out (it would divide by zero)`, nil},
		{"zero change", strings.Replace(roiFront, "from: 2025-Q2, to: 2025-Q4}", "from: 2025-Q3, to: 2025-Q4}", 1), roiBody,
			`content/stories/roi.md:17:5: dropout did not change from Q3 2025 to Q4 2025 (8 % both times), so there is no cost per unit of change (it would divide by zero)`,
			map[string]string{"data/observations/more.csv": "metric,period,value\ndropout,2025-Q3,8\n"}},
		{"zero total", strings.Replace(strings.Replace(strings.Replace(roiFront, "amount: 6000", "amount: 0", 1), "hours: 100", "hours: 0", 1), "rate: 25", "rate: 0", 1), roiBody,
			`content/stories/roi.md:7:1: everything put in adds up to 0, so no share, leverage or cost per unit can be worked out (they would divide by zero)`, nil},
		{"bad span", strings.Replace(roiFront, "from: 2025-Q1..2025-Q2", "from: 2025-Q2..2025-Q1", 1), roiBody,
			`content/stories/roi.md:16:38: the result "doses", from: "2025-Q2..2025-Q1" ends before it starts`, nil},
		{"missing investment", roiFront[:strings.Index(roiFront, "investment:")] + roiFront[strings.Index(roiFront, "results:"):], roiBody,
			`content/stories/roi.md:5:1: an ROI story needs investment: in its front matter`, nil},
		{"misspelt investment", strings.Replace(roiFront, "investment:\n", "investmnt:\n", 1), roiBody,
			`content/stories/roi.md:7:1: unknown field "investmnt" (did you mean "investment"?)`, nil},
		{"ROI keys on another kind", strings.Replace(roiFront, "kind: roi", "kind: story", 1), "Plain.\n",
			"content/stories/roi.md:7:1: `investment:` belongs to ROI stories, but this story is of kind story", nil},
		{"bad headline", strings.Replace(roiFront, "headline: doses cost", "headline: council cost", 1), roiBody,
			`content/stories/roi.md:20:1: headline "council cost": {{roi:council cost}}: "cost" is not a view of a partner's figures`, nil},
		{"unknown ROI figure", roiFront, "Total {{roi:totl}}.\n",
			`content/stories/roi.md:22:7: {{roi:totl}}: "totl" is neither an ROI figure, a partner that put something in, nor a claimed result (did you mean "total"?)`, nil},
		{"figure of a partner that put nothing in", strings.Replace(roiFront, "partners: [council, clinic, parents]", "partners: [council, clinic, parents, outsider]", 1), "{{roi:outsider share}}\n",
			`content/stories/roi.md:22:1: partner "outsider" puts nothing into this ROI story`, nil},
		{"period on an ROI figure", roiFront, "{{roi:total @2025-Q3}}\n",
			`content/stories/roi.md:22:1: {{roi:total}} @2025-Q3: ROI figures take no @period`, nil},
		{"second figure on a line", roiFront, "{{roi:dropout cost}} and {{roi:outsider}}\n",
			`content/stories/roi.md:22:26: partner "outsider" puts nothing into this ROI story`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := buildROI(t, roiSite(t, tc.front, tc.body, tc.extra), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error\n%s\ngot\n%v", tc.want, err)
			}
		})
	}
}

func TestROIFigureInAnotherStory(t *testing.T) {
	src := roiSite(t, roiFront, roiBody, map[string]string{
		"content/stories/plain.md": "---\ntitle: A plain story\ndate: 2025-12-02\n---\nLine.\n\nWe put in {{roi:total}}.\n",
	})
	_, err := buildROI(t, src, Options{})
	if err == nil || !strings.Contains(err.Error(), `content/stories/plain.md:7:11: {{roi:total}} cites an ROI figure, but this story is not of kind roi`) {
		t.Fatalf("got %v", err)
	}
}

func TestHeldROIStoryLeavesNoTrace(t *testing.T) {
	front := strings.Replace(roiFront, "kind: roi\n", "kind: roi\ndraft: true\n", 1)
	out, err := buildROI(t, roiSite(t, front, roiBody, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "stories", "roi")); err == nil {
		t.Error("the held story has a folder")
	}
	if _, err := os.Stat(filepath.Join(out, "impact")); err == nil {
		t.Error("/impact/ exists with no public ROI story")
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		for _, needle := range []string{"What the trial returned", "stories/roi/", "€120"} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s mentions the held story (%q)", p, needle)
			}
		}
		return nil
	})
	// A held story's ROI data is still checked, as its other references are.
	broken := strings.Replace(front, "{partner: council, amount: 6000", "{partner: councl, amount: 6000", 1)
	if _, err := buildROI(t, roiSite(t, broken, roiBody, nil), Options{}); err == nil || !strings.Contains(err.Error(), `roi.md:12:7: partner "councl"`) {
		t.Errorf("a held story's ROI error is not reported: %v", err)
	}
	// A preview build shows it, with a card that says it is not public.
	out, err = buildROI(t, roiSite(t, front, roiBody, nil), Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	checkCard(t, filepath.Join(out, "stories", "roi", "card.png"))
}

func TestROIStoryTOML(t *testing.T) {
	front := `+++
title = "What the trial returned"
date = 2025-12-01
kind = "roi"
partners = ["council", "clinic", "parents"]
headline = "total"

[investment]
from = "2025-Q3"
to = "2025-Q4"
from_contributions = ["council"]

[[investment.in_kind]]
partner = "clinic"
hours = 100
rate = 40

[[results]]
metric = "dropout"
from = "2025-Q2"
to = "2025-Q4"
+++
`
	partners := "- id: council\n  name: River Council\n  sector: public\n  contributions:\n    - {period: 2025-Q3, kind: cash, amount: 6000}\n    - {period: 2025-Q4, kind: in_kind, amount: 500}\n    - {period: 2026-Q1, kind: cash, amount: 9999}\n" +
		"- {id: clinic, name: Lake Clinic, sector: community}\n- {id: parents, name: Parents Circle, sector: community}\n"
	src := roiSite(t, front, "Together we put in {{roi:total}}, the council {{roi:council}}.\n", map[string]string{"data/partners.yaml": partners})
	out, err := buildROI(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories", "roi", "index.html"))
	// 6,000 + 500 from partners.yaml (not the 2026 contribution) + 4,000.
	for _, want := range []string{">€10,500</a>", ">€6,500</a>", "as recorded in data/partners.yaml"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// An error in TOML is reported at the table's line.
	src = roiSite(t, strings.Replace(front, `partner = "clinic"`, `partner = "clinc"`, 1), "x\n", map[string]string{"data/partners.yaml": partners})
	if _, err := buildROI(t, src, Options{}); err == nil || !strings.Contains(err.Error(), `roi.md:13: partner "clinc" is not in data/partners.yaml`) {
		t.Errorf("got %v", err)
	}
}

func TestStoryMetadataIsEscaped(t *testing.T) {
	front := strings.Replace(roiFront, "title: What the trial returned", `title: "Trial </script><script>alert(1)</script> & \"quotes\""`, 1)
	out, err := buildROI(t, roiSite(t, front, roiBody, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories", "roi", "index.html"))
	if bytes.Contains(page, []byte("<script>alert(1)")) {
		t.Error("the title breaks out of the page's markup")
	}
	if ld := articleLD(t, page); ld["headline"] != `Trial </script><script>alert(1)</script> & "quotes"` {
		t.Errorf("JSON-LD headline %q", ld["headline"])
	}
}

func TestNoBaseURLNoAbsoluteImage(t *testing.T) {
	src := roiSite(t, roiFront, roiBody, map[string]string{"site.yaml": "title: Valley Trial\ncurrency: EUR\n"})
	out, err := buildROI(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "stories", "roi", "index.html"))
	if bytes.Contains(page, []byte(`og:image"`)) || !bytes.Contains(page, []byte(`<meta name="twitter:card" content="summary">`)) {
		t.Error("without a base URL the page claims an image it cannot address")
	}
	// --base-url supplies it.
	out, err = buildROI(t, src, Options{BaseURL: "https://given.example/sub"})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = os.ReadFile(filepath.Join(out, "stories", "roi", "index.html"))
	if !bytes.Contains(page, []byte(`<meta property="og:image" content="https://given.example/sub/stories/roi/card.png">`)) {
		t.Error("--base-url does not make the card's address absolute")
	}
}

func TestROIArcWarnings(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	body := "## What we did\n\nWe opened on 25 Saturdays and saw 412 children, {{roi:total}} in all.\n\n`code 12` and [^1].\n\n[^1]: A note with 7 in it.\n"
	_, list := Check(context.Background(), Options{Source: roiSite(t, roiFront, body, nil), Now: exampleNow})
	if list.HasErrors() {
		t.Fatal(list.Err())
	}
	for _, want := range []string{
		"content/stories/roi.md:22: warning: this ROI story has 1 of the five parts of an ROI narrative",
		"content/stories/roi.md:24: warning: numbers typed by hand in an ROI story: 25, 412",
	} {
		if !containsMsg(list, want) {
			t.Errorf("no warning %q in\n%v", want, list)
		}
	}
	// The example's ROI story has the five parts and no number typed by hand.
	_, list = Check(context.Background(), Options{Source: exampleDir, Now: exampleNow})
	for _, w := range list.Warnings() {
		if strings.Contains(w.Msg, "ROI") {
			t.Errorf("example: %v", w)
		}
	}
}
