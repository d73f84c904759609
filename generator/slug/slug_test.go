package slug

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		// ASCII: exactly what drumbeat's former function made.
		{"Cold chain", "cold-chain"},
		{"Women's health", "women-s-health"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"2026-04-16-saturday-clinics", "2026-04-16-saturday-clinics"},
		{"snake_case_name", "snake-case-name"},
		{"A.B.C", "a-b-c"},
		{"../../etc/passwd", "etc-passwd"},
		{"", ""},
		{"!!!", ""},
		// Latin with accents: folded.
		{"Santé", "sante"},
		{"Über", "uber"},
		{"São Tomé", "sao-tome"},
		{"Crème brûlée", "creme-brulee"},
		{"Sante\u0301", "sante"}, // already decomposed
		{"Łódź", "łodz"},         // ł has no decomposition: it stays a letter
		{"Straße", "strasse"},
		{"STRASSE", "strasse"},
		{"GROẞE", "grosse"},
		{"İstanbul", "istanbul"},
		{"Diyarbakır", "diyarbakir"}, // dotless ı is i: its capital is I
		{"DİYARBAKIR", "diyarbakir"},
		{"KIRŞEHİR", "kirsehir"},
		{"Ørsted Æble", "ørsted-æble"}, // no decomposition: they stay
		{"\U0001D6A4zmir", "izmir"},    // mathematical dotless ı: folded after NFKD
		{"ϔ", "υ"},                     // Greek: its diaeresis goes
		{"\xf2ϔ", "υ"},                 // found by FuzzSlug: bytes that are not UTF-8 separate words
		{"Women’s health", "women-s-health"},
		// Compatibility forms.
		{"ﬁnance", "finance"},
		{"ＦＵＬＬ ｗｉｄｔｈ", "full-width"},
		{"H₂O", "h2o"},
		{"Ⅻ", "xii"},
		{"ｶﾀｶﾅ", "カタカナ"},
		// Other scripts keep their letters (and their marks).
		{"健康", "健康"},
		{"健康 と 安全", "健康-と-安全"},
		{"がっこう", "がっこう"},
		{"Здоровье", "здоровье"},
		{"Мой край", "мой-край"},
		{"Ёлка", "ёлка"},
		{"صحة", "صحة"},
		{"الصحة العامة", "الصحة-العامة"},
		{"हिन्दी", "हिन्दी"},
		{"건강", "건강"},
		{"Υγεία", "υγεια"},
		{"שלום עולם", "שלום-עולם"},
		{"ไทย", "ไทย"},
		{"٣ أشهر", "٣-أشهر"},
		// Emoji, symbols and invisibles.
		{"🌍", ""},
		{"🌍 Climate", "climate"},
		{"Health 🏥 care", "health-care"},
		{"👨‍👩‍👧 family", "family"},
		{"soft\u00adhyphen", "softhyphen"},
		{"zero\u200bwidth", "zerowidth"},
		{"\u202eevil", "evil"},
		{"a/b\\c.d", "a-b-c-d"},
		{"tab\there\nnewline", "tab-here-newline"},
		{"1️⃣ step", "1-step"},
	}
	for _, tt := range tests {
		if got := Make(tt.in); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestASCIIUnchanged checks, rune by rune and on longer names, that a name
// of ASCII only gives the slug drumbeat's former function gave.
func TestASCIIUnchanged(t *testing.T) {
	old := func(s string) string {
		var b strings.Builder
		dash := false
		for _, r := range strings.ToLower(s) {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				b.WriteRune(r)
				dash = false
			case b.Len() > 0 && !dash:
				b.WriteByte('-')
				dash = true
			}
		}
		return strings.TrimSuffix(b.String(), "-")
	}
	var all strings.Builder
	for c := 0; c < utf8.RuneSelf; c++ {
		for _, s := range []string{string(rune(c)), "a" + string(rune(c)) + "b", "X" + string(rune(c)) + string(rune(c)) + "9"} {
			if got, want := Make(s), old(s); got != want {
				t.Errorf("Make(%q) = %q, the former function gave %q", s, got, want)
			}
		}
		all.WriteByte(byte(c))
	}
	for _, s := range []string{all.String(), "Partnership Report: Q3/2026 (draft #2) -- final?", "ROI & cost-per-dose"} {
		if got, want := Make(s), old(s); got != want {
			t.Errorf("Make(%q) = %q, the former function gave %q", s, got, want)
		}
	}
}

func TestCut(t *testing.T) {
	long := strings.Repeat("健", 100) // 300 bytes
	s := Make(long)
	if len(s) > MaxLen || !utf8.ValidString(s) || s != strings.Repeat("健", 85) {
		t.Errorf("Make of 100 CJK letters = %d bytes %q", len(s), s)
	}
	if got := Cut("abc-def", 4); got != "abc" {
		t.Errorf("Cut = %q", got)
	}
	if got := Cut("ab健", 4); got != "ab" {
		t.Errorf("Cut = %q", got)
	}
}

func TestASCII(t *testing.T) {
	for in, want := range map[string]string{
		"Santé Clinic":    "sante-clinic",
		"健康 clinic":       "clinic",
		"健康":              "",
		"Lakeside_Clinic": "lakeside-clinic",
	} {
		if got := ASCII(in); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Santé", "健康", "Über", "Здоровье", "Women's health", "🌍", "ß", "İ", "ﬁ", "हिन्दी", "../a", "a\u0301\u0301", "Ǆ", "ǅ", "\u0345", "ᾼ", "ΐ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Make(s)
		if again := Make(out); again != out {
			t.Fatalf("Make(%q) = %q, but Make(%q) = %q", s, out, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Make(%q) = %q is not UTF-8", s, out)
		}
		if len(out) > MaxLen {
			t.Fatalf("Make(%q) has %d bytes", s, len(out))
		}
		if out == "." || out == ".." || strings.ContainsAny(out, "/\\.%?#") {
			t.Fatalf("Make(%q) = %q", s, out)
		}
		if strings.HasPrefix(out, "-") || strings.HasSuffix(out, "-") || strings.Contains(out, "--") {
			t.Fatalf("Make(%q) = %q has a stray hyphen", s, out)
		}
		if !norm.NFC.IsNormalString(out) {
			t.Fatalf("Make(%q) = %q is not NFC", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
				t.Fatalf("Make(%q) = %q holds %U", s, out, r)
			}
		}
		if c := Cut(out, 80); Make(c) != c || len(c) > 80 {
			t.Fatalf("Cut(%q, 80) = %q is not a slug", out, c)
		}
		if a := ASCII(s); a != Make(a) {
			t.Fatalf("ASCII(%q) = %q is not a slug", s, a)
		}
	})
}
