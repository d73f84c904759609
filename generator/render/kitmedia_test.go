package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

// TestKitCardsOfTheExample checks kitCards on the example (a --drafts
// load, so previews are among the stories): each partner's newest
// published stories, up to kitCardLimit, have the three cards in order at
// their addresses, with a label and an alt text naming the title and the
// partner; previews and older stories have none.
func TestKitCardsOfTheExample(t *testing.T) {
	site, r := exampleRenderer(t)
	r.convertAll()
	previews, carded := 0, 0
	for _, p := range site.Partners {
		n := 0
		for _, st := range site.StoriesNaming(p.ID) {
			cards := r.kitCards(p, st)
			if st.Preview {
				previews++
				if cards != nil {
					t.Errorf("%s: the preview %s has kit cards", p.ID, st.Slug)
				}
				continue
			}
			if n >= r.kitCardLimit() {
				if cards != nil {
					t.Errorf("%s: %s, past the newest %d, has kit cards", p.ID, st.Slug, r.kitCardLimit())
				}
				continue
			}
			n++
			carded++
			if len(cards) != 3 {
				t.Fatalf("%s: %s has %d kit cards, want 3", p.ID, st.Slug, len(cards))
			}
			for i, s := range card.KitSizes {
				c := cards[i]
				want := fmt.Sprintf("/partners/%s/kit/%s-%dx%d.png", p.ID, st.Slug, s.W, s.H)
				if c.URL != want || c.Width != s.W || c.Height != s.H {
					t.Errorf("card %d is %s %dx%d, want %s", i, c.URL, c.Width, c.Height, want)
				}
				if !strings.Contains(c.Label, fmt.Sprint(s.W)) || !strings.Contains(c.Alt, r.front(st).title.Text) || !strings.Contains(c.Alt, p.Name) {
					t.Errorf("card %s: label %q, alt %q", c.URL, c.Label, c.Alt)
				}
			}
		}
	}
	if previews == 0 || carded == 0 {
		t.Fatalf("%d previews and %d carded stories in the example: the test proves little", previews, carded)
	}
}

// TestKitCardShowsTheData draws the kit cards of every story with a key
// figure and checks the figure drawn is the story card's key figure; for
// a story whose figure is a metric's value, that it is the value the data
// gives; and that a change in the data is drawn (the figure is live).
func TestKitCardShowsTheData(t *testing.T) {
	site, r := exampleRenderer(t)
	r.convertAll()
	checked := 0
	for _, p := range site.Partners {
		for _, st := range r.kitStories(p) {
			key := r.keyFigure(st)
			if key == nil || r.kitCards(p, st) == nil {
				continue
			}
			for _, s := range card.KitSizes {
				_, lay, err := card.KitPNG(r.kitCardText(p, st), s, nil)
				if err != nil {
					t.Fatal(err)
				}
				if fig := lay.Text("figure"); len(fig) != 1 || fig[0] != key.Value {
					t.Errorf("%s in %s's kit, %v: figure drawn %q, the story card's is %q", st.Slug, p.ID, s, fig, key.Value)
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no kit story of the example has a key figure")
	}
	// A story whose card figure is a metric's value: the data's.
	for _, p := range site.Partners {
		for _, st := range r.kitStories(p) {
			if st.ROI != nil || r.kitCards(p, st) == nil {
				continue
			}
			key := r.keyFigure(st)
			if key == nil {
				continue
			}
			var m *model.Metric
			for _, x := range site.Metrics {
				if x.Name == key.Label {
					m = x
				}
			}
			if m == nil {
				continue
			}
			pt, ok := site.AsOf(st, m)
			if !ok {
				continue
			}
			if want := model.FormatValue(pt.Value, m.Unit); key.Value != want {
				t.Fatalf("%s: card figure %q, the data says %q", st.Slug, key.Value, want)
			}
			// Change the value: the card draws the new one.
			for i := range m.Series {
				if m.Series[i].Period == pt.Period {
					old := m.Series[i].Value
					m.Series[i].Value = old + 1000
					_, lay, err := card.KitPNG(r.kitCardText(p, st), card.KitSizes[0], nil)
					m.Series[i].Value = old
					if err != nil {
						t.Fatal(err)
					}
					if want := model.FormatValue(old+1000, m.Unit); !slices.Equal(lay.Text("figure"), []string{want}) {
						t.Errorf("%s: after the data changed the card draws %q, want %q", st.Slug, lay.Text("figure"), want)
					}
				}
			}
			return
		}
	}
	t.Fatal("no kit story of the example leads with a metric's value")
}

// TestKitTiles checks every tile of every kit: the headline metrics'
// first, then one per metric the partner has values of; the SVG is XML
// with role="img" and a title, shows the latest figure, and refers to
// nothing outside itself; the snippet is one link with an image in it,
// absolute addresses, inline styles and nothing else; the preview page
// holds the snippet.
func TestKitTiles(t *testing.T) {
	site, r := exampleRenderer(t)
	r.convertAll()
	base := strings.TrimSuffix(site.Config.BaseURL, "/")
	if base == "" {
		t.Fatal("the example has no base_url")
	}
	headline := site.Config.Home.HeadlineMetrics
	partnerTiles := 0
	for _, p := range site.Partners {
		tiles := r.kitTiles(p)
		var contributes []string
		for _, m := range site.Metrics {
			if len(m.ByPartner[p.ID]) > 0 {
				contributes = append(contributes, m.ID)
			}
		}
		if len(tiles) != len(headline)+len(contributes) {
			t.Fatalf("%s: %d tiles, want %d headline and %d of its own", p.ID, len(tiles), len(headline), len(contributes))
		}
		for i, kt := range tiles {
			m := kt.Metric
			tl := r.headlineTile(m)
			if i < len(headline) {
				if m.ID != headline[i] || kt.Partner != nil || kt.SVG != "/tiles/"+m.ID+".svg" || kt.HTML != "/tiles/"+m.ID+".html" {
					t.Errorf("tile %d of %s: %+v, want the headline metric %s", i, p.ID, kt, headline[i])
				}
				latest, _ := m.Latest()
				v := model.FormatValue(latest.Value, m.Unit)
				checkTileSVG(t, tl, v, r.period(latest.Period), v)
			} else {
				partnerTiles++
				tl = r.partnerTile(p, m)
				if m.ID != contributes[i-len(headline)] || kt.Partner != p || kt.SVG != "/partners/"+p.ID+"/kit/tiles/"+m.ID+".svg" {
					t.Errorf("tile %d of %s: %+v", i, p.ID, kt)
				}
				pts := m.ByPartner[p.ID]
				last := pts[len(pts)-1]
				checkTileSVG(t, tl, model.FormatValue(last.Value, m.Unit), p.Name, p.Name+": "+model.FormatNumber(last.Value))
			}
			if kt.Snippet != tl.Snippet || kt.Title != m.Name {
				t.Errorf("%s: kitTiles' snippet or title is not the tile's", kt.SVG)
			}
			checkSnippet(t, kt.Snippet, base+"/metrics/"+m.ID+"/", base+kt.SVG, tl.Alt)
			if !bytes.Contains(tl.page, []byte(kt.Snippet)) {
				t.Errorf("%s does not hold the snippet", kt.HTML)
			}
			if _, err := html.Parse(bytes.NewReader(tl.page)); err != nil || !bytes.HasPrefix(tl.page, []byte("<!DOCTYPE html>")) {
				t.Errorf("%s is not an HTML document: %v", kt.HTML, err)
			}
		}
	}
	if partnerTiles == 0 {
		t.Fatal("no partner of the example has values by partner")
	}
	// Kestrel's doses, as the issue words them: its value of the total.
	p, m := site.Partner("kestrel-pharmacy"), site.Metric("doses_given")
	pts := m.ByPartner[p.ID]
	last := pts[len(pts)-1]
	var total float64
	for _, q := range m.Series {
		if q.Period == last.Period {
			total = q.Value
		}
	}
	want := fmt.Sprintf("%s: %s of %s, %s", p.Name, model.FormatNumber(last.Value), model.FormatValue(total, m.Unit), r.period(last.Period))
	if tl := r.partnerTile(p, m); !strings.Contains(tl.Alt, want) || !strings.Contains(string(tl.svg), strings.SplitN(want, " of ", 2)[0]) {
		t.Errorf("Kestrel's doses tile says %q, want %q in it", tl.Alt, want)
	}
}

// checkTileSVG parses a tile's SVG as XML and checks what it shows and
// that it refers to nothing.
func checkTileSVG(t *testing.T, tl *tile, figure, detail, titleHas string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(tl.svg))
	d.Strict = true
	var texts []string
	var root *xml.StartElement
	inTitle, title := false, ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not XML: %v\n%s", tl.SVG, err, tl.svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if root == nil {
				e := x.Copy()
				root = &e
			}
			switch x.Name.Local {
			case "svg", "title", "rect", "path", "g", "text":
			default:
				t.Errorf("%s has a <%s> element", tl.SVG, x.Name.Local)
			}
			for _, a := range x.Attr {
				if a.Name.Local == "href" || a.Name.Space != "" && a.Name.Space != "http://www.w3.org/2000/svg" || strings.Contains(a.Value, "url(") || strings.HasPrefix(a.Name.Local, "on") || a.Name.Local == "style" || a.Name.Local == "class" {
					t.Errorf("%s: attribute %s=%q", tl.SVG, a.Name.Local, a.Value)
				}
			}
			inTitle = x.Name.Local == "title"
		case xml.EndElement:
			inTitle = false
		case xml.CharData:
			if inTitle {
				title += string(x)
			} else if s := strings.TrimSpace(string(x)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	if root == nil || root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("%s: root %v", tl.SVG, root)
	}
	attr := map[string]string{}
	for _, a := range root.Attr {
		attr[a.Name.Local] = a.Value
	}
	if attr["role"] != "img" || attr["width"] != fmt.Sprint(tl.W) || attr["height"] != fmt.Sprint(tl.H) {
		t.Errorf("%s: root attributes %v", tl.SVG, attr)
	}
	if title != tl.Alt || !strings.Contains(title, titleHas) {
		t.Errorf("%s: title %q, alt %q, want %q in it", tl.SVG, title, tl.Alt, titleHas)
	}
	all := strings.Join(texts, " ")
	if !slices.Contains(texts, figure) || !strings.Contains(all, tl.Metric.Name) && !strings.Contains(all, "…") {
		t.Errorf("%s: texts %q, want the figure %q and the metric's name", tl.SVG, texts, figure)
	}
	if !strings.Contains(all, strings.Fields(detail)[0]) {
		t.Errorf("%s: texts %q, want %q", tl.SVG, texts, detail)
	}
}

// checkSnippet parses a snippet as an HTML fragment and checks it is an a
// around an img, with the addresses and alt text given, inline styles,
// and nothing else: no class, no style or script element, no other
// element or attribute.
func checkSnippet(t *testing.T, snippet, href, src, alt string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(snippet), body)
	if err != nil {
		t.Fatalf("snippet does not parse: %v", err)
	}
	if len(nodes) != 1 || nodes[0].Type != html.ElementNode || nodes[0].Data != "a" {
		t.Fatalf("snippet is %d nodes, want one a element: %s", len(nodes), snippet)
	}
	var b strings.Builder
	html.Render(&b, nodes[0])
	if strings.ReplaceAll(b.String(), "/>", ">") != snippet {
		t.Errorf("snippet changes when parsed and written again (not well-formed):\n%s\n%s", snippet, b.String())
	}
	a := nodes[0]
	img := a.FirstChild
	if img == nil || img.Type != html.ElementNode || img.Data != "img" || img.NextSibling != nil || img.FirstChild != nil {
		t.Fatalf("the link does not hold one img alone: %s", snippet)
	}
	allowed := map[string][]string{"a": {"href", "style"}, "img": {"src", "alt", "width", "height", "loading", "style"}}
	for _, n := range []*html.Node{a, img} {
		got := map[string]string{}
		for _, at := range n.Attr {
			if !slices.Contains(allowed[n.Data], at.Key) {
				t.Errorf("<%s> has the attribute %s", n.Data, at.Key)
			}
			got[at.Key] = at.Val
		}
		if got["style"] == "" {
			t.Errorf("<%s> has no inline style", n.Data)
		}
		switch n.Data {
		case "a":
			if got["href"] != href {
				t.Errorf("href %q, want %q", got["href"], href)
			}
		case "img":
			if got["src"] != src || got["alt"] != alt || got["width"] == "" || got["height"] == "" {
				t.Errorf("img %v, want src %q alt %q", got, src, alt)
			}
		}
	}
}

// TestTileGolden keeps a headline tile and a partner's tile of the example
// (SVG, snippet, preview page) and the layout of a kit card as goldens under
// testdata/kit/: the snippet's markup is documented in the README, and a
// change to it should be seen. go test -run TestTileGolden -update rewrites
// them.
func TestTileGolden(t *testing.T) {
	site, r := exampleRenderer(t)
	r.convertAll()
	var b strings.Builder
	for _, tl := range []*tile{r.headlineTile(site.Metric("coverage_2y")), r.partnerTile(site.Partner("kestrel-pharmacy"), site.Metric("doses_given"))} {
		fmt.Fprintf(&b, "== %s\n%s\n== snippet\n%s\n== %s\n%s\n", tl.SVG, tl.svg, tl.Snippet, tl.HTML, tl.page)
	}
	p := site.Partner("kestrel-pharmacy")
	for _, st := range r.kitStories(p)[:1] {
		for _, s := range card.KitSizes {
			_, lay, err := card.KitPNG(r.kitCardText(p, st), s, nil)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "== kit card %s %dx%d, safe %v\n", st.Slug, s.W, s.H, lay.Safe)
			for _, bx := range lay.Boxes {
				fmt.Fprintf(&b, "%-8s %-22v %s\n", bx.What, bx.R, bx.Text)
			}
		}
	}
	golden(t, "testdata/kit/tiles.golden", b.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from what is drawn now (go test -run %s -update rewrites it):\n%s", name, t.Name(), got)
	}
}
