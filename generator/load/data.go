package load

import (
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/slug"
)

// File names inside a site.
const (
	ConfigFile     = "site.yaml"
	MetricsFile    = "data/metrics.csv"
	ObservationDir = "data/observations"
	PartnersFile   = "data/partners.yaml"
	GovernanceFile = "data/governance.yaml"
	DecisionsFile  = "data/decisions.yaml"
)

// idRE is what partner, role and decision ids may look like: safe in a URL
// and a file name on every system.
var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func checkID(file string, pos diag.Pos, what, id string, errs *diag.List) bool {
	if idRE.MatchString(id) {
		if reservedName(id) {
			errs.Errorf(pos, "%s id %q is a reserved device name on Windows and cannot be a web address", what, id).
				WithHint("choose another id, such as %q", id+"-org")
			return false
		}
		return true
	}
	if id == "" {
		errs.Errorf(pos, "%s has no id", what).WithHint("add `id:` with lower-case letters, digits and dashes, such as `lakeside-clinic`")
		return false
	}
	errs.Errorf(pos, "%s id %q may use only lower-case letters, digits, - and _ (at most 64)", what, truncate(id, 80)).
		WithHint("%s", idHint(id))
	return false
}

// ValidBaseURL reports whether s can be a site's base_url (in site.yaml or
// given with --base-url): an absolute http or https URL with a host.
func ValidBaseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// BaseURLHint is the hint given with an invalid base_url.
const BaseURLHint = "write it like https://partnership.example.org/"

func readConfig(fsys fs.FS, all *diag.List) model.Config {
	errs := new(diag.List)
	defer func() { capErrors(all, *errs) }()
	var c model.Config
	if !exists(fsys, ConfigFile) {
		errs.Errorf(diag.Pos{File: ConfigFile}, "the site has no site.yaml").
			WithHint("run drumbeat in the site folder, pass -s DIR, or create one with `drumbeat new DIR`")
		return c
	}
	b, ok := readText(fsys, ConfigFile, errs)
	if !ok {
		return c
	}
	before := len(*errs)
	n := parseYAML(ConfigFile, b, 0, errs)
	if n == nil {
		if len(*errs) > before {
			return c // a syntax error, reported
		}
		errs.Errorf(diag.Pos{File: ConfigFile, Line: 1}, "site.yaml is empty").WithHint("it needs at least `title: Your partnership`")
		return c
	}
	dropSecretKeys(ConfigFile, n, configKeys, errs)
	d := decoder{file: ConfigFile, errs: errs}
	d.decode(n, &c)
	pos := func(key string) diag.Pos {
		if p, ok := c.Lines[key]; ok {
			return p
		}
		return diag.Pos{File: ConfigFile, Line: 1}
	}
	if strings.TrimSpace(c.Title) == "" {
		errs.Errorf(pos("title"), "site.yaml has no title").WithHint("add `title: Your partnership`")
	}
	if c.BaseURL != "" && !ValidBaseURL(c.BaseURL) {
		errs.Errorf(pos("base_url"), "base_url %q is not an absolute http(s) URL", c.BaseURL).
			WithHint(BaseURLHint)
	}
	if c.Accent != "" && !regexp.MustCompile(`^#[0-9a-fA-F]{6}$`).MatchString(c.Accent) {
		errs.Errorf(pos("accent"), "accent %q is not a colour like #0b6e4f", c.Accent)
		c.Accent = ""
	}
	if c.Language == "" {
		c.Language = "en"
	} else if !regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`).MatchString(c.Language) {
		errs.Errorf(pos("language"), "language %q is not a language tag like en or fr-CA", c.Language)
		c.Language = "en"
	}
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if c.Home.Stories <= 0 {
		c.Home.Stories = 6
	}
	if c.Scorecard.OnTrack == 0 {
		c.Scorecard.OnTrack = 0.9
	}
	if c.Scorecard.AtRisk == 0 {
		c.Scorecard.AtRisk = 0.7
	}
	if c.Scorecard.AtRisk > c.Scorecard.OnTrack || c.Scorecard.OnTrack > 1.5 || c.Scorecard.AtRisk < 0 {
		errs.Errorf(pos("scorecard"), "scorecard thresholds must satisfy 0 ≤ at_risk ≤ on_track ≤ 1.5 (got at_risk %g, on_track %g)", c.Scorecard.AtRisk, c.Scorecard.OnTrack)
	}
	if c.Logos.MaxHeight == 0 {
		c.Logos.MaxHeight = 48
	}
	switch c.Logos.Order {
	case "":
		c.Logos.Order = "name"
	case "name", "joined":
	default:
		errs.Errorf(pos("logos"), "logos.order %q should be name or joined", c.Logos.Order)
	}
	for _, a := range []struct{ key, v string }{{"from", c.Newsletter.From}, {"reply_to", c.Newsletter.ReplyTo}} {
		if a.v == "" {
			continue
		}
		if strings.ContainsAny(a.v, "\r\n") {
			errs.Errorf(pos("newsletter"), "newsletter.%s contains a line break", a.key)
		} else if _, err := mail.ParseAddress(a.v); err != nil {
			errs.Errorf(pos("newsletter"), "newsletter.%s %q is not an email address", a.key, a.v).
				WithHint("write it like `Name <news@example.org>` or `news@example.org`")
		}
	}
	if c.Logo != "" {
		checkLocalURL(pos("logo"), "logo", c.Logo, errs)
	}
	c.Location = readZone(pos("timezone"), c.Timezone, errs)
	checkImageConf(c.Images, pos("images"), errs)
	checkDeploy(c.Deploy, pos("deploy"), errs)
	checkSources(c.Sources, pos("sources"), errs)
	checkData(fsys, &c.Data, c.Sources, pos("data"), errs)
	checkShare(&c.Share, pos("share"), errs)
	checkCache(&c.Cache, pos("cache"), errs)
	return c
}

// configKeys are site.yaml's top-level keys.
var configKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range structFields(reflect.TypeOf(model.Config{})).keys {
		m[k] = true
	}
	return m
}()

// Bounds of site.yaml's images: block.
const (
	maxImageMegapixels = 1000
	defaultJPEGQuality = 80
)

// checkImageConf checks site.yaml's images: block (its unknown keys are
// reported by the decoder).
func checkImageConf(ic model.ImageConf, at diag.Pos, errs *diag.List) {
	if ic.Quality < 0 || ic.Quality > 100 {
		errs.Errorf(linePos(ic.Lines, "quality", at), "images.quality %d should be between 1 and 100", ic.Quality).
			WithHint("the JPEG quality of the processed photos: 75 to 85 suits most (leave it out for %d)", defaultJPEGQuality)
	}
	if mp := ic.MaxMegapixels; !(mp >= 0 && mp <= maxImageMegapixels) {
		errs.Errorf(linePos(ic.Lines, "max_megapixels", at), "images.max_megapixels %s should be more than 0 and at most %d", strconv.FormatFloat(mp, 'g', -1, 64), maxImageMegapixels).
			WithHint("the largest photo the build accepts, in millions of pixels, such as 64 (a 12-megapixel phone photo is 12); leave it out for the default")
	}
}

// checkLocalURL checks a path to a file under static/ or an http(s) URL.
func checkLocalURL(pos diag.Pos, what, u string, errs *diag.List) bool {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.Contains(u, "..") && !strings.ContainsAny(u, "\\\x00") {
		return true
	}
	if pu, err := url.Parse(u); err == nil && (pu.Scheme == "https" || pu.Scheme == "http") && pu.Host != "" {
		return true
	}
	errs.Errorf(pos, "%s %q must be a path under static/ starting with / (such as /logos/x.svg) or an http(s) address", what, truncate(u, 80))
	return false
}

// parseDate reads a date as YYYY-MM-DD (or RFC 3339).
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		// A date alone: the model reads it in the site's time zone.
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, model.DateOnly), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02 15:04", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func dateField(pos diag.Pos, key, s string, errs *diag.List) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	t, ok := parseDate(s)
	if !ok {
		errs.Errorf(pos, "%s %q is not a date", key, truncate(s, 40)).WithHint("write dates as YYYY-MM-DD, such as 2026-03-14")
	}
	return t
}

func linePos(lines map[string]diag.Pos, key string, fallback diag.Pos) diag.Pos {
	if p, ok := lines[key]; ok {
		return p
	}
	return fallback
}

func readPartners(fsys fs.FS, all *diag.List) []*model.Partner {
	errs := new(diag.List)
	defer func() { capErrors(all, *errs) }()
	if !exists(fsys, PartnersFile) {
		return nil
	}
	b, ok := readText(fsys, PartnersFile, errs)
	if !ok {
		return nil
	}
	n := parseYAML(PartnersFile, b, 0, errs)
	if n == nil {
		return nil
	}
	var ps []*model.Partner
	d := decoder{file: PartnersFile, errs: errs}
	d.decode(n, &ps)
	var out []*model.Partner
	for _, p := range ps {
		if p == nil {
			continue
		}
		if !checkID(PartnersFile, p.Pos, "partner", p.ID, errs) {
			continue
		}
		if strings.TrimSpace(p.Name) == "" {
			errs.Errorf(p.Pos, "partner %q has no name", p.ID)
			p.Name = p.ID
		}
		switch p.Sector {
		case model.Public, model.Private, model.Civil, model.Community:
		default:
			e := errs.Errorf(linePos(p.Lines, "sector", p.Pos), "partner %q has sector %q", p.ID, p.Sector)
			e.WithHint("use one of public, private, civil, community")
		}
		p.Joined = dateField(linePos(p.Lines, "joined", p.Pos), "joined", p.JoinedRaw, errs)
		p.Left = dateField(linePos(p.Lines, "left", p.Pos), "left", p.LeftRaw, errs)
		if !p.Left.IsZero() && !p.Joined.IsZero() && p.Left.Before(p.Joined) {
			errs.Errorf(linePos(p.Lines, "left", p.Pos), "partner %q left (%s) before joining (%s)", p.ID, p.LeftRaw, p.JoinedRaw)
		}
		if p.URL != "" {
			if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs.Errorf(linePos(p.Lines, "url", p.Pos), "partner %q url %q is not an http(s) address", p.ID, truncate(p.URL, 80))
				p.URL = ""
			}
		}
		if p.Logo != "" && !checkLocalURL(linePos(p.Lines, "logo", p.Pos), "logo", p.Logo, errs) {
			p.Logo = ""
		}
		for i := range p.Contributions {
			readContribution(p, &p.Contributions[i], errs)
		}
		checkHandles(p, errs)
		out = append(out, p)
	}
	return out
}

func readContribution(p *model.Partner, c *model.Contribution, errs *diag.List) {
	per, err := model.ParsePeriod(c.PeriodRaw)
	if err != nil {
		errs.Errorf(c.Pos, "contribution of %q: %v", p.ID, err)
	}
	c.Period = per
	switch c.Kind {
	case "cash":
		if c.Amount == nil {
			errs.Errorf(c.Pos, "cash contribution of %q has no amount", p.ID)
			return
		}
		c.Value = *c.Amount
	case "in_kind":
		switch {
		case c.Amount != nil && (c.Hours != nil || c.Rate != nil):
			errs.Errorf(c.Pos, "in-kind contribution of %q gives both an amount and hours × rate; give one", p.ID)
		case c.Amount != nil:
			c.Value = *c.Amount
		case c.Hours != nil && c.Rate != nil:
			c.Value = *c.Hours * *c.Rate
		default:
			errs.Errorf(c.Pos, "in-kind contribution of %q needs an amount (goods at a value) or hours and rate (time)", p.ID)
			return
		}
	default:
		errs.Errorf(c.Pos, "contribution of %q has kind %q", p.ID, c.Kind).WithHint("use cash or in_kind")
		return
	}
	if c.Value < 0 {
		errs.Errorf(c.Pos, "contribution of %q is negative", p.ID)
	}
}

func readGovernance(fsys fs.FS, all *diag.List) model.Governance {
	errs := new(diag.List)
	defer func() { capErrors(all, *errs) }()
	g := model.Governance{Path: GovernanceFile}
	if !exists(fsys, GovernanceFile) {
		return g
	}
	b, ok := readText(fsys, GovernanceFile, errs)
	if !ok {
		return g
	}
	n := parseYAML(GovernanceFile, b, 0, errs)
	if n == nil {
		return g
	}
	d := decoder{file: GovernanceFile, errs: errs}
	d.decode(n, &g)
	g.Path = GovernanceFile
	seen := map[string]diag.Pos{}
	for _, r := range g.Roles {
		if !checkID(GovernanceFile, r.Pos, "role", r.ID, errs) {
			continue
		}
		if p, dup := seen[r.ID]; dup {
			errs.Errorf(r.Pos, "role %q is defined twice (first at line %d)", r.ID, p.Line)
		}
		seen[r.ID] = r.Pos
		if r.Name == "" {
			errs.Errorf(r.Pos, "role %q has no name", r.ID)
		}
	}
	if deg := g.Integration.Degree; deg != "" && !contains(model.IntegrationDegrees, deg) {
		errs.Errorf(linePos(g.Lines, "integration", diag.Pos{File: GovernanceFile, Line: 1}), "integration degree %q", deg).
			WithHint("use one of %s", strings.Join(model.IntegrationDegrees, ", "))
	}
	if s := g.Integration.Structure; s != "" && s != "peer" && s != "prime-sub" {
		errs.Errorf(linePos(g.Lines, "integration", diag.Pos{File: GovernanceFile, Line: 1}), "integration structure %q", s).
			WithHint("use peer or prime-sub")
	}
	for _, k := range g.Communication.ExemptKinds {
		if !validKind(k) {
			errs.Errorf(linePos(g.Lines, "communication", diag.Pos{File: GovernanceFile, Line: 1}), "exempt_kinds names %q, which is not a story kind", k).
				WithHint("use story, spotlight, roi or lesson")
		}
	}
	return g
}

func readDecisions(fsys fs.FS, all *diag.List) []*model.Decision {
	errs := new(diag.List)
	defer func() { capErrors(all, *errs) }()
	if !exists(fsys, DecisionsFile) {
		return nil
	}
	b, ok := readText(fsys, DecisionsFile, errs)
	if !ok {
		return nil
	}
	n := parseYAML(DecisionsFile, b, 0, errs)
	if n == nil {
		return nil
	}
	var ds []*model.Decision
	d := decoder{file: DecisionsFile, errs: errs}
	d.decode(n, &ds)
	var out []*model.Decision
	for _, x := range ds {
		if x == nil || !checkID(DecisionsFile, x.Pos, "decision", x.ID, errs) {
			continue
		}
		x.Date = dateField(linePos(x.Lines, "date", x.Pos), "date", x.DateRaw, errs)
		if x.Date.IsZero() && strings.TrimSpace(x.DateRaw) == "" {
			errs.Errorf(x.Pos, "decision %q has no date", x.ID)
		}
		x.RevisitOn = dateField(linePos(x.Lines, "revisit_on", x.Pos), "revisit_on", x.RevisitRaw, errs)
		if strings.TrimSpace(x.Decision) == "" {
			errs.Errorf(x.Pos, "decision %q has no text", x.ID).WithHint("add `decision:` saying what was decided")
		}
		out = append(out, x)
	}
	return out
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func validKind(k model.Kind) bool {
	switch k {
	case model.KindStory, model.KindSpotlight, model.KindROI, model.KindLesson:
		return true
	}
	return false
}

// slugify turns a file name into a URL slug of at most 80 bytes, in any
// script: "Santé au village" → "sante-au-village", "健康" → "健康" (see
// package slug).
func slugify(s string) string { return slug.Cut(slug.Make(s), 80) }

// idHint is the hint for an id that may use only ASCII lower-case letters,
// digits, - and _: an example made from what was written.
func idHint(id string) string {
	if ex := slug.Cut(slug.ASCII(id), 64); ex != "" {
		return fmt.Sprintf("for example %q", ex)
	}
	return "for example \"lakeside-clinic\""
}

// reservedRE matches the names Windows reserves for devices, with or
// without an extension: a page at /partners/con/ could not be saved there.
var reservedRE = regexp.MustCompile(`(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])([._-].*)?$`)

func reservedName(s string) bool { return reservedRE.MatchString(s) }
