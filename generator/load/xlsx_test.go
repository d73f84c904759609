package load

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/drumbeat/drumbeat/generator/model"
)

// A test workbook's cells: a string is a text cell, a float64 or int a
// number, and these the rest.
type (
	numFmt struct { // a number shown with a number format code
		v    float64
		code string
	}
	formula string // a formula with no saved result
)

type sheetSpec struct {
	name   string
	hidden bool
	rows   [][]any
	merge  []string // "A1:C1"
}

// makeWorkbook writes a workbook with excelize, as a program would.
func makeWorkbook(t testing.TB, date1904 bool, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	styles := map[string]int{}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var err error
				switch v := v.(type) {
				case nil:
				case numFmt:
					id, ok := styles[v.code]
					if !ok {
						code := v.code
						id, err = f.NewStyle(&excelize.Style{CustomNumFmt: &code})
						if err != nil {
							t.Fatal(err)
						}
						styles[v.code] = id
					}
					if err = f.SetCellFloat(sh.name, cell, v.v, -1, 64); err == nil {
						err = f.SetCellStyle(sh.name, cell, cell, id)
					}
				case formula:
					err = f.SetCellFormula(sh.name, cell, string(v))
				default:
					err = f.SetCellValue(sh.name, cell, v)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range sh.merge {
			a, b, _ := strings.Cut(m, ":")
			if err := f.MergeCell(sh.name, a, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, sh := range sheets {
		if !sh.hidden {
			f.SetActiveSheet(i) // excelize does not hide the active sheet
			break
		}
	}
	for _, sh := range sheets {
		if sh.hidden {
			if err := f.SetSheetVisible(sh.name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawWorkbook writes a workbook whose first sheet's XML is sheet (the
// inside of <sheetData>), with styles holding the number formats codes
// (style 1 is codes[0], …), by hand: for what excelize does not write,
// such as a formula with its saved result.
func rawWorkbook(t testing.TB, date1904 bool, sheetData string, codes ...string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	pr := ""
	if date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+pr+`<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	var fmts, xfs strings.Builder
	xfs.WriteString(`<xf numFmtId="0"/>`)
	for i, c := range codes {
		fmt.Fprintf(&fmts, `<numFmt numFmtId="%d" formatCode="%s"/>`, 164+i, c)
		fmt.Fprintf(&xfs, `<xf numFmtId="%d"/>`, 164+i)
	}
	add("xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>`+fmts.String()+`</numFmts><cellXfs>`+xfs.String()+`</cellXfs></styleSheet>`)
	add("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sheetData+`</sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// loadWorkbook loads a site with the test metrics and one observations
// workbook.
func loadWorkbook(t *testing.T, name string, data []byte) (*Source, []string) {
	t.Helper()
	fsys := siteFS(map[string]string{MetricsFile: testMetrics})
	fsys[name] = &fstest.MapFile{Data: data}
	src, errs := Dir(fsys)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	return src, got
}

// serial is the date serial number of a day in the 1900 or 1904 system.
func serial(y int, m time.Month, d int, date1904 bool) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24
}

func wbObsText(obs []model.Observation) []string {
	var out []string
	for _, o := range obs {
		s := fmt.Sprintf("%s %s %v", o.Metric, o.Period, o.Value)
		if o.Partner != "" {
			s += " " + o.Partner
		}
		if o.Note != "" {
			s += " (" + o.Note + ")"
		}
		out = append(out, s+" @"+o.Pos.String())
	}
	return out
}

func TestWorkbookObservations(t *testing.T) {
	const name = "data/observations/doses.xlsx"
	tests := []struct {
		name   string
		book   []byte
		want   []string
		errors []string
	}{{
		name: "long form, typed cells",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"Metric", "Period", "Value", "Partner", "Note"},
			{"doses_given", "2025-Q3", 1830, "lakeside-clinic", "first"},
			{"coverage_2y", "2025-Q3", numFmt{0.724, "0.0%"}},
			{"coverage_2y", "2025-Q4", 73.5},
			{"doses_given", "2025-Q4", nil, nil, "a gap"},
			{"doses_given", 2026, "1,200"},
			{},
			{"outbreaks", numFmt{serial(2025, 9, 15, false), "yyyy-mm-dd"}, 2},
			{"outbreaks", numFmt{serial(2025, 10, 31, false), "mmm yyyy"}, 1},
			{"outbreaks", numFmt{serial(2024, 12, 31, false), "yyyy"}, 4},
			{"outbreaks", numFmt{serial(2025, 9, 16, false) - 1e-10, "yyyy-mm-dd"}, 3},
			{"outbreaks", numFmt{serial(2025, 9, 17, false) + 0.9999, "yyyy-mm-dd hh:mm"}, 5},
			{"doses_given", "2025", 0.1 + 0.2},
			{"coverage_2y", "2026-Q1", numFmt{80.1 / 100, "0.0%"}},
		}}),
		want: []string{
			"doses_given 2025-Q3 1830 lakeside-clinic (first) @" + name + ":Q3!C2",
			"coverage_2y 2025-Q3 72.4 @" + name + ":Q3!C3",
			"coverage_2y 2025-Q4 73.5 @" + name + ":Q3!C4",
			"doses_given 2026 1200 @" + name + ":Q3!C6",
			"outbreaks 2025-09-15 2 @" + name + ":Q3!C8",
			"outbreaks 2025-10 1 @" + name + ":Q3!C9",
			"outbreaks 2024 4 @" + name + ":Q3!C10",
			"outbreaks 2025-09-16 3 @" + name + ":Q3!C11",
			"outbreaks 2025-09-17 5 @" + name + ":Q3!C12",
			"doses_given 2025 0.3 @" + name + ":Q3!C13",
			"coverage_2y 2026-Q1 80.1 @" + name + ":Q3!C14",
		},
	}, {
		name: "wide form, two sheets, a hidden one left out",
		book: makeWorkbook(t, false,
			sheetSpec{name: "2024", rows: [][]any{
				{"period", "coverage_2y", "outbreaks"},
				{"2024-Q1", numFmt{0.718, "0%"}, 3},
				{"2024-Q2", nil, 2},
			}},
			sheetSpec{name: "Workings", hidden: true, rows: [][]any{{"not", "a", "table"}}},
			sheetSpec{name: "Q3 2025", rows: [][]any{
				{"period", "outbreaks"},
				{numFmt{serial(2025, 7, 1, false), "mmmm yyyy"}, 1},
			}},
		),
		want: []string{
			"coverage_2y 2024-Q1 71.8 @" + name + ":'2024'!B2",
			"outbreaks 2024-Q1 3 @" + name + ":'2024'!C2",
			"outbreaks 2024-Q2 2 @" + name + ":'2024'!C3",
			"outbreaks 2025-07 1 @" + name + ":'Q3 2025'!B2",
		},
	}, {
		name: "1904 date system",
		book: makeWorkbook(t, true, sheetSpec{name: "Data", rows: [][]any{
			{"period", "outbreaks"},
			{numFmt{serial(2025, 3, 31, true), "d mmm yyyy"}, 2},
		}}),
		want: []string{"outbreaks 2025-03-31 2 @" + name + ":Data!B2"},
	}, {
		name: "1900 date system, same serial",
		book: makeWorkbook(t, false, sheetSpec{name: "Data", rows: [][]any{
			{"period", "outbreaks"},
			{numFmt{serial(2025, 3, 31, true), "d mmm yyyy"}, 2},
		}}),
		want: []string{"outbreaks 2021-03-30 2 @" + name + ":Data!B2"},
	}, {
		name: "blank rows and a blank sheet",
		book: makeWorkbook(t, false,
			sheetSpec{name: "Sheet1"},
			sheetSpec{name: "Data", rows: [][]any{{}, {}, {nil, "period", "outbreaks"}, {nil, "2025", 1}}},
		),
		want: []string{"outbreaks 2025 1 @" + name + ":Data!C4"},
	}, {
		name: "formula with its saved result",
		book: rawWorkbook(t, false, `<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="B1" t="inlineStr"><is><r><t>out</t></r><r><t>breaks</t></r><rPh sb="0" eb="1"><t>アウト</t></rPh></is></c><c r="C1" t="inlineStr"><is><t>coverage_2y</t></is></c></row>`+
			`<row r="2"><c r="A2" t="str"><f>"2025-"&amp;"Q1"</f><v>2025-Q1</v></c><c r="B2"><f>1+1</f><v>2</v></c><c r="C2" s="1"><f>A9/B9</f><v>0.72399999999999998</v></c></row>`, "0.00%"),
		want: []string{
			"outbreaks 2025-Q1 2 @" + name + ":Data!B2",
			"coverage_2y 2025-Q1 72.4 @" + name + ":Data!C2",
		},
	}, {
		name: "an ISO date cell, an error value, shared strings with a reading guide",
		book: rawWorkbook(t, false, `<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="B1" t="inlineStr"><is><t>outbreaks</t></is></c></row>`+
			`<row r="2"><c r="A2" t="d"><v>2025-03-31T00:00:00</v></c><c r="B2"><v>4</v></c></row>`+
			`<row r="3"><c r="A3" t="inlineStr"><is><t>2025-Q2</t></is></c><c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>`),
		want:   []string{"outbreaks 2025-03-31 4 @" + name + ":Data!B2"},
		errors: []string{name + `:Data!B3: outbreaks: the cell shows the error #DIV/0!, not a number`},
	}, {
		name: "formula without a saved result",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"period", "outbreaks", "doses_given"},
			{"2025-Q1", 1, 2},
			{"2025-Q2", formula("B2+1"), 3},
		}}),
		want:   []string{"outbreaks 2025-Q1 1 @" + name + ":Q3!B2", "doses_given 2025-Q1 2 @" + name + ":Q3!C2", "doses_given 2025-Q2 3 @" + name + ":Q3!C3"},
		errors: []string{name + ":Q3!B3: outbreaks: the formula in this cell has no saved result"},
	}, {
		name: "text in a number column",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"metric", "period", "value"},
			{"doses_given", "2025-Q3", "about 40"},
			{"doses_given", "2025-Q4", true},
		}}),
		errors: []string{
			name + `:Q3!C2: "about 40" is not a number (the cell holds text, not a number)`,
			name + `:Q3!C3: TRUE is not a number`,
		},
	}, {
		name: "percentage for a metric not in %, date in a number column",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"period", "doses_given"},
			{"2025-Q3", numFmt{0.5, "0%"}},
			{"2025-Q4", numFmt{serial(2025, 1, 2, false), "yyyy-mm-dd"}},
		}}),
		errors: []string{
			name + `:Q3!B2: doses_given: 50% is a percentage but the metric's unit is not %`,
			name + `:Q3!B3: doses_given: the cell is formatted as a date or time (2025-01-02), not a number`,
		},
	}, {
		name: "bad periods",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"period", "outbreaks"},
			{45000, 1},
			{numFmt{0.5, "h:mm"}, 1},
			{"Q3", 1},
		}}),
		errors: []string{
			name + `:Q3!A2: the number 45000 is not a period`,
			name + `:Q3!A3: a time (0.5) is not a period`,
			name + `:Q3!A4: "Q3" is not a period`,
		},
	}, {
		name: "merged header cells",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", merge: []string{"B1:C1"}, rows: [][]any{
			{"period", "outbreaks"},
			{"2025-Q3", 1, 2},
		}}),
		errors: []string{name + `:Q3!C2: this cell has a value but its column has no name in the header (row 1) (give each column its own name in the header row; a merged header cell names only its first column, so unmerge it)`},
	}, {
		name: "a title row above the header",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", merge: []string{"A1:C1"}, rows: [][]any{
			{"Doses given in the third quarter"},
			{"metric", "period", "value"},
			{"doses_given", "2025-Q3", 1},
		}}),
		errors: []string{name + `:Q3!A1: the header (row 1) has no "period" column`},
	}, {
		name: "unknown metric and column",
		book: makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
			{"period", "outbreak"},
		}}),
		errors: []string{name + `:Q3!B1: metric "outbreak" is not in data/metrics.csv (did you mean "outbreaks"?)`},
	}, {
		name:   "only hidden sheets",
		book:   makeWorkbook(t, false, sheetSpec{name: "A", rows: [][]any{{"x"}}}, sheetSpec{name: "B", hidden: true, rows: [][]any{{"period"}}}),
		errors: []string{name + `:A!A1: the header (row 1) has no "period" column`},
	}, {
		name:   "not a workbook",
		book:   []byte("metric,period,value\n"),
		errors: []string{name + `: the file is not an .xlsx workbook`},
	}, {
		name:   "an old or encrypted Excel file",
		book:   append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
		errors: []string{name + `: the file is an encrypted workbook or an old Excel file (.xls), not an .xlsx workbook (remove the password`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadWorkbook(t, name, tt.book)
			got := wbObsText(src.Observations)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("observations:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			ok := len(errs) == len(tt.errors)
			for i := 0; ok && i < len(errs); i++ {
				ok = strings.HasPrefix(errs[i], tt.errors[i])
			}
			if !ok {
				t.Errorf("problems:\n\t%s\nwant:\n\t%s", strings.Join(errs, "\n\t"), strings.Join(tt.errors, "\n\t"))
			}
		})
	}
}

func TestWorkbookExcelLockFileIgnored(t *testing.T) {
	fsys := siteFS(map[string]string{MetricsFile: testMetrics})
	fsys["data/observations/~$doses.xlsx"] = &fstest.MapFile{Data: []byte("\x05owner")}
	if _, errs := Dir(fsys); len(errs) > 0 {
		t.Errorf("Excel's lock file was read: %v", errs)
	}
}

func TestWorkbookMetrics(t *testing.T) {
	fsys := siteFS(nil)
	fsys[MetricsWorkbook] = &fstest.MapFile{Data: makeWorkbook(t, false,
		sheetSpec{name: "Notes", hidden: true, rows: [][]any{{"read me"}}},
		sheetSpec{name: "Metrics", rows: [][]any{
			{"id", "name", "perspective", "level", "unit", "direction", "baseline", "target", "target_date", "synonyms"},
			{"coverage_2y", "Coverage", "impact", "impact", "%", "up", numFmt{0.71, "0%"}, 90, numFmt{serial(2027, 12, 31, false), "mmm yyyy"}, "coverage; immunisation rate"},
			{"doses_given", "Doses", "impact", "output", "doses", "down", 4700, "6,200", 2026},
			{"bad id", "Bad", "impact", "output", "doses", "sideways", "lots"},
		}},
		sheetSpec{name: "Other", rows: [][]any{{"not read"}}},
	)}
	src, errs := Dir(fsys)
	checkErrs(t, errs,
		MetricsWorkbook+`:Metrics!A4: metric id "bad id" may use only`,
	)
	if len(src.Metrics) != 2 {
		t.Fatalf("metrics: %d, want 2", len(src.Metrics))
	}
	m := src.Metrics[0]
	if m.ID != "coverage_2y" || *m.Baseline != 71 || *m.Target != 90 || m.TargetDate.String() != "2027-12" || len(m.Synonyms) != 2 || m.Pos.String() != MetricsWorkbook+":Metrics!A2" {
		t.Errorf("metric 0: %+v baseline %v target %v", m, *m.Baseline, *m.Target)
	}
	m = src.Metrics[1]
	if !m.Down || *m.Baseline != 4700 || *m.Target != 6200 || m.TargetDate.String() != "2026" {
		t.Errorf("metric 1: %+v", m)
	}
}

func TestWorkbookMetricsTwice(t *testing.T) {
	fsys := siteFS(map[string]string{MetricsFile: testMetrics, "data/observations/o.csv": "period,outbreaks\n2025,1\n"})
	fsys[MetricsWorkbook] = &fstest.MapFile{Data: makeWorkbook(t, false, sheetSpec{name: "M", rows: [][]any{{"id"}}})}
	_, errs := Dir(fsys)
	checkErrs(t, errs, MetricsWorkbook+": the site has both data/metrics.csv and data/metrics.xlsx (keep the metrics in one of them and delete the other)")
}

func TestWorkbookMetricTwice(t *testing.T) {
	fsys := siteFS(nil)
	fsys[MetricsWorkbook] = &fstest.MapFile{Data: makeWorkbook(t, false, sheetSpec{name: "Metrics", rows: [][]any{
		{"id", "name", "perspective", "level", "unit", "direction"},
		{"doses", "Doses", "impact", "output", "doses", "up"},
		{"doses", "Doses again", "impact", "output", "doses", "up"},
	}})}
	in, errs := Dir(fsys)
	checkErrs(t, errs)
	_, merrs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	var got []string
	for _, e := range merrs.Errors() {
		got = append(got, e.Error())
	}
	want := MetricsWorkbook + `:Metrics!A3: metric "doses" is defined twice (first at Metrics!A2)`
	if len(got) == 0 || !strings.HasPrefix(got[0], want) {
		t.Errorf("model errors %q, want one starting %q", got, want)
	}
}

func TestWorkbookFormatKind(t *testing.T) {
	tests := []struct {
		code string
		want fmtKind
	}{
		{"General", fmtGeneral},
		{"0.00", fmtGeneral},
		{"#,##0 \"doses\"", fmtGeneral},
		{"0.00E+00", fmtGeneral},
		{"0%", fmtPercent},
		{"0.0%;[Red]-0.0%", fmtPercent},
		{"yyyy-mm-dd", fmtDay},
		{"d mmm yyyy", fmtDay},
		{"[$-409]mmmm yyyy;@", fmtMonth},
		{"mmm-yy", fmtMonth},
		{"yyyy", fmtYear},
		{"h:mm", fmtTime},
		{"[h]:mm:ss", fmtTime},
		{"mm:ss", fmtTime},
		{"yyyy-mm-dd hh:mm", fmtDay},
		{"[Red]0", fmtGeneral},
		{"\"day\" 0", fmtGeneral},
		{`0\d`, fmtGeneral},
	}
	for _, tt := range tests {
		if got := formatKind(tt.code); got != tt.want {
			t.Errorf("formatKind(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestWorkbookCellName(t *testing.T) {
	for _, tt := range []struct {
		sheet string
		want  string
	}{
		{"Q3", "Q3!C7"}, {"Q3 2025", "'Q3 2025'!C7"}, {"2024", "'2024'!C7"}, {"Bob's", "'Bob''s'!C7"}, {"Données", "Données!C7"},
	} {
		if got := cellName(tt.sheet, 7, 3); got != tt.want {
			t.Errorf("cellName(%q) = %q, want %q", tt.sheet, got, tt.want)
		}
	}
}

func TestWorkbookNamedSheets(t *testing.T) {
	const name = "data/observations/doses.xlsx"
	book := makeWorkbook(t, false,
		sheetSpec{name: "Notes", rows: [][]any{{"Read me first"}}},
		sheetSpec{name: "Q3", hidden: true, rows: [][]any{{"period", "outbreaks"}, {"2025-Q3", 1}}},
		sheetSpec{name: "Q4", rows: [][]any{{"period", "outbreaks"}, {"2025-Q4", 2}}},
		sheetSpec{name: "Empty"},
	)
	tests := []struct {
		name   string
		config string
		want   []string
		errors []string
	}{
		{"every visible sheet", "", []string{"outbreaks 2025-Q4 2 @" + name + ":Q4!B2"}, []string{name + `:Notes!A1: the header (row 1) has no "period" column`}},
		{"named sheets, a hidden one too, in the order named", "workbooks:\n  " + name + ": [Q4, q3]\n",
			[]string{"outbreaks 2025-Q4 2 @" + name + ":Q4!B2", "outbreaks 2025-Q3 1 @" + name + ":Q3!B2"}, nil},
		{"a sheet the workbook lacks", "workbooks:\n  " + name + ": [Q5]\n",
			nil, []string{name + `: the workbook has no sheet "Q5" (named in site.yaml, workbooks:) (did you mean "Q3"?)`}},
		{"an empty sheet named", "workbooks:\n  " + name + ": [Empty]\n",
			nil, []string{name + `:Empty!A1: the sheet is empty (it is named in site.yaml, workbooks:)`}},
		{"a workbook the site lacks", "workbooks:\n  data/observations/dose.xlsx: [Q3]\n  " + name + ": [Q3]\n",
			[]string{"outbreaks 2025-Q3 1 @" + name + ":Q3!B2"}, []string{`site.yaml:2:1: workbooks: data/observations/dose.xlsx is not a workbook of the site (did you mean "data/observations/doses.xlsx"?)`}},
		{"no sheet named", "workbooks:\n  " + name + ": []\n",
			[]string{"outbreaks 2025-Q4 2 @" + name + ":Q4!B2"}, []string{name + `:Notes!A1: the header (row 1) has no "period" column`, `site.yaml:2:1: workbooks: data/observations/doses.xlsx names no sheet`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := siteFS(map[string]string{MetricsFile: testMetrics, ConfigFile: "title: Test\n" + tt.config})
			fsys[name] = &fstest.MapFile{Data: book}
			src, errs := Dir(fsys)
			got := wbObsText(src.Observations)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("observations:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			checkErrs(t, errs, tt.errors...)
		})
	}
}

func TestWorkbookMetricsNamedSheet(t *testing.T) {
	fsys := siteFS(map[string]string{ConfigFile: "title: Test\nworkbooks:\n  data/metrics.xlsx: [Defs]\n"})
	fsys[MetricsWorkbook] = &fstest.MapFile{Data: makeWorkbook(t, false,
		sheetSpec{name: "Cover", rows: [][]any{{"Riverbend metrics"}}},
		sheetSpec{name: "Defs", hidden: true, rows: [][]any{
			{"id", "name", "perspective", "level", "unit", "direction"},
			{"coverage_2y", "Coverage", "impact", "impact", "%", "up"},
		}},
	)}
	fsys["data/observations/o.xlsx"] = &fstest.MapFile{Data: makeWorkbook(t, false,
		sheetSpec{name: "O", rows: [][]any{{"period", "coverage", "coverage_2y"}, {"2025", 1, 2}}})}
	src, errs := Dir(fsys)
	checkErrs(t, errs, `data/observations/o.xlsx:O!B1: metric "coverage" is not in data/metrics.xlsx`)
	if len(src.Metrics) != 1 || src.Metrics[0].ID != "coverage_2y" {
		t.Errorf("metrics: %v", src.Metrics)
	}
}

// TestWorkbookTextNumbersFollowCSVRules: a number typed as text in a
// workbook is read by the rules of a CSV file, so site.yaml's data:
// {decimal: ...} applies to it and 2.600 in a count is ambiguous when the
// style is unsaid.
func TestWorkbookTextNumbersFollowCSVRules(t *testing.T) {
	const name = "data/observations/doses.xlsx"
	book := makeWorkbook(t, false, sheetSpec{name: "Q3", rows: [][]any{
		{"metric", "period", "value"},
		{"doses_given", "2025-Q3", "2.600"},
		{"coverage_2y", "2025-Q3", "72,4"},
	}})
	tests := []struct {
		name   string
		config string
		want   []string
		errors []string
	}{{
		name: "unsaid",
		want: nil,
		errors: []string{
			name + `:Q3!C2: "2.600" is ambiguous: 2600 where a point separates thousands (1.234,5), or 2.6 (in a metric counted in doses) (the cell holds text, not a number) (write 2600 or 2.6, or say in site.yaml`,
			name + `:Q3!C3: "72,4" is ambiguous`,
		},
	}, {
		name:   "decimal comma for the site",
		config: "data:\n  decimal: \",\"\n",
		want:   []string{"doses_given 2025-Q3 2600 @" + name + ":Q3!C2", "coverage_2y 2025-Q3 72.4 @" + name + ":Q3!C3"},
	}, {
		name:   "decimal comma for this workbook",
		config: "data:\n  files:\n    " + name + ": {decimal: \",\"}\n",
		want:   []string{"doses_given 2025-Q3 2600 @" + name + ":Q3!C2", "coverage_2y 2025-Q3 72.4 @" + name + ":Q3!C3"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := siteFS(map[string]string{MetricsFile: testMetrics})
			if tt.config != "" {
				fsys["site.yaml"] = &fstest.MapFile{Data: append(append([]byte(nil), fsys["site.yaml"].Data...), tt.config...)}
			}
			fsys[name] = &fstest.MapFile{Data: book}
			src, list := Dir(fsys)
			var errs []string
			for _, e := range list {
				errs = append(errs, e.Error())
			}
			got := wbObsText(src.Observations)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("observations:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			ok := len(errs) == len(tt.errors)
			for i := 0; ok && i < len(errs); i++ {
				ok = strings.HasPrefix(errs[i], tt.errors[i])
			}
			if !ok {
				t.Errorf("problems:\n\t%s\nwant:\n\t%s", strings.Join(errs, "\n\t"), strings.Join(tt.errors, "\n\t"))
			}
		})
	}
}
