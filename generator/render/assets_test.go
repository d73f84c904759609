package render

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"testing/fstest"
)

func TestFingerprintName(t *testing.T) {
	data := []byte("body{color:red}")
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])[:HashLen]
	for in, want := range map[string]string{
		"css/site.css":                  "css/site." + h + ".css",
		"vendor/echarts/echarts.min.js": "vendor/echarts/echarts.min." + h + ".js",
		"js/app.mjs":                    "js/app." + h + ".mjs",
	} {
		if got := FingerprintName(in, data); got != want {
			t.Errorf("FingerprintName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestThemeAssets checks which static files are fingerprinted, that the
// hash is of the minified bytes (a .min.js as it is), that the site's
// static/ overrides the theme's, and that Page.Rel gives the names.
func TestThemeAssets(t *testing.T) {
	theme := fstest.MapFS{
		"layouts/baseof.html":    {Data: []byte(`{{define "base"}}<link href="{{.Rel "/css/site.css"}}">{{end}}`)},
		"layouts/home.html":      {Data: []byte(`{{define "main"}}{{end}}`)},
		"static/css/site.css":    {Data: []byte("body {\n  color: red;\n}\n")},
		"static/js/lib.min.js":   {Data: []byte("var  a = 1 ;")},
		"static/vendor/LICENSE":  {Data: []byte("license")},
		"static/images/logo.svg": {Data: []byte("<svg/>")},
		"static/css/print.css":   {Data: []byte("p { margin: 0 }")},
	}
	site := fstest.MapFS{"static/css/print.css": {Data: []byte("p { margin: 1px }")}}
	th, err := LoadTheme(theme, "themes/test", site, "en", Funcs(), true)
	if err != nil {
		t.Fatal(err)
	}
	got := th.Assets()
	want := map[string]string{
		"css/site.css":  FingerprintName("css/site.css", []byte("body{color:red}")),
		"css/print.css": FingerprintName("css/print.css", []byte("p{margin:1px}")),
		"js/lib.min.js": FingerprintName("js/lib.min.js", []byte("var  a = 1 ;")),
	}
	if len(got) != len(want) {
		t.Errorf("assets %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s published as %q, want %q", k, got[k], v)
		}
	}
	p := &Page{Path: "/stories/x/", Site: &SiteData{theme: th}}
	if r := p.Rel("/css/site.css"); r != "../../"+want["css/site.css"] {
		t.Errorf("Rel(/css/site.css) = %q", r)
	}
	if r := p.Rel("/images/logo.svg"); r != "../../images/logo.svg" {
		t.Errorf("Rel(/images/logo.svg) = %q: other files keep their names", r)
	}
	p.RootRelative = true
	if r := p.Rel("/css/site.css"); r != "/"+want["css/site.css"] {
		t.Errorf("root-relative Rel(/css/site.css) = %q", r)
	}
	// Without minifying, the name is the hash of the file as it is.
	plain, err := LoadTheme(theme, "themes/test", nil, "en", Funcs(), false)
	if err != nil {
		t.Fatal(err)
	}
	if n := plain.Assets()["css/site.css"]; n != FingerprintName("css/site.css", []byte("body {\n  color: red;\n}\n")) {
		t.Errorf("unminified css/site.css published as %q", n)
	}
}
