package generator

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
)

var (
	benchOnce sync.Once
	benchDir  string
)

// benchSite writes one corpus of 1,000 stories, 100 partners, 50 metrics
// and 200,000 observation rows, shared by the benchmarks.
func benchSite(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("DRUMBEAT_BENCH_SITE"); dir != "" {
		return dir // a corpus written before, e.g. with drumbeat-corpus -n 10000
	}
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drumbeat-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		if err := corpus.Write(corpus.Corpus{Stories: 1000, Partners: 100, Metrics: 50, Rows: 200000, Seed: 1}, dir, ""); err != nil {
			b.Fatal(err)
		}
	})
	return benchDir
}

func BenchmarkLoadStories(b *testing.B) {
	fsys := os.DirFS(benchSite(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, errs := load.Dir(fsys)
		if errs.HasErrors() || len(in.Stories) != 1000 {
			b.Fatalf("%d stories, %v", len(in.Stories), errs.Err())
		}
	}
}

func BenchmarkLoadCSV(b *testing.B) {
	fsys := os.DirFS(benchSite(b))
	in, _ := load.Dir(fsys)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Metrics and 200,000 observation rows, streamed.
		site, errs := model.New(&model.Input{Config: in.Config, Metrics: in.Metrics, Observations: in.Observations, Partners: in.Partners, Governance: in.Governance}, model.Options{Now: exampleNow})
		if errs.HasErrors() || len(site.Metrics) != 50 {
			b.Fatal(errs.Err())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(in.Observations)), "rows")
}

func BenchmarkReadObservations(b *testing.B) {
	fsys := os.DirFS(benchSite(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, errs := load.Dir(fsys)
		if errs.HasErrors() || len(in.Observations) != 200000 {
			b.Fatalf("%d rows, %v", len(in.Observations), errs.Err())
		}
	}
}

// benchModel loads the benchmark corpus and the theme, for the render
// benchmarks.
func benchModel(b *testing.B) (*model.Site, *render.Theme) {
	b.Helper()
	src := benchSite(b)
	site, errs := Load(Options{Source: src, Now: exampleNow})
	if errs.HasErrors() {
		b.Fatal(errs.Err())
	}
	theme, err := loadTheme(src, site.Config.Language, true)
	if err != nil {
		b.Fatal(err)
	}
	return site, theme
}

func BenchmarkRenderSite(b *testing.B) {
	site, theme := benchModel(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := render.All(context.Background(), site, render.Options{Theme: theme}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(site.Stories))*float64(b.N)/b.Elapsed().Seconds(), "stories/s")
}

func BenchmarkScorecard(b *testing.B) {
	src := benchSite(b)
	site, errs := Load(Options{Source: src, Now: exampleNow})
	if errs.HasErrors() {
		b.Fatal(errs.Err())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, m := range site.Metrics {
			t := render.Tile(site, m)
			_ = render.Takeaway(m)
			if !t.HasValue {
				b.Fatal("no value")
			}
		}
		_ = model.Health(site)
	}
}

func BenchmarkBuild(b *testing.B) {
	src := benchSite(b)
	out := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderStory renders one story as the dev server does after an
// edit that leaves its card alone: its Markdown converted, its page
// executed and written.
func BenchmarkRenderStory(b *testing.B) {
	site, theme := benchModel(b)
	prep, err := render.Prepare(context.Background(), site, render.Options{Theme: theme})
	if err != nil {
		b.Fatal(err)
	}
	st := site.Stories[len(site.Stories)/2]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := prep.Convert(st)
		if _, err := prep.Update(context.Background(), []render.Edit{{Story: st, Before: *st, Body: body}}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoryEdit is the dev server's path after one story's file is
// saved: the story read again (its file, front matter and the Markdown
// parse the loader makes for its text and figures), checked against the
// site (model.New on it alone), its Markdown converted and its page
// rendered. It covers a story's load and render together.
func BenchmarkStoryEdit(b *testing.B) {
	src := benchSite(b)
	s := NewSession(Options{Source: src, Now: exampleNow})
	if _, err := s.Build(context.Background(), nil, discard{}); err != nil {
		b.Fatal(err)
	}
	edited := []string{"content/stories/story-00500.md"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Build(context.Background(), edited, discard{})
		if err != nil || res.Full {
			b.Fatalf("full %v, %v", res.Full, err)
		}
	}
}
