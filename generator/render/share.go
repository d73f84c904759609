package render

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Share holds the text and links to share a story.
type Share struct {
	Text     string // ready to paste: title, key figure, address; at most Max characters
	Length   int    // characters in Text
	Max      int
	URL      string
	Email    string
	LinkedIn string
	X        string
	Bluesky  string // the compose intent, with the post for Bluesky
	WhatsApp string // wa.me with a short message
	// Mastodon is the post for Mastodon, which has no one address to share
	// at: the story page asks for the reader's server, and only then, on
	// the reader's click, opens its share page.
	Mastodon string
}

// MaxShare is the longest share text, in characters: what a post on X or
// Bluesky-sized networks holds.
const MaxShare = 280

// ShareText writes the ready-to-paste text of a story: its title, its key
// figure and its address, in at most MaxShare characters. The title is cut
// with an ellipsis when it does not fit; then the figure's label, then the
// figure go. The address is never cut: if it alone is longer than
// MaxShare, it is the whole text. ShareText writes it in English; the
// renderer writes it in the site's language (shareText).
func ShareText(title string, key *model.Figure, link string) string {
	return shareText(english(), title, key, link)
}

// shareText is ShareText with the joins from msgs: figure_caption and
// label_detail for the figure, share_title_figure between the title
// and the figure.
func shareText(msgs *i18n.Catalogue, title string, key *model.Figure, link string) string {
	title = strings.Join(strings.Fields(title), " ")
	var figure []string // longest first
	if key != nil && key.Value != "" {
		if c := captionText(msgs, *key); c != "" {
			figure = append(figure, msgs.S("label_detail", "label", c, "detail", key.Value))
		}
		figure = append(figure, key.Value)
	}
	figure = append(figure, "")
	room := MaxShare - utf8.RuneCountInString(link) - 1
	for _, fig := range figure {
		join := func(title string) string { return title }
		if fig != "" && title != "" {
			join = func(title string) string { return msgs.S("share_title_figure", "title", title, "figure", fig) }
		} else if fig != "" {
			join = func(string) string { return fig }
		}
		left := room - utf8.RuneCountInString(join(""))
		// Keep at least a few words of the title before giving up the figure.
		if left >= min(utf8.RuneCountInString(title), 24) {
			return strings.TrimSpace(join(cut(title, left))) + " " + link
		}
	}
	if room > 1 {
		return cut(title, room) + " " + link
	}
	return link
}

// captionText is model.Figure.Caption in the site's language: the
// figure's label, with its detail when that is short (figure_caption).
func captionText(msgs *i18n.Catalogue, f model.Figure) string {
	if f.Detail != "" && len([]rune(f.Detail)) <= 24 {
		return msgs.S("figure_caption", "label", f.Label, "detail", f.Detail)
	}
	return f.Label
}

// cut shortens s to at most n characters, at a word where it can, with an
// ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return ""
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))/2 {
		r = []rune(string(r)[:i])
	}
	return strings.TrimRight(string(r), " ,;:—–-") + "…"
}

// share makes the share text and links of a story.
func (r *renderer) share(st *model.Story, key *model.Figure, abs string) Share {
	fr := r.front(st)
	text := shareText(r.theme.Messages(), fr.title.Text, key, abs)
	post := strings.TrimSpace(strings.TrimSuffix(text, abs)) // the text without the address, for intents that add it
	body := fr.summary.Text
	if key != nil {
		body = strings.TrimSpace(body + "\n\n" + r.tr("label_detail", "label", captionText(r.theme.Messages(), *key), "detail", key.Value))
	}
	return Share{
		Text:     text,
		Length:   utf8.RuneCountInString(text),
		Max:      MaxShare,
		URL:      abs,
		Email:    "mailto:?subject=" + url.QueryEscape(fr.title.Text) + "&body=" + url.QueryEscape(body+"\n\n"+abs),
		LinkedIn: "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(abs),
		X:        "https://x.com/intent/post?text=" + url.QueryEscape(post) + "&url=" + url.QueryEscape(abs),
		Bluesky:  "https://bsky.app/intent/compose?text=" + queryEscape(PostText(r.theme.Messages(), network("bluesky"), r.storyPost(st, key, abs))),
		WhatsApp: "https://wa.me/?text=" + queryEscape(PostText(r.theme.Messages(), network("whatsapp"), r.storyPost(st, key, abs))),
		Mastodon: PostText(r.theme.Messages(), network("mastodon"), r.storyPost(st, key, abs)),
	}
}

// storyPost is what a story's posts are made of on its own page: no
// partner is named, as the reader shares it.
func (r *renderer) storyPost(st *model.Story, key *model.Figure, abs string) Post {
	fr := r.front(st)
	return Post{Title: fr.title.Text, Key: key, Hashtag: r.site.Config.Share.Hashtag, Link: abs}
}

// queryEscape escapes s for a query, spaces as %20: not every network's
// share page reads + as a space.
func queryEscape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// network returns the network of id, one of Networks.
func network(id string) Network {
	for _, n := range Networks {
		if n.ID == id {
			return n
		}
	}
	panic("render: no network " + id)
}
