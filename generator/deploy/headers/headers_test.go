package headers

import (
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

// TestHeaders: every kind of file a build writes gets its Content-Type,
// Cache-Control and upload phase.
func TestHeaders(t *testing.T) {
	const rss = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0">`
	const atom = `<?xml version="1.0" encoding="utf-8"?>` + "\n<!-- x -->\n" + `<feed xmlns="http://www.w3.org/2005/Atom">`
	const sitemap = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`
	for _, tc := range []struct {
		key, head, ctype, cache string
		phase                   Phase
	}{
		{"index.html", "<!doctype html>", "text/html; charset=utf-8", CachePages, PhasePages},
		{"stories/first/index.html", "", "text/html; charset=utf-8", CachePages, PhasePages},
		{"404.html", "", "text/html; charset=utf-8", CachePages, PhasePages},
		{"feed.xml", rss, "application/rss+xml; charset=utf-8", CachePages, PhasePages},
		{"index.xml", atom, "application/atom+xml; charset=utf-8", CachePages, PhasePages},
		{"sitemap.xml", sitemap, "application/xml; charset=utf-8", CachePages, PhasePages},
		{"newsletter/feed.json", "{", "application/feed+json; charset=utf-8", CachePages, PhasePages},
		{"robots.txt", "User-agent: *", "text/plain; charset=utf-8", CachePages, PhasePages},
		{"css/site.css", "", "text/css; charset=utf-8", CacheOther, PhaseCode},
		{"css/site.1a2b3c4d5e.css", "", "text/css; charset=utf-8", CacheFingerprinted, PhaseCode},
		{"js/charts.js", "", "text/javascript; charset=utf-8", CacheOther, PhaseCode},
		{"vendor/echarts/echarts.min.0123456789.js", "", "text/javascript; charset=utf-8", CacheFingerprinted, PhaseCode},
		{"vendor/echarts/echarts-0123456789.min.js", "", "text/javascript; charset=utf-8", CacheOther, PhaseCode},
		{"media/lakeside-saturday-800-11799c6e9e.jpg", "\xff\xd8\xff", "image/jpeg", CacheFingerprinted, PhaseAssets},
		{"media/lakeside-saturday-480-11799c6e9e.webp", "", "image/webp", CacheFingerprinted, PhaseAssets},
		{"media/logo-riverbend-council-ad48dac206.png", "", "image/png", CacheFingerprinted, PhaseAssets},
		{"media/photo-ABCDEF0123.jpg", "", "image/jpeg", CacheOther, PhaseAssets}, // upper case is no hex hash
		{"media/photo-11799c6e9.jpg", "", "image/jpeg", CacheOther, PhaseAssets},  // nine digits
		{"media/11799c6e9e.jpg", "", "image/jpeg", CacheOther, PhaseAssets},       // nothing before the hash
		{"logos/partner.svg", "<svg", "image/svg+xml", CacheOther, PhaseAssets},
		{"metrics/enrolment.csv", "a,b", "text/csv; charset=utf-8", CacheOther, PhaseAssets},
		{"newsletter/2026-10/email.eml", "From:", "message/rfc822", CacheOther, PhaseAssets},
		{"newsletter/2026-10/email.txt", "Hello", "text/plain; charset=utf-8", CacheOther, PhaseAssets},
		{"vendor/echarts/LICENSE", "Apache License", "text/plain; charset=utf-8", CacheOther, PhaseAssets},
		{"files/report.pdf", "%PDF-1.7", "application/pdf", CacheOther, PhaseAssets},
		{"files/blob", "\x00\x01\x02", "application/octet-stream", CacheOther, PhaseAssets},
		{"fonts/inter.woff2", "", "font/woff2", CacheOther, PhaseAssets},
	} {
		if got := ContentType(tc.key, []byte(tc.head)); got != tc.ctype {
			t.Errorf("ContentType(%s) = %q, want %q", tc.key, got, tc.ctype)
		}
		if got := CacheControl(tc.key, model.CacheControlConf{}); got != tc.cache {
			t.Errorf("CacheControl(%s) = %q, want %q", tc.key, got, tc.cache)
		}
		if got := PhaseOf(tc.key); got != tc.phase {
			t.Errorf("PhaseOf(%s) = %d, want %d", tc.key, got, tc.phase)
		}
	}
	cc := model.CacheControlConf{Pages: "public, max-age=60", Other: "no-cache", Fingerprinted: "public, max-age=86400"}
	for key, want := range map[string]string{"index.html": cc.Pages, "logos/x.svg": cc.Other, "media/x-11799c6e9e.jpg": cc.Fingerprinted} {
		if got := CacheControl(key, cc); got != want {
			t.Errorf("CacheControl(%s) with overrides = %q, want %q", key, got, want)
		}
	}
}

// FuzzContentType: any name and content gets a Content-Type, never a
// panic.
func FuzzContentType(f *testing.F) {
	f.Add("feed.xml", []byte("<?xml?><rss>"))
	f.Add("x", []byte("<"))
	f.Add("a.xml", []byte("<!---->< a:feed"))
	f.Fuzz(func(t *testing.T, key string, head []byte) {
		if ContentType(key, head) == "" {
			t.Fatalf("no Content-Type for %q", key)
		}
	})
}
