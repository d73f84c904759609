// Package slug makes the address part of a web page from a name: a tag, a
// story's file name. It is the only place drumbeat turns names into URL
// slugs, so that load (file names, the hints of invalid ids) and model
// (tags) agree.
package slug

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxLen is the most bytes a slug has: a file system's limit on one name,
// so that a page can be written at tags/<slug>/index.html. Make cuts a
// longer slug at a letter's boundary.
const MaxLen = 255

// Make returns the slug of name, in lower case, with letters and digits of
// any script, and one hyphen for every run of other characters, without a
// hyphen at either end:
//
//	"Cold chain"       → "cold-chain"
//	"Women's health"   → "women-s-health" (as drumbeat has always made it)
//	"Santé", "Über"    → "sante", "uber"
//	"São Tomé"         → "sao-tome"
//	"Straße"           → "strasse"
//	"İstanbul", "KIRŞEHİR", "Kırşehir" → "istanbul", "kirsehir", "kirsehir"
//	"ﬁnance" (ligature) → "finance"
//	"健康", "Здоровье"  → "健康", "здоровье"
//	"🌍" or "!!!"       → "" (the caller warns)
//
// It works in the Unicode compatibility form (NFKD), so fullwidth letters,
// ligatures and superscripts become plain ones. Accents on Latin and Greek
// letters are dropped (é is e); in other scripts a combining mark is part
// of the spelling and stays (й, हिन्दी and が keep theirs). ß is ss and
// Turkish ı is i. Emoji, punctuation and symbols separate words; invisible characters
// (zero-width joiners, the soft hyphen) are left out without separating.
// The result is in NFC, the form browsers send, and Make(Make(s)) is
// Make(s). A name of ASCII only gives the same slug as drumbeat's former
// ASCII-only function, so no existing address moves.
func Make(name string) string {
	if ascii(name) {
		return cut(asciiSlug(name), MaxLen)
	}
	var b strings.Builder
	dash := false
	keepMarks := false // the last rune kept is a letter whose marks stay
	// Bytes that are not UTF-8 separate words, and must go before NFKD,
	// which leaves the letter after one undecomposed.
	name = strings.ToValidUTF8(name, "\uFFFD")
	for _, r := range norm.NFKD.String(name) {
		switch {
		case r == 'ß' || r == 'ẞ' || r == 'ı':
			// Letters NFKD leaves whole but readers expect spelled in
			// plain ones: ß is ss, as in Hugo and Zola; Turkish dotless
			// ı is i, since its capital I is ASCII's and the dotted İ
			// loses its dot, so that "KIR" and "kır" (and "İzmir" and
			// "izmir") each make one slug. Other letters without a
			// decomposition (ł, ø, æ, ð) stay.
			if r == 'ı' {
				b.WriteByte('i')
			} else {
				b.WriteString("ss")
			}
			dash, keepMarks = false, false
		case unicode.Is(unicode.M, r):
			if keepMarks {
				b.WriteRune(r)
			}
		case ignorable(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			dash = false
			keepMarks = unicode.IsLetter(r) && !unicode.In(r, unicode.Latin, unicode.Greek)
		default:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
			keepMarks = false
		}
	}
	out := norm.NFC.String(strings.TrimSuffix(b.String(), "-"))
	return cut(out, MaxLen)
}

// Cut returns s, a slug, cut to at most n bytes at a character's boundary,
// without a hyphen at the end.
func Cut(s string, n int) string { return cut(s, n) }

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	s = s[:i]
	// A letter may lose a mark that followed it: what is left is still a
	// slug.
	return strings.TrimSuffix(s, "-")
}

// ASCII returns Make(name) with what is not ASCII left out, for the hints
// of ids that may use only ASCII letters and digits: "Santé Clinic" →
// "sante-clinic". It may be "".
func ASCII(name string) string {
	s := Make(name)
	if ascii(s) {
		return s
	}
	return asciiSlug(strings.Map(func(r rune) rune {
		if r >= utf8.RuneSelf {
			return ' '
		}
		return r
	}, s))
}

// asciiSlug is drumbeat's former slug function, for names of ASCII only.
func asciiSlug(s string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ignorable reports whether r is invisible in text and left out of a slug
// without separating words: format characters (zero-width joiners and
// spaces, the soft hyphen, bidirectional controls, the byte-order mark)
// and variation selectors.
func ignorable(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}
