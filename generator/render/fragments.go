package render

import (
	"html/template"
	"strings"
	"sync"

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
	var b strings.Builder
	if err := f.theme.executePartial(&b, k.name, data); err != nil {
		return "", err
	}
	h := template.HTML(b.String()) // output of an html/template partial: escaped
	f.m.Store(k, h)
	return h, nil
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
	h, err := p.Site.frag.get(fragmentKey{name: "card", root: rootPlaceholder, story: c.Story},
		CardCtx{Page: &Page{Site: p.Site, Path: p.Path, Section: p.Section, rootAs: rootPlaceholder}, Card: c})
	if err != nil {
		return "", err
	}
	return template.HTML(strings.ReplaceAll(string(h), rootPlaceholder, root)), nil
}

// rootPlaceholder stands for the path to the root in a card rendered for
// every page: letters, digits, "-" and "/" pass html/template's escaping of
// URLs and text unchanged.
const rootPlaceholder = "drumbeat-root-5e0c1b7a/"
