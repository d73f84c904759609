package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseNumber reads a number as spreadsheets export it: spaces around it,
// comma thousands separators (1,234.5) and a trailing % when percent is
// allowed. It refuses anything ambiguous, such as 1,5 or 1.234,5.
func ParseNumber(s string, percentOK bool) (float64, error) {
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
	if strings.Contains(s, ",") {
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
	return v, nil
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
