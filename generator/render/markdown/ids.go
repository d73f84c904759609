package markdown

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/slug"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// headingIDs gives headings their ids (the anchors of "#…" links). A
// heading with no letter or digit outside ASCII gets goldmark's id, as
// drumbeat has always given it, so no existing anchor moves ("Women's
// health" → "womens-health"); one with letters of other scripts or accents
// gets slug.Make's slug, as tags and story addresses do ("Santé publique"
// → "sante-publique", "健康" → "健康"), where goldmark would drop those
// letters. An empty id is "heading" (or "id"); an id already used on the
// page gets "-1", "-2"… as in goldmark.
//
// One is made for each document: it is not safe for concurrent use.
type headingIDs struct {
	used map[string]bool
	n    map[string]int // the last number given after each id
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, n: map[string]int{}}
}

// Generate returns a new id for the heading text value (its source, as
// written).
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := ""
	if otherScript(value) {
		id = slug.Make(string(value))
	} else {
		id = goldmarkID(value)
	}
	if id == "" {
		id = "id"
		if kind == ast.KindHeading {
			id = "heading"
		}
	}
	if !s.used[id] {
		s.used[id] = true
		return []byte(id)
	}
	for i := s.n[id] + 1; ; i++ {
		next := fmt.Sprintf("%s-%d", id, i)
		if !s.used[next] {
			s.used[next] = true
			s.n[id] = i
			return []byte(next)
		}
	}
}

// Put marks an id written by hand ({#id}) as used.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}

// otherScript reports whether b holds a letter or digit that is not ASCII.
func otherScript(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
		i += n
	}
	return false
}

// goldmarkID is the id goldmark (v1.8) makes of value, without the
// fallback and the numbering: ASCII letters and digits in lower case, a
// hyphen for each space, hyphen and underscore, the rest left out.
func goldmarkID(value []byte) string {
	value = util.TrimRightSpace(util.TrimLeftSpace(value))
	out := make([]byte, 0, len(value))
	for i := 0; i < len(value); {
		v := value[i]
		l := util.UTF8Len(v)
		i += int(l)
		if l != 1 {
			continue
		}
		switch {
		case util.IsAlphaNumeric(v):
			if 'A' <= v && v <= 'Z' {
				v += 'a' - 'A'
			}
			out = append(out, v)
		case util.IsSpace(v) || v == '-' || v == '_':
			out = append(out, '-')
		}
	}
	return string(out)
}
