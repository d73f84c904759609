package model

import (
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// DataConf holds how the site's data files write their numbers (data: in
// site.yaml).
type DataConf struct {
	// Decimal is the character every CSV file under data/ writes decimals
	// with: "." (1,234.5) or "," (1.234,5). Empty: not said, and numbers
	// that read two ways (1,5; 2.600 in a count) are errors.
	Decimal string `yaml:"decimal"`
	// Files holds the choices of single files, by their path from the
	// site folder (data/observations/doses.csv); they override Decimal.
	Files map[string]DataFileConf `yaml:"files"`

	// Style is Decimal, checked by the loader.
	Style NumberStyle         `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// DataFileConf holds the choices of one data file.
type DataFileConf struct {
	Decimal string `yaml:"decimal"`

	Style NumberStyle         `yaml:"-"`
	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// StyleOf returns how the data file name (a path from the site folder)
// writes its numbers.
func (d DataConf) StyleOf(name string) NumberStyle {
	if f, ok := d.Files[name]; ok && f.Style != NumbersUnsaid {
		return f.Style
	}
	return d.Style
}

// DefaultSourceMaxAge is how old a fetched source may be before drumbeat
// check warns, when its max_age is not given.
const DefaultSourceMaxAge = 30 * 24 * time.Hour

// DataSource is a data file that drumbeat fetch downloads from the web
// (sources: in site.yaml): a spreadsheet published as CSV, or a workbook.
// The build never downloads it; it reads the file fetch last wrote.
type DataSource struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// File is where the download goes, a path from the site folder
	// under data/ (data/observations/doses.csv).
	File string `yaml:"file"`
	// MaxAge is how old the file may be before drumbeat check warns:
	// such as 7d, 12h or 2w; 30d when empty.
	MaxAge string `yaml:"max_age"`

	// Age is MaxAge, checked by the loader.
	Age   time.Duration       `yaml:"-"`
	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}
