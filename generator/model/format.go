package model

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// currencySymbols maps ISO currency codes to the symbol written before amounts.
var currencySymbols = map[string]string{
	"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "KES": "KSh ", "NGN": "₦", "ZAR": "R ",
}

// FormatNumber writes v with comma thousands separators and at most the
// decimals that matter: none for whole numbers and large values, one for
// values from 10, two below 10.
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	decimals := 0
	a := math.Abs(v)
	switch {
	case a == math.Trunc(a) || a >= 1000:
		decimals = 0
	case a >= 10:
		decimals = 1
	default:
		decimals = 2
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if decimals > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatValue writes a value with its unit: "87.3 %", "€12,000", "1,830 doses".
func FormatValue(v float64, unit string) string {
	n := FormatNumber(v)
	switch {
	case unit == "":
		return n
	case unit == "%":
		return n + " %"
	case currencySymbols[unit] != "":
		if strings.HasPrefix(n, "−") {
			return "−" + currencySymbols[unit] + strings.TrimPrefix(n, "−")
		}
		return currencySymbols[unit] + n
	}
	if n == "1" || n == "−1" {
		unit = Singular(unit)
	}
	return n + " " + unit
}

// Plural writes a count with its noun, given in the plural, as FormatValue
// writes a value with its unit: the noun in the singular for one, units
// such as "%" or "EUR" as they are. Plural(1, "changes") is "1 change",
// Plural(0, "outbreaks") "0 outbreaks", Plural(1200, "doses") "1,200
// doses". Every place where a count meets a noun (site, email, feeds,
// cards) writes it through Plural or FormatValue.
func Plural(n int, noun string) string {
	return FormatValue(float64(n), noun)
}

// KeepUnits returns s with a no-break space (U+00A0) for every space
// between a number and the word or sign after it (not another number), so
// that a sentence written with FormatValue ("7.4 points short of the 90 %
// target") never breaks a number from its unit when a browser wraps it.
// It is for HTML: plain text, subjects and share text keep ordinary spaces.
func KeepUnits(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	r := []rune(s)
	for i := 1; i+1 < len(r); i++ {
		if r[i] == ' ' && r[i-1] >= '0' && r[i-1] <= '9' && !unicode.IsSpace(r[i+1]) && !unicode.IsDigit(r[i+1]) {
			r[i] = '\u00a0'
		}
	}
	return string(r)
}

// irregularPlurals are plurals whose singular is not the plural less its
// s, and nouns that are the same in both.
var irregularPlurals = map[string]string{
	"children": "child", "people": "person", "women": "woman", "men": "man",
	"analyses": "analysis", "criteria": "criterion", "series": "series", "news": "news",
	"data": "data", "feet": "foot", "teeth": "tooth", "mice": "mouse",
}

// Singular returns the singular of a unit written in the plural, for a
// value written as 1: "changes" → "change", "doses per child" → "dose per
// child", "hours" → "hour", "children" → "child". Only the first word
// changes; a word that does not end in s is kept.
func Singular(unit string) string {
	w, rest, _ := strings.Cut(unit, " ")
	if rest != "" {
		rest = " " + rest
	}
	lw := strings.ToLower(w)
	if one, ok := irregularPlurals[lw]; ok {
		if w != lw && one != "" {
			one = strings.ToUpper(one[:1]) + one[1:]
		}
		return one + rest
	}
	switch {
	case len(w) < 3 || !strings.HasSuffix(lw, "s") || strings.HasSuffix(lw, "ss") || strings.HasSuffix(lw, "us") || strings.HasSuffix(lw, "is"):
		return unit
	case strings.HasSuffix(lw, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y" + rest
	case strings.HasSuffix(lw, "sses"), strings.HasSuffix(lw, "ches"), strings.HasSuffix(lw, "shes"), strings.HasSuffix(lw, "xes"), strings.HasSuffix(lw, "zzes"):
		return w[:len(w)-2] + rest
	}
	return w[:len(w)-1] + rest
}

// FormatChange writes a signed change with its unit: "+4.2 points" for a
// percentage, "−12 cases" otherwise.
func FormatChange(delta float64, unit string) string {
	sign := "+"
	if delta < 0 {
		sign = "−"
	}
	if unit == "%" {
		return sign + FormatValue(math.Abs(delta), "points")
	}
	v := FormatValue(math.Abs(delta), unit)
	return sign + v
}

// FormatPercent writes a share as a percentage: 0.873 → "87 %".
func FormatPercent(share float64) string {
	return strconv.FormatFloat(math.Round(share*100), 'f', 0, 64) + " %"
}
