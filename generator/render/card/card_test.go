package card

import (
	"bytes"
	"image/png"
	"strings"
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
