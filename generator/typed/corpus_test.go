package typed_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
	"github.com/drumbeat/drumbeat/generator/typed"
)

// planted marks a contradiction planted in the corpus: the number as typed
// must be reported as not matching the data, on the marker's line or one
// of the three before it.
var planted = regexp.MustCompile(`<!-- planted: (.+?) -->`)

// found is a finding with its place in the source file.
type found struct {
	file            string
	line, col       int // of the number's first byte, as the detector reports it
	endLine, endCol int // of the byte after it
	off, end        int // the number's byte offsets in the file
	typed.Finding
}

// findAll runs the detector over a Markdown file as check does.
func findAll(t *testing.T, path string, metrics []*model.Metric) ([]found, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	masked, blocks := markdown.Prose(src)
	idx := diag.NewLineIndex(src)
	var out []found
	for _, b := range blocks {
		for _, f := range typed.Find(typed.Text{S: string(masked[b.Start:b.End]), Context: b.Context}, metrics) {
			off, end := b.Start+f.Off, b.Start+f.End
			line, col := idx.Pos(off)
			el, ec := idx.Pos(end)
			out = append(out, found{filepath.Base(path), line, col, el, ec, off, end, f})
		}
	}
	return out, src
}

// exampleSite is the example partnership's model, as check sees it.
func exampleSite(t *testing.T) *model.Site {
	t.Helper()
	in, errs := load.Dir(os.DirFS("../.."))
	if errs.HasErrors() {
		t.Fatalf("loading the example: %v", errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatalf("checking the example: %v", errs)
	}
	return site
}

// TestCorpus runs the detector over the example stories' bodies and over
// ordinary prose about partnerships written for this test (annual report,
// news, bulletin, guide, minutes: dates, years, ordinals, phone numbers,
// addresses, money and counts of other things), with contradictions of the
// example's data planted in it. Every planted contradiction must be found,
// and other warnings in the ordinary prose must stay under one per 2,000
// words.
func TestCorpus(t *testing.T) {
	site := exampleSite(t)

	stories, _ := filepath.Glob("testdata/corpus/stories/*.md")
	if len(stories) != 10 {
		t.Fatalf("%d example stories in testdata/corpus/stories, want 10", len(stories))
	}
	matches := 0
	for _, p := range stories {
		fs, _ := findAll(t, p, site.Metrics)
		for _, f := range fs {
			if !f.Match {
				t.Errorf("%s:%d: the example's data and stories agree, but: %s", f.file, f.line, f.Msg)
			}
			matches++
		}
	}
	t.Logf("example stories: %d typed figures that match the data", matches)

	prose, _ := filepath.Glob("testdata/corpus/prose/*.md")
	words, falseWarnings, plantedN := 0, 0, 0
	for _, p := range prose {
		fs, src := findAll(t, p, site.Metrics)
		words += len(strings.Fields(planted.ReplaceAllString(string(src), "")))
		type mark struct {
			number string
			line   int
		}
		var marks []mark
		for i, l := range strings.Split(string(src), "\n") {
			for _, m := range planted.FindAllStringSubmatch(l, -1) {
				marks = append(marks, mark{m[1], i + 1})
			}
		}
		plantedN += len(marks)
		hit := make([]bool, len(fs))
		for _, m := range marks {
			ok := false
			for i, f := range fs {
				if !hit[i] && !f.Match && f.Number == m.number && f.line <= m.line && f.line >= m.line-3 {
					hit[i], ok = true, true
					break
				}
			}
			if !ok {
				t.Errorf("%s:%d: planted contradiction %q not found", filepath.Base(p), m.line, m.number)
			}
		}
		for i, f := range fs {
			if !hit[i] {
				falseWarnings++
				t.Logf("false warning: %s:%d: %s", f.file, f.line, f.Msg)
			}
		}
	}
	if words < 4000 {
		t.Errorf("the ordinary prose has %d words, want at least 4,000", words)
	}
	rate := float64(falseWarnings) / float64(words) * 2000
	t.Logf("ordinary prose: %d words, %d planted contradictions (all found unless reported above), %d false warnings: %.2f per 2,000 words", words, plantedN, falseWarnings, rate)
	if rate > 1 {
		t.Errorf("%.2f false warnings per 2,000 words, want at most 1", rate)
	}
}
