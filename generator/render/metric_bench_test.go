package render

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/corpus"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// sizeSink counts what is written and keeps nothing.
type sizeSink struct{ pages, bytes int }

func (s *sizeSink) File(path string, data []byte) error {
	if strings.HasSuffix(path, ".html") {
		s.pages++
	}
	s.bytes += len(data)
	return nil
}

func (s *sizeSink) Copy(string, fs.FS, string) error { return nil }

// BenchmarkMetricPage4000 renders the page of one metric with 4,000 daily
// observations (the data shape of the benchmark, issue #21: its chart, its
// table by a coarser period and its data.csv), cited by a few stories.
// The site is a corpus of 4 stories and that metric, loaded once.
func BenchmarkMetricPage4000(b *testing.B) {
	dir := b.TempDir()
	c := corpus.Corpus{Stories: 4, Metrics: 1, Rows: 4000, Daily: true, Seed: 1, Words: 100, TagPool: 5, TagsMin: 1, TagsMax: 2}
	if err := corpus.Write(c, dir, ""); err != nil {
		b.Fatal(err)
	}
	in, errs := load.Dir(os.DirFS(dir))
	if errs.HasErrors() {
		b.Fatal(errs.Err())
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		b.Fatal(errs.Err())
	}
	if len(site.Metrics) != 1 || len(site.Metrics[0].Series) != 4000 {
		b.Fatalf("%d metrics, want one of 4,000 values", len(site.Metrics))
	}
	theme, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, os.DirFS(dir), "en", Funcs(), false)
	if err != nil {
		b.Fatal(err)
	}
	sink := &sizeSink{}
	r := setupRenderer(site, Options{Theme: theme}, sink)
	r.convertAll()
	m := site.Metrics[0]
	if err := r.metric(m); err != nil || sink.pages != 1 {
		b.Fatalf("%v, %d pages", err, sink.pages)
	}
	written := sink.bytes // the page and its data.csv
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.metric(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(written), "B-written/op")
}
