package card

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"
)

// testLogo is a w × h logo: red squares on transparency.
func testLogo(w, h int) image.Image {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/10+y/10)%2 == 0 {
				m.Set(x, y, color.NRGBA{0xc8, 0x1e, 0x1e, 0xff})
			}
		}
	}
	return m
}

// TestKitCards draws kit cards of every size for plain, long, non-Latin
// and logo-less inputs, and checks each is a PNG of its exact size, the
// same bytes each time, with every box it drew (text and logos) inside
// the safe margins, the figure drawn as given (or cut with an ellipsis),
// and the logos or, without them, the names.
func TestKitCards(t *testing.T) {
	base := Kit{Card: Card{Title: "Six months of Saturday clinics at Lakeside", Figure: "82.6 %", Caption: "Children fully immunised by age 2, Q3 2026",
		Footer: "alliance.example.org · 16 April 2026", Accent: "#0f5e66"}, Partner: "Kestrel Pharmacy Group", Site: "Riverbend Immunisation Alliance"}
	long := base
	long.Title = strings.Repeat("A very long story title that goes on ", 10)
	long.Figure = strings.Repeat("€1,234,567 ", 6)
	long.Caption = strings.Repeat("caption words ", 30)
	long.Footer = strings.Repeat("footer ", 60)
	long.Partner = strings.Repeat("The Very Long Name of a Partner Organisation ", 4)
	long.Site = strings.Repeat("Alliance ", 20)
	nonLatin := base
	nonLatin.Title = "予防接種の土曜診療 — Суботні клініки вакцинації — عيادات السبت"
	nonLatin.Caption = "接種率 · Охоплення"
	nonLatin.Partner = "薬局ケストレル"
	summary := base
	summary.Figure, summary.Caption, summary.Text = "", "", strings.Repeat("A summary that runs on and on. ", 20)
	empty := Kit{Card: Card{Accent: "#000"}}
	logo, wide, tall := testLogo(300, 96), testLogo(2000, 40), testLogo(40, 400)
	tests := []struct {
		name          string
		k             Kit
		partner, site image.Image
	}{
		{"logos", base, logo, logo},
		{"no logos", base, nil, nil},
		{"partner logo only", base, logo, nil},
		{"odd logos", base, wide, tall},
		{"long everything", long, logo, nil},
		{"long names without logos", long, nil, nil},
		{"non-Latin", nonLatin, nil, logo},
		{"summary", summary, logo, logo},
		{"empty", empty, nil, nil},
	}
	for _, tc := range tests {
		for _, s := range KitSizes {
			t.Run(tc.name+"/"+sizeName(s), func(t *testing.T) {
				b, lay, err := KitPNG(tc.k, s, &Logos{Partner: tc.partner, Site: tc.site})
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("not a PNG: %v", err)
				}
				if r := img.Bounds(); r.Dx() != s.W || r.Dy() != s.H {
					t.Fatalf("card is %v, want %dx%d", r, s.W, s.H)
				}
				again, _, _ := KitPNG(tc.k, s, &Logos{Partner: tc.partner, Site: tc.site})
				if !bytes.Equal(b, again) {
					t.Error("two cards from the same input differ")
				}
				safe := Safe(s.W, s.H)
				if safe != lay.Safe || safe.Min.X < s.W*6/100 || safe.Min.Y < s.H*6/100 || s.W-safe.Max.X < s.W*6/100 || s.H-safe.Max.Y < s.H*6/100 {
					t.Fatalf("safe area %v of a %dx%d card is not 6 %% in from each side", safe, s.W, s.H)
				}
				for _, bx := range lay.Boxes {
					if !bx.R.In(safe) {
						t.Errorf("%s %q at %v is outside the safe area %v", bx.What, bx.Text, bx.R, safe)
					}
				}
				// Nothing drawn outside the safe area but the accent bar.
				bar := max(12, s.W/50)
				for y := 0; y < s.H; y++ {
					for x := bar; x < s.W; x++ {
						if image.Pt(x, y).In(safe) {
							continue
						}
						if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 != 0xff || g>>8 != 0xff || bl>>8 != 0xff {
							t.Fatalf("pixel (%d, %d) outside the safe area is drawn", x, y)
						}
					}
				}
				if tc.k.Figure != "" {
					fig := lay.Text("figure")
					if len(fig) != 1 || (fig[0] != tc.k.Figure && !strings.HasSuffix(fig[0], "…")) {
						t.Errorf("figure drawn %q, want %q", fig, tc.k.Figure)
					}
				} else if len(lay.Text("figure")) != 0 {
					t.Errorf("a card without a figure drew %q", lay.Text("figure"))
				}
				if tc.k.Title != "" && len(lay.Text("title")) == 0 {
					t.Error("no title drawn")
				}
				if got := strings.Join(lay.Text("title"), " "); tc.k.Title == base.Title && got != base.Title {
					t.Errorf("title drawn %q, want %q", got, base.Title)
				}
				for what, logo := range map[string]image.Image{"partner": tc.partner, "site": tc.site} {
					name := tc.k.Partner
					if what == "site" {
						name = tc.k.Site
					}
					switch {
					case logo != nil && len(lay.Text(what+"-logo")) != 1:
						t.Errorf("the %s logo is not drawn", what)
					case logo == nil && name != "" && len(lay.Text(what)) != 1:
						t.Errorf("no %s logo, and its name is not drawn: %v", what, lay.Boxes)
					}
				}
				for _, bx := range lay.Boxes {
					if !utf8.ValidString(bx.Text) {
						t.Errorf("%s: %q is not valid UTF-8 (cut inside a character)", bx.What, bx.Text)
					}
				}
			})
		}
	}
}

func sizeName(s Size) string {
	return strings.Join([]string{itoa(s.W), itoa(s.H)}, "x")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestKitCardReadable checks the smallest text on each size is readable
// on a phone: a card is shown about 360 px wide, and the footer, the
// smallest text, stays at least 9 px high there.
func TestKitCardReadable(t *testing.T) {
	for _, s := range KitSizes {
		st := styleFor(s)
		if shown := st.footer * 360 / float64(s.W); shown < 8.5 {
			t.Errorf("%v: the footer is %.1f px on a 360 px wide phone", s, shown)
		}
		if shown := st.title[len(st.title)-1] * 360 / float64(s.W); shown < 12 {
			t.Errorf("%v: the smallest title is %.1f px on a 360 px wide phone", s, shown)
		}
	}
}

// TestKitLogoColours checks a logo keeps its colour on the card.
func TestKitLogoColours(t *testing.T) {
	b, lay, err := KitPNG(Kit{Card: Card{Title: "x", Footer: "y", Accent: "#0f5e66"}}, KitSizes[1], &Logos{Partner: testLogo(300, 96)})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	var r image.Rectangle
	for _, bx := range lay.Boxes {
		if bx.What == "partner-logo" {
			r = bx.R
		}
	}
	red := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 0xb0 && cg>>8 < 0x40 && cb>>8 < 0x40 {
				red++
			}
		}
	}
	if area := r.Dx() * r.Dy(); red < area/3 {
		t.Errorf("%d red pixels in the logo's %v: want about half", red, r)
	}
}

// BenchmarkKitCard draws and encodes one kit card of each size, with a
// logo: a build draws three per story in each of a partner's kits (the
// newest six), unless the image cache has them.
func BenchmarkKitCard(b *testing.B) {
	k := Kit{Card: Card{Title: "Six months of Saturday clinics at Lakeside", Figure: "€44 per extra dose", Caption: "Vaccine doses given, Lakeside district",
		Footer: "alliance.example.org · 16 April 2026", Accent: "#0f5e66"}, Partner: "Kestrel Pharmacy Group", Site: "Riverbend"}
	logo := &Logos{Partner: testLogo(300, 96)}
	for _, s := range KitSizes {
		for _, l := range []*Logos{logo, nil} {
			name := sizeName(s) + "/logo"
			if l == nil {
				name = sizeName(s) + "/names"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, _, err := KitPNG(k, s, l); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
