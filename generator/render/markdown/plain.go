package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Reading is what a reader gets from a Markdown body without drumbeat's
// figures resolved: its words, and the figures it cites.
type Reading struct {
	// Text is the body as a reader sees it, as plain text: the text of
	// links, emphasis and headings, entities and backslash escapes
	// decoded, code spans and blocks as written, image alt text and link
	// and image titles, table cells and footnotes. Raw HTML is given both
	// as written (what a reader sees when unsafe_html is off) and with its
	// tags taken out (what a reader sees when it is on). Blocks and table
	// cells are separated by a line break, inline elements are not: the
	// words of `North*gate*` read "Northgate".
	Text string
	// Figures lists the ids of the {{figures}} the prose cites, in order,
	// where the figure syntax applies (not in code).
	Figures []string
	// Refs are the figures as written, in the same order.
	Refs []FigureRef
	// Images are the Markdown images, in order.
	Images []Image
}

// An Image is an image of a Markdown body as written: ![Alt](Dest "Title").
type Image struct {
	// Dest is the address, its character references decoded.
	Dest string
	// Alt is the alt text as a reader gets it (entities and backslash
	// escapes decoded, emphasis dropped); Title the title, decoded.
	Alt, Title string
	// Line and Col are where the image starts (its '!'), or where its
	// address is when the alt text is empty.
	Line, Col int
}

// plainParser parses as New's converter does, with the figure syntax and
// without the typographer (which changes only quotes and dashes) or the
// transformers that rewrite link addresses.
var plainParser = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(figureParser{}, 100))),
).Parser()

// Read returns the plain text of the Markdown src, the figures it cites and
// its images.
// It never fails: Markdown has no syntax errors. Markdown over the input
// limits (limits.go) is not parsed at all, since goldmark is slow on it:
// Read returns the source as its text, and converting it is an error at its
// line, so such a story can reach no output.
func Read(src []byte) Reading {
	if checkLimits(src) != nil {
		// The raw text still counts for partner mentions.
		return Reading{Text: string(src)}
	}
	pc := parser.NewContext()
	pc.Set(scanKey, &closeScan{stop: -1})
	doc := plainParser.Parse(text.NewReader(src), parser.WithContext(pc))
	var b, attrs bytes.Buffer
	b.Grow(len(src))
	var figs []string
	var images []Image
	var info *sourceInfo // made for the first image: most bodies have none
	var refs []FigureRef
	sep := func() {
		if n := b.Len(); n > 0 && b.Bytes()[n-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	decoded := func(v []byte) []byte {
		// Most text has neither a backslash nor an ampersand, the only
		// bytes the three functions change: it is scanned once for them.
		if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
			return v
		}
		return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
	}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock || n.Kind() == extast.KindTableCell {
			sep()
		}
		if !entering {
			// A title shows as a tooltip: a few words of its own.
			var title []byte
			switch x := n.(type) {
			case *ast.Link:
				title = x.Title
			case *ast.Image:
				title = x.Title
			}
			if len(title) > 0 {
				b.WriteByte(' ')
				b.Write(decoded(title))
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Text:
			if _, code := x.Parent().(*ast.CodeSpan); code {
				b.Write(x.Segment.Value(src))
			} else {
				b.Write(decoded(x.Segment.Value(src)))
			}
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			if x.IsCode() {
				b.Write(x.Value)
			} else {
				b.Write(decoded(x.Value))
			}
		case *ast.AutoLink:
			b.Write(x.Label(src))
		case *ast.Image:
			if info == nil {
				info = &sourceInfo{src: src}
			}
			line, col := imagePos(x, info)
			if !hasText(x) {
				// ![](x.jpg): at its '!' rather than its address.
				if off := blockOffset(x, src, x.Destination); off >= 4 && string(src[off-4:off]) == "![](" {
					line, col = info.pos(off - 4)
				}
			}
			images = append(images, Image{Dest: string(decodeDestination(x.Destination)), Alt: string(decoded(plainText(x, src))),
				Title: string(decoded(x.Title)), Line: line, Col: col})
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
		case *ast.RawHTML:
			// An inline tag: a formatting tag inside a word joins its
			// halves, as a browser shows them; other tags separate words.
			// Its attributes (a title, an alt text) may be seen too, and
			// with unsafe_html off the tag is shown as written.
			var raw []byte
			for i := 0; i < x.Segments.Len(); i++ {
				seg := x.Segments.At(i)
				raw = append(raw, seg.Value(src)...)
			}
			if !joiningTag(raw) {
				b.WriteByte(' ')
			}
			attrs.Write(raw)
			attrs.WriteByte('\n')
		case *ast.HTMLBlock:
			var raw []byte
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				raw = append(raw, seg.Value(src)...)
			}
			if x.HasClosure() {
				raw = append(raw, x.ClosureLine.Value(src)...)
			}
			b.Write(htmlText(stripTags(raw)))
			b.WriteByte('\n')
			attrs.Write(raw)
			attrs.WriteByte('\n')
		case *Figure:
			// Shown as a number, which names no one.
			b.WriteByte(' ')
			figs = append(figs, x.Ref.ID)
			refs = append(refs, x.Ref)
		}
		return ast.WalkContinue, nil
	})
	if attrs.Len() > 0 {
		sep()
		b.Write(htmlText(attrs.Bytes()))
	}
	return Reading{Text: b.String(), Figures: figs, Refs: refs, Images: images}
}

// htmlText decodes the character references of HTML.
func htmlText(html []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(html))
}

// stripTags returns html without its tags and comments: formatting tags
// are removed, others replaced by a space.
func stripTags(html []byte) []byte {
	out := make([]byte, 0, len(html))
	for i := 0; i < len(html); {
		if html[i] != '<' {
			out = append(out, html[i])
			i++
			continue
		}
		if bytes.HasPrefix(html[i:], []byte("<!--")) {
			end := bytes.Index(html[i+4:], []byte("-->"))
			if end < 0 {
				return append(out, ' ')
			}
			// A comment shows nothing: the text on its two sides joins.
			i += 4 + end + 3
			continue
		}
		end := bytes.IndexByte(html[i:], '>')
		if end < 0 {
			return append(out, html[i:]...)
		}
		if !joiningTag(html[i : i+end+1]) {
			out = append(out, ' ')
		}
		i += end + 1
	}
	return out
}

// joiningTag is whether tag (like "<b>" or "</span>") joins the text on
// its two sides, as a browser shows it: every element does (inline ones,
// unknown and custom ones like <x-y>, which browsers show inline) except
// those that break a line or stand for something else (found in review:
// <big>, <tt>, <nobr>, <label> and custom tags split a name that a reader
// saw whole).
func joiningTag(tag []byte) bool {
	name := strings.TrimLeft(string(tag), "</")
	if i := strings.IndexAny(name, " \t\r\n/>"); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(name) {
	case "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog",
		"dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer", "form",
		"h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "iframe", "img", "input", "li",
		"listing", "main", "menu", "nav", "object", "ol", "p", "plaintext", "pre", "script", "section",
		"select", "style", "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr",
		"ul", "video", "audio", "canvas", "svg", "math", "xmp":
		return false
	}
	return true
}
