package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/internal/par"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/slug"
)

// storyMatter is a story's front matter as written.
type storyMatter struct {
	Title        string           `yaml:"title" toml:"title"`
	Date         any              `yaml:"date" toml:"date"`
	Summary      string           `yaml:"summary" toml:"summary"`
	Kind         string           `yaml:"kind" toml:"kind"`
	Partners     []string         `yaml:"partners" toml:"partners"`
	Metrics      []string         `yaml:"metrics" toml:"metrics"`
	Tags         []string         `yaml:"tags" toml:"tags"`
	Image        string           `yaml:"image" toml:"image"`
	ImageAlt     string           `yaml:"image_alt" toml:"image_alt"`
	ImageCaption string           `yaml:"image_caption" toml:"image_caption"`
	ImageCredit  string           `yaml:"image_credit" toml:"image_credit"`
	ImageFocus   any              `yaml:"image_focus" toml:"image_focus"`
	Draft        bool             `yaml:"draft" toml:"draft"`
	EmbargoUntil any              `yaml:"embargo_until" toml:"embargo_until"`
	ApprovedBy   []approvalMatter `yaml:"approved_by" toml:"approved_by"`
	Spotlight    string           `yaml:"spotlight" toml:"spotlight"`
	Slug         string           `yaml:"slug" toml:"slug"`
	Weight       int              `yaml:"weight" toml:"weight"`
	Period       any              `yaml:"period" toml:"period"`

	// ROI stories.
	Investment *investmentMatter `yaml:"investment" toml:"investment"`
	Results    []resultMatter    `yaml:"results" toml:"results"`
	Returns    []returnMatter    `yaml:"returns" toml:"returns"`
	Headline   string            `yaml:"headline" toml:"headline"`

	// Newsletter issues.
	Subject   string   `yaml:"subject" toml:"subject"`
	Preheader string   `yaml:"preheader" toml:"preheader"`
	Items     []string `yaml:"items" toml:"items"`
	// Greeting ("Dear {name},") and its fallback override site.yaml's.
	Greeting         string `yaml:"greeting" toml:"greeting"`
	GreetingFallback string `yaml:"greeting_fallback" toml:"greeting_fallback"`

	Extra map[string]any      `yaml:"-" toml:"-"`
	Lines map[string]diag.Pos `yaml:"-" toml:"-"`
}

type approvalMatter struct {
	Partner     string `yaml:"partner" toml:"partner"`
	By          string `yaml:"by" toml:"by"`
	On          any    `yaml:"on" toml:"on"`
	Fingerprint string `yaml:"fingerprint" toml:"fingerprint"`

	Pos diag.Pos `yaml:"-" toml:"-"`
}

// investmentMatter is what an ROI story's partners put in, as written.
type investmentMatter struct {
	From string `yaml:"from" toml:"from"`
	To   string `yaml:"to" toml:"to"`
	// FromContributions is true (the contributions of every partner of
	// the story) or a list of partner ids.
	FromContributions any            `yaml:"from_contributions" toml:"from_contributions"`
	Cash              []amountMatter `yaml:"cash" toml:"cash"`
	InKind            []amountMatter `yaml:"in_kind" toml:"in_kind"`

	Pos   diag.Pos            `yaml:"-" toml:"-"`
	Lines map[string]diag.Pos `yaml:"-" toml:"-"`
}

// amountMatter is one entry under investment.cash or investment.in_kind.
type amountMatter struct {
	Partner string   `yaml:"partner" toml:"partner"`
	Amount  *float64 `yaml:"amount" toml:"amount"`
	Hours   *float64 `yaml:"hours" toml:"hours"`
	Rate    *float64 `yaml:"rate" toml:"rate"`
	Metric  string   `yaml:"metric" toml:"metric"`
	Note    string   `yaml:"note" toml:"note"`

	Pos diag.Pos `yaml:"-" toml:"-"`
}

// resultMatter is one result an ROI story claims.
type resultMatter struct {
	Metric  string `yaml:"metric" toml:"metric"`
	Partner string `yaml:"partner" toml:"partner"`
	From    string `yaml:"from" toml:"from"`
	To      string `yaml:"to" toml:"to"`

	Pos   diag.Pos            `yaml:"-" toml:"-"`
	Lines map[string]diag.Pos `yaml:"-" toml:"-"`
}

// returnMatter is what a partner got, in the story's words.
type returnMatter struct {
	Partner string `yaml:"partner" toml:"partner"`
	Got     string `yaml:"got" toml:"got"`

	Pos diag.Pos `yaml:"-" toml:"-"`
}

// frontMatter is a parsed front matter block with its position.
type frontMatter struct {
	format    string // "yaml" or "toml"
	raw       []byte
	startLine int // line of the first byte of raw in the file
}

// splitFrontMatter separates front matter and body with adrg/frontmatter.
// A leading UTF-8 byte-order mark is skipped: readText drops it, but
// callers with the raw file (AddApproval) have it still.
func splitFrontMatter(name string, src []byte, errs *diag.List) (fm *frontMatter, body []byte, bodyLine int, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	var got frontMatter
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(data []byte, v any) error {
			got.format = format
			got.raw = append([]byte(nil), data...)
			return nil
		}
	}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture("yaml")),
		frontmatter.NewFormat("+++", "+++", capture("toml")),
	}
	rest, err := frontmatter.Parse(bytes.NewReader(src), nil, formats...)
	if err != nil {
		errs.Errorf(diag.Pos{File: name, Line: 1}, "cannot read the front matter: %v", err)
		return nil, nil, 0, false
	}
	// The opening delimiter is the first non-blank line.
	open := 0
	for open < len(src) {
		end := bytes.IndexByte(src[open:], '\n')
		if end < 0 {
			end = len(src) - open
		}
		if len(bytes.TrimSpace(src[open:open+end])) != 0 {
			break
		}
		open += end + 1
	}
	openLine := bytes.Count(src[:min(open, len(src))], []byte("\n")) + 1
	if got.format == "" {
		first := strings.TrimSpace(firstLine(src[min(open, len(src)):]))
		if first == "---" || first == "+++" {
			errs.Errorf(diag.Pos{File: name, Line: openLine}, "the front matter opened here with %s is never closed", first).
				WithHint("end it with a line holding only %s", first)
			return nil, nil, 0, false
		}
		return nil, src, 1, true
	}
	got.startLine = openLine + 1
	bodyOff := len(src) - len(rest)
	bodyLine = bytes.Count(src[:bodyOff], []byte("\n")) + 1
	// rest is the end of frontmatter's buffer, which holds the whole file
	// with room to grow (7.8 kB for a 5.5 kB story): a story keeps its body
	// for the whole build, so it keeps a copy of its own size.
	return &got, bytes.Clone(rest), bodyLine, true
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// extraKeys are the front matter keys a site declares in site.yaml
// (front_matter: extra_keys:) besides drumbeat's own fields. Any other key
// drumbeat does not know is an error: a misspelt `partner:` must not
// silently drop the partners a story names, and with them their approval.
type extraKeys map[string]bool

// extraKeyRE is what a declared extra key may look like.
var extraKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)

// readExtraKeys checks the extra front matter keys site.yaml declares and
// returns those that may be used. A key one typo away from a field of
// drumbeat's is refused: declaring `partner` would let a misspelt
// `partners:` through.
func readExtraKeys(c model.Config, errs *diag.List) extraKeys {
	fc := c.FrontMatter
	out := extraKeys{}
	known := structFields(reflectTypeOfMatter).keys
	known = append(known, structFields(reflect.TypeOf(briefingMatter{})).keys...)
	for i, k := range fc.ExtraKeys {
		pos := linePos(fc.Lines, "extra_keys."+strconv.Itoa(i), linePos(c.Lines, "front_matter", diag.Pos{File: ConfigFile, Line: 1}))
		switch {
		case !extraKeyRE.MatchString(k):
			errs.Errorf(pos, "front_matter.extra_keys: %q is not a key name", truncate(k, 80)).
				WithHint("use lower-case letters, digits, _ and -, starting with a letter, such as `audience`")
		case slices.Contains(known, k):
			errs.Errorf(pos, "front_matter.extra_keys: %q is one of drumbeat's own fields", k).
				WithHint("remove it from extra_keys; drumbeat reads it already")
		case out[k]:
			errs.Errorf(pos, "front_matter.extra_keys: %q is listed twice", k)
		default:
			if s := diag.Suggest(k, known); s != "" {
				errs.Errorf(pos, "front_matter.extra_keys: %q is one typo away from drumbeat's field %q", k, s).
					WithHint("a misspelt %s: would then pass unnoticed; choose a more distinct name", s)
				continue
			}
			out[k] = true
		}
	}
	return out
}

// unknownField returns the error for a top-level front matter key that is
// neither drumbeat's nor declared by the site.
func unknownField(pos diag.Pos, key string, known []string) *diag.Error {
	e := diag.Errorf(pos, "unknown field %q", truncate(key, 80))
	if s := diag.Suggest(key, known); s != "" {
		return e.WithHint("did you mean %q?", s)
	}
	return e.WithHint("see docs/formats.md for the fields; a field of the site's own must be declared in site.yaml under front_matter: extra_keys:")
}

// issueOnly are the fields of newsletter issues only; issueKeys every
// field an issue may hold.
var (
	issueOnly = map[string]bool{"subject": true, "preheader": true, "items": true, "greeting": true, "greeting_fallback": true}
	issueKeys = map[string]bool{"subject": true, "preheader": true, "items": true, "date": true, "spotlight": true, "greeting": true, "greeting_fallback": true}
)

// checkSectionKeys reports fields that belong to the other kind of file:
// `subject:` in a story, `partners:` in a newsletter issue. lines holds the
// top-level keys as written.
func checkSectionKeys(issue bool, lines map[string]diag.Pos, errs *diag.List) {
	for _, k := range structFields(reflectTypeOfMatter).keys {
		p, ok := lines[k]
		switch {
		case !ok:
		case issue && !issueKeys[k]:
			errs.Errorf(p, "`%s:` is not a field of a newsletter issue", k).
				WithHint("an issue has subject, preheader, date, items, spotlight, greeting and greeting_fallback; see docs/formats.md")
		case !issue && issueOnly[k]:
			errs.Errorf(p, "`%s:` belongs to newsletter issues, not to a story or page", k).
				WithHint("remove it; see docs/formats.md for a story's fields")
		}
	}
}

// decodeMatter decodes front matter into m, recording key positions.
// Unknown keys are errors, except the extra keys the site declares, which
// are kept in m.Extra.
func decodeMatter(name string, fm *frontMatter, m *storyMatter, extra extraKeys, errs *diag.List) bool {
	before := len(*errs)
	switch fm.format {
	case "yaml":
		n := parseYAML(name, fm.raw, fm.startLine-1, errs)
		if n == nil {
			return len(*errs) == before
		}
		d := decoder{file: name, lineOffset: fm.startLine - 1, errs: errs, extraKeys: extra}
		d.decode(n, m)
	case "toml":
		if !checkTOMLDepth(name, fm, errs) {
			return false
		}
		md, err := toml.Decode(string(fm.raw), m)
		if err != nil {
			errs.Add(tomlError(name, fm, err))
			return false
		}
		m.Lines = tomlKeyLines(name, fm)
		tomlUnknown(name, fm, md.Undecoded(), m, extra, errs)
	}
	return len(*errs) == before
}

// tomlUnknown reports the keys BurntSushi/toml left undecoded that name no
// field, at every level with a fixed schema, and keeps the declared extra
// keys in m.Extra.
func tomlUnknown(name string, fm *frontMatter, undecoded []toml.Key, m *storyMatter, extra extraKeys, errs *diag.List) {
	seen := map[string]bool{}
	var all map[string]any
	n := 0
	for _, k := range undecoded {
		depth, known, unknown := unknownTOMLKey(reflectTypeOfMatter, k)
		if !unknown {
			continue
		}
		path := strings.Join(k[:depth+1], ".")
		if seen[path] {
			continue
		}
		seen[path] = true
		if depth == 0 && extra[k[0]] {
			if all == nil {
				if _, err := toml.Decode(string(fm.raw), &all); err != nil {
					continue
				}
			}
			if m.Extra == nil {
				m.Extra = map[string]any{}
			}
			m.Extra[k[0]] = all[k[0]]
			continue
		}
		if n++; n > maxFileErrors+1 {
			return
		}
		pos := tomlKeyPos(name, fm, k[:depth+1])
		if depth == 0 {
			errs.Add(unknownField(pos, k[0], known))
			continue
		}
		e := errs.Errorf(pos, "unknown key %q in `%s`", truncate(k[depth], 80), strings.Join(k[:depth], "."))
		if s := diag.Suggest(k[depth], known); s != "" {
			e.WithHint("did you mean %q?", s)
		} else {
			e.WithHint("known keys here: %s", strings.Join(known, ", "))
		}
	}
}

// unknownTOMLKey follows key through the fields of t and reports the
// depth at which it names no field, with the keys known there. A key that
// lands inside a free-form value (a date given as a table, say) is not
// unknown: decoding that value reports the problem.
func unknownTOMLKey(t reflect.Type, key toml.Key) (depth int, known []string, unknown bool) {
	for i, k := range key {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return 0, nil, false
		}
		fi := structFields(t)
		idx, ok := fi.byKey[k]
		if !ok {
			return i, fi.keys, true
		}
		t = t.Field(idx).Type
	}
	return 0, nil, false
}

// tomlKeyPos finds the line of a key path in TOML front matter: the line
// that defines it (a key = value line under its table, or its table
// header), else the line of the closest enclosing key. BurntSushi/toml
// does not report key positions.
func tomlKeyPos(name string, fm *frontMatter, key []string) diag.Pos {
	best, bestScore := diag.Pos{File: name, Line: fm.startLine}, -1
	var table []string
	for i, l := range strings.Split(string(fm.raw), "\n") {
		var full []string
		col := 0
		if m := tomlArrayTableRE.FindStringSubmatchIndex(l); m != nil {
			table = strings.Split(l[m[2]:m[3]], ".")
			full, col = table, m[2]
		} else if m := tomlTableRE.FindStringSubmatchIndex(l); m != nil {
			table = strings.Split(l[m[2]:m[3]], ".")
			full, col = table, m[2]
		} else if m := tomlDottedKeyRE.FindStringSubmatchIndex(l); m != nil {
			full = append(append([]string(nil), table...), strings.Split(strings.ReplaceAll(l[m[2]:m[3]], " ", ""), ".")...)
			col = m[2]
		} else {
			continue
		}
		score := commonPrefix(full, key)
		if score < len(full) && score < len(key) {
			continue // another branch
		}
		if score == len(key) {
			score++ // defines the key itself, or a key inside it
		}
		if score > bestScore {
			best, bestScore = diag.Pos{File: name, Line: fm.startLine + i, Col: col + 1}, score
		}
	}
	return best
}

var tomlDottedKeyRE = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=`)

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// tomlLineRE finds the block-relative line BurntSushi/toml names in the
// text of errors that are not a toml.ParseError (type mismatches).
var tomlLineRE = regexp.MustCompile(`^toml: (?:line (\d+) )?(?:\(last key "([^"]*)"\))?:? ?`)

// tomlError turns a BurntSushi/toml error into a positioned error, with
// the line counted in the file rather than in the front matter block.
func tomlError(name string, fm *frontMatter, err error) *diag.Error {
	pos := diag.Pos{File: name, Line: fm.startLine}
	msg := err.Error()
	if pe, ok := err.(toml.ParseError); ok {
		if pe.Position.Line > 0 {
			pos.Line = fm.startLine + pe.Position.Line - 1
			pos.Col = pe.Position.Col
		}
		msg = pe.Message
	} else if m := tomlLineRE.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			pos.Line = fm.startLine + n - 1
		} else if m[2] != "" {
			pos = tomlKeyPos(name, fm, strings.Split(m[2], "."))
		}
		msg = msg[len(m[0]):]
		if m[2] != "" {
			msg = "`" + m[2] + "`: " + msg
		}
	}
	return &diag.Error{Pos: pos, Msg: "TOML: " + msg, Err: err}
}

var (
	tomlKeyRE        = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=`)
	tomlArrayTableRE = regexp.MustCompile(`^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]`)
	tomlTableRE      = regexp.MustCompile(`^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]`)
)

// tomlValuePos is where the text of the value after "key =" (ending at
// byte eq of line l) starts: past an opening quote; for a multi-line
// string (""" or ”'), the next line, column 0, as valuePos does for YAML.
func tomlValuePos(pos diag.Pos, l string, eq int) diag.Pos {
	i := eq
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	rest := l[i:]
	switch {
	case strings.HasPrefix(rest, `"""`) || strings.HasPrefix(rest, "'''"):
		return diag.Pos{File: pos.File, Line: pos.Line + 1}
	case strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "'"):
		i++
	}
	return diag.Pos{File: pos.File, Line: pos.Line, Col: i + 1}
}

// tomlKeyLines finds the line of each top-level key, and of each entry of a
// top-level array of tables ([[approved_by]] as approved_by.0, .1, …).
// BurntSushi/toml does not report key positions; a key = value line is
// unambiguous enough to find.
func tomlKeyLines(name string, fm *frontMatter) map[string]diag.Pos {
	lines := map[string]diag.Pos{}
	tables := false
	count := map[string]int{}
	for i, l := range strings.Split(string(fm.raw), "\n") {
		pos := diag.Pos{File: name, Line: fm.startLine + i}
		if m := tomlArrayTableRE.FindStringSubmatch(l); m != nil {
			tables = true
			if _, dup := lines[m[1]]; !dup {
				lines[m[1]] = pos
			}
			lines[m[1]+"."+strconv.Itoa(count[m[1]])] = pos
			count[m[1]]++
			continue
		}
		if m := tomlTableRE.FindStringSubmatch(l); m != nil {
			if _, dup := lines[m[1]]; !dup {
				lines[m[1]] = pos // [investment]: the table's line
			}
		}
		if strings.HasPrefix(strings.TrimSpace(l), "[") {
			tables = true // tables follow; top-level keys are done
		}
		if tables {
			continue
		}
		if m := tomlKeyRE.FindStringSubmatchIndex(l); m != nil {
			key := l[m[2]:m[3]]
			if _, dup := lines[key]; !dup {
				lines[key] = pos
				if textFields[key] || valueFields[key] {
					lines[key+"="] = tomlValuePos(pos, l, m[1])
				}
			}
		}
	}
	return lines
}

// timeField reads a date or a date and time, given as a YAML string or
// timestamp or a TOML date-time, local date-time or local date. A date
// alone comes back in model.DateOnly and a time without a zone in
// model.LocalTime: the model reads both in the site's time zone.
func timeField(pos diag.Pos, key string, v any, errs *diag.List) time.Time {
	switch x := v.(type) {
	case nil:
		return time.Time{}
	case time.Time:
		// BurntSushi/toml marks local values by the name of their location.
		switch x.Location().String() {
		case "date-local":
			return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, model.DateOnly)
		case "datetime-local":
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), 0, model.LocalTime)
		case "time-local":
			errs.Errorf(pos, "%s %s is a time without a date", key, x.Format("15:04:05")).WithHint(whenHint)
			return time.Time{}
		}
		return x
	case string:
		if strings.TrimSpace(x) == "" {
			return time.Time{}
		}
		t, ok := parseWhen(x)
		if !ok {
			errs.Errorf(pos, "%s %q is not a date", key, truncate(x, 40)).WithHint(whenHint)
		}
		return t
	default:
		errs.Errorf(pos, "%s %v is not a date", key, v).WithHint(whenHint)
	}
	return time.Time{}
}

var datePrefixRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`)

// validSlug reports whether a story's `slug:` can be its address: ASCII
// lower-case letters, digits and dashes as always, or a slug in any script
// as package slug makes it from a name ("健康", "здоровье").
func validSlug(s string) bool {
	if slugRE.MatchString(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return len(s) <= 200 && slug.Make(s) == s
		}
	}
	return false
}

// readStory reads one Markdown file.
func readStory(fsys fs.FS, name, section string, extra extraKeys, errs *diag.List) *model.Story {
	return readStoryIn(fsys, name, "", section, extra, errs)
}

// readStoryIn reads one Markdown file: the index.md of the page bundle
// bundle (its folder), or a story of its own when bundle is "".
func readStoryIn(fsys fs.FS, name, bundle, section string, extra extraKeys, errs *diag.List) *model.Story {
	src, ok := readMarkdown(fsys, name, errs)
	if !ok {
		return nil
	}
	fm, body, bodyLine, ok := splitFrontMatter(name, src, errs)
	if !ok {
		return nil
	}
	var m storyMatter
	if fm != nil && !decodeMatter(name, fm, &m, extra, errs) {
		return nil
	}
	checkSectionKeys(false, m.Lines, errs)
	s := &model.Story{
		Path:      name,
		Section:   section,
		Title:     strings.TrimSpace(m.Title),
		Summary:   strings.TrimSpace(m.Summary),
		Partners:  m.Partners,
		Metrics:   m.Metrics,
		Tags:      m.Tags,
		Image:     m.Image,
		ImageAlt:  m.ImageAlt,
		Draft:     m.Draft,
		Spotlight: m.Spotlight,
		Weight:    m.Weight,
		Extra:     m.Extra,
		Body:      body,
		BodyLine:  bodyLine,
		Lines:     m.Lines,
		Bundle:    bundle,
	}
	if s.Lines == nil {
		s.Lines = map[string]diag.Pos{}
	}
	filePos := diag.Pos{File: name, Line: 1}
	if fm == nil {
		errs.Errorf(filePos, "the file has no front matter").
			WithHint("start it with a block between --- lines holding at least `title:` and `date:`")
		return nil
	}
	if s.Title == "" {
		errs.Errorf(filePos, "no title in the front matter").WithHint("add `title: …`")
	}
	if n := len([]rune(s.Title)); n > 300 {
		errs.Errorf(s.Pos("title"), "the title is %d characters long; keep it under 300", n)
	}
	s.Date = timeField(s.Pos("date"), "date", m.Date, errs)
	if section == "stories" && m.Date == nil {
		errs.Errorf(filePos, "no date in the front matter").WithHint("add `date: YYYY-MM-DD`; it decides when the story is published")
	}
	s.EmbargoUntil = timeField(s.Pos("embargo_until"), "embargo_until", m.EmbargoUntil, errs)
	if m.Period != nil {
		var raw string
		switch v := m.Period.(type) {
		case string:
			raw = v
		case time.Time:
			raw = v.Format("2006-01-02")
		default:
			raw = fmt.Sprint(v)
		}
		if p, err := model.ParsePeriod(raw); err != nil {
			errs.Errorf(s.Pos("period"), "period: %v", err).WithHint("the period the story is about, such as `period: 2026-Q3`: its card shows figures as of then")
		} else {
			s.Period = p
		}
	}
	switch k := model.Kind(strings.ToLower(m.Kind)); {
	case m.Kind == "":
		s.Kind = model.KindStory
	case validKind(k):
		s.Kind = k
	default:
		errs.Errorf(s.Pos("kind"), "kind %q is not a story kind", m.Kind).WithHint("use story, spotlight, roi or lesson")
	}
	if s.Kind == model.KindSpotlight && s.Spotlight == "" {
		errs.Errorf(s.Pos("kind"), "a spotlight story needs `spotlight: <partner id>` naming the partner it recognises")
	}
	s.ROI = readROI(&m, s, errs)
	if m.Investment != nil || len(m.Results) > 0 || len(m.Returns) > 0 || m.Headline != "" {
		// What a partner approves of an ROI story includes the numbers it
		// declares; a canonical encoding of them goes into the fingerprint.
		if b, err := json.Marshal(struct {
			Investment *investmentMatter
			Results    []resultMatter
			Returns    []returnMatter
			Headline   string
		}{m.Investment, m.Results, m.Returns, m.Headline}); err == nil {
			s.Declared = string(b)
		}
	}
	if s.Image != "" && !(bundle != "" && relativeAddress(s.Image)) && !checkLocalURL(s.Pos("image"), "image", s.Image, errs) {
		if relativeAddress(s.Image) && !strings.Contains(s.Image, "..") {
			(*errs)[len(*errs)-1].WithHint("write /images/%s for static/images/%s; a name alone is a photo beside the story in a page bundle (%s/index.md with the photo beside it)",
				path.Base(s.Image), path.Base(s.Image), strings.TrimSuffix(name, path.Ext(name)))
		}
		s.Image = ""
	}
	for i, a := range m.ApprovedBy {
		ap := model.Approval{Partner: a.Partner, By: a.By, Fingerprint: a.Fingerprint, Pos: a.Pos}
		if ap.Pos.File == "" {
			ap.Pos = linePos(s.Lines, "approved_by."+strconv.Itoa(i), s.Pos("approved_by"))
		}
		if ap.Partner == "" {
			errs.Errorf(ap.Pos, "an approval has no partner").WithHint("write `- partner: <partner id>` with `by:` and `on:`")
			continue
		}
		if strings.TrimSpace(ap.By) == "" {
			errs.Errorf(ap.Pos, "the approval of %q does not say who approved (`by:`)", ap.Partner)
		}
		ap.Date = timeField(ap.Pos, "on", a.On, errs)
		if ap.Date.IsZero() {
			if a.On == nil {
				errs.Errorf(ap.Pos, "the approval of %q has no date (`on:`)", ap.Partner)
			}
		} else {
			ap.On = ap.Date.Format("2006-01-02")
		}
		s.Approvals = append(s.Approvals, ap)
	}
	// The slug: given, or from the file name (of a page bundle, its folder's).
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if bundle != "" {
		base = path.Base(bundle)
	}
	if m.Slug != "" {
		if !validSlug(m.Slug) {
			e := errs.Errorf(s.Pos("slug"), "slug %q may use only lower-case letters, digits and dashes", truncate(m.Slug, 80))
			if ex := slugify(m.Slug); ex != "" {
				e.WithHint("for example %q", ex)
			}
			return nil
		}
		s.Slug = m.Slug
	} else {
		s.Slug = slugify(datePrefixRE.ReplaceAllString(base, ""))
		if s.Slug == "" {
			if bundle != "" {
				errs.Errorf(filePos, "cannot make a web address from the folder name %q", base).
					WithHint("rename the folder with letters and digits, or add `slug:` to the front matter")
				return nil
			}
			errs.Errorf(filePos, "cannot make a web address from the file name %q", path.Base(name)).
				WithHint("rename the file with letters and digits, or add `slug:` to the front matter")
			return nil
		}
	}
	if reservedName(s.Slug) {
		errs.Errorf(s.Pos("slug"), "the web address %q is a reserved device name on Windows (CON, PRN, AUX, NUL, COM1…, LPT1…)", s.Slug).
			WithHint("rename the file, or give the story another `slug:`")
		return nil
	}
	readCover(fsys, s, &m, errs)
	return s
}

// readStories reads every .md file under dir: each is a story, except in
// a page bundle, a folder below dir holding an index.md, whose story is
// its index.md alone (its other files are its photos).
func readStories(fsys fs.FS, dir, section string, extra extraKeys, errs *diag.List) []*model.Story {
	files, bundles := storyFiles(fsys, dir, errs)
	stories := make([]*model.Story, len(files))
	lists := make([]diag.List, len(files))
	par.Do(len(files), func(i int) {
		stories[i] = readStoryIn(fsys, files[i], bundles[i], section, extra, &lists[i])
		readBody(fsys, stories[i], &lists[i])
	})
	var out []*model.Story
	for i, s := range stories {
		capErrors(errs, lists[i])
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// readNewsletters reads content/newsletter/YYYY-MM.md.
func readNewsletters(fsys fs.FS, extra extraKeys, errs *diag.List) []*model.Newsletter {
	files := filesWithExt(fsys, "content/newsletter", ".md", errs)
	var out []*model.Newsletter
	for _, name := range files {
		base := strings.TrimSuffix(path.Base(name), path.Ext(name))
		month, err := model.ParsePeriod(base)
		if err != nil || month.Kind != model.Month {
			errs.Errorf(diag.Pos{File: name}, "a newsletter file must be named after its month, like 2026-10.md")
			continue
		}
		src, ok := readMarkdown(fsys, name, errs)
		if !ok {
			continue
		}
		fm, body, bodyLine, ok := splitFrontMatter(name, src, errs)
		if !ok {
			continue
		}
		var m storyMatter
		if fm == nil {
			errs.Errorf(diag.Pos{File: name, Line: 1}, "the newsletter has no front matter").WithHint("start it with --- lines holding `subject:` and `preheader:`")
			continue
		}
		if !decodeMatter(name, fm, &m, extra, errs) {
			continue
		}
		checkSectionKeys(true, m.Lines, errs)
		n := &model.Newsletter{Path: name, Month: month, Subject: strings.TrimSpace(m.Subject), Preheader: strings.TrimSpace(m.Preheader),
			Items: m.Items, Spotlight: m.Spotlight, Body: body, BodyLine: bodyLine, Lines: m.Lines,
			Greeting: strings.TrimSpace(m.Greeting), GreetingFallback: strings.TrimSpace(m.GreetingFallback)}
		pos := func(k string) diag.Pos { return linePos(n.Lines, k, diag.Pos{File: name, Line: 1}) }
		if n.Subject == "" {
			errs.Errorf(pos("subject"), "the newsletter has no subject").WithHint("add `subject: …` (at most 60 characters)")
		} else if !strings.Contains(n.Subject, "{{") {
			model.CheckSubjectLength(n.Subject, pos("subject"), errs)
		}
		if !strings.Contains(n.Preheader, "{{") {
			model.CheckPreheaderLength(n.Preheader, pos("preheader"), errs)
		}
		n.Date = timeField(pos("date"), "date", m.Date, errs)
		if err := model.CheckGreeting(n.Greeting, n.GreetingFallback); err != nil && (n.Greeting != "" || n.GreetingFallback != "") {
			k := "greeting"
			if n.Greeting == "" {
				k = "greeting_fallback"
			}
			errs.Errorf(pos(k), "%v", err).WithHint("write it like `greeting: Dear {name},` with `greeting_fallback: Dear partners,`")
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[j].Month.Before(out[i].Month) })
	return out
}

var _ = fmt.Sprint
var _ = strconv.Itoa

// readROI checks the ROI fields of the front matter and returns what they
// declare, or nil. They belong to stories of kind roi only; the figures
// are worked out against the data by the model.
func readROI(m *storyMatter, s *model.Story, errs *diag.List) *model.ROI {
	if s.Kind != model.KindROI || s.Section != "stories" {
		for _, k := range []struct {
			key string
			set bool
		}{{"investment", m.Investment != nil}, {"results", len(m.Results) > 0}, {"returns", len(m.Returns) > 0}, {"headline", m.Headline != ""}} {
			switch {
			case !k.set:
			case s.Section != "stories":
				errs.Errorf(s.Pos(k.key), "`%s:` belongs to ROI stories under content/stories/, not to a page", k.key)
			default:
				errs.Errorf(s.Pos(k.key), "`%s:` belongs to ROI stories, but this story is of kind %s", k.key, s.Kind).
					WithHint("set `kind: roi`, or remove `%s:`", k.key)
			}
		}
		return nil
	}
	if m.Investment == nil || len(m.Results) == 0 {
		missing := "investment:"
		if m.Investment != nil {
			missing = "results:"
		} else if len(m.Results) == 0 {
			missing = "investment: and results:"
		}
		errs.Errorf(s.Pos("kind"), "an ROI story needs %s in its front matter", missing).
			WithHint("declare what the partners put in (investment: with from, to, cash and in_kind) and the results it claims (results: with metric, from and to); see docs/formats.md")
		return nil
	}
	before := len(*errs)
	inv := m.Investment
	r := &model.ROI{Pos: linePos(s.Lines, "investment", or(inv.Pos, s.Pos("investment")))}
	period := func(lines map[string]diag.Pos, key, v string, fallback diag.Pos) (model.Period, bool) {
		if strings.TrimSpace(v) == "" {
			errs.Errorf(fallback, "the investment needs `%s:`, a period such as 2025-Q4", key)
			return model.Period{}, false
		}
		p, err := model.ParsePeriod(v)
		if err != nil {
			errs.Errorf(linePos(lines, key, fallback), "investment %s: %v", key, err)
			return model.Period{}, false
		}
		return p, true
	}
	from, ok1 := period(inv.Lines, "from", inv.From, r.Pos)
	to, ok2 := period(inv.Lines, "to", inv.To, r.Pos)
	if ok1 && ok2 {
		if to.Start().Before(from.Start()) {
			errs.Errorf(linePos(inv.Lines, "to", r.Pos), "the investment runs to %s, which is before it starts (%s)", to.Label(), from.Label()).
				WithHint("`from:` is the first period of the investment, `to:` the last")
		}
		r.Period = model.Span{First: from, Last: to}
	}
	r.ContributionsPos = linePos(inv.Lines, "from_contributions", r.Pos)
	switch x := inv.FromContributions.(type) {
	case nil:
	case bool:
		r.AllContributions = x
	case string:
		r.Contributions = []string{x}
	case []any:
		for _, v := range x {
			id, ok := v.(string)
			if !ok || id == "" {
				errs.Errorf(r.ContributionsPos, "from_contributions lists %v, which is not a partner id", v)
				continue
			}
			r.Contributions = append(r.Contributions, id)
		}
	default:
		errs.Errorf(r.ContributionsPos, "from_contributions should be true or a list of partner ids, not %v", x)
	}
	amounts := func(key string, list []amountMatter, cash bool) {
		for i, a := range list {
			p := a.Pos
			if p.File == "" {
				p = linePos(s.Lines, "investment."+key+"."+strconv.Itoa(i), linePos(inv.Lines, key, r.Pos))
			}
			what := "an in-kind entry"
			if cash {
				what = "a cash entry"
			}
			if strings.TrimSpace(a.Partner) == "" {
				errs.Errorf(p, "%s has no partner", what).WithHint("write `partner: <partner id>`")
				continue
			}
			ok := true
			for _, f := range []struct {
				name string
				v    *float64
			}{{"amount", a.Amount}, {"hours", a.Hours}, {"rate", a.Rate}} {
				if f.v != nil && (math.IsNaN(*f.v) || math.IsInf(*f.v, 0) || *f.v < 0) {
					errs.Errorf(p, "%s of %q: %s must be a number of 0 or more", what, a.Partner, f.name)
					ok = false
				}
			}
			switch {
			case !ok:
			case cash && (a.Hours != nil || a.Rate != nil && a.Metric == ""):
				errs.Errorf(p, "cash from %q is an amount; time (hours × rate) belongs under in_kind:", a.Partner)
			case a.Metric != "" && (a.Amount != nil || a.Hours != nil):
				errs.Errorf(p, "%s of %q gives both a metric and an amount or hours; give one", what, a.Partner)
			case a.Metric != "":
			case a.Amount != nil && (a.Hours != nil || a.Rate != nil):
				errs.Errorf(p, "%s of %q gives both an amount and hours × rate; give one", what, a.Partner)
			case a.Amount != nil:
			case !cash && a.Hours != nil && a.Rate != nil:
			case cash:
				errs.Errorf(p, "cash from %q has no amount", a.Partner).WithHint("write `amount: 1200`, in the site's currency, or point at an input metric with `metric:`")
			default:
				errs.Errorf(p, "%s of %q needs an amount (goods at a value), hours and rate (time), or an input metric", what, a.Partner)
			}
			r.Investments = append(r.Investments, model.Investment{Partner: a.Partner, Cash: cash, Amount: a.Amount, Hours: a.Hours, Rate: a.Rate,
				Metric: a.Metric, Note: strings.TrimSpace(a.Note), Pos: p})
		}
	}
	amounts("cash", inv.Cash, true)
	amounts("in_kind", inv.InKind, false)
	for i, res := range m.Results {
		p := res.Pos
		if p.File == "" {
			p = linePos(s.Lines, "results."+strconv.Itoa(i), s.Pos("results"))
		}
		c := model.Claim{Metric: strings.TrimSpace(res.Metric), Partner: strings.TrimSpace(res.Partner), Pos: p,
			FromPos: linePos(res.Lines, "from", p), ToPos: linePos(res.Lines, "to", p)}
		if c.Metric == "" {
			errs.Errorf(p, "a result has no metric").WithHint("write `metric: <metric id>` with `from:` and `to:`")
			continue
		}
		span := func(key, v string, at diag.Pos) (model.Span, bool) {
			if strings.TrimSpace(v) == "" {
				errs.Errorf(p, "the result %q needs `%s:`, a period such as 2025-Q3 or a span such as 2025-Q2..2025-Q3", c.Metric, key)
				return model.Span{}, false
			}
			sp, err := model.ParseSpan(v)
			if err != nil {
				errs.Errorf(at, "the result %q, %s: %v", c.Metric, key, err)
				return model.Span{}, false
			}
			return sp, true
		}
		var ok1, ok2 bool
		c.From, ok1 = span("from", res.From, c.FromPos)
		c.To, ok2 = span("to", res.To, c.ToPos)
		if ok1 && ok2 {
			r.Results = append(r.Results, c)
		}
	}
	for i, rt := range m.Returns {
		p := rt.Pos
		if p.File == "" {
			p = linePos(s.Lines, "returns."+strconv.Itoa(i), s.Pos("returns"))
		}
		if strings.TrimSpace(rt.Partner) == "" || strings.TrimSpace(rt.Got) == "" {
			errs.Errorf(p, "each entry under returns: needs `partner:` and `got:`").
				WithHint("for example: - {partner: lakeside-clinic, got: Reached children it had not seen in months}")
			continue
		}
		r.Returns = append(r.Returns, model.Return{Partner: strings.TrimSpace(rt.Partner), Got: strings.TrimSpace(rt.Got), Pos: p})
	}
	if h := strings.TrimSpace(m.Headline); h != "" {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(h, "{{"), "}}"))
		r.Headline = strings.TrimPrefix(h, "roi:")
		r.HeadlinePos = s.Pos("headline")
	}
	if len(*errs) != before {
		return nil
	}
	return r
}

func or(p, fallback diag.Pos) diag.Pos {
	if p.File == "" {
		return fallback
	}
	return p
}
