package typed

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

// window is how many words from a number a word naming a metric may be.
const window = 12

// mterms are the words that name one metric.
type mterms struct {
	m      *model.Metric
	strong [][]string // id, id as words, name, synonyms: each a run of words
	unit   string     // the unit when it is a word ("doses"), folded; else ""
}

func metricTerms(metrics []*model.Metric) []mterms {
	out := make([]mterms, 0, len(metrics))
	for _, m := range metrics {
		if m == nil {
			continue
		}
		t := mterms{m: m}
		add := func(s string) {
			ws := termWords(s)
			if len(ws) == 0 || len(ws) > 8 {
				return
			}
			for _, x := range t.strong {
				if strings.Join(x, " ") == strings.Join(ws, " ") {
					return
				}
			}
			t.strong = append(t.strong, ws)
		}
		add(m.ID)
		add(strings.ReplaceAll(m.ID, "_", " "))
		add(m.Name)
		for _, s := range m.Synonyms {
			add(s)
		}
		if u := termWords(m.Unit); len(u) == 1 && !currencyCode(m.Unit) && m.Unit != "%" {
			t.unit = u[0]
		}
		out = append(out, t)
	}
	return out
}

// termWords splits a term into folded words.
func termWords(s string) []string {
	var out []string
	for _, w := range splitWords(s) {
		out = append(out, w.f)
	}
	return out
}

// fold is a word's form for comparing terms: lower case, a plural s, the
// British -ise and -mme spelt one way.
func fold(w string) string {
	w = strings.ReplaceAll(w, "’", "'")
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "'")
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ses") && len(w) > 4:
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		w = w[:len(w)-1]
	}
	w = strings.Replace(w, "programme", "program", 1)
	return w
}

func currencyCode(u string) bool {
	for _, c := range currencyBefore {
		if c[1] == u {
			return true
		}
	}
	return false
}

var months = map[string]int{
	"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
	"September": 9, "October": 10, "November": 11, "December": 12,
	"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

// refWords before a number make it a reference, not a quantity: "room 4",
// "page 12", "aged 2".
var refWords = map[string]bool{
	"no": true, "no.": true, "number": true, "box": true, "suite": true, "room": true, "floor": true, "unit": true,
	"page": true, "pages": true, "p": true, "pp": true, "chapter": true, "section": true, "article": true, "clause": true,
	"step": true, "route": true, "bus": true, "ward": true, "version": true, "v": true, "flat": true, "building": true,
	"apartment": true, "gate": true, "platform": true, "grade": true, "phase": true, "class": true, "aged": true,
	"age": true, "ages": true, "item": true, "figure": true, "table": true, "annex": true, "appendix": true, "year": true,
	"years": true, "level": true, "tier": true, "round": true, "week": true, "day": true, "stage": true, "exit": true,
	"junction": true, "highway": true, "road": true, "lot": true, "plot": true, "postcode": true, "zip": true, "code": true,
	"tel": true, "phone": true, "fax": true, "call": true, "ext": true, "extension": true, "under-": true, "top": true,
}

// streetWords after a number and a name make it an address: "12 Quay Street".
var streetWords = map[string]bool{
	"street": true, "st": true, "road": true, "rd": true, "avenue": true, "ave": true, "lane": true, "way": true,
	"square": true, "place": true, "drive": true, "close": true, "court": true, "quay": true, "terrace": true,
	"crescent": true, "parade": true, "row": true, "hill": true, "park": true, "boulevard": true, "walk": true,
	"gardens": true, "green": true, "mews": true, "yard": true, "wharf": true, "house": true, "building": true,
}

// skipAfter words after a number make it something other than a figure.
var skipAfter = map[string]bool{
	"am": true, "pm": true, "o'clock": true, "year-old": true, "years-old": true, "month-old": true,
	"minutes": true, "minute": true, "seconds": true, "km": true, "miles": true, "mile": true, "kilometres": true,
	"metres": true, "meters": true, "kg": true, "times": true, "x": true,
}

// functionWords may follow a number that stands alone ("rose to 88 in
// Q3"); any other word after a number names what it counts.
var functionWords = map[string]bool{
	"in": true, "on": true, "to": true, "and": true, "or": true, "by": true, "from": true, "this": true, "that": true,
	"last": true, "a": true, "an": true, "the": true, "per": true, "for": true, "of": true, "at": true, "since": true,
	"over": true, "between": true, "during": true, "across": true, "compared": true, "than": true, "when": true,
	"while": true, "after": true, "before": true, "with": true, "up": true, "down": true, "as": true, "is": true,
	"was": true, "were": true, "are": true, "has": true, "had": true, "have": true, "but": true, "so": true,
	"then": true, "now": true, "against": true, "out": true, "until": true, "till": true, "through": true,
	"within": true, "among": true, "it": true, "its": true, "their": true, "our": true, "still": true, "only": true,
	"just": true, "too": true, "again": true, "more": true, "fewer": true, "less": true, "higher": true, "lower": true,
	"extra": true, "additional": true, "above": true, "below": true, "short": true, "year": true, "quarter": true,
	"month": true, "this-year": true, "where": true, "which": true, "who": true, "not": true, "all": true,
	"down-from": true, "vs": true, "versus": true, "into": true, "under": true, "off": true, "each": true,
}

// moreWords between a number and its unit make it a change: "150 more doses".
var moreWords = map[string]bool{"more": true, "fewer": true, "extra": true, "additional": true}

// genericUnits are units too common in prose to name a metric alone.
var genericUnits = map[string]bool{
	"hour": true, "day": true, "week": true, "month": true, "year": true, "minute": true, "people": true, "person": true,
	"change": true, "time": true, "item": true, "event": true, "visit": true, "session": true, "meeting": true,
	"child": true, "children": true, "family": true, "families": true, "unit": true, "case": true,
}

var changeVerbs = map[string]bool{
	"rose": true, "risen": true, "rise": true, "rises": true, "fell": true, "fallen": true, "fall": true, "falls": true,
	"increased": true, "increase": true, "decreased": true, "decrease": true, "grew": true, "grown": true, "grow": true,
	"dropped": true, "drop": true, "climbed": true, "gained": true, "lost": true, "improved": true, "cut": true,
	"reduced": true, "up": true, "down": true, "jumped": true, "slipped": true, "declined": true, "went": true,
}

// hedges before a number loosen what it claims.
var hedges = []struct {
	words string
	kind  byte // 'a' about, '>' at least, '<' at most, 'n' nearly
}{
	{"more than", '>'}, {"over", '>'}, {"above", '>'}, {"at least", '>'}, {"just over", '>'}, {"upwards of", '>'},
	{"fewer than", '<'}, {"less than", '<'}, {"under", '<'}, {"below", '<'}, {"up to", '<'}, {"at most", '<'},
	{"nearly", 'n'}, {"almost", 'n'}, {"just under", 'n'}, {"close to", 'a'},
	{"about", 'a'}, {"around", 'a'}, {"roughly", 'a'}, {"approximately", 'a'}, {"some", 'a'}, {"circa", 'a'}, {"c.", 'a'}, {"~", 'a'},
}

// check decides whether tok is a typed figure of a metric, and how it
// compares with the data.
func check(s string, framed bool, tok number, words []word, sen sentence, ctx []word, terms []mterms) (Finding, bool) {
	sb, se := sen.start, sen.end
	wi := wordAt(words, tok.numOff)
	if wi >= len(words) || words[wi].off != tok.numOff {
		return Finding{}, false
	}
	inSentence := func(i int) bool {
		return i >= 0 && i < len(words) && words[i].off >= sb && (se < 0 || words[i].end <= se)
	}
	prev := func(k int) *word {
		if i := wi - k; inSentence(i) {
			return &words[i]
		}
		return nil
	}
	// The words after the number, past its unit sign.
	ni := wi + 1
	for inSentence(ni) && (tok.pct || tok.points) && (words[ni].w == "per" || words[ni].w == "cent" || words[ni].w == "percent" || words[ni].w == "percentage" || words[ni].w == "points" || words[ni].w == "point" || words[ni].w == "pts" || words[ni].w == "pp") {
		ni++
	}
	if tok.currency != "" && inSentence(ni) {
		for _, c := range currencyAfter {
			if words[ni].w == c[0] {
				ni++
				break
			}
		}
	}
	next := func(k int) *word {
		if i := ni + k; inSentence(i) {
			return &words[i]
		}
		return nil
	}
	// Dates: a month name next to the number.
	if p := prev(1); p != nil && months[p.raw] > 0 && !tok.pct && !tok.points && tok.currency == "" {
		return Finding{}, false
	}
	if n := next(0); n != nil && months[n.raw] > 0 && !tok.pct && tok.currency == "" {
		return Finding{}, false
	}
	// Years.
	plain := !tok.pct && !tok.points && tok.currency == "" && tok.decimals == 0 && tok.round == 0 && !strings.Contains(tok.text, ",")
	if plain && tok.value >= 1900 && tok.value <= 2100 {
		return Finding{}, false
	}
	// Quarters and halves: "Q3", "H1" do not start with a digit; "3 Q"
	// is rare. References: "room 4", "aged 2".
	if p := prev(1); p != nil && refWords[p.w] && p.end+2 >= tok.off {
		return Finding{}, false
	}
	if strings.HasSuffix(strings.TrimRight(s[:tok.off], " "), "#") {
		return Finding{}, false
	}
	if n := next(0); n != nil {
		if skipAfter[n.w] || strings.HasPrefix(s[tok.end:], " a.m.") || strings.HasPrefix(s[tok.end:], " p.m.") {
			return Finding{}, false
		}
		// Addresses: "12 Quay Street".
		if r, _ := utf8.DecodeRuneInString(n.raw); unicode.IsUpper(r) {
			if streetWords[n.w] {
				return Finding{}, false
			}
			if n2 := next(1); n2 != nil && streetWords[n2.w] {
				return Finding{}, false
			}
		}
		// "2 to 5 years", "3 of the 12 villages": a count of something
		// else further on.
		if n.w == "years" || n.w == "months" || n.w == "weeks" || n.w == "days" {
			return Finding{}, false
		}
	}
	// Which words follow: a unit or synonym ties the number to a metric;
	// another noun means it counts something else.
	unitHit := map[*model.Metric]bool{}
	named := map[*model.Metric]bool{} // a distinctive unit right after the number
	counted := false
	for k := 0; k < 3; k++ {
		n := next(k)
		if n == nil {
			break
		}
		gap := s[tok.end:n.off]
		if k > 0 {
			gap = s[next(k-1).end:n.off]
		}
		if strings.ContainsAny(gap, ",;:()[]") {
			break
		}
		hit := false
		for _, t := range terms {
			if t.unit != "" && n.f == t.unit {
				unitHit[t.m], hit = true, true
				if !genericUnits[t.unit] && (k == 0 || k == 1 && moreWords[next(0).w]) {
					named[t.m] = true
				}
			}
			for _, st := range t.strong {
				if matchAt(words, ni+k, st, inSentence) {
					unitHit[t.m], hit = true, true
				}
			}
		}
		if hit {
			break
		}
		if k == 0 && functionWords[n.w] && !moreWords[n.w] {
			break
		}
		if r, _ := utf8.DecodeRuneInString(n.raw); unicode.IsLetter(r) {
			counted = true
		}
	}
	if counted && len(unitHit) == 0 && !tok.pct && !tok.points && tok.currency == "" {
		return Finding{}, false
	}
	// Candidates: metrics of a unit the number can have, named nearby.
	type cand struct {
		t    *mterms
		dist int // weighted distance to the nearest naming word; window+1 for a unit alone
		unit bool
	}
	var cands []cand
	for i := range terms {
		t := &terms[i]
		if !compatible(tok, t.m, framed) {
			continue
		}
		d := window + 1
		if named[t.m] {
			d = window
		}
		for _, st := range t.strong {
			for j := max(0, wi-2*window); j < min(len(words), wi+window); j++ {
				if !inSentence(j) || !matchAt(words, j, st, inSentence) {
					continue
				}
				var dd int
				if j < wi {
					dd = wi - (j + len(st) - 1)
				} else {
					dd = 2*(j-wi) + 1
				}
				if dd < d {
					d = dd
				}
			}
			for j := range ctx {
				if matchAt(ctx, j, st, func(i int) bool { return i >= 0 && i < len(ctx) }) {
					d = min(d, window)
				}
			}
		}
		if d > window && !unitHit[t.m] {
			continue
		}
		cands = append(cands, cand{t: t, dist: d, unit: unitHit[t.m]})
	}
	if len(unitHit) > 0 {
		kept := cands[:0]
		for _, c := range cands {
			if c.unit {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	if len(cands) == 0 {
		return Finding{}, false
	}
	// Nearest first.
	for i := 1; i < len(cands); i++ {
		for j := i; j > 0 && cands[j].dist < cands[j-1].dist; j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
	// Periods are looked for in the sentence, up to 100 words either side.
	lo, hi := sb, se
	if hi < 0 {
		hi = len(s)
	}
	lo = max(lo, words[max(0, wi-100)].off)
	hi = min(hi, words[min(len(words)-1, wi+100)].end)
	pers := namedPeriods(words, lo, hi, ctx)
	if len(pers) == 0 && sen.prev >= 0 {
		// "In 2025 the members gave 1,030 hours. They ran 35 sessions."
		pers = namedPeriods(words, max(sen.prev, words[max(0, wi-100)].off), sb, nil)
	}
	hedge := hedgeBefore(s, tok.off, lo)
	// The target and the baseline are what a number may stand for when
	// the sentence names no period, or says so.
	views := map[string]bool{"target": len(pers) == 0, "baseline": len(pers) == 0}
	for i := wordAt(words, lo); i < len(words) && words[i].off < hi; i++ {
		switch words[i].w {
		case "target", "goal", "aim", "short":
			views["target"] = true
		case "baseline", "start", "started", "began", "starting":
			views["baseline"] = true
		}
	}
	change := tok.points || tok.signed || changeWording(words, wi, ni, inSentence)
	for _, c := range cands {
		if f, ok := compare(tok, c.t.m, pers, views, hedge, change, false, true); ok {
			return f, true
		}
	}
	c := cands[0]
	if c.dist > window {
		return Finding{}, false // a unit alone is too little to say the number is wrong
	}
	if tok.pct && change {
		return Finding{}, false // "fell by 6 %": points or a relative change; too uncertain
	}
	// "2 new vaccine days" counts additions, not the metric's value.
	goal := next(0) != nil && next(0).w == "new"
	for k := 1; k <= 5; k++ {
		if p := prev(k); p != nil && goalWords[p.w] {
			goal = true
		}
	}
	return compare(tok, c.t.m, pers, views, hedge, change, goal, false)
}

// goalWords before a number make it a goal or a forecast, which the data
// cannot contradict: "measles needs 95 % coverage", "we aim for 90 %".
var goalWords = map[string]bool{
	"need": true, "needs": true, "needed": true, "target": true, "targets": true, "goal": true, "goals": true,
	"aim": true, "aims": true, "aiming": true, "plan": true, "plans": true, "planned": true, "hope": true,
	"hopes": true, "want": true, "wants": true, "should": true, "must": true, "would": true, "could": true,
	"will": true, "expect": true, "expects": true, "expected": true, "forecast": true, "threshold": true,
	"if": true, "reach": true, "promise": true, "promised": true, "pledge": true, "pledged": true,
}

// matchAt reports whether the words at i are the term.
func matchAt(words []word, i int, term []string, ok func(int) bool) bool {
	for k, t := range term {
		if !ok(i+k) || words[i+k].f != t {
			return false
		}
	}
	return len(term) > 0
}

// compatible reports whether the number can be a value of m, by its unit.
// A plain number may be a percentage in a framed text (a table cell
// under a header naming the metric, a briefing takeaway).
func compatible(tok number, m *model.Metric, framed bool) bool {
	switch {
	case tok.pct || tok.points:
		return m.Unit == "%"
	case tok.currency != "":
		return m.Unit == tok.currency
	}
	return m.Unit != "%" || framed
}

func hedgeBefore(s string, off, lo int) byte {
	// lo may lie past off (a sign read as part of the number, "+4", ends
	// the text before it): then there is nothing before it.
	before := strings.ToLower(strings.TrimRight(s[min(max(lo, off-40), off):off], " \u00a0"))
	for _, h := range hedges {
		if strings.HasSuffix(before, h.words) {
			k := len(before) - len(h.words)
			if k == 0 || h.words == "~" || !isWordRune(rune(before[k-1])) {
				return h.kind
			}
		}
	}
	return 0
}

// changeWording reports whether the words around the number say it is a
// change: "rose by 4", "410 more doses", "up 12".
func changeWording(words []word, wi, ni int, ok func(int) bool) bool {
	if ok(wi-1) && words[wi-1].w == "by" {
		for k := 2; k <= 4; k++ {
			if ok(wi-k) && changeVerbs[words[wi-k].w] {
				return true
			}
		}
	}
	if ok(wi-1) && (words[wi-1].w == "up" || words[wi-1].w == "down") {
		return true
	}
	if ok(ni) {
		switch words[ni].w {
		case "more", "fewer", "extra", "additional":
			return true
		}
	}
	return false
}

// namedPeriods returns the periods a sentence names. Year is 0 in a
// period whose year the sentence does not give.
func namedPeriods(words []word, lo, hi int, ctx []word) []model.Period {
	var out []model.Period
	scan := func(ws []word, a, b int) {
		ok := func(i int) bool { return i >= a && i < b && i < len(ws) }
		year := 0
		for i := a; i < b; i++ {
			if !ok(i) {
				continue
			}
			if y, ok := yearWord(ws[i].w); ok {
				year = y
				break
			}
		}
		used := map[int]bool{}
		quarters := false
		for i := a; i < b; i++ {
			w := ws[i].w
			yearAfter := func(k int) int {
				for j := i + 1; j <= i+k+1 && ok(j); j++ {
					if y, isY := yearWord(ws[j].w); isY {
						used[j] = true
						return y
					}
				}
				return year
			}
			if p, err := model.ParsePeriod(strings.ToUpper(w)); err == nil && strings.ContainsAny(w, "-") {
				out = append(out, p)
				continue
			}
			if len(w) == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4' {
				out = append(out, model.Period{Kind: model.Quarter, Y: yearAfter(0), N: int(w[1] - '0')})
				continue
			}
			if q := ordinal(w); q > 0 && (ok(i+1) && ws[i+1].w == "quarter" || quarters && ok(i-1) && ws[i-1].w == "the") {
				// "from 74 % in the first quarter to 71 % in the second"
				out = append(out, model.Period{Kind: model.Quarter, Y: yearAfter(3), N: q})
				quarters = true
				continue
			}
			if m := months[ws[i].raw]; m > 0 && (ws[i].raw != "May" || i > 0) {
				// A span of months: "between July and September",
				// "July to September", "July–September".
				for j := i + 1; j <= i+2 && ok(j); j++ {
					if m2 := months[ws[j].raw]; m2 > 0 && j > i+1 == (ws[i+1].w == "and" || ws[i+1].w == "to" || ws[i+1].w == "through" || ws[i+1].w == "until") {
						y := yearAfter(j - i + 1)
						if m2 == m+2 && m%3 == 1 {
							out = append(out, model.Period{Kind: model.Quarter, Y: y, N: (m + 2) / 3})
						} else {
							for k := m; k <= m2 && k-m < 12; k++ {
								out = append(out, model.Period{Kind: model.Month, Y: y, N: k})
							}
						}
						i = j
						goto next
					}
				}
				out = append(out, model.Period{Kind: model.Month, Y: yearAfter(0), N: m})
			next:
				continue
			}
		}
		for i := a; i < b; i++ {
			if used[i] {
				continue
			}
			if y, isY := yearWord(ws[i].w); isY {
				out = append(out, model.Period{Kind: model.Year, Y: y})
			}
		}
	}
	scan(words, wordAt(words, lo), wordAt(words, hi))
	scan(ctx, 0, len(ctx))
	return out
}

func yearWord(w string) (int, bool) {
	if len(w) != 4 {
		return 0, false
	}
	y := 0
	for _, c := range w {
		if c < '0' || c > '9' {
			return 0, false
		}
		y = y*10 + int(c-'0')
	}
	return y, y >= 1990 && y <= 2100
}

func ordinal(w string) int {
	switch w {
	case "first", "1st":
		return 1
	case "second", "2nd":
		return 2
	case "third", "3rd":
		return 3
	case "fourth", "4th":
		return 4
	}
	return 0
}

// value is a value of the data a number may stand for.
type value struct {
	v       float64
	per     model.Period
	partner string
	sum     bool
	view    string // "target", "baseline" or "" for a value of the series
	from    model.Period
	change  bool
	latest  bool
	named   bool // in a period the sentence names
	prev    bool // a change on the previous period
}

// values returns the values of m a number may stand for: the series (in
// the named periods when there are some), the partners' values, totals
// over a named period of additive metrics, the target and the baseline.
func values(m *model.Metric, pers []model.Period, change bool, views map[string]bool) (in, all []value) {
	latest, ok := m.Latest()
	if !ok {
		return nil, nil
	}
	// A period without a year ("between April and June") is that period
	// in any year of the series, newest first.
	var named []model.Period
	for _, p := range pers {
		if p.Y != 0 {
			named = append(named, p)
			continue
		}
		seen := map[int]bool{}
		for i := len(m.Series) - 1; i >= 0; i-- {
			p2 := p
			p2.Y = m.Series[i].Period.Y
			if !seen[p2.Y] && overlaps(p2, m.Series[i].Period) {
				seen[p2.Y] = true
				named = append(named, p2)
			}
		}
	}
	// A named period before the series starts ("since 2023") stands for
	// the series' first value after it.
	after := map[model.Period]bool{}
	for _, p := range named {
		hit := false
		for _, pt := range m.Series {
			if overlaps(p, pt.Period) {
				hit = true
				break
			}
		}
		if !hit {
			for _, pt := range m.Series {
				if pt.Period.Start().After(p.End()) {
					after[pt.Period] = true
					break
				}
			}
		}
	}
	relevant := func(q model.Period) bool {
		for _, p := range named {
			if overlaps(p, q) {
				return true
			}
		}
		return change && after[q]
	}
	if change {
		n := len(m.Series)
		for i := 0; i < n-1; i++ {
			pt := m.Series[i]
			v := value{v: latest.Value - pt.Value, per: latest.Period, from: pt.Period, change: true, prev: i == n-2, named: relevant(pt.Period)}
			all = append(all, v)
			if len(named) == 0 || v.named || v.prev {
				in = append(in, v)
			}
		}
		for i := 1; i < n-1; i++ {
			v := value{v: m.Series[i].Value - m.Series[i-1].Value, per: m.Series[i].Period, from: m.Series[i-1].Period, change: true, named: relevant(m.Series[i].Period)}
			all = append(all, v)
			if v.named {
				in = append(in, v)
			}
		}
		return in, all
	}
	// Totals over a named period of additive metrics come first: "in
	// 2025 partners gave 22,130 doses" is about the year's total.
	if additive(m) {
		for _, p := range named {
			if v, ok := sumOver(m.Series, p); ok {
				in = append(in, value{v: v, per: p, sum: true, named: true})
				all = append(all, value{v: v, per: p, sum: true})
			}
		}
	}
	for i := len(m.Series) - 1; i >= 0; i-- {
		pt := m.Series[i]
		v := value{v: pt.Value, per: pt.Period, latest: i == len(m.Series)-1, named: relevant(pt.Period)}
		all = append(all, v)
		if len(named) == 0 || v.named || v.latest {
			in = append(in, v)
		}
	}
	for _, id := range sortedPartners(m) {
		series := m.ByPartner[id]
		for _, pt := range series {
			v := value{v: pt.Value, per: pt.Period, partner: id}
			all = append(all, v)
			// Without a named period only the latest partner values count:
			// small counts would match some partner's value somewhere.
			if len(named) == 0 && pt.Period == latest.Period || relevant(pt.Period) {
				in = append(in, v)
			}
		}
		if additive(m) {
			for _, p := range named {
				if v, ok := sumOver(series, p); ok {
					in = append(in, value{v: v, per: p, sum: true, partner: id})
					all = append(all, value{v: v, per: p, sum: true, partner: id})
				}
			}
		}
	}
	// "below 40 % by the end of 2027": a sentence about the target date
	// may give the target.
	byTarget := !m.TargetDate.IsZero() && relevant(m.TargetDate)
	if m.Target != nil && (views["target"] || byTarget) {
		v := value{v: *m.Target, view: "target"}
		in = append(in, v)
		all = append(all, v)
	}
	if m.Baseline != nil && views["baseline"] {
		v := value{v: *m.Baseline, view: "baseline"}
		in = append(in, v)
		all = append(all, v)
	}
	return in, all
}

// sumOver adds up the values of the series inside p, when p holds two or
// more of them.
func sumOver(series []model.Point, p model.Period) (float64, bool) {
	sum, n := 0.0, 0
	for _, pt := range series {
		if pt.Period != p && contains(p, pt.Period) {
			sum += pt.Value
			n++
		}
	}
	return sum, n >= 2
}

func sortedPartners(m *model.Metric) []string {
	ids := make([]string, 0, len(m.ByPartner))
	for id := range m.ByPartner {
		ids = append(ids, id)
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	return ids
}

// additive reports whether m's values add up over time: counts, not
// shares, rates or costs per unit.
func additive(m *model.Metric) bool {
	if m.Unit == "%" {
		return false
	}
	n := " " + strings.ToLower(m.Name+" "+m.ID+" "+m.Unit) + " "
	for _, w := range []string{" per ", "_per_", "rate", "share", "ratio", "average", "mean"} {
		if strings.Contains(n, w) {
			return false
		}
	}
	return true
}

func overlaps(p, q model.Period) bool {
	return !p.End().Before(q.Start()) && !q.End().Before(p.Start())
}

func contains(p, q model.Period) bool {
	return !q.Start().Before(p.Start()) && !q.End().After(p.End())
}

// equal reports whether the typed number stands for v, with the rounding
// it is written with and the hedge before it.
func equal(tok number, v float64, hedge byte) bool {
	// Signs are not compared: "fell by 2 points" is written without one.
	t, v := tok.value, math.Abs(v)
	scale := scaleOf(tok)
	rounded := math.Round(v/scale) * scale
	if math.Abs(rounded-t) <= 1e-9*math.Max(1, math.Abs(t)) {
		return true
	}
	switch hedge {
	case 'a':
		return math.Abs(v-t) <= 0.05*math.Abs(t)+scale/2
	case '>':
		return v >= t && v <= 1.1*t+scale/2
	case '<':
		return v <= t && v >= 0.9*t-scale/2
	case 'n':
		return v <= t && v >= 0.9*t
	}
	return false
}

// compare compares the number with m's data. With matchOnly, only a match
// is returned.
func compare(tok number, m *model.Metric, pers []model.Period, views map[string]bool, hedge byte, change, goal, matchOnly bool) (Finding, bool) {
	in, all := values(m, pers, change, views)
	if len(all) == 0 {
		return Finding{}, false
	}
	f := Finding{Off: tok.off, End: tok.end, Number: tok.text, Metric: m.ID}
	for _, v := range in {
		h := hedge
		if v.view != "" {
			h = 0
		}
		if equal(tok, v.v, h) {
			f.Match = true
			f.Msg, f.Hint = matchWords(tok, m, v)
			return f, true
		}
	}
	if matchOnly {
		return Finding{}, false
	}
	// Too far from every value to be about this metric at all.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range all {
		lo, hi = math.Min(lo, math.Abs(v.v)), math.Max(hi, math.Abs(v.v))
	}
	if t := tok.value; t < lo/2 || t > 2*hi+1 || tok.pct && t > 100 {
		return Finding{}, false
	}
	// A number equal to some partner's value in another period may be that:
	// too uncertain to call wrong.
	for _, v := range all {
		if v.partner != "" && equal(tok, v.v, 0) {
			return Finding{}, false
		}
	}
	if hedge == '>' || hedge == '<' || goal {
		return Finding{}, false // "more than 40": true of too much to contradict; "needs 95 %": a goal
	}
	// A number is called wrong only on strong evidence: the sentence (the
	// one before it, or a table cell's row or column) names a period with
	// a year that the data covers, and the number is compared with that
	// period's values; or it names none, and the number is close to the
	// latest value, a stale or slipped figure. A month or quarter without
	// a year ("in March", "the quarter") names no period here: it matches
	// that period of any year, which is evidence enough for a match but
	// not for a contradiction.
	var dated []model.Period
	yearNamed := false
	for _, p := range pers {
		if p.Y == 0 {
			continue
		}
		yearNamed = true
		if covered(m, p, change) {
			dated = append(dated, p)
		}
	}
	switch {
	case len(dated) > 0:
		in, _ = values(m, dated, change, views)
	case yearNamed:
		return Finding{}, false // "in 2019": a period the data does not cover
	default:
		if !nearLatest(tok, m, change) {
			return Finding{}, false // far from the latest: about something else
		}
		in, _ = values(m, nil, change, views)
	}
	f.Msg, f.Hint = contradictWords(tok, m, in, dated)
	return f, f.Msg != ""
}

// covered reports whether m's series has a value in p; for a change, a
// period before the series starts ("since 2023") counts too.
func covered(m *model.Metric, p model.Period, change bool) bool {
	for _, pt := range m.Series {
		if overlaps(p, pt.Period) {
			return true
		}
	}
	return change && len(m.Series) > 0 && m.Series[0].Period.Start().After(p.End())
}

// nearLimit is how far, relative to the latest value, a number may be from
// it and still be a stale or slipped figure of it when the text names no
// period.
const nearLimit = 0.05

// nearLatest reports whether the number is close to m's latest value: within
// nearLimit of it, or within the range of the values of the last four
// periods. For a change, the latest value is the change on the period
// before, and the range is that of the changes from the four periods
// before the latest to it.
func nearLatest(tok number, m *model.Metric, change bool) bool {
	n := len(m.Series)
	if n == 0 {
		return false
	}
	latest := m.Series[n-1].Value
	var ref []float64
	if change {
		for k := 2; k <= 5 && n-k >= 0; k++ {
			ref = append(ref, math.Abs(latest-m.Series[n-k].Value))
		}
	} else {
		for k := 1; k <= 4 && n-k >= 0; k++ {
			ref = append(ref, math.Abs(m.Series[n-k].Value))
		}
	}
	if len(ref) == 0 {
		return false
	}
	t, slack := tok.value, scaleOf(tok)/2
	if math.Abs(t-ref[0]) <= nearLimit*ref[0]+slack {
		return true
	}
	lo, hi := ref[0], ref[0]
	for _, v := range ref {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return t >= lo-slack && t <= hi+slack
}

// scaleOf is the precision the number is written with: 0.1 for "82.6",
// 100 for "6.0k".
func scaleOf(tok number) float64 {
	if tok.round > 0 {
		return math.Pow(10, float64(tok.round))
	}
	return math.Pow(10, -float64(tok.decimals))
}

func matchWords(tok number, m *model.Metric, v value) (msg, hint string) {
	q := fmt.Sprintf("typed figure %q", tok.text)
	shown := model.FormatValue(v.v, m.Unit)
	switch {
	case v.change:
		shown = model.FormatChange(v.v, m.Unit)
		msg = fmt.Sprintf("%s is the change in %s from %s to %s (%s)", q, m.ID, v.from.Label(), v.per.Label(), shown)
		switch {
		case v.prev:
			hint = fmt.Sprintf("write {{%s change}} so it follows the data", m.ID)
		case v.per == latestPeriod(m):
			hint = fmt.Sprintf("write {{%s change @%s}} so it follows the data", m.ID, v.from)
		default:
			hint = fmt.Sprintf("write {{%s change @%s..%s}} so it follows the data", m.ID, v.from, v.per)
		}
	case v.view != "":
		msg = fmt.Sprintf("%s is the %s of %s (%s)", q, v.view, m.ID, shown)
		hint = fmt.Sprintf("write {{%s %s}} so it follows the data", m.ID, v.view)
	case v.partner != "" && v.sum:
		msg = fmt.Sprintf("%s is %s's total of %s over %s (%s, the sum of its periods)", q, v.partner, m.ID, v.per.Label(), shown)
		hint = fmt.Sprintf("write {{%s by %s @%s}} so it follows the data", m.ID, v.partner, v.per)
	case v.partner != "":
		msg = fmt.Sprintf("%s is %s's value of %s for %s (%s)", q, v.partner, m.ID, v.per.Label(), shown)
		hint = fmt.Sprintf("write {{%s by %s @%s}} so it follows the data", m.ID, v.partner, v.per)
	case v.sum:
		msg = fmt.Sprintf("%s is the total of %s over %s (%s, the sum of its periods)", q, m.ID, v.per.Label(), shown)
		hint = fmt.Sprintf("write {{%s total @%s}} so it follows the data", m.ID, v.per)
	case v.latest:
		msg = fmt.Sprintf("%s is the latest value of %s (%s, %s)", q, m.ID, shown, v.per.Label())
		hint = fmt.Sprintf("write {{%s}} so it follows the data", m.ID)
	default:
		msg = fmt.Sprintf("%s is the value of %s for %s (%s)", q, m.ID, v.per.Label(), shown)
		hint = fmt.Sprintf("write {{%s @%s}} so it follows the data", m.ID, v.per)
	}
	return msg, hint
}

func latestPeriod(m *model.Metric) model.Period {
	l, _ := m.Latest()
	return l.Period
}

func contradictWords(tok number, m *model.Metric, in []value, pers []model.Period) (msg, hint string) {
	q := fmt.Sprintf("typed figure %q", tok.text)
	// What the data holds: the values of the named periods (totals first)
	// when the sentence names one, else the latest value or change.
	var shown []value
	for _, v := range in {
		if v.partner != "" || v.view != "" {
			continue
		}
		if v.change {
			if v.prev || len(pers) > 0 && v.named {
				shown = append(shown, v)
			}
			continue
		}
		if len(pers) > 0 && v.named {
			shown = append(shown, v)
		}
	}
	if len(shown) == 0 {
		for _, v := range in {
			if v.latest || v.change && v.prev {
				shown = append(shown, v)
				break
			}
		}
	}
	if len(shown) == 0 {
		return "", ""
	}
	var held []string
	for i, v := range shown {
		if i == 3 {
			held = append(held, "…")
			break
		}
		switch {
		case v.change:
			held = append(held, fmt.Sprintf("%s from %s to %s", model.FormatChange(v.v, m.Unit), v.from.Label(), v.per.Label()))
		case v.sum:
			held = append(held, fmt.Sprintf("%s in all over %s", model.FormatValue(v.v, m.Unit), v.per.Label()))
		default:
			held = append(held, fmt.Sprintf("%s for %s", model.FormatValue(v.v, m.Unit), v.per.Label()))
		}
	}
	first := shown[0]
	about := "the latest in the data is"
	if first.named {
		about = "for the period the sentence names, the data holds"
	}
	msg = fmt.Sprintf("%s next to %s does not match the data: %s %s", q, m.ID, about, strings.Join(held, ", "))
	switch {
	case first.change && first.prev:
		hint = fmt.Sprintf("write {{%s change}}, or correct the number", m.ID)
	case first.change && first.per == latestPeriod(m):
		hint = fmt.Sprintf("write {{%s change @%s}}, or correct the number", m.ID, first.from)
	case first.change, first.sum:
		hint = "correct the number"
	case first.latest:
		hint = fmt.Sprintf("write {{%s}}, or correct the number", m.ID)
	default:
		hint = fmt.Sprintf("write {{%s @%s}}, or correct the number", m.ID, first.per)
	}
	return msg, hint
}
