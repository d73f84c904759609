package load

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// benchObservations is a long-form file of n daily values, whole numbers
// and decimals, as the data shape of the benchmarks writes them.
func benchObservations(n int) string {
	var b strings.Builder
	b.WriteString("metric,period,value\n")
	for i := 0; i < n; i++ {
		day := fmt.Sprintf("%d-%02d-%02d", 2000+i/336, 1+i/28%12, 1+i%28)
		if i%2 == 0 {
			fmt.Fprintf(&b, "doses_given,%s,%d\n", day, 1000+i%997)
		} else {
			fmt.Fprintf(&b, "coverage_2y,%s,%d.%d\n", day, 50+i%40, i%10)
		}
	}
	return b.String()
}

// BenchmarkObservations reads 100,000 values: the cost of reading numbers
// as their file writes them (separator detection, the ambiguity checks).
func BenchmarkObservations(b *testing.B) {
	fsys := fstest.MapFS{MetricsFile: {Data: []byte(testMetrics)}, "data/observations/x.csv": {Data: []byte(benchObservations(100_000))}}
	var errs diag.List
	ms := readMetrics(fsys, model.DataConf{}, &errs)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		errs = nil
		obs := readObservations(fsys, ms, model.DataConf{}, &errs)
		if len(obs) != 100_000 || len(errs) > 0 {
			b.Fatalf("%d values, %v", len(obs), errs)
		}
	}
}

// BenchmarkNumber compares reading a value through the file's number
// style (csvFile.number) with model.ParseNumber alone, on the values of
// BenchmarkObservations.
func BenchmarkNumber(b *testing.B) {
	vals := []string{"1234", "72.4", "1,234.5", "87%", "12.5", "2600"}
	c := &csvFile{sep: ','}
	b.Run("ParseNumber", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, v := range vals {
				model.ParseNumber(v, true)
			}
		}
	})
	b.Run("number", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, v := range vals {
				c.number(v, "%")
			}
		}
	})
}
