package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
	"github.com/drumbeat/drumbeat/generator/render/email"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// NewsletterView is a newsletter issue or the archive, for the theme.
type NewsletterView struct {
	Issue  *IssueView   // the issue on its own page; nil on the archive
	Issues []*IssueView // the published issues, newest first
	Newer  *IssueView   // on an issue's page: the next issue, if any
	Older  *IssueView   // and the one before
	Feeds  bool         // whether the newsletter's feeds are written
}

// IssueView is one issue for the theme: the assembled issue with its
// stories as cards, its movers as tiles with charts, its spotlight and its
// decisions.
type IssueView struct {
	*model.Issue
	Path    string // "/newsletter/2026-11/"
	Title   string // "November 2026"
	Date    string // "26 November 2026"
	ISODate string
	Intro   template.HTML
	ROI     *StoryCard
	Picked  []*StoryCard
	Stories []*StoryCard
	AsOf    string // "Q3 2026"
	Movers  []MoverView
	// NoNewFigures says, when no metric has a period newer than the
	// previous issue had, that there is nothing new (and Movers is empty).
	NoNewFigures string
	Spotlight    *SpotlightView
	Decisions    []DecisionNote
	// EmailPath, TextPath and EMLPath are the issue's email files.
	EmailPath, TextPath, EMLPath string
	// SubjectHTML and PreheaderHTML are the issue's subject and preheader
	// with each figure a link to its metric, for the web page's heading;
	// Subject and Preheader (of the Issue) are their plain texts.
	SubjectHTML, PreheaderHTML template.HTML
}

// MoverView is a metric that moved, as of the issue.
type MoverView struct {
	Tile    MetricTile
	Change  string // "+1.6 points on Q2 2026"
	Verdict string // "better" or "worse"
	Good    bool
	Chart   *ChartView
}

// DecisionNote is a decision an issue mentions, with why.
type DecisionNote struct {
	*model.Decision
	Label string // "Due for review since 31 March 2026"
	Due   bool
}

// issue is everything rendered for one issue, prepared before the jobs run.
type issue struct {
	model        *model.Issue
	view         *IssueView
	newer, older *IssueView // the issues before and after, in the archive
	mail         *email.Issue
	msg          *email.Message
	err          error // a failure to render the email
	charts       []emailChart
}

// emailChart is a PNG chart an email shows.
type emailChart struct {
	path string // the file in the output: "newsletter/2026-11/chart-coverage_2y.png"
	dark string // its dark-scheme variant: "newsletter/2026-11/chart-coverage_2y-dark.png"
	spec *chart.Spec
}

// newsletterJobs adds the jobs that render the newsletter: each issue's web
// page, email HTML, plain text and .eml, its PNG charts, the archive and
// the feeds.
func (r *renderer) newsletterJobs(addKeyed addJob) {
	if len(r.site.Newsletters) == 0 {
		return
	}
	// The jobs are named "newsletter#1", "newsletter#2"…: Prepared.Update
	// makes them all again when an issue's stories change.
	n := 0
	add := func(f func() error) {
		n++
		addKeyed(fmt.Sprintf("newsletter#%d", n), f)
	}
	problems := r.site.CheckNewsletter()
	if problems.HasErrors() {
		add(func() error { return problems })
		return
	}
	issues, errs := r.prepareIssues()
	problems.Append(errs)
	if len(problems) > 0 {
		add(func() error { return problems })
	}
	if problems.HasErrors() {
		return
	}
	var public []*issue
	for _, is := range issues {
		if !is.model.Preview {
			public = append(public, is)
		}
	}
	for i, is := range public {
		if i > 0 {
			is.newer = public[i-1].view
		}
		if i+1 < len(public) {
			is.older = public[i+1].view
		}
	}
	var views []*IssueView
	for _, is := range public {
		views = append(views, is.view)
	}
	for _, is := range issues {
		is := is
		add(func() error { return r.issuePage(is, views) })
		add(func() error { return r.issueEmail(is) })
		for _, c := range is.charts {
			c := c
			add(func() error {
				b, err := email.ChartPNG(c.spec, email.ChartWidth, email.ChartHeight)
				if err != nil {
					return err
				}
				if err := r.file(c.path, b); err != nil {
					return err
				}
				if b, err = email.ChartPNGDark(c.spec, email.ChartWidth, email.ChartHeight); err != nil {
					return err
				}
				return r.file(c.dark, b)
			})
		}
	}
	add(func() error {
		return r.page("newsletter-archive", &Page{Title: r.tr("nav_newsletter"), Path: "/newsletter/", Section: "newsletter",
			Description: r.tr("newsletter_description", "site", r.site.Config.Title),
			Newsletter:  &NewsletterView{Issues: views, Feeds: r.data.Feed}})
	})
	add(func() error { return r.newsletterFeeds(public) })
}

// prepareIssues assembles the issues and builds their emails.
func (r *renderer) prepareIssues() ([]*issue, diag.List) {
	list, errs := r.site.Issues()
	var out []*issue
	for _, mi := range list {
		is, l := r.prepareIssue(mi)
		errs.Append(l)
		out = append(out, is)
	}
	return out, errs
}

func (r *renderer) prepareIssue(mi *model.Issue) (*issue, diag.List) {
	var errs diag.List
	nf := r.newsText(mi.Newsletter)
	mi = r.resolvedIssue(mi)
	path := mi.URL()
	v := &IssueView{Issue: mi, SubjectHTML: nf.subject.HTML, PreheaderHTML: nf.preheader.HTML, Path: path, Title: r.month(mi.Month.Start()), Date: r.date(mi.Date),
		ISODate: mi.Date.Format("2006-01-02"), EmailPath: path + "email.html", TextPath: path + "email.txt", EMLPath: path + "email.eml"}
	if mi.ROI != nil {
		v.ROI = r.card(mi.ROI)
	}
	v.Picked = r.cards(mi.Picked)
	v.Stories = r.cards(mi.Stories)
	v.NoNewFigures = noNewFigures(r.theme.Messages(), mi)
	if !mi.AsOf.IsZero() {
		v.AsOf = r.period(mi.AsOf)
	}
	for _, mv := range mi.Movers {
		verdict := r.tr("mover_worse")
		if mv.Good() {
			verdict = r.tr("mover_better")
		}
		v.Movers = append(v.Movers, MoverView{Tile: tileIn(r.theme.Messages(), r.site, mv.Metric), Change: moverChange(r.theme.Messages(), mv), Verdict: verdict, Good: mv.Good()})
	}
	if p := mi.Spotlight; p != nil {
		v.Spotlight = &SpotlightView{Partner: p, Role: r.site.Role(p.Role), Chosen: mi.Newsletter.Spotlight != ""}
		if mi.SpotlightStory != nil {
			v.Spotlight.Story = r.card(mi.SpotlightStory)
		}
	}
	for _, d := range mi.Decisions {
		v.Decisions = append(v.Decisions, DecisionNote{Decision: d.Decision, Label: decisionLabel(r.theme.Messages(), d), Due: d.Why == model.Due})
	}
	is := &issue{model: mi, view: v}
	var l diag.List
	is.mail, is.charts, l = r.emailIssue(mi)
	errs.Append(l)
	is.msg, is.err = r.message(mi, is.mail)
	return is, errs
}

func moverChange(msgs *i18n.Catalogue, mv model.Mover) string {
	return msgs.S("mover_change", "change", msgs.String(model.ChangeMessage(mv.Delta, mv.Metric.Unit)), "period", periodText(msgs, mv.From.Period))
}

// noNewFigures is the sentence an issue shows instead of the numbers that
// moved when no metric has a period newer than the previous issue had.
func noNewFigures(msgs *i18n.Catalogue, mi *model.Issue) string {
	if mi.NoNewFigures.IsZero() {
		return ""
	}
	issue := monthText(msgs, mi.NoNewFigures.Start())
	if !mi.AsOf.IsZero() {
		return msgs.S("issue_no_new_figures_latest", "issue", issue, "period", periodText(msgs, mi.AsOf))
	}
	return msgs.S("issue_no_new_figures", "issue", issue)
}

func decisionLabel(msgs *i18n.Catalogue, d model.DecisionNote) string {
	switch d.Why {
	case model.Decided:
		return msgs.S("issue_decided_on", "date", dateText(msgs, d.Date))
	case model.Due:
		return msgs.S("issue_due_since", "date", dateText(msgs, d.RevisitOn))
	}
	return msgs.S("issue_up_for_review", "date", dateText(msgs, d.RevisitOn))
}

// introStory is the issue's intro dressed as a story, so that figures and
// links in it resolve, and problems in it are reported at its lines.
func introStory(mi *model.Issue) *model.Story {
	return &model.Story{Path: mi.Path, Section: "newsletter", Slug: "newsletter-" + mi.Month.String(), Title: mi.Subject,
		Date: mi.Date, Body: mi.Body, BodyLine: mi.BodyLine}
}

// convertIntro converts the intro's Markdown with the resolver f.
func (r *renderer) convertIntro(mi *model.Issue, root string, f markdown.FigureResolver) (template.HTML, diag.List) {
	var errs diag.List
	st := introStory(mi)
	out, ok := r.convertMarkdown(st, mi.Body, root, f, &errs)
	if !ok {
		return "", errs
	}
	return template.HTML(out), errs
}

// issuePage renders an issue's web version, in the site's theme.
func (r *renderer) issuePage(is *issue, all []*IssueView) error {
	v := is.view
	st := introStory(is.model)
	intro, _ := r.convertIntro(is.model, rootPrefix(v.Path), &figures{r: r, st: st, root: rootPrefix(v.Path)})
	// Problems in the intro were reported when the email was built.
	pv := *v
	pv.Intro = intro
	pv.Movers = append([]MoverView(nil), v.Movers...)
	for i := range pv.Movers {
		m := pv.Movers[i].Tile.Metric
		cv, err := r.metricChart(m, fmt.Sprintf("nl-%s-%s", is.model.Month, m.ID))
		if err != nil {
			return err
		}
		pv.Movers[i].Chart = cv
		pv.Movers[i].Tile = r.tile(m)
	}
	nv := &NewsletterView{Issue: &pv, Issues: all, Newer: is.newer, Older: is.older, Feeds: r.data.Feed}
	desc := is.model.Preheader
	if desc == "" {
		desc = r.tr("issue_description", "month", pv.Title, "site", r.site.Config.Title)
	}
	return r.page("newsletter", &Page{Title: is.model.Subject, Description: desc, Path: v.Path, Section: "newsletter",
		Preview: is.model.Preview, Newsletter: nv, Charts: len(pv.Movers) > 0 || strings.Contains(string(intro), `data-chart="`)})
}

// issueEmail writes the issue's email.html, email.txt and email.eml.
func (r *renderer) issueEmail(is *issue) error {
	if is.err != nil {
		return fmt.Errorf("%s: %w", is.model.Path, is.err)
	}
	dir := strings.TrimPrefix(is.view.Path, "/")
	if err := r.file(dir+"email.html", is.msg.HTML); err != nil {
		return err
	}
	if err := r.file(dir+"email.txt", is.msg.Text); err != nil {
		return err
	}
	b, err := is.msg.Bytes()
	if err != nil {
		return fmt.Errorf("%s: %w", is.model.Path, err)
	}
	return r.file(dir+"email.eml", b)
}

// emailIssue builds the email's view of an issue, every URL absolute, and
// the PNG charts it shows.
func (r *renderer) emailIssue(mi *model.Issue) (*email.Issue, []emailChart, diag.List) {
	cfg := r.site.Config
	base := cfg.BaseURL
	abs := func(p string) string { return absURL(base, p) }
	path := mi.URL()
	e := &email.Issue{
		Lang: cfg.Language, Site: cfg.Title, SiteURL: abs("/"), Subject: mi.Subject, Preheader: mi.Preheader,
		Kicker: r.tr("email_kicker", "month", r.month(mi.Month.Start())), Date: r.date(mi.Date), WebURL: abs(path),
		Accent: r.accent(), StoriesURL: abs("/stories/"), ScorecardURL: abs("/scorecard/"), DecisionsURL: abs("/decisions/"),
		Why:         r.tr("email_why", "site", cfg.Title),
		Unsubscribe: cfg.Newsletter.Unsubscribe, Address: cfg.Newsletter.Address,
		Messages: r.theme.Messages(),
	}
	if e.Lang == "" {
		e.Lang = "en"
	}
	if e.Address == "" {
		e.Address = cfg.Contact.Address
	}
	if a, err := mail.ParseAddress(cfg.Newsletter.ReplyTo); err == nil {
		e.Contact = a.Address
	} else if cfg.Contact.Email != "" {
		e.Contact = cfg.Contact.Email
	}
	if _, personal := r.unsubscribe(); personal != "" {
		// Each reader's address goes here when the message is addressed.
		e.Unsubscribe = email.UnsubscribeMark
	}
	charts := &chartSet{r: r, dir: strings.TrimPrefix(path, "/"), base: base, at: mi}
	f := &emailFigures{figures: &figures{r: r, st: introStory(mi), root: base}, charts: charts}
	var errs diag.List
	e.Intro, errs = r.convertIntro(mi, base, f)
	if g, _ := r.site.Greeting(mi.Newsletter); g != "" {
		e.Greeting = true
	}

	story := func(st *model.Story, featured bool) email.Story {
		s := email.Story{Label: kindLabel(r.theme.Messages(), st.Kind), Title: r.title(st), URL: abs(st.URL()), Summary: r.summary(st), Date: r.date(st.Date), Featured: featured}
		if st.Kind == model.KindROI {
			s.Label = r.tr("issue_roi")
		}
		var names []string
		for _, p := range r.partnersOf(st.NamedPartners()) {
			names = append(names, p.Name)
		}
		if len(names) > 0 {
			s.Partners = r.tr("email_with", "names", model.JoinMessage(names))
		}
		if pic := r.data.media.Picture(st.Cover); pic != nil && pic.Email != nil {
			s.Photo = &email.Image{URL: abs(pic.Email.Path), Alt: pic.Image.Alt, Width: pic.Email.Width / 2, Height: pic.Email.Height / 2}
			s.Caption, s.Credit = pic.Image.Caption, pic.Image.Credit
		}
		return s
	}
	if mi.ROI != nil {
		e.Stories = append(e.Stories, story(mi.ROI, true))
	}
	for _, st := range mi.Picked {
		e.Stories = append(e.Stories, story(st, false))
	}
	for _, st := range mi.Stories {
		e.Stories = append(e.Stories, story(st, false))
	}
	e.NoNewFigures = noNewFigures(r.theme.Messages(), mi)
	if !mi.AsOf.IsZero() {
		e.AsOf = r.period(mi.AsOf)
	}
	for _, mv := range mi.Movers {
		m := mv.Metric
		st := m.Status(cfg.Scorecard.OnTrack, cfg.Scorecard.AtRisk)
		verdict := r.tr("mover_worse")
		if mv.Good() {
			verdict = r.tr("mover_better")
		}
		e.Movers = append(e.Movers, email.Mover{
			Name: m.Name, URL: abs("/metrics/" + m.ID + "/"), Value: model.FormatValue(mv.To.Value, m.Unit), Period: r.period(mv.To.Period),
			Change: moverChange(r.theme.Messages(), mv), Verdict: verdict, Good: mv.Good(), Status: statusLabel(r.theme.Messages(), st), StatusIcon: st.Icon(),
			Takeaway: takeaway(r.theme.Messages(), m), Target: targetGap(r.theme.Messages(), m), Chart: charts.add(m),
		})
	}
	if p := mi.Spotlight; p != nil {
		sp := &email.Spotlight{Name: p.Name, URL: abs("/partners/" + p.ID + "/"), Kicker: label(r.theme.Messages(), p.Sector), About: p.About, Gives: partsText(r.theme.Messages(), p.Gives)}
		if role := r.site.Role(p.Role); role != nil {
			sp.Kicker += " · " + role.Name
		}
		if mi.SpotlightStory != nil {
			s := story(mi.SpotlightStory, false)
			sp.Story = &s
		}
		if l := r.data.media.Logo(p.ID); l != nil {
			alt := p.LogoAlt
			if alt == "" {
				alt = p.Name + " logo"
			}
			sp.Logo = &email.Image{URL: abs(l.Path), Alt: alt, Width: l.Width / 2, Height: l.Height / 2}
		}
		e.Spotlight = sp
	}
	for _, d := range mi.Decisions {
		e.Decisions = append(e.Decisions, email.Decision{Label: decisionLabel(r.theme.Messages(), d), Text: d.Decision.Decision, URL: abs("/decisions/#" + d.ID), Due: d.Why == model.Due})
	}
	return e, charts.list, errs
}

// message builds the issue's MIME message. Its date is the issue's, and
// its Message-ID derives from the issue's date and the base URL, so a
// build gives the same bytes every time.
func (r *renderer) message(mi *model.Issue, e *email.Issue) (*email.Message, error) {
	cfg := r.site.Config
	host := "drumbeat.invalid"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	sum := sha256.Sum256([]byte(cfg.BaseURL))
	m := &email.Message{
		From: cfg.Newsletter.From, ReplyTo: cfg.Newsletter.ReplyTo, Subject: mi.Subject, Date: mi.Date,
		MessageID: fmt.Sprintf("newsletter-%s.%s@%s", mi.Date.Format("2006-01-02"), hex.EncodeToString(sum[:])[:12], host),
		ListID:    r.tr("email_list_name", "site", cfg.Title) + " <newsletter." + host + ">",
	}
	layouts := r.theme.emailLayouts()
	text, err := layouts.RenderText(e)
	if err != nil {
		return nil, emailLayoutError(err)
	}
	html, err := layouts.RenderHTML(e)
	if err != nil {
		return nil, emailLayoutError(err)
	}
	m.Text, m.HTML = text, html
	var p email.Personal
	m.Unsubscribe, p.Unsubscribe = r.unsubscribe()
	if p.Unsubscribe != "" {
		// {email} stays for the email package to fill in per reader.
		p.UnsubscribeSubject = r.tr("email_unsubscribe_subject", "email", "{email}")
	}
	if g, fb := r.site.Greeting(mi.Newsletter); g != "" {
		if fb == "" {
			fb = g // a greeting without {name} is the same for everyone
		}
		p.Greeting, p.Fallback = g, fb
	}
	if p != (email.Personal{}) {
		if err := m.Personalise(p); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// unsubscribe returns the issue's unsubscribe address for no one in
// particular (the archive's copy) and, when the address differs between
// readers, its form with their address: newsletter.unsubscribe with
// {email} or {token} (the archive's copy then writes to the sender), or a
// mailto: address, which carries the reader's address in its subject.
func (r *renderer) unsubscribe() (archive, personal string) {
	nc := r.site.Config.Newsletter
	sender := ""
	if a, err := mail.ParseAddress(nc.From); err == nil {
		sender = "mailto:" + a.Address + "?subject=" + url.PathEscape(r.tr("email_unsubscribe"))
	}
	switch u := nc.Unsubscribe; {
	case r.export && !email.PerReader(u) && u != "":
		return u, u
	case u == "":
		return sender, sender
	case email.PerReader(u):
		return sender, u
	case strings.HasPrefix(u, "mailto:"):
		return u, u
	default:
		return u, ""
	}
}

// targetGap is where a metric stands against its target, without its
// value: "7.4 points short of the 90 % target", or "" without a target.
func targetGap(msgs *i18n.Catalogue, m *model.Metric) string {
	l, ok := m.Latest()
	if !ok {
		return ""
	}
	gap, ok := gapMessage(m, l.Value)
	if !ok {
		return ""
	}
	return msgs.String(gap)
}

// chartSet collects the PNG charts an issue's email shows, one per metric.
type chartSet struct {
	r    *renderer
	dir  string
	base string
	at   *model.Issue
	seen map[string]*email.Image
	list []emailChart
}

// emailPeriods is how many periods an email chart shows at most.
const emailPeriods = 12

// add returns the image of the metric's chart as of the issue, and
// records the PNG to draw.
func (c *chartSet) add(m *model.Metric) *email.Image {
	if img, ok := c.seen[m.ID]; ok {
		return img
	}
	if c.seen == nil {
		c.seen = map[string]*email.Image{}
	}
	m = m.AsOf(c.at.Date)
	vals, pers := seriesValues(m)
	if len(pers) > emailPeriods {
		vals, pers = vals[len(vals)-emailPeriods:], pers[len(pers)-emailPeriods:]
	}
	spec := &chart.Spec{ID: "nl-" + c.at.Month.String() + "-" + m.ID, Kind: chart.Line, Title: takeaway(c.r.theme.Messages(), m), Subtitle: m.Name, Unit: m.Unit,
		Labels: c.r.labels(pers), Series: []chart.Series{{Name: m.Name, Values: vals}}, Target: m.Target, Accent: c.r.accent(), Format: c.r.format(m), Words: chartWords(c.r.theme.Messages())}
	if b, ok := m.BaselineValue(); ok && m.Baseline != nil {
		spec.Baseline = &b
	}
	file, dark := c.dir+"chart-"+m.ID+".png", c.dir+"chart-"+m.ID+"-dark.png"
	img := &email.Image{URL: absURL(c.base, "/"+file), DarkURL: absURL(c.base, "/"+dark), Alt: chartAlt(c.r.theme.Messages(), m, pers), Width: email.ChartWidth, Height: email.ChartHeight}
	c.seen[m.ID] = img
	c.list = append(c.list, emailChart{path: file, dark: dark, spec: spec})
	return img
}

// chartAlt is a chart's text alternative: what it shows and its key figures.
func chartAlt(msgs *i18n.Catalogue, m *model.Metric, pers []model.Period) string {
	if len(pers) == 0 {
		return msgs.S("chart_alt_no_data", "metric", m.Name)
	}
	s := msgs.S("chart_alt", "metric", m.Name, "from", periodText(msgs, pers[0]), "to", periodText(msgs, pers[len(pers)-1]), "takeaway", takeaway(msgs, m))
	if prev, ok := m.Previous(); ok {
		l, _ := m.Latest()
		s += msgs.S("chart_alt_change", "change", msgs.String(model.ChangeMessage(l.Value-prev.Value, m.Unit)), "period", periodText(msgs, prev.Period))
	}
	if b, ok := m.BaselineValue(); ok && m.Baseline != nil {
		s += " Baseline " + model.FormatValue(b, m.Unit) + "."
	}
	return s
}

// emailFigures resolves figures in an issue's intro for mail: values and
// links as on the web but absolute, charts as PNG images, sparklines as
// the latest value.
type emailFigures struct {
	*figures
	charts *chartSet
}

func (f *emailFigures) ResolveFigure(ref markdown.FigureRef) (string, bool, error) {
	m := f.r.site.Metric(ref.ID)
	switch {
	case m == nil || len(m.Series) == 0:
	case ref.View == "chart":
		f.cited = append(f.cited, m.ID)
		img := f.charts.add(m)
		// The dark-scheme chart as in the movers (email.html), hidden from
		// Outlook on Windows.
		return fmt.Sprintf(`<p class="chart"><a href="%[1]s"><img class="chart-light" src="%[2]s" width="%[4]d" alt="%[5]s">`+
			`<!--[if !mso]><!--><img class="chart-dark" src="%[3]s" width="%[4]d" alt="%[5]s"><!--<![endif]--></a></p><p class="caption">%[6]s.</p>`,
			esc(absURL(f.charts.base, "/metrics/"+m.ID+"/")), esc(img.URL), esc(img.DarkURL), img.Width, esc(img.Alt), esc(takeaway(f.r.theme.Messages(), m.AsOf(f.charts.at.Date)))), true, nil
	case ref.View == "sparkline":
		ref.View = ""
	}
	return f.figures.ResolveFigure(ref)
}

var _ markdown.FigureResolver = (*emailFigures)(nil)

var _ markdown.LinkResolver = (*emailFigures)(nil)

// Newsletter builds the email of the issue of month (written like 2026-11)
// as the build writes it to email.eml, for sending. Its problems are
// returned as a diag.List. theme gives the email's layouts (a site's
// layouts/newsletter-email.html and .txt) and its texts (the site's message
// catalogue); nil for the built-in layouts and the default theme's English.
func Newsletter(site *model.Site, month string, set *media.Set, theme *Theme) (*email.Message, *model.Issue, error) {
	return newsletter(site, month, false, set, theme)
}

// NewsletterExport is Newsletter for a list manager: the message's
// unsubscribe link is marked for the service's tag (Message.Export) even
// when it is the same for every reader.
func NewsletterExport(site *model.Site, month string, set *media.Set, theme *Theme) (*email.Message, *model.Issue, error) {
	return newsletter(site, month, true, set, theme)
}

func newsletter(site *model.Site, month string, export bool, set *media.Set, theme *Theme) (*email.Message, *model.Issue, error) {
	errs := site.CheckNewsletter()
	if errs.HasErrors() {
		return nil, nil, errs.Err()
	}
	mi, l, err := site.Issue(month)
	if err != nil {
		return nil, nil, err
	}
	errs.Append(l)
	if errs.HasErrors() {
		return nil, nil, errs.Err()
	}
	r := &renderer{site: site, md: markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML}), export: export,
		data: &SiteData{Site: site, media: set}, theme: theme}
	if l := r.resolveNewsletters(); l.HasErrors() {
		return nil, nil, l.Err()
	}
	mi = r.resolvedIssue(mi)
	// The titles and summaries of the stories the email shows.
	r.bodies = map[*model.Story]body{}
	var ferrs diag.List
	for _, st := range append(append([]*model.Story{mi.ROI, mi.SpotlightStory}, mi.Picked...), mi.Stories...) {
		if st != nil {
			fr := r.resolveFront(st, &ferrs)
			r.bodies[st] = body{front: &fr}
		}
	}
	if ferrs.HasErrors() {
		return nil, nil, ferrs.Err()
	}
	e, _, l := r.emailIssue(mi)
	if l.HasErrors() {
		return nil, nil, l.Err()
	}
	msg, err := r.message(mi, e)
	if err != nil {
		return nil, nil, err
	}
	return msg, mi, nil
}
