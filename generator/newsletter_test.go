package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/drumbeat/drumbeat/generator/model"
)

const exampleBase = "https://alliance.example.org/"

// wellFormed reads an XML document to its end with a strict decoder.
func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// outputOf maps an absolute URL under the example's base URL to its file.
func outputOf(out, u string) string {
	p := strings.TrimPrefix(u, exampleBase)
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return filepath.Join(out, filepath.FromSlash(p))
}

// relativeRef finds links and images that are not absolute.
var relativeRef = regexp.MustCompile(`(?:href|src)="(?:\.\.?/|/[^/]|[a-z0-9-]+/)`)

// TestNewsletterFeeds reads every feed back with a real feed parser
// (gofeed) and a strict XML decoder: the right entries, full content,
// absolute links, stable ids, the right dates, nothing held back.
func TestNewsletterFeeds(t *testing.T) {
	out, res := builtExample(t, "")
	site := res.Site
	parser := gofeed.NewParser()
	read := func(name string) (*gofeed.Feed, []byte) {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".xml") {
			wellFormed(t, name, b)
		}
		f, err := parser.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return f, b
	}

	type want struct {
		title, link, date string
	}
	issues := []want{
		{"Kestrel Pharmacy: 910 doses after work and on Saturdays", exampleBase + "newsletter/2026-11/", "2026-11-26"},
		{"Six months without a measles outbreak", exampleBase + "newsletter/2026-10/", "2026-10-22"},
	}
	for _, name := range []string{"newsletter/feed.xml", "newsletter/feed.json"} {
		f, raw := read(name)
		wantType := "atom"
		if strings.HasSuffix(name, ".json") {
			wantType = "json"
			var v struct {
				Version string `json:"version"`
			}
			json.Unmarshal(raw, &v)
			if v.Version != "https://jsonfeed.org/version/1.1" {
				t.Errorf("%s: version %q", name, v.Version)
			}
		}
		if f.FeedType != wantType {
			t.Errorf("%s: read as %s", name, f.FeedType)
		}
		if len(f.Items) != len(issues) {
			t.Fatalf("%s: %d items, want %d", name, len(f.Items), len(issues))
		}
		for i, it := range f.Items {
			w := issues[i]
			if it.Title != w.title || it.Link != w.link || it.GUID != w.link {
				t.Errorf("%s item %d: %q %q %q, want %q at %q", name, i, it.Title, it.Link, it.GUID, w.title, w.link)
			}
			// The day in the example's zone (site.yaml: timezone).
			if it.PublishedParsed == nil || it.PublishedParsed.In(exampleZone).Format("2006-01-02") != w.date {
				t.Errorf("%s item %d: published %v, want %s", name, i, it.PublishedParsed, w.date)
			}
			for _, s := range []string{"This month’s stories", "Partner spotlight", "Decisions and dates"} {
				if !strings.Contains(it.Content, s) {
					t.Errorf("%s item %d: the content lacks %q", name, i, s)
				}
			}
			if relativeRef.MatchString(it.Content) || strings.Contains(it.Content, "<script") || strings.Contains(it.Content, "<svg") {
				t.Errorf("%s item %d: the content has relative links, scripts or SVG", name, i)
			}
			for _, m := range regexp.MustCompile(`src="([^"]+)"`).FindAllStringSubmatch(it.Content, -1) {
				if _, err := os.Stat(outputOf(out, m[1])); err != nil {
					t.Errorf("%s item %d: image %s is not in the output", name, i, m[1])
				}
			}
		}
		if f.Link != exampleBase+"newsletter/" && !strings.HasPrefix(f.Link, exampleBase) {
			t.Errorf("%s: link %q", name, f.Link)
		}
	}

	// /index.xml: RSS 2.0 of every published story, in full.
	f, _ := read("index.xml")
	if f.FeedType != "rss" || f.FeedVersion != "2.0" {
		t.Errorf("index.xml is %s %s", f.FeedType, f.FeedVersion)
	}
	var public []*model.Story
	for _, st := range site.Stories {
		if st.Published() {
			public = append(public, st)
		}
	}
	if len(f.Items) != len(public) {
		t.Fatalf("index.xml has %d items, want the %d published stories", len(f.Items), len(public))
	}
	for i, it := range f.Items {
		st := public[i]
		u := exampleBase + strings.TrimPrefix(st.URL(), "/")
		if it.Title != st.Title || it.Link != u || it.GUID != u {
			t.Errorf("index.xml item %d: %q %q %q, want %q at %s", i, it.Title, it.Link, it.GUID, st.Title, u)
		}
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(st.Date) {
			t.Errorf("index.xml item %d: published %v, want %s", i, it.PublishedParsed, st.Date)
		}
		if len(it.Content) < len(st.Body)/2 {
			t.Errorf("index.xml item %d (%s): content of %d bytes is not the full story", i, st.Slug, len(it.Content))
		}
		if relativeRef.MatchString(it.Content) || strings.Contains(it.Content, "<script") || strings.Contains(it.Content, "<svg") {
			t.Errorf("index.xml item %d (%s): relative links, scripts or SVG in the content", i, st.Slug)
		}
		if strings.Contains(it.Content, "fig-error") || strings.Contains(it.Content, "{{") {
			t.Errorf("index.xml item %d (%s): a figure is not resolved in the content", i, st.Slug)
		}
		for _, m := range regexp.MustCompile(`src="([^"]+)"`).FindAllStringSubmatch(it.Content, -1) {
			if _, err := os.Stat(outputOf(out, m[1])); err != nil {
				t.Errorf("index.xml item %d: image %s is not in the output", i, m[1])
			}
		}
	}
	// The measles story's chart is a PNG the feed links to.
	for _, it := range f.Items {
		if strings.Contains(it.Link, "two-quarters-without-measles") && !strings.Contains(it.Content, exampleBase+"metrics/coverage_2y/chart.png") {
			t.Error("the measles story's chart is not an image in the feed")
		}
	}
	// Nothing held back, in any feed.
	for _, name := range []string{"index.xml", "feed.xml", "newsletter/feed.xml", "newsletter/feed.json"} {
		b, _ := os.ReadFile(filepath.Join(out, name))
		for _, st := range site.Held {
			if bytes.Contains(b, []byte(st.Slug)) || bytes.Contains(b, []byte(st.Title)) {
				t.Errorf("%s holds held story %s", name, st.Slug)
			}
		}
	}
}

// TestNewsletterAssemblyGolden records which stories, movers, spotlight and
// decisions land in each of the example's issues. Run with -update after
// an intended change and review the diff.
func TestNewsletterAssemblyGolden(t *testing.T) {
	var b strings.Builder
	b.WriteString("# The example's issues, as built on three days: before the November issue,\n" +
		"# the example's day, and after the council story's embargo lifts on 15\n" +
		"# December: it belongs to December, the month it goes public, so the\n" +
		"# November issue stays as it was sent.\n")
	for _, now := range []time.Time{time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), exampleNow, time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)} {
		site, errs := Load(Options{Source: exampleDir, Now: now})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		issues, l := site.Issues()
		if l.HasErrors() {
			t.Fatal(l)
		}
		fmt.Fprintf(&b, "\n## Built on %s\n", now.Format("2006-01-02"))
		for _, is := range issues {
			b.WriteString(describeIssue(is))
		}
	}
	golden(t, "newsletter/assembly.txt", []byte(b.String()))
}

func describeIssue(is *model.Issue) string {
	var b strings.Builder
	slugs := func(l []*model.Story) string {
		var out []string
		for _, s := range l {
			out = append(out, s.Slug)
		}
		if len(out) == 0 {
			return "-"
		}
		return strings.Join(out, ", ")
	}
	one := func(s *model.Story) string {
		if s == nil {
			return "-"
		}
		return s.Slug
	}
	fmt.Fprintf(&b, "\n%s %q, sent %s\n", is.Month, is.Subject, is.Date.Format("2006-01-02"))
	fmt.Fprintf(&b, "  roi:       %s\n", one(is.ROI))
	fmt.Fprintf(&b, "  picked:    %s\n", slugs(is.Picked))
	fmt.Fprintf(&b, "  stories:   %s\n", slugs(is.Stories))
	if is.Spotlight != nil {
		fmt.Fprintf(&b, "  spotlight: %s (story: %s)\n", is.Spotlight.ID, one(is.SpotlightStory))
	}
	fmt.Fprintf(&b, "  movers in %s:\n", is.AsOf)
	if !is.NoNewFigures.IsZero() {
		fmt.Fprintf(&b, "    no new figures since the %s issue\n", is.NoNewFigures)
	}
	for _, m := range is.Movers {
		fmt.Fprintf(&b, "    %s: %s → %s (%s → %s), score %.3f\n", m.Metric.ID, model.FormatNumber(m.From.Value), model.FormatNumber(m.To.Value), m.From.Period, m.To.Period, m.Score)
	}
	fmt.Fprintf(&b, "  decisions:\n")
	why := map[model.DecisionWhy]string{model.Decided: "decided", model.Due: "due for review", model.Upcoming: "up for review"}
	for _, d := range is.Decisions {
		fmt.Fprintf(&b, "    %s: %s\n", why[d.Why], d.ID)
	}
	return b.String()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", filepath.FromSlash(name))
	if *update {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s; run `go test ./generator -run %s -update` and review the diff:\n%s", name, p, t.Name(), got)
	}
}

// TestNewsletterEmailFiles checks what the build writes for each issue:
// the email HTML as mail clients need it (document tags and conditional
// comments kept by the minifier), its images present and described, the
// plain text, and a .eml any mail client opens.
func TestNewsletterEmailFiles(t *testing.T) {
	out, _ := builtExample(t, "")
	for _, month := range []string{"2026-10", "2026-11"} {
		dir := filepath.Join(out, "newsletter", month)
		h, err := os.ReadFile(filepath.Join(dir, "email.html"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(h)
		for _, want := range []string{"<!DOCTYPE html>", "<html ", "<head>", "<body", "</html>", "<!--[if mso]>", "View this email in your browser", "Unsubscribe"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s/email.html lacks %q", month, want)
			}
		}
		for _, bad := range []string{"<script", "<svg", "data:", "@font-face", "<link "} {
			if strings.Contains(s, bad) {
				t.Errorf("%s/email.html holds %q", month, bad)
			}
		}
		doc, err := html.Parse(bytes.NewReader(h))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		imgs := 0
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "img" {
				a := map[string]string{}
				for _, x := range n.Attr {
					a[x.Key] = x.Val
				}
				// A chart's alt text carries its figure; a photo's or a
				// logo's says what it shows. Photos are JPEG, charts and
				// logos PNG.
				chart := strings.Contains(a["class"], "chart")
				ext := ".png"
				if chart {
					imgs++
					if len(a["alt"]) < 20 || !regexp.MustCompile(`[0-9]`).MatchString(a["alt"]) {
						t.Errorf("%s: chart %s lacks an alt text that carries the figure (%q)", month, a["src"], a["alt"])
					}
				} else if len(a["alt"]) < 10 {
					t.Errorf("%s: image %s has no alt text that says what it shows (%q)", month, a["src"], a["alt"])
				}
				if strings.Contains(a["src"], "/media/") && !strings.Contains(a["src"], "/media/logo-") {
					ext = ".jpg"
				}
				// With images off the alt text is in a box sized to it: a
				// width, and no height to hold a blank open.
				if a["width"] == "" || a["height"] != "" || !strings.Contains(a["style"], "height:auto") || !strings.Contains(a["style"], "font-size:14px") {
					t.Errorf("%s: image %s: with images off its alt text is not in a box sized to it (width %q, height %q, style %q)", month, a["src"], a["width"], a["height"], a["style"])
				}
				if !strings.HasPrefix(a["src"], exampleBase) || !strings.HasSuffix(a["src"], ext) {
					t.Errorf("%s: image %q is not a %s under the base URL", month, a["src"], ext)
				} else if _, err := os.Stat(outputOf(out, a["src"])); err != nil {
					t.Errorf("%s: image %s is not in the output", month, a["src"])
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		// An issue shows the charts of the numbers that moved, or, when
		// no measure has a newer period than the previous issue had, says
		// so instead of repeating that issue's.
		switch noNew := strings.Contains(s, "No measure has new figures since the"); {
		case noNew && imgs > 0:
			t.Errorf("%s: the email says there are no new figures but shows %d charts", month, imgs)
		case !noNew && imgs == 0:
			t.Errorf("%s: the email shows no chart and does not say why", month)
		}
		txt, _ := os.ReadFile(filepath.Join(dir, "email.txt"))
		if !bytes.Contains(txt, []byte("Read it on the web: "+exampleBase+"newsletter/"+month+"/")) {
			t.Errorf("%s/email.txt lacks the web link", month)
		}
		eml, _ := os.ReadFile(filepath.Join(dir, "email.eml"))
		msg, err := mail.ReadMessage(bytes.NewReader(eml))
		if err != nil {
			t.Fatalf("%s/email.eml: %v", month, err)
		}
		for _, name := range []string{"From", "Reply-To", "Subject", "Date", "Message-Id", "List-Unsubscribe", "Mime-Version"} {
			if msg.Header.Get(name) == "" {
				t.Errorf("%s/email.eml lacks %s", month, name)
			}
		}
		// The archive's copy is addressed to no one: its unsubscribe
		// address names no reader, so it offers no one-click unsubscribe.
		if msg.Header.Get("List-Unsubscribe-Post") != "" {
			t.Errorf("%s/email.eml has List-Unsubscribe-Post, but its unsubscribe address names no reader", month)
		}
		if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); mt != "multipart/alternative" {
			t.Errorf("%s/email.eml is %s", month, mt)
		}
		if d, _ := msg.Header.Date(); d.Format("2006-01") != month {
			t.Errorf("%s/email.eml is dated %s", month, d)
		}
		web, _ := os.ReadFile(filepath.Join(dir, "index.html"))
		for _, want := range []string{month + `/email.html"`, month + `/email.txt"`, month + `/email.eml"`} {
			if !bytes.Contains(web, []byte(want)) {
				t.Errorf("%s/index.html lacks %s", month, want)
			}
		}
	}
	arch, _ := os.ReadFile(filepath.Join(out, "newsletter", "index.html"))
	if !bytes.Contains(arch, []byte(`newsletter/2026-11/"`)) || !bytes.Contains(arch, []byte(`newsletter/2026-10/"`)) {
		t.Error("the archive does not link both issues")
	}
}

// newsletterSite is a small site with one issue.
func newsletterSite(t *testing.T, siteYAML string, stories map[string]string) string {
	files := map[string]string{
		"site.yaml": siteYAML,
		"data/partners.yaml": "- {id: acme, name: Acme Water, sector: private, role: member, spotlight_consent: true, joined: 2024-01-01}\n" +
			"- {id: civic, name: Civic Trust, sector: civil, role: member, spotlight_consent: true, joined: 2024-02-01}\n",
		"data/governance.yaml":          "roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n  exempt_kinds: [lesson]\n",
		"content/newsletter/2025-03.md": "---\nsubject: March news\npreheader: What the partners did in March, in a few short stories.\ndate: 2025-03-28\nitems: [embargoed, draft, public]\n---\nHello, partners.\n",
	}
	for name, body := range stories {
		files["content/stories/"+name] = body
	}
	return writeSite(t, files)
}

func TestNewsletterNeedsBaseURLAndSender(t *testing.T) {
	stories := map[string]string{
		"public.md":    story("Public story", "2025-03-01", "kind: lesson\n", "A lesson."),
		"embargoed.md": story("Embargoed", "2025-03-02", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret"),
		"draft.md":     story("Draft", "2025-03-03", "draft: true\nkind: lesson\n", "Draft"),
	}
	for _, tc := range []struct{ yaml, err string }{
		{"title: T\nnewsletter:\n  from: T <t@t.example>\n", "site.yaml:1: the newsletter (content/newsletter/2025-03.md) needs base_url in site.yaml"},
		{"title: T\nbase_url: https://t.example/\n", "site.yaml:1: the newsletter (content/newsletter/2025-03.md) needs a sender: newsletter.from in site.yaml"},
		{"title: T\nbase_url: https://t.example/\nnewsletter:\n  from: T <t@t.example>\n  unsubscribe: javascript:alert(1)\n", `site.yaml:3:1: newsletter.unsubscribe "javascript:alert(1)" is not an https: or mailto: address`},
	} {
		src := newsletterSite(t, tc.yaml, stories)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "out"), Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("site.yaml %q: err = %v, want %q", tc.yaml, err, tc.err)
		}
	}
	// --base-url supplies what site.yaml lacks.
	src := newsletterSite(t, "title: T\nnewsletter:\n  from: T <t@t.example>\n  unsubscribe: https://t.example/u\n  address: 1 High St\n", stories)
	if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "out"), BaseURL: "https://t.example/",
		Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Errorf("with --base-url: %v", err)
	}
}

// TestNewsletterLeavesOutHeldStories picks held stories by hand: the issue
// leaves them out, says so, and no newsletter output names them.
func TestNewsletterLeavesOutHeldStories(t *testing.T) {
	const token = "ZEBRA-NEWSLETTER-TOKEN"
	src := newsletterSite(t, "title: T\nbase_url: https://t.example/\nnewsletter:\n  from: T <t@t.example>\n  unsubscribe: https://t.example/u\n  address: 1 High St\n",
		map[string]string{
			"public.md":     story("Public story", "2025-03-01", "kind: lesson\n", "A lesson for everyone."),
			"embargoed.md":  story("Embargoed "+token, "2025-03-02", "embargo_until: 2025-12-01\nkind: lesson\n", "Secret "+token),
			"draft.md":      story("Draft "+token, "2025-03-03", "draft: true\nkind: lesson\n", "Draft "+token),
			"unapproved.md": story("Unapproved "+token, "2025-03-04", "partners: [acme]\n", "Acme did a thing "+token),
			"mention.md":    story("Mention "+token, "2025-03-05", "", "Working with Civic Trust on "+token),
		})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, drafts := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "out")
		res, err := Build(context.Background(), Options{Source: src, Output: out, Now: now, Drafts: drafts})
		if err != nil {
			t.Fatal(err)
		}
		filepath.WalkDir(filepath.Join(out, "newsletter"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, slug := range []string{"embargoed", "draft", "unapproved", "mention"} {
				if bytes.Contains(b, []byte("stories/"+slug)) {
					t.Errorf("drafts %v: %s links to held story %s", drafts, p, slug)
				}
			}
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(token))) {
				t.Errorf("drafts %v: %s holds the token of a held story", drafts, p)
			}
			return nil
		})
		txt, _ := os.ReadFile(filepath.Join(out, "newsletter", "2025-03", "email.txt"))
		if !bytes.Contains(txt, []byte("Public story")) {
			t.Errorf("drafts %v: the public story is missing from the issue", drafts)
		}
		var warned []string
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "the issue leaves out") {
				warned = append(warned, w.Error())
			}
		}
		if len(warned) != 2 {
			t.Errorf("drafts %v: want warnings for the two held items picked, got %q", drafts, warned)
		}
	}
	// A story picked by hand that does not exist is an error at its line.
	p := filepath.Join(src, "content", "newsletter", "2025-03.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(b, []byte("public]"), []byte("publik]"), 1), 0o644)
	_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "out"), Now: now})
	if err == nil || !strings.Contains(err.Error(), `content/newsletter/2025-03.md:5`) || !strings.Contains(err.Error(), `did you mean "public"?`) {
		t.Errorf("err = %v", err)
	}
}

// exampleZone is the example site's time zone (site.yaml: timezone).
var exampleZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	return loc
}()
