package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/render/email"
)

// ExportReport says what ExportNewsletter wrote.
type ExportReport struct {
	Issue    *model.Issue
	Message  *email.Message
	Files    []string // the files written, in order
	Warnings diag.List
}

// ExportNewsletter writes the issue of month for a list manager into dir:
// email.html and email.txt with the service's own unsubscribe and name
// tags in place of drumbeat's (email.Message.Export), and subject.txt
// with the subject and the preheader. The site must have no errors.
func ExportNewsletter(ctx context.Context, opt Options, month string, service email.Service, dir string) (*ExportReport, error) {
	opt.defaults()
	rep := &ExportReport{}
	site, set, warnings, err := loadForEmail(ctx, opt)
	rep.Warnings = warnings
	if err != nil {
		return rep, err
	}
	// The email's layouts may be overridden in the site's layouts/, and its
	// texts come from the site's message catalogue.
	theme, err := loadTheme(opt.Source, site.Config.Language, false)
	if err != nil {
		return rep, err
	}
	msg, mi, err := render.NewsletterExport(site, month, set, theme)
	if err != nil {
		return rep, err
	}
	rep.Issue, rep.Message = mi, msg
	text, html, err := msg.Export(service)
	if err != nil {
		return rep, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, err
	}
	subject := mi.Subject + "\n"
	if mi.Preheader != "" {
		subject += mi.Preheader + "\n"
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{"email.html", html}, {"email.txt", text}, {"subject.txt", []byte(subject)}} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.b, 0o644); err != nil {
			return rep, fmt.Errorf("write %s: %w", p, err)
		}
		rep.Files = append(rep.Files, p)
	}
	return rep, nil
}
