package render

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// PictureCtx passes a processed picture and its page to the "picture" and
// "figure" partials: a <picture> with a WebP source where one is smaller, a
// JPEG srcset, sizes, width and height (so nothing moves when it loads),
// and the alt text; a figure adds the caption and credit.
type PictureCtx struct {
	Page *Page
	Pic  *media.Picture
	// Card shows the card crop instead of the column sizes.
	Card bool
	// Lazy images load when they come near the screen: every picture
	// but a story's cover, which is at the top of its page.
	Lazy  bool
	Class string // the figure's class
}

func (c PictureCtx) jpeg() []media.Variant {
	if c.Card && len(c.Pic.Cards) > 0 {
		return c.Pic.Cards
	}
	return c.Pic.JPEG
}

func (c PictureCtx) webp() []media.Variant {
	if c.Card && len(c.Pic.Cards) > 0 {
		return c.Pic.CardsWebP
	}
	return c.Pic.WebP
}

func (c PictureCtx) srcset(vs []media.Variant) template.Srcset {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Page.Rel(v.Path))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(v.Width))
		b.WriteByte('w')
	}
	return template.Srcset(b.String())
}

// Srcset lists the JPEG files with their widths.
func (c PictureCtx) Srcset() template.Srcset { return c.srcset(c.jpeg()) }

// WebPSrcset lists the WebP files, or is empty when none is smaller.
func (c PictureCtx) WebPSrcset() template.Srcset {
	w := c.webp()
	if len(w) == 0 {
		return ""
	}
	return c.srcset(w)
}

// Sizes is the sizes attribute: how wide the theme shows the picture.
func (c PictureCtx) Sizes() string {
	if c.Card {
		return media.DefaultSizes.CardSizes
	}
	return media.DefaultSizes.ColumnSizes
}

// Src is the file for browsers without srcset: the one nearest 800 px.
func (c PictureCtx) Src() string {
	vs := c.jpeg()
	best := vs[0]
	for _, v := range vs {
		if v.Width <= 800 {
			best = v
		}
	}
	return c.Page.Rel(best.Path)
}

// Width and Height are the largest file's: the picture's intrinsic size,
// which the browser scales to the layout's width, keeping the ratio.
func (c PictureCtx) Width() int { v := c.jpeg(); return v[len(v)-1].Width }

func (c PictureCtx) Height() int { v := c.jpeg(); return v[len(v)-1].Height }

// Alt is the text alternative; empty for a decorative picture.
func (c PictureCtx) Alt() string {
	if c.Pic.Image == nil || c.Pic.Image.Decorative {
		return ""
	}
	return c.Pic.Image.Alt
}

// Caption and Credit are shown under the picture.
func (c PictureCtx) Caption() string {
	if c.Pic.Image == nil {
		return ""
	}
	return c.Pic.Image.Caption
}

func (c PictureCtx) Credit() string {
	if c.Pic.Image == nil {
		return ""
	}
	return c.Pic.Image.Credit
}

// Cover returns the story's processed cover, for the page's templates.
func (p *Page) Cover(st *model.Story) *PictureCtx {
	if p.Site == nil || p.Site.media == nil || st == nil {
		return nil
	}
	pic := p.Site.media.Picture(st.Cover)
	if pic == nil || len(pic.JPEG) == 0 {
		return nil
	}
	return &PictureCtx{Page: p, Pic: pic, Class: "story-image"}
}

// CardPicture returns the card crop of the story's cover, or nil.
func (p *Page) CardPicture(st *model.Story) *PictureCtx {
	c := p.Cover(st)
	if c == nil || len(c.Pic.Cards) == 0 {
		return nil
	}
	c.Card, c.Lazy = true, true
	return c
}

var _ markdown.PictureRenderer = (*figures)(nil)

// RenderPicture shows an image of the story's body that is a file of the
// site as its processed sizes, with its caption and credit when it is
// alone in its paragraph.
func (f *figures) RenderPicture(dest string, block bool) ([]byte, bool) {
	r := f.r
	if f.st == nil || r.data == nil || r.data.media == nil {
		return nil, false
	}
	var pic *media.Picture
	for _, img := range f.st.Images {
		if img.Src == dest {
			if p := r.data.media.Picture(img); p != nil && len(p.JPEG) > 0 {
				pic = p
				break
			}
		}
	}
	if pic == nil {
		return nil, false
	}
	ctx := PictureCtx{Page: &Page{Site: r.data, rootAs: f.root}, Pic: pic, Lazy: true, Class: "prose-image"}
	if f.root == "" {
		ctx.Page = &Page{Site: r.data, Path: f.st.URL()}
	}
	name := "picture"
	if block {
		name = "figure"
	}
	var buf bytes.Buffer
	if err := r.theme.executePartial(&buf, name, ctx); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}
