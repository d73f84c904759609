package render

import (
	"bytes"
	"encoding/xml"
	"time"
)

func (r *renderer) robots() error {
	var b bytes.Buffer
	b.WriteString("User-agent: *\nAllow: /\n")
	if base := r.site.Config.BaseURL; base != "" {
		b.WriteString("Sitemap: " + absURL(base, "/sitemap.xml") + "\n")
	}
	return r.file("robots.txt", b.Bytes())
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (r *renderer) sitemap() error {
	base := r.site.Config.BaseURL
	var urls []sitemapURL
	addURL := func(p string, t time.Time) {
		u := sitemapURL{Loc: absURL(base, p)}
		if !t.IsZero() {
			u.LastMod = t.Format("2006-01-02")
		}
		urls = append(urls, u)
	}
	addURL("/", time.Time{})
	addURL("/stories/", time.Time{})
	if hasROI(r.site) {
		addURL(ImpactPath, time.Time{})
	}
	for _, st := range r.site.Stories {
		if !st.Preview {
			addURL(st.URL(), st.Date)
		}
	}
	for _, pg := range r.site.Pages {
		if !pg.Preview {
			addURL(pg.URL(), time.Time{})
		}
	}
	addURL("/partners/", time.Time{})
	for _, p := range r.site.Partners {
		addURL("/partners/"+p.ID+"/", time.Time{})
	}
	addURL("/scorecard/", time.Time{})
	for _, m := range r.site.Metrics {
		addURL("/metrics/"+m.ID+"/", time.Time{})
	}
	addURL("/governance/", time.Time{})
	addURL("/join/", time.Time{})
	addURL("/decisions/", time.Time{})
	if r.site.Briefing != nil {
		addURL(BriefingPath, r.site.Briefing.Date)
	}
	for _, t := range r.site.Tags {
		addURL(t.URL(), time.Time{})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	enc := xml.NewEncoder(&b)
	for _, u := range urls {
		if err := enc.EncodeElement(u, xml.StartElement{Name: xml.Name{Local: "url"}}); err != nil {
			return err
		}
		b.WriteByte('\n')
	}
	enc.Flush()
	b.WriteString("</urlset>\n")
	return r.file("sitemap.xml", b.Bytes())
}
