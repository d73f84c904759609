package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// NumberStyle is how a data file writes its numbers: which character
// separates the decimals. A site says it in site.yaml (data: decimal:).
type NumberStyle uint8

const (
	// NumbersUnsaid is a file whose style nobody declared: decimals after
	// a point, thousands with commas; 1,5 and 1.234,5 are refused as
	// ambiguous (ParseNumber).
	NumbersUnsaid NumberStyle = iota
	// DecimalPoint is a file declared to write 1,234.5 (data: decimal: ".").
	DecimalPoint
	// DecimalComma is a file declared to write 1.234,5 or 1 234,5 (data:
	// decimal: ","), as spreadsheets do in much of Europe and Latin America.
	DecimalComma
)

// String returns the style as site.yaml writes it: ".", "," or "".
func (s NumberStyle) String() string {
	switch s {
	case DecimalPoint:
		return "."
	case DecimalComma:
		return ","
	}
	return ""
}

// ParseNumber reads a number as spreadsheets export it: spaces around it,
// comma thousands separators (1,234.5) and a trailing % when percent is
// allowed. It refuses anything ambiguous, such as 1,5 or 1.234,5.
func ParseNumber(s string, percentOK bool) (float64, error) {
	return ParseNumberIn(s, percentOK, NumbersUnsaid)
}

// ParseNumberIn reads a number written in style. DecimalComma reads the
// decimals after a comma and takes points or spaces (U+0020, U+00A0,
// U+202F) as thousands separators in groups of three: "1.234,5",
// "1 234,5", "72,4" and "2.600" (2600). The other styles read as
// ParseNumber does.
func ParseNumberIn(s string, percentOK bool, style NumberStyle) (float64, error) {
	orig := s
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "%") {
		if !percentOK {
			return 0, fmt.Errorf("%q has a %% sign but the metric's unit is not %%; write the number alone", orig)
		}
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if s == "" {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if style == DecimalComma {
		clean, ok := commaToPoint(s)
		if !ok {
			return 0, fmt.Errorf("%q is not a number written with a decimal comma: write decimals after a comma (72,4) and thousands with points or spaces in groups of three (1.234,5) or not at all", orig)
		}
		s = clean
	} else if strings.Contains(s, ",") {
		clean, ok := stripThousands(s)
		if !ok {
			return 0, fmt.Errorf("%q is ambiguous: write decimals with a point (1.5) and thousands with commas in groups of three (1,234.5) or not at all", orig)
		}
		s = clean
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, fmt.Errorf("%q is not a number", orig)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if mant, _, _ := strings.Cut(strings.ToLower(s), "e"); v == 0 && strings.ContainsAny(mant, "123456789") {
		return 0, fmt.Errorf("%q is too close to zero: numbers other than 0 must be at least 0.000000001 (10^-9) in size; check the exponent, or use a smaller unit", orig)
	}
	if err := CheckMagnitude(v); err != nil {
		return 0, fmt.Errorf("%q %v", orig, err)
	}
	return v, nil
}

// The sizes of number drumbeat computes with. Every input is 0 or between
// MinNumber and MaxNumber in size, so that no sum, difference, product of
// two or ratio drumbeat works out (totals, changes, shares, leverage, cost
// per unit, progress, chart scales) can overflow to infinity or NaN; and up
// to MaxNumber a float64 still holds every whole number exactly.
const (
	MaxNumber = 1e15
	MinNumber = 1e-9
)

// CheckMagnitude returns an error, to follow the number as written, when v
// is not a number drumbeat can compute with: infinite, NaN, larger than
// MaxNumber or closer to zero than MinNumber.
func CheckMagnitude(v float64) error {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("is not a number")
	case a > MaxNumber:
		return fmt.Errorf("is too large: numbers may be up to 1,000,000,000,000,000 (10^15) in size; check for extra digits or a wrong exponent, or use a larger unit (thousands, millions)")
	case a != 0 && a < MinNumber:
		return fmt.Errorf("is too close to zero: numbers other than 0 must be at least 0.000000001 (10^-9) in size; check the exponent, or use a smaller unit")
	}
	return nil
}

// Finite reports whether v is neither infinite nor NaN.
func Finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// overflow reports that what could not be worked out because the numbers
// it takes overflow, at the first of the inputs and naming the others.
func overflow(errs *diag.List, what string, inputs ...diag.Pos) *diag.Error {
	var at diag.Pos
	var others []string
	seen := map[diag.Pos]bool{}
	for _, p := range inputs {
		if p.File == "" || seen[p] {
			continue
		}
		seen[p] = true
		if at.File == "" {
			at = p
			continue
		}
		others = append(others, p.String())
	}
	msg := what + " cannot be worked out: the numbers it takes are too large or too small, and the result is not a finite number"
	if len(others) > 0 {
		msg += " (it also takes the values at " + strings.Join(others, ", ") + ")"
	}
	return errs.Errorf(at, "%s", msg).WithHint("check these values for extra digits or a wrong exponent")
}

// stripThousands removes comma thousands separators when they are
// unambiguous: groups of exactly three digits before any decimal point.
func stripThousands(s string) (string, bool) {
	sign := ""
	if s[0] == '-' || s[0] == '+' {
		sign, s = s[:1], s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if strings.Contains(frac, ",") {
		return "", false
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !isDigits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !isDigits(g) {
			return "", false
		}
	}
	out := sign + strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

// commaToPoint rewrites a number written with a decimal comma as Go reads
// it: "-1.234,5" → "-1234.5", "1 234" → "1234", "1,5e3" → "1.5e3". It
// reports false when a point or space is not a thousands separator in
// groups of three, or when there is more than one comma.
func commaToPoint(s string) (string, bool) {
	sign := ""
	if s[0] == '-' || s[0] == '+' {
		sign, s = s[:1], s[1:]
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	intPart, frac, hasFrac := strings.Cut(mant, ",")
	if strings.ContainsAny(frac, ",. \u00a0\u202f") {
		return "", false
	}
	var sep string
	for _, t := range []string{".", " ", "\u00a0", "\u202f"} {
		if strings.Contains(intPart, t) {
			if sep != "" {
				return "", false // two kinds of thousands separator
			}
			sep = t
		}
	}
	if sep != "" {
		groups := strings.Split(intPart, sep)
		if len(groups[0]) < 1 || len(groups[0]) > 3 || !isDigits(groups[0]) || groups[0][0] == '0' {
			return "", false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 || !isDigits(g) {
				return "", false
			}
		}
		intPart = strings.Join(groups, "")
	}
	out := sign + intPart
	if hasFrac {
		out += "." + frac
	}
	return out + exp, true
}
