package load

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A workbook (.xlsx, Office Open XML) is a zip of XML parts: xl/workbook.xml
// lists the sheets, xl/styles.xml the number formats, xl/sharedStrings.xml
// the text of text cells, and xl/worksheets/sheetN.xml each sheet's cells.
//
// drumbeat reads the small parts whole and streams each sheet token by
// token, a row at a time, so memory does not grow with the rows of a sheet.
// excelize's Rows iterator streams too, but gives each cell's text only:
// not whether it is a number or text, its number format (is 0.724 shown as
// 72.4 %? is 45366 a date?) or whether it is a formula never calculated.
// Those decide what a cell means, so the sheet's XML is read here, the way
// excelize's iterator reads it; excelize converts date serial numbers and
// writes the workbooks of the tests.

// Limits on a workbook, so that a hostile file (a zip bomb, XML without
// end) cannot take the machine's memory or time.
const (
	maxWorkbookFile  = 64 << 20  // the .xlsx file itself
	maxWorkbookTotal = 512 << 20 // every part unzipped
	maxWorkbookSheet = 256 << 20 // one sheet unzipped (streamed)
	maxWorkbookSmall = 16 << 20  // workbook.xml, its relationships, styles.xml (read whole)
	maxSharedStrings = 64 << 20  // sharedStrings.xml unzipped (its text is kept)
	maxXMLToken      = 1 << 20   // bytes between two '>' in a part
	maxXMLDepth      = 64        // elements inside each other
	maxSheets        = 4096      // sheets in one workbook
	maxWorkbookParts = 10_000    // files in the zip
)

// cellKind is what a cell holds.
type cellKind uint8

const (
	cellEmpty   cellKind = iota
	cellNumber           // num, with the style's number format
	cellText             // text
	cellBool             // text is TRUE or FALSE
	cellError            // text is the error shown, such as #DIV/0!
	cellDate             // text is an ISO 8601 date (t="d")
	cellNoValue          // a formula with no saved result
)

// fmtKind is what a number format makes of a number.
type fmtKind uint8

const (
	fmtGeneral fmtKind = iota
	fmtPercent
	fmtYear  // a date shown as its year only
	fmtMonth // a date shown as month and year
	fmtDay   // a date shown with its day
	fmtTime  // a time of day or a duration
)

// wbCell is one cell of a sheet.
type wbCell struct {
	col  int // its column, from 1
	kind cellKind
	fmt  fmtKind
	num  float64
	text string
}

// workbook is an open .xlsx file.
type workbook struct {
	name     string // the file, relative to the site
	parts    map[string]*zip.File
	date1904 bool
	sheets   []wbSheet
	formats  []fmtKind // by style index (cellXfs)
	strs     []string  // shared strings
}

// wbSheet is one sheet of a workbook.
type wbSheet struct {
	name   string
	hidden bool
	part   string // the worksheet part; "" for a chart sheet
}

// errWorkbook is a problem with a workbook as a whole.
type errWorkbook struct{ msg, hint string }

func (e *errWorkbook) Error() string { return e.msg }

func badWorkbook(format string, args ...any) error {
	return &errWorkbook{msg: fmt.Sprintf(format, args...), hint: "open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)"}
}

// openWorkbook reads a workbook's list of sheets, styles and shared
// strings. The sheets are read later, one at a time, by rows.
func openWorkbook(name string, data []byte) (*workbook, error) {
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, &errWorkbook{msg: "the file is an encrypted workbook or an old Excel file (.xls), not an .xlsx workbook",
			hint: "remove the password, or save it as an Excel workbook (.xlsx)"}
	}
	if n := zipEntries(data); n > maxWorkbookParts {
		count := strconv.Itoa(n)
		if n == math.MaxInt {
			count = "more than 65,534"
		}
		return nil, &errWorkbook{msg: fmt.Sprintf("the workbook holds %s files; a workbook of data holds a few dozen", count),
			hint: "drumbeat reads workbooks of up to " + strconv.Itoa(maxWorkbookParts) + " files; save the data in a workbook of its own"}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, badWorkbook("the file is not an .xlsx workbook (%v)", err)
	}
	w := &workbook{name: name, parts: make(map[string]*zip.File, len(zr.File))}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxWorkbookTotal {
			return nil, &errWorkbook{msg: fmt.Sprintf("the workbook unzips to more than %d MiB", maxWorkbookTotal>>20),
				hint: "drumbeat reads workbooks of up to that size; keep the data in a smaller workbook, or in CSV files"}
		}
		n := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		if _, dup := w.parts[n]; !dup {
			w.parts[n] = f
		}
	}
	book := "xl/workbook.xml"
	var root relationships
	if err := w.readXML("_rels/.rels", maxWorkbookSmall, &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				book = partPath("", r.Target)
			}
		}
	}
	var wb workbookXML
	if err := w.readXML(book, maxWorkbookSmall, &wb); err != nil {
		return nil, err
	}
	dir := path.Dir(book)
	relsName := path.Join(dir, "_rels", path.Base(book)+".rels")
	var rels relationships
	if err := w.readXML(relsName, maxWorkbookSmall, &rels); err != nil {
		return nil, err
	}
	if wb.Pr != nil {
		w.date1904 = xmlTrue(wb.Pr.Date1904)
	}
	styles := ""
	shared := ""
	for _, r := range rels.Rels {
		switch {
		case strings.HasSuffix(r.Type, "/styles"):
			styles = partPath(dir, r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			shared = partPath(dir, r.Target)
		}
	}
	if len(wb.Sheets) > maxSheets {
		return nil, &errWorkbook{msg: fmt.Sprintf("the workbook has %d sheets; drumbeat reads workbooks of up to %d", len(wb.Sheets), maxSheets),
			hint: "split it into several workbooks"}
	}
	sheetParts := map[string]string{} // relationship id → worksheet part
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/worksheet") {
			sheetParts[r.ID] = partPath(dir, r.Target)
		}
	}
	used := map[string]bool{}
	for _, s := range wb.Sheets {
		sh := wbSheet{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden"}
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				sh.part = sheetParts[a.Value]
			}
		}
		if sh.part != "" {
			// Two sheets of one part would read it twice: a workbook
			// naming one large part many times would unzip it without end.
			if used[sh.part] {
				return nil, badWorkbook("%s is damaged: two sheets are the same part %s", book, sh.part)
			}
			used[sh.part] = true
		}
		w.sheets = append(w.sheets, sh)
	}
	if styles != "" {
		if err := w.readStyles(styles); err != nil {
			return nil, err
		}
	}
	if shared != "" {
		if err := w.readSharedStrings(shared); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// zipEntries returns how many files a zip's directory declares (from its
// end record), before archive/zip reads the directory: it keeps some 200
// bytes for each, so a 64 MiB file of empty entries would take 140 MiB.
// A zip64 directory (more than 65,534 files) counts as too many; 0 means
// no end record was found (archive/zip then reports the damage).
func zipEntries(data []byte) int {
	const endLen = 22 // the end of central directory record, without its comment
	for i := len(data) - endLen; i >= 0 && i >= len(data)-endLen-65535; i-- {
		if data[i] == 'P' && data[i+1] == 'K' && data[i+2] == 5 && data[i+3] == 6 {
			n := int(data[i+10]) | int(data[i+11])<<8
			if n == 0xFFFF {
				return math.MaxInt
			}
			return n
		}
	}
	return 0
}

func xmlTrue(s string) bool { return s == "1" || s == "true" || s == "on" }

// partPath resolves a relationship's target against the folder of the part
// that names it.
func partPath(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.ToLower(strings.TrimPrefix(path.Clean(target), "/"))
	}
	return strings.ToLower(strings.TrimPrefix(path.Join("/", dir, target), "/"))
}

type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Pr *struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		State string     `xml:"state,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// open opens a part, counting what it unzips against the workbook's limit
// and the part's own.
func (w *workbook) open(name string, limit int64) (io.ReadCloser, error) {
	f, ok := w.parts[name]
	if !ok {
		return nil, badWorkbook("the workbook has no part %s", name)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, &errWorkbook{msg: fmt.Sprintf("%s unzips to more than %d MiB", name, limit>>20),
			hint: "drumbeat reads workbooks of up to that size; keep the data in a smaller workbook, or in CSV files"}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, badWorkbook("cannot read %s: %v", name, err)
	}
	return &xmlGuard{r: rc, c: rc}, nil
}

func (w *workbook) readXML(name string, limit int64, v any) error {
	rc, err := w.open(name, limit)
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err == nil {
		err = xml.Unmarshal(b, v)
	}
	if err != nil {
		return badWorkbook("%s is damaged: %v", name, err)
	}
	return nil
}

// xmlGuard passes a part's bytes through, failing when more than
// maxXMLToken bytes come without a '>': no element, attribute or text of
// a real workbook is that long, and encoding/xml would hold it whole.
type xmlGuard struct {
	r    io.Reader
	c    io.Closer
	n    int
	read int64 // bytes read so far
}

var errXMLToken = errors.New("an XML element or text longer than 1 MiB")

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.n > maxXMLToken {
		return 0, errXMLToken
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	for _, b := range p[:n] {
		if b == '>' {
			g.n = 0
		} else {
			g.n++
		}
	}
	return n, err
}

func (g *xmlGuard) Close() error { return g.c.Close() }

// builtinFormats are the number formats a workbook may use without
// writing them out (ECMA-376 part 1, 18.8.30), by what they show.
var builtinFormats = map[int]fmtKind{
	9: fmtPercent, 10: fmtPercent,
	14: fmtDay, 15: fmtDay, 16: fmtDay, 17: fmtMonth, 22: fmtDay,
	18: fmtTime, 19: fmtTime, 20: fmtTime, 21: fmtTime, 45: fmtTime, 46: fmtTime, 47: fmtTime,
	27: fmtDay, 28: fmtDay, 29: fmtDay, 30: fmtDay, 31: fmtDay, 32: fmtTime, 33: fmtTime, 34: fmtTime, 35: fmtTime, 36: fmtDay,
	50: fmtDay, 51: fmtDay, 52: fmtDay, 53: fmtDay, 54: fmtDay, 55: fmtTime, 56: fmtTime, 57: fmtDay, 58: fmtDay,
}

func (w *workbook) readStyles(name string) error {
	var st stylesXML
	if err := w.readXML(name, maxWorkbookSmall, &st); err != nil {
		return err
	}
	custom := map[int]fmtKind{}
	for _, f := range st.NumFmts {
		custom[f.ID] = formatKind(f.Code)
	}
	w.formats = make([]fmtKind, len(st.Xfs))
	for i, x := range st.Xfs {
		if k, ok := custom[x.NumFmtID]; ok {
			w.formats[i] = k
		} else {
			w.formats[i] = builtinFormats[x.NumFmtID]
		}
	}
	return nil
}

// formatKind says what a number format code shows: a percentage ("0.0%"),
// a date and how much of it ("yyyy-mm-dd", "mmm yyyy", "yyyy"), a time
// ("h:mm"), or a plain number. Text in quotes, escaped characters and
// [colours] do not count; of the first section (for positive numbers).
func formatKind(code string) fmtKind {
	if strings.EqualFold(code, "general") {
		return fmtGeneral
	}
	var y, m, d, hs, pct bool
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				hs = true // [h]:mm, an elapsed time
			}
			i += j
		case '%':
			pct = true
		case 'y', 'Y':
			y = true
		case 'm', 'M':
			m = true
		case 'd', 'D':
			d = true
		case 'h', 'H', 's', 'S':
			hs = true
		}
	}
	switch {
	case d:
		return fmtDay
	case m && (y || !hs):
		return fmtMonth
	case y:
		return fmtYear
	case hs || m:
		return fmtTime
	case pct:
		return fmtPercent
	}
	return fmtGeneral
}

// readSharedStrings reads the text of every text cell.
func (w *workbook) readSharedStrings(name string) error {
	rc, err := w.open(name, maxSharedStrings)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var b strings.Builder
	depth, inSI, inPh, inT := 0, false, 0, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return badWorkbook("%s is damaged: %v", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxXMLDepth {
				return badWorkbook("%s is damaged: elements nested more than %d deep", name, maxXMLDepth)
			}
			switch t.Name.Local {
			case "si":
				inSI = true
				b.Reset()
			case "rPh":
				inPh++
			case "t":
				inT = inSI && inPh == 0
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "si":
				if len(w.strs) >= 4<<20 {
					return badWorkbook("%s holds more than %d texts", name, 4<<20)
				}
				w.strs = append(w.strs, b.String())
				inSI = false
			case "rPh":
				inPh--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				b.Write(t)
			}
		}
	}
}

// sheetRows reads a sheet row by row.
type sheetRows struct {
	w     *workbook
	rc    io.ReadCloser
	dec   *xml.Decoder
	depth int
	row   int // the row just read, from 1
	// cells are its cells with a value, by column. A row is sparse: a
	// dense one as wide as a hostile sheet's column XFD (16,384 cells),
	// row after row, would take time without end.
	cells []wbCell
	err   error
	size  int64 // the sheet's XML, unzipped
}

// rows starts reading a sheet.
func (w *workbook) rows(sh wbSheet) (*sheetRows, error) {
	rc, err := w.open(sh.part, maxWorkbookSheet)
	if err != nil {
		return nil, err
	}
	return &sheetRows{w: w, rc: rc, dec: xml.NewDecoder(rc), size: int64(w.parts[sh.part].UncompressedSize64)}, nil
}

// done returns how much of the sheet has been read, from 0 to 1.
func (s *sheetRows) done() float64 {
	if s.size <= 0 {
		return 1
	}
	return float64(s.rc.(*xmlGuard).read) / float64(s.size)
}

func (s *sheetRows) close() { s.rc.Close() }

// maxColumns is the widest sheet a workbook may have (column XFD).
const maxColumns = 16384

// token returns the next token, keeping count of the depth.
func (s *sheetRows) token() (xml.Token, error) {
	// RawToken: element names are matched by their local part, so the
	// namespace bookkeeping of Token is not needed, and it is faster.
	tok, err := s.dec.RawToken()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		s.depth++
		if s.depth > maxXMLDepth {
			return nil, fmt.Errorf("elements nested more than %d deep", maxXMLDepth)
		}
	case xml.EndElement:
		s.depth--
	}
	return tok, nil
}

// skip reads past the element just opened. (xml.Decoder.Skip would keep
// a stack as deep as the elements nest.)
func (s *sheetRows) skip() error {
	for d := s.depth; s.depth >= d; {
		if _, err := s.token(); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// next reads the next row that has cells; false at the end of the sheet
// or on an error (then s.err is set).
func (s *sheetRows) next() bool {
	if s.err != nil {
		return false
	}
	for {
		tok, err := s.token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			s.fail(err)
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			r := s.row + 1
			for _, a := range t.Attr {
				if a.Name.Local == "r" {
					n, err := strconv.Atoi(a.Value)
					if err != nil || n < 1 || n > excelize.TotalRows {
						s.fail(fmt.Errorf("row number %q", truncate(a.Value, 20)))
						return false
					}
					r = n
				}
			}
			if r <= s.row {
				s.fail(fmt.Errorf("row %d comes after row %d", r, s.row))
				return false
			}
			s.row = r
			if !s.readRow() {
				return false
			}
			if len(s.cells) > 0 {
				return true
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return false
			}
		}
	}
}

func (s *sheetRows) fail(err error) {
	s.err = badWorkbook("the sheet's XML is damaged near row %d: %v", s.row+1, err)
}

// readRow reads the cells of the row element just opened.
func (s *sheetRows) readRow() bool {
	s.cells = s.cells[:0]
	col := 0
	for {
		tok, err := s.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			s.fail(err)
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := s.skip(); err != nil {
					s.fail(err)
					return false
				}
				continue
			}
			c, at, err := s.readCell(t, col)
			if err != nil {
				s.fail(err)
				return false
			}
			col = at
			if c.kind == cellEmpty {
				continue
			}
			c.col = col
			s.cells = append(s.cells, c)
		case xml.EndElement:
			if t.Name.Local == "row" {
				return true
			}
		}
	}
}

// readCell reads a <c> element; prev is the column of the cell before it.
func (s *sheetRows) readCell(start xml.StartElement, prev int) (wbCell, int, error) {
	col := prev + 1
	typ, style := "n", 0
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			c, r, err := excelize.CellNameToCoordinates(a.Value)
			if err != nil || r != s.row {
				return wbCell{}, 0, fmt.Errorf("cell %q in row %d", truncate(a.Value, 20), s.row)
			}
			col = c
		case "t":
			typ = a.Value
		case "s":
			n, err := strconv.Atoi(a.Value)
			if err != nil || n < 0 {
				return wbCell{}, 0, fmt.Errorf("style %q", truncate(a.Value, 20))
			}
			style = n
		}
	}
	if col <= prev || col > maxColumns {
		return wbCell{}, 0, fmt.Errorf("cell in column %d after column %d", col, prev)
	}
	var v, inline strings.Builder
	hasV, hasF := false, false
	in := ""
	depth, phonetic := 0, 0 // phonetic: inside <rPh>, a reading guide, not the text
	for {
		tok, err := s.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return wbCell{}, 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			in = ""
			switch t.Name.Local {
			case "v":
				hasV = true
				in = "v"
			case "f":
				hasF = true
			case "t":
				if phonetic == 0 {
					in = "t"
				}
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			if depth == 0 {
				return s.cell(typ, style, v.String(), inline.String(), hasV, hasF), col, nil
			}
			depth--
			in = ""
			if t.Name.Local == "rPh" && phonetic > 0 {
				phonetic--
			}
		case xml.CharData:
			switch in {
			case "v":
				if v.Len()+len(t) > maxXMLToken {
					return wbCell{}, 0, errXMLToken
				}
				v.Write(t)
			case "t":
				if inline.Len()+len(t) > maxXMLToken {
					return wbCell{}, 0, errXMLToken
				}
				inline.Write(t)
			}
		}
	}
}

// cell makes a cell of what its element held.
func (s *sheetRows) cell(typ string, style int, v, inline string, hasV, hasF bool) wbCell {
	switch typ {
	case "s":
		if !hasV {
			break
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(s.w.strs) {
			return wbCell{kind: cellError, text: "a text missing from the workbook"}
		}
		return textCell(s.w.strs[i])
	case "inlineStr":
		return textCell(inline)
	case "str":
		if hasV {
			return textCell(v)
		}
	case "b":
		if hasV {
			if strings.TrimSpace(v) == "1" {
				return wbCell{kind: cellBool, text: "TRUE"}
			}
			return wbCell{kind: cellBool, text: "FALSE"}
		}
	case "e":
		if hasV {
			return wbCell{kind: cellError, text: strings.TrimSpace(v)}
		}
	case "d":
		if hasV {
			return wbCell{kind: cellDate, text: strings.TrimSpace(v)}
		}
	default: // "n"
		v = strings.TrimSpace(v)
		if v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
				return wbCell{kind: cellError, text: "a damaged number " + strconv.Quote(truncate(v, 40))}
			}
			c := wbCell{kind: cellNumber, num: x}
			if style < len(s.w.formats) {
				c.fmt = s.w.formats[style]
			}
			return c
		}
	}
	if hasF && !hasV {
		return wbCell{kind: cellNoValue}
	}
	return wbCell{}
}

func textCell(s string) wbCell {
	s = strings.TrimSpace(s)
	if s == "" {
		return wbCell{}
	}
	return wbCell{kind: cellText, text: s}
}

// cellName returns a cell's name as a spreadsheet writes it in a formula:
// Q3!C7, or 'Q3 2025'!C7 when the sheet's name has other characters than
// letters, digits, _ and .
func cellName(sheet string, row, col int) string {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		ref = fmt.Sprintf("R%dC%d", row, col)
	}
	plain := sheet != ""
	for _, r := range sheet {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && r != utf8.RuneError) {
			plain = false
		}
	}
	if sheet != "" && sheet[0] >= '0' && sheet[0] <= '9' {
		plain = false
	}
	if plain {
		return sheet + "!" + ref
	}
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + ref
}

// readWorkbookFile reads a workbook file of the site, within the size limit.
func readWorkbookFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot open: %v", unwrapPathErr(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxWorkbookFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPathErr(err))
	}
	if len(b) > maxWorkbookFile {
		return nil, &errWorkbook{msg: fmt.Sprintf("the workbook is larger than %d MiB", maxWorkbookFile>>20),
			hint: "drumbeat reads workbooks of up to that size; keep the data in a smaller workbook, or in CSV files"}
	}
	return b, nil
}
