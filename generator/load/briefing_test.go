package load

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

const briefingMetrics = "id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
	"coverage_2y,Coverage,impact,impact,%,up,71,90,2027-Q4,,\n" +
	"doses_given,Doses,impact,output,doses,up,4700,6200,2026-Q4,,\n"

const briefingObservations = "metric,period,value,partner\n" +
	"coverage_2y,2025-Q4,78.4,\ncoverage_2y,2026-Q1,80.1,\n" +
	"doses_given,2026-Q1,2380,a\ndoses_given,2026-Q1,1530,b\n"

func TestReadBriefing(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{
		BriefingFile: "---\ntitle: \" Six charts \"\ndate: 2026-11-20\ncharts:\n" +
			"  - type: Line\n    metrics: coverage_2y\n    from: 2025-Q4\n    takeaway: \"  Up,   again. \"\n" +
			"  - {type: share, metrics: [doses_given], to: 2026-Q1, takeaway: Two partners}\n---\n",
	})
	checkErrs(t, errs)
	b := src.Briefing
	if b == nil || b.Title != "Six charts" || !b.Date.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) || len(b.Charts) != 2 {
		t.Fatalf("briefing = %+v", b)
	}
	c := b.Charts[0]
	if c.Type != model.ChartLine || len(c.Metrics) != 1 || c.Metrics[0] != "coverage_2y" || c.Takeaway != "Up, again." ||
		c.From != (model.Period{Kind: model.Quarter, Y: 2025, N: 4}) || !c.To.IsZero() {
		t.Errorf("chart 1 = %+v", c)
	}
	if c.Pos != (diag.Pos{File: BriefingFile, Line: 5, Col: 5}) || c.Lines["takeaway"].Line != 8 {
		t.Errorf("chart 1 is at %v, its takeaway at %v", c.Pos, c.Lines["takeaway"])
	}
	if p := b.Charts[1].Lines["metrics.0"]; p.Line != 9 || p.Col != 29 {
		t.Errorf("the metric of chart 2 is at %v", p)
	}
}

func TestNoBriefing(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{})
	checkErrs(t, errs)
	if src.Briefing != nil {
		t.Error("a site without content/briefing.md has a briefing")
	}
}

// FuzzBriefing feeds content/briefing.md to the loader and the model's
// checks: no panic, and every problem about the file is at a line inside it.
func FuzzBriefing(f *testing.F) {
	if b, err := os.ReadFile("../../content/briefing.md"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"---\ntitle: x\ncharts:\n  - type: line\n    metrics: [coverage_2y]\n    takeaway: Up.\n---\n",
		"---\ncharts:\n  - type: share\n    metrics: [doses_given]\n    from: 2026-Q1\n    to: 2025-Q4\n    takeaway: a b c d e f g h i j k l m n\n---\n",
		"---\ncharts: [{type: before_after, metrics: [coverage_2y, doses_given], from: 2026, to: 2026-Q9}]\n---\nbody\n",
		"+++\ntitle = 'x'\n+++\n",
		"---\ncharts: &a [*a]\n---\n",
		"---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := siteFS(map[string]string{
			MetricsFile:                  briefingMetrics,
			"data/observations/fuzz.csv": briefingObservations,
			BriefingFile:                 string(src),
		})
		in, errs := Dir(fsys)
		_, merrs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
		errs.Append(merrs)
		lines := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) + 2
		for _, e := range errs {
			if e.Pos.File == BriefingFile && (e.Pos.Line < 0 || e.Pos.Line > lines) {
				t.Fatalf("line %d of a file of at most %d lines: %v", e.Pos.Line, lines, e)
			}
		}
	})
}
