package model

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		percent bool
		want    float64
	}{
		{"0", false, 0},
		{"12", false, 12},
		{" 12 ", false, 12},
		{"\t12\t", false, 12},
		{"72.4", false, 72.4},
		{"-3", false, -3},
		{"+3", false, 3},
		{".5", false, 0.5},
		{"5.", false, 5},
		{"1e3", false, 1000},
		{"1,234", false, 1234},
		{"1,234.5", false, 1234.5},
		{"12,345,678.25", false, 12345678.25},
		{"-1,234.5", false, -1234.5},
		{"+1,000", false, 1000},
		{"87%", true, 87},
		{"87 %", true, 87},
		{" 87.5% ", true, 87.5},
		{"1,000%", true, 1000},
		{"87", true, 87}, // % is allowed, not required
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in, tt.percent)
		if err != nil {
			t.Errorf("ParseNumber(%q, %v): %v", tt.in, tt.percent, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseNumber(%q, %v) = %v, want %v", tt.in, tt.percent, got, tt.want)
		}
	}
}

func TestParseNumberInvalid(t *testing.T) {
	tests := []struct {
		in      string
		percent bool
		want    string // in the message
	}{
		{"1,5", false, "ambiguous"},
		{"1.234,5", false, "ambiguous"},
		{"1,23", false, "ambiguous"},
		{"1234,567", false, "ambiguous"},
		{",123", false, "ambiguous"},
		{"1,234,5", false, "ambiguous"},
		{"1,,234", false, "ambiguous"},
		{"-,5", false, "ambiguous"},
		{"1,5%", true, "ambiguous"},
		{"87%", false, "the metric's unit is not %"},
		{"87 %", false, "the metric's unit is not %"},
		{"NaN", false, "is not a number"},
		{"nan", false, "is not a number"},
		{"Inf", false, "is not a number"},
		{"+Inf", false, "is not a number"},
		{"-Infinity", false, "is not a number"},
		{"1e999", false, "is not a number"},
		{"-1e999", false, "is not a number"},
		{"0x10", false, "is not a number"},
		{"1_000", false, "is not a number"},
		{"1 000", false, "is not a number"},
		{"€12", false, "is not a number"},
		{"12 EUR", false, "is not a number"},
		{"−5", false, "is not a number"}, // U+2212, not a hyphen
		{"", false, "is not a number"},
		{"   ", false, "is not a number"},
		{"%", true, "is not a number"},
		{"87%%", true, "is not a number"},
		{"-", false, "is not a number"},
		{"1.2.3", false, "is not a number"},
		{"e5", false, "is not a number"},
		{"n/a", false, "is not a number"},
	}
	for _, tt := range tests {
		v, err := ParseNumber(tt.in, tt.percent)
		if err == nil {
			t.Errorf("ParseNumber(%q, %v) = %v, want an error", tt.in, tt.percent, v)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseNumber(%q, %v) error %q does not say %q", tt.in, tt.percent, err, tt.want)
		}
		if q := strconv.Quote(tt.in); !strings.Contains(err.Error(), q) {
			t.Errorf("ParseNumber(%q) error %q does not quote the value as written", tt.in, err)
		}
	}
}

func TestParseNumberAmbiguousHint(t *testing.T) {
	_, err := ParseNumber("1,5", false)
	if err == nil || !strings.Contains(err.Error(), "1.5") || !strings.Contains(err.Error(), "1,234.5") {
		t.Errorf("the error for 1,5 does not show how to write the number: %v", err)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{7, "7"},
		{1830, "1,830"},
		{12000, "12,000"},
		{1234567, "1,234,567"},
		{-1234567, "−1,234,567"},
		{999, "999"},
		{1000, "1,000"},
		{1234.56, "1,235"}, // no decimals from 1000 up
		{72.4, "72.4"},
		{72.44, "72.4"},
		{10.05, "10.1"},
		{10.0, "10"},
		{9.5, "9.5"},
		{3.14159, "3.14"},
		{0.5, "0.5"},
		{0.001, "0"},
		{-0.001, "0"},
		{-2.5, "−2.5"},
		{99.96, "100"},
		{math.NaN(), "–"},
		{math.Inf(1), "–"},
		{math.Inf(-1), "–"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{87.3, "%", "87.3 %"},
		{12000, "EUR", "€12,000"},
		{-450, "EUR", "−€450"},
		{12.5, "USD", "$12.5"},
		{3, "KES", "KSh 3"},
		{1830, "doses", "1,830 doses"},
		{5, "", "5"},
		{2, "days", "2 days"},
		{1, "XYZ", "1 XYZ"}, // an unknown currency code is just a unit
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("FormatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

// TestPlural checks the one plural rule every count and unit goes
// through: the singular for one, the plural otherwise (zero included),
// units that have no plural as they are.
func TestPlural(t *testing.T) {
	tests := []struct {
		n    int
		noun string
		want string
	}{
		{1, "changes", "1 change"},
		{3, "changes", "3 changes"},
		{0, "changes", "0 changes"},
		{1, "outbreaks", "1 outbreak"},
		{0, "outbreaks", "0 outbreaks"},
		{1, "doses", "1 dose"},
		{0, "doses", "0 doses"},
		{6030, "doses", "6,030 doses"},
		{-1, "cases", "−1 case"},
		{1, "doses per child", "1 dose per child"},
		{1, "stories", "1 story"},
		{2, "stories", "2 stories"},
		{1, "organisations", "1 organisation"},
		{1, "partners", "1 partner"},
		{1, "children", "1 child"},
		{1, "Children", "1 Child"},
		{1, "people", "1 person"},
		{1, "series", "1 series"},
		{1, "boxes", "1 box"},
		{1, "classes", "1 class"},
		{1, "class", "1 class"},
		{1, "hours", "1 hour"},
		{1, "kg", "1 kg"},
		{1, "%", "1 %"},
		{1, "EUR", "€1"},
		{2, "EUR", "€2"},
		{1, "", "1"},
	}
	for _, tt := range tests {
		if got := Plural(tt.n, tt.noun); got != tt.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
	// Values go through the same rule: 1 is singular, 1.5 and 0 plural.
	for _, tt := range []struct {
		v    float64
		want string
	}{{1, "1 change"}, {1.0000001, "1 change"}, {1.5, "1.5 changes"}, {0, "0 changes"}} {
		if got := FormatValue(tt.v, "changes"); got != tt.want {
			t.Errorf("FormatValue(%v, changes) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := FormatChange(1, "%"); got != "+1 point" {
		t.Errorf("FormatChange(1, %%) = %q, want +1 point", got)
	}
}

func TestKeepUnits(t *testing.T) {
	const nb = "\u00a0"
	for _, tt := range []struct{ in, want string }{
		{"82.6 % in Q3 2026, 7.4 points short of the 90 % target", "82.6" + nb + "% in Q3 2026, 7.4" + nb + "points short of the 90" + nb + "% target"},
		{"6,030 doses", "6,030" + nb + "doses"},
		{"0 outbreaks", "0" + nb + "outbreaks"},
		{"Q1 2024 to Q3 2026", "Q1 2024" + nb + "to Q3 2026"}, // a number before a number may break; a word after a number is kept with it
		{"€101 per child", "€101" + nb + "per child"},
		{"no figures", "no figures"},
		{"ends in 3 ", "ends in 3 "},
		{"", ""},
	} {
		if got := KeepUnits(tt.in); got != tt.want {
			t.Errorf("KeepUnits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatChange(t *testing.T) {
	tests := []struct {
		d    float64
		unit string
		want string
	}{
		{4.2, "%", "+4.2 points"},
		{-4.2, "%", "−4.2 points"},
		{1, "%", "+1 point"},
		{-1, "%", "−1 point"},
		{0, "%", "+0 points"},
		{-12, "cases", "−12 cases"},
		{1500, "doses", "+1,500 doses"},
		{-300, "EUR", "−€300"},
		{2, "", "+2"},
	}
	for _, tt := range tests {
		if got := FormatChange(tt.d, tt.unit); got != tt.want {
			t.Errorf("FormatChange(%v, %q) = %q, want %q", tt.d, tt.unit, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		share float64
		want  string
	}{
		{0.873, "87 %"},
		{0, "0 %"},
		{1, "100 %"},
		{0.995, "100 %"},
		{1.25, "125 %"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.share); got != tt.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", tt.share, got, tt.want)
		}
	}
}

func TestParseNumberDecimalComma(t *testing.T) {
	good := map[string]float64{
		"72,4": 72.4, "1.234,5": 1234.5, "2.600": 2600, "1 234,5": 1234.5, "1\u00a0234": 1234,
		"1\u202f234\u202f567,25": 1234567.25, "-1.234,5": -1234.5, ",5": 0.5, "1,5e3": 1500, "87,5 %": 87.5, "0,125": 0.125, "12": 12,
	}
	for in, want := range good {
		if got, err := ParseNumberIn(in, true, DecimalComma); err != nil || got != want {
			t.Errorf("ParseNumberIn(%q, DecimalComma) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"72.4", "1,234.5", "1.23", "1.2345", "1,2,3", "1.234 567", "0.500", ".5", "1..234", "1.234.56", "1,5.3"} {
		if v, err := ParseNumberIn(in, true, DecimalComma); err == nil {
			t.Errorf("ParseNumberIn(%q, DecimalComma) = %v, want an error", in, v)
		} else if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("ParseNumberIn(%q) error %q does not quote the value", in, err)
		}
	}
	// A declared point reads as ParseNumber does.
	for _, in := range []string{"2.600", "1,234.5", "1,5"} {
		a, errA := ParseNumber(in, false)
		b, errB := ParseNumberIn(in, false, DecimalPoint)
		if a != b || (errA == nil) != (errB == nil) {
			t.Errorf("%q: ParseNumber %v, %v; ParseNumberIn(DecimalPoint) %v, %v", in, a, errA, b, errB)
		}
	}
}
