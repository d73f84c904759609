package model

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzParsePeriod checks that ParsePeriod never panics and that what it
// accepts is a well-formed period that reads back from its own text.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2026", "2026-Q3", "2026-q1", "2026-09", "2026-09-15", "2024-02-29", " 2026 ",
		"", "202", "2026-Q5", "2026-13", "2026-02-30", "+2026", "2026-+1", "2026-Q\xff", "0999",
		"2026-09-15T00:00", "9999-12-31", "1000-01-01",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			if !p.IsZero() {
				t.Fatalf("ParsePeriod(%q) returned %+v with error %v", s, p, err)
			}
			return
		}
		if p.Kind < Year || p.Kind > Day || p.Y < 1000 || p.Y > 9999 {
			t.Fatalf("ParsePeriod(%q) = %+v, out of range", s, p)
		}
		back, err := ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePeriod(%q) = %+v; its String %q reads back as %+v, %v", s, p, p.String(), back, err)
		}
		if p.End().Before(p.Start()) {
			t.Fatalf("%s ends before it starts", p)
		}
		if p.Label() == "" {
			t.Fatalf("%s has no label", p)
		}
		if p.Y > 1000 && p.Prev().Next() != p {
			t.Fatalf("%s.Prev().Next() = %s", p, p.Prev().Next())
		}
		if p.Y < 9999 && p.Next().Prev() != p {
			t.Fatalf("%s.Next().Prev() = %s", p, p.Next().Prev())
		}
		if !p.Prev().Before(p) || !p.Before(p.Next()) || p.Before(p) {
			t.Fatalf("%s is not ordered between its neighbours", p)
		}
	})
}

// groupedRE is what a number with thousands separators must look like once
// ParseNumber has accepted it.
var groupedRE = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$`)

// FuzzParseNumber checks that ParseNumber never panics, accepts only
// finite numbers, and accepts commas only as unambiguous thousands
// separators.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"0", "12", " 12 ", "72.4", "-3", "1,234.5", "12,345,678", "87%", "87 %", "1e3",
		"1,5", "1.234,5", "NaN", "Inf", "-Infinity", "1e999", "0x10", "1_000", ",", "-,", "%", "",
		"1.7e308", "1e15", "1e-9", "1e-400", "0e-400", "0.0000000001",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, percent bool) {
		v, err := ParseNumber(s, percent)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("ParseNumber(%q) error %q does not quote the value", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxNumber || v != 0 && math.Abs(v) < MinNumber {
			t.Fatalf("ParseNumber(%q) = %v, outside the sizes drumbeat computes with", s, v)
		}
		body := strings.TrimSpace(s)
		if strings.HasSuffix(body, "%") {
			if !percent {
				t.Fatalf("ParseNumber(%q, false) accepted a %% sign", s)
			}
			body = strings.TrimSpace(strings.TrimSuffix(body, "%"))
		} else if w, err := ParseNumber(s, !percent); err != nil || w != v && !(math.IsNaN(w) && math.IsNaN(v)) {
			t.Fatalf("ParseNumber(%q) depends on percent without a %% sign: %v vs %v, %v", s, v, w, err)
		}
		if strings.Contains(body, ",") && !groupedRE.MatchString(body) {
			t.Fatalf("ParseNumber(%q) = %v accepted an ambiguous comma", s, v)
		}
		if again, err := ParseNumber(strconv.FormatFloat(v, 'g', -1, 64), false); err != nil || again != v {
			t.Fatalf("ParseNumber(%q) = %v does not read back: %v, %v", s, v, again, err)
		}
	})
}
