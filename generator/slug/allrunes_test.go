package slug

import (
	"testing"
	"unicode"

	"github.com/drumbeat/drumbeat/internal/heavy"
)

// TestEveryRune checks that Make(Make(s)) is Make(s) for every code point
// alone, after a Latin letter and after a Cyrillic one (where its marks
// stay), and before a combining mark.
func TestEveryRune(t *testing.T) {
	heavy.Test(t)
	if raceEnabled {
		t.Skip("1.1 million code points, some seven seconds; a pure function, nothing for the race detector")
	}
	bad := 0
	for r := rune(0); r <= unicode.MaxRune && bad < 10; r++ {
		for _, s := range []string{string(r), "a" + string(r), "д" + string(r), string(r) + "\u0301", string(r) + "\u0308x"} {
			if out := Make(s); Make(out) != out {
				t.Errorf("Make(%+q) = %+q, but Make(%+q) = %+q", s, out, out, Make(out))
				bad++
			}
		}
	}
}
