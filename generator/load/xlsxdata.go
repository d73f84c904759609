package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
)

// MetricsWorkbook is the workbook form of MetricsFile.
const MetricsWorkbook = "data/metrics.xlsx"

// wbFile reads the tables of one workbook, collecting its problems (at
// most maxCSVErrors, as for a CSV file).
type wbFile struct {
	name  string
	w     *workbook
	errs  *diag.List
	nerrs int
	style model.NumberStyle // how its text cells write numbers (data: in site.yaml)
}

// openWorkbookFile opens a workbook of the site, or reports why it cannot.
func openWorkbookFile(fsys fs.FS, name string, errs *diag.List) (*wbFile, bool) {
	if !noLink(fsys, name, errs) {
		return nil, false
	}
	b, err := readWorkbookFile(fsys, name)
	var w *workbook
	if err == nil {
		w, err = openWorkbook(name, b)
	}
	if err != nil {
		e := errs.Errorf(diag.Pos{File: name}, "%v", err)
		var we *errWorkbook
		if errors.As(err, &we) {
			e.WithHint("%s", we.hint)
		}
		return nil, false
	}
	return &wbFile{name: name, w: w, errs: errs}, true
}

func (f *wbFile) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	f.nerrs++
	if f.nerrs == maxCSVErrors+1 {
		f.errs.Errorf(pos, "too many problems in this workbook; stopped reading").
			WithHint("check that it is the right file and that its columns match the header")
	}
	e := diag.Errorf(pos, format, args...)
	if f.nerrs <= maxCSVErrors {
		f.errs.Add(e)
	}
	return e
}

func (f *wbFile) stopped() bool { return f.nerrs > maxCSVErrors }

// wbTable is one sheet read as a table: its header row, then data rows.
type wbTable struct {
	f      *wbFile
	sheet  string
	rows   *sheetRows
	hrow   int      // the header's row
	header []string // lower-cased column names, by column from 0
	col    map[string]int
	named  []bool // which columns have a name
}

// pos returns the place of the cell at column i (from 0) of the current row.
func (t *wbTable) pos(i int) diag.Pos { return t.at(t.rows.row, i) }

func (t *wbTable) at(row, i int) diag.Pos {
	return diag.Pos{File: t.f.name, Line: row, Col: i + 1, Cell: cellName(t.sheet, row, i+1)}
}

// headerPos is the place of the header row: its first cell.
func (t *wbTable) headerPos() diag.Pos { return t.at(t.hrow, 0) }

// table starts reading a sheet and reads its header: the first row with a
// value. It returns false when the sheet has no cell at all (empty) or
// its header is wrong (reported).
func (f *wbFile) table(sh wbSheet) (*wbTable, bool) {
	rows, err := f.w.rows(sh)
	if err != nil {
		f.sheetError(sh.name, err)
		return nil, false
	}
	t := &wbTable{f: f, sheet: sh.name, rows: rows}
	if !rows.next() {
		rows.close()
		if rows.err != nil {
			f.sheetError(sh.name, rows.err)
		}
		return nil, false
	}
	t.hrow = rows.row
	width := rows.cells[len(rows.cells)-1].col
	t.header = make([]string, width)
	t.named = make([]bool, width)
	t.col = make(map[string]int, len(rows.cells))
	ok := true
	for _, c := range rows.cells {
		i := c.col - 1
		h := ""
		switch c.kind {
		case cellText:
			h = strings.ToLower(c.text)
		case cellNumber:
			h = formatNumber(c.num)
		case cellEmpty:
			continue
		default:
			f.errorf(t.pos(i), "the header cell is not a column name").
				WithHint("the first row with values is the header: write the name of each column in it")
			ok = false
			continue
		}
		t.header[i], t.named[i] = h, true
		if _, dup := t.col[h]; dup {
			f.errorf(t.pos(i), "column %q appears twice in the header", h)
			ok = false
			continue
		}
		t.col[h] = i
	}
	if !ok {
		rows.close()
		return nil, false
	}
	return t, true
}

func (f *wbFile) sheetError(sheet string, err error) {
	e := f.errorf(diag.Pos{File: f.name, Cell: cellName(sheet, 1, 1)}, "%v", err)
	var we *errWorkbook
	if errors.As(err, &we) {
		e.WithHint("%s", we.hint)
	}
}

// next returns the next data row, or nil at the end. A value in a column
// without a name is reported (a merged header cell names only its first
// column) and the row skipped.
func (t *wbTable) next() []wbCell {
	for !t.f.stopped() && t.rows.next() {
		cells := t.rows.cells
		ok := true
		for _, c := range cells {
			if i := c.col - 1; i >= len(t.named) || !t.named[i] {
				t.f.errorf(t.pos(i), "this cell has a value but its column has no name in the header (row %d)", t.hrow).
					WithHint("give each column its own name in the header row; a merged header cell names only its first column, so unmerge it")
				ok = false
			}
		}
		if ok {
			return cells
		}
	}
	if t.rows.err != nil && !t.f.stopped() {
		t.f.sheetError(t.sheet, t.rows.err)
		t.rows.err = nil
	}
	return nil
}

func (t *wbTable) close() { t.rows.close() }

// get returns the cell of a named column in a row, and the column (from 0).
func (t *wbTable) get(rec []wbCell, name string) (wbCell, int) {
	i, ok := t.col[name]
	if !ok {
		return wbCell{}, -1
	}
	return cellAt(rec, i), i
}

// cellAt returns the cell at column i (from 0) of a row, empty if it has none.
func cellAt(rec []wbCell, i int) wbCell {
	if j, ok := slices.BinarySearchFunc(rec, i+1, func(c wbCell, col int) int { return c.col - col }); ok {
		return rec[j]
	}
	return wbCell{}
}

// formatNumber writes a number as a CSV file exported from a spreadsheet
// would: at most 15 significant digits (what a spreadsheet shows), so
// 0.1+0.2 is 0.3 and 72.400000000000006 is 72.4.
func formatNumber(x float64) string {
	return strconv.FormatFloat(round15(x, 0), 'f', -1, 64)
}

// round15 rounds a number to the 15 significant digits a spreadsheet
// shows, then multiplies it by 10^shift in decimal (a percentage stored as
// 0.8009999999999999 is shown as 80.1 %, and is 80.1, not
// 80.09999999999998).
func round15(x float64, shift int) float64 {
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', 14, 64), "e")
	e, _ := strconv.Atoi(exp)
	v, _ := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+shift), 64)
	return v
}

// text returns what a cell holds as text (an id, a partner, a note).
func (t *wbTable) text(c wbCell) string {
	switch c.kind {
	case cellText, cellBool, cellError, cellDate:
		return c.text
	case cellNumber:
		if c.fmt == fmtPercent {
			return strconv.FormatFloat(round15(c.num, 2), 'f', -1, 64) + "%"
		}
		if c.fmt >= fmtYear && c.fmt <= fmtDay {
			if p, err := t.period(c); err == nil {
				return p.String()
			}
		}
		return formatNumber(c.num)
	}
	return ""
}

// number reads a cell of a number column of a metric with unit. A text
// cell is read by the rules of a CSV file (numbers.go): the site's or the
// file's decimal style, and 2.600 in a count is ambiguous when unsaid.
func (t *wbTable) number(c wbCell, unit string) (float64, error) {
	pct := unit == "%"
	switch c.kind {
	case cellNumber:
		shift := 0
		switch c.fmt {
		case fmtPercent:
			if !pct {
				return 0, fmt.Errorf("%s is a percentage but the metric's unit is not %%; format the cell as a number (Format Cells → Number)", t.text(c))
			}
			shift = 2
		case fmtYear, fmtMonth, fmtDay, fmtTime:
			return 0, fmt.Errorf("the cell is formatted as a date or time (%s), not a number; format it as a number (Format Cells → Number)", t.text(c))
		}
		v := round15(c.num, shift)
		if err := model.CheckMagnitude(v); err != nil {
			return 0, fmt.Errorf("%s %v", formatNumber(v), err)
		}
		return v, nil
	case cellText:
		csv := csvFile{name: t.f.name, sep: ',', style: t.f.style}
		v, ne := csv.number(c.text, unit)
		if ne != nil {
			return 0, &numberError{msg: ne.msg + " (the cell holds text, not a number)", hint: ne.hint}
		}
		return v, nil
	case cellBool:
		return 0, fmt.Errorf("%s is not a number", c.text)
	case cellError:
		return 0, fmt.Errorf("the cell shows the error %s, not a number; correct the formula or the values it uses", c.text)
	case cellDate:
		return 0, fmt.Errorf("the cell holds a date (%s), not a number", c.text)
	case cellNoValue:
		return 0, errNoCachedValue
	}
	return 0, fmt.Errorf("the cell is empty")
}

var errNoCachedValue = errors.New("the formula in this cell has no saved result (the workbook was made by a program and never opened in a spreadsheet); open it in Excel or LibreOffice and save it, so that every formula is calculated")

// period reads a cell of a period column: text (2026, 2026-Q3, 2026-09,
// 2026-09-15), a date (by its format: a date shown with its day is that
// day, shown as month and year that month, as a year alone that year), or
// a whole number from 1000 to 9999 (a year).
func (t *wbTable) period(c wbCell) (model.Period, error) {
	switch c.kind {
	case cellText:
		return model.ParsePeriod(c.text)
	case cellDate:
		d, _, _ := strings.Cut(c.text, "T")
		return model.ParsePeriod(d)
	case cellNoValue:
		return model.Period{}, errNoCachedValue
	case cellNumber:
		switch c.fmt {
		case fmtYear, fmtMonth, fmtDay:
			if c.num < 1 || c.num > 2958465 {
				return model.Period{}, fmt.Errorf("%s is not a date a spreadsheet can show", formatNumber(c.num))
			}
			tm, err := excelize.ExcelDateToTime(c.num, t.f.w.date1904)
			if err != nil {
				return model.Period{}, fmt.Errorf("%s is not a date: %v", formatNumber(c.num), err)
			}
			// A calculated date may be a hair short of midnight
			// (45365.99999999999): round to the second; a time of day
			// is not part of the period.
			tm = tm.Round(time.Second).Truncate(24 * time.Hour)
			switch c.fmt {
			case fmtYear:
				return model.ParsePeriod(tm.Format("2006"))
			case fmtMonth:
				return model.ParsePeriod(tm.Format("2006-01"))
			}
			return model.ParsePeriod(tm.Format("2006-01-02"))
		case fmtGeneral:
			if c.num == math.Trunc(c.num) && c.num >= 1000 && c.num <= 9999 {
				return model.ParsePeriod(strconv.Itoa(int(c.num)))
			}
		}
	}
	return model.Period{}, fmt.Errorf("%s is not a period; write a year (2026), a quarter (2026-Q3), a month (2026-09) or a day (2026-09-15), or a date formatted as a date", describeCell(t, c))
}

// describeCell names what a cell holds, for a message.
func describeCell(t *wbTable, c wbCell) string {
	switch c.kind {
	case cellEmpty:
		return "an empty cell"
	case cellText:
		return strconv.Quote(truncate(c.text, 80))
	case cellNumber:
		if c.fmt == fmtTime {
			return "a time (" + formatNumber(c.num) + ")"
		}
		return "the number " + t.text(c)
	case cellBool:
		return c.text
	case cellError:
		return "the error " + c.text
	}
	return t.text(c)
}

// visibleSheets returns the worksheets a workbook's tables are read from:
// every visible one. Chart sheets have no cells and are left out.
func (w *workbook) visibleSheets() []wbSheet {
	var out []wbSheet
	for _, s := range w.sheets {
		if !s.hidden && s.part != "" {
			out = append(out, s)
		}
	}
	return out
}

// namedSheets returns the sheets site.yaml names, hidden or not, in the
// order named; a name the workbook lacks is reported.
func (f *wbFile) namedSheets(names []string) ([]wbSheet, bool) {
	var out []wbSheet
	ok := true
	for _, n := range names {
		i := slices.IndexFunc(f.w.sheets, func(s wbSheet) bool { return s.name == n })
		if i < 0 {
			i = slices.IndexFunc(f.w.sheets, func(s wbSheet) bool { return strings.EqualFold(s.name, n) })
		}
		if i < 0 || f.w.sheets[i].part == "" {
			var have []string
			for _, s := range f.w.sheets {
				if s.part != "" {
					have = append(have, s.name)
				}
			}
			e := f.errorf(diag.Pos{File: f.name}, "the workbook has no sheet %q (named in %s, workbooks:)", truncate(n, 80), ConfigFile)
			if s := diag.Suggest(n, have); s != "" {
				e.WithHint("did you mean %q?", s)
			} else {
				e.WithHint("its sheets are %s", quoteList(have))
			}
			ok = false
			continue
		}
		out = append(out, f.w.sheets[i])
	}
	return out, ok
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// readObservationWorkbooks reads every workbook under data/observations,
// in parallel, and checks that the workbooks site.yaml names exist.
func readObservationWorkbooks(fsys fs.FS, cfg model.Config, metrics []*model.Metric, errs *diag.List) []model.Observation {
	files := workbookFiles(fsys)
	checkNamedWorkbooks(fsys, cfg, files, errs)
	if len(files) == 0 {
		return nil
	}
	units := make(map[string]metricUnit, len(metrics))
	var ids []string
	for _, m := range metrics {
		units[m.ID] = metricUnit{id: m.ID, unit: m.Unit}
		ids = append(ids, m.ID)
	}
	metricsName := MetricsFile
	if exists(fsys, MetricsWorkbook) {
		metricsName = MetricsWorkbook
	}
	results := make([][]model.Observation, len(files))
	lists := make([]diag.List, len(files))
	par.Do(len(files), func(i int) {
		results[i] = readObservationWorkbook(fsys, files[i], cfg.Workbooks[files[i]], cfg.Data.StyleOf(files[i]), metricsName, units, ids, &lists[i])
	})
	var out []model.Observation
	for i, r := range results {
		out = append(out, r...)
		errs.Append(lists[i])
	}
	return out
}

// workbookFiles lists the workbooks under data/observations, sorted. The
// lock files Excel keeps beside a workbook it has open (~$doses.xlsx) are
// left out. (Problems listing the folder are reported with its CSV files.)
func workbookFiles(fsys fs.FS) []string {
	var out []string
	for _, p := range listFiles(fsys, ObservationDir, new(diag.List)) {
		if strings.EqualFold(path.Ext(p), ".xlsx") && !strings.HasPrefix(path.Base(p), "~$") {
			out = append(out, p)
		}
	}
	return out
}

// checkNamedWorkbooks reports a workbook named in site.yaml's workbooks:
// that the site does not have.
func checkNamedWorkbooks(fsys fs.FS, cfg model.Config, files []string, errs *diag.List) {
	pos, ok := cfg.Lines["workbooks"]
	if !ok {
		pos = diag.Pos{File: ConfigFile, Line: 1}
	}
	names := slices.Sorted(maps.Keys(cfg.Workbooks))
	for _, n := range names {
		switch {
		case n == MetricsWorkbook && exists(fsys, MetricsWorkbook), slices.Contains(files, n):
			if len(cfg.Workbooks[n]) == 0 {
				errs.Errorf(pos, "workbooks: %s names no sheet", n).WithHint("write the sheets to read, such as %s: [Q3, Q4], or leave the workbook out to read every visible sheet", n)
			}
			if n == MetricsWorkbook && len(cfg.Workbooks[n]) > 1 {
				errs.Errorf(pos, "workbooks: %s names %d sheets; the metrics are read from one", n, len(cfg.Workbooks[n])).WithHint("name the sheet that holds the metrics")
			}
		default:
			var have []string
			if exists(fsys, MetricsWorkbook) {
				have = append(have, MetricsWorkbook)
			}
			have = append(have, files...)
			e := errs.Errorf(pos, "workbooks: %s is not a workbook of the site", truncate(n, 120))
			if s := diag.Suggest(n, have); s != "" {
				e.WithHint("did you mean %q?", s)
			} else {
				e.WithHint("name data/metrics.xlsx or a workbook under data/observations/, by its path from the site folder; the site has %s", quoteList(have))
			}
		}
	}
}

// readObservationWorkbook reads the observations in a workbook: the
// sheets named in site.yaml, or every visible sheet, each a table in long
// or wide form, as a CSV file is.
func readObservationWorkbook(fsys fs.FS, name string, named []string, style model.NumberStyle, metricsName string, units map[string]metricUnit, ids []string, errs *diag.List) []model.Observation {
	f, ok := openWorkbookFile(fsys, name, errs)
	if !ok {
		return nil
	}
	f.style = style
	sheets := f.w.visibleSheets()
	if len(named) > 0 {
		if sheets, ok = f.namedSheets(named); !ok {
			return nil
		}
	}
	var out []model.Observation
	read := 0
	for _, sh := range sheets {
		if f.stopped() {
			break
		}
		t, ok := f.table(sh)
		if !ok {
			if len(named) > 0 && f.nerrs == 0 {
				f.errorf(diag.Pos{File: name, Cell: cellName(sh.name, 1, 1)}, "the sheet is empty (it is named in %s, workbooks:)", ConfigFile).
					WithHint("a sheet named there must hold a table")
			}
			continue
		}
		read++
		out = t.observations(out, metricsName, units, ids)
		t.close()
	}
	if read == 0 && f.nerrs == 0 {
		e := f.errorf(diag.Pos{File: name}, "the workbook has no visible sheet with data")
		if len(sheets) < len(f.w.sheets) {
			e.WithHint("drumbeat reads every visible sheet and leaves hidden ones out; show the sheet that holds the data (right-click its tab → Unhide), or name it in %s (workbooks: {%s: [its name]})", ConfigFile, name)
		} else {
			e.WithHint("the first row with values in each sheet is its header: metric,period,value[,partner][,note] or period,<metric id>,…")
		}
	}
	return out
}

// observations reads a sheet's values in long or wide form and appends them to out.
func (t *wbTable) observations(out []model.Observation, metricsName string, units map[string]metricUnit, ids []string) []model.Observation {
	f := t.f
	unknownMetric := func(pos diag.Pos, id string) {
		e := f.errorf(pos, "metric %q is not in %s", truncate(id, 80), metricsName)
		if s := diag.Suggest(id, ids); s != "" {
			e.WithHint("did you mean %q?", s)
		} else {
			e.WithHint("add a row for it to %s, or correct the id", metricsName)
		}
	}
	_, hasMetric := t.col["metric"]
	_, hasValue := t.col["value"]
	pi, hasPeriod := t.col["period"]
	if !hasPeriod {
		f.errorf(t.headerPos(), "the header (row %d) has no \"period\" column", t.hrow).
			WithHint("the first row with values in each visible sheet is its header: long form metric,period,value[,partner][,note]; wide form period,<metric id>,<metric id>,…; delete title rows above it, or hide a sheet that holds no data")
		return out
	}
	before := f.nerrs
	start := len(out)
	// grow makes room for the sheet's values once sizeAfter are read,
	// estimated from how much of the sheet that took, as growToFit does
	// for a CSV file: grown by append alone, the values were copied some
	// thirty times, and at the last growth two copies were in memory.
	grow := func() {
		if len(out)-start != sizeAfter {
			return
		}
		if d := t.rows.done(); d > 0 && d < 1 {
			want := min(float64(sizeAfter)/d*1.05+16, maxValuesPerFile)
			if n := start + int(want); n > cap(out) {
				out = slices.Grow(out, n-len(out))
			}
		}
	}
	tooMany := func(pos diag.Pos) {
		f.errorf(pos, "the workbook holds more than %d values; drumbeat reads at most that many from one file", maxValuesPerFile).
			WithHint("add daily or weekly values up to months or quarters, or drop rows the site does not show")
	}
	if hasMetric || hasValue {
		if !hasMetric || !hasValue {
			f.errorf(t.headerPos(), "a long-form sheet needs the columns metric, period and value").
				WithHint("long form: metric,period,value[,partner][,note]")
			return out
		}
		for i, h := range t.header {
			switch h {
			case "metric", "period", "value", "partner", "note", "":
			default:
				f.errorf(t.at(t.hrow, i), "unknown column %q in a long-form sheet", h).
					WithHint("long form allows metric, period, value, partner and note; for one column per metric, drop the metric and value columns (wide form)")
			}
		}
		if f.nerrs > before {
			return out
		}
		mi, vi := t.col["metric"], t.col["value"]
		pai, hasPartner := t.col["partner"]
		ni, hasNote := t.col["note"]
		strs := interner{}
		for rec := t.next(); rec != nil; rec = t.next() {
			mc, _ := t.get(rec, "metric")
			id := t.text(mc)
			if id == "" {
				if vc, _ := t.get(rec, "value"); vc.kind != cellEmpty {
					f.errorf(t.pos(mi), "this row has a value but no metric").WithHint("write the metric's id in the metric column")
				}
				continue
			}
			mu, known := units[id]
			if !known {
				unknownMetric(t.pos(mi), id)
				continue
			}
			pc, _ := t.get(rec, "period")
			per, err := t.period(pc)
			if err != nil {
				f.errorf(t.pos(pi), "%v", err)
				continue
			}
			vc, _ := t.get(rec, "value")
			if vc.kind == cellEmpty {
				continue // a missing value: a gap, not a zero
			}
			v, err := t.number(vc, mu.unit)
			if err != nil {
				hinted(f.errorf(t.pos(vi), "%v", err), err)
				continue
			}
			if len(out) >= maxValuesPerFile {
				tooMany(t.pos(vi))
				return out
			}
			grow()
			o := model.Observation{Metric: mu.id, Period: per, Value: v, Pos: t.pos(vi)}
			if hasPartner {
				o.Partner = strs.get(t.text(cellAt(rec, pai)))
			}
			if hasNote {
				o.Note = t.text(cellAt(rec, ni))
			}
			out = append(out, o)
		}
		return out
	}
	// Wide form: period, then one column per metric.
	cols := make([]string, len(t.header))
	for i, h := range t.header {
		if i == pi || h == "" {
			continue
		}
		mu, ok := units[h]
		if !ok {
			unknownMetric(t.at(t.hrow, i), h)
			continue
		}
		cols[i] = mu.id
	}
	if f.nerrs > before {
		return out
	}
	for rec := t.next(); rec != nil; rec = t.next() {
		pc := cellAt(rec, pi)
		if pc.kind == cellEmpty {
			f.errorf(t.pos(rec[0].col-1), "this row has values but no period").WithHint("write the period in the period column")
			continue
		}
		per, err := t.period(pc)
		if err != nil {
			f.errorf(t.pos(pi), "%v", err)
			continue
		}
		for _, c := range rec {
			i := c.col - 1
			if i >= len(cols) || cols[i] == "" {
				continue
			}
			id := cols[i]
			v, err := t.number(c, units[id].unit)
			if err != nil {
				hinted(f.errorf(t.pos(i), "%s: %v", id, err), err)
				continue
			}
			if len(out) >= maxValuesPerFile {
				tooMany(t.pos(i))
				return out
			}
			grow()
			out = append(out, model.Observation{Metric: id, Period: per, Value: v, Pos: t.pos(i)})
		}
	}
	return out
}

// readMetricsWorkbook reads data/metrics.xlsx: its first visible sheet,
// or the sheet site.yaml names, with the columns of data/metrics.csv.
func readMetricsWorkbook(fsys fs.FS, cfg model.Config, errs *diag.List) []*model.Metric {
	name := MetricsWorkbook
	if exists(fsys, MetricsFile) {
		errs.Errorf(diag.Pos{File: name}, "the site has both %s and %s", MetricsFile, name).
			WithHint("keep the metrics in one of them and delete the other")
		// The CSV file's metrics still check the observations, so that
		// this is the one problem reported.
		return readMetrics(fsys, cfg.Data, errs)
	}
	f, ok := openWorkbookFile(fsys, name, errs)
	if !ok {
		return nil
	}
	f.style = cfg.Data.StyleOf(name)
	sheets := f.w.visibleSheets()
	if named := cfg.Workbooks[name]; len(named) == 1 {
		if sheets, ok = f.namedSheets(named); !ok {
			return nil
		}
	}
	if len(sheets) == 0 {
		f.errorf(diag.Pos{File: name}, "the workbook has no visible sheet").
			WithHint("drumbeat reads the metrics from the first visible sheet; show it (right-click its tab → Unhide)")
		return nil
	}
	t, ok := f.table(sheets[0])
	if !ok {
		if f.nerrs == 0 {
			f.errorf(diag.Pos{File: name, Cell: cellName(sheets[0].name, 1, 1)}, "the first visible sheet is empty; it needs a header row").
				WithHint("the header should be: %s", strings.Join(metricColumns, ","))
		}
		return nil
	}
	defer t.close()
	for _, req := range metricColumns[:6] {
		if _, ok := t.col[req]; !ok {
			f.errorf(t.headerPos(), "the header (row %d) has no %q column", t.hrow, req).
				WithHint("the header should be: %s; drumbeat reads the first row with values of the first visible sheet as the header", strings.Join(metricColumns, ","))
		}
	}
	for i, h := range t.header {
		if h != "" && !contains(metricColumns, h) {
			e := f.errorf(t.at(t.hrow, i), "unknown column %q", h)
			if s := diag.Suggest(h, metricColumns); s != "" {
				e.WithHint("did you mean %q?", s)
			}
		}
	}
	if f.nerrs > 0 {
		return nil
	}
	var out []*model.Metric
	for rec := t.next(); rec != nil; rec = t.next() {
		str := func(col string) (string, int) {
			c, i := t.get(rec, col)
			return t.text(c), i
		}
		id, idi := str("id")
		m := &model.Metric{Pos: diag.Pos{File: name, Line: t.rows.row, Col: idi + 1, Cell: cellName(t.sheet, t.rows.row, idi+1)}}
		if !metricIDRE.MatchString(id) {
			f.errorf(t.pos(idi), "metric id %q may use only lower-case letters, digits and _ and must start with a letter", truncate(id, 80)).
				WithHint("for example %q", metricIDHint(id))
			continue
		}
		m.ID = id
		m.Name, _ = str("name")
		if m.Name == "" {
			m.Name = id
			f.errorf(m.Pos, "metric %q has no name", id)
		}
		p, pi := str("perspective")
		m.Perspective = model.Perspective(strings.ToLower(p))
		if !contains(model.Perspectives[:], m.Perspective) {
			f.errorf(t.pos(pi), "metric %q has perspective %q", id, p).WithHint("use impact, partnership, finance or learning")
		}
		l, li := str("level")
		m.Level = model.Level(strings.ToLower(l))
		if !contains(model.Levels[:], m.Level) {
			f.errorf(t.pos(li), "metric %q has level %q", id, l).WithHint("use input, output, outcome or impact")
		}
		m.Unit, _ = str("unit")
		dir, di := str("direction")
		switch strings.ToLower(dir) {
		case "up":
		case "down":
			m.Down = true
		default:
			f.errorf(t.pos(di), "metric %q has direction %q", id, dir).WithHint("use up (more is better) or down (less is better)")
		}
		for _, nf := range []struct {
			col string
			dst **float64
		}{{"baseline", &m.Baseline}, {"target", &m.Target}} {
			c, vi := t.get(rec, nf.col)
			if c.kind == cellEmpty {
				continue
			}
			x, err := t.number(c, m.Unit)
			if err != nil {
				hinted(f.errorf(t.pos(vi), "%s of %q: %v", nf.col, id, err), err)
				continue
			}
			*nf.dst = &x
		}
		if c, tdi := t.get(rec, "target_date"); c.kind != cellEmpty {
			per, err := t.period(c)
			if err != nil {
				f.errorf(t.pos(tdi), "target_date of %q: %v", id, err)
			}
			m.TargetDate = per
		}
		m.Source, _ = str("source")
		m.Description, _ = str("description")
		if syn, _ := str("synonyms"); syn != "" {
			m.Synonyms = splitSynonyms(syn)
		}
		out = append(out, m)
	}
	return out
}

// hinted gives e the hint of err when err is a numberError that has one.
func hinted(e *diag.Error, err error) {
	var ne *numberError
	if e != nil && errors.As(err, &ne) && ne.hint != "" {
		e.WithHint("%s", ne.hint)
	}
}

// WorkbookHeader reads the column names of a workbook's visible sheets'
// header rows, as the loader finds them: "name" for a workbook of one
// visible sheet, "Sheet: name" for one of several, so that a sheet added,
// removed or renamed is a change too. drumbeat fetch compares them before
// it replaces a workbook.
func WorkbookHeader(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxWorkbookFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxWorkbookFile {
		return nil, fmt.Errorf("the workbook is over %d MiB", maxWorkbookFile>>20)
	}
	w, err := openWorkbook("workbook", b)
	if err != nil {
		return nil, err
	}
	f := &wbFile{name: "workbook", w: w, errs: &diag.List{}}
	sheets := w.visibleSheets()
	var out []string
	for _, sh := range sheets {
		t, ok := f.table(sh)
		if !ok {
			continue
		}
		t.close()
		for i, h := range t.header {
			if !t.named[i] {
				continue
			}
			if len(sheets) > 1 {
				h = sh.name + ": " + h
			}
			out = append(out, h)
		}
	}
	if len(*f.errs) > 0 {
		return nil, (*f.errs)[0]
	}
	return out, nil
}
