package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// HashLen is the number of hex digits of a fingerprint: the first 10 of
// the SHA-256 of the bytes written.
const HashLen = 10

// Fingerprinted reports whether a static file is published under a name
// that carries the hash of its content: stylesheets and scripts, the
// theme's and the site's own. Other static files (photos, logos, PDFs a
// story links to) keep their names.
func Fingerprinted(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".css", ".js", ".mjs":
		return true
	}
	return false
}

// FingerprintName returns rel with the hash of data before its extension:
// "css/site.css" → "css/site.1a2b3c4d5e.css",
// "vendor/echarts/echarts.min.js" → "vendor/echarts/echarts.min.1a2b3c4d5e.js".
func FingerprintName(rel string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(rel)
	return strings.TrimSuffix(rel, ext) + "." + hex.EncodeToString(sum[:])[:HashLen] + ext
}

// fingerprint reads the stylesheets and scripts among static, minifies
// them when minify is set (files named .min.js or .min.css are already
// minified), and names each by the hash of the bytes it will be written
// with. It returns the map from each file's own path ("css/site.css") to
// its published one.
func fingerprint(static []staticFile, minify bool, errs *diag.List) map[string]string {
	var m *minifier
	if minify {
		m = newAssetMinifier()
	}
	names := map[string]string{}
	for i := range static {
		f := &static[i]
		if !Fingerprinted(f.rel) {
			continue
		}
		data, err := fs.ReadFile(f.fsys, f.name)
		if err != nil {
			shown := f.name
			if !f.site {
				shown = "theme " + f.name
			}
			errs.Errorf(diag.Pos{File: shown}, "cannot read: %v", err)
			continue
		}
		if m != nil {
			data = m.minify(f.rel, data)
		}
		f.data = data
		f.out = FingerprintName(f.rel, data)
		names[f.rel] = f.out
	}
	return names
}

type minifier struct{ m *minify.M }

func newAssetMinifier() *minifier {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	return &minifier{m}
}

// minify returns data minified, or as it is when it is minified already
// or the minifier cannot read it (a site's script with a syntax error is
// published as it was written, as before drumbeat minified scripts).
func (m *minifier) minify(rel string, data []byte) []byte {
	lower := strings.ToLower(rel)
	if strings.HasSuffix(lower, ".min.js") || strings.HasSuffix(lower, ".min.css") {
		return data
	}
	mt := "application/javascript"
	if strings.HasSuffix(lower, ".css") {
		mt = "text/css"
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := m.m.Minify(mt, &out, bytes.NewReader(data)); err != nil {
		return data
	}
	return out.Bytes()
}

// Asset returns the published path of a static file given by its own
// site path ("/css/site.css" → "/css/site.1a2b3c4d5e.css"); other paths
// are returned as they are.
func (t *Theme) Asset(target string) string {
	if t == nil || len(t.assets) == 0 || !strings.HasPrefix(target, "/") {
		return target
	}
	if out, ok := t.assets[strings.TrimPrefix(target, "/")]; ok {
		return "/" + out
	}
	return target
}

// Assets returns the fingerprinted files, from each file's own path
// ("css/site.css") to its published one ("css/site.1a2b3c4d5e.css").
func (t *Theme) Assets() map[string]string {
	out := make(map[string]string, len(t.assets))
	for k, v := range t.assets {
		out[k] = v
	}
	return out
}

// copyAsset writes a fingerprinted file with the bytes its name was
// hashed from. It goes through the sink's Copy, which writes bytes as they
// are: File would minify them again and the name would lie.
func (r *renderer) copyAsset(f staticFile) error {
	return r.sink.Copy(f.out, fstest.MapFS{"asset": &fstest.MapFile{Data: f.data, Mode: 0o644}}, "asset")
}
