package load

import (
	"regexp"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestDetectSeparator(t *testing.T) {
	tests := []struct {
		head string
		want rune
	}{
		{"metric,period,value\n", ','},
		{"metric;period;value\r\n", ';'},
		{"metric\tperiod\tvalue\n", '\t'},
		{"period\n", ','},                // one column
		{"", ','},                        // empty file
		{"period;doses_given\n", ';'},    // wide form, one metric
		{`"a;b",c` + "\n", ','},          // a quoted ; does not count
		{`period;"a,b,c"` + "\n", ';'},   // nor a quoted comma
		{"period,a\nx;y;z;w;v\n", ','},   // only the first line counts
		{"a,b;c\n", ','},                 // a tie: comma
		{"a;b\tc\n", ';'},                // a tie between ; and tab: ;
		{"period;a;b\rrest,,,,,\n", ';'}, // a CR ends the line too
		{"metric;period;value", ';'},     // no line end at all
		{"\"period\nx\";a;b\n", ';'},     // a quoted line end does not end the line
	}
	for _, tt := range tests {
		if got := DetectSeparator([]byte(tt.head)); got != tt.want {
			t.Errorf("DetectSeparator(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

// TestLocaleCSV loads observation files written by spreadsheets in other
// locales, with and without site.yaml saying how they write numbers.
func TestLocaleCSV(t *testing.T) {
	const metrics = "id,name,perspective,level,unit,direction\n" +
		"coverage_2y,Coverage,impact,impact,%,up\n" +
		"people,People reached,impact,output,people,up\n" +
		"cost,Cost,finance,input,EUR,down\n" +
		"index,Index,learning,outcome,,up\n"
	const obs = "data/observations/x.csv"
	tests := []struct {
		name   string
		config string // site.yaml after the title
		file   string // data/observations/x.csv
		want   []float64
		errs   []string // prefixes, as checkErrs
	}{
		{name: "semicolons, no declaration, plain numbers",
			file: "metric;period;value\npeople;2026-Q1;2600\ncoverage_2y;2026-Q1;72.4\n",
			want: []float64{2600, 72.4}},
		{name: "tabs, wide form",
			file: "period\tpeople\tcoverage_2y\n2026-Q1\t2600\t\n2026-Q2\t\t72.4\n",
			want: []float64{2600, 72.4}},
		{name: "semicolons, decimal comma declared for every file",
			config: "data:\n  decimal: \",\"\n",
			file:   "metric;period;value\npeople;2026-Q1;2.600\ncoverage_2y;2026-Q1;72,4\ncost;2026-Q1;1.234,5\ncost;2026-Q2;1 234,5\npeople;2026-Q2;1.234.567\ncoverage_2y;2026-Q2;87,5 %\n",
			want:   []float64{2600, 72.4, 1234.5, 1234.5, 1234567, 87.5}},
		{name: "decimal comma declared for this file alone",
			config: "data:\n  files:\n    data/observations/x.csv: {decimal: \",\"}\n",
			file:   "period;people;coverage_2y\n2026-Q1;2.600;72,4\n",
			want:   []float64{2600, 72.4}},
		{name: "a file's declaration overrides the site's",
			config: "data:\n  decimal: \",\"\n  files:\n    data/observations/x.csv:\n      decimal: \".\"\n",
			file:   "metric,period,value\npeople,2026-Q1,2.600\ncost,2026-Q1,\"1,234.5\"\n",
			want:   []float64{2.6, 1234.5}},
		{name: "decimal point declared: 2.600 is 2.6",
			config: "data:\n  decimal: \".\"\n",
			file:   "metric,period,value\npeople,2026-Q1,2.600\n",
			want:   []float64{2.6}},
		{name: "no declaration: 2.600 people is ambiguous",
			file: "metric;period;value\npeople;2026-Q1;2.600\n",
			errs: []string{`data/observations/x.csv:2:16: "2.600" is ambiguous: 2600 where a point separates thousands (1.234,5), or 2.6 (in a metric counted in people) (write 2600 or 2.6, or say in site.yaml which character writes decimals: data: {decimal: ","}`}},
		{name: "no declaration: 2.600 EUR is ambiguous too (cents have two decimals)",
			file: "metric,period,value\ncost,2026-Q1,12.500\n",
			errs: []string{`data/observations/x.csv:2:14: "12.500" is ambiguous: 12500`}},
		{name: "no declaration: a sign is kept",
			file: "metric,period,value\ncost,2026-Q1,-2.600\n",
			errs: []string{`data/observations/x.csv:2:14: "-2.600" is ambiguous: -2600 where a point separates thousands (1.234,5), or -2.6 (in a metric counted in EUR) (write -2600 or -2.6, or`}},
		{name: "no declaration: wide form, the metric's name first",
			file: "period,people\n2026-Q1,2.600\n",
			errs: []string{`data/observations/x.csv:2:9: people: "2.600" is ambiguous`}},
		{name: "no declaration: 2.600 % and a unitless 1.250 are read with a point",
			file: "metric,period,value\ncoverage_2y,2026-Q1,72.400\nindex,2026-Q1,1.250\npeople,2026-Q2,12.5\npeople,2026-Q3,0.500\npeople,2026-Q4,1234.500\n",
			want: []float64{72.4, 1.25, 12.5, 0.5, 1234.5}},
		{name: "no declaration: 1.234.567 is not a number with a point",
			file: "metric,period,value\ncoverage_2y,2026-Q1,1.234.567\n",
			errs: []string{`data/observations/x.csv:2:21: "1.234.567" is not a number with a decimal point; it reads as 1234567 where a point separates thousands`}},
		{name: "no declaration: 1,5 is ambiguous as before, now with a hint",
			file: "metric;period;value\ncoverage_2y;2026-Q1;72,4\n",
			errs: []string{`data/observations/x.csv:2:21: "72,4" is ambiguous: write decimals with a point (1.5) and thousands with commas in groups of three (1,234.5) or not at all (if this file writes decimals with a comma, say in site.yaml`}},
		{name: "no declaration: 1,234 in a ; file is ambiguous",
			file: "metric;period;value\npeople;2026-Q1;1,234\n",
			errs: []string{`data/observations/x.csv:2:16: "1,234" is ambiguous in a file whose fields are separated by a semicolon: 1234, or 1.234 where a comma writes decimals`}},
		{name: "no declaration: \"1,234\" in a comma file is 1234 as before",
			file: "metric,period,value\npeople,2026-Q1,\"1,234\"\n",
			want: []float64{1234}},
		{name: "decimal comma declared: a decimal point is wrong",
			config: "data:\n  decimal: \",\"\n",
			file:   "metric;period;value\ncoverage_2y;2026-Q1;72.4\n",
			errs:   []string{`data/observations/x.csv:2:21: "72.4" is not a number written with a decimal comma`}},
		{name: "semicolons: a value with ; must be quoted",
			file: "metric;period;value;note\npeople;2026-Q1;26;a;b\n",
			errs: []string{`data/observations/x.csv:2: this row has 5 fields but the header has 4 (a value containing a semicolon must be in double quotes)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{
				ConfigFile:  "title: Test\n" + tt.config,
				MetricsFile: metrics,
				obs:         tt.file,
			})
			checkErrs(t, errs, tt.errs...)
			if tt.errs != nil {
				return
			}
			var got []float64
			for _, o := range src.Observations {
				got = append(got, o.Value)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("values %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("values %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

// TestLocaleMetrics: metrics.csv is read the same way: separator detected,
// baseline and target as declared.
func TestLocaleMetrics(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{
		ConfigFile: "title: Test\ndata:\n  decimal: \",\"\n",
		MetricsFile: "id;name;perspective;level;unit;direction;baseline;target\n" +
			"people;People reached;impact;output;people;up;2.600;4.000\n" +
			"coverage_2y;Coverage;impact;impact;%;up;71,5;90\n"})
	checkErrs(t, errs)
	if len(src.Metrics) != 2 || *src.Metrics[0].Baseline != 2600 || *src.Metrics[0].Target != 4000 || *src.Metrics[1].Baseline != 71.5 {
		t.Fatalf("metrics %+v", src.Metrics)
	}
	_, errs = loadFiles(t, map[string]string{MetricsFile: "id;name;perspective;level;unit;direction;baseline\n" +
		"people;People reached;impact;output;people;up;2.600\n"})
	checkErrs(t, errs, `data/metrics.csv:2:47: baseline of "people": "2.600" is ambiguous`)
}

func TestDataConfig(t *testing.T) {
	tests := []struct {
		config string
		errs   []string
	}{
		{"data:\n  decimal: \";\"\n", []string{`site.yaml:3:3: data.decimal ";" should be "." or ","`}},
		{"data:\n  decimals: \",\"\n", []string{`site.yaml:3:3: unknown key "decimals" in ` + "`data`" + ` (did you mean "decimal"?)`}},
		{"data:\n  files:\n    data/x.txt: {decimal: \",\"}\n", []string{`site.yaml:4:17: data.files names "data/x.txt", which is not a CSV file or workbook under data/`}},
		{"data:\n  files:\n    ../x.csv: {decimal: \",\"}\n", []string{`site.yaml:4:15: data.files names "../x.csv", which is not a CSV file or workbook under data/`}},
		{"data:\n  files:\n    data/observations/y.csv: {decimal: 1}\n", []string{`site.yaml:4:31: data.files: the decimal of data/observations/y.csv, "1", should be`}},
		{"data:\n  files:\n    data/observations/nope.csv: {decimal: \",\"}\n", []string{`site.yaml:4:33: warning: data.files names data/observations/nope.csv, which does not exist`}},
		{"data:\n  files:\n    data/observations/y.csv: {decimal: \",\"}\n", nil},
	}
	for _, tt := range tests {
		_, errs := loadFiles(t, map[string]string{ConfigFile: "title: Test\n" + tt.config, "data/observations/y.csv": "period\n"})
		checkErrs(t, errs, tt.errs...)
	}
}

func TestSourcesConfig(t *testing.T) {
	const ok = "  - name: doses\n    url: https://docs.google.com/spreadsheets/d/e/X/pub?output=csv\n    file: data/observations/doses.csv\n"
	tests := []struct {
		sources string
		errs    []string
	}{
		{ok, nil},
		{ok + "    max_age: 7d\n", nil},
		{ok + "    max_age: 7 days\n", []string{`site.yaml:6:5: source "doses" max_age "7 days" is not an age like 12h, 7d or 2w`}},
		{ok + ok, []string{`site.yaml:6:5: source "doses" is named twice (first at line 3)`, `site.yaml:8:5: sources "doses" and "doses" both write data/observations/doses.csv`}},
		{"  - name: Doses\n    url: https://x.example/a.csv\n    file: data/a.csv\n", []string{`site.yaml:3:5: source name "Doses" may use only`}},
		{"  - url: https://x.example/a.csv\n    file: data/a.csv\n", []string{`site.yaml:3:5: source 1 has no name`}},
		{"  - name: a\n    url: ftp://x.example/a.csv\n    file: data/a.csv\n", []string{`site.yaml:4:5: source "a" url "ftp://x.example/a.csv" is not an http(s) address`}},
		{"  - name: a\n    url: https://me:secret@x.example/a.csv\n    file: data/a.csv\n", []string{`site.yaml:4:5: source "a" url holds a user name or password`}},
		{"  - name: a\n    url: https://x.example/a.csv\n    file: ../a.csv\n", []string{`site.yaml:5:5: source "a" file "../a.csv" must be a path under data/`}},
		{"  - name: a\n    url: https://x.example/a.csv\n    file: data/../../a.csv\n", []string{`site.yaml:5:5: source "a" file "data/../../a.csv" must be a path under data/`}},
		{"  - name: a\n    url: https://x.example/a.csv\n    file: data/.hidden/a.csv\n", []string{`site.yaml:5:5: source "a" file "data/.hidden/a.csv" must be a path under data/`}},
		{"  - name: a\n    url: https://x.example/a\n    file: data/a.json\n", []string{`site.yaml:5:5: source "a" file "data/a.json" should end in .csv or .xlsx`}},
		{"  - name: a\n    url: https://x.example/a?output=xlsx\n    file: data/a.csv\n", []string{`site.yaml:5:5: source "a" downloads a XLSX file (its url says so) but its file data/a.csv ends in .csv (name the file data/a.xlsx)`}},
		{"  - name: a\n    url: https://x.example/a.xlsx\n    file: data/observations/a.xlsx\n", nil},
		{"  - name: a\n    url: https://x.example/a.csv\n    file: data/sources.json\n", []string{`site.yaml:5:5: source "a" file "data/sources.json" should end in .csv or .xlsx`}},
		{"  - name: a\n    url: https://x.example/a.csv\n    file: data/a.csv\n    sheet: Q3\n", []string{`site.yaml:6:5: unknown key "sheet" in ` + "`sources[1]`"}},
	}
	for _, tt := range tests {
		_, errs := loadFiles(t, map[string]string{ConfigFile: "title: Test\nsources:\n" + tt.sources})
		checkErrs(t, errs, tt.errs...)
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]float64{"12h": 12, "7d": 168, "2w": 336, " 30d ": 720} {
		if d, ok := ParseAge(in); !ok || d.Hours() != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v hours", in, d, ok, want)
		}
	}
	for _, in := range []string{"", "d", "7", "0d", "-1d", "7m", "1.5d", "7 d", "99999w"} {
		if d, ok := ParseAge(in); ok {
			t.Errorf("ParseAge(%q) = %v, want an error", in, d)
		}
	}
}

func TestCSVHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\xef\xbb\xbfMetric;Period; Value \n1;2;3\n", "metric|period|value"},
		{"period\tdoses_given\n", "period|doses_given"},
		{"a,\"b,c\"\r\n", "a|b,c"},
	}
	for _, tt := range tests {
		h, err := CSVHeader(strings.NewReader(tt.in))
		if err != nil || strings.Join(h, "|") != tt.want {
			t.Errorf("CSVHeader(%q) = %q, %v; want %q", tt.in, h, err, tt.want)
		}
	}
	if _, err := CSVHeader(strings.NewReader("")); err == nil {
		t.Error("CSVHeader of an empty file: no error")
	}
}

// FuzzDetectSeparator: any header gives one of the three separators, and
// a header without quotes is split into as many fields by it as it has
// separators plus one.
func FuzzDetectSeparator(f *testing.F) {
	for _, s := range []string{"metric,period,value\n", "metric;period;value\r\n", "period\tdoses\n", `"a;b",c`, "", "\"\n;"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sep := DetectSeparator(b)
		if sep != ',' && sep != ';' && sep != '\t' {
			t.Fatalf("DetectSeparator(%q) = %q", b, sep)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		line, _, _ = strings.Cut(line, "\r")
		if strings.Contains(line, `"`) {
			return
		}
		n := strings.Count(line, string(sep))
		for _, other := range []rune{',', ';', '\t'} {
			if strings.Count(line, string(other)) > n {
				t.Fatalf("DetectSeparator(%q) = %q, but %q is more frequent", b, sep, other)
			}
		}
	})
}

// FuzzParseNumberIn: no style panics, every value accepted is one drumbeat
// computes with, a declared decimal comma reads what has no point or
// comma as ParseNumber does, and swapping points and commas of a number
// read with a comma gives the same number read with a point.
func FuzzParseNumberIn(f *testing.F) {
	for _, s := range []string{"1.234,5", "2.600", "72,4", "1 234,5", "1\u00a0234", "-1.234.567,25", "1,5e3", ",5", "0.500", "1..2", "1.23,4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range []model.NumberStyle{model.NumbersUnsaid, model.DecimalPoint, model.DecimalComma} {
			v, err := model.ParseNumberIn(s, true, st)
			if err != nil {
				continue
			}
			if model.CheckMagnitude(v) != nil {
				t.Fatalf("ParseNumberIn(%q, %v) = %v", s, st, v)
			}
		}
		if strings.ContainsAny(s, " \u00a0\u202feE") {
			return
		}
		c, err := model.ParseNumberIn(s, true, model.DecimalComma)
		if err != nil {
			return
		}
		swapped := strings.Map(func(r rune) rune {
			switch r {
			case '.':
				return ','
			case ',':
				return '.'
			}
			return r
		}, s)
		p, err := model.ParseNumberIn(swapped, true, model.DecimalPoint)
		if err == nil && p != c {
			t.Fatalf("%q with a decimal comma = %v, but %q with a point = %v", s, c, swapped, p)
		}
	})
}

// FuzzThousands checks the hand-written matchers against the regular
// expressions they stand for.
func FuzzThousands(f *testing.F) {
	point := regexp.MustCompile(`^[1-9][0-9]{0,2}(\.[0-9]{3})+$`)
	comma := regexp.MustCompile(`^[0-9]{1,3},[0-9]{3}$`)
	for _, s := range []string{"2.600", "12.500", "1.234.567", "0.500", "1234.500", "1.23", "1,234", "12,3456", ",123", "1.", ".123", "1.2345", "999.999.999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := pointThousands(s), point.MatchString(s); got != want {
			t.Fatalf("pointThousands(%q) = %v, want %v", s, got, want)
		}
		if got, want := commaThousands(s), comma.MatchString(s); got != want {
			t.Fatalf("commaThousands(%q) = %v, want %v", s, got, want)
		}
	})
}
