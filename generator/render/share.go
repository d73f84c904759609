package render

import (
	"encoding/json"
	"fmt"
	"github.com/drumbeat/drumbeat/generator/images"
	"github.com/drumbeat/drumbeat/generator/media"
	"image"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

// MaxShare is the longest share text, in characters: what a post on X or
// Bluesky-sized networks holds.
const MaxShare = 280

// ShareText writes the ready-to-paste text of a story: its title, its key
// figure and its address, in at most MaxShare characters. The title is cut
// with an ellipsis when it does not fit; then the figure's label, then the
// figure go. The address is never cut: if it alone is longer than
// MaxShare, it is the whole text.
func ShareText(title string, key *model.Figure, link string) string {
	title = strings.Join(strings.Fields(title), " ")
	var figure []string // longest first
	if key != nil && key.Value != "" {
		if c := key.Caption(); c != "" {
			figure = append(figure, c+": "+key.Value)
		}
		figure = append(figure, key.Value)
	}
	figure = append(figure, "")
	room := MaxShare - utf8.RuneCountInString(link) - 1
	for _, fig := range figure {
		sep := ""
		if fig != "" && title != "" {
			sep = " — "
		}
		left := room - utf8.RuneCountInString(sep+fig)
		// Keep at least a few words of the title before giving up the figure.
		if left >= min(utf8.RuneCountInString(title), 24) {
			return strings.TrimSpace(cut(title, left)+sep+fig) + " " + link
		}
	}
	if room > 1 {
		return cut(title, room) + " " + link
	}
	return link
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
	text := ShareText(fr.title.Text, key, abs)
	post := strings.TrimSpace(strings.TrimSuffix(text, abs)) // the text without the address, for intents that add it
	body := fr.summary.Text
	if key != nil {
		body = strings.TrimSpace(body + "\n\n" + key.Caption() + ": " + key.Value)
	}
	return Share{
		Text:     text,
		Length:   utf8.RuneCountInString(text),
		Max:      MaxShare,
		URL:      abs,
		Email:    "mailto:?subject=" + url.QueryEscape(fr.title.Text) + "&body=" + url.QueryEscape(body+"\n\n"+abs),
		LinkedIn: "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(abs),
		X:        "https://x.com/intent/post?text=" + url.QueryEscape(post) + "&url=" + url.QueryEscape(abs),
	}
}

// storyCardPath is the address of a story's social card: a JPEG when it
// shows the story's photo, a PNG otherwise.
func (r *renderer) storyCardPath(st *model.Story) string {
	if r.cover(st) != nil {
		return st.URL() + "card.jpg"
	}
	return st.URL() + "card.png"
}

// cover returns the processed cover of st when it has a crop for the
// social card, or nil.
func (r *renderer) cover(st *model.Story) *media.Picture {
	if r.data == nil {
		return nil
	}
	if pic := r.data.media.Picture(st.Cover); pic != nil && pic.Social != nil {
		return pic
	}
	return nil
}

// storyCard draws a story's social card: its title and key figure (or its
// summary) in the theme's colours, and its photo with the logos of its
// partners when it has a cover. A card with a photo is kept in the image
// cache by all that it shows, so a rebuild draws none again.
func (r *renderer) storyCard(st *model.Story, key *model.Figure) error {
	c := r.storyCardText(st, key)
	pic := r.cover(st)
	if pic == nil {
		png, err := card.PNG(c)
		if err != nil {
			return fmt.Errorf("social card of %s: %w", st.Path, err)
		}
		return r.file(strings.TrimPrefix(r.storyCardPath(st), "/"), png)
	}
	set := r.data.media
	proc := set.Processor()
	var logos []*media.Logo
	for _, id := range st.Partners {
		if l := set.Logo(id); l != nil {
			logos = append(logos, l)
		}
	}
	key2, _ := json.Marshal(struct {
		Card  card.Card
		Photo string
		Logos []string
		V     int
	}{c, pic.Social.Hash, logoHashes(logos), 1})
	rel := strings.TrimPrefix(r.storyCardPath(st), "/")
	out, err := proc.Derive("social\x00"+string(key2), "jpg", func() ([]byte, error) {
		photo, err := images.Decode(*pic.Social, proc.FS())
		if err != nil {
			return nil, err
		}
		var ls []image.Image
		for _, l := range logos {
			if m, err := images.Decode(l.Output, proc.FS()); err == nil {
				ls = append(ls, m)
			}
		}
		return card.PhotoJPEG(c, photo, ls)
	})
	if err != nil {
		return fmt.Errorf("social card of %s: %w", st.Path, err)
	}
	r.files.Add(1)
	if out.Data != nil || proc.FS() == nil {
		return r.sink.File(rel, out.Data)
	}
	return r.sink.Copy(rel, proc.FS(), out.File)
}

func logoHashes(ls []*media.Logo) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Output.Hash
	}
	return out
}

// storyCardText is what a story's social card says.
func (r *renderer) storyCardText(st *model.Story, key *model.Figure) card.Card {
	fr := r.front(st)
	kicker := r.site.Config.Title + " · " + kindLabel(st.Kind)
	if st.Preview {
		kicker = "Preview: not public · " + kicker
	}
	c := card.Card{Kicker: kicker, Title: fr.title.Text, Accent: r.accent(), Footer: siteHost(r.site.Config.BaseURL, r.site.Config.Title)}
	if d := humanDate(st.Date); d != "" {
		c.Footer += " · " + d
	}
	if key != nil {
		c.Figure, c.Caption = key.Value, key.Caption()
	} else {
		c.Text = fr.summary.Text
	}
	return c
}

// siteHost is the host of the base URL, or the fallback without one.
func siteHost(base, fallback string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.") + strings.TrimSuffix(u.Path, "/")
	}
	return fallback
}

// ArticleLD is a story as a schema.org Article, for search engines and
// link previews. html/template writes it as JSON, escaped for a script.
type ArticleLD struct {
	Context       string   `json:"@context"`
	Type          string   `json:"@type"`
	Headline      string   `json:"headline"`
	Description   string   `json:"description,omitempty"`
	DatePublished string   `json:"datePublished,omitempty"`
	URL           string   `json:"url,omitempty"`
	MainEntity    string   `json:"mainEntityOfPage,omitempty"`
	Image         []string `json:"image,omitempty"`
	InLanguage    string   `json:"inLanguage,omitempty"`
	Keywords      string   `json:"keywords,omitempty"`
	Author        OrgLD    `json:"author"`
	Publisher     OrgLD    `json:"publisher"`
	Mentions      []OrgLD  `json:"mentions,omitempty"`
}

// OrgLD is a schema.org Organization.
type OrgLD struct {
	Type string   `json:"@type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
	Logo *ImageLD `json:"logo,omitempty"`
}

// ImageLD is a schema.org ImageObject.
type ImageLD struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

// articleLD describes a story for schema.org. Addresses are absolute, or
// left out without a base URL.
func (r *renderer) articleLD(st *model.Story, partners []*model.Partner) *ArticleLD {
	cfg := r.site.Config
	base := cfg.BaseURL
	abs := func(p string) string {
		if base == "" {
			return ""
		}
		return absURL(base, p)
	}
	org := OrgLD{Type: "Organization", Name: cfg.Title, URL: abs("/")}
	if cfg.Logo != "" && base != "" {
		org.Logo = &ImageLD{Type: "ImageObject", URL: abs(cfg.Logo)}
	}
	a := &ArticleLD{Context: "https://schema.org", Type: "Article", Headline: r.title(st), Description: r.summary(st),
		URL: abs(st.URL()), MainEntity: abs(st.URL()), InLanguage: cfg.Language, Author: org, Publisher: org,
		Keywords: strings.Join(st.Tags, ", ")}
	if !st.Date.IsZero() {
		a.DatePublished = st.Date.Format("2006-01-02")
	}
	if base != "" {
		a.Image = []string{abs(r.storyCardPath(st))}
		if pic := r.data.media.Picture(st.Cover); pic != nil && len(pic.JPEG) > 0 {
			a.Image = append(a.Image, abs(pic.Largest().Path))
		} else if st.Image != "" {
			a.Image = append(a.Image, abs(st.Image))
		}
	}
	for _, p := range partners {
		a.Mentions = append(a.Mentions, OrgLD{Type: "Organization", Name: p.Name, URL: p.URL})
	}
	return a
}
