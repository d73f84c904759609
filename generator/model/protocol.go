package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Fingerprint returns the fingerprint of what a partner approves: the
// story's title, summary and body. Line endings and trailing spaces do not
// count; any other change to the words does.
func Fingerprint(title, summary string, body []byte) string {
	h := sha256.New()
	norm := func(s []byte) {
		s = bytes.ReplaceAll(s, []byte("\r\n"), []byte("\n"))
		for _, line := range bytes.Split(bytes.TrimSpace(s), []byte("\n")) {
			h.Write(bytes.TrimRight(line, " \t"))
			h.Write([]byte{'\n'})
		}
		h.Write([]byte{0})
	}
	norm([]byte(title))
	norm([]byte(summary))
	norm(body)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Fingerprint returns the story's current fingerprint: of its title,
// summary and body, and for an ROI story of the investment and results its
// front matter declares, since they change every figure on the page.
func (st *Story) Fingerprint() string {
	if st.Declared == "" {
		return Fingerprint(st.Title, st.Summary, st.Body)
	}
	return Fingerprint(st.Title, st.Summary+"\x00"+st.Declared, st.Body)
}

// mentionIndex finds partners named in prose, in one pass over the text.
type mentionIndex struct {
	byFirst map[string][]mention // lower-case first word → names starting with it
	// first[c][n] is whether a name's first word starts with the ASCII
	// byte c (lower-cased) and is n bytes long: most words of a text are
	// passed over on that alone.
	first [128][32]bool
}

type mention struct {
	id    string
	words []string // the name in lower-case words
}

func newMentionIndex(partners []*Partner) *mentionIndex {
	x := &mentionIndex{byFirst: map[string][]mention{}}
	for _, p := range partners {
		words := splitWords(p.Name)
		if len(words) == 0 {
			continue
		}
		x.byFirst[words[0]] = append(x.byFirst[words[0]], mention{id: p.ID, words: words})
		if w := words[0]; w[0] < utf8.RuneSelf && len(w) < 32 {
			x.first[w[0]][len(w)] = true
		}
	}
	for _, ms := range x.byFirst {
		// Longest names first, so "Valley Health Department" wins over "Valley Health".
		sort.Slice(ms, func(i, j int) bool { return len(ms[i].words) > len(ms[j].words) })
	}
	return x
}

// splitWords lower-cases s and splits it into words of letters and digits;
// an apostrophe inside a word is kept ("Parents'" → "parents").
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

// find returns the ids of the partners whose full names occur in text. It
// finds the same words as splitWords, without making a string of each.
func (x *mentionIndex) find(text []byte) []string {
	if len(x.byFirst) == 0 {
		return nil
	}
	// Each word lower-cased into a buffer when needed: map lookups and
	// comparisons with string(buf) do not allocate.
	var buf, buf2 []byte
	lower := func(dst, w []byte) []byte {
		dst = dst[:0]
		for _, c := range w {
			if c >= utf8.RuneSelf {
				return append(dst[:0], strings.ToLower(string(w))...)
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	var out []string
	for i := 0; ; {
		start, end := nextWord(text, i)
		if start < 0 {
			break
		}
		i = end
		w := text[start:end]
		// A word of ASCII letters that no name starts like is no match. A
		// word whose lower case is not ASCII, or that is long, is looked up.
		if c, n := w[0], len(w); c < utf8.RuneSelf && n < 32 && asciiWord(w) {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if !x.first[c][n] {
				continue
			}
		}
		buf = lower(buf, w)
		for _, m := range x.byFirst[string(buf)] {
			match, j := true, end
			for k := 1; k < len(m.words) && match; k++ {
				var s int
				if s, j = nextWord(text, j); s < 0 {
					match = false
				} else if buf2 = lower(buf2, text[s:j]); string(buf2) != m.words[k] {
					match = false
				}
			}
			if match {
				if !slices.Contains(out, m.id) {
					out = append(out, m.id)
				}
				break
			}
		}
	}
	return out
}

// nextWord returns the bounds of the first word of text at or after i, or
// -1 when there is none.
func nextWord(text []byte, i int) (start, end int) {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if wordByte[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if isWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(text) {
		return -1, -1
	}
	start = i
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !wordByte[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return start, i
}

// wordByte is isWordRune for ASCII.
var wordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// asciiWord is whether w is all ASCII, so its lower case has its length.
func asciiWord(w []byte) bool {
	for _, c := range w {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isWordRune is whether r is part of a word for splitWords and find.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' }

// Recognition is when a partner was last recognised, and how.
type Recognition struct {
	Date time.Time
	How  string // "spotlight story" or "newsletter spotlight"
	URL  string // where, on the site
}

// recognitions records, for each partner, the latest public spotlight
// story and the newsletter issues (up to now) that featured them.
func (s *Site) recognitions() {
	s.recognised = map[string]Recognition{}
	note := func(id string, r Recognition) {
		if cur, ok := s.recognised[id]; !ok || r.Date.After(cur.Date) {
			s.recognised[id] = r
		}
	}
	for _, st := range s.Stories {
		if st.Kind == KindSpotlight && st.Spotlight != "" && !st.Preview {
			note(st.Spotlight, Recognition{Date: st.Date, How: "spotlight story", URL: st.URL()})
		}
	}
	// Newsletter issues, oldest first: each takes its hand-picked partner
	// or the next in the rotation at its date.
	issues := append([]*Newsletter(nil), s.Newsletters...)
	sort.Slice(issues, func(i, j int) bool { return issues[i].Month.Before(issues[j].Month) })
	for _, n := range issues {
		at := n.SendDate()
		if at.After(s.Now) {
			continue
		}
		id := n.Spotlight
		if id == "" {
			if p := s.rotation(at); p != nil {
				id = p.ID
			}
		}
		n.SpotlightPartner = id
		if id != "" {
			note(id, Recognition{Date: at, How: "newsletter spotlight", URL: "/newsletter/" + n.Month.String() + "/"})
		}
	}
}

// SendDate is the issue's date, or the first day of its month.
func (n *Newsletter) SendDate() time.Time {
	if !n.Date.IsZero() {
		return n.Date
	}
	return n.Month.Start()
}

// LastRecognised returns when the partner was last recognised, if ever.
func (s *Site) LastRecognised(id string) (Recognition, bool) {
	r, ok := s.recognised[id]
	return r, ok
}

// rotation picks, among current partners who consented to spotlights, the
// one that has gone longest without recognition at time at. A partner never
// recognised comes first; ties go to the partner who joined earliest, then
// to the smaller id.
func (s *Site) rotation(at time.Time) *Partner {
	return PickSpotlight(s.Partners, s.recognised, at)
}

// PickSpotlight applies the rotation rule to partners given when each was
// last recognised (recognitions after at are ignored).
func PickSpotlight(partners []*Partner, last map[string]Recognition, at time.Time) *Partner {
	var best *Partner
	var bestDate time.Time
	for _, p := range partners {
		if !p.SpotlightConsent || !p.Current(at) || (!p.Joined.IsZero() && p.Joined.After(at)) {
			continue
		}
		var d time.Time // zero: never recognised
		if r, ok := last[p.ID]; ok && !r.Date.After(at) {
			d = r.Date
		}
		if best == nil || d.Before(bestDate) ||
			d.Equal(bestDate) && (p.Joined.Before(best.Joined) || p.Joined.Equal(best.Joined) && p.ID < best.ID) {
			best, bestDate = p, d
		}
	}
	return best
}

// Spotlight returns the partner the home page recognises now: the one
// chosen in site.yaml (home.spotlight), else the next in the rotation.
func (s *Site) Spotlight() *Partner {
	if id := s.Config.Home.Spotlight; id != "" {
		if p := s.partnerByID[id]; p != nil {
			return p
		}
	}
	return s.rotation(s.Now)
}

// Turnover is the share of the membership that changed in the twelve months
// to at: partners who joined plus partners who left, over the members at
// the start of the window.
func (s *Site) Turnover(at time.Time) (share float64, joined, left, base int) {
	start := at.AddDate(-1, 0, 0)
	for _, p := range s.Partners {
		if p.Joined.IsZero() || !p.Joined.After(start) {
			if p.Left.IsZero() || p.Left.After(start) {
				base++
			}
		}
		if !p.Joined.IsZero() && p.Joined.After(start) && !p.Joined.After(at) {
			joined++
		}
		if !p.Left.IsZero() && p.Left.After(start) && !p.Left.After(at) {
			left++
		}
	}
	if base == 0 {
		return 0, joined, left, 0
	}
	return float64(joined+left) / float64(base), joined, left, base
}

// RelaunchThreshold is the turnover past which the team is due for a relaunch.
const RelaunchThreshold = 0.15
