// Package search builds the site's search index: the words of every
// document, folded (lower case, accents dropped) and split into shards by
// their first letters, so that the search page's script loads only the
// shards a query needs. It knows nothing of the model: the render hands it
// documents (see Doc) and writes the files it returns.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case without its accents: "Santé" → "sante".
// The search page's script folds a query the same way
// (String.prototype.normalize("NFD") and dropping the marks).
func Fold(s string) string {
	if ascii(s) {
		return strings.ToLower(s)
	}
	// ASCII letters are lowered a byte at a time; only the runs of other
	// characters go through NFD. That is the same as NFD of the whole
	// string: an ASCII character is a starter, which no decomposition
	// crosses and no reordering of marks moves past.
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		for _, r := range norm.NFD.String(s[i:j]) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
		i = j
	}
	return b.String()
}

// stop holds the English words not indexed: they are in nearly every
// document and tell nothing apart.
var stop = func() map[string]bool {
	m := map[string]bool{}
	// Tokens skips the look-up for words longer than 5 bytes.
	for _, w := range strings.Fields(`a an and are as at be but by for from has have in into is it its
		of on or that the their this to was were will with we our not no than then there these they
		which who also been can had he she his her them so such if do does did about after all more
		most other over up out new per one two`) {
		m[w] = true
	}
	return m
}()

// Stop reports whether w (folded) is a stop word, which is not indexed.
func Stop(w string) bool { return stop[w] }

// Words returns the folded words of s in order, stop words included:
// runs of letters and digits, split at every other character.
func Words(s string) []string {
	f := Fold(s)
	out := make([]string, 0, len(f)/8)
	start := -1
	for i := 0; i < len(f); {
		c, size := f[i], 1
		var word bool
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(f[i:])
			word = unicode.IsLetter(r) || unicode.IsNumber(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			out = append(out, f[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, f[start:])
	}
	return out
}

// Tokens returns the words of s that are indexed: folded, not stop words,
// of two characters or more (one digit alone counts).
func Tokens(s string) []string {
	ws := Words(s)
	out := ws[:0]
	for _, w := range ws {
		// A word of 5 bytes or more has 2 runes or more, and is no stop
		// word (the longest have 5 letters): most words need no count
		// and no look-up.
		n := len(w)
		if n > maxWord || n <= 5 && (stop[w] || utf8.RuneCountInString(w) < 2 && !isDigit(w)) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// maxWord bounds the bytes of an indexed word: a longer run of letters is
// no word a reader types.
const maxWord = 40

func isDigit(w string) bool { return len(w) == 1 && w[0] >= '0' && w[0] <= '9' }

// Stem strips a folded word's common English endings, so that "clinics"
// and "clinic", "trained" and "training" meet: plurals ("-s", "-es" after
// s/x/z/ch/sh, "-ies" → "-y"), then "-ing" and "-ed" when a vowel is left
// before them, with a doubled final consonant made single ("running" →
// "run"). Words of three letters or fewer, and words with a letter beyond
// ASCII, are kept. search.js has the
// same function (stem); TestStemAgreesWithScript checks they agree.
func Stem(w string) string {
	n := len(w)
	if n <= 3 || !ascii(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		w = w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		w = w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case strings.HasSuffix(w, "eed"):
		return w[:n-1]
	case strings.HasSuffix(w, "ing") && n > 5 && vowel(w[:n-3]):
		w = w[:n-3]
	case strings.HasSuffix(w, "ed") && n > 4 && vowel(w[:n-2]):
		w = w[:n-2]
	default:
		return w
	}
	n = len(w)
	if n >= 3 && w[n-1] == w[n-2] && consonant(w[n-1]) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z' {
		w = w[:n-1]
	}
	return w
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func vowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }

func consonant(c byte) bool {
	return c >= 'a' && c <= 'z' && !strings.ContainsRune("aeiouy", rune(c))
}
