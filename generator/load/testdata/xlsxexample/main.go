// Command xlsxexample writes the example site's workbook,
// data/observations/indicators.xlsx, from annual.csv and quarterly.csv
// beside it (the CSV files it replaced): a sheet "Quarterly" in wide form
// and a sheet "Annual" in long form, with typed cells as a spreadsheet
// keeps them: numbers as numbers, a metric in % as a fraction shown with a
// % format (71.8 is 0.718 shown as 71.8%), amounts in EUR with a currency
// format, years as numbers. Run it from the repository's root:
//
//	go run ./generator/load/testdata/xlsxexample
package main

import (
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"
)

const dir = "generator/load/testdata/xlsxexample"

func main() {
	units, err := metricUnits("data/metrics.csv")
	if err != nil {
		log.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	pctCode, eurCode := "0.0%", `#,##0 "€"`
	pct, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pctCode})
	if err != nil {
		log.Fatal(err)
	}
	eur, err := f.NewStyle(&excelize.Style{CustomNumFmt: &eurCode})
	if err != nil {
		log.Fatal(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		log.Fatal(err)
	}
	// put writes one cell: a number in a metric's unit, or text.
	put := func(sheet string, col, row int, s, metric string) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if s == "" {
			return
		}
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && units[metric] == "%" {
			// As a spreadsheet stores 80.1% typed in: 0.801, the
			// decimal shifted, not 80.1/100 = 0.8009999999999999.
			v, err = strconv.ParseFloat(s+"e-2", 64)
		}
		if err != nil || metric == "" {
			if n, err := strconv.Atoi(s); err == nil && metric == "" {
				must(f.SetCellInt(sheet, cell, int64(n))) // a year
				return
			}
			must(f.SetCellStr(sheet, cell, s))
			return
		}
		switch units[metric] {
		case "%":
			must(f.SetCellFloat(sheet, cell, v, -1, 64))
			must(f.SetCellStyle(sheet, cell, cell, pct))
		case "EUR":
			must(f.SetCellFloat(sheet, cell, v, -1, 64))
			must(f.SetCellStyle(sheet, cell, cell, eur))
		default:
			must(f.SetCellFloat(sheet, cell, v, -1, 64))
		}
	}
	must(f.SetSheetName("Sheet1", "Quarterly"))
	rows := readCSV("quarterly.csv")
	for r, rec := range rows {
		for c, s := range rec {
			metric := ""
			if r > 0 && c > 0 {
				metric = rows[0][c]
			}
			put("Quarterly", c+1, r+1, s, metric)
		}
	}
	must(f.SetRowStyle("Quarterly", 1, 1, bold))
	_, err = f.NewSheet("Annual")
	must(err)
	rows = readCSV("annual.csv")
	for r, rec := range rows {
		for c, s := range rec {
			metric := ""
			if r > 0 && rows[0][c] == "value" {
				metric = rec[0]
			}
			put("Annual", c+1, r+1, s, metric)
		}
	}
	must(f.SetRowStyle("Annual", 1, 1, bold))
	f.SetActiveSheet(0)
	must(f.SaveAs("data/observations/indicators.xlsx"))
	fmt.Println("wrote data/observations/indicators.xlsx")
}

func readCSV(name string) [][]string {
	b, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	rows, err := csv.NewReader(b).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	return rows
}

// metricUnits reads each metric's unit from data/metrics.csv.
func metricUnits(name string) (map[string]string, error) {
	b, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	rows, err := csv.NewReader(b).ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[4]
	}
	return out, nil
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
