package render

import (
	"errors"
	"html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/render/email"
)

// The newsletter's email layouts. They are no pages: they get the email's
// own data (email.HTMLData, *email.Issue) and functions, are never
// minified (the CSS inliner and mail clients read them), and without them
// the email package's built-in email is used.
const (
	emailHTMLLayout = "newsletter-email.html" // html/template, see email.ParseHTML
	emailTextLayout = "newsletter-email.txt"  // text/template, see email.ParseText
)

// isEmailLayout reports whether p (like "layouts/newsletter-email.html")
// is one of the email's layouts.
func isEmailLayout(p string) bool {
	rel := strings.TrimPrefix(p, "layouts/")
	return rel == emailHTMLLayout || rel == emailTextLayout
}

// parseEmailLayouts parses the email layouts found in the theme and the
// site (the site's win, as for every layout); nil when there are none.
func parseEmailLayouts(srcs map[string]source, errs *diag.List) *email.Layouts {
	if len(srcs) == 0 {
		return nil
	}
	l := &email.Layouts{}
	for rel, src := range srcs {
		b, err := fs.ReadFile(src.fsys, src.name)
		if err != nil {
			errs.Errorf(diag.Pos{File: src.shown}, "cannot read: %v", err)
			continue
		}
		switch path.Ext(rel) {
		case ".html":
			if l.HTML, err = email.ParseHTML(src.shown, string(b)); err != nil {
				errs.Add(templateError(err, nil, b))
			}
		default:
			if l.Text, err = email.ParseText(src.shown, string(b)); err != nil {
				errs.Add(templateError(err, nil, b))
			}
		}
	}
	return l
}

// emailLayouts returns the theme's email layouts; nil for the built-in ones.
func (t *Theme) emailLayouts() *email.Layouts {
	if t == nil {
		return nil
	}
	return t.email
}

// emailLayoutError turns an error of executing an email layout (a site's
// layouts/newsletter-email.html or .txt; html/template also reports its
// escaping problems then) into "layouts/newsletter-email.html:12:5: …", as
// templateError reports the theme's layouts. Other errors are returned as
// they are.
func emailLayoutError(err error) error {
	var exec texttemplate.ExecError
	var escape *template.Error
	if !errors.As(err, &exec) && !errors.As(err, &escape) {
		return err
	}
	e := templateError(err, nil, nil)
	if strings.Contains(e.Msg, "can't evaluate field") {
		e.Hint = "check the name against what the email layout receives: email.HTMLData in newsletter-email.html, *email.Issue in newsletter-email.txt (docs/themes.md, “The newsletter's email”)"
	}
	return e
}
