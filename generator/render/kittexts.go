package render

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Network is a place a partner posts a story, with its limit and the way
// it counts a post's length.
type Network struct {
	ID    string // x, bluesky, mastodon, linkedin, linkedin_long, whatsapp
	Max   int    // the longest post, as Count counts it
	Count func(string) int
	// Handle picks the partner's handle on the network; nil where the
	// network has none (WhatsApp and Signal).
	Handle func(model.Handles) string
}

// Links in a post are counted as 23 characters by X and Mastodon, whatever
// their length; Bluesky and LinkedIn count them as typed.
const shortLink = 23

// The networks' limits.
const (
	MaxX        = 280
	MaxBluesky  = 300
	MaxMastodon = 500
	MaxLinkedIn = 3000
	// MaxMessage is drumbeat's own bound for a WhatsApp or Signal message:
	// those take far longer ones, but a message to forward is short.
	MaxMessage = 500
)

// Networks are the networks a kit writes texts for, in the kit's order.
var Networks = []Network{
	{ID: "x", Max: MaxX, Count: CountX, Handle: func(h model.Handles) string { return h.X }},
	{ID: "bluesky", Max: MaxBluesky, Count: CountGraphemes, Handle: func(h model.Handles) string { return h.Bluesky }},
	{ID: "mastodon", Max: MaxMastodon, Count: CountMastodon, Handle: func(h model.Handles) string { return h.Mastodon }},
	{ID: "linkedin", Max: MaxLinkedIn, Count: utf8.RuneCountInString, Handle: linkedInHandle},
	{ID: "linkedin_long", Max: MaxLinkedIn, Count: utf8.RuneCountInString, Handle: linkedInHandle},
	{ID: "whatsapp", Max: MaxMessage, Count: utf8.RuneCountInString},
}

// linkedInHandle is the partner's LinkedIn page name; a page given by its
// address is not written in a post (LinkedIn tags a page only when it is
// picked after typing @).
func linkedInHandle(h model.Handles) string {
	if strings.HasPrefix(h.LinkedIn, "https://") {
		return ""
	}
	return h.LinkedIn
}

var linkPattern = regexp.MustCompile(`https?://[^\s]+`)

// CountX counts a post as X does: each link is 23 characters, and
// characters outside the Latin, punctuation and symbol ranges X weighs as
// one (CJK, emoji) count two.
func CountX(s string) int {
	n := 0
	for _, part := range splitLinks(s) {
		if part.link {
			n += shortLink
			continue
		}
		for _, r := range part.text {
			if xLight(r) {
				n++
			} else {
				n += 2
			}
		}
	}
	return n
}

// xLight reports whether X weighs r as one character (twitter-text's
// default ranges).
func xLight(r rune) bool {
	return r <= 0x10FF || r >= 0x2000 && r <= 0x200D || r >= 0x2010 && r <= 0x201F || r >= 0x2032 && r <= 0x2037
}

// CountMastodon counts a post as Mastodon does: characters, each link 23.
func CountMastodon(s string) int {
	n := 0
	for _, part := range splitLinks(s) {
		if part.link {
			n += shortLink
		} else {
			n += utf8.RuneCountInString(part.text)
		}
	}
	return n
}

// CountGraphemes counts a post as Bluesky does: in graphemes (what a
// reader sees as one character), links as typed.
func CountGraphemes(s string) int { return uniseg.GraphemeClusterCount(s) }

type textPart struct {
	text string
	link bool
}

func splitLinks(s string) []textPart {
	var out []textPart
	at := 0
	for _, m := range linkPattern.FindAllStringIndex(s, -1) {
		out = append(out, textPart{text: s[at:m[0]]}, textPart{text: s[m[0]:m[1]], link: true})
		at = m[1]
	}
	return append(out, textPart{text: s[at:]})
}

// Post is what a kit's texts of one story are made of.
type Post struct {
	Title   string
	Summary string
	Key     *model.Figure // the story's key figure (live, from the data); nil for none
	Partner string        // the partner's name
	Handles model.Handles
	Gives   []string // what the partner gives the partnership (partners.yaml gives)
	Hashtag string   // without its #; "" for none
	Link    string   // the story's address
}

// PostText writes the post of p for network n, within n.Max as n counts
// it. Parts are given up in this order until it fits: the figure's label,
// the hashtag, the partner's handle, the figure, the partner; then the
// title is cut at a word with an ellipsis. The link is never cut; a link
// longer than the limit is the whole text.
func PostText(msgs *i18n.Catalogue, n Network, p Post) string {
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	p.Summary = strings.Join(strings.Fields(p.Summary), " ")
	var figs []string // longest first
	if p.Key != nil && p.Key.Value != "" {
		if c := captionText(msgs, *p.Key); c != "" {
			figs = append(figs, msgs.S("label_detail", "label", c, "detail", p.Key.Value))
		}
		figs = append(figs, p.Key.Value)
	}
	figs = append(figs, "")
	handle := ""
	if n.Handle != nil {
		handle = n.Handle(p.Handles)
	}
	mentions := []string{p.Partner}
	if handle != "" && p.Partner != "" && !strings.EqualFold(handle, p.Partner) {
		mentions = []string{msgs.S("kit_mention", "name", p.Partner, "handle", handle), p.Partner}
	}
	tag := ""
	if p.Hashtag != "" && n.ID != "whatsapp" {
		tag = "#" + p.Hashtag
	}
	type variant struct{ fig, mention, tag string }
	var vs []variant
	fig0 := figs[0]
	fig1 := figs[min(1, len(figs)-1)]
	vs = append(vs, variant{fig0, mentions[0], tag}, variant{fig1, mentions[0], tag}, variant{fig1, mentions[0], ""})
	if len(mentions) > 1 {
		vs = append(vs, variant{fig1, mentions[1], ""})
	}
	last := mentions[len(mentions)-1]
	vs = append(vs, variant{"", last, ""}, variant{"", "", ""})
	if n.ID == "linkedin_long" && p.Summary != "" {
		// The summary gives way first: cut to what is left by the rest.
		rest := p
		rest.Summary = ""
		room := n.Max - n.Count(composePost(msgs, n.ID, rest, p.Title, fig0, mentions[0], tag)) - 2
		if room < 40 {
			p.Summary = ""
		} else {
			p.Summary = cutGraphemes(p.Summary, room)
		}
	}
	compose := func(title string, v variant) string {
		return composePost(msgs, n.ID, p, title, v.fig, v.mention, v.tag)
	}
	for _, v := range vs {
		if t, ok := fitTitle(n, p.Title, func(title string) string { return compose(title, v) }, min(utf8.RuneCountInString(p.Title), 24)); ok {
			return t
		}
	}
	if t, ok := fitTitle(n, p.Title, func(title string) string { return compose(title, variant{}) }, 1); ok {
		return t
	}
	return p.Link
}

// fitTitle cuts title until compose(title) fits the network, keeping at
// least least characters of it.
func fitTitle(n Network, title string, compose func(string) string, least int) (string, bool) {
	if t := compose(title); n.Count(t) <= n.Max {
		return t, true
	}
	over := n.Count(compose(title)) - n.Max
	room := utf8.RuneCountInString(title) - over
	for room >= least && room > 1 {
		t := compose(cutGraphemes(title, room))
		if n.Count(t) <= n.Max {
			return t, true
		}
		room -= max(1, (n.Count(t)-n.Max+1)/2)
	}
	return "", false
}

// cutGraphemes is cut, never splitting a grapheme (an accent from its
// letter, the parts of an emoji).
func cutGraphemes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return ""
	}
	// The longest prefix of whole graphemes within n-1 runes.
	end, runes := 0, 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		r := utf8.RuneCountInString(g.Str())
		if runes+r > n-1 {
			break
		}
		runes += r
		_, end = g.Positions()
	}
	t := s[:end]
	if i := strings.LastIndexByte(t, ' '); i > len(t)/2 {
		t = t[:i]
	}
	return strings.TrimRight(t, " ,;:—–-") + "…"
}

// composePost lays a post out the way each network's posts usually look.
func composePost(msgs *i18n.Catalogue, network string, p Post, title, fig, mention, tag string) string {
	head := title
	if fig != "" && title != "" {
		head = msgs.S("share_title_figure", "title", title, "figure", fig)
	} else if fig != "" {
		head = fig
	}
	with := ""
	if mention != "" {
		with = msgs.S("kit_with", "partner", mention)
	}
	switch network {
	case "x", "bluesky":
		if with != "" && head != "" && !strings.ContainsAny(head[len(head)-1:], ".!?…") {
			head = msgs.S("sentence", "text", head) // "… 88 sessions. With …"
		}
		return joinNonEmpty(" ", head, with, tag, p.Link)
	case "mastodon", "linkedin":
		return joinNonEmpty("\n\n", head, joinNonEmpty(" ", with, tag), p.Link)
	case "whatsapp":
		return joinNonEmpty("\n", head, p.Link)
	}
	// linkedin_long: title, summary, the figure with its source and date,
	// what the partner does, hashtag, link.
	var figLine string
	if fig != "" {
		figLine = fig
		if p.Key != nil && p.Key.Source != "" {
			figLine = msgs.S("kit_figure_source", "figure", fig, "source", p.Key.Source)
		}
	}
	did := ""
	if mention != "" && len(p.Gives) > 0 {
		did = msgs.S("kit_partner_gives", "partner", mention, "gives", listText(msgs, p.Gives))
	} else {
		did = with
	}
	summary := p.Summary
	if title != p.Title { // the title had to be cut: so does the summary
		summary = ""
	}
	return joinNonEmpty("\n\n", title, summary, figLine, did, tag, p.Link)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
