// Command xlsxbig writes two sites of one metric and 100,000 rows (metric,
// a date, value, partner, note) into DIR/xlsx (as a workbook) and DIR/csv
// (as a CSV file), to compare building from each (README, "Workbooks"):
//
//	go run ./generator/load/testdata/xlsxbig DIR
//	/usr/bin/time -v drumbeat build -s DIR/xlsx -o DIR/out-xlsx --now 2026-11-27
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	n := 100000
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xlsxbig DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	for _, form := range []string{"xlsx", "csv"} {
		d := dir + "/" + form
		os.MkdirAll(d+"/data/observations", 0o755)
		os.WriteFile(d+"/site.yaml", []byte("title: Big\n"), 0o644)
		os.WriteFile(d+"/data/metrics.csv", []byte("id,name,perspective,level,unit,direction\ndoses_given,Doses,impact,output,doses,up\n"), 0o644)
		os.WriteFile(d+"/data/partners.yaml", []byte("- {id: p0, name: Partner Zero, sector: civil}\n- {id: p1, name: Partner One, sector: civil}\n- {id: p2, name: Partner Two, sector: civil}\n"), 0o644)
	}
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	code := "yyyy-mm-dd"
	day, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	var c bytes.Buffer
	c.WriteString("metric,period,value,partner,note\n")
	sw.SetRow("A1", []any{"metric", "period", "value", "partner", "note"})
	start := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		dd := start.AddDate(0, 0, i/3)
		ser := float64(dd.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		p := fmt.Sprintf("p%d", i%3)
		v := float64(i%997) + 0.5
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"doses_given", excelize.Cell{Value: ser, StyleID: day}, v, p, ""})
		fmt.Fprintf(&c, "doses_given,%s,%v,%s,\n", dd.Format("2006-01-02"), v, p)
	}
	if err := sw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(dir + "/xlsx/data/observations/big.xlsx"); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(dir+"/csv/data/observations/big.csv", c.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
