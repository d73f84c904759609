package load

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// zipParts writes a zip of the given parts, in the order given, stored
// without compression (fuzzing with deflate takes a thousand times longer).
func zipParts(t testing.TB, parts ...[2]string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	fuzzRels     = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	fuzzBook     = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
	fuzzBookRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
)

// fuzzWorkbook is a valid zip container holding the given sheet, shared
// strings and styles.
func fuzzWorkbook(t testing.TB, book, sheet, shared, styles string) []byte {
	return zipParts(t,
		[2]string{"_rels/.rels", fuzzRels},
		[2]string{"xl/workbook.xml", book},
		[2]string{"xl/_rels/workbook.xml.rels", fuzzBookRels},
		[2]string{"xl/worksheets/sheet1.xml", sheet},
		[2]string{"xl/sharedStrings.xml", shared},
		[2]string{"xl/styles.xml", styles},
	)
}

// checkWorkbookProblems checks that every problem names the workbook and,
// when it names a cell, a cell of its sheet.
func checkWorkbookProblems(t *testing.T, name string, errs diag.List) {
	t.Helper()
	for _, e := range errs {
		if e.Pos.File != name && e.Pos.File != MetricsFile {
			t.Errorf("problem without the workbook's name: %v", e)
		}
		if e.Pos.File == name && e.Pos.Line != 0 && e.Pos.Cell == "" {
			t.Errorf("problem at a line of a workbook: %v", e)
		}
	}
}

// FuzzWorkbook feeds hostile XML inside a valid zip container to the
// workbook loader: the sheet, the shared strings, the styles and the
// workbook part. No panic, every problem at the workbook, and no input
// takes long.
func FuzzWorkbook(f *testing.F) {
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>coverage_2y</t></is></c><c r="C1" t="inlineStr"><is><t>outbreaks</t></is></c></row>` +
		`<row r="2"><c r="A2" s="2"><v>45366</v></c><c r="B2" s="1"><v>0.724</v></c><c r="C2"><f>1+1</f></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3" t="b"><v>1</v></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="B1:C1"/></mergeCells></worksheet>`
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>period</t></si><si><r><t>2025-</t></r><r><t>Q3</t></r><rPh><t>x</t></rPh></si></sst>`
	styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`
	f.Add(fuzzBook, sheet, shared, styles)
	f.Add(strings.Replace(fuzzBook, "<sheets>", `<workbookPr date1904="1"/><sheets>`, 1), sheet, shared, styles)
	f.Add(fuzzBook, `<worksheet><sheetData><row><c><v>1e400</v></c><c r="XFE1"/></row><row r="1048577"/></sheetData></worksheet>`, "<sst><si>", "<styleSheet><cellXfs><xf numFmtId=\"-1\"/>")
	f.Add(fuzzBook, `<worksheet><sheetData><row r="2"><c r="B2" t="s"><v>99</v></c></row><row r="1"/></sheetData></worksheet>`, "", "")
	f.Add(strings.Replace(fuzzBook, `r:id="rId1"`, `r:id="rId9" state="hidden"`, 1), sheet, shared, styles)
	f.Fuzz(func(t *testing.T, book, sheet, shared, styles string) {
		const name = "data/observations/f.xlsx"
		fsys := siteFS(map[string]string{MetricsFile: testMetrics})
		fsys[name] = &fstest.MapFile{Data: fuzzWorkbook(t, book, sheet, shared, styles)}
		start := time.Now()
		_, errs := Dir(fsys)
		if d := time.Since(start); d > 2*time.Second && !raceEnabled {
			t.Errorf("loading took %v", d)
		}
		checkWorkbookProblems(t, name, errs)
	})
}

// TestWorkbookHostile: zip bombs, XML nested without end, a token without
// end, a lying zip header: each is an error, quickly, in little memory.
func TestWorkbookHostile(t *testing.T) {
	const name = "data/observations/h.xlsx"
	ok := `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>period</t></is></c></row></sheetData></worksheet>`
	deep := `<worksheet><sheetData><row r="1">` + strings.Repeat("<x>", 200_000) + `</row></sheetData></worksheet>`
	deepSST := `<sst>` + strings.Repeat("<si>", 200_000) + `</sst>`
	long := `<worksheet><sheetData><row r="1"><c t="inlineStr" x="` + strings.Repeat("a", 3<<20) + `"/></row></sheetData></worksheet>`
	var wide strings.Builder
	wide.WriteString(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="XFD1" t="inlineStr"><is><t>outbreaks</t></is></c></row>`)
	for r := 2; r < 100_000; r++ {
		fmt.Fprintf(&wide, `<row r="%d"><c r="A%d"><v>2025</v></c><c r="XFD%d"><v>1</v></c></row>`, r, r, r)
	}
	wide.WriteString(`</sheetData></worksheet>`)
	tests := []struct {
		name string
		book []byte
		want string
	}{
		// Rows are sparse: 100,000 rows of a cell in A and one in XFD
		// (16,384 columns apart) read in little time, without a problem.
		{"a sheet as wide as can be", fuzzWorkbook(t, fuzzBook, wide.String(), "<sst/>", "<styleSheet/>"), ""},
		{"elements nested without end", fuzzWorkbook(t, fuzzBook, deep, "<sst/>", "<styleSheet/>"), "elements nested more than 64 deep"},
		{"shared strings nested without end", fuzzWorkbook(t, fuzzBook, ok, deepSST, "<styleSheet/>"), "elements nested more than 64 deep"},
		{"an attribute of 3 MiB", fuzzWorkbook(t, fuzzBook, long, "<sst/>", "<styleSheet/>"), "longer than 1 MiB"},
		// A zip bomb declares what it unzips to (or is caught lying, below).
		{"a sheet of 300 MiB unzipped", sizedZip(t, fuzzWorkbook(t, fuzzBook, ok, "<sst/>", "<styleSheet/>"), 300<<20), "unzips to more than 256 MiB"},
		{"a lying size", sizedZip(t, fuzzWorkbook(t, fuzzBook, ok+strings.Repeat(" ", 1<<20), "<sst/>", "<styleSheet/>"), 100), "damaged"},
		{"one sheet part named by many sheets", fuzzWorkbook(t, strings.Replace(fuzzBook, `<sheet name="Data" sheetId="1" r:id="rId1"/>`,
			strings.Repeat(`<sheet name="Data" sheetId="1" r:id="rId1"/>`, 4_000), 1), ok, "<sst/>", "<styleSheet/>"), "two sheets are the same part"},
		{"too many sheets", fuzzWorkbook(t, strings.Replace(fuzzBook, `<sheet name="Data" sheetId="1" r:id="rId1"/>`,
			strings.Repeat(`<sheet name="Data" sheetId="1" r:id="rId2"/>`, 5_000), 1), ok, "<sst/>", "<styleSheet/>"), "the workbook has 5000 sheets"},
		{"a zip of 20,000 files", manyParts(t, 20_000), "the workbook holds 20000 files"},
		{"a zip64 of 70,000 files", manyParts(t, 70_000), "the workbook holds more than 65,534 files"},
		{"no workbook part", zipParts(t, [2]string{"a.txt", "hello"}), "the workbook has no part xl/workbook.xml"},
		{"DTD entities", fuzzWorkbook(t, fuzzBook, `<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>`, "<sst/>", "<styleSheet/>"), "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, errs := loadWorkbook(t, name, tt.book)
			if d := time.Since(start); d > 5*time.Second && !raceEnabled {
				t.Errorf("took %v", d)
			}
			if tt.want == "" {
				if len(errs) > 0 {
					t.Errorf("problems: %v", errs)
				}
				return
			}
			if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("problems:\n\t%s\nwant one with %q", strings.Join(errs, "\n\t"), tt.want)
			}
		})
	}
}

// sizedZip rewrites the size a zip declares for its sheet unzipped.
func sizedZip(t *testing.T, b []byte, size uint64) []byte {
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range r.File {
		h := f.FileHeader
		if strings.Contains(f.Name, "sheet1") {
			h.UncompressedSize64 = size
		}
		w, err := z.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		var data bytes.Buffer
		data.ReadFrom(raw)
		w.Write(data.Bytes())
	}
	z.Close()
	return buf.Bytes()
}

// manyParts is a zip of n empty files.
func manyParts(t *testing.T, n int) []byte {
	parts := make([][2]string, n)
	for i := range parts {
		parts[i] = [2]string{strconv.Itoa(i), ""}
	}
	return zipParts(t, parts...)
}
