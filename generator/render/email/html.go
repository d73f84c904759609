package email

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/vanng822/go-premailer/premailer"
)

//go:embed templates
var templates embed.FS

// fonts is the system font stack: nothing to download.
const fonts = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`

// ChartWidth and ChartHeight are the size, in CSS pixels, a chart is drawn
// for and shown at most at in the email. The PNG holds twice as many
// pixels, for sharp images on high-density screens. On a phone the chart
// shrinks to the column: PhoneColumn of a 375 px screen, where its
// smallest text (ChartMinText) must still be 12 px or more; a chart drawn
// for the 536 px desktop column had 9 px text there.
const (
	ChartWidth  = 400
	ChartHeight = 240
	// PhoneColumn is the column of a 375 px wide phone: less the page's
	// 8 px and the section's 20 px padding on each side.
	PhoneColumn = 375 - 2*pagePad - 2*phonePad
	pagePad     = 8
	phonePad    = 20
)

// conditional comments for Outlook on Windows, which lays out mail with
// Word: 96 dpi images, a fixed 600 px column, and a button that keeps its
// padding. html/template drops comments, so they go in as values.
var mso = map[string]template.HTML{
	"head":      `<!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]-->`,
	"open":      `<!--[if mso]><table role="presentation" align="center" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px"><tr><td><![endif]-->`,
	"close":     `<!--[if mso]></td></tr></table><![endif]-->`,
	"btn-open":  `<!--[if mso]><i style="mso-font-width:150%;mso-text-raise:21pt" hidden>&#8195;</i><![endif]-->`,
	"btn-close": `<!--[if mso]><i style="mso-font-width:150%" hidden>&#8195;&#8203;</i><![endif]-->`,
	// Outlook on Windows never shows the dark chart.
	"not-open":  `<!--[if !mso]><!-->`,
	"not-close": `<!--<![endif]-->`,
}

// htmlFuncs are the functions an email layout may call, the theme's
// (templates/email.html) and a site's override alike.
var htmlFuncs = template.FuncMap{
	"mso":          func(name string) template.HTML { return mso[name] },
	"greetingMark": func() string { return GreetingMark },
	// filler keeps the start of the body out of the inbox preview after
	// the preheader.
	"filler": func() template.HTML { return template.HTML(strings.Repeat("&#847;&zwnj;&nbsp;", 40)) },
	// T is bound to the issue's catalogue in withT.
	"T": func(string, ...any) (template.HTML, error) { return "", nil },
	"button": func(href string, label template.HTML) (template.HTML, error) {
		var b strings.Builder
		err := buttonTemplate.Execute(&b, struct {
			URL              string
			Label            template.HTML
			BtnOpen, BtnEnds template.HTML
		}{href, label, mso["btn-open"], mso["btn-close"]})
		return template.HTML(b.String()), err
	},
}

var htmlTemplate = template.Must(template.New("email.html").Funcs(htmlFuncs).ParseFS(templates, "templates/email.html"))

// buttonTemplate is a button at least 44 px tall that works in Outlook too.
var buttonTemplate = template.Must(template.New("button").Parse(
	`<table role="presentation" class="btn-table" cellpadding="0" cellspacing="0" border="0"><tr><td class="btn-td">` +
		`<a class="btn" href="{{.URL}}">{{.BtnOpen}}{{.Label}} →{{.BtnEnds}}</a></td></tr></table>`))

// HTMLData is what an email's HTML layout receives: the issue's fields,
// and the two stylesheets made from the site's accent colour.
type HTMLData struct {
	*Issue
	InlineCSS template.CSS // moved into style attributes by the CSS inliner
	HeadCSS   template.CSS // kept in <head>: the phone layout and the dark scheme
}

// HTML renders the issue for mail clients: a 600 px table layout that
// stacks on phones, every style inlined (the responsive and dark-mode rules
// stay in the head, for the clients that read them), no scripts, no SVG, no
// web fonts, no data: images.
func HTML(is *Issue) ([]byte, error) { return (*Layouts)(nil).RenderHTML(is) }

// RenderHTML renders the issue with the HTML layout, the built-in one when l or
// l.HTML is nil. The output of either goes through the same steps: CSS
// inlined, a doctype; an override must also keep the unsubscribe link
// and may hold no script.
func (l *Layouts) RenderHTML(is *Issue) ([]byte, error) {
	t, override := htmlTemplate, false
	if l != nil && l.HTML != nil {
		t, override = l.HTML, true
	}
	p := newPalette(is.Accent)
	var b bytes.Buffer
	tmpl, err := withT(t, is)
	if err != nil {
		return nil, err
	}
	if err := tmpl.Execute(&b, HTMLData{Issue: is, InlineCSS: inlineCSS(p), HeadCSS: headCSS(p)}); err != nil {
		return nil, err
	}
	if override {
		if err := checkHTML(t.Name(), b.String(), is); err != nil {
			return nil, err
		}
	}
	pm, err := premailer.NewPremailerFromBytes(b.Bytes(), premailer.NewOptions(premailer.WithCssToAttributes(false)))
	if err != nil {
		return nil, fmt.Errorf("inline the email's CSS: %w", err)
	}
	out, err := pm.Transform()
	if err != nil {
		return nil, fmt.Errorf("inline the email's CSS: %w", err)
	}
	out = strings.Replace(out, ` data-premailer="ignore"`, "", 1)
	if !strings.HasPrefix(strings.ToLower(out), "<!doctype") {
		out = "<!DOCTYPE html>\n" + out
	}
	return []byte(strings.TrimSpace(out) + "\n"), nil
}

// inlineCSS is the stylesheet premailer moves into style attributes.
func inlineCSS(p palette) template.CSS {
	r := strings.NewReplacer(
		"PAGE", p.Page, "CARD", p.Card, "LINE", p.Line, "INK", p.Ink, "MUTED", p.Muted,
		"ACCENTINK", p.AccentInk, "BUTTON", p.ButtonAccent, "ACCENT", p.Accent, "GOOD", p.Good, "BAD", p.Bad, "FONTS", fonts,
		"PADPAGE", strconv.Itoa(pagePad), "CHARTWIDTH", strconv.Itoa(ChartWidth))
	return template.CSS(r.Replace(`
body, .body { margin: 0; padding: 0; width: 100%; background-color: PAGE; word-spacing: normal; }
.bg-page { background-color: PAGE; padding: 0 PADPAGEpx; }
.container { width: 100%; max-width: 600px; margin: 0 auto; }
.px { padding-left: 32px; padding-right: 32px; }
.top { padding-top: 16px; padding-bottom: 8px; font-family: FONTS; font-size: 14px; line-height: 20px; color: MUTED; text-align: center; }
.top a { color: MUTED; text-decoration: underline; }
.mast { padding-top: 8px; padding-bottom: 20px; font-family: FONTS; }
.brand { font-family: FONTS; font-size: 20px; line-height: 26px; font-weight: 700; color: ACCENT; text-decoration: none; }
.kicker { margin: 4px 0 0; font-family: FONTS; font-size: 14px; line-height: 20px; color: MUTED; text-transform: uppercase; letter-spacing: 1px; }
.card { background-color: CARD; border-radius: 8px; }
.section { padding-top: 28px; padding-bottom: 12px; border-top: 1px solid LINE; font-family: FONTS; color: INK; }
.first { border-top: 0; padding-top: 32px; }
h1 { margin: 0 0 8px; font-family: FONTS; font-size: 30px; line-height: 36px; font-weight: 700; color: INK; }
h2 { margin: 0 0 20px; font-family: FONTS; font-size: 22px; line-height: 28px; font-weight: 700; color: INK; }
h3 { margin: 0 0 8px; font-family: FONTS; font-size: 19px; line-height: 25px; font-weight: 700; color: INK; }
p { margin: 0 0 16px; font-family: FONTS; font-size: 16px; line-height: 24px; color: INK; }
li { margin: 0 0 8px; font-family: FONTS; font-size: 16px; line-height: 24px; color: INK; }
ul, ol { margin: 0 0 16px; padding-left: 24px; }
a { color: ACCENT; text-decoration: underline; }
h3 a { text-decoration: none; }
.prose table { border-collapse: collapse; margin: 0 0 16px; }
.prose th, .prose td { padding: 4px 8px; border-bottom: 1px solid LINE; font-family: FONTS; font-size: 15px; line-height: 22px; color: INK; text-align: left; }
.item { padding-bottom: 16px; }
.featured { padding: 16px 16px 8px; border-left: 4px solid ACCENT; }
.label { margin: 0 0 4px; font-size: 14px; line-height: 20px; color: MUTED; font-weight: 600; }
.meta { font-size: 14px; line-height: 20px; color: MUTED; }
.more { margin: 0 0 8px; }
.value { margin: 0; font-size: 30px; line-height: 36px; font-weight: 700; color: INK; }
.change { margin: 6px 0 2px; font-size: 16px; line-height: 22px; font-weight: 700; }
.good { color: GOOD; }
.bad { color: BAD; }
.col { padding-bottom: 12px; }
.chart { margin: 4px 0 8px; }
.chart img { display: block; width: 100%; max-width: CHARTWIDTHpx; height: auto; border: 0; border-radius: 4px; text-decoration: none; font-family: FONTS; font-size: 14px; line-height: 20px; color: INK; background-color: CARD; }
.chart img.chart-dark { display: none; max-height: 0; overflow: hidden; }
.photo { margin: 0 0 12px; }
.photo img { display: block; width: 100%; height: auto; border: 0; border-radius: 4px; text-decoration: none; font-family: FONTS; font-size: 14px; line-height: 20px; color: INK; background-color: CARD; }
.logo img { display: block; height: auto; border: 0; font-family: FONTS; font-size: 14px; line-height: 20px; color: INK; }
.caption { font-size: 14px; line-height: 20px; color: MUTED; }
.decision { margin: 0 0 16px; }
.due { color: BAD; }
.btn-table { margin: 4px 0 24px; }
.btn-td { background-color: BUTTON; border-radius: 6px; }
.btn { display: inline-block; padding: 14px 24px; font-family: FONTS; font-size: 16px; line-height: 20px; font-weight: 700; color: ACCENTINK; text-decoration: none; border-radius: 6px; mso-padding-alt: 0; }
.foot { padding-top: 24px; padding-bottom: 40px; font-family: FONTS; text-align: center; }
.foot p { font-size: 14px; line-height: 21px; color: MUTED; margin: 0 0 12px; }
.foot a { color: MUTED; }
`))
}

// headCSS stays in the head: client fixes, the phone layout and the dark
// scheme (for Apple Mail, Outlook.com and the clients that read them).
func headCSS(p palette) template.CSS {
	dark := func(prefix string) string {
		r := strings.NewReplacer("DPAGE", p.DPage, "DCARD", p.DCard, "DLINE", p.DLine, "DINK", p.DInk, "DMUTED", p.DMuted,
			"DACCENT", p.DAccent, "DGOOD", p.DGood, "DBAD", p.DBad, "DBUTTONINK", p.DButtonInk, "DBUTTON", p.DButton, "P ", prefix)
		return r.Replace(`
P .body, P .bg-page { background-color: DPAGE !important; }
P .card { background-color: DCARD !important; }
P h1, P h2, P h3, P p, P li, P td, P .value { color: DINK !important; }
P .top, P .top a, P .kicker, P .meta, P .label, P .caption, P .foot p, P .foot a { color: DMUTED !important; }
P a, P .brand { color: DACCENT !important; }
P .good { color: DGOOD !important; }
P .bad, P .due { color: DBAD !important; }
P .section { border-color: DLINE !important; }
P .btn-td { background-color: DBUTTON !important; }
P .chart img, P .photo img { color: DINK !important; background-color: DCARD !important; }
P .chart-light { display: none !important; }
P .chart-dark { display: block !important; max-height: none !important; overflow: visible !important; }
P a.btn { color: DBUTTONINK !important; }
`)
	}
	return template.CSS(`
:root { color-scheme: light dark; supported-color-schemes: light dark; }
body { margin: 0 !important; padding: 0 !important; -webkit-text-size-adjust: 100%; -ms-text-size-adjust: 100%; }
table, td { border-collapse: collapse; mso-table-lspace: 0pt; mso-table-rspace: 0pt; }
img { -ms-interpolation-mode: bicubic; }
a[x-apple-data-detectors] { color: inherit !important; text-decoration: none !important; }
@media (max-width: 620px) {
  .px { padding-left: ` + strconv.Itoa(phonePad) + `px !important; padding-right: ` + strconv.Itoa(phonePad) + `px !important; }
  .stack { display: block !important; width: 100% !important; }
  h1 { font-size: 26px !important; line-height: 32px !important; }
  .value { font-size: 26px !important; line-height: 32px !important; }
}
@media (prefers-color-scheme: dark) {` + strings.ReplaceAll(dark(""), "\n ", "\n  ") + `}` +
		dark("[data-ogsc] "))
}

var contentTemplate = template.Must(template.New("content.html").Funcs(template.FuncMap{
	"T": func(string, ...any) (template.HTML, error) { return "", nil },
}).ParseFS(templates, "templates/content.html"))

// withT returns a copy of set whose T writes the issue's messages (see
// i18n.Catalogue.HTML): the texts the email writes come from the site's
// catalogue, as the theme's do.
func withT(set *template.Template, is *Issue) (*template.Template, error) {
	c, err := set.Clone()
	if err != nil {
		return nil, err
	}
	msgs := is.messages()
	return c.Funcs(template.FuncMap{"T": msgs.T}), nil
}

// Content renders the issue as plain, semantic HTML for feed readers: the
// same sections as the email, without its layout tables and styles.
func Content(is *Issue) (string, error) {
	var b strings.Builder
	tmpl, err := withT(contentTemplate, is)
	if err != nil {
		return "", err
	}
	if err := tmpl.ExecuteTemplate(&b, "content.html", is); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}
