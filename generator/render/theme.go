package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/render/email"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	mhtml "github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
)

// Theme is a parsed set of layouts plus the static files that go with them.
// A site's own layouts/ and static/ override the theme's file by file.
type Theme struct {
	base  *template.Template            // the shared partials
	pages map[string]*template.Template // by page name: "home", "story", …
	// plainBase and plain are the unminified sets, kept for error positions
	// when base and pages are parsed from minified sources.
	plainBase *template.Template
	plain     map[string]*template.Template
	static    []staticFile // files copied into the output
	// files maps each template to the file that defines it, by page name
	// ("" for the partials' set): html/template drops a template's parse
	// tree when escaping it fails, and its errors name templates ("main").
	files map[string]map[string]string
	// assets maps each fingerprinted static file's own path
	// ("css/site.css") to the one it is published at
	// ("css/site.1a2b3c4d5e.css"); see assets.go.
	assets map[string]string
	email  *email.Layouts // the newsletter's email layouts; see emaillayouts.go
	// msgs is the message catalogue for the site's language (see
	// messages.go); warnings holds what loading it found, such as a
	// language without a catalogue.
	msgs     *i18n.Catalogue
	warnings diag.List
	// sizes holds, by page name, an *atomic.Int64: the size of the
	// layout's last page, from which the next page's buffer is sized.
	sizes sync.Map
}

type staticFile struct {
	fsys fs.FS
	name string // path inside fsys
	rel  string // path in the output
	site bool   // the site's own (static/ in the site folder), not the theme's
	// out and data are set for a fingerprinted file: the path it is
	// published at, and the bytes (minified) whose hash that path holds.
	out  string
	data []byte
}

// LoadTheme parses the theme in themeFS (with layouts/, static/ and i18n/)
// with the overrides in siteFS (the site folder; its layouts/ and static/
// win file by file, its i18n/ key by key). themeName is used in error
// positions, e.g. "themes/default"; lang is the site's language, whose
// message catalogue the T template function reads.
//
// With minify, layouts are minified once here (tdewolff/minify understands
// Go template actions), so pages come out minified without minifying every
// page.
func LoadTheme(themeFS fs.FS, themeName string, siteFS fs.FS, lang string, funcs template.FuncMap, minify bool) (*Theme, error) {
	var errs diag.List
	msgs, merrs := i18n.Load(themeFS, themeName, siteFS, lang)
	errs.Append(merrs.Errors())
	funcs = withT(funcs, msgs)
	layouts := map[string]source{} // name relative to layouts/ → where it comes from
	emails := map[string]source{}  // the email's layouts, which are no pages
	collect := func(fsys fs.FS, label string) {
		if fsys == nil {
			return
		}
		fs.WalkDir(fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || (path.Ext(p) != ".html" && !isEmailLayout(p)) {
				return nil
			}
			if !d.Type().IsRegular() {
				errs.Errorf(diag.Pos{File: p}, "is a link or special file; layouts must be regular files")
				return nil
			}
			rel := strings.TrimPrefix(p, "layouts/")
			shown := p
			if label != "" {
				shown = label + "/" + p
			}
			if isEmailLayout(p) {
				emails[rel] = source{fsys: fsys, name: p, shown: shown}
				return nil
			}
			layouts[rel] = source{fsys: fsys, name: p, shown: shown}
			return nil
		})
	}
	collect(themeFS, themeName)
	collect(siteFS, "")

	var names []string
	for rel := range layouts {
		names = append(names, rel)
	}
	sort.Strings(names)
	t := &Theme{email: parseEmailLayouts(emails, &errs), msgs: msgs, warnings: merrs.Warnings()}
	// The plain set gives errors with true line numbers. With minify on, a
	// second set is parsed from minified sources and used for output; a
	// page that fails in it is run again in the plain set for the error.
	t.base, t.pages = parseSets(names, layouts, funcs, themeName, nil, &errs)
	if !errs.HasErrors() {
		checkMessages(t.themeSets(), msgs, &errs)
	}
	if errs.HasErrors() {
		return nil, errs.Err()
	}
	t.files = map[string]map[string]string{"": templateFiles(t.base)}
	for name, set := range t.pages {
		t.files[name] = templateFiles(set)
	}
	if minify {
		t.plainBase, t.plain = t.base, t.pages
		var merrs diag.List
		t.base, t.pages = parseSets(names, layouts, funcs, themeName, minifyTemplate, &merrs)
		if merrs.HasErrors() {
			// The minifier changed something it should not have: keep the plain set.
			t.base, t.pages = t.plainBase, t.plain
			t.plainBase, t.plain = nil, nil
		}
	}
	// Static files: the theme's, then the site's on top.
	byRel := map[string]staticFile{}
	addStatic := func(fsys fs.FS, site bool) {
		if fsys == nil {
			return
		}
		fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") || !d.Type().IsRegular() {
				return nil
			}
			rel := strings.TrimPrefix(p, "static/")
			byRel[rel] = staticFile{fsys: fsys, name: p, rel: rel, site: site}
			return nil
		})
	}
	addStatic(themeFS, false)
	addStatic(siteFS, true)
	for _, f := range byRel {
		t.static = append(t.static, f)
	}
	sort.Slice(t.static, func(i, j int) bool { return t.static[i].rel < t.static[j].rel })
	// Stylesheets and scripts are published under names that hold the
	// hash of their bytes, so that a server may let browsers keep them a
	// year: pages refer to them through Page.Rel, which knows the names.
	t.assets = fingerprint(t.static, minify, &errs)
	if errs.HasErrors() {
		return nil, errs.Err()
	}
	return t, nil
}

type source struct {
	fsys  fs.FS
	name  string
	shown string // the path errors name
}

// parseSets parses the base set (baseof.html and partials/*.html) and one
// set per page layout, each a clone of the base.
func parseSets(names []string, layouts map[string]source, funcs template.FuncMap, themeName string, transform func([]byte) ([]byte, error), errs *diag.List) (*template.Template, map[string]*template.Template) {
	base := template.New("").Funcs(funcs)
	for _, rel := range names {
		if rel == "baseof.html" || strings.HasPrefix(rel, "partials/") {
			parse(base, layouts[rel], transform, errs)
		}
	}
	if base.Lookup("base") == nil && !errs.HasErrors() {
		errs.Errorf(diag.Pos{File: themeName + "/layouts/baseof.html"}, "the theme has no template named \"base\"")
	}
	if errs.HasErrors() {
		return nil, nil
	}
	pages := map[string]*template.Template{}
	for _, rel := range names {
		if rel == "baseof.html" || strings.HasPrefix(rel, "partials/") {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			errs.Errorf(diag.Pos{File: layouts[rel].shown}, "%v", err)
			continue
		}
		parse(set, layouts[rel], transform, errs)
		pages[strings.TrimSuffix(rel, ".html")] = set
	}
	return base, pages
}

// parse adds one layout file to set, named by its shown path so that
// template errors say "themes/default/layouts/story.html:12:3" or
// "layouts/page.html:5:9" (see templateError in template_errors.go).
func parse(set *template.Template, src source, transform func([]byte) ([]byte, error), errs *diag.List) {
	b, err := fs.ReadFile(src.fsys, src.name)
	if err != nil {
		errs.Errorf(diag.Pos{File: src.shown}, "cannot read: %v", err)
		return
	}
	if transform != nil {
		if tb, err := transform(b); err == nil {
			b = tb
		}
	}
	if _, err := set.New(src.shown).Parse(string(b)); err != nil {
		errs.Add(templateError(err, nil, b))
	}
}

// minifyTemplate minifies a layout's HTML, leaving {{ }} actions alone.
func minifyTemplate(src []byte) ([]byte, error) {
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{TemplateDelims: mhtml.GoTemplateDelims, KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepSpecialComments: true})
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("text/css", css.Minify)
	var out bytes.Buffer
	if err := m.Minify("text/html", &out, bytes.NewReader(src)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// execute runs the page template name with data into a buffer.
func (t *Theme) execute(name string, data any) ([]byte, error) {
	return t.executeInto(new(bytes.Buffer), name, data)
}

// executeInto is execute writing into buf, empty, which it grows to hold
// the page; the bytes returned are buf's.
func (t *Theme) executeInto(buf *bytes.Buffer, name string, data any) ([]byte, error) {
	set := t.pages[name]
	if set == nil {
		return nil, fmt.Errorf("the theme has no layout %s.html", name)
	}
	// The buffer is sized for the layout's last page and an eighth more:
	// pages of one layout are about the same size (story pages of a
	// corpus, 16.3-17.3 kB), and a buffer grown while the page is written
	// is copied and cleared again (a fixed 16 kB grew on most pages).
	last, _ := t.sizes.Load(name)
	if last == nil {
		last, _ = t.sizes.LoadOrStore(name, new(atomic.Int64))
	}
	size := last.(*atomic.Int64)
	buf.Grow(max(4<<10, int(size.Load())*9/8))
	if err := set.ExecuteTemplate(buf, "base", data); err != nil {
		if plain := t.plain[name]; plain != nil {
			var b bytes.Buffer
			if perr := plain.ExecuteTemplate(&b, "base", data); perr != nil {
				return nil, templateError(perr, t.files[name], nil)
			}
		}
		return nil, templateError(err, t.files[name], nil)
	}
	size.Store(int64(buf.Len()))
	return buf.Bytes(), nil
}

// Has reports whether the theme has a page layout.
func (t *Theme) Has(name string) bool { return t.pages[name] != nil }

// executePartial runs a named partial (such as "chart") into w.
func (t *Theme) executePartial(w io.Writer, name string, data any) error {
	if t.base.Lookup(name) == nil {
		return fmt.Errorf("the theme has no partial %q", name)
	}
	if err := t.base.ExecuteTemplate(w, name, data); err != nil {
		// The minified set's positions are not the file's: run the
		// plain set for the error.
		if t.plainBase != nil {
			if perr := t.plainBase.ExecuteTemplate(io.Discard, name, data); perr != nil {
				return templateError(perr, t.files[""], nil)
			}
		}
		return templateError(err, t.files[""], nil)
	}
	return nil
}
