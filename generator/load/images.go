package load

import (
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Images of stories and pages: the cover (image: and the image_ keys of
// the front matter) and the images of the body, each checked and resolved
// to a file of the site (Image.File) where it is one. What is wrong with
// one is reported at the line that cites it.

// decorativeAlt is the alt text that says an image adds nothing to the
// text: screen readers pass it over.
const decorativeAlt = "decorative"

// isDecorative reports whether alt text is the word decorative.
func isDecorative(alt string) bool { return strings.EqualFold(strings.TrimSpace(alt), decorativeAlt) }

// altHint says both ways of giving an image's alt text.
func altHint(dest string, markdownSyntax bool) string {
	if markdownSyntax {
		return fmt.Sprintf("describe what the picture shows for readers who cannot see it: ![Nurse giving a vaccine at the Saturday clinic](%s); if it adds nothing to the text, write ![decorative](%s)", dest, dest)
	}
	return "describe what the picture shows for readers who cannot see it, in one sentence (`image_alt: Nurse giving a vaccine at the Saturday clinic`); if it adds nothing to the text, write `image_alt: decorative`"
}

// splitCaption splits the title of a Markdown image into its caption and
// its credit: the text after the last " | " is the credit ("Caption |
// Photo: Name"), a title that starts with "|" is a credit alone ("| Photo:
// Name"). Both are trimmed.
func splitCaption(title string) (caption, credit string) {
	t := strings.TrimSpace(title)
	if i := strings.LastIndex(t, " | "); i >= 0 {
		return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+3:])
	}
	if rest, ok := strings.CutPrefix(t, "|"); ok {
		return "", strings.TrimSpace(rest)
	}
	if rest, ok := strings.CutSuffix(t, " |"); ok {
		return strings.TrimSpace(rest), ""
	}
	return t, ""
}

// focusHint is the hint given with a focal point drumbeat cannot read.
const focusHint = "write the focal point as two fractions from 0 to 1, across then down: `image_focus: 0.3,0.4` (0,0 is the top left corner, 0.5,0.5 the centre)"

// parseFocus reads image_focus, written "0.3,0.4" or as a list of two
// numbers. On a problem it returns which number is wrong (0 or 1), or -1
// when the value as a whole is.
func parseFocus(v any) (x, y float64, bad int, err error) {
	var parts []any
	switch t := v.(type) {
	case string:
		s := strings.Split(t, ",")
		if len(s) != 2 {
			return 0, 0, -1, fmt.Errorf("image_focus %q should be two numbers separated by a comma", truncate(t, 40))
		}
		parts = []any{strings.TrimSpace(s[0]), strings.TrimSpace(s[1])}
	case []any:
		if len(t) != 2 {
			return 0, 0, -1, fmt.Errorf("image_focus should be two numbers, not %d", len(t))
		}
		parts = t
	default:
		return 0, 0, -1, fmt.Errorf("image_focus should be two numbers such as 0.3,0.4, not %s", truncate(fmt.Sprint(v), 40))
	}
	var xy [2]float64
	for i, p := range parts {
		var f float64
		switch n := p.(type) {
		case float64:
			f = n
		case int:
			f = float64(n)
		case int64:
			f = float64(n)
		case uint64:
			f = float64(n)
		case string:
			var perr error
			f, perr = strconv.ParseFloat(n, 64)
			if perr != nil || strings.ContainsAny(n, "xXpP_") {
				return 0, 0, i, fmt.Errorf("image_focus: %q is not a number", truncate(n, 40))
			}
		default:
			return 0, 0, i, fmt.Errorf("image_focus: %s is not a number", truncate(fmt.Sprint(p), 40))
		}
		if math.IsNaN(f) || f < 0 || f > 1 {
			what := "across"
			if i == 1 {
				what = "down"
			}
			return 0, 0, i, fmt.Errorf("image_focus: %s is not between 0 and 1 (the %s position, as a fraction of the %s)",
				strconv.FormatFloat(f, 'g', -1, 64), what, map[int]string{0: "width", 1: "height"}[i])
		}
		xy[i] = f
	}
	return xy[0], xy[1], -1, nil
}

// focusOffset is the byte offset in s, a focal point written "x,y", of
// the first non-blank byte of its part i (0 or 1).
func focusOffset(s string, i int) int {
	off := 0
	if i == 1 {
		c := strings.IndexByte(s, ',')
		if c < 0 {
			return 0
		}
		off = c + 1
	}
	for off < len(s) && (s[off] == ' ' || s[off] == '\t') {
		off++
	}
	return off
}

// readCover checks the image keys of a story's front matter and sets
// s.Cover. The story's slug and bundle are set.
func readCover(fsys fs.FS, s *model.Story, m *storyMatter, errs *diag.List) {
	caption, credit := strings.TrimSpace(m.ImageCaption), strings.TrimSpace(m.ImageCredit)
	if s.Image == "" {
		if m.Image != "" {
			return // refused, and reported
		}
		// image_alt alone has long been let through; the new keys are not.
		for _, k := range []struct {
			key string
			set bool
		}{{"image_caption", caption != ""}, {"image_credit", credit != ""}, {"image_focus", m.ImageFocus != nil}} {
			if k.set {
				errs.Errorf(s.Pos(k.key), "`%s:` describes the story's image, but the story has no `image:`", k.key).
					WithHint("add `image: /images/photo.jpg` (a photo under static/images/) or, in a page bundle, `image: photo.jpg` (beside index.md); or remove `%s:`", k.key)
			}
		}
		return
	}
	img := &model.Image{Pos: s.Pos("image"), Src: s.Image, Caption: caption, Credit: credit, FocusX: 0.5, FocusY: 0.5}
	alt := strings.TrimSpace(s.ImageAlt)
	switch {
	case alt == "":
		errs.Errorf(s.Pos("image"), "the image has no image_alt text").WithHint("%s", altHint(s.Image, false))
	case isDecorative(alt):
		img.Decorative = true
		s.ImageAlt = ""
	default:
		img.Alt = alt
	}
	if m.ImageFocus != nil {
		x, y, bad, err := parseFocus(m.ImageFocus)
		if err != nil {
			pos := linePos(s.Lines, "image_focus=", s.Pos("image_focus"))
			if str, ok := m.ImageFocus.(string); ok && bad >= 0 && pos.Col > 0 {
				pos.Col += focusOffset(str, bad) // at the number, in "0.3,1.4"
			} else if bad >= 0 {
				pos = linePos(s.Lines, "image_focus."+strconv.Itoa(bad), pos)
			}
			errs.Errorf(pos, "%v", err).WithHint(focusHint)
		} else {
			img.FocusX, img.FocusY = x, y
		}
	}
	file, ok := resolveImage(fsys, s, s.Image, img.Pos, errs)
	if !ok {
		return
	}
	img.File = file
	s.Cover = img
}

// readBodyImages sets s.Images from the images of its body.
func readBodyImages(fsys fs.FS, s *model.Story, images []markdown.Image, errs *diag.List) {
	s.Images = s.Images[:0]
	for _, im := range images {
		pos := diag.Pos{File: s.Path, Line: s.BodyLine + im.Line - 1, Col: im.Col}
		if im.Line <= 0 {
			pos = diag.Pos{File: s.Path, Line: s.BodyLine}
		}
		if markdown.DangerousURL(im.Dest) {
			continue // shown as nothing, as every such address (urlFilter)
		}
		img := &model.Image{Pos: pos, Src: im.Dest, FocusX: 0.5, FocusY: 0.5}
		img.Caption, img.Credit = splitCaption(im.Title)
		alt := strings.TrimSpace(im.Alt)
		switch {
		case alt == "":
			errs.Errorf(pos, "the image %s has no alt text", truncate(im.Dest, 80)).WithHint("%s", altHint(im.Dest, true))
		case isDecorative(alt):
			img.Decorative = true
		default:
			img.Alt = alt
		}
		file, ok := resolveImage(fsys, s, im.Dest, pos, errs)
		if !ok {
			continue
		}
		img.File = file
		s.Images = append(s.Images, img)
	}
}

// resolveImage returns the file of the site an image address written in
// s shows ("static/images/x.jpg", or a file of the story's page bundle),
// or "" for an image on another host. A problem is reported at pos.
//
// "/images/x.jpg" is static/images/x.jpg. In a page bundle, a relative
// address ("clinic.jpg", "photos/clinic.jpg") is a file of the bundle;
// elsewhere it is relative to the story's page (/stories/slug/), so
// "../../images/x.jpg" is static/images/x.jpg.
func resolveImage(fsys fs.FS, s *model.Story, dest string, pos diag.Pos, errs *diag.List) (string, bool) {
	shown := truncate(dest, 80)
	if model.IsRemote(dest) {
		return "", true // allowed or refused by allow_remote_images
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		errs.Errorf(pos, "the image address %s is neither a file of the site nor an http(s) address", shown).
			WithHint("copy the photo into the site: under static/images/ (and write /images/photo.jpg), or beside the story in its page bundle (see README, \"Photos and images in stories\")")
		return "", false
	}
	p := dest
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if p == "" || strings.ContainsAny(p, "\\\x00") {
		errs.Errorf(pos, "the image address %q is not a file name", shown).
			WithHint("write it like /images/photo.jpg, with forward slashes")
		return "", false
	}
	var name, root string
	switch {
	case strings.HasPrefix(p, "/"):
		root = "static"
		if leaves("/", p) {
			errs.Errorf(pos, "the image address %s leaves the site", shown).
				WithHint("images are files of the site: put the photo under static/images/ and write /images/photo.jpg")
			return "", false
		}
		name = path.Join("static", p)
	case s.Bundle != "":
		root = s.Bundle
		if leaves("/", "/"+p) {
			errs.Errorf(pos, "the image address %s leaves the story's folder %s/", shown, s.Bundle).
				WithHint("put the photo in %s/, beside index.md, and write its name alone; or put it under static/images/ and write /images/photo.jpg", s.Bundle)
			return "", false
		}
		name = path.Join(s.Bundle, p)
	default:
		root = "static"
		if leaves(s.URL(), p) {
			errs.Errorf(pos, "the image address %s leaves the site", shown).
				WithHint("images are files of the site: put the photo under static/images/ and write /images/photo.jpg")
			return "", false
		}
		name = path.Join("static", s.URL(), p)
	}
	if !fs.ValidPath(name) {
		errs.Errorf(pos, "the image address %s is not a file name", shown).WithHint("write it like /images/photo.jpg")
		return "", false
	}
	if l := linkOnPath(fsys, name); l != "" {
		e := errs.Errorf(pos, "the image %s is a link (%s), not a file", shown, l)
		if l != name {
			e.Msg = fmt.Sprintf("the image %s is inside %s/, which is a link, not a folder", shown, l)
		}
		e.WithHint("drumbeat reads only files inside the site folder; copy the photo here instead of linking to it")
		return "", false
	}
	fi, err := fs.Stat(fsys, name)
	switch {
	case err != nil:
		e := errs.Errorf(pos, "the image %s is not in static/ nor beside the story (looked for %s)", shown, name)
		switch {
		case strings.HasPrefix(p, "/"):
			e.WithHint("put the photo at %s (check the spelling and the case of the name), or change the address", name)
		case s.Bundle != "":
			e.WithHint("put %s in %s/, beside index.md; or put it under static/images/ and write /images/%s", path.Base(p), s.Bundle, path.Base(p))
		case root == "static":
			e.WithHint("put the photo under static/images/ and write /images/%s; or make the story a page bundle (a folder %s with the story as index.md and the photo beside it)",
				path.Base(p), path.Join(path.Dir(s.Path), strings.TrimSuffix(path.Base(s.Path), path.Ext(s.Path))))
		}
		return "", false
	case fi.IsDir():
		errs.Errorf(pos, "the image %s is a folder (%s), not a file", shown, name).WithHint("give the photo's file name, such as %s/photo.jpg", strings.TrimSuffix(dest, "/"))
		return "", false
	case !fi.Mode().IsRegular():
		errs.Errorf(pos, "the image %s is not a regular file", shown)
		return "", false
	}
	return name, true
}

// leaves reports whether the relative address rel, seen from the folder
// base (a site path ending in /), climbs above the root of the site; an
// absolute rel is seen from the root.
func leaves(base, rel string) bool {
	depth := 0
	if !strings.HasPrefix(rel, "/") {
		depth = strings.Count(strings.Trim(base, "/"), "/") + 1
		if strings.Trim(base, "/") == "" {
			depth = 0
		}
	}
	for _, seg := range strings.Split(rel, "/") {
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// relativeAddress reports whether u is a relative address: no scheme, not
// from the site's root.
func relativeAddress(u string) bool {
	if u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "\\") {
		return false
	}
	i := strings.IndexAny(u, ":/?#")
	return i < 0 || u[i] != ':'
}

// storyFiles lists the stories under dir: every .md file, except inside a
// page bundle, a folder below dir that holds an index.md, whose story is
// that index.md alone. bundles[i] is the bundle of files[i], or "". Another
// .md file inside a bundle is an error; the bundle's other files are its
// resources (photos), not stories.
func storyFiles(fsys fs.FS, dir string, errs *diag.List) (files, bundles []string) {
	all := listFiles(fsys, dir, errs)
	isBundle := map[string]bool{}
	for _, f := range all {
		if d := path.Dir(f); d != dir && path.Base(f) == "index.md" {
			isBundle[d] = true
		}
	}
	// bundleOf is the outermost bundle holding f (a bundle inside a
	// bundle is not one: its index.md is one .md file too many).
	bundleOf := func(f string) string {
		out := ""
		for d := path.Dir(f); d != dir && d != "." && d != "/" && strings.HasPrefix(d, dir+"/"); d = path.Dir(d) {
			if isBundle[d] {
				out = d
			}
		}
		return out
	}
	for _, f := range all {
		if !strings.EqualFold(path.Ext(f), ".md") {
			continue
		}
		b := bundleOf(f)
		if b != "" && f != b+"/index.md" {
			errs.Errorf(diag.Pos{File: f}, "a page bundle holds one story: %s/ is the bundle of %s/index.md, and this is another story in it", b, b).
				WithHint("move this file out of %s/ (to %s/ as a story of its own), or merge it into index.md", b, dir)
			continue
		}
		files = append(files, f)
		bundles = append(bundles, b)
	}
	return files, bundles
}
