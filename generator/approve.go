package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Approval is what `drumbeat approve` records.
type Approval struct {
	Story   string    // the story file, relative to the site or absolute
	Partner string    // the approving partner's id
	By      string    // the person who approved
	On      time.Time // the day of the approval
}

// Approve records a partner's approval of a story as it is now in the
// story's front matter, with the fingerprint of everything in it that
// reaches a reader (model.Site.Fingerprint). It returns the fingerprint.
func Approve(opt Options, a Approval) (string, error) {
	opt.defaults()
	if strings.TrimSpace(a.By) == "" || strings.ContainsAny(a.By, "\r\n") {
		return "", fmt.Errorf("say who approved with --by NAME (one line)")
	}
	rel, err := storyPath(opt.Source, a.Story)
	if err != nil {
		return "", err
	}
	site, errs := Load(opt)
	if site == nil {
		return "", errs.Err()
	}
	var st *model.Story
	for _, s := range append(append([]*model.Story(nil), site.Stories...), site.Held...) {
		if s.Path == rel {
			st = s
		}
	}
	if st == nil {
		if e := errs.Errors(); len(e) > 0 {
			return "", e
		}
		return "", fmt.Errorf("%s is not a story of the site in %s (stories live in content/stories/)", rel, opt.Source)
	}
	p := site.Partner(a.Partner)
	if p == nil {
		var ids []string
		for _, x := range site.Partners {
			ids = append(ids, x.ID)
		}
		msg := fmt.Sprintf("partner %q is not in data/partners.yaml", a.Partner)
		if s := diag.Suggest(a.Partner, ids); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return "", fmt.Errorf("%s", msg)
	}
	if !contains(st.NamedPartners(), p.ID) {
		return "", fmt.Errorf("%s does not name %s; only the partners a story names approve it", rel, p.Name)
	}
	full := filepath.Join(opt.Source, filepath.FromSlash(rel))
	src, err := os.ReadFile(full)
	if err != nil {
		return "", err
	}
	fp := site.Fingerprint(st)
	out, err := load.AddApproval(rel, src, model.Approval{Partner: p.ID, By: a.By, On: a.On.Format("2006-01-02"), Fingerprint: fp})
	if err != nil {
		return "", err
	}
	tmp := full + ".drumbeat-tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, full); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return fp, nil
}

// storyPath returns the story's path relative to the site, with slashes.
func storyPath(source, story string) (string, error) {
	abs, err := filepath.Abs(story)
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs(source)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		// Perhaps it was given relative to the site folder.
		abs = filepath.Join(root, story)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is not inside the site folder %s", story, source)
	}
	return filepath.ToSlash(rel), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
