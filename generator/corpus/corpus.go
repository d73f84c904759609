// Package corpus writes large, valid, deterministic drumbeat sites (and
// the same stories as a minimal Hugo site) for benchmarks and load tests.
package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/internal/photogen"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Corpus describes a generated site.
type Corpus struct {
	Stories  int
	Partners int
	Metrics  int
	Rows     int
	Seed     uint64
	// Bundles writes each story as a page bundle,
	// content/stories/story-NNNNN/index.md (with its slug: given, so the
	// address is the same as without bundles).
	Bundles bool
	// Photos gives each story a 4000×3000 phone-sized JPEG beside it,
	// photo.jpg, cited by image: with image_alt (and, in the Hugo site, a
	// leaf bundle's page resource, resized by its layout). Photos implies
	// Bundles. The photos are a few pictures painted by photogen, each
	// story's file made distinct by a JPEG comment naming the story: the
	// same pixels to decode, different bytes (and content hashes).
	Photos bool

	// Words is the length of each story's body: sections (a heading, a
	// paragraph and a list, a table or links) are added until the body has
	// at least this many words, so it ends up about 50 longer. 0 is 600,
	// today's (about 650 words).
	Words int
	// TagPool, when not 0, draws each story's tags, TagsMin to TagsMax
	// distinct ones, from that many tags named from the vocabulary
	// ("clinic-outreach"). 0 is today's: two draws from eight tags.
	TagPool          int
	TagsMin, TagsMax int
	// Daily writes each metric's observations as one series of Rows/Metrics
	// days (periods 2026-10-31, 2026-10-30, ...), without a partner column,
	// and, without partners, names one metric in each story's metrics: as
	// today's stories do with partners.
	Daily bool
}

// ShapeNames are the corpus shapes Shape knows, in the benchmark's order
// (issue #21): today's corpus; about 650-word stories with 1–3 tags from
// 300 and no partners or data; the same at 150 words (the cost of a page
// dominates) and at 3,000 (Markdown dominates); and the 650-word stories
// with 50 metrics of 4,000 daily observations each.
var ShapeNames = []string{"today", "tags", "short", "long", "data"}

// Shape returns the corpus of the named shape with n stories and seed 1.
func Shape(name string, n int) (Corpus, error) {
	tags := Corpus{Stories: n, Seed: 1, Words: 600, TagPool: 300, TagsMin: 1, TagsMax: 3}
	switch name {
	case "today":
		return Corpus{Stories: n, Partners: 100, Metrics: 50, Rows: 200000, Seed: 1}, nil
	case "tags":
		return tags, nil
	case "short":
		tags.Words = shortWords
		return tags, nil
	case "long":
		tags.Words = longWords
		return tags, nil
	case "data":
		tags.Metrics, tags.Rows, tags.Daily = 50, 50*4000, true
		return tags, nil
	}
	return Corpus{}, fmt.Errorf("no corpus shape %q (the shapes are %s)", name, strings.Join(ShapeNames, ", "))
}

// The thresholds of the short and long shapes, for bodies of about 150 and
// 3,000 words (TestShapeWords).
const (
	shortWords = 125
	longWords  = 2800
)

var vocabulary = strings.Fields(`clinic outreach vaccine schedule family village district nurse
volunteer register reminder dose coverage quarter target baseline measure report partner team
council pharmacy transport cold chain supply training visit school parent child health record
meeting decision review plan budget cost result share progress community network evening
weekend market morning bus route river valley hill town road office data survey trust
question answer listen change improve reach return missed second third first season winter
spring summer autumn local regional national people service support grant fund invest`)

var headings = []string{"What happened", "Why it matters", "What the partners did", "The numbers", "What we learned", "What comes next", "Who took part"}

type gen struct {
	r *rand.Rand
}

func (g *gen) word() string { return vocabulary[g.r.IntN(len(vocabulary))] }

// capitalized returns w with its first letter in upper case (the
// vocabulary is lower-case ASCII).
func capitalized(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

func (g *gen) sentence(min, max int) string {
	n := min + g.r.IntN(max-min+1)
	words := make([]string, n)
	for i := range words {
		words[i] = g.word()
	}
	s := strings.Join(words, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *gen) paragraph() string {
	n := 3 + g.r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.sentence(8, 16)
	}
	return strings.Join(parts, " ")
}

// body writes about 600 words of Markdown: headings, paragraphs, a list,
// a table, links and a few figures cited from the data.
func (g *gen) body(c Corpus, i int, metricIDs []string) string {
	var b strings.Builder
	words, target := 0, c.Words
	if target == 0 {
		target = 600
	}
	for h := 0; words < target; h++ {
		fmt.Fprintf(&b, "## %s\n\n", headings[(i+h)%len(headings)])
		p := g.paragraph()
		words += strings.Count(p, " ") + 1
		b.WriteString(p)
		if h == 0 && len(metricIDs) > 0 {
			m := metricIDs[g.r.IntN(len(metricIDs))]
			fmt.Fprintf(&b, " The latest figure is {{%s}}, {{%s change}} on the period before.", m, m)
		}
		b.WriteString("\n\n")
		switch h % 3 {
		case 0:
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&b, "- %s\n", g.sentence(4, 9))
				words += 6
			}
			b.WriteString("\n")
		case 1:
			b.WriteString("| Place | Visits | Doses |\n| --- | ---: | ---: |\n")
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&b, "| %s | %d | %d |\n", capitalized(g.word()), 10+g.r.IntN(400), 10+g.r.IntN(900))
				words += 3
			}
			b.WriteString("\n")
		case 2:
			other := g.r.IntN(c.Stories)
			fmt.Fprintf(&b, "Read [a related story](/stories/story-%05d/) or the [project site](https://example.org/%s).\n\n", other, g.word())
			words += 8
		}
	}
	return b.String()
}

// tagNames returns n distinct tags, each two words of the vocabulary.
func tagNames(n int) []string {
	out := make([]string, n)
	seen := make(map[string]bool, n)
	for i, k := 0, 0; i < n; k++ {
		a, b := vocabulary[k%len(vocabulary)], vocabulary[(k/len(vocabulary)*7+k+1)%len(vocabulary)]
		t := a + "-" + b
		if a == b || seen[t] {
			continue
		}
		seen[t] = true
		out[i] = t
		i++
	}
	return out
}

// pick draws lo to hi distinct elements of from.
func (g *gen) pick(from []string, lo, hi int) []string {
	n := lo
	if hi > lo {
		n += g.r.IntN(hi - lo + 1)
	}
	n = min(n, len(from))
	out := make([]string, 0, n)
	for len(out) < n {
		t := from[g.r.IntN(len(from))]
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

func partnerName(i int) string { return fmt.Sprintf("Zephyr Organisation %03d", i) }

// Write writes the drumbeat site into dir and, when hugoDir is not empty,
// the same stories as a minimal Hugo site. With dir empty it writes the Hugo
// site only (the same stories: the drumbeat site is drawn, not written).
func Write(c Corpus, dir, hugoDir string) error {
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))}
	bundles := c.Bundles || c.Photos
	write := func(root, name, body string) error {
		if root == "" {
			return nil // the Hugo site only: the drumbeat site is drawn but not written
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(body), 0o644)
	}
	if err := write(dir, "site.yaml", "title: Corpus Partnership\nbase_url: https://corpus.example.org/\ncurrency: EUR\n"); err != nil {
		return err
	}
	// Governance and partners.
	if err := write(dir, "data/governance.yaml", `purpose:
  statement: A generated partnership for measuring build speed.
roles:
  - id: member
    name: Member
    gives: [Time]
    gets: [Results]
communication:
  approval_required: true
  exempt_kinds: [lesson]
`); err != nil {
		return err
	}
	var pb strings.Builder
	sectors := []string{"public", "private", "civil", "community"}
	for i := 0; i < c.Partners; i++ {
		fmt.Fprintf(&pb, "- id: p%03d\n  name: %s\n  sector: %s\n  role: member\n  joined: 2020-01-01\n  spotlight_consent: true\n  contributions:\n    - {period: 2025, kind: cash, amount: %d}\n",
			i, partnerName(i), sectors[i%4], 1000+g.r.IntN(90000))
	}
	if err := write(dir, "data/partners.yaml", pb.String()); err != nil {
		return err
	}
	if err := write(dir, "data/decisions.yaml", "- {id: start, date: 2020-01-01, decision: Start the partnership}\n"); err != nil {
		return err
	}
	// Metrics and observations: long form, month × partner, streamed.
	var mb strings.Builder
	mb.WriteString("id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n")
	perspectives := []string{"impact", "partnership", "finance", "learning"}
	levels := []string{"input", "output", "outcome", "impact"}
	metricIDs := make([]string, c.Metrics)
	for i := range metricIDs {
		metricIDs[i] = fmt.Sprintf("m%03d", i)
		fmt.Fprintf(&mb, "%s,Metric %d,%s,%s,people,up,100,1000,2030,Generated,Generated metric\n", metricIDs[i], i, perspectives[i%4], levels[(i/4)%4])
	}
	if err := write(dir, "data/metrics.csv", mb.String()); err != nil {
		return err
	}
	var obs io.Writer = io.Discard
	if dir != "" {
		if err := os.MkdirAll(filepath.Join(dir, "data/observations"), 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(dir, "data/observations/obs.csv"))
		if err != nil {
			return err
		}
		defer f.Close()
		obs = f
	}
	bw := bufio.NewWriterSize(obs, 1<<20)
	if c.Daily {
		bw.WriteString("metric,period,value\n")
		if c.Metrics > 0 && c.Rows > 0 {
			days := max(1, c.Rows/c.Metrics)
			// Each series ends on 31 October 2026, as the monthly one does.
			end := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
			first := end.AddDate(0, 0, 1-days)
			for _, m := range metricIDs {
				v := 100 + g.r.IntN(100)
				for d := 0; d < days; d++ {
					v = max(0, v+g.r.IntN(11)-5)
					fmt.Fprintf(bw, "%s,%s,%d\n", m, first.AddDate(0, 0, d).Format("2006-01-02"), v)
				}
			}
		}
	} else {
		bw.WriteString("metric,period,value,partner\n")
	}
	if !c.Daily && c.Metrics > 0 && c.Partners > 0 && c.Rows > 0 {
		perMetric := max(1, c.Rows/c.Metrics)
		months := max(1, (perMetric+c.Partners-1)/c.Partners)
		// The series ends in October 2026, so the newest stories cite fresh data.
		start := model.Period{Kind: model.Month, Y: 2026, N: 10}
		for k := 1; k < months; k++ {
			start = start.Prev()
		}
		for _, m := range metricIDs {
			n := 0
			per := start
			for mo := 0; mo < months && n < perMetric; mo++ {
				for p := 0; p < c.Partners && n < perMetric; p++ {
					fmt.Fprintf(bw, "%s,%s,%d,p%03d\n", m, per, 10+mo*3+g.r.IntN(20), p)
					n++
				}
				per = per.Next()
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	// Stories.
	// A story every six hours from 2020, or earlier for a corpus too large
	// to fit before 20 November 2026: every story is published.
	const step = 6 * time.Hour
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if end := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC); base.Add(time.Duration(c.Stories) * step).After(end) {
		base = end.Add(-time.Duration(c.Stories) * step)
	}
	tags := []string{"access", "coverage", "partners", "learning", "finance", "outreach", "data", "schools"}
	if hugoDir != "" {
		if err := writeHugoSkeleton(hugoDir, c.Photos); err != nil {
			return err
		}
	}
	var photos [][]byte
	if c.Photos {
		photos = basePhotos()
	}
	approved := c.Partners > 0
	var tagPool []string
	if c.TagPool > 0 {
		tagPool = tagNames(c.TagPool)
	}
	for i := 0; i < c.Stories; i++ {
		title := fmt.Sprintf("Story %d: %s", i, g.sentence(4, 8))
		title = strings.TrimSuffix(title, ".")
		summary := g.sentence(10, 18)
		date := base.Add(time.Duration(i) * step).Format("2006-01-02")
		var storyTags string
		if tagPool == nil {
			t1, t2 := tags[g.r.IntN(len(tags))], tags[g.r.IntN(len(tags))]
			storyTags = t1 + ", " + t2
		} else {
			storyTags = strings.Join(g.pick(tagPool, c.TagsMin, c.TagsMax), ", ")
		}
		body := g.body(c, i, metricIDs)
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\ntitle: %q\ndate: %s\nsummary: %q\ntags: [%s]\n", title, date, summary, storyTags)
		slug := fmt.Sprintf("story-%05d", i)
		var photo []byte
		var alt string
		if bundles {
			fmt.Fprintf(&fm, "slug: %s\n", slug)
		}
		if c.Photos {
			k := i % len(photos)
			photo = photogen.WithComment(photos[k], "drumbeat-corpus "+slug)
			alt = photoAlt[photoScenes[k%len(photoScenes)]]
			fmt.Fprintf(&fm, "image: photo.jpg\nimage_alt: %q\n", alt)
		}
		if c.Partners > 0 {
			p := fmt.Sprintf("p%03d", g.r.IntN(c.Partners))
			fp := fingerprintPending
			fmt.Fprintf(&fm, "partners: [%s]\nmetrics: [%s]\napproved_by:\n  - partner: %s\n    by: Corpus Bot\n    on: %s\n    fingerprint: %s\n",
				p, metricIDs[i%max(1, len(metricIDs))], p, date, fp)
		} else if c.Daily && len(metricIDs) > 0 {
			fmt.Fprintf(&fm, "metrics: [%s]\n", metricIDs[i%len(metricIDs)])
		}
		fm.WriteString("---\n")
		name := "content/stories/" + slug + ".md"
		hname := name
		if bundles {
			name = "content/stories/" + slug + "/index.md"
		}
		if err := write(dir, name, fm.String()+body); err != nil {
			return err
		}
		if photo != nil && dir != "" {
			if err := write(dir, "content/stories/"+slug+"/photo.jpg", string(photo)); err != nil {
				return err
			}
		}
		if hugoDir != "" {
			hfm := fmt.Sprintf("---\ntitle: %q\ndate: %s\nsummary: %q\ntags: [%s]\n", title, date, summary, storyTags)
			if photo != nil {
				// A leaf bundle; its photo is published only as the layout's
				// resized copies, as drumbeat publishes no original.
				hname = "content/stories/" + slug + "/index.md"
				hfm += fmt.Sprintf("image: photo.jpg\nimage_alt: %q\nbuild:\n  publishResources: false\n", alt)
			}
			if err := write(hugoDir, hname, hfm+"---\n"+body); err != nil {
				return err
			}
			if photo != nil {
				if err := linkOrWrite(filepath.Join(dir, "content/stories", slug, "photo.jpg"), filepath.Join(hugoDir, "content/stories", slug, "photo.jpg"), photo); err != nil {
					return err
				}
			}
		}
	}
	if approved && dir != "" {
		if err := recordFingerprints(dir); err != nil {
			if c.Photos {
				return fmt.Errorf("%w\n(a corpus with photos needs a drumbeat that reads page-bundle photos, issue #18; the Hugo site alone can be written without the drumbeat site)", err)
			}
			return err
		}
	}
	return nil
}

// fingerprintPending stands for a story's fingerprint until the whole site
// is written: it covers the figure on the story's card, which depends on
// the data.
const fingerprintPending = "pending"

// recordFingerprints loads the written site and puts each story's
// fingerprint in its approval, as `drumbeat approve` would.
func recordFingerprints(dir string) error {
	in, errs := load.Dir(os.DirFS(dir))
	if errs.HasErrors() {
		return errs.Err()
	}
	site, _ := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	stories := append(append([]*model.Story(nil), site.Stories...), site.Held...)
	errc := make(chan error, len(stories))
	par.Do(len(stories), func(i int) {
		st := stories[i]
		p := filepath.Join(dir, filepath.FromSlash(st.Path))
		b, err := os.ReadFile(p)
		if err == nil {
			b = bytes.Replace(b, []byte("fingerprint: "+fingerprintPending+"\n"), []byte(fmt.Sprintf("fingerprint: %q\n", site.Fingerprint(st))), 1)
			err = os.WriteFile(p, b, 0o644)
		}
		if err != nil {
			errc <- err
		}
	})
	close(errc)
	return <-errc
}

// writeHugoSkeleton writes a minimal Hugo site: one page per story, a home
// list, tag pages and RSS, with a theme as small as drumbeat's output needs.
// Its outputs are drumbeat's: one feed of the newest 100 stories, and no
// feed for each tag, the tag list or the section, which Hugo writes by
// default (unlimited: on 10,000 stories that took Hugo from about 11 s to
// 17 s, work drumbeat does not do).
func writeHugoSkeleton(dir string, photos bool) error {
	files := map[string]string{
		"hugo.toml": `baseURL = "https://corpus.example.org/"
title = "Corpus Partnership"
disableKinds = ["sitemap"]
[taxonomies]
  tag = "tags"
[markup.goldmark.renderer]
  unsafe = false
[markup.goldmark.extensions]
  typographer = true
  footnote = true
[services.rss]
  limit = 100
[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
`,
		"layouts/_default/baseof.html": `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>{{ .Content }}<p>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}{{ end }}`,
		"layouts/index.html":           `{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ range first 6 (where .Site.RegularPages "Section" "stories") }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2></article>{{ end }}{{ end }}`,
	}
	if photos {
		// The story's photo resized to the widths drumbeat makes, as JPEG at
		// quality 80, in an img with srcset, width and height.
		files["layouts/_default/single.html"] = `{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>` +
			`{{ with .Resources.Get .Params.image }}{{ $a := .Resize "480x jpg q80" }}{{ $b := .Resize "800x jpg q80" }}{{ $c := .Resize "1200x jpg q80" }}{{ $d := .Resize "1408x jpg q80" }}` +
			`<img src="{{ $b.RelPermalink }}" srcset="{{ $a.RelPermalink }} 480w, {{ $b.RelPermalink }} 800w, {{ $c.RelPermalink }} 1200w, {{ $d.RelPermalink }} 1408w" sizes="(min-width: 760px) 704px, 100vw" width="{{ $d.Width }}" height="{{ $d.Height }}" alt="{{ $.Params.image_alt }}">{{ end }}` +
			`{{ .Content }}<p>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ end }}`
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}
