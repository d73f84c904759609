package render

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// TestKitPageShowsCardsAndTiles renders a kit page with cards and tiles
// such as the kit-media hooks give (the hooks are stubs on this branch):
// each card is previewed with its size label, a download link and its alt
// text in a box to copy; each tile with its image and its snippet in a box
// to copy; every copy button points at a box of the page, and no id is
// given twice.
func TestKitPageShowsCardsAndTiles(t *testing.T) {
	site, theme := exampleSite(t)
	sink := newMemSink()
	r, err := prepare(site, Options{Theme: theme}, sink)
	if err != nil {
		t.Fatal(err)
	}
	p := site.Partner("kestrel-pharmacy")
	v := &KitView{Partner: p, Hashtag: "#RiverbendAlliance", Quotes: r.kitQuotes(p)}
	for i, st := range r.kitStories(p) {
		ks := KitStory{Card: r.card(st), URL: st.URL(), Texts: r.kitTexts(p, st, st.URL())}
		if i == 0 {
			for _, c := range []KitCard{{Width: 1200, Height: 630, Label: "Links (1200 × 630)"}, {Width: 1080, Height: 1080, Label: "Square (1080 × 1080)"}} {
				c.URL = KitPath(p.ID) + st.Slug + "-" + strings.ReplaceAll(strings.TrimSuffix(strings.Split(c.Label, "(")[1], ")"), " × ", "x") + ".png"
				c.Alt = "Card: " + st.Title + " <with> \"quotes\""
				ks.Cards = append(ks.Cards, c)
			}
		}
		v.Stories = append(v.Stories, ks)
	}
	v.Tiles = []KitTile{{Metric: site.Metric("doses_given"), Partner: p, Title: "Vaccine doses given", SVG: KitPath(p.ID) + "tiles/doses_given.svg",
		HTML: KitPath(p.ID) + "tiles/doses_given.html", Snippet: `<a href="https://alliance.example.org/metrics/doses_given/"><img src="https://alliance.example.org/partners/kestrel-pharmacy/kit/tiles/doses_given.svg" alt="Vaccine doses given: 910 doses"></a>`}}
	if len(v.Stories) < 2 || len(v.Quotes) < 1 {
		t.Fatalf("%d stories and %d quotes: the test proves little", len(v.Stories), len(v.Quotes))
	}
	if err := r.page("kit", &Page{Title: "Kit", Path: KitPath(p.ID), Section: "partners", NoIndex: true, Kit: v}); err != nil {
		t.Fatal(err)
	}
	page := string(sink.files["partners/kestrel-pharmacy/kit/index.html"])
	for _, want := range []string{
		`<img src="../../../partners/kestrel-pharmacy/kit/spotlight-kestrel-pharmacy-1200x630.png" alt="Card: Partner spotlight: Kestrel Pharmacy Group &lt;with&gt; &#34;quotes&#34;" width="1200" height="630" loading="lazy">`,
		`Links (1200 × 630) · <a href="../../../partners/kestrel-pharmacy/kit/spotlight-kestrel-pharmacy-1200x630.png" download>Download</a>`,
		`readonly>Card: Partner spotlight: Kestrel Pharmacy Group &lt;with&gt; &#34;quotes&#34;</textarea>`,
		`<img src="../../../partners/kestrel-pharmacy/kit/tiles/doses_given.svg" alt="Vaccine doses given" loading="lazy">`,
		html.EscapeString(v.Tiles[0].Snippet) + `</textarea>`,
		`<a href="../../../partners/kestrel-pharmacy/kit/tiles/doses_given.html">`,
		`<meta name="robots" content="noindex">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the kit page has no %s", want)
		}
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("id %q is given twice", m[1])
		}
		ids[m[1]] = true
	}
	fors := regexp.MustCompile(`class="share-copy" data-for="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(fors) < 6*len(v.Stories)+2+len(v.Quotes)+1 {
		t.Errorf("%d copy buttons", len(fors))
	}
	for _, m := range fors {
		if !strings.Contains(page, `<textarea id="`+m[1]+`"`) {
			t.Errorf("a copy button copies %q, which is no text box", m[1])
		}
	}
}
