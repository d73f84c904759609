package render

import (
	"encoding/json"
	"fmt"
	"image"
	"net/url"
	"strings"

	"github.com/drumbeat/drumbeat/generator/images"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/card"
)

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
	var set *media.Set
	if r.data != nil {
		set = r.data.media
	}
	proc := set.Processor()
	if pic == nil {
		return r.plainStoryCard(st, c, proc)
	}
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

// plainStoryCard writes a story's card without a photo. With an image
// cache folder the card is kept there by all that it shows (drawing one is
// about a third of a story page's processor time), so a rebuild copies it.
func (r *renderer) plainStoryCard(st *model.Story, c card.Card, proc *images.Processor) error {
	rel := strings.TrimPrefix(r.storyCardPath(st), "/")
	if proc == nil || proc.FS() == nil {
		png, err := card.PNG(c)
		if err != nil {
			return fmt.Errorf("social card of %s: %w", st.Path, err)
		}
		return r.file(rel, png)
	}
	key, _ := json.Marshal(struct {
		Card card.Card
		V    int
	}{c, card.PNGVersion})
	var drawn []byte // on a miss, the card drawn: written as it is, not read back
	out, err := proc.Derive("storycard\x00"+string(key), "png", func() ([]byte, error) {
		b, err := card.PNG(c)
		if err == nil {
			drawn = b
		}
		return b, err
	})
	if err != nil && drawn == nil {
		return fmt.Errorf("social card of %s: %w", st.Path, err)
	}
	// A card drawn is written even when the cache could not keep it (a
	// folder that cannot be written): the next build draws it again.
	r.files.Add(1)
	switch {
	case drawn != nil:
		return r.sink.File(rel, drawn)
	case out.Data != nil:
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
	kicker := r.tr("card_kicker", "site", r.site.Config.Title, "kind", kindLabel(r.theme.Messages(), st.Kind))
	if st.Preview {
		kicker = r.tr("card_kicker_preview", "kicker", kicker)
	}
	c := card.Card{Kicker: kicker, Title: fr.title.Text, Accent: r.accent(), Footer: siteHost(r.site.Config.BaseURL, r.site.Config.Title)}
	if d := r.date(st.Date); d != "" {
		c.Footer += " · " + d
	}
	if key != nil {
		c.Figure, c.Caption = key.Value, captionText(r.theme.Messages(), *key)
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
