package load

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

func TestMetrics(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{MetricsFile: "" +
		"id,name,perspective,level,unit,direction,baseline,target,target_date,source,description\n" +
		"coverage_2y,Children fully immunised by age two,impact,impact,%,up,71,90,2027-Q4,District records,\"Share of children, by age two\"\n" +
		"\n" +
		"outbreaks , Measles outbreaks ,Impact,OUTCOME,outbreaks,Down,\"1,200\",0,2027,,\n" +
		",,,,,,,,,,\n" +
		"cost,Cost per child,finance,input,EUR,down,,,,,\n"})
	checkErrs(t, errs)
	want := []*model.Metric{
		{ID: "coverage_2y", Name: "Children fully immunised by age two", Perspective: model.Impact, Level: model.LevelImpact,
			Unit: "%", Baseline: ptr(71), Target: ptr(90), TargetDate: model.Period{Kind: model.Quarter, Y: 2027, N: 4},
			Source: "District records", Description: "Share of children, by age two", Pos: diag.Pos{File: MetricsFile, Line: 2}},
		{ID: "outbreaks", Name: "Measles outbreaks", Perspective: model.Impact, Level: model.LevelOutcome, Unit: "outbreaks",
			Down: true, Baseline: ptr(1200), Target: ptr(0), TargetDate: model.Period{Kind: model.Year, Y: 2027},
			Pos: diag.Pos{File: MetricsFile, Line: 4}},
		{ID: "cost", Name: "Cost per child", Perspective: model.Finance, Level: model.LevelInput, Unit: "EUR", Down: true,
			Pos: diag.Pos{File: MetricsFile, Line: 6}},
	}
	if !reflect.DeepEqual(src.Metrics, want) {
		for i, m := range src.Metrics {
			t.Errorf("metric %d = %+v", i, *m)
		}
	}
}

func ptr(v float64) *float64 { return &v }

// TestMetricsSynonyms: the optional synonyms column is read as a list
// split at semicolons; a file without it (TestMetrics) still loads.
func TestMetricsSynonyms(t *testing.T) {
	src, errs := loadFiles(t, map[string]string{MetricsFile: "" +
		"id,name,perspective,level,unit,direction,synonyms\n" +
		"doses_given,Vaccine doses given,impact,output,doses,up,\"doses;  vaccinations ; ; jabs;doses\"\n" +
		"outbreaks,Measles outbreaks,impact,outcome,outbreaks,down,\n"})
	checkErrs(t, errs)
	if len(src.Metrics) != 2 {
		t.Fatalf("got %d metrics", len(src.Metrics))
	}
	if got, want := src.Metrics[0].Synonyms, []string{"doses", "vaccinations", "jabs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("synonyms = %q, want %q", got, want)
	}
	if got := src.Metrics[1].Synonyms; got != nil {
		t.Errorf("empty synonyms = %q, want none", got)
	}
}

func TestMetricsProblems(t *testing.T) {
	const f = MetricsFile
	const header = "id,name,perspective,level,unit,direction,baseline,target,target_date\n"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"wrong column count",
			header + "a,A,impact,impact,%,up,1,2,2026\nb,B,impact,impact,%,up,1,2\nc,C,impact,impact,%,up,1,2,2026,extra\n",
			[]string{f + ":3: this row has 8 fields but the header has 9 (a value containing a comma must be in double quotes)",
				f + ":4: this row has 10 fields but the header has 9"}},
		{"unknown perspective",
			header + "a,A,impakt,impact,%,up,,,\n",
			[]string{f + `:2:5: metric "a" has perspective "impakt" (use impact, partnership, finance or learning)`}},
		{"unknown level and direction",
			header + "a,A,impact,result,%,sideways,,,\n",
			[]string{f + `:2:12: metric "a" has level "result"`, f + `:2:21: metric "a" has direction "sideways" (use up`}},
		{"bad numbers",
			header + "a,A,impact,impact,%,up,\"1,5\",87%,2026\nb,B,impact,impact,cases,up,12,87%,\n",
			[]string{f + `:2:24: baseline of "a": "1,5" is ambiguous`, f + `:3:31: target of "b": "87%" has a % sign but the metric's unit is not %`}},
		{"bad target date",
			header + "a,A,impact,impact,%,up,1,2,2026-Q5\n",
			[]string{f + `:2:28: target_date of "a": "2026-Q5" is not a period`}},
		{"bad id",
			header + "Coverage 2y,A,impact,impact,%,up,,,\n9lives,B,impact,impact,%,up,,,\n",
			[]string{f + `:2:1: metric id "Coverage 2y" may use only lower-case letters, digits and _ and must start with a letter (for example "coverage_2y")`,
				f + `:3:1: metric id "9lives"`}},
		{"no name",
			header + "a,,impact,impact,%,up,,,\n",
			[]string{f + `:2: metric "a" has no name`}},
		{"duplicate header column",
			"id,name,perspective,level,unit,direction,name\n",
			[]string{f + `:1:42: column "name" appears twice in the header`}},
		{"missing and unknown columns",
			"id,nme,perspective,level,unit\n",
			[]string{f + `:1: the header has no "direction" column`, f + `:1: the header has no "name" column`, f + `:1:4: unknown column "nme" (did you mean "name"?)`}},
		{"empty header name",
			"id,name,,perspective,level,unit,direction\n",
			[]string{f + `:1:9: column 3 has no name in the header`}},
		{"empty file", "", []string{f + ":1: the file is empty; it needs a header row"}},
		{"blank lines only", "\n\r\n\n", []string{f + ":1: the file is empty; it needs a header row"}},
		{"unterminated quote",
			header + "a,\"A,impact,impact,%,up,,,\nb,B,impact,impact,%,up,,,\n",
			[]string{f + `:2: a quoted value that starts in this row has a missing or extra " (the reader gave up at line 3)`}},
		{"bare quote",
			header + "a,A \"x\",impact,impact,%,up,,,\nb,B,impact,impact,%,up,,,\n",
			[]string{f + `:2:5: bare " in non-quoted-field`}},
		{"Latin-1 row",
			header + "a,Caf\xe9,impact,impact,%,up,,,\n",
			[]string{f + ":2:3: the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252)"}},
		{"Latin-1 header",
			"id,n\xe4me,perspective\n",
			[]string{f + ":1:4: the file is not valid UTF-8"}},
		{"UTF-16 with BOM",
			"\xff\xfei\x00d\x00,\x00n\x00\n\x00",
			[]string{f + ":1: the file is UTF-16, not UTF-8"}},
		{"UTF-16 without BOM",
			"i\x00d\x00,\x00n\x00\n\x00",
			[]string{f + ":1:1: the file contains a NUL byte; it looks like UTF-16"}},
		{"too many problems",
			header + strings.Repeat("a,A,nope,impact,%,up,,,\n", 60),
			append(repeat(50, `data/metrics.csv:`), f+":52:5: too many problems in this file; stopped reading")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.want...)
		})
	}
}

func repeat(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestMetricsLongLine(t *testing.T) {
	src := "id,name,perspective,level,unit,direction\na,A,impact,impact,%,up\n" + strings.Repeat("x", maxCSVLine+10)
	_, errs := loadFiles(t, map[string]string{MetricsFile: src})
	checkErrs(t, errs, MetricsFile+":3: the line is longer than 1 MiB; this does not look like a CSV file")
}

func obsText(obs []model.Observation) string {
	var b strings.Builder
	for _, o := range obs {
		b.WriteString(o.Metric + " " + o.Period.String() + " " + model.FormatNumber(o.Value))
		if o.Partner != "" {
			b.WriteString(" @" + o.Partner)
		}
		if o.Note != "" {
			b.WriteString(" (" + o.Note + ")")
		}
		b.WriteString(" " + o.Pos.String() + "\n")
	}
	return b.String()
}

func TestObservations(t *testing.T) {
	const f = "data/observations/x.csv"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"long form",
			"metric,period,value,partner,note\n" +
				"coverage_2y,2025-Q1,72.4,,\n" +
				"doses_given,2025-Q1,\"1,830\",lakeside-clinic,first quarter\n" +
				"doses_given,2025-Q2,,lakeside-clinic,a gap\n" +
				"coverage_2y,2025-Q2,73%,,\n",
			"coverage_2y 2025-Q1 72.4 " + f + ":2\n" +
				"doses_given 2025-Q1 1,830 @lakeside-clinic (first quarter) " + f + ":3\n" +
				"coverage_2y 2025-Q2 73 " + f + ":5\n"},
		{"long form, columns in another order, no partner or note",
			"Value,Metric,Period\n12,outbreaks,2026\n",
			"outbreaks 2026 12 " + f + ":2\n"},
		{"wide form with gaps",
			"period,coverage_2y,outbreaks\n2025-Q1,72.4,3\n2025-Q2,,2\n2025-Q3,74,\n\n2025-09-15,75,0\n",
			"coverage_2y 2025-Q1 72.4 " + f + ":2\n" +
				"outbreaks 2025-Q1 3 " + f + ":2\n" +
				"outbreaks 2025-Q2 2 " + f + ":3\n" +
				"coverage_2y 2025-Q3 74 " + f + ":4\n" +
				"coverage_2y 2025-09-15 75 " + f + ":6\n" +
				"outbreaks 2025-09-15 0 " + f + ":6\n"},
		{"BOM, CRLF, quotes and spaces",
			"\xef\xbb\xbfmetric, period ,value,note\r\n" +
				" coverage_2y , 2025-Q1 , \" 72.4 \",\"said \"\"hi\"\", twice\"\r\n" +
				"outbreaks,2025,\"1,234\",\"two\r\nlines\"\r\n" +
				"outbreaks,2026,5,\r\n",
			"coverage_2y 2025-Q1 72.4 (said \"hi\", twice) " + f + ":2\n" +
				"outbreaks 2025 1,234 (two\nlines) " + f + ":3\n" + // encoding/csv turns a quoted \r\n into \n
				"outbreaks 2026 5 " + f + ":5\n"},
		{"header only", "metric,period,value\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{MetricsFile: testMetrics, f: tt.src})
			checkErrs(t, errs)
			if got := obsText(src.Observations); got != tt.want {
				t.Errorf("observations:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestObservationsProblems(t *testing.T) {
	const f = "data/observations/x.csv"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown metric, long form",
			"metric,period,value\ncoverage_2,2025-Q1,1\nsomething,2025-Q1,1\n",
			[]string{f + `:2:1: metric "coverage_2" is not in data/metrics.csv (did you mean "coverage_2y"?)`,
				f + `:3:1: metric "something" is not in data/metrics.csv (add a row for it to data/metrics.csv, or correct the id)`}},
		{"unknown metric, wide form",
			"period,coverage_2y,outbreak,doses\n2025,1,2,3\n",
			[]string{f + `:1:20: metric "outbreak" is not in data/metrics.csv (did you mean "outbreaks"?)`,
				f + `:1:29: metric "doses" is not in data/metrics.csv`}},
		{"bad period",
			"metric,period,value\noutbreaks,2025-Q5,1\noutbreaks,Q1 2025,1\n",
			[]string{f + `:2:11: "2025-Q5" is not a period; write a year (2026), a quarter (2026-Q3), a month (2026-09) or a day (2026-09-15)`,
				f + `:3:11: "Q1 2025" is not a period`}},
		{"bad period, wide form",
			"period,outbreaks\n2025-13,1\n",
			[]string{f + `:2:1: "2025-13" is not a period`}},
		{"ambiguous numbers",
			"metric,period,value\noutbreaks,2025,\"1,5\"\noutbreaks,2026,\"1.234,5\"\n",
			[]string{f + `:2:16: "1,5" is ambiguous: write decimals with a point (1.5) and thousands with commas in groups of three (1,234.5) or not at all`,
				f + `:3:16: "1.234,5" is ambiguous`}},
		{"percent on a unit that is not %",
			"period,coverage_2y,outbreaks\n2025,87%,12%\n",
			[]string{f + `:2:10: outbreaks: "12%" has a % sign but the metric's unit is not %`}},
		{"not a number",
			"metric,period,value\noutbreaks,2025,NaN\noutbreaks,2026,n/a\n",
			[]string{f + `:2:16: "NaN" is not a number`, f + `:3:16: "n/a" is not a number`}},
		{"wrong column count",
			"metric,period,value\noutbreaks,2025,1,extra\n",
			[]string{f + ":2: this row has 4 fields but the header has 3"}},
		{"no period column",
			"metric,value\noutbreaks,1\n",
			[]string{f + `:1: the header has no "period" column`}},
		{"long form without value",
			"metric,period,partner\n",
			[]string{f + ":1: a long-form file needs the columns metric, period and value"}},
		{"unknown long-form column",
			"metric,period,value,comment\n",
			[]string{f + `:1:21: unknown column "comment" in a long-form file`}},
		{"duplicate header column",
			"period,outbreaks,outbreaks\n",
			[]string{f + `:1:18: column "outbreaks" appears twice in the header`}},
		{"empty file", "", []string{f + ":1: the file is empty; it needs a header row"}},
		{"Latin-1",
			"metric,period,value,note\noutbreaks,2025,1,ok\noutbreaks,2026,2,caf\xe9\n",
			[]string{f + ":3:18: the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252)"}},
		{"UTF-16 with BOM",
			"\xfe\xff\x00p\x00e\x00r",
			[]string{f + ":1: the file is UTF-16, not UTF-8"}},
		{"UTF-16 little-endian without BOM",
			"p\x00e\x00r\x00i\x00o\x00d\x00\n\x00",
			[]string{f + ":1:1: the file contains a NUL byte"}},
		{"unterminated quote at the end",
			"metric,period,value\noutbreaks,2025,\"12\n",
			[]string{f + `:2:20: extraneous or missing " in quoted-field`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{MetricsFile: testMetrics, f: tt.src})
			checkErrs(t, errs, tt.want...)
			if len(errs) > 0 && strings.Contains(tt.name, "header") && len(src.Observations) != 0 {
				t.Errorf("a broken header still gave %d observations", len(src.Observations))
			}
		})
	}
}

func TestObservationsWithoutMetrics(t *testing.T) {
	_, errs := loadFiles(t, map[string]string{"data/observations/x.csv": "metric,period,value\ncoverage_2y,2025,1\n"})
	checkErrs(t, errs, `data/observations/x.csv:2:1: metric "coverage_2y" is not in data/metrics.csv (add a row for it`)
}

func TestObservationsManyFiles(t *testing.T) {
	files := map[string]string{MetricsFile: testMetrics}
	for _, name := range []string{"a.csv", "b.CSV", "sub/c.csv", "notes.txt", ".hidden.csv"} {
		files["data/observations/"+name] = "metric,period,value\noutbreaks,2025,1\n"
	}
	src, errs := loadFiles(t, files)
	checkErrs(t, errs)
	var got []string
	for _, o := range src.Observations {
		got = append(got, o.Pos.File)
	}
	want := []string{"data/observations/a.csv", "data/observations/b.CSV", "data/observations/sub/c.csv"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files read = %v, want %v", got, want)
	}
}

// TestObservationsCap checks that a file with more values than drumbeat
// keeps is refused at the row that goes over, without reading on.
func TestObservationsCap(t *testing.T) {
	heavy.Test(t)
	var b strings.Builder
	b.WriteString("period,outbreaks,coverage_2y\n")
	for i := 0; i < maxValuesPerFile/2+1; i++ {
		b.WriteString("2025,1,2\n")
	}
	b.WriteString("bad\n")
	src, errs := loadFiles(t, map[string]string{MetricsFile: testMetrics, "data/observations/big.csv": b.String()})
	checkErrs(t, errs, "data/observations/big.csv:500002: the file holds more than 1000000 values")
	if len(src.Observations) != 0 {
		t.Errorf("%d observations kept from a refused file", len(src.Observations))
	}
}

// TestObservationsLongFileSizedOnce checks that a long observations file
// is read whole, in order, into a slice sized from the file once (not
// grown by append some 30 times), with little room to spare.
func TestObservationsLongFileSizedOnce(t *testing.T) {
	const n = 20_000
	var b strings.Builder
	b.WriteString("metric,period,value,partner\n")
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "outbreaks,%s,%d,\n", day.AddDate(0, 0, i).Format("2006-01-02"), i*7%1000)
	}
	src, errs := loadFiles(t, map[string]string{MetricsFile: testMetrics, "data/observations/daily.csv": b.String()})
	checkErrs(t, errs)
	obs := src.Observations
	if len(obs) != n {
		t.Fatalf("%d observations, want %d", len(obs), n)
	}
	for i, o := range obs {
		if want := day.AddDate(0, 0, i).Format("2006-01-02"); o.Period.String() != want || o.Value != float64(i*7%1000) || o.Pos.Line != i+2 {
			t.Fatalf("observation %d = %s %v line %d, want %s %d line %d", i, o.Period, o.Value, o.Pos.Line, want, i*7%1000, i+2)
		}
	}
	if c := cap(obs); c < n || c > n*11/10 {
		t.Errorf("cap = %d for %d values: want the file's size estimate, within 10 %%", c, n)
	}
}
