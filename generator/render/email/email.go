// Package email renders a newsletter issue for mail clients: table-based
// HTML at 600 px with every style inlined, a plain-text version, a MIME
// message that carries both, the same issue as feed content, and the
// issue's charts as PNG images. It knows nothing of the site's model: the
// renderer hands it an Issue whose every URL is absolute. The HTML and the
// plain text come from built-in templates unless Layouts (a site's
// layouts/newsletter-email.html and .txt) replace them.
package email

import (
	"fmt"
	"html/template"
	"math"
	"sync"

	"github.com/drumbeat/drumbeat/generator/i18n"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// Issue is one newsletter issue, ready to render. Every URL is absolute;
// Intro is HTML fit for mail: links absolute, no scripts, no SVG.
type Issue struct {
	Lang      string // the site's language, "en"
	Site      string // the partnership's name
	SiteURL   string // the site's home page
	Subject   string
	Preheader string
	Kicker    string // "November 2026 newsletter"
	Date      string // "26 November 2026"
	WebURL    string // the web version: "view in your browser"
	Accent    string // the site's accent colour, #rrggbb

	// Greeting is set when the issue greets each reader, like "Dear
	// {name},": HTML and Text then write GreetingMark where the greeting
	// goes, and Message.SetGreeting puts each reader's in its place.
	Greeting bool

	Intro template.HTML

	Stories      []Story // the ROI narrative first, then the picked and the month's stories
	StoriesURL   string
	Movers       []Mover
	NoNewFigures string // instead of Movers: "No measure has new figures since the October 2026 issue; …"
	AsOf         string // the period the movers moved in: "Q3 2026"
	ScorecardURL string
	Spotlight    *Spotlight
	Decisions    []Decision
	DecisionsURL string

	// Why says why the reader receives the issue; Unsubscribe is a URL
	// (https: or mailto:); Address is the sender's postal address.
	Why         string
	Unsubscribe string
	Address     string
	Contact     string // an email address for replies, or ""

	// Messages holds the texts the email writes (the site's message
	// catalogue); nil for the default theme's English.
	Messages *i18n.Catalogue
}

// Story is a story in the issue: its title, a line about it and a link.
type Story struct {
	Label    string // "Story", "Lesson", "Return on investment" …
	Title    string
	URL      string
	Summary  string
	Date     string
	Partners string // "With Lakeside Community Clinic and Valley Health Department", or ""
	Featured bool   // the ROI narrative: shown first, with a heading of its own
	// Photo is the story's photo, sized for the email (twice its width in
	// pixels, under about 200 kB); Caption and Credit go under it.
	Photo           *Image
	Caption, Credit string
}

// Mover is a metric that moved in the latest period.
type Mover struct {
	Name       string
	URL        string
	Value      string // "82.6 %"
	Period     string // "Q3 2026"
	Change     string // "+1.6 points on Q2 2026"
	Verdict    string // "better" or "worse": never by colour alone
	Good       bool
	Status     string // "On track"
	StatusIcon string // "✓"
	Takeaway   string // the chart's title: "82.6 % in Q3 2026, 7.4 points short of the 90 % target"
	Target     string // where it stands against its target: "7.4 points short of the 90 % target", or ""
	Chart      *Image
}

// Image is an image with the size it is shown at and a text alternative
// that carries what it shows.
type Image struct {
	URL string
	// DarkURL is the chart drawn for the dark scheme, shown instead of
	// URL by the clients that apply it; "" for none.
	DarkURL string
	Alt     string
	// Width and Height are in CSS pixels; the file holds twice as many.
	// The email gives only the width: with images off, a mail client
	// then shows the alt text in a box sized to it, not a chart-sized
	// blank; the height follows from the image when it loads.
	Width, Height int
}

// Spotlight is the partner the issue recognises.
type Spotlight struct {
	Name   string
	URL    string // the partner's page
	Kicker string // "Private sector · Delivery partner"
	About  string
	Gives  string // "Late-opening vaccine days; Five branches"
	Story  *Story // their spotlight story, if any
	Logo   *Image // their logo as a PNG (an SVG logo is drawn for the email), or nil
}

// Decision is a decision with why the issue mentions it.
type Decision struct {
	Label string // "Due for review since 31 March 2026"
	Text  string
	URL   string
	Due   bool
}

// palette holds the issue's colours: light by default, dark for clients
// that support prefers-color-scheme. Every text colour reaches WCAG AA
// (4.5:1) on its background.
type palette struct {
	Page, Card, Line         string
	Ink, Muted               string
	Accent, AccentInk        string // links and headings; text on an accent button
	Good, Bad                string
	DPage, DCard, DLine      string
	DInk, DMuted, DAccent    string
	DGood, DBad, DButton     string
	DButtonInk, ButtonAccent string
}

func newPalette(accent string) palette {
	a, ok := parseHex(accent)
	if !ok {
		a = rgb{0x0f, 0x5e, 0x66}
	}
	white, card := rgb{0xff, 0xff, 0xff}, rgb{0x1a, 0x20, 0x23}
	// Links in the light scheme: the accent, darkened until it reads on white.
	light := a
	for i := 0; contrast(light, white) < 4.5 && i < 20; i++ {
		light = mix(light, rgb{0, 0, 0}, 0.15)
	}
	// In the dark scheme: the accent, lightened until it reads easily on
	// the dark card (7:1, WCAG AAA).
	dark := a
	for i := 0; contrast(dark, card) < 7 && i < 20; i++ {
		dark = mix(dark, white, 0.2)
	}
	p := palette{
		Page: "#eef1f0", Card: "#ffffff", Line: "#d9dfdd",
		Ink: "#1c2326", Muted: "#4a5559",
		Accent: light.hex(), Good: "#1a6b3c", Bad: "#a3242b",
		DPage: "#0f1416", DCard: card.hex(), DLine: "#33403f",
		DInk: "#e8eeec", DMuted: "#b6c2bf", DAccent: dark.hex(),
		DGood: "#6fd39a", DBad: "#ff8a8f",
		ButtonAccent: light.hex(), AccentInk: "#ffffff",
	}
	// A button keeps the accent in both schemes, with ink that reads on it.
	if contrast(light, white) < contrast(light, rgb{0x0f, 0x14, 0x16}) {
		p.AccentInk = "#0f1416"
	}
	p.DButton, p.DButtonInk = p.ButtonAccent, p.AccentInk
	return p
}

type rgb struct{ r, g, b uint8 }

func parseHex(s string) (rgb, bool) {
	var c rgb
	if len(s) != 7 || s[0] != '#' {
		return c, false
	}
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &c.r, &c.g, &c.b); err != nil {
		return c, false
	}
	return c, true
}

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

func mix(a, b rgb, t float64) rgb {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return rgb{f(a.r, b.r), f(a.g, b.g), f(a.b, b.b)}
}

func luminance(c rgb) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast returns the WCAG contrast ratio of two colours.
func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// messages returns the issue's catalogue, or the default theme's English.
func (is *Issue) messages() *i18n.Catalogue {
	if is.Messages != nil {
		return is.Messages
	}
	return english()
}

// t returns the text of a message the email writes.
func (is *Issue) t(key string, args ...any) string { return is.messages().S(key, args...) }

var english = sync.OnceValue(func() *i18n.Catalogue {
	c, _ := i18n.Load(defaulttheme.FS, defaulttheme.Name, nil, i18n.Default)
	return c
})
