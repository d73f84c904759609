package load

import (
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// SourcesRecord is the file where drumbeat fetch records what it
// downloaded: each source's checksum and when it was fetched.
const SourcesRecord = "data/sources.json"

// decimalHint is the hint for a decimal: that is neither "." nor ",".
const decimalHint = `write decimal: "," for numbers written 1.234,5 or decimal: "." for 1,234.5 (with the quotes)`

func parseDecimal(s string) (model.NumberStyle, bool) {
	switch strings.TrimSpace(s) {
	case "":
		return model.NumbersUnsaid, true
	case ".":
		return model.DecimalPoint, true
	case ",":
		return model.DecimalComma, true
	}
	return model.NumbersUnsaid, false
}

// checkData checks site.yaml's data: block and sets the styles it says.
func checkData(fsys fs.FS, d *model.DataConf, sources []model.DataSource, at diag.Pos, errs *diag.List) {
	var ok bool
	if d.Style, ok = parseDecimal(d.Decimal); !ok {
		errs.Errorf(linePos(d.Lines, "decimal", at), "data.decimal %q should be \".\" or \",\"", truncate(d.Decimal, 20)).WithHint(decimalHint)
	}
	names := make([]string, 0, len(d.Files))
	for name := range d.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	fetched := map[string]bool{}
	for _, s := range sources {
		fetched[s.File] = true
	}
	for _, name := range names {
		f := d.Files[name]
		fpos := f.Pos
		if fpos.File == "" {
			fpos = linePos(d.Lines, "files", at)
		}
		if f.Style, ok = parseDecimal(f.Decimal); !ok {
			errs.Errorf(linePos(f.Lines, "decimal", fpos), "data.files: the decimal of %s, %q, should be \".\" or \",\"", truncate(name, 80), truncate(f.Decimal, 20)).WithHint(decimalHint)
		}
		d.Files[name] = f
		switch {
		case !validDataPath(name) || !strings.EqualFold(path.Ext(name), ".csv") && !strings.EqualFold(path.Ext(name), ".xlsx"):
			errs.Errorf(fpos, "data.files names %q, which is not a CSV file or workbook under data/", truncate(name, 80)).
				WithHint("write the path from the site folder, such as data/observations/doses.csv or data/observations/doses.xlsx")
		case !exists(fsys, name) && !fetched[name]:
			errs.Warnf(fpos, "data.files names %s, which does not exist", name).
				WithHint("check the spelling of the path, from the site folder: data/metrics.csv or data/observations/<name>.csv")
		}
	}
}

// validDataPath reports whether p is a clean path to a file under data/,
// in no hidden folder, that cannot lead out of the site.
func validDataPath(p string) bool {
	if !strings.HasPrefix(p, "data/") || path.Clean(p) != p || strings.ContainsAny(p, "\\\x00:*?\"<>|") {
		return false
	}
	for _, el := range strings.Split(p, "/") {
		if el == "" || el == "." || el == ".." || strings.HasPrefix(el, ".") || reservedName(el) {
			return false
		}
	}
	return true
}

// ParseAge reads a source's max_age: a whole number of hours, days or
// weeks (12h, 7d, 2w).
func ParseAge(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 10*366 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'h':
		return time.Duration(n) * time.Hour, true
	case 'd':
		return time.Duration(n) * 24 * time.Hour, true
	case 'w':
		return time.Duration(n) * 7 * 24 * time.Hour, true
	}
	return 0, false
}

// sourceKind is the kind of file a URL serves when it says so: "csv" or
// "xlsx" from its path's extension or from the output= or format= of
// the spreadsheet tools' export links; "" when it does not say.
func sourceKind(u *url.URL) string {
	q := u.Query()
	for _, k := range []string{"output", "format", "exportFormat"} {
		switch strings.ToLower(q.Get(k)) {
		case "csv":
			return "csv"
		case "xlsx":
			return "xlsx"
		}
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".csv":
		return "csv"
	case ".xlsx":
		return "xlsx"
	}
	return ""
}

// checkSources checks site.yaml's sources: list and sets each one's Age.
func checkSources(list []model.DataSource, at diag.Pos, errs *diag.List) {
	names := map[string]int{}
	files := map[string]int{}
	for i := range list {
		s := &list[i]
		spos := s.Pos
		if spos.File == "" {
			spos = at
		}
		p := func(key string) diag.Pos { return linePos(s.Lines, key, spos) }
		switch {
		case s.Name == "":
			errs.Errorf(spos, "source %d has no name", i+1).
				WithHint("add `name: doses` (drumbeat fetch --only doses fetches it alone)")
		case !idRE.MatchString(s.Name):
			errs.Errorf(p("name"), "source name %q may use only lower-case letters, digits, - and _", truncate(s.Name, 40)).
				WithHint("%s", idHint(s.Name))
		default:
			if first, dup := names[s.Name]; dup {
				errs.Errorf(p("name"), "source %q is named twice (first at line %d)", s.Name, list[first].Pos.Line).
					WithHint("give each source its own name")
			} else {
				names[s.Name] = i
			}
		}
		u, err := url.Parse(strings.TrimSpace(s.URL))
		switch {
		case strings.TrimSpace(s.URL) == "":
			errs.Errorf(spos, "source %q has no url", s.Name).
				WithHint("add the address of the published CSV or workbook, such as the link of File → Share → Publish to web in Google Sheets (see docs/formats.md)")
			u = nil
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs.Errorf(p("url"), "source %q url %q is not an http(s) address", s.Name, truncate(s.URL, 80)).
				WithHint("write the whole address, starting with https://")
			u = nil
		case u.User != nil:
			errs.Errorf(p("url"), "source %q url holds a user name or password", s.Name).
				WithHint("site.yaml must not hold credentials; publish the spreadsheet to the web (or share it with anyone who has the link) and use that address")
			u = nil
		}
		ext := strings.ToLower(path.Ext(s.File))
		switch {
		case s.File == "":
			errs.Errorf(spos, "source %q has no file", s.Name).
				WithHint("add the file it becomes, such as `file: data/observations/%s.csv`", orDefault(s.Name, "doses"))
		case !validDataPath(s.File):
			errs.Errorf(p("file"), "source %q file %q must be a path under data/ (such as data/observations/doses.csv)", s.Name, truncate(s.File, 80)).
				WithHint("write the path from the site folder with / between folders, without .. or folders starting with a dot")
		case ext != ".csv" && ext != ".xlsx":
			errs.Errorf(p("file"), "source %q file %q should end in .csv or .xlsx", s.Name, truncate(s.File, 80)).
				WithHint("the file's extension says how drumbeat reads it: .csv for a published CSV, .xlsx for a workbook")
		case u != nil && sourceKind(u) != "" && "."+sourceKind(u) != ext:
			errs.Errorf(p("file"), "source %q downloads a %s file (its url says so) but its file %s ends in %s", s.Name, strings.ToUpper(sourceKind(u)), s.File, ext).
				WithHint("name the file %s", strings.TrimSuffix(s.File, path.Ext(s.File))+"."+sourceKind(u))
		case s.File == SourcesRecord:
			errs.Errorf(p("file"), "source %q cannot be written to %s, where drumbeat fetch records what it downloaded", s.Name, SourcesRecord)
		default:
			if first, dup := files[s.File]; dup {
				errs.Errorf(p("file"), "sources %q and %q both write %s", list[first].Name, s.Name, s.File).
					WithHint("give each source its own file")
			} else {
				files[s.File] = i
			}
		}
		s.Age = model.DefaultSourceMaxAge
		if s.MaxAge != "" {
			d, ok := ParseAge(s.MaxAge)
			if !ok {
				errs.Errorf(p("max_age"), "source %q max_age %q is not an age like 12h, 7d or 2w", s.Name, truncate(s.MaxAge, 20)).
					WithHint("a whole number of hours (h), days (d) or weeks (w): how old the download may be before drumbeat check warns; leave it out for 30d")
			} else {
				s.Age = d
			}
		}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
