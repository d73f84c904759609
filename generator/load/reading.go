package load

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// readBody records what readers see of a story's body, as plain text, the
// figures its prose cites and the picture files it shows: partner mentions
// are looked for in that text, the figure on its social card depends on
// those figures, and the approval fingerprint covers the pictures. (The
// loader reads it, with the Markdown parser the pages are made with,
// because the model does no parsing and no I/O.)
func readBody(fsys fs.FS, st *model.Story, errs *diag.List) {
	if st == nil {
		return
	}
	r := markdown.Read(st.Body)
	st.Text, st.Figures = r.Text, r.Figures
	st.Cites = st.Cites[:0]
	for _, f := range r.Refs {
		st.Cites = append(st.Cites, model.Cite{ID: f.ID, View: f.View, Period: f.Period})
	}
	readBodyImages(fsys, st, r.Images, errs)
	var pics strings.Builder
	picture := func(u string) {
		if u == "" {
			return
		}
		pics.WriteString(u)
		pics.WriteByte(' ')
		pics.WriteString(pictureDigest(fsys, st, u))
		pics.WriteByte('\n')
	}
	picture(st.Image)
	for _, im := range r.Images {
		picture(im.Dest)
	}
	st.Pictures = pics.String()
}

// siteAddress returns u, an address written in st, as a path from the
// site's root when it is relative to the story's page ("../../images/x.png"
// on /stories/slug/ is /images/x.png); any other address as it is.
func siteAddress(st *model.Story, u string) string {
	if u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "?") {
		return u
	}
	if i := strings.IndexAny(u, ":/?#"); i >= 0 && u[i] == ':' {
		return u // a scheme: another host, or data:
	}
	return path.Join(st.URL(), u)
}

// maxPicture is the largest picture file whose contents the fingerprint
// covers; a larger one is covered by its size alone.
const maxPicture = 64 << 20

// pictureDigest identifies the file an image address u written in st
// shows: a digest of its contents, or "missing", "too large (N bytes)" or
// "not a site file" (an address on another host is covered by the address
// alone). A site path (/images/x.jpg, or relative to the story's page) is
// a file under static/; in a page bundle, a relative address is a file of
// the bundle.
func pictureDigest(fsys fs.FS, st *model.Story, u string) string {
	if st.Bundle != "" && relativeAddress(u) {
		p := u
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if q, err := url.PathUnescape(p); err == nil {
			p = q
		}
		if leaves("/", "/"+p) {
			return "missing"
		}
		return fileDigest(fsys, path.Join(st.Bundle, p))
	}
	u = siteAddress(st, u)
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return "not a site file"
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	return fileDigest(fsys, path.Join("static", path.Clean(u)))
}

// DigestFS is a file system that gives the SHA-256 (hex) of a file's
// contents, as a stat memo does without reading an unchanged file again.
// The loader uses it, when fsys has it, for the pictures the approval
// fingerprint covers: a build of a site with many photos would otherwise
// read them all to learn that none changed.
type DigestFS interface {
	fs.FS
	Digest(name string) (string, error)
}

// fileDigest is a digest of the file name's contents, or "missing" or "too
// large (N bytes)".
func fileDigest(fsys fs.FS, name string) string {
	if !fs.ValidPath(name) || linkOnPath(fsys, name) != "" {
		return "missing"
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil || !fi.Mode().IsRegular() {
		return "missing"
	}
	if fi.Size() > maxPicture {
		return "too large (" + strconv.FormatInt(fi.Size(), 10) + " bytes)"
	}
	if d, ok := fsys.(DigestFS); ok {
		sum, err := d.Digest(name)
		if err != nil || len(sum) < 16 {
			return "unreadable"
		}
		return sum[:16]
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "missing"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
