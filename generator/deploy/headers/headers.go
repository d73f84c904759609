// Package headers decides the Content-Type, Cache-Control and upload phase of
// each file a deploy uploads. It is apart from deploy, which imports the
// cloud providers' libraries, so that its fuzz target builds in seconds.
package headers

import (
	"bytes"
	"net/http"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
)

// Cache-Control headers by kind of file. A target's cache_control in
// site.yaml overrides them.
const (
	// CacheFingerprinted is for files whose name holds a hash of their
	// content: a new version gets a new name, so a copy never goes stale.
	CacheFingerprinted = "public, max-age=31536000, immutable"
	// CachePages is for HTML pages, feeds, the sitemap and robots.txt:
	// browsers and CDNs ask every time whether they changed (a cheap
	// conditional request), so a lifted embargo, a correction or a story
	// taken down shows at once.
	CachePages = "public, max-age=0, must-revalidate"
	// CacheOther is for every other file (logos, CSV downloads, files
	// under static/): an hour.
	CacheOther = "public, max-age=3600"
)

// fingerprintRE matches the base name of a fingerprinted file, such as
// lakeside-saturday-800-11799c6e9e.jpg or site.1a2b3c4d5e.css.
var fingerprintRE = regexp.MustCompile(`^.+[.-][0-9a-f]{10}\.[A-Za-z0-9]+$`)

// Fingerprinted reports whether the file at key (a slash-separated path)
// has a content hash in its name.
func Fingerprinted(key string) bool { return fingerprintRE.MatchString(path.Base(key)) }

// IsPage reports whether the file at key is a page, a feed, the sitemap or
// robots.txt: what readers and crawlers ask for by a name that does not
// change, and what refers to the other files.
func IsPage(key string) bool {
	base := path.Base(key)
	switch strings.ToLower(path.Ext(base)) {
	case ".html", ".htm", ".xml", ".json", ".webmanifest":
		return true
	}
	return base == "robots.txt" || base == "security.txt"
}

// Phase is when a file is uploaded: what is referred to goes before what
// refers to it, so that a deploy stopped half-way never leaves a page
// pointing at a missing file.
type Phase int

// The phases, in order.
const (
	PhaseAssets Phase = iota // images, fonts, downloads
	PhaseCode                // CSS and JavaScript (they refer to images and fonts)
	PhasePages               // HTML, feeds, sitemap, robots.txt
)

// PhaseOf returns the phase of the file at key.
func PhaseOf(key string) Phase {
	if IsPage(key) && !Fingerprinted(key) {
		return PhasePages
	}
	switch strings.ToLower(path.Ext(key)) {
	case ".css", ".js", ".mjs":
		return PhaseCode
	}
	return PhaseAssets
}

// CacheControl returns the Cache-Control header of the file at key, with
// the target's overrides.
func CacheControl(key string, cc model.CacheControlConf) string {
	pick := func(v, def string) string {
		if v != "" {
			return v
		}
		return def
	}
	switch {
	case Fingerprinted(key):
		return pick(cc.Fingerprinted, CacheFingerprinted)
	case IsPage(key):
		return pick(cc.Pages, CachePages)
	}
	return pick(cc.Other, CacheOther)
}

// contentTypes are the types of the files a site holds. The table is
// fixed rather than read from the system's mime.types, so that a deploy
// from any machine sends the same headers.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".ics":         "text/calendar; charset=utf-8",
	".eml":         "message/rfc822",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".zip":         "application/zip",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
	".mp3":         "audio/mpeg",
	".wasm":        "application/wasm",
	".xlsx":        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx":        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".pptx":        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":         "application/vnd.oasis.opendocument.text",
	".ods":         "application/vnd.oasis.opendocument.spreadsheet",
}

// ContentType returns the Content-Type header of the file at key; head is
// the start of its content, which tells an RSS feed from an Atom feed and
// what an unknown file holds.
func ContentType(key string, head []byte) string {
	ext := strings.ToLower(path.Ext(key))
	if ext == ".xml" {
		root := xmlRoot(head)
		switch root {
		case "rss":
			return "application/rss+xml; charset=utf-8"
		case "feed":
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	}
	if ext == ".json" && path.Base(key) == "feed.json" {
		return "application/feed+json; charset=utf-8"
	}
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if ext == "" && utf8.Valid(head) && !bytes.ContainsRune(head, 0) {
		return "text/plain; charset=utf-8" // LICENSE, NOTICE, VERSION
	}
	return http.DetectContentType(head)
}

// xmlRoot returns the name of the first element in head.
func xmlRoot(head []byte) string {
	for {
		i := bytes.IndexByte(head, '<')
		if i < 0 || i+1 >= len(head) {
			return ""
		}
		head = head[i+1:]
		if head[0] == '?' || head[0] == '!' {
			continue
		}
		end := bytes.IndexAny(head, " \t\r\n>/")
		if end < 0 {
			return ""
		}
		name := string(head[:end])
		if _, local, ok := strings.Cut(name, ":"); ok {
			name = local
		}
		return name
	}
}
