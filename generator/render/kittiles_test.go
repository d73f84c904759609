package render

import (
	"bytes"
	"html/template"
	"testing"
)

// The templates the tiles' files were written with before tileSVGBytes,
// tileSnippetBytes and tilePageBytes: the reference those must match byte
// for byte.
var (
	refTileSVG = template.Must(template.New("tile").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}" role="img" aria-labelledby="tile-title">
<title id="tile-title">{{.Title}}</title>
<rect x="0.5" y="0.5" width="{{.W1}}" height="{{.H1}}" rx="10" fill="#ffffff" stroke="#cfd8da"/>
<path d="M0.5 10.5a10 10 0 0 1 10-10H14v{{.H}}H10.5a10 10 0 0 1-10-10Z" fill="{{.Accent}}"/>
<g font-family="{{.Fonts}}">
{{- range .Lines}}
<text x="{{$.X}}" y="{{.Y}}" font-size="{{.Size}}" font-weight="{{.Weight}}" fill="{{.Fill}}">{{.Text}}</text>
{{- end}}
</g>
</svg>
`))
	refTileSnippet = template.Must(template.New("snippet").Parse(`<a href="{{.Href}}" style="display:inline-block;max-width:100%;margin:0;padding:0;border:0;background:none;line-height:0;text-decoration:none"><img src="{{.Src}}" alt="{{.Alt}}" width="{{.W}}" height="{{.H}}" loading="lazy" style="display:block;width:{{.W}}px;max-width:100%;height:auto;margin:0;padding:0;border:0;background:none;box-shadow:none"></a>`))
	refTilePage    = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
</head>
<body>
<header><nav aria-label="{{.Nav}}"><a href="{{.Home}}">{{.Site}}</a> · <a href="{{.Metric}}">{{.Heading}}</a></nav></header>
<main>
<h1>{{.Heading}}</h1>
{{.Snippet}}
</main>
<footer><p>{{.Note}}</p></footer>
</body>
</html>
`))
)

// tileTexts are values with every character html/template escapes or
// encodes somewhere: markup, quotes, plus, ampersands and entities, NUL,
// spaces, non-ASCII letters and symbols, bytes that are not UTF-8,
// %-escapes valid and not, and URLs with and without a scheme.
var tileTexts = []string{
	"",
	"Children fully immunised by age two",
	`<script>alert("x")</script> & 'quoted' + more`,
	"Kestrel Pharmacy Group: 910 of 6,030 doses, Q3 2026",
	"82.6 %, Q3 2026",
	"€44 per extra dose · Ünïcødé — 東京 العربية",
	"a\x00b\x00",
	"bad \xff\xfe utf-8 \xc3",
	"&amp; &lt; &#39; already escaped",
	"100%25 %41 %zz %4 %",
	"https://alliance.example.org/metrics/coverage_2y/",
	"https://example.org/a b/c?q=1&r=2+3#frag'\"<>",
	"http://EXAMPLE.org/ü/%7e~!$*,;=@[]",
	"HTTPS://x.org/",
	"mailto:someone@example.org",
	"javascript:alert(1)",
	"JavaScript:alert(1)",
	"data:image/svg+xml,<svg>",
	"/partners/kestrel/kit/tiles/doses.svg",
	"relative/path:with-colon-after-slash",
	"weird:scheme",
	"\uFDD0\uFFFE\uFFFF noncharacters",
	"tab\tnew\nline\rcr\fff",
	"#0f5e66",
}

func refSVG(t *testing.T, w, h int, title, accent string, lines []tileLine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := refTileSVG.Execute(&b, struct {
		W, H   int
		W1, H1 int
		Title  string
		Accent string
		Fonts  string
		Lines  []tileLine
		X      int
	}{w, h, w - 1, h - 1, title, accent, tileFonts, lines, tileX}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTileBytesMatchTemplates checks that the tiles' SVG, snippet and
// preview page, written by appending, are the bytes html/template wrote
// for them, for values with every character that needs escaping in each
// place they go.
func TestTileBytesMatchTemplates(t *testing.T) {
	n := 0
	for i, a := range tileTexts {
		b := tileTexts[(i+7)%len(tileTexts)]
		c := tileTexts[(i+13)%len(tileTexts)]
		lines := []tileLine{
			{Y: 32, Size: 15, Weight: "600", Fill: "#1c2326", Text: a},
			{Y: 80, Size: 44, Weight: "700", Fill: b, Text: c},
			{Y: 104, Size: 14, Weight: b, Fill: "#4a5559", Text: b},
		}
		for _, ls := range [][]tileLine{nil, lines[:1], lines} {
			w, h := 360, 100+i
			if got, want := tileSVGBytes(w, h, a, c, ls), refSVG(t, w, h, a, c, ls); !bytes.Equal(got, want) {
				t.Errorf("SVG of %q, %q:\n got %s\nwant %s", a, c, got, want)
			}
			n++
		}
		for _, href := range tileTexts {
			var want bytes.Buffer
			if err := refTileSnippet.Execute(&want, struct {
				Href, Src, Alt string
				W, H           int
			}{href, a, b, 360, 140 + i}); err != nil {
				t.Fatal(err)
			}
			got := tileSnippetBytes(nil, href, a, b, 360, 140+i)
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("snippet of href %q, src %q, alt %q:\n got %s\nwant %s", href, a, b, got, want.Bytes())
			}
			snippet := string(got)
			want.Reset()
			if err := refTilePage.Execute(&want, struct {
				Lang, Title, Heading, Nav, Site, Home, Metric, Note string
				Snippet                                             template.HTML
			}{c, a, b, c, a, href, a, b, template.HTML(snippet)}); err != nil {
				t.Fatal(err)
			}
			if got := tilePageBytes(c, a, b, c, a, href, a, b, snippet); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("page of %q, %q, %q:\n got %s\nwant %s", a, b, href, got, want.Bytes())
			}
			n += 2
		}
	}
	if n < 1000 {
		t.Fatalf("only %d comparisons", n)
	}
}

// FuzzTileEscaping compares appendEscaped and appendURLAttr with
// html/template in the places the tiles use them.
func FuzzTileEscaping(f *testing.F) {
	for _, s := range tileTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := refTileSnippet.Execute(&want, struct {
			Href, Src, Alt string
			W, H           int
		}{s, "/x.svg", s, 1, 2}); err != nil {
			t.Fatal(err)
		}
		if got := tileSnippetBytes(nil, s, "/x.svg", s, 1, 2); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("snippet of %q:\n got %s\nwant %s", s, got, want.Bytes())
		}
		ls := []tileLine{{Y: 1, Size: 2, Weight: s, Fill: s, Text: s}}
		if got, want := tileSVGBytes(3, 4, s, s, ls), refSVG(t, 3, 4, s, s, ls); !bytes.Equal(got, want) {
			t.Errorf("SVG of %q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// BenchmarkTile writes a partner's tile: its SVG, its snippet and its
// preview page (5,004 of each on a site of 100 partners and 50 metrics).
func BenchmarkTile(b *testing.B) {
	lines := []tileLine{
		{Y: 32, Size: 15, Weight: "600", Fill: "#1c2326", Text: "Vaccine doses given"},
		{Y: 80, Size: 44, Weight: "700", Fill: "#0f5e66", Text: "910"},
		{Y: 104, Size: 14, Weight: "400", Fill: "#4a5559", Text: "Kestrel Pharmacy Group: 910 of 6,030"},
		{Y: 123, Size: 14, Weight: "400", Fill: "#4a5559", Text: "doses, Q3 2026"},
		{Y: 152, Size: 12, Weight: "400", Fill: "#4a5559", Text: "Riverbend Immunisation Alliance"},
	}
	alt := "Vaccine doses given: Kestrel Pharmacy Group: 910 of 6,030 doses, Q3 2026. Riverbend Immunisation Alliance"
	href, src := "https://alliance.example.org/metrics/doses/", "https://alliance.example.org/partners/kestrel/kit/tiles/doses.svg"
	b.ReportAllocs()
	for b.Loop() {
		tileSVGBytes(360, 172, alt, "#0f5e66", lines)
		snippet := string(tileSnippetBytes(nil, href, src, alt, 360, 172))
		tilePageBytes("en", alt, "Vaccine doses given", "Site", "Riverbend Immunisation Alliance", "https://alliance.example.org/", href, "A tile of Riverbend Immunisation Alliance's figures.", snippet)
	}
}

// BenchmarkTileTemplates is BenchmarkTile through the html/template
// templates the tiles were written with before.
func BenchmarkTileTemplates(b *testing.B) {
	lines := []tileLine{
		{Y: 32, Size: 15, Weight: "600", Fill: "#1c2326", Text: "Vaccine doses given"},
		{Y: 80, Size: 44, Weight: "700", Fill: "#0f5e66", Text: "910"},
		{Y: 104, Size: 14, Weight: "400", Fill: "#4a5559", Text: "Kestrel Pharmacy Group: 910 of 6,030"},
		{Y: 123, Size: 14, Weight: "400", Fill: "#4a5559", Text: "doses, Q3 2026"},
		{Y: 152, Size: 12, Weight: "400", Fill: "#4a5559", Text: "Riverbend Immunisation Alliance"},
	}
	alt := "Vaccine doses given: Kestrel Pharmacy Group: 910 of 6,030 doses, Q3 2026. Riverbend Immunisation Alliance"
	href, src := "https://alliance.example.org/metrics/doses/", "https://alliance.example.org/partners/kestrel/kit/tiles/doses.svg"
	b.ReportAllocs()
	for b.Loop() {
		var sv, sn, pg bytes.Buffer
		refTileSVG.Execute(&sv, struct {
			W, H   int
			W1, H1 int
			Title  string
			Accent string
			Fonts  string
			Lines  []tileLine
			X      int
		}{360, 172, 359, 171, alt, "#0f5e66", tileFonts, lines, tileX})
		refTileSnippet.Execute(&sn, struct {
			Href, Src, Alt string
			W, H           int
		}{href, src, alt, 360, 172})
		refTilePage.Execute(&pg, struct {
			Lang, Title, Heading, Nav, Site, Home, Metric, Note string
			Snippet                                             template.HTML
		}{"en", alt, "Vaccine doses given", "Site", "Riverbend Immunisation Alliance", "https://alliance.example.org/", href, "A tile of Riverbend Immunisation Alliance's figures.", template.HTML(sn.String())})
	}
}
