package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// ImageRef is an image address written in Markdown, with its line.
type ImageRef struct {
	URL  string
	Line int
}

// Images returns the address of every image in src, in order, as Convert
// would render it (reference images resolved).
func (c *Converter) Images(src []byte) []ImageRef {
	pc := parser.NewContext()
	info := &sourceInfo{src: src}
	pc.Set(sourceKey, info)
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out []ImageRef
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			line, _ := imagePos(img, info)
			out = append(out, ImageRef{URL: string(img.Destination), Line: line})
		}
		return ast.WalkContinue, nil
	})
	return out
}
