package model

// confusables maps Cyrillic, Greek, Armenian, Coptic, Lisu and Cherokee
// letters (and Latin small capitals and a few other Latin ones) that
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
	// Latin small capitals (found in review: "ɴᴏrthgate").
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g',
	'ʜ': 'h', 'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n',
	'ᴏ': 'o', 'ᴘ': 'p', 'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v',
	'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',
	// Armenian.
	'օ': 'o', 'Օ': 'o', 'ս': 'u', 'Ս': 'u', 'ց': 'g', 'հ': 'h', 'ո': 'n',
	'ռ': 'n', 'զ': 'q', 'Տ': 's', 'Լ': 'l', 'ա': 'w',
	// Coptic.
	'ⲁ': 'a', 'Ⲁ': 'a', 'ⲉ': 'e', 'Ⲉ': 'e', 'ⲓ': 'i', 'Ⲓ': 'i', 'ⲕ': 'k',
	'Ⲕ': 'k', 'ⲙ': 'm', 'Ⲙ': 'm', 'ⲛ': 'n', 'Ⲛ': 'n', 'ⲟ': 'o', 'Ⲟ': 'o',
	'ⲣ': 'p', 'Ⲣ': 'p', 'ⲧ': 't', 'Ⲧ': 't', 'ⲭ': 'x', 'Ⲭ': 'x', 'Ⲏ': 'h',
	// Lisu, whose letters are shaped as Latin capitals.
	'ꓐ': 'b', 'ꓑ': 'p', 'ꓒ': 'd', 'ꓓ': 'd', 'ꓔ': 't', 'ꓖ': 'g', 'ꓗ': 'k',
	'ꓙ': 'j', 'ꓚ': 'c', 'ꓜ': 'z', 'ꓝ': 'f', 'ꓠ': 'n', 'ꓡ': 'l', 'ꓢ': 's',
	'ꓣ': 'r', 'ꓦ': 'v', 'ꓧ': 'h', 'ꓪ': 'w', 'ꓫ': 'x', 'ꓬ': 'y', 'ꓮ': 'a',
	'ꓰ': 'e', 'ꓲ': 'i', 'ꓳ': 'o', 'ꓴ': 'u',
	// Cherokee capitals shaped as Latin ones.
	'Ꭺ': 'a', 'Ᏼ': 'b', 'Ꮯ': 'c', 'Ꭰ': 'd', 'Ꭼ': 'e', 'Ꮐ': 'g', 'Ꮋ': 'h',
	'Ꭻ': 'j', 'Ꮶ': 'k', 'Ꮮ': 'l', 'Ꮇ': 'm', 'Ꮲ': 'p', 'Ꮢ': 'r', 'Ꮪ': 's',
	'Ꭲ': 't', 'Ꮩ': 'v', 'Ꮃ': 'w', 'Ꮓ': 'z', 'Ꭵ': 'i',
}
