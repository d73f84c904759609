package generator

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"html"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

// heldLinks are links to the held story slug written in every form a
// Markdown author can use. The %63 form was kept by the old code (as a link
// to "no such story") and hid the slug from a scan of the raw bytes.
func heldLinks(slug string) string {
	return "Links to what is not public yet: [by site path](/stories/" + slug + "/), " +
		"[relative](../stories/" + slug + "/), [absolute](https://alliance.example.org/stories/" + slug + "/), " +
		"[encoded](/stories/%" + strconv.FormatInt(int64(slug[0]), 16) + slug[1:] + "/), [by reference][held-" + slug + "], " +
		"<https://alliance.example.org/stories/" + slug + "/> and https://alliance.example.org/stories/" + slug + "/ as a bare address.\n\n" +
		"[held-" + slug + "]: https://alliance.example.org/stories/" + slug + "/#top\n"
}

// leakSite copies the example into a temporary folder and adds what the
// example does not have: a story waiting for a partner's approval (with an
// image, alt text and a tag of its own), and links in every form to every
// held story from a page and from the newsletter intro.
func leakSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"site.yaml", "content", "data", "static"} {
		from := filepath.Join(exampleDir, name)
		fi, err := os.Stat(from)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.IsDir() {
			b, _ := os.ReadFile(from)
			os.WriteFile(filepath.Join(dir, name), b, 0o644)
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(from)); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, body string, appendTo bool) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if appendTo {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			body = string(b) + "\n" + body
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/stories/2026-11-12-quarry-road-depot.md", "---\n"+
		"title: Quayside lends the quarry road depot\n"+
		"date: 2026-11-12\n"+
		"summary: A winter store for cool boxes, agreed in principle and waiting for Quayside's word.\n"+
		"kind: story\n"+
		"partners: [quayside-logistics]\n"+
		"tags: [marmalade-depot]\n"+
		"image: /images/mark.svg\n"+
		"image_alt: Pencil sketch of a padlocked depot gate beside a frozen quarry pond\n"+
		"---\n"+
		"Quayside Logistics has offered the old quarry road depot as a winter store for\n"+
		"the alliance's cool boxes. The steering group pencilled in a handover for the\n"+
		"second week of January, once the insurers have walked round the loading bay.\n", false)
	var links strings.Builder
	for _, slug := range []string{"youth-network-first-season", "council-three-year-funding", "quarry-road-depot"} {
		links.WriteString(heldLinks(slug) + "\n")
	}
	write("content/pages/about.md", links.String(), true)
	// Alone on its page, a percent-encoded link that a scan of the raw
	// bytes does not see: the old code kept it.
	write("content/pages/contact.md", "Links to what is not public yet: [the funding news](/stories/%63ouncil-three-year-funding/).\n", true)
	write("content/newsletter/2026-11.md", links.String(), true)
	return dir
}

// TestHeldContentReachesNoDecodedOutput builds the example with a draft,
// an embargoed story and one waiting for approval, links to each in every
// form, and searches every output byte, decoded (HTML and XML entities, JSON
// and JavaScript escapes, percent-encoding, base64 data: URIs, the .eml's
// quoted-printable and base64 parts and encoded headers, gzip, PNG text
// chunks), for each held story's slug, title, summary, alt text, own tags
// and phrases of its body. On the old code it fails: the autolinks and
// bare addresses kept the held slugs, and the percent-encoded link kept
// one that only the decoded scan sees.
func TestHeldContentReachesNoDecodedOutput(t *testing.T) {
	t.Parallel() // heavy and independent: runs beside the others
	src := leakSite(t)
	out := filepath.Join(t.TempDir(), "public")
	res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, st := range res.Site.Held {
		reasons = append(reasons, strings.Join(st.Held, "; "))
	}
	for _, want := range []string{"draft", "embargoed", "has not approved"} {
		if !strings.Contains(strings.Join(reasons, "\n"), want) {
			t.Fatalf("the example should hold a story back because %q; held: %v", want, reasons)
		}
	}
	public := publicText(t, src, res.Site)
	needles := map[string]string{} // folded needle → what it is
	add := func(st *model.Story, what, s string) {
		f := fold(s)
		if len(f) < 6 || strings.Contains(public, f) {
			return // too short to mean anything, or said in public too
		}
		needles[f] = st.Path + ": " + what
	}
	for _, st := range res.Site.Held {
		add(st, "slug", st.Slug)
		add(st, "title", st.Title)
		add(st, "summary", st.Summary)
		add(st, "image_alt", st.ImageAlt)
		for _, tag := range st.Tags {
			add(st, "tag", tag)
		}
		for _, p := range bodyPhrases(st.Body) {
			add(st, "body", p)
		}
	}
	t.Logf("searching for %d needles: %v", len(needles), needles)
	if len(needles) < 3*len(res.Site.Held) {
		t.Fatalf("too few needles to search for: %v", needles)
	}
	files, kits, kitFiles := 0, 0, 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files++
		rel, _ := filepath.Rel(out, p)
		if strings.HasSuffix(filepath.ToSlash(rel), "/kit/index.html") {
			kits++ // the partners' share kits, which copy stories' texts out
		}
		// A file's name is output too: the kits' cards are named after
		// their stories (partners/<id>/kit/<slug>-1080x1080.png).
		for _, st := range res.Site.Held {
			if strings.Contains(filepath.ToSlash(rel), st.Slug) {
				t.Errorf("%s is named after the held story %s", rel, st.Path)
			}
		}
		if s := filepath.ToSlash(rel); strings.HasPrefix(s, "tiles/") || strings.Contains(s, "/kit/") {
			kitFiles++
		}
		for _, f := range foldedViews(rel, b) {
			for n, what := range needles {
				if i := strings.Index(f, n); i >= 0 {
					t.Errorf("%s holds the %s: …%s…", rel, what, f[max(0, i-60):min(len(f), i+len(n)+20)])
				}
			}
		}
		return nil
	})
	if files < 50 {
		t.Fatalf("only %d files built", files)
	}
	if kits != len(res.Site.Partners) {
		t.Fatalf("%d share kits scanned, want one per partner (%d)", kits, len(res.Site.Partners))
	}
	if kitFiles < 10 {
		t.Fatalf("only %d kit cards and tiles built: the search does not cover them", kitFiles)
	}
	// Each link was reported where it is written.
	var warned int
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "which is not public") || strings.Contains(w.Msg, "which holds the address of") {
			warned++
		}
	}
	if want := 2*3*7 + 1; warned < want {
		t.Errorf("%d warnings about links to held stories, want %d (7 links to each of 3 stories, in a page and an intro, and one more)", warned, want)
	}
}

// publicText is the folded text of every source file but the held stories:
// a phrase found there may appear in the output without a leak.
func publicText(t *testing.T, src string, site *model.Site) string {
	held := map[string]bool{}
	for _, st := range site.Held {
		held[filepath.ToSlash(st.Path)] = true
	}
	var b strings.Builder
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		if held[filepath.ToSlash(rel)] {
			return nil
		}
		data, _ := os.ReadFile(p)
		switch filepath.ToSlash(rel) {
		case "content/pages/about.md", "content/pages/contact.md", "content/newsletter/2026-11.md":
			// The links added to them name the held slugs on purpose.
			if i := bytes.Index(data, []byte("Links to what is not public yet")); i >= 0 {
				data = data[:i]
			}
		}
		b.WriteString(fold(string(data)) + "\n")
		return nil
	})
	return b.String()
}

// bodyPhrases picks phrases of six words from the plain lines of a body.
func bodyPhrases(body []byte) []string {
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		if strings.ContainsAny(line, "[]{}()*_`#|<>'\"&%\\") || strings.Contains(line, "--") {
			continue
		}
		w := strings.Fields(line)
		if len(w) < 8 {
			continue
		}
		out = append(out, strings.Join(w[1:7], " "))
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

// fold lowercases s, drops soft hyphens and zero-width characters, and
// makes every run of white space one space.
func fold(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
			return -1
		case '\u00a0', '\u202f':
			return ' '
		}
		return r
	}, strings.ToLower(s))
	return spaces.ReplaceAllString(s, " ")
}

// decodedViews returns b as a reader may get it: the bytes themselves and
// every decoding of them that a browser, feed reader or mail program does.
func decodedViews(name string, b []byte, depth int) [][]byte {
	if depth > 4 {
		return nil
	}
	views := [][]byte{b}
	switch {
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
			if d, err := io.ReadAll(io.LimitReader(zr, 64<<20)); err == nil {
				views = append(views, decodedViews(name, d, depth+1)...)
			}
		}
		return views
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		for _, t := range pngText(b) {
			views = append(views, decodedViews(name, t, depth+1)...)
		}
		return views
	case strings.HasSuffix(name, ".eml"):
		for _, part := range mimeParts(b) {
			views = append(views, decodedViews(name+".part", part, depth+1)...)
		}
	}
	if !utf8.Valid(b) {
		return views
	}
	// Text: decode entities, escapes and percent-encoding until nothing
	// changes, and look inside base64 data: URIs.
	d := b
	for i := 0; i < 4; i++ {
		next := []byte(html.UnescapeString(string(percentDecode(jsUnescape(d)))))
		if bytes.Equal(next, d) {
			break
		}
		d = next
	}
	views = append(views, d)
	for _, m := range dataURI.FindAllSubmatch(b, -1) {
		if raw, err := base64.StdEncoding.DecodeString(string(m[1])); err == nil {
			views = append(views, decodedViews(name+".data", raw, depth+1)...)
		}
	}
	return views
}

var dataURI = regexp.MustCompile(`;base64,([A-Za-z0-9+/=]+)`)

// jsUnescape decodes JSON and JavaScript string escapes: \uXXXX (with
// surrogate pairs), \xXX and \/, \", \', \\, \n, \t, \r.
func jsUnescape(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\`)) {
		return b
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		switch c := b[i+1]; c {
		case 'u':
			if i+6 <= len(b) {
				if r, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32); err == nil {
					i += 5
					if r >= 0xd800 && r < 0xdc00 && i+7 <= len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
						if lo, err := strconv.ParseUint(string(b[i+3:i+7]), 16, 32); err == nil && lo >= 0xdc00 && lo < 0xe000 {
							r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
							i += 6
						}
					}
					out = utf8.AppendRune(out, rune(r))
					continue
				}
			}
			out = append(out, b[i])
		case 'x':
			if i+4 <= len(b) {
				if r, err := strconv.ParseUint(string(b[i+2:i+4]), 16, 8); err == nil {
					out = append(out, byte(r))
					i += 3
					continue
				}
			}
			out = append(out, b[i])
		case '/', '"', '\'', '\\':
			out = append(out, c)
			i++
		case 'n', 't', 'r':
			out = append(out, ' ')
			i++
		default:
			out = append(out, b[i])
		}
	}
	return out
}

// percentDecode decodes every %XX, leaving other bytes as they are.
func percentDecode(b []byte) []byte {
	if !bytes.Contains(b, []byte("%")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '%' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// pngText returns the text of a PNG's tEXt, zTXt and iTXt chunks.
func pngText(b []byte) [][]byte {
	var out [][]byte
	for p := 8; p+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if n < 0 || p+12+n > len(b) {
			break
		}
		data := b[p+8 : p+8+n]
		p += 12 + n
		key, rest, _ := bytes.Cut(data, []byte{0})
		switch typ {
		case "tEXt":
			out = append(out, key, rest)
		case "zTXt":
			out = append(out, key)
			if len(rest) > 1 {
				out = append(out, inflate(rest[1:]))
			}
		case "iTXt":
			out = append(out, key)
			if len(rest) < 2 {
				continue
			}
			compressed := rest[0] == 1
			parts := bytes.SplitN(rest[2:], []byte{0}, 3)
			if len(parts) < 3 {
				continue
			}
			out = append(out, parts[0], parts[1])
			if compressed {
				out = append(out, inflate(parts[2]))
			} else {
				out = append(out, parts[2])
			}
		}
	}
	return out
}

func inflate(b []byte) []byte {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	d, _ := io.ReadAll(io.LimitReader(zr, 16<<20))
	return d
}

// mimeParts returns a message's decoded headers and the decoded bodies of
// all its parts.
func mimeParts(b []byte) [][]byte {
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil
	}
	var dec mime.WordDecoder
	var out [][]byte
	var hdr strings.Builder
	for k, vs := range msg.Header {
		for _, v := range vs {
			if d, err := dec.DecodeHeader(v); err == nil {
				v = d
			}
			hdr.WriteString(k + ": " + v + "\n")
		}
	}
	out = append(out, []byte(hdr.String()))
	return append(out, partBodies(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)...)
}

func partBodies(ctype, cte string, body io.Reader) [][]byte {
	mt, params, err := mime.ParseMediaType(ctype)
	if err == nil && strings.HasPrefix(mt, "multipart/") {
		var out [][]byte
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			if name := p.FileName(); name != "" {
				out = append(out, []byte(name))
			}
			out = append(out, partBodies(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)...)
		}
		return out
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	d, _ := io.ReadAll(io.LimitReader(r, 64<<20))
	return [][]byte{d}
}

// newlineStripper drops CR and LF, which base64 bodies wrap at.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// TestDecodedViews checks the leak scan itself: a needle hidden by each
// encoding is not in the raw bytes but is in a decoded view.
func TestDecodedViews(t *testing.T) {
	const needle = "secret-held-slug"
	b64 := base64.StdEncoding.EncodeToString([]byte("the " + needle + " here"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<p>" + needle + "</p>"))
	zw.Close()
	var z bytes.Buffer
	zl := zlib.NewWriter(&z)
	zl.Write([]byte(needle))
	zl.Close()
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(append(c, typ...), data...)
		return append(c, 0, 0, 0, 0) // the CRC is not read
	}
	png := func(typ string, data []byte) []byte {
		return append([]byte("\x89PNG\r\n\x1a\n"), chunk(typ, data)...)
	}
	tests := []struct {
		name string
		file string
		data []byte
	}{
		{"HTML entities", "a.html", []byte("<p>&#115;ecret&#x2d;held&#45;slug</p>")},
		{"XML entities", "feed.xml", []byte("<title>secret&#45;held-slug</title>")},
		{"JSON escapes", "feed.json", []byte(`{"t":"\u0073ecret-held-slug"}`)},
		{"JS escapes", "a.js", []byte(`var u = '\/stories\/\x73ecret\u002dheld-slug\/'`)},
		{"percent-encoding", "a.html", []byte(`<a href="/stories/%73ecret-held-slug/">`)},
		{"entity around percent", "a.html", []byte(`<a href="/stories/&#37;73ecret-held-slug/">`)},
		{"data: URI", "a.html", []byte(`<img src="data:text/plain;base64,` + b64 + `">`)},
		{"gzip", "a.html.gz", gz.Bytes()},
		{"PNG zTXt", "c.png", png("zTXt", append([]byte("Title\x00\x00"), z.Bytes()...))},
		{"PNG iTXt", "c.png", png("iTXt", append([]byte("Title\x00\x01\x00en\x00Title\x00"), z.Bytes()...))},
		{"eml quoted-printable", "email.eml", []byte("Subject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n\r\n--XX\r\n" +
			"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nsee secret-he=\r\nld=2Dslug now\r\n--XX--\r\n")},
		{"eml base64", "email.eml", []byte("Subject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64[:10] + "\r\n" + b64[10:] + "\r\n")},
		{"eml header", "email.eml", []byte("Subject: =?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(needle)) + "?=\r\n\r\nbody\r\n")},
	}
	for _, tc := range tests {
		if strings.Contains(fold(string(tc.data)), needle) {
			t.Errorf("%s: the needle is in the raw bytes; the case tests nothing", tc.name)
		}
		found := false
		for _, v := range decodedViews(tc.file, tc.data, 0) {
			if strings.Contains(fold(string(v)), needle) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the decoded views miss %q", tc.name, needle)
		}
	}
}

// decodedContains reports whether any decoded view of the output file name
// holds needle, ignoring case and runs of white space.
func decodedContains(name string, b []byte, needle string) bool {
	n := fold(needle)
	for _, v := range foldedViews(name, b) {
		if strings.Contains(v, n) {
			return true
		}
	}
	return false
}

// foldedViews returns the folded decoded views of a file, worked out once
// per name and contents: the leak scans ask for many needles in each file.
func foldedViews(name string, b []byte) []string {
	key := name + "\x00" + string(sha256Sum(b))
	viewCache.Lock()
	v, ok := viewCache.m[key]
	viewCache.Unlock()
	if ok {
		return v
	}
	for _, d := range decodedViews(name, b, 0) {
		v = append(v, fold(string(d)))
	}
	viewCache.Lock()
	if viewCache.m == nil || len(viewCache.m) > 20000 {
		viewCache.m = map[string][]string{}
	}
	viewCache.m[key] = v
	viewCache.Unlock()
	return v
}

var viewCache struct {
	sync.Mutex
	m map[string][]string
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
