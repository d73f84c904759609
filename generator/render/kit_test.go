package render

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
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

// TestKitQuotes checks the figures a kit offers to quote: one per metric
// the partner reports to, from its latest period, against the total of that
// period; a percentage is set beside the partnership's, not counted as a
// part of it; the source and period are kept.
func TestKitQuotes(t *testing.T) {
	files := fstest.MapFS{
		"site.yaml": {Data: []byte("title: T\n")},
		"data/metrics.csv": {Data: []byte("id,name,perspective,level,unit,direction,baseline,target,target_date,source\n" +
			"doses,Doses given,impact,output,doses,up,,,,Clinic returns\n" +
			"on_time,Reports on time,learning,input,%,up,,,,Office log\n" +
			"visits,Home visits,impact,output,visits,up,,,,Visit log\n")},
		"data/observations/q.csv": {Data: []byte("period,doses,on_time,visits\n2026-Q2,100,50,9\n2026-Q3,1200,60,8\n")},
		"data/observations/by_partner.csv": {Data: []byte("metric,period,value,partner\n" +
			"doses,2026-Q2,10,acme\ndoses,2026-Q3,310,acme\non_time,2026-Q3,75,acme\ndoses,2026-Q3,5,bolt\n")},
		"data/partners.yaml": {Data: []byte("- {id: acme, name: Acme Water, sector: private}\n- {id: bolt, name: Bolt Trust, sector: civil}\n")},
	}
	in, errs := load.Dir(files)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	r := setupRenderer(site, Options{}, nil)
	tests := []struct {
		partner string
		want    []string // text | source | period
	}{
		{"acme", []string{
			"Acme Water gave 310 doses of the 1,200 doses in Q3 2026 (Doses given).|Clinic returns|Q3 2026",
			"Acme Water: 75 % in Q3 2026, for 60 % across the partnership (Reports on time).|Office log|Q3 2026",
		}},
		{"bolt", []string{"Bolt Trust gave 5 doses of the 1,200 doses in Q3 2026 (Doses given).|Clinic returns|Q3 2026"}},
	}
	for _, tc := range tests {
		var got []string
		for _, q := range r.kitQuotes(site.Partner(tc.partner)) {
			got = append(got, q.Text+"|"+q.Source+"|"+q.Period)
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tc.partner, got, tc.want)
		}
	}
}

// TestKitListsTheNewestStories checks share.kit_stories: a kit lists the
// partner's newest stories up to it, and says how many older ones its page
// holds, with a link to that page.
func TestKitListsTheNewestStories(t *testing.T) {
	site, theme := exampleSite(t)
	p := site.Partner("kestrel-pharmacy")
	for _, tc := range []struct{ limit, want, older int }{{20, 2, 0}, {2, 2, 0}, {1, 1, 1}} {
		site.Config.Share.KitStories = tc.limit
		sink := newMemSink()
		r, err := prepare(site, Options{Theme: theme}, sink)
		if err != nil {
			t.Fatal(err)
		}
		all := r.kitStories(p)
		if len(all) != 2 {
			t.Fatalf("kestrel-pharmacy has %d kit stories, the test expects 2", len(all))
		}
		if err := r.kit(p); err != nil {
			t.Fatal(err)
		}
		page := string(sink.files["partners/kestrel-pharmacy/kit/index.html"])
		if got := strings.Count(page, `<li class="kit-story">`); got != tc.want {
			t.Errorf("kit_stories %d: %d stories listed, want %d", tc.limit, got, tc.want)
		}
		if !strings.Contains(page, `href="../../../stories/`+all[0].Slug+`/"`) {
			t.Errorf("kit_stories %d: the newest story is not listed", tc.limit)
		}
		note := "1 older story that names Kestrel Pharmacy Group is on its page."
		if got := strings.Contains(page, note) && strings.Contains(page, `<a href="../../../partners/kestrel-pharmacy/">All stories naming Kestrel Pharmacy Group</a>`); got != (tc.older > 0) {
			t.Errorf("kit_stories %d: the note on older stories shown = %v, want %v", tc.limit, got, tc.older > 0)
		}
	}
}
