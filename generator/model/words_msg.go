package model

import (
	"math"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// The figure words as messages: each function here is the one of words.go
// without "Message", returning the message key and arguments for the
// renderer to write in the site's language. The site's English catalogue
// writes what the English function writes (a test in render checks it);
// the English functions stay for the model's own uses and tests.

// countMessages are SpellCount's words for zero to ten.
var countMessages = [...]i18n.Message{
	i18n.M("count_zero"), i18n.M("count_one"), i18n.M("count_two"), i18n.M("count_three"),
	i18n.M("count_four"), i18n.M("count_five"), i18n.M("count_six"), i18n.M("count_seven"),
	i18n.M("count_eight"), i18n.M("count_nine"), i18n.M("count_ten"),
}

// SpellCountMessage is SpellCount: count_zero … count_ten, or count_number.
func SpellCountMessage(n int) i18n.Message {
	if n >= 0 && n < len(countMessages) {
		return countMessages[n]
	}
	return i18n.M("count_number", "number", FormatNumber(float64(n)))
}

// TrendMessage is TrendWords: words_held_at, words_rose or words_fell.
func TrendMessage(from, to float64, unit string) i18n.Message {
	f, t := FormatValue(from, unit), FormatValue(to, unit)
	switch {
	case f == t:
		return i18n.M("words_held_at", "value", t)
	case to > from:
		return i18n.M("words_rose", "from", f, "to", t)
	}
	return i18n.M("words_fell", "from", f, "to", t)
}

// GapMessage is GapWords: words_gap_at, words_gap_short or words_gap_past.
func GapMessage(m *Metric, v float64) (i18n.Message, bool) {
	if m.Target == nil {
		return i18n.Message{}, false
	}
	t := *m.Target
	target := FormatValue(t, m.Unit)
	if FormatNumber(math.Abs(t-v)) == "0" {
		return i18n.M("words_gap_at", "target", target), true
	}
	short := v < t
	if m.Down {
		short = v > t
	}
	if short {
		return i18n.M("words_gap_short", "amount", AmountMessage(t-v, m.Unit), "target", target), true
	}
	return i18n.M("words_gap_past", "amount", AmountMessage(t-v, m.Unit), "target", target), true
}

// PeriodNounMessage is PeriodNoun: period_noun_year, period_noun_years …
func PeriodNounMessage(k PeriodKind) (one, many i18n.Message) {
	switch k {
	case Year:
		return i18n.M("period_noun_year"), i18n.M("period_noun_years")
	case Quarter:
		return i18n.M("period_noun_quarter"), i18n.M("period_noun_quarters")
	case Month:
		return i18n.M("period_noun_month"), i18n.M("period_noun_months")
	case Day:
		return i18n.M("period_noun_day"), i18n.M("period_noun_days")
	}
	return i18n.M("period_noun_period"), i18n.M("period_noun_periods")
}

// StreakMessage is StreakWords: words_streak_one or words_streak.
func StreakMessage(n int, k PeriodKind) i18n.Message {
	one, many := PeriodNounMessage(k)
	if n == 1 {
		return i18n.M("words_streak_one", "period", one)
	}
	return i18n.M("words_streak", "count", SpellCountMessage(n), "periods", many)
}

// ShareMessage is ShareWords: words_share_none, _all, _nearly_all, _fewer,
// _one_in or _tenths.
func ShareMessage(share float64) i18n.Message {
	switch {
	case !(share > 0):
		return i18n.M("words_share_none")
	case share >= 1:
		return i18n.M("words_share_all")
	case share >= 0.95:
		return i18n.M("words_share_nearly_all")
	case share < 0.005:
		return i18n.M("words_share_fewer")
	}
	tenths := min(max(math.Round(share*10), 1), 9)
	n := min(max(math.Round(1/share), 2), 200)
	if math.Abs(1/n-share) < math.Abs(tenths/10-share) {
		return i18n.M("words_share_one_in", "n", SpellCountMessage(int(n)))
	}
	return i18n.M("words_share_tenths", "n", SpellCountMessage(int(tenths)))
}

// CountMessage is CountWords: words_count_*.
func CountMessage(k, n int) i18n.Message {
	switch {
	case n == 1 && k == 1:
		return i18n.M("words_count_one_of_one")
	case n == 1:
		return i18n.M("words_count_none_of_one")
	case n == 2 && k == 2:
		return i18n.M("words_count_both")
	case n == 2 && k == 0:
		return i18n.M("words_count_neither_of_two")
	case k == 0:
		return i18n.M("words_count_none_of", "n", SpellCountMessage(n))
	case k == n:
		return i18n.M("words_count_all", "n", SpellCountMessage(n))
	}
	return i18n.M("words_count_of", "k", SpellCountMessage(k), "n", SpellCountMessage(n))
}

// JoinMessage is JoinNames: words_join_one, then words_join_list for each
// name but the last and words_join_last for it ("A, B and C").
func JoinMessage(names []string) i18n.Message {
	items := make([]any, len(names))
	for i, n := range names {
		items[i] = n
	}
	return joinMessage(items)
}

// ListMessage joins names with commas only ("A, B, C"): words_join_one,
// then words_join_list for each name after the first.
func ListMessage(names []string) i18n.Message {
	key := "words_join_list"
	return chainMessage(names, key)
}

// PartsMessage joins parts with semicolons ("A; B; C"): words_join_one,
// then words_join_parts for each part after the first.
func PartsMessage(parts []string) i18n.Message {
	key := "words_join_parts"
	return chainMessage(parts, key)
}

func chainMessage(items []string, key string) i18n.Message {
	if len(items) == 0 {
		return i18n.M("words_join_none")
	}
	m := i18n.M("words_join_one", "name", items[0])
	for _, it := range items[1:] {
		m = i18n.M(key, "list", m, "name", it)
	}
	return m
}

// joinMessage is JoinMessage for items that may be messages themselves.
func joinMessage(items []any) i18n.Message {
	if len(items) == 0 {
		return i18n.M("words_join_none")
	}
	m := i18n.M("words_join_one", "name", items[0])
	for i := 1; i < len(items); i++ {
		key := "words_join_list"
		if i == len(items)-1 {
			key = "words_join_last"
		}
		m = i18n.M(key, "list", m, "name", items[i])
	}
	return m
}

// OfTotalMessage is OfTotal: words_of_total.
func OfTotalMessage(v, total float64, unit string) i18n.Message {
	a := FormatValue(v, unit)
	if unit != "" && currencySymbols[unit] == "" {
		a = strings.TrimSuffix(strings.TrimSuffix(a, " "+unit), " "+Singular(unit))
	}
	return i18n.M("words_of_total", "part", a, "total", FormatValue(total, unit))
}

// ChangeMessage is FormatChange: for a percentage, whose differences are
// in points, change_point or change_points; else change_value, the
// change as FormatChange writes it.
func ChangeMessage(delta float64, unit string) i18n.Message {
	if unit != "%" {
		return i18n.M("change_value", "value", FormatChange(delta, unit))
	}
	sign := "+"
	if delta < 0 {
		sign = "−"
	}
	n := FormatNumber(math.Abs(delta))
	if n == "1" {
		return i18n.M("change_point", "sign", sign, "value", n)
	}
	return i18n.M("change_points", "sign", sign, "value", n)
}

// AmountMessage is Amount: amount_point or amount_points for a
// percentage, else change_value with Amount's text.
func AmountMessage(d float64, unit string) i18n.Message {
	if unit != "%" {
		return i18n.M("change_value", "value", Amount(d, unit))
	}
	n := FormatNumber(math.Abs(d))
	if n == "1" {
		return i18n.M("amount_point", "value", n)
	}
	return i18n.M("amount_points", "value", n)
}

// HoursMessage is FormatValue(h, "hours") as a message: roi_hours, whose
// plural form the count chooses ({value} is the number as FormatNumber
// writes it, and the count is that number, decimals and all).
func HoursMessage(h float64) i18n.Message {
	value := FormatNumber(h)
	count, err := strconv.ParseFloat(strings.NewReplacer(",", "", "−", "-").Replace(value), 64)
	if err != nil {
		count = h // "–", for a value that is not a number
	}
	return i18n.M("roi_hours", "count", count, "value", value)
}
