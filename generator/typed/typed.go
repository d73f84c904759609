// Package typed finds figures typed by hand in prose: numbers written next
// to words that name a metric, which a {{figure}} could give from the data
// instead. Find is a pure function over a text and the site's metrics, so
// it is tested and fuzzed on its own; the generator's check runs it over
// every story, page, newsletter issue and the briefing.
package typed

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

// Text is one block of prose to check.
type Text struct {
	// S is the text. Bytes that are not prose may be blanked with spaces
	// (markdown.Prose does this), so offsets stay those of the source.
	S string
	// Context frames S without being part of it: a table cell's column
	// header and row label, a briefing chart's metric ids and periods. It
	// is searched for words naming a metric and for periods, never for
	// numbers.
	Context string
}

// Finding is a number typed in a text next to words naming a metric.
type Finding struct {
	Off, End int    // byte offsets of the number in Text.S
	Number   string // the number as typed, with its unit sign
	Metric   string // the metric's id
	// Match is true when the number equals a value of the data (with the
	// rounding the site uses), false when it contradicts the data.
	Match bool
	Msg   string // what was found, in words
	Hint  string // what to write instead
}

// maxTextLen bounds the text Find reads: a block longer than this is
// checked up to here (no paragraph is that long).
const maxTextLen = 1 << 20

// Find returns the typed figures of t, in order.
func Find(t Text, metrics []*model.Metric) []Finding {
	s := t.S
	if len(s) > maxTextLen {
		s = s[:maxTextLen]
	}
	if len(t.Context) > 4096 {
		t.Context = t.Context[:4096]
	}
	if len(metrics) == 0 || !strings.ContainsAny(s, "0123456789") {
		return nil
	}
	terms := metricTerms(metrics)
	toks := scanNumbers(s)
	if len(toks) == 0 {
		return nil
	}
	words := splitWords(s)
	ctxWords := splitWords(t.Context)
	sentences := sentenceBounds(s)
	var out []Finding
	for _, tok := range toks {
		sb, se, psb := sentenceOf(sentences, tok.off)
		if f, ok := check(s, t.Context != "", tok, words, sentence{sb, se, psb}, ctxWords, terms); ok {
			out = append(out, f)
		}
	}
	return out
}

// number is a number token in the text.
type number struct {
	off, end int // the token, prefix and unit sign included
	numOff   int // where the digits start
	value    float64
	decimals int  // digits after the point
	round    int  // the number is rounded to 10^round when it ends in a k or m (6.0k: 2)
	pct      bool // followed by % or per cent
	points   bool // followed by points or percentage points
	currency string
	signed   bool // written with + or − before it
	text     string
}

// word is a word of the text: a run of letters, digits, _ and ' or -
// inside a word, with its offsets.
type word struct {
	off, end int
	w        string // lower case
	f        string // folded (see fold)
	raw      string
}

func splitWords(s string) []word {
	var out []word
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += n
				continue
			}
			// An apostrophe, hyphen or point inside a word keeps it whole
			// (partners', year-old, 82.6).
			if (r == '\'' || r == '’' || r == '-' || r == '.' || r == ',') && j+n < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[j+n:])
				r1, _ := utf8.DecodeLastRuneInString(s[:j])
				if isWordRune(r2) && (r != '.' && r != ',' || unicode.IsDigit(r1) && unicode.IsDigit(r2)) {
					j += n
					continue
				}
			}
			break
		}
		lw := strings.ToLower(s[i:j])
		out = append(out, word{off: i, end: j, w: lw, f: fold(lw), raw: s[i:j]})
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

// wordAt returns the index of the first word that ends after off.
func wordAt(words []word, off int) int {
	lo, hi := 0, len(words)
	for lo < hi {
		m := (lo + hi) / 2
		if words[m].end <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// sentenceBounds returns the offsets where sentences start: after . ! ? or
// ; followed by a space, and after a blank line.
func sentenceBounds(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '.', '!', '?', ';':
			if i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n') {
				// "Dr. Marsh", "e.g. 12": a point after a short word
				// that is not the end of a sentence is rare enough here.
				starts = append(starts, i+1)
			}
		case '\n':
			if j := i + 1; j < len(s) && (s[j] == '\n' || s[j] == '\r') {
				starts = append(starts, j)
			}
		}
	}
	return starts
}

// sentence is where a number's sentence starts and ends (-1: at the end
// of the text), and where the sentence before it starts (-1: none).
type sentence struct{ start, end, prev int }

// sentenceOf returns the bounds of the sentence holding off, and the start
// of the one before it (-1 when none).
func sentenceOf(starts []int, off int) (b, e, prev int) {
	i := sort.SearchInts(starts, off+1) - 1 // the last start <= off
	if i < 0 {
		i = 0
	}
	b, e, prev = starts[i], -1, -1
	if i+1 < len(starts) {
		e = starts[i+1]
	}
	if i > 0 {
		prev = starts[i-1]
	}
	return b, e, prev
}

// scanNumbers finds the number tokens of s that may be figures: dates,
// times, ordinals, phone numbers, versions, list numbers, numbers inside
// quotes, code spans and {{figures}} are left out.
func scanNumbers(s string) []number {
	skip := newRanges(quotedRanges(s))
	var out []number
	i := 0
	for i < len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			i++
			continue
		}
		// The digits must start a word.
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if isWordRune(r) || r == '.' || r == ',' || r == '/' || r == ':' || r == '#' || r == '@' {
				i = skipRun(s, i)
				continue
			}
		}
		tok, end, ok := readNumber(s, i)
		if ok && !skip.has(i) {
			out = append(out, tok)
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	return out
}

// skipRun returns the end of the run of digits and separators at i.
func skipRun(s string, i int) int {
	for i < len(s) && (isDigit(s[i]) || s[i] == '.' || s[i] == ',') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// readNumber reads the number that starts at i. ok is false for numbers
// that are not figures; end is where scanning goes on.
func readNumber(s string, i int) (tok number, end int, ok bool) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	intDigits := j - i
	grouped := false
	// Thousands in groups of three: 6,030 or 1,234,567.
	if intDigits <= 3 {
		for j+4 <= len(s) && s[j] == ',' && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) && (j+4 == len(s) || !isDigit(s[j+4])) {
			j += 4
			grouped = true
		}
	}
	decimals := 0
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		decimals = k - j - 1
		j = k
		// 1.2.3: a version or a date.
		if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
			return tok, skipRun(s, j), false
		}
	}
	end = j
	// Dates, times, ranges and codes glued to the number: 2026-10-15,
	// 15/10/2026, 10:30, 2024–25, 3x4.
	if j < len(s) {
		switch s[j] {
		case ':', '/', '-':
			if j+1 < len(s) && isDigit(s[j+1]) {
				return tok, skipRun(s, j+1), false
			}
		}
		if strings.HasPrefix(s[j:], "–") && j+3 < len(s) && isDigit(s[j+3]) {
			return tok, j + 3, false
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s[i:j], ",", ""), 64)
	if err != nil || math.IsInf(v, 0) {
		return tok, end, false
	}
	tok = number{off: i, numOff: i, end: j, value: v, decimals: decimals}
	// A suffix glued on: 3rd, 10am, 6.0k, 2m, 5G.
	if j < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) {
			k := j
			for k < len(s) {
				r, n := utf8.DecodeRuneInString(s[k:])
				if !unicode.IsLetter(r) {
					break
				}
				k += n
			}
			switch strings.ToLower(s[j:k]) {
			case "k":
				tok.value *= 1e3
				tok.round = 3 - decimals
			case "m", "mn":
				tok.value *= 1e6
				tok.round = 6 - decimals
			default:
				return tok, k, false // ordinals, times, codes
			}
			j = k
			tok.end = j
		}
	}
	// Phone numbers: groups of digits separated by spaces, points or
	// dashes, seven digits or more.
	if digits, k := phoneRun(s, i); digits >= 7 && (k > j) {
		return tok, k, false
	}
	if i > 0 && (s[i-1] == '+' || s[i-1] == '(') {
		if digits, k := phoneRun(s, i); digits >= 6 {
			return tok, k, false
		}
	}
	// Prefix: a currency or a sign.
	before := s[:i]
	for _, c := range currencyBefore {
		if strings.HasSuffix(before, c[0]) {
			tok.currency = c[1]
			tok.off = i - len(c[0])
			before = before[:len(before)-len(c[0])]
			break
		}
	}
	if strings.HasSuffix(before, "+") || strings.HasSuffix(before, "−") || strings.HasSuffix(before, "±") {
		tok.signed = true
		_, n := utf8.DecodeLastRuneInString(before)
		tok.off -= n
	}
	// Unit sign after: %, per cent, points.
	rest := s[j:]
	sp := spaceLen(rest)
	after := rest[sp:]
	switch {
	case strings.HasPrefix(after, "%"):
		tok.pct = true
		tok.end = j + sp + 1
	case hasWordPrefix(after, "per cent"), hasWordPrefix(after, "percent"):
		tok.pct = true
	case hasWordPrefix(after, "percentage points"), hasWordPrefix(after, "percentage point"), hasWordPrefix(after, "points"), hasWordPrefix(after, "point"), hasWordPrefix(after, "pts"), hasWordPrefix(after, "pp"):
		tok.points = true
	}
	if tok.currency == "" {
		for _, c := range currencyAfter {
			if hasWordPrefix(after, c[0]) {
				tok.currency = c[1]
				break
			}
		}
	}
	tok.text = strings.TrimSpace(s[tok.off:tok.end])
	// A list number at the start of a line: "1. " or "2) ".
	if j < len(s) && (s[j] == '.' || s[j] == ')') && (j+1 == len(s) || s[j+1] == ' ') && !grouped && decimals == 0 {
		ls := strings.LastIndexByte(s[:i], '\n') + 1
		if strings.TrimSpace(s[ls:i]) == "" {
			return tok, j + 1, false
		}
	}
	return tok, tok.end, true
}

// phoneRun counts the digits of the run at i made of digit groups joined
// by one space, point, dash or parenthesis, and returns its end.
func phoneRun(s string, i int) (digits, end int) {
	groups := 0
	j := i
	for j < len(s) {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j {
			break
		}
		digits += k - j
		groups++
		j = k
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.' || s[j] == ')') && isDigit(s[j+1]) {
			j++
			continue
		}
		if j+2 < len(s) && s[j] == ')' && s[j+1] == ' ' && isDigit(s[j+2]) {
			j += 2
			continue
		}
		break
	}
	if groups < 2 {
		return 0, j
	}
	return digits, j
}

// currencyBefore are the currency signs written before an amount, and
// their codes as metrics.csv writes units.
var currencyBefore = [][2]string{{"€", "EUR"}, {"$", "USD"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₦", "NGN"}, {"EUR ", "EUR"}, {"USD ", "USD"}, {"GBP ", "GBP"}, {"KSh ", "KES"}, {"KSh", "KES"}}

// currencyAfter are the currency words written after an amount.
var currencyAfter = [][2]string{{"euros", "EUR"}, {"euro", "EUR"}, {"eur", "EUR"}, {"dollars", "USD"}, {"usd", "USD"}, {"pounds", "GBP"}, {"gbp", "GBP"}, {"shillings", "KES"}, {"rupees", "INR"}, {"naira", "NGN"}, {"rand", "ZAR"}}

func spaceLen(s string) int {
	n := 0
	for n < len(s) {
		r, sz := utf8.DecodeRuneInString(s[n:])
		if r != ' ' && r != '\u00a0' && r != '\u202f' && r != '\t' {
			break
		}
		n += sz
	}
	return n
}

// hasWordPrefix reports whether s starts with the words w, ending there.
func hasWordPrefix(s, w string) bool {
	if len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
		return false
	}
	if len(s) == len(w) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[len(w):])
	return !isWordRune(r)
}

// quotedRanges returns the byte ranges of s inside quotes, code spans and
// {{figures}}.
func quotedRanges(s string) [][2]int {
	var out [][2]int
	pair := func(open, close string) {
		for i := 0; i < len(s); {
			a := strings.Index(s[i:], open)
			if a < 0 {
				return
			}
			a += i
			b := strings.Index(s[a+len(open):], close)
			if b < 0 {
				return
			}
			b += a + len(open)
			out = append(out, [2]int{a, b + len(close)})
			i = b + len(close)
		}
	}
	pair("{{", "}}")
	pair("`", "`")
	pair("“", "”")
	pair("«", "»")
	pair("„", "“")
	// Straight double quotes pair up within a paragraph.
	for i := 0; i < len(s); {
		a := strings.IndexByte(s[i:], '"')
		if a < 0 {
			break
		}
		a += i
		b := strings.IndexByte(s[a+1:], '"')
		if b < 0 {
			break
		}
		b += a + 1
		if !strings.Contains(s[a:b], "\n\n") {
			out = append(out, [2]int{a, b + 1})
		}
		i = b + 1
	}
	return out
}

// ranges are byte ranges sorted by start, with the furthest end reached
// so far, so that a lookup is a binary search.
type ranges struct {
	r      [][2]int
	maxEnd []int
}

func newRanges(rs [][2]int) ranges {
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	m := make([]int, len(rs))
	for i, r := range rs {
		m[i] = r[1]
		if i > 0 && m[i-1] > m[i] {
			m[i] = m[i-1]
		}
	}
	return ranges{rs, m}
}

func (x ranges) has(off int) bool {
	i := sort.Search(len(x.r), func(i int) bool { return x.r[i][0] > off }) - 1
	return i >= 0 && x.maxEnd[i] > off
}
