package model

// confusables maps Cyrillic and Greek letters (and a few Latin ones) that
// look like a Latin letter to that letter, in lower case, so that a name
// written with a look-alike ("Nоrthgate" with a Cyrillic о) is found as
// the name. Both cases are listed: a capital can look like a Latin capital
// when its small letter does not (Cyrillic В, Н; Greek Η, Ν). Fullwidth
// and other compatibility forms are folded by NFKC before this table is
// consulted. After Unicode's confusables.txt, restricted to letters that
// look the same in ordinary text faces.
var confusables = map[rune]rune{
	// Cyrillic capitals.
	'А': 'a', 'В': 'b', 'С': 'c', 'Е': 'e', 'Н': 'h', 'І': 'i', 'Ј': 'j',
	'К': 'k', 'М': 'm', 'О': 'o', 'Р': 'p', 'Ѕ': 's', 'Т': 't', 'Х': 'x',
	'У': 'y', 'Ү': 'y', 'Ԛ': 'q', 'Ԝ': 'w', 'Ӏ': 'l', 'Ԁ': 'd', 'Ԍ': 'g',
	// Cyrillic small letters.
	'а': 'a', 'с': 'c', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'о': 'o',
	'р': 'p', 'ѕ': 's', 'х': 'x', 'у': 'y', 'ү': 'y', 'ԛ': 'q', 'ԝ': 'w',
	'ӏ': 'l', 'ԁ': 'd', 'ɡ': 'g', 'ѵ': 'v', 'в': 'b', 'н': 'h', 'к': 'k',
	'м': 'm', 'т': 't', 'ь': 'b',
	// Greek capitals.
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k',
	'Μ': 'm', 'Ν': 'n', 'Ο': 'o', 'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
	'Ϲ': 'c', 'Ϳ': 'j',
	// Greek small letters.
	'α': 'a', 'β': 'b', 'γ': 'y', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k',
	'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ϲ': 'c',
	'ϳ': 'j', 'ζ': 'z', 'μ': 'u', 'ω': 'w',
	// Latin letters that look like others.
	'ı': 'i', 'ȷ': 'j', 'ſ': 's',
}
