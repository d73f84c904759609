package model

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldText returns text as partner names are compared with it: in Unicode
// compatibility form (NFKD, which folds what NFKC folds: fullwidth
// letters, ligatures and no-break spaces become plain ones), without
// default-ignorable code points (zero width spaces and joiners, the soft
// hyphen, the word joiner, byte-order marks, variation selectors) or
// combining marks (so accents do not count: "Sao" is "São"), with
// look-alike letters taken as the Latin letters they imitate (see
// confusables), in lower case.
//
// ASCII letters keep their case (the finder lower-cases ASCII itself,
// word by word), and a text of ASCII only is returned as it is, without a
// copy.
func foldText(text []byte) []byte {
	i := 0
	for i < len(text) && text[i] < utf8.RuneSelf {
		i++
	}
	if i == len(text) {
		return text
	}
	// Ignorable code points go first, so that they do not stand between a
	// letter and its marks. Runs of ASCII are
	// copied whole.
	clean := make([]byte, 0, len(text))
	clean = append(clean, text[:i]...)
	for i < len(text) {
		j := i
		for j < len(text) && text[j] < utf8.RuneSelf {
			j++
		}
		clean = append(clean, text[i:j]...)
		if j == len(text) {
			break
		}
		r, n := utf8.DecodeRune(text[j:])
		if !ignorable(r) {
			clean = append(clean, text[j:j+n]...)
		}
		i = j + n
	}
	if !norm.NFKD.IsNormal(clean) {
		clean = norm.NFKD.Bytes(clean)
	}
	// ASCII stays as it is (the finder lower-cases it); other letters are
	// folded one by one.
	out := make([]byte, 0, len(clean))
	for i := 0; i < len(clean); {
		j := i
		for j < len(clean) && clean[j] < utf8.RuneSelf {
			j++
		}
		out = append(out, clean[i:j]...)
		if j == len(clean) {
			break
		}
		r, n := utf8.DecodeRune(clean[j:])
		i = j + n
		if unicode.Is(unicode.Mn, r) || ignorable(r) {
			continue
		}
		out = utf8.AppendRune(out, foldRune(r))
	}
	return out
}

// foldString is foldText for a string, always in lower case.
func foldString(s string) string {
	b := foldText([]byte(s))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// foldRune returns the letter r is taken for, in lower case.
func foldRune(r rune) rune {
	if l, ok := confusables[r]; ok {
		return l
	}
	r = unicode.ToLower(r)
	if l, ok := confusables[r]; ok {
		return l
	}
	return r
}

// ignorable is whether r is a default-ignorable code point: invisible,
// it may sit inside a word without changing how the word looks. The soft
// hyphen shows only at a line break.
func ignorable(r rune) bool {
	switch {
	case r < 0xAD:
		return false
	case r == 0xAD, r == 0x34F, r == 0x61C, r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5,
		r >= 0x180B && r <= 0x180F, r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x206F, r == 0x3164, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF, r == 0xFFA0,
		r >= 0xFFF0 && r <= 0xFFF8, r >= 0x1BCA0 && r <= 0x1BCA3, r >= 0x1D173 && r <= 0x1D17A,
		r >= 0xE0000 && r <= 0xE0FFF:
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}
