package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
)

// DetectSeparator returns the character that separates the fields of a CSV
// file, read from its header line: the most frequent of comma, semicolon
// and tab outside double quotes (Excel writes ; where a comma is the
// decimal separator, and "Text (Tab delimited)" writes tabs). A header
// with none of them (one column) or a tie gives a comma. head is the
// start of the file, its byte-order mark removed; only its first line
// counts.
func DetectSeparator(head []byte) rune {
	var comma, semi, tab int
	quoted := false
	for _, b := range head {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n' || b == '\r':
			return pickSeparator(comma, semi, tab)
		case b == ',':
			comma++
		case b == ';':
			semi++
		case b == '\t':
			tab++
		}
	}
	return pickSeparator(comma, semi, tab)
}

func pickSeparator(comma, semi, tab int) rune {
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

// separatorName names a separator in a message.
func separatorName(sep rune) string {
	switch sep {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

// newCSVReader returns a reader of fields separated by sep, as drumbeat
// reads data files.
func newCSVReader(r io.Reader, sep rune) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = sep
	cr.FieldsPerRecord = 0
	// With tabs, skipping leading white space would skip the tabs of
	// empty fields too; values are trimmed after reading.
	cr.TrimLeadingSpace = sep != '\t'
	cr.ReuseRecord = true
	return cr
}

// CSVHeader reads the header row of a CSV file, its separator detected
// as the loader detects it: the column names, trimmed and in lower case.
// It reads at most the first MiB of r.
func CSVHeader(r io.Reader) ([]string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxCSVLine), 64<<10)
	if head, _ := br.Peek(3); bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	cr := newCSVReader(br, DetectSeparator(head))
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty; it needs a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("its header row cannot be read: %v", err)
	}
	out := make([]string, len(rec))
	for i, h := range rec {
		out[i] = strings.ToLower(strings.TrimSpace(h))
	}
	return out, nil
}

// pointThousands reports whether s reads as a number two ways where a
// point may separate thousands: 2.600 (2600 or 2.6), 12.500, 1.234.567;
// that is, `^[1-9][0-9]{0,2}(\.[0-9]{3})+$`, checked without a regular
// expression because every value of every file passes here.
func pointThousands(s string) bool {
	i := strings.IndexByte(s, '.')
	if i < 1 || i > 3 || s[0] == '0' || !digits(s[:i]) {
		return false
	}
	for rest := s[i:]; rest != ""; rest = rest[4:] {
		if len(rest) < 4 || rest[0] != '.' || !digits(rest[1:4]) {
			return false
		}
	}
	return true
}

// commaThousands reports whether s is 1,234: one thousand two hundred and
// thirty-four, or one and a bit where a comma writes decimals; that is,
// `^[0-9]{1,3},[0-9]{3}$`.
func commaThousands(s string) bool {
	i := strings.IndexByte(s, ',')
	return i >= 1 && i <= 3 && len(s) == i+4 && digits(s[:i]) && digits(s[i+1:])
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numberError is a value that is not a number as its file writes them,
// with how to fix it.
type numberError struct{ msg, hint string }

func (e *numberError) Error() string { return e.msg }

// isCount reports whether a metric's unit counts things or money (doses,
// people, hours, EUR): not a share (%) and not unitless (an index or a
// ratio, where three decimals are plausible). Money has two decimals, so
// 2.600 in EUR is a thousands point too.
func isCount(unit string) bool { return unit != "" && unit != "%" }

// number reads the value s of a metric with unit, as the file writes its
// numbers.
func (c *csvFile) number(s, unit string) (float64, *numberError) {
	if c.style == model.NumbersUnsaid {
		t := strings.TrimSpace(s)
		sign := ""
		if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
			sign, t = t[:1], t[1:]
			if sign == "+" {
				sign = ""
			}
		}
		switch {
		case pointThousands(t) && (isCount(unit) || strings.Count(t, ".") > 1):
			whole := sign + strings.ReplaceAll(t, ".", "")
			point := sign + t
			if f, err := strconv.ParseFloat(t, 64); err == nil {
				point = sign + strconv.FormatFloat(f, 'f', -1, 64)
			}
			msg := fmt.Sprintf("%q is ambiguous: %s where a point separates thousands (1.234,5), or %s", s, whole, point)
			if strings.Count(t, ".") > 1 {
				msg = fmt.Sprintf("%q is not a number with a decimal point; it reads as %s where a point separates thousands (1.234,5)", s, whole)
			} else {
				msg += " (in a metric counted in " + unit + ")"
			}
			return 0, &numberError{msg: msg, hint: c.declareHint("write " + whole + " or " + point + ", or")}
		case c.sep != ',' && commaThousands(t):
			a, b, _ := strings.Cut(t, ",")
			a = sign + a
			return 0, &numberError{
				msg:  fmt.Sprintf("%q is ambiguous in a file whose fields are separated by a %s: %s%s, or %s.%s where a comma writes decimals", s, separatorName(c.sep), a, b, a, b),
				hint: c.declareHint("write " + a + b + " or " + a + "." + b + ", or"),
			}
		}
	}
	v, err := model.ParseNumberIn(s, unit == "%", c.style)
	if err != nil {
		ne := &numberError{msg: err.Error()}
		if c.style == model.NumbersUnsaid && strings.Contains(s, ",") {
			ne.hint = c.declareHint("if this file writes decimals with a comma,")
		}
		return 0, ne
	}
	return v, nil
}

// declareHint tells how to say in site.yaml how the file writes numbers,
// after lead ("write 2600 or 2.6, or").
func (c *csvFile) declareHint(lead string) string {
	return lead + ` say in site.yaml which character writes decimals: data: {decimal: ","} for 1.234,5 or data: {decimal: "."} for 1,234.5, in every data file; or for this one alone, data: {files: {` + strconv.Quote(c.name) + `: {decimal: ","}}}`
}
