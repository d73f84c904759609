package load

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// The fuzz targets feed one file to its loader. The property is the same
// for each: no panic, and every problem names a file and, when it names a
// line, a line inside the input (or one past its end).
//
// Lines are counted the way YAML counts them: \n, a \r not followed by
// \n, NEL, LS and PS all end a line, as they do in most editors.

// seed adds the files matching each pattern (relative to this package) to
// the corpus, and the literals.
func seed(f *testing.F, patterns []string, literals ...string) {
	for _, pat := range patterns {
		names, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	for _, l := range literals {
		f.Add([]byte(l))
	}
}

// lineCount returns the number of lines in src, counting every line break
// YAML knows.
func lineCount(src []byte) int {
	n := 1
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			n++
		case src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			n++
		case bytes.HasPrefix(src[i:], []byte("\u0085")), bytes.HasPrefix(src[i:], []byte("\u2028")), bytes.HasPrefix(src[i:], []byte("\u2029")):
			n++
		}
	}
	return n
}

// checkFuzzPositions checks the property for problems about file name
// holding src.
func checkFuzzPositions(t *testing.T, errs diag.List, name string, src []byte) {
	t.Helper()
	lines := lineCount(src)
	for _, e := range errs {
		switch {
		case e == nil:
			t.Fatal("a nil problem")
		case e.Pos.File == "":
			t.Fatalf("a problem without a file: %v", e)
		case e.Pos.Line < 0 || e.Pos.Col < 0:
			t.Fatalf("a negative position: %v", e)
		case e.Pos.File == name && e.Pos.Line > lines+1:
			t.Fatalf("line %d of a %d-line file: %v", e.Pos.Line, lines, e)
		case e.Pos.File != name && e.Pos.File != ConfigFile:
			t.Fatalf("a problem about another file: %v", e)
		}
	}
}

var (
	storySeeds = []string{"../testdata/valid-minimal/content/stories/*.md", "../testdata/invalid/*/content/stories/*.md",
		"../../content/stories/*.md", "../../content/pages/*.md", "../../content/newsletter/*.md"}
	metricSeeds      = []string{"../testdata/valid-minimal/data/metrics.csv", "../testdata/invalid/*/data/metrics.csv", "../../data/metrics.csv"}
	observationSeeds = []string{"../testdata/valid-minimal/data/observations/*.csv", "../testdata/invalid/*/data/observations/*.csv", "../../data/observations/*.csv"}
	partnerSeeds     = []string{"../testdata/valid-minimal/data/partners.yaml", "../testdata/invalid/*/data/partners.yaml", "../../data/partners.yaml"}
	governanceSeeds  = []string{"../testdata/valid-minimal/data/governance.yaml", "../testdata/invalid/*/data/governance.yaml", "../../data/governance.yaml"}
	decisionSeeds    = []string{"../testdata/valid-minimal/data/decisions.yaml", "../testdata/invalid/*/data/decisions.yaml", "../../data/decisions.yaml"}
	configSeeds      = []string{"../testdata/valid-minimal/site.yaml", "../testdata/invalid/*/site.yaml", "../../site.yaml"}
)

func FuzzStory(f *testing.F) {
	seed(f, storySeeds,
		"", "---", "---\n---\n", "+++\n+++\n", "---\ntitle: x\n", "\n\n---\ntitle: [x\n---\n",
		"+++\ntitle = 5\n+++\n", "+++\n[[approved_by]]\npartner = \"a\"\n+++\n",
		"---\ntitle: x\ndate: 2026-01-01\nx: &a [*a]\n---\n", "---\r\ntitle: x\r\n---\r\n", "\xef\xbb\xbf---\ntitle: x\n---\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "content/stories/x.md"
		fsys := fstest.MapFS{name: {Data: src}}
		var errs diag.List
		s := readStory(fsys, name, "stories", nil, &errs)
		readBody(fsys, s, &errs) // its images
		checkFuzzPositions(t, errs, name, src)
		if s != nil {
			if s.Slug == "" || !slugRE.MatchString(s.Slug) {
				t.Fatalf("slug %q", s.Slug)
			}
			if s.BodyLine < 1 || s.BodyLine > lineCount(src)+1 {
				t.Fatalf("body at line %d", s.BodyLine)
			}
			for k, p := range s.Lines {
				if p.File != name || p.Line > lineCount(src)+1 {
					t.Fatalf("Lines[%q] = %v", k, p)
				}
			}
		}
		// The same text as a newsletter issue.
		const issue = "content/newsletter/2026-10.md"
		errs = nil
		readNewsletters(fstest.MapFS{issue: {Data: src}}, nil, &errs)
		checkFuzzPositions(t, errs, issue, src)
	})
}

func FuzzMetrics(f *testing.F) {
	seed(f, metricSeeds, "", "\n", "id\n", "id,name,perspective,level,unit,direction\na,\"b\n", "\xff\xfei\x00d\x00")
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs diag.List
		ms := readMetrics(fstest.MapFS{MetricsFile: {Data: src}}, model.DataConf{}, &errs)
		checkFuzzPositions(t, errs, MetricsFile, src)
		for _, m := range ms {
			if !metricIDRE.MatchString(m.ID) || m.Pos.File != MetricsFile || m.Pos.Line < 2 || m.Pos.Line > lineCount(src)+1 {
				t.Fatalf("metric %q at %v", m.ID, m.Pos)
			}
		}
	})
}

func FuzzObservations(f *testing.F) {
	seed(f, observationSeeds, "", "period\n", "metric,period,value\n", "period,coverage_2y\n2026,\"1,5\"\n",
		"metric,period,value\noutbreaks,2026,\"12\n", "\xef\xbb\xbfperiod,outbreaks\r\n2026-Q1,3\r\n",
		"metric;period;value\r\ndoses_given;2026-Q1;2.600\r\ncoverage_2y;2026-Q1;72,4\r\n", "period\tdoses_given\n2026\t1 234,5\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "data/observations/x.csv"
		fsys := fstest.MapFS{MetricsFile: {Data: []byte(testMetrics)}, name: {Data: src}}
		var errs diag.List
		ms := readMetrics(fsys, model.DataConf{}, &errs)
		if len(errs) > 0 || len(ms) != 3 {
			t.Fatalf("the fixed metrics do not load: %v", errs)
		}
		// As the file comes, and declared to write decimals with a comma.
		for _, style := range []model.NumberStyle{model.NumbersUnsaid, model.DecimalComma} {
			errs = nil
			obs := readObservations(fsys, ms, model.DataConf{Style: style}, &errs)
			checkFuzzPositions(t, errs, name, src)
			for _, o := range obs {
				if o.Pos.File != name || o.Pos.Line < 2 || o.Pos.Line > lineCount(src)+1 || o.Period.IsZero() {
					t.Fatalf("observation %+v", o)
				}
			}
		}
	})
}

func FuzzPartners(f *testing.F) {
	seed(f, partnerSeeds, "", "[]", "- id: a\n", "- &p {id: a}\n- *p\n", "id: a\n", "- id: a\n  contributions: [{kind: cash}]\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs diag.List
		ps := readPartners(fstest.MapFS{PartnersFile: {Data: src}}, &errs)
		checkFuzzPositions(t, errs, PartnersFile, src)
		for _, p := range ps {
			if !idRE.MatchString(p.ID) || p.Pos.File != PartnersFile {
				t.Fatalf("partner %q at %v", p.ID, p.Pos)
			}
		}
	})
}

func FuzzGovernance(f *testing.F) {
	seed(f, governanceSeeds, "", "roles: [{id: a}]\n", "purpose: x\n", "communication:\n  exempt_kinds: essay\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs diag.List
		g := readGovernance(fstest.MapFS{GovernanceFile: {Data: src}}, &errs)
		checkFuzzPositions(t, errs, GovernanceFile, src)
		if g.Path != GovernanceFile {
			t.Fatalf("Path = %q", g.Path)
		}
	})
}

func FuzzDecisions(f *testing.F) {
	seed(f, decisionSeeds, "", "- id: a\n", "- {id: a, date: 2026-02-30}\n", "- id: a\n  id: b\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs diag.List
		ds := readDecisions(fstest.MapFS{DecisionsFile: {Data: src}}, &errs)
		checkFuzzPositions(t, errs, DecisionsFile, src)
		for _, d := range ds {
			if !idRE.MatchString(d.ID) || d.Pos.File != DecisionsFile {
				t.Fatalf("decision %q at %v", d.ID, d.Pos)
			}
		}
	})
}

func FuzzConfig(f *testing.F) {
	seed(f, configSeeds, "", "title: x\n", "title: x\nscorecard: {on_track: 2}\n", "\t",
		"title: x\ndeploy:\n  targets:\n    - name: p\n      url: \"s3://b?region=x\"\n      token: y\n      cache_control: {pages: \"no-cache\"}\n",
		"title: x\ndeploy: &a\n  password: *a\n", "deploy:\n  - secret\n", "aws_secret_access_key: x\ndeploy: {targets: [{name: A B}, {url: \"s3://u:p@b\"}]}\n",
		"title: x\ndata: {decimal: \",\", files: {data/observations/a.csv: {decimal: \".\"}}}\n",
		"title: x\nsources:\n  - {name: a, url: \"https://x.example/a?output=csv\", file: data/a.csv, max_age: 7d}\n  - {name: a, url: ftp://x, file: ../b.xlsx}\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs diag.List
		readConfig(fstest.MapFS{ConfigFile: {Data: src}}, &errs)
		checkFuzzPositions(t, errs, ConfigFile, src)
	})
}

// FuzzImageFocus: image_focus written as a string is two fractions from 0
// to 1, or an error that says which number is wrong.
func FuzzImageFocus(f *testing.F) {
	for _, s := range []string{"0.3,0.4", "0,1", "1.3,0.4", "0.3", "a,b", " 0.5 , 0.5 ", "NaN,0", "1e-3,0x1p-1", ",", "0.3,0.4,0.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, y, bad, err := parseFocus(s)
		switch {
		case err == nil && (bad != -1 || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)):
			t.Fatalf("parseFocus(%q) = %g, %g, %d", s, x, y, bad)
		case err != nil && (bad < -1 || bad > 1 || err.Error() == ""):
			t.Fatalf("parseFocus(%q): %d, %v", s, bad, err)
		}
	})
}

// FuzzSplitCaption: the caption and credit of a Markdown image title are
// trimmed pieces of it, and the credit holds no " | ".
func FuzzSplitCaption(f *testing.F) {
	for _, s := range []string{"", "Caption", "Caption | Photo: Name / Org", "| Photo: Name", "a | b | c", "x |", " | ", "|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		caption, credit := splitCaption(title)
		if !strings.Contains(title, caption) || !strings.Contains(title, credit) || strings.Contains(credit, " | ") ||
			caption != strings.TrimSpace(caption) || credit != strings.TrimSpace(credit) {
			t.Fatalf("splitCaption(%q) = %q, %q", title, caption, credit)
		}
		// Only white space and the bar that splits them are lost.
		keep := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r == '|' || unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if keep(title) != keep(caption)+keep(credit) {
			t.Fatalf("splitCaption(%q) = %q, %q: text lost", title, caption, credit)
		}
	})
}
