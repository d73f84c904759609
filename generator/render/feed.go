package render

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	Link    []atomLink  `xml:"link"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  *atomPerson `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string    `xml:"title"`
	Link      atomLink  `xml:"link"`
	ID        string    `xml:"id"`
	Updated   string    `xml:"updated"`
	Published string    `xml:"published"`
	Summary   string    `xml:"summary,omitempty"`
	Category  []atomCat `xml:"category"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// feed writes /feed.xml, an Atom feed of the 20 latest published stories.
// Its updated time is the newest story's date, so it changes only with
// the content.
func (r *renderer) feed() error {
	base := r.site.Config.BaseURL
	f := atomFeed{
		Title:  r.site.Config.Title,
		Link:   []atomLink{{Href: absURL(base, "/feed.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: absURL(base, "/")}},
		ID:     absURL(base, "/"),
		Author: &atomPerson{Name: r.site.Config.Title},
	}
	var newest time.Time
	for _, st := range r.site.Stories {
		if st.Preview {
			continue
		}
		if len(f.Entries) == 20 {
			break
		}
		if st.Date.After(newest) {
			newest = st.Date
		}
		e := atomEntry{
			Title:     st.Title,
			Link:      atomLink{Href: absURL(base, st.URL())},
			ID:        absURL(base, st.URL()),
			Updated:   rfc3339(st.Date),
			Published: rfc3339(st.Date),
			Summary:   st.Summary,
		}
		for _, t := range st.Tags {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Updated = rfc3339(newest)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	b.WriteByte('\n')
	return r.file("feed.xml", b.Bytes())
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

var _ = model.KindStory
