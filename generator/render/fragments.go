package render

import (
	"html/template"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/drumbeat/drumbeat/generator/model"
)

// fragments caches partials whose output depends only on a few things: the
// header and footer (on the page's depth and section) and story cards (on
// the story alone; see Card). A story appears as a card on about half
// a dozen pages; rendering it once per depth saves most of the template
// work of a large site. A theme that overrides these partials keeps the
// same contract: their output may use only .Page.Rel, .Page.Root,
// .Page.Section and .Page.Site besides the card itself.
type fragments struct {
	theme *Theme
	m     sync.Map // fragmentKey → template.HTML
	// cards holds each story's card, cut at the placeholder for the path
	// to the root; the map is made before rendering and only read during
	// it, so finding a card takes no lock.
	cards map[*model.Story]*atomic.Pointer[[]string]
}

// newFragments makes the cache, with a slot for the card of each story.
func newFragments(theme *Theme, stories ...[]*model.Story) *fragments {
	f := &fragments{theme: theme, cards: map[*model.Story]*atomic.Pointer[[]string]{}}
	for _, list := range stories {
		for _, st := range list {
			f.cards[st] = new(atomic.Pointer[[]string])
		}
	}
	return f
}

// forget drops what is kept of st's card.
func (f *fragments) forget(st *model.Story) {
	if slot := f.cards[st]; slot != nil {
		slot.Store(nil)
	}
	f.m.Range(func(k, _ any) bool {
		if k.(fragmentKey).story == st {
			f.m.Delete(k)
		}
		return true
	})
}

type fragmentKey struct {
	name    string
	root    string
	section string
	story   *model.Story
}

func (f *fragments) get(k fragmentKey, data any) (template.HTML, error) {
	if v, ok := f.m.Load(k); ok {
		return v.(template.HTML), nil
	}
	h, err := f.render(k.name, data)
	if err != nil {
		return "", err
	}
	f.m.Store(k, h)
	return h, nil
}

// render executes the partial.
func (f *fragments) render(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := f.theme.executePartial(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // output of an html/template partial: escaped
}

// Chrome renders the "header" or "footer" partial for the page, cached by
// the page's depth and section.
func (p *Page) Chrome(name string) (template.HTML, error) {
	if p.Site == nil || p.Site.frag == nil {
		return "", nil
	}
	return p.Site.frag.get(fragmentKey{name: name, root: p.Root(), section: p.Section}, p)
}

// Card renders the "card" partial for a story card on the page. A card is
// rendered once per story, with a placeholder for the path to the root that
// each page then replaces with its own ("../../"); the home page, whose
// path to the root is empty, renders its own.
func (p *Page) Card(c *StoryCard) (template.HTML, error) {
	root := p.Root()
	if root == "" || root == "/" {
		return p.Site.frag.get(fragmentKey{name: "card", root: root, story: c.Story}, CardCtx{Page: p, Card: c})
	}
	f := p.Site.frag
	slot := f.cards[c.Story]
	if slot != nil {
		if v := slot.Load(); v != nil {
			return template.HTML(strings.Join(*v, root)), nil
		}
	}
	ctx := CardCtx{Page: &Page{Site: p.Site, Path: p.Path, Section: p.Section, rootAs: rootPlaceholder}, Card: c}
	var h template.HTML
	var err error
	if slot != nil {
		h, err = f.render("card", ctx)
	} else {
		h, err = f.get(fragmentKey{name: "card", root: rootPlaceholder, story: c.Story}, ctx)
	}
	if err != nil {
		return "", err
	}
	parts := strings.Split(string(h), rootPlaceholder)
	if slot != nil {
		slot.Store(&parts)
	}
	return template.HTML(strings.Join(parts, root)), nil
}

// rootPlaceholder stands for the path to the root in a card rendered for
// every page: letters, digits, "-" and "/" pass html/template's escaping of
// URLs and text unchanged.
const rootPlaceholder = "drumbeat-root-5e0c1b7a/"
