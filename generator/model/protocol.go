package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// FingerprintV1 returns a fingerprint of the first version ("sha256:"),
// which covered only a story's title, summary and body (and the figures an
// ROI story declares, appended to its summary). drumbeat no longer records
// it; it recognises it, to tell a team what an old approval covered.
func FingerprintV1(title, summary string, body []byte) string {
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

// fingerprintV1 is FingerprintV1 of the story.
func (st *Story) fingerprintV1() string {
	if st.Declared == "" {
		return FingerprintV1(st.Title, st.Summary, st.Body)
	}
	return FingerprintV1(st.Title, st.Summary+"\x00"+st.Declared, st.Body)
}

// A fingerprint (version 2) covers every part of a story that reaches a
// reader, each part normalised so that line endings and spacing do not
// count. It is written
//
//	v2:<digest of all parts> title=<digest> summary=<digest> …
//
// The first digest (64 bits of SHA-256) decides whether an approval still
// holds; the short digest of each part only tells which parts changed.
const fingerprintVersion = "v2"

// fingerprintPart is a part of a story that a fingerprint covers.
type fingerprintPart struct {
	key   string       // as recorded in the fingerprint
	words string       // in the English reasons (Story.Held)
	msg   i18n.Message // words as a message (approval_part_<key>), in Story.HeldWhy
	value func(s *Site, st *Story) string
}

// fingerprintParts are the parts, in the order recorded. A new part needs
// a new fingerprint version (an approval recorded without it must not
// extend to it), or must be optional: left out while empty, so that a
// story that gains it changes its fingerprint (see optionalParts).
var fingerprintParts = [...]fingerprintPart{
	{"title", "the title", i18n.M("approval_part_title"), func(_ *Site, st *Story) string { return oneLine(st.Title) }},
	{"summary", "the summary", i18n.M("approval_part_summary"), func(_ *Site, st *Story) string { return oneLine(st.Summary) }},
	{"body", "the text", i18n.M("approval_part_body"), func(_ *Site, st *Story) string { return lines(st.Body) }},
	{"image", "the image", i18n.M("approval_part_image"), func(_ *Site, st *Story) string { return strings.TrimSpace(st.Image) }},
	{"pictures", "the picture files", i18n.M("approval_part_pictures"), func(_ *Site, st *Story) string { return st.Pictures }},
	{"image_alt", "the image alt text", i18n.M("approval_part_image_alt"), func(_ *Site, st *Story) string { return oneLine(st.ImageAlt) }},
	{"tags", "the tags", i18n.M("approval_part_tags"), func(_ *Site, st *Story) string { return list(st.Tags) }},
	{"metrics", "the metrics", i18n.M("approval_part_metrics"), func(_ *Site, st *Story) string { return list(st.Metrics) }},
	{"figure", "the figure on the story's social card", i18n.M("approval_part_figure"), func(s *Site, st *Story) string {
		if f := s.CardFigure(st); f != nil {
			return f.Value + "\n" + f.Caption()
		}
		return ""
	}},
	{"slug", "the web address (slug)", i18n.M("approval_part_slug"), func(_ *Site, st *Story) string { return st.Slug }},
	{"kind", "the kind", i18n.M("approval_part_kind"), func(_ *Site, st *Story) string { return string(st.Kind) }},
	{"partners", "the partners", i18n.M("approval_part_partners"), func(_ *Site, st *Story) string { return list(st.Partners) }},
	{"spotlight", "the spotlight partner", i18n.M("approval_part_spotlight"), func(_ *Site, st *Story) string { return st.Spotlight }},
	{"roi", "the investment and results declared", i18n.M("approval_part_roi"), func(_ *Site, st *Story) string { return st.Declared }},
	{"extra", "the extra fields", i18n.M("approval_part_extra"), func(_ *Site, st *Story) string { return extraText(st.Extra) }},
	// Parts added after version 2 was recorded: each counts only when the
	// story has it, so that the fingerprints of stories without it, and
	// the approvals recorded with them, stay as they were.
	{"image_caption", "the image caption and credit", i18n.M("approval_part_image_caption"), func(_ *Site, st *Story) string {
		if st.Cover == nil || st.Cover.Caption == "" && st.Cover.Credit == "" {
			return ""
		}
		return oneLine(st.Cover.Caption) + "\n" + oneLine(st.Cover.Credit)
	}},
	{"image_focus", "the image's focal point", i18n.M("approval_part_image_focus"), func(_ *Site, st *Story) string {
		if st.Cover == nil || st.Cover.FocusX == 0.5 && st.Cover.FocusY == 0.5 {
			return ""
		}
		return strconv.FormatFloat(st.Cover.FocusX, 'g', -1, 64) + "," + strconv.FormatFloat(st.Cover.FocusY, 'g', -1, 64)
	}},
}

// optionalParts are the parts left out of a fingerprint when empty.
var optionalParts = map[string]bool{"image_caption": true, "image_focus": true}

// oneLine is s with each run of white space as one space, trimmed: HTML
// shows it so.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// lines is Markdown without what only changes its spacing: the kind of
// its line endings (CRLF, CR or LF), spaces and tabs at the ends of lines,
// blank lines around it and more than one blank line in a row, and runs
// of spaces and tabs inside a line (its indentation, which can change
// what a line is, is kept). Moving a line break is a change: it can make
// a heading or a list item of a line.
func lines(b []byte) string {
	if bytes.IndexByte(b, '\r') >= 0 {
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		b = bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	}
	var out strings.Builder
	out.Grow(len(b))
	blank, started := false, false
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimRight(line, " \t\v\f")
		if len(line) == 0 {
			blank = started
			continue
		}
		started = true
		if blank {
			out.WriteByte('\n')
			blank = false
		}
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		out.Write(line[:indent])
		// The rest of the line a run at a time: words as they are, each
		// run of spaces and tabs between them as one space (the line ends
		// with neither).
		for rest := line[indent:]; len(rest) > 0; {
			j := 0
			for j < len(rest) && rest[j] != ' ' && rest[j] != '\t' {
				j++
			}
			out.Write(rest[:j])
			rest = rest[j:]
			k := 0
			for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
				k++
			}
			if rest = rest[k:]; k > 0 && len(rest) > 0 {
				out.WriteByte(' ')
			}
		}
		out.WriteByte('\n')
	}
	return out.String()
}

// list is a list of one-line values, one a line, in order.
func list(l []string) string {
	var out strings.Builder
	for _, v := range l {
		out.WriteString(oneLine(v))
		out.WriteByte('\n')
	}
	return out.String()
}

// extraText is a canonical form of the free-form front matter fields,
// which a theme may show: JSON orders keys.
func extraText(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	if b, err := json.Marshal(m); err == nil {
		return string(b)
	}
	return fmt.Sprint(m) // fmt orders keys too
}

// Fingerprint returns the story's current fingerprint (version 2): of
// everything in it that reaches a reader. See fingerprintParts.
func (s *Site) Fingerprint(st *Story) string {
	h := sha256.New()
	var parts strings.Builder
	// buf holds each part as hashed, its key, a zero byte and its value:
	// one copy of the value (the body is most of a story), where the
	// whole digest and the part's each made their own.
	var buf []byte
	for _, p := range fingerprintParts {
		v := p.value(s, st)
		if v == "" && optionalParts[p.key] {
			continue
		}
		buf = append(append(append(buf[:0], p.key...), 0), v...)
		h.Write(buf)
		h.Write([]byte{0})
		parts.WriteByte(' ')
		parts.WriteString(p.key)
		parts.WriteByte('=')
		parts.WriteString(partDigest(buf))
	}
	return fingerprintVersion + ":" + hex.EncodeToString(h.Sum(nil))[:16] + parts.String()
}

// partDigest is the short digest of one part, given as its key, a zero
// byte and its value: 16 bits, enough to tell which part changed, never to
// decide whether one did.
func partDigest(part []byte) string {
	d := sha256.Sum256(part)
	return hex.EncodeToString(d[:2])
}

// approvalChange says what changed in the story since the approval a by
// who was recorded: nothing (""), or why the approval no longer holds, in
// English and as a message (approval_*, with the approval's date as
// DateMessage, for a --drafts preview). current returns the story's
// current fingerprint.
func (s *Site) approvalChange(st *Story, a Approval, who string, current func() string) (string, i18n.Message) {
	fp := strings.TrimSpace(a.Fingerprint)
	on, onMsg := day(a.Date), DateMessage(a.Date)
	switch {
	case strings.HasPrefix(fp, fingerprintVersion+":"):
		cur := current()
		if overall(fp) == overall(cur) {
			return "", i18n.Message{}
		}
		rec, now := partsOf(fp), partsOf(cur)
		var changed []string
		var changedMsgs []any
		for _, p := range fingerprintParts {
			if len(rec) > 0 && rec[p.key] != now[p.key] {
				changed = append(changed, p.words)
				changedMsgs = append(changedMsgs, p.msg)
			}
		}
		if len(changed) == 0 {
			return "the story changed after " + who + " approved it on " + on,
				i18n.M("approval_story_changed", "partner", who, "date", onMsg)
		}
		return JoinNames(changed) + " changed after " + who + " approved it on " + on,
			i18n.M("approval_parts_changed", "parts", joinMessage(changedMsgs), "partner", who, "date", onMsg)
	case strings.HasPrefix(fp, "sha256:"):
		if fp != st.fingerprintV1() {
			return "the text changed after " + who + " approved it on " + on +
					" (the approval has an older fingerprint, sha256:, which covered the title, summary and text only)",
				i18n.M("approval_v1_text_changed", "partner", who, "date", onMsg)
		}
		return who + "'s approval of " + on + " has an older fingerprint (sha256:) that covered only the title, summary and text, not the image, alt text, tags, metrics, card figure, web address, kind or partners, so it no longer counts",
			i18n.M("approval_v1_old", "partner", who, "date", onMsg)
	}
	return who + "'s approval of " + on + " has a fingerprint drumbeat does not know (" + truncateFP(fp) + "), so it does not count; fingerprints are recorded by `drumbeat approve`",
		i18n.M("approval_unknown_fingerprint", "partner", who, "date", onMsg, "fingerprint", truncateFP(fp))
}

// overall is the first digest of a fingerprint.
func overall(fp string) string {
	if f := strings.Fields(fp); len(f) > 0 {
		return f[0]
	}
	return ""
}

// partsOf reads the part digests of a version 2 fingerprint.
func partsOf(fp string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(fp) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

func truncateFP(fp string) string {
	if r := []rune(fp); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return fp
}

// CardFigure returns the figure a story's social card and share text lead
// with: the headline of an ROI story; else the first value its prose cites
// as of the story ({{metric}}, or {{metric @period}} for the story's period:
// see AsOf); else the first metric its prose cites or it lists, as of the
// story. The figure is labelled with its
// period, so an old story's card shows what was true when it was written,
// never a later period. Nil when there is none; the card then shows the
// summary.
func (s *Site) CardFigure(st *Story) *Figure {
	if st.ROI != nil {
		if f, _ := s.ComputeROI(st); f != nil {
			h := f.HeadlineFigure()
			return &h
		}
	}
	figure := func(m *Metric, p Point) *Figure {
		f := said(Figure{Value: FormatValue(p.Value, m.Unit), Label: m.Name, Detail: p.Period.Label()}, i18n.Message{}, p.Period.Message())
		f.Source = m.Source
		return &f
	}
	for _, c := range st.Cites {
		m := s.metricByID[c.ID]
		if m == nil || c.View != "" {
			continue
		}
		p, ok := s.AsOf(st, m)
		if !ok {
			continue
		}
		// A value the text gives for an earlier period is a comparison
		// ("from 74 % in 2024"), not the story's news: pass it over.
		if per, err := ParsePeriod(c.Period); c.Period == "" || err == nil && per == p.Period {
			return figure(m, p)
		}
	}
	for _, ids := range [][]string{st.Figures, st.Metrics} {
		for _, id := range ids {
			m := s.metricByID[id]
			if m == nil {
				continue
			}
			if p, ok := s.AsOf(st, m); ok {
				return figure(m, p)
			}
		}
	}
	return nil
}

// AsOf returns the value of m a story is about: the latest value for a
// period that ends by the end of the period the story declares (period:
// in its front matter) or, when it declares none, by the story's date.
// False when the data starts after that (or a story has neither).
func (s *Site) AsOf(st *Story, m *Metric) (Point, bool) {
	var by time.Time
	switch {
	case !st.Period.IsZero():
		by = st.Period.End()
	case !st.Date.IsZero():
		by = time.Date(st.Date.Year(), st.Date.Month(), st.Date.Day(), 0, 0, 0, 0, time.UTC)
	default:
		return m.Latest()
	}
	for i := len(m.Series) - 1; i >= 0; i-- {
		if !m.Series[i].Period.End().After(by) {
			return m.Series[i], true
		}
	}
	return Point{}, false
}

// mentionIndex finds partners named in prose, in one pass over the text.
// Names and text are compared folded (see foldText): a name is found
// whatever its case, with zero-width characters or soft hyphens inside it,
// in fullwidth letters or with Cyrillic or Greek look-alike letters.
type mentionIndex struct {
	byFirst map[string][]mention // folded first word → names starting with it
	// first[c][n] is whether a name's first word starts with the ASCII
	// byte c (lower-cased) and is n bytes long: most words of a text are
	// passed over on that alone.
	first [128][32]bool
}

type mention struct {
	id    string
	words []string // the name in folded words
}

func newMentionIndex(partners []*Partner) *mentionIndex {
	x := &mentionIndex{byFirst: map[string][]mention{}}
	for _, p := range partners {
		words := splitWords(foldString(p.Name))
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

// splitWords lower-cases s and splits it into words of letters, digits and
// ampersands ("Parents' Circle" → "parents", "circle").
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

// find returns the ids of the partners whose full names occur in text,
// folded. It finds the same words as splitWords of the folded text,
// without making a string of each.
func (x *mentionIndex) find(text []byte) []string {
	if len(x.byFirst) == 0 {
		return nil
	}
	text = foldText(text)
	// Each word lower-cased into a buffer when needed: map lookups and
	// comparisons with string(buf) do not allocate. Folded text is in
	// lower case but for ASCII text, returned as it was.
	var buf, buf2 []byte
	lower := func(dst, w []byte) []byte {
		dst = dst[:0]
		for _, c := range w {
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
		// A word that no name starts like, by its first byte and length,
		// is no match (lower-casing folded text keeps its length). A long
		// word, or one starting with a non-ASCII letter, is looked up.
		if c, n := w[0], len(w); c < utf8.RuneSelf && n < 32 {
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
