package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/slug"
)

// maxCSVErrors bounds how many problems one CSV file reports, so a file in
// the wrong format gives a readable list instead of thousands of lines.
const maxCSVErrors = 50

// metricIDRE is what a metric id may look like.
var metricIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// csvFile reads a CSV file row by row (streaming), with positions.
type csvFile struct {
	name   string
	r      *csv.Reader
	errs   *diag.List
	nerrs  int
	header []string
	col    map[string]int
	lines  *lineLimiter
}

func openCSV(fsys fs.FS, name string, errs *diag.List) (*csvFile, io.Closer, bool) {
	if !noLink(fsys, name, errs) {
		return nil, nil, false
	}
	f, err := fsys.Open(name)
	if err != nil {
		errs.Errorf(diag.Pos{File: name}, "cannot open: %v", unwrapPathErr(err))
		return nil, nil, false
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(3)
	if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	} else if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		errs.Errorf(diag.Pos{File: name, Line: 1}, "the file is UTF-16, not UTF-8").
			WithHint("save it again as UTF-8 (in Excel: Save As → CSV UTF-8)")
		f.Close()
		return nil, nil, false
	}
	lines := &lineLimiter{r: br, line: 1}
	r := csv.NewReader(lines)
	r.FieldsPerRecord = 0
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	return &csvFile{name: name, r: r, errs: errs, lines: lines}, f, true
}

// maxCSVLine bounds the length of one line of a CSV file, so that a file
// without line ends (binary, or in the wrong format) is not read into
// memory whole.
const maxCSVLine = 1 << 20

var errLineTooLong = errors.New("line too long")

// lineLimiter passes bytes through, failing when a line grows longer than
// maxCSVLine. line is the line being read.
type lineLimiter struct {
	r    io.Reader
	line int
	n    int // bytes since the last line end
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.n > maxCSVLine {
		return 0, errLineTooLong
	}
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.line++
			l.n = 0
		} else {
			l.n++
		}
	}
	return n, err
}

// errorf records a problem, up to maxCSVErrors, and reports whether reading
// should go on.
func (c *csvFile) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	c.nerrs++
	if c.nerrs == maxCSVErrors+1 {
		c.errs.Errorf(pos, "too many problems in this file; stopped reading").
			WithHint("check that it is the right file and that its columns match the header")
	}
	e := diag.Errorf(pos, format, args...)
	if c.nerrs <= maxCSVErrors {
		c.errs.Add(e)
	}
	return e
}

func (c *csvFile) stopped() bool { return c.nerrs > maxCSVErrors }

// next returns the next record, or nil at the end. Rows with problems are
// reported and skipped.
func (c *csvFile) next() []string {
	for !c.stopped() {
		rec, err := c.r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					line, _ := c.r.FieldPos(0)
					c.errorf(diag.Pos{File: c.name, Line: line}, "this row has %d fields but the header has %d", len(rec), len(c.header)).
						WithHint("a value containing a comma must be in double quotes")
					continue
				}
				pos := diag.Pos{File: c.name, Line: pe.Line, Col: pe.Column}
				msg := pe.Err.Error()
				if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine > 0 && pe.StartLine != pe.Line {
					// The reader gave up lines later, often at the end of
					// the file; the row that opened the quote is the place to look.
					pos = diag.Pos{File: c.name, Line: pe.StartLine}
					msg = fmt.Sprintf("a quoted value that starts in this row has a missing or extra \" (the reader gave up at line %d)", pe.Line)
				}
				e := c.errorf(pos, "%s", msg)
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					e.WithHint("a value with a double quote must be wrapped in quotes, and the quote doubled: \"say \"\"hi\"\"\"")
				}
				if pe.Line == 0 || strings.Contains(pe.Err.Error(), "EOF") {
					return nil
				}
				// encoding/csv cannot resynchronise after a broken quote.
				if errors.Is(pe.Err, csv.ErrQuote) {
					return nil
				}
				continue
			}
			if errors.Is(err, errLineTooLong) {
				c.errorf(diag.Pos{File: c.name, Line: c.lines.line}, "the line is longer than %d MiB; this does not look like a CSV file", maxCSVLine>>20)
				return nil
			}
			c.errorf(diag.Pos{File: c.name}, "cannot read: %v", err)
			return nil
		}
		for i, f := range rec {
			if strings.IndexByte(f, 0) >= 0 {
				line, col := c.r.FieldPos(i)
				c.errorf(diag.Pos{File: c.name, Line: line, Col: col}, "the file contains a NUL byte; it looks like UTF-16 or a binary file, not UTF-8 text").
					WithHint("save it again as UTF-8 (in Excel: Save As → CSV UTF-8)")
				return nil
			}
			if !utf8.ValidString(f) {
				line, col := c.r.FieldPos(i)
				c.errorf(diag.Pos{File: c.name, Line: line, Col: col}, "the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252)").
					WithHint("save it again with the UTF-8 encoding (in Excel: Save As → CSV UTF-8)")
				return nil
			}
			rec[i] = strings.TrimSpace(f)
		}
		return rec
	}
	return nil
}

func (c *csvFile) pos(i int) diag.Pos {
	line, col := c.r.FieldPos(i)
	return diag.Pos{File: c.name, Line: line, Col: col}
}

// readHeader reads the header row and lower-cases its names.
func (c *csvFile) readHeader() bool {
	rec := c.next()
	if c.nerrs > 0 {
		return false // the header row itself is broken; that is reported
	}
	if rec == nil {
		c.errorf(diag.Pos{File: c.name, Line: 1}, "the file is empty; it needs a header row")
		return false
	}
	c.header = make([]string, len(rec))
	c.col = make(map[string]int, len(rec))
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		c.header[i] = h
		if h == "" {
			c.errorf(c.pos(i), "column %d has no name in the header", i+1)
			continue
		}
		if _, dup := c.col[h]; dup {
			c.errorf(c.pos(i), "column %q appears twice in the header", h)
			continue
		}
		c.col[h] = i
	}
	return true
}

var metricColumns = []string{"id", "name", "perspective", "level", "unit", "direction", "baseline", "target", "target_date", "source", "description", "synonyms"}

func readMetrics(fsys fs.FS, errs *diag.List) []*model.Metric {
	if !exists(fsys, MetricsFile) {
		return nil
	}
	c, f, ok := openCSV(fsys, MetricsFile, errs)
	if !ok {
		return nil
	}
	defer f.Close()
	if !c.readHeader() {
		return nil
	}
	for _, req := range metricColumns[:6] {
		if _, ok := c.col[req]; !ok {
			c.errorf(diag.Pos{File: MetricsFile, Line: 1}, "the header has no %q column", req).
				WithHint("the header should be: %s", strings.Join(metricColumns, ","))
		}
	}
	for i, h := range c.header {
		if h != "" && !contains(metricColumns, h) {
			e := c.errorf(c.pos(i), "unknown column %q", h)
			if s := diag.Suggest(h, metricColumns); s != "" {
				e.WithHint("did you mean %q?", s)
			}
		}
	}
	if c.stopped() || c.nerrs > 0 {
		return nil
	}
	get := func(rec []string, name string) (string, int) {
		i, ok := c.col[name]
		if !ok || i >= len(rec) {
			return "", -1
		}
		return rec[i], i
	}
	var out []*model.Metric
	for rec := c.next(); rec != nil; rec = c.next() {
		if isBlank(rec) {
			continue
		}
		line, _ := c.r.FieldPos(0)
		m := &model.Metric{Pos: diag.Pos{File: MetricsFile, Line: line}}
		id, idi := get(rec, "id")
		if !metricIDRE.MatchString(id) {
			c.errorf(c.pos(idi), "metric id %q may use only lower-case letters, digits and _ and must start with a letter", truncate(id, 80)).
				WithHint("for example %q", metricIDHint(id))
			continue
		}
		m.ID = id
		m.Name, _ = get(rec, "name")
		if m.Name == "" {
			m.Name = id
			c.errorf(m.Pos, "metric %q has no name", id)
		}
		p, pi := get(rec, "perspective")
		m.Perspective = model.Perspective(strings.ToLower(p))
		if !contains(model.Perspectives[:], m.Perspective) {
			c.errorf(c.pos(pi), "metric %q has perspective %q", id, p).WithHint("use impact, partnership, finance or learning")
		}
		l, li := get(rec, "level")
		m.Level = model.Level(strings.ToLower(l))
		if !contains(model.Levels[:], m.Level) {
			c.errorf(c.pos(li), "metric %q has level %q", id, l).WithHint("use input, output, outcome or impact")
		}
		m.Unit, _ = get(rec, "unit")
		dir, di := get(rec, "direction")
		switch strings.ToLower(dir) {
		case "up":
		case "down":
			m.Down = true
		default:
			c.errorf(c.pos(di), "metric %q has direction %q", id, dir).WithHint("use up (more is better) or down (less is better)")
		}
		pct := m.Unit == "%"
		for _, nf := range []struct {
			col string
			dst **float64
		}{{"baseline", &m.Baseline}, {"target", &m.Target}} {
			v, vi := get(rec, nf.col)
			if v == "" {
				continue
			}
			x, err := model.ParseNumber(v, pct)
			if err != nil {
				c.errorf(c.pos(vi), "%s of %q: %v", nf.col, id, err)
				continue
			}
			*nf.dst = &x
		}
		if td, tdi := get(rec, "target_date"); td != "" {
			per, err := model.ParsePeriod(td)
			if err != nil {
				c.errorf(c.pos(tdi), "target_date of %q: %v", id, err)
			}
			m.TargetDate = per
		}
		m.Source, _ = get(rec, "source")
		m.Description, _ = get(rec, "description")
		if syn, _ := get(rec, "synonyms"); syn != "" {
			m.Synonyms = splitSynonyms(syn)
		}
		out = append(out, m)
	}
	return out
}

// splitSynonyms reads the synonyms column: words or phrases separated by
// semicolons ("doses; vaccinations; jabs"), blanks and repeats dropped.
func splitSynonyms(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ";") {
		w = strings.Join(strings.Fields(w), " ")
		if w != "" && !contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if f != "" {
			return false
		}
	}
	return true
}

// readObservations reads every CSV file under data/observations.
func readObservations(fsys fs.FS, metrics []*model.Metric, errs *diag.List) []model.Observation {
	files := filesWithExt(fsys, ObservationDir, ".csv", errs)
	units := make(map[string]metricUnit, len(metrics))
	var ids []string
	for _, m := range metrics {
		units[m.ID] = metricUnit{id: m.ID, unit: m.Unit}
		ids = append(ids, m.ID)
	}
	results := make([][]model.Observation, len(files))
	lists := make([]diag.List, len(files))
	par.Do(len(files), func(i int) {
		results[i] = readObservationFile(fsys, files[i], units, ids, &lists[i])
	})
	if len(files) == 1 {
		errs.Append(lists[0])
		return results[0]
	}
	n := 0
	for _, r := range results {
		n += len(r)
	}
	out := make([]model.Observation, 0, n)
	for i, r := range results {
		out = append(out, r...)
		errs.Append(lists[i])
	}
	return out
}

// sizeAfter is how many values an observations file's slice holds when
// growToFit sizes it for the whole file.
const sizeAfter = 1024

// growToFit makes room in out for the values of the whole file, estimated
// from its size and the bytes its first len(out) values took. Grown by
// append alone, the slice of a file of 200,000 daily values (24 MB) was
// allocated and copied some 30 times (append grows large slices by a
// quarter), which took a tenth of a build's CPU time and the memory of
// several copies; the estimate is a little generous, and a short one is
// grown by append as before.
func growToFit(out []model.Observation, f io.Closer, read int64) []model.Observation {
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok || read <= 0 {
		return out
	}
	fi, err := st.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return out
	}
	want := min(float64(fi.Size())/float64(read)*float64(len(out))*1.05+16, maxValuesPerFile)
	if n := int(want); n > cap(out) {
		return slices.Grow(out, n-len(out))
	}
	return out
}

// metricUnit is a metric's id and unit, as observation files need them.
// The id is metrics.csv's own string, so observations do not keep the
// CSV line they were read from alive.
type metricUnit struct{ id, unit string }

// maxValuesPerFile bounds how many values one observations file may hold,
// which bounds the memory a site can take: about 150 bytes a value.
const maxValuesPerFile = 1_000_000

// tooMany reports a file with more than maxValuesPerFile values.
func (c *csvFile) tooMany(pos diag.Pos) {
	c.errorf(pos, "the file holds more than %d values; drumbeat reads at most that many from one file", maxValuesPerFile).
		WithHint("add daily or weekly values up to months or quarters, or drop rows the site does not show")
}

// interner returns one shared copy of each distinct string, up to a bound,
// and a copy beyond it, so that a value does not keep its whole CSV line
// in memory.
type interner map[string]string

func (in interner) get(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := in[s]; ok {
		return t
	}
	t := strings.Clone(s)
	if len(in) < 10_000 {
		in[t] = t
	}
	return t
}

func readObservationFile(fsys fs.FS, name string, units map[string]metricUnit, ids []string, errs *diag.List) []model.Observation {
	c, f, ok := openCSV(fsys, name, errs)
	if !ok {
		return nil
	}
	defer f.Close()
	if !c.readHeader() {
		return nil
	}
	unknownMetric := func(pos diag.Pos, id string) {
		e := c.errorf(pos, "metric %q is not in %s", truncate(id, 80), MetricsFile)
		if s := diag.Suggest(id, ids); s != "" {
			e.WithHint("did you mean %q?", s)
		} else {
			e.WithHint("add a row for it to %s, or correct the id", MetricsFile)
		}
	}
	_, hasMetric := c.col["metric"]
	_, hasValue := c.col["value"]
	_, hasPeriod := c.col["period"]
	if !hasPeriod {
		c.errorf(diag.Pos{File: name, Line: 1}, "the header has no \"period\" column").
			WithHint("long form: metric,period,value[,partner][,note]; wide form: period,<metric id>,<metric id>,…")
		return nil
	}
	var out []model.Observation
	if hasMetric || hasValue {
		// Long form.
		if !hasMetric || !hasValue {
			c.errorf(diag.Pos{File: name, Line: 1}, "a long-form file needs the columns metric, period and value").
				WithHint("long form: metric,period,value[,partner][,note]")
			return nil
		}
		for i, h := range c.header {
			switch h {
			case "metric", "period", "value", "partner", "note", "":
			default:
				c.errorf(c.pos(i), "unknown column %q in a long-form file", h).
					WithHint("long form allows metric, period, value, partner and note; for one column per metric, drop the metric and value columns (wide form)")
			}
		}
		if c.nerrs > 0 {
			return nil
		}
		mi, pi, vi := c.col["metric"], c.col["period"], c.col["value"]
		pai, hasPartner := c.col["partner"]
		ni, hasNote := c.col["note"]
		// Periods repeat on many rows; parse each distinct text once.
		periods := map[string]model.Period{}
		strs := interner{}
		for rec := c.next(); rec != nil; rec = c.next() {
			if isBlank(rec) {
				continue
			}
			mu, known := units[rec[mi]]
			if !known {
				unknownMetric(c.pos(mi), rec[mi])
				continue
			}
			id, unit := mu.id, mu.unit
			per, ok := periods[rec[pi]]
			if !ok {
				p, err := model.ParsePeriod(rec[pi])
				if err != nil {
					c.errorf(c.pos(pi), "%v", err)
					continue
				}
				per = p
				if len(periods) < 100_000 {
					periods[strings.Clone(rec[pi])] = p
				}
			}
			if rec[vi] == "" {
				continue // a missing value: a gap, not a zero
			}
			v, err := model.ParseNumber(rec[vi], unit == "%")
			if err != nil {
				c.errorf(c.pos(vi), "%v", err)
				continue
			}
			line, _ := c.r.FieldPos(vi)
			if len(out) >= maxValuesPerFile {
				c.tooMany(diag.Pos{File: name, Line: line})
				return nil
			}
			if len(out) == sizeAfter {
				out = growToFit(out, f, c.r.InputOffset())
			}
			o := model.Observation{Metric: id, Period: per, Value: v}
			o.Pos = diag.Pos{File: name, Line: line}
			if hasPartner {
				o.Partner = strs.get(rec[pai])
			}
			if hasNote && rec[ni] != "" {
				o.Note = strings.Clone(rec[ni])
			}
			out = append(out, o)
		}
		return out
	}
	// Wide form: period, then one column per metric.
	pi := c.col["period"]
	cols := make([]string, len(c.header))
	for i, h := range c.header {
		if i == pi || h == "" {
			continue
		}
		mu, ok := units[h]
		if !ok {
			unknownMetric(c.pos(i), h)
			continue
		}
		cols[i] = mu.id
	}
	if c.nerrs > 0 {
		return nil
	}
	for rec := c.next(); rec != nil; rec = c.next() {
		if isBlank(rec) {
			continue
		}
		per, err := model.ParsePeriod(rec[pi])
		if err != nil {
			c.errorf(c.pos(pi), "%v", err)
			continue
		}
		line, _ := c.r.FieldPos(pi)
		for i, id := range cols {
			if id == "" || rec[i] == "" {
				continue
			}
			v, err := model.ParseNumber(rec[i], units[id].unit == "%")
			if err != nil {
				c.errorf(c.pos(i), "%s: %v", id, err)
				continue
			}
			if len(out) >= maxValuesPerFile {
				c.tooMany(diag.Pos{File: name, Line: line})
				return nil
			}
			out = append(out, model.Observation{Metric: id, Period: per, Value: v, Pos: diag.Pos{File: name, Line: line}})
		}
	}
	return out
}

var _ = fmt.Sprintf

// metricIDHint is an example metric id made from what was written:
// "Doses (Santé)" → "doses_sante".
func metricIDHint(id string) string {
	ex := strings.ReplaceAll(slug.Cut(slug.ASCII(id), 64), "-", "_")
	if ex == "" || ex[0] < 'a' || ex[0] > 'z' {
		ex = "m_" + ex
	}
	return strings.TrimSuffix(ex, "_")
}
