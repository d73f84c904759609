package load

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// bigRows is the size of the large-sheet test.
const bigRows = 100_000

// bigWorkbook writes a long-form sheet of n rows (metric, period as a
// date, value, partner, note) with excelize's StreamWriter, and the same
// data as CSV.
func bigWorkbook(t testing.TB, n int) (xlsx, csv []byte) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	code := "yyyy-mm-dd"
	day, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	c.WriteString("metric,period,value,partner,note\n")
	sw.SetRow("A1", []any{"metric", "period", "value", "partner", "note"})
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := start.AddDate(0, 0, i/3)
		ser := float64(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		partner := fmt.Sprintf("partner-%d", i%3)
		v := float64(i%997) + 0.5
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{"doses_given", excelize.Cell{Value: ser, StyleID: day}, v, partner, ""}); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&c, "doses_given,%s,%v,%s,\n", d.Format("2006-01-02"), v, partner)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), c.Bytes()
}

// peakHeap runs fn and returns the most heap it had in use above what was
// in use before, sampled every millisecond, and how long it took.
func peakHeap(fn func()) (uint64, time.Duration) {
	// Collect often, so that the heap in use is close to what is live.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
				peak.Store(ms.HeapAlloc - base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	t0 := time.Now()
	fn()
	d := time.Since(t0)
	close(done)
	<-stopped
	return peak.Load(), d
}

// TestWorkbookLargeSheetStreamed reads a sheet of 100,000 rows and checks
// that the memory it takes beyond the values read is bounded: the sheet is
// read a row at a time, never whole. The same data as CSV is the yardstick.
func TestWorkbookLargeSheetStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("a 100,000-row workbook")
	}
	xlsx, csv := bigWorkbook(t, bigRows)
	units := map[string]metricUnit{"doses_given": {id: "doses_given", unit: "doses"}}
	ids := []string{"doses_given"}
	fsys := fstest.MapFS{
		"data/observations/big.xlsx": {Data: xlsx},
		"data/observations/big.csv":  {Data: csv},
	}
	var obsX, obsC []model.Observation
	var errs diag.List
	peakX, timeX := peakHeap(func() {
		obsX = readObservationWorkbook(fsys, "data/observations/big.xlsx", nil, model.NumbersUnsaid, MetricsFile, units, ids, &errs)
	})
	peakC, timeC := peakHeap(func() {
		obsC = readObservationFile(fsys, "data/observations/big.csv", units, ids, model.NumbersUnsaid, &errs)
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(obsX) != bigRows || len(obsC) != bigRows {
		t.Fatalf("read %d and %d values, want %d", len(obsX), len(obsC), bigRows)
	}
	for i := range obsX {
		a, b := obsX[i], obsC[i]
		if a.Metric != b.Metric || a.Period != b.Period || a.Value != b.Value || a.Partner != b.Partner {
			t.Fatalf("value %d: workbook %+v, CSV %+v", i, a, b)
		}
	}
	values := uint64(cap(obsX)) * uint64(unsafe.Sizeof(model.Observation{}))
	t.Logf("%d rows: workbook %d KiB zipped, peak heap %.1f MiB, %v; CSV %d KiB, peak heap %.1f MiB, %v; the values alone %.1f MiB",
		bigRows, len(xlsx)>>10, float64(peakX)/(1<<20), timeX.Round(time.Millisecond),
		len(csv)>>10, float64(peakC)/(1<<20), timeC.Round(time.Millisecond), float64(values)/(1<<20))
	// Beyond the values and the zipped file, reading takes a few MiB
	// (decompressor, XML decoder, one row, the garbage of both); reading
	// the sheet whole would take at least its unzipped XML on top.
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet uint64
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			sheet = f.UncompressedSize64
		}
	}
	const slack = 12 << 20
	if sheet < slack {
		t.Fatalf("the sheet's XML is %d MiB, too little to tell streaming from reading it whole", sheet>>20)
	}
	if limit := values + uint64(len(xlsx)) + slack; peakX > limit {
		t.Errorf("peak heap %.1f MiB, want at most %.1f MiB (the sheet's XML alone is %.1f MiB)", float64(peakX)/(1<<20), float64(limit)/(1<<20), float64(sheet)/(1<<20))
	}
}
