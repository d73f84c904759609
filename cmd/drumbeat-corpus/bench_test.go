package main

import (
	"encoding/json"
	gobuild "go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/internal/heavy"
)

// findHugo returns the hugo binary on PATH, in GOBIN or in GOPATH/bin, or "".
func findHugo() string {
	if p, err := exec.LookPath("hugo"); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(gobuild.Default.GOPATH, "bin")} {
		if dir == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, "hugo")); err == nil && !fi.IsDir() {
			return filepath.Join(dir, "hugo")
		}
	}
	return ""
}

// TestBenchSmoke runs the benchmark at a tiny size, every shape, one
// counted pair after the warm-up: drumbeat must build each shape, and,
// when Hugo is installed, Hugo too, with a ratio computed for each shape
// and the worst ones reported (issue #21: CI checks that the benchmark
// works, not a time). Without Hugo the drumbeat side and the report are
// still checked, and the subtest hugo is skipped with a message, unless
// DRUMBEAT_REQUIRE_HUGO is set.
func TestBenchSmoke(t *testing.T) {
	heavy.Test(t)
	bin := filepath.Join(t.TempDir(), "drumbeat")
	if out, err := exec.Command("go", "build", "-o", bin, "../drumbeat").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	hugo := findHugo()
	if hugo == "" && os.Getenv("DRUMBEAT_REQUIRE_HUGO") != "" {
		t.Fatal("Hugo is required (DRUMBEAT_REQUIRE_HUGO is set) but not installed: go install github.com/gohugoio/hugo@v0.165.0")
	}
	hugoArg := hugo
	if hugo == "" {
		hugoArg = "drumbeat-no-hugo-here"
	}
	jsonFile := filepath.Join(t.TempDir(), "bench.json")
	args := []string{"-n", "20", "-runs", "1", "-partners", "4", "-metrics", "3", "-rows", "300",
		"-drumbeat", bin, "-hugo", hugoArg, "-work", t.TempDir(), "-json", jsonFile}
	var stdout, stderr strings.Builder
	start := time.Now()
	if code := runBench(args, &stdout, &stderr); code != 0 {
		t.Fatalf("bench exited %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	t.Logf("bench in %s:\n%s", time.Since(start).Round(time.Millisecond), stdout.String())
	out := stdout.String()
	var rep benchReport
	b, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Shapes) != len(corpus.ShapeNames) {
		t.Fatalf("%d shapes in the report, want %d", len(rep.Shapes), len(corpus.ShapeNames))
	}
	for i, s := range rep.Shapes {
		if s.Shape != corpus.ShapeNames[i] || s.Stories != 20 {
			t.Errorf("shape %d: %s, %d stories; want %s, 20", i, s.Shape, s.Stories, corpus.ShapeNames[i])
		}
		if d := s.Drumbeat; d.WallS <= 0 || d.CPUS <= 0 || d.PeakMiB <= 0 || d.Pages < 20 || d.Runs != 1 {
			t.Errorf("%s: drumbeat %+v", s.Shape, d)
		}
		if !regexp.MustCompile(`(?m)^` + s.Shape + ` +20 +drumbeat +[0-9.]+s \(`).MatchString(out) {
			t.Errorf("%s: no drumbeat line in the table", s.Shape)
		}
		// The today shape has the site search's figures (TestSearchFigures
		// checks them), the build with the index against without it too.
		if sr := s.Search; (s.Shape == "today") != (sr != nil) {
			t.Errorf("%s: search figures %+v", s.Shape, sr)
		} else if sr != nil && (len(sr.Queries) != 2 || sr.CPU == nil || sr.CPU.Median <= 0 || sr.Wall == nil || sr.CPU.Pairs != 1) {
			t.Errorf("today: search figures %+v", sr)
		}
	}
	if rep.Machine.CPUs < 1 || rep.Machine.CPUModel == "" || rep.Machine.LoadBefore == "" || rep.Machine.LoadAfter == "" {
		t.Errorf("machine %+v", rep.Machine)
	}
	if !strings.Contains(rep.Drumbeat, " (go1.") {
		t.Errorf("drumbeat %q: no Go version", rep.Drumbeat)
	}
	if !regexp.MustCompile(`(?m)^today +20 +search: build with the index / without: cpu [0-9.]+ \(`).MatchString(out) {
		t.Error("no search build ratio in the table")
	}
	if !regexp.MustCompile(`(?m)^machine: \d+ CPUs, .*load average after: `).MatchString(out) {
		t.Error("the table does not end with the machine")
	}
	t.Run("hugo", func(t *testing.T) {
		if hugo == "" {
			t.Skip("SKIPPED: Hugo is not installed, so the benchmark was run against drumbeat alone; install it (go install github.com/gohugoio/hugo@v0.165.0, several minutes) to check the ratios")
		}
		for _, s := range rep.Shapes {
			if s.Hugo == nil || s.Hugo.WallS <= 0 || s.Hugo.Pages < 20 {
				t.Errorf("%s: hugo %+v", s.Shape, s.Hugo)
			}
			for what, r := range map[string]*ratio{"wall": s.Wall, "cpu": s.CPU, "memory": s.Memory} {
				if r == nil || r.Median <= 0 || r.Min > r.Median || r.Median > r.Max || r.Pairs != 1 {
					t.Errorf("%s: %s ratio %+v", s.Shape, what, r)
				}
			}
			if !regexp.MustCompile(`(?m)^` + s.Shape + ` +20 +ratio d/h +[0-9.]+ \(`).MatchString(out) {
				t.Errorf("%s: no ratio line in the table", s.Shape)
			}
		}
		if rep.WorstWall == nil || rep.WorstMem == nil || rep.WorstWall.Ratio <= 0 {
			t.Fatalf("worst ratios: %+v %+v", rep.WorstWall, rep.WorstMem)
		}
		if !regexp.MustCompile(`(?m)^worst wall ratio drumbeat/Hugo: [0-9.]+ \(.*\), shape [a-z]+, 20 stories$`).MatchString(out) {
			t.Error("no worst wall ratio in the table")
		}
		if !strings.HasPrefix(rep.Hugo, "hugo v") {
			t.Errorf("hugo version %q", rep.Hugo)
		}
	})
}

// TestRatiosAndWorst: the ratio of a shape is the median of its pairs'
// ratios, with their range, and the worst is the highest median over the
// shapes (drumbeat slowest against Hugo).
func TestRatiosAndWorst(t *testing.T) {
	s := func(wall float64) build { return build{wall: time.Duration(wall * float64(time.Second)), peakKB: 1000} }
	r := pairRatio([]build{s(1), s(3), s(2)}, []build{s(2), s(2), s(2)}, func(b build) float64 { return b.wall.Seconds() })
	if r == nil || r.Median != 1 || r.Min != 0.5 || r.Max != 1.5 || r.Pairs != 3 {
		t.Errorf("pairRatio = %+v, want median 1 (0.5–1.5), 3 pairs", r)
	}
	if m := medianFloat([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 4 = %v, want 2.5", m)
	}
	rep := benchReport{Shapes: []shapeResult{
		{Shape: "today", Stories: 10, Wall: &ratio{Median: 0.8}, Memory: &ratio{Median: 1.9}},
		{Shape: "data", Stories: 10, Wall: &ratio{Median: 2.1, Min: 2, Max: 2.2}, Memory: &ratio{Median: 1.2}},
		{Shape: "short", Stories: 10},
	}}
	rep.worst()
	if w := rep.WorstWall; w == nil || w.Shape != "data" || w.Ratio != 2.1 || w.Min != 2 || w.Max != 2.2 {
		t.Errorf("worst wall %+v, want data 2.1 (2–2.2)", w)
	}
	if w := rep.WorstMem; w == nil || w.Shape != "today" || w.Ratio != 1.9 {
		t.Errorf("worst memory %+v, want today 1.9", w)
	}
}
