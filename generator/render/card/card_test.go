package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestPNG(t *testing.T) {
	tests := []Card{
		{Kicker: "Riverbend Immunisation Alliance", Title: "Riverbend in six charts", Date: "20 November 2026", Accent: "#0f5e66"},
		{Kicker: "A partnership", Title: strings.Repeat("A very long briefing title ", 12), Date: "", Accent: "#abc"},
		{Title: "", Accent: "#000000"},
	}
	for _, c := range tests {
		b, err := PNG(c)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not a PNG: %v", err)
		}
		if r := img.Bounds(); r.Dx() != Width || r.Dy() != Height {
			t.Errorf("card is %v, want %dx%d", r, Width, Height)
		}
		again, _ := PNG(c)
		if !bytes.Equal(b, again) {
			t.Error("two cards from the same input differ")
		}
	}
}

func TestTitleInAccent(t *testing.T) {
	b, err := PNG(Card{Title: "Six charts", Date: "20 November 2026", Accent: "#ff0000"})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	red := 0
	for y := 150; y < 300; y++ {
		for x := 96; x < 600; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 0xff && g>>8 == 0 && b>>8 == 0 {
				red++
			}
		}
	}
	if red < 500 {
		t.Errorf("the title is not drawn in the accent colour (%d accent pixels)", red)
	}
}

func TestBadAccent(t *testing.T) {
	if _, err := PNG(Card{Title: "x", Accent: "teal"}); err == nil {
		t.Error("a colour name should be refused")
	}
}

// TestStoryCard checks that a story's card is a 1200 × 630 PNG whose text
// is drawn: the title in ink, the figure in the accent colour, or the
// summary when there is no figure.
func TestStoryCard(t *testing.T) {
	tests := []struct {
		name string
		c    Card
	}{
		{"figure", Card{Kicker: "Riverbend · Impact", Title: "Six months of Saturday clinics", Figure: "€44 per extra dose", Caption: "Vaccine doses given", Footer: "alliance.example.org · 16 April 2026"}},
		{"long everything", Card{Kicker: strings.Repeat("Kicker ", 30), Title: strings.Repeat("A very long story title ", 12), Figure: strings.Repeat("€1,234,567 ", 8), Caption: strings.Repeat("caption words ", 30), Footer: strings.Repeat("footer ", 40)}},
		{"summary", Card{Kicker: "Riverbend · Story", Title: "Lakeside opens on Saturdays", Text: strings.Repeat("A summary that runs on and on. ", 12), Footer: "alliance.example.org"}},
		{"footer only", Card{Title: "", Footer: "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.Accent = "#ff0000"
			b, err := PNG(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if r := img.Bounds(); r.Dx() != Width || r.Dy() != Height {
				t.Fatalf("card is %v, want %dx%d", r, Width, Height)
			}
			again, _ := PNG(tc.c)
			if !bytes.Equal(b, again) {
				t.Error("two cards from the same input differ")
			}
			// Count ink (title) and accent (figure) pixels in the text area.
			ink, accent := 0, 0
			for y := 110; y < 500; y++ {
				for x := margin; x < Width-margin; x++ {
					r, g, b, _ := img.At(x, y).RGBA()
					switch {
					case r>>8 < 0x40 && g>>8 < 0x40 && b>>8 < 0x40:
						ink++
					case r>>8 == 0xff && g>>8 == 0 && b>>8 == 0:
						accent++
					}
				}
			}
			if tc.c.Title != "" && ink < 3000 {
				t.Errorf("the title is not drawn: %d ink pixels", ink)
			}
			if tc.c.Figure != "" && accent < 3000 {
				t.Errorf("the figure is not drawn in the accent colour: %d accent pixels", accent)
			}
			if tc.c.Figure == "" && accent > 0 {
				t.Errorf("%d accent pixels in the text area of a card without a figure", accent)
			}
		})
	}
	// The text makes the picture: a card without it is plain.
	blank, _ := PNG(Card{Footer: "x", Accent: "#ff0000"})
	full, _ := PNG(tests[0].c)
	if bytes.Equal(blank, full) {
		t.Error("a card with text is the same as one without")
	}
}

// BenchmarkStoryCard draws and encodes one story card: every published story
// has one, so a first build of a large site pays this per story.
func BenchmarkStoryCard(b *testing.B) {
	c := Card{Kicker: "Riverbend Immunisation Alliance · Impact", Title: "Six months of Saturday clinics at Lakeside", Figure: "€44 per extra dose", Caption: "Vaccine doses given, Lakeside district", Footer: "alliance.example.org · 16 April 2026", Accent: "#0f5e66"}
	for i := 0; i < b.N; i++ {
		c.Title = fmt.Sprintf("Story %d: six months of Saturday clinics", i)
		if _, err := PNG(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCardEncode encodes one story card drawn beforehand: the PNG
// encoder alone (rows of pieces to deflate with the card's Huffman code),
// which BenchmarkStoryCard counts with the drawing.
func BenchmarkCardEncode(b *testing.B) {
	c := Card{Kicker: "Riverbend Immunisation Alliance · Impact", Title: "Six months of Saturday clinics at Lakeside", Figure: "€44 per extra dose", Caption: "Vaccine doses given, Lakeside district", Footer: "alliance.example.org · 16 April 2026", Accent: "#0f5e66"}
	accent, err := parseColor(c.Accent)
	if err != nil {
		b.Fatal(err)
	}
	img := newCanvas()
	defer img.release()
	img.fill(image.Rect(0, 0, 24, Height), full(rampAccent))
	if err := story(img, c); err != nil {
		b.Fatal(err)
	}
	pal := palette(accent)
	want, err := PNG(c)
	if err != nil {
		b.Fatal(err)
	}
	if got := encodePNG(img, pal); !bytes.Equal(got, want) {
		b.Fatal("the canvas drawn here does not encode to the card PNG makes")
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(want)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		encodePNG(img, pal)
	}
}

// TestConcurrentCards draws cards on several goroutines at once, as a build
// does, and checks each is the card drawn alone (the race detector, in
// make test, checks the shared caches and tables).
func TestConcurrentCards(t *testing.T) {
	cards := make([]Card, 24)
	want := make([][]byte, len(cards))
	for i := range cards {
		cards[i] = Card{Kicker: "Riverbend · Story", Title: fmt.Sprintf("Concurrent card %d about clinics", i), Text: "Drawn at the same time as others.", Footer: "example.org", Accent: "#0f5e66"}
		if i%3 == 0 {
			cards[i].Text, cards[i].Figure, cards[i].Caption = "", fmt.Sprintf("%d doses", i*101), "Doses given"
		}
		var err error
		if want[i], err = PNG(cards[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := make([][]byte, len(cards))
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cards); i += 4 {
				got[i], _ = PNG(cards[i])
			}
		}()
	}
	wg.Wait()
	for i := range cards {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("card %d drawn alongside others differs from the same card drawn alone", i)
		}
	}
}

// TestWrapKeepsUnits checks that a card never ends a line between a number
// and its unit, at every width that would otherwise break there.
func TestWrapKeepsUnits(t *testing.T) {
	f, err := face("regular", 40)
	if err != nil {
		t.Fatal(err)
	}
	const s = "Coverage reached 6,030 doses and 82.6 % in Q3 2026"
	for width := f.measure("6,030 doses"); width < f.measure(s); width += 7 {
		for _, l := range wrap(f, s, width) {
			if endsWithDigit(l) && !strings.HasSuffix(l, "2026") && !strings.HasSuffix(l, "Q3") {
				t.Errorf("width %d: line %q ends with a number, apart from its unit", width, l)
			}
		}
	}
}

// TestPNGVersion pins the bytes of story cards drawn by PNG to PNGVersion:
// the image cache keeps story cards under that version, so a change in how
// they are drawn must change it, or a warm build would copy stale cards.
// When this fails on purpose, raise PNGVersion and record the new sums.
func TestPNGVersion(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		// Go may fuse a multiply and an add elsewhere (arm64), which can
		// move a pixel of the anti-aliased text: the sums are amd64's.
		t.Skip("the recorded sums are amd64's")
	}
	cards := []Card{
		{Kicker: "Riverbend · Impact", Title: "Six months of Saturday clinics", Figure: "€44 per extra dose", Caption: "Vaccine doses given", Footer: "alliance.example.org · 16 April 2026", Accent: "#0f5e66"},
		{Kicker: "Riverbend · Story", Title: "Lakeside opens on Saturdays", Text: strings.Repeat("A summary that runs on and on. ", 12), Footer: "alliance.example.org", Accent: "#ff0000"},
	}
	want := map[int][]string{
		1: {"c2f37ac3e03332edb04cf0659b0248fd4106a9d107c92ac9b9617e9b3f1cef8b", "fc5386fdbd3ecea80428c0c3420337e8e7f0146424afea9acf93e5c7f0fb11d1"},
	}
	sums, ok := want[PNGVersion]
	if !ok {
		t.Fatalf("PNGVersion %d has no recorded sums: add them to this test", PNGVersion)
	}
	for i, c := range cards {
		b, err := PNG(c)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != sums[i] {
			t.Errorf("card %d: SHA-256 %s, PNGVersion %d recorded %s: story cards are drawn differently, so raise PNGVersion (the image cache keeps them under it) and record the new sums", i, got, PNGVersion, sums[i])
		}
	}
}
