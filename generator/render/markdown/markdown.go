// Package markdown turns story bodies into HTML with goldmark. It is the
// only package that imports goldmark; drumbeat's own Markdown syntax is
// added here as goldmark extensions.
package markdown

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure a Converter.
type Options struct {
	// UnsafeHTML lets raw HTML in Markdown through. When false, raw HTML is
	// shown as escaped text.
	UnsafeHTML bool
}

// Converter renders Markdown to HTML. It is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// New returns a Converter with GFM (tables, strikethrough, autolinks, task
// lists), footnotes, typographic quotes and heading ids.
func New(opt Options) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&safeRenderer{unsafe: opt.UnsafeHTML}, 100), util.Prioritized(figureRenderer{}, 100)),
	}
	if opt.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(urlFilter{}, 100)),
			parser.WithInlineParsers(util.Prioritized(figureParser{}, 100)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md}
}

var rootKey = parser.NewContextKey()

// Convert renders src to HTML. root is the relative path from the page to
// the site root ("../../"): links and images written as site paths
// ("/stories/x/") are made relative with it, so the site works under any
// sub-path and opened from disk.
//
// figures resolves {{figure}} references; without one they are shown as
// written. Figures that cannot be resolved are returned with their lines.
//
// A source that goes over one of the limits that keep goldmark fast
// (MaxNesting, MaxLinks…) is not parsed: the problem is returned at its
// line, with the source as escaped text in place of the HTML.
func (c *Converter) Convert(src []byte, root string, figures FigureResolver) ([]byte, []FigureError, error) {
	if le := checkLimits(src); le != nil {
		out := append(append([]byte("<pre>"), util.EscapeHTML(src)...), "</pre>\n"...)
		return out, []FigureError{{Line: le.Line, Col: le.Col, Err: le}}, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2)
	pc := parser.NewContext()
	pc.Set(rootKey, root)
	var ferrs []FigureError
	pc.Set(errorsKey, &ferrs)
	pc.Set(sourceKey, &sourceInfo{src: src})
	pc.Set(scanKey, &closeScan{stop: -1})
	if figures != nil {
		pc.Set(resolverKey, figures)
	}
	if err := c.md.Convert(src, &buf, parser.WithContext(pc)); err != nil {
		return nil, ferrs, err
	}
	return buf.Bytes(), ferrs, nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// safeRenderer renders raw HTML as escaped text unless unsafe HTML is on.
type safeRenderer struct{ unsafe bool }

func (r *safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	if r.unsafe {
		return
	}
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
}

func (r *safeRenderer) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		w.Write(util.EscapeHTML(seg.Value(src)))
	}
	return ast.WalkSkipChildren, nil
}

func (r *safeRenderer) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		w.WriteString("<p>")
		for i := 0; i < n.Lines().Len(); i++ {
			line := n.Lines().At(i)
			w.Write(util.EscapeHTML(line.Value(src)))
		}
	} else {
		if n.HasClosure() {
			w.Write(util.EscapeHTML(n.ClosureLine.Value(src)))
		}
		w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

// urlFilter refuses link and image addresses that could run script or embed
// content: javascript:, vbscript:, data: and file:. They become "#".
type urlFilter struct{}

func (urlFilter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	liftBlockFigures(doc)
	root, _ := pc.Get(rootKey).(string)
	links, _ := pc.Get(resolverKey).(LinkResolver)
	errs, _ := pc.Get(errorsKey).(*[]FigureError)
	src, _ := pc.Get(sourceKey).(*sourceInfo)
	var unlink []*ast.Link
	resolve := func(n ast.Node, dest []byte) ([]byte, bool) {
		d := string(dest)
		if links == nil || !(strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "//") || strings.HasPrefix(d, "decision:")) {
			return dest, true
		}
		nd, warn, err := links.ResolveLink(d)
		if err != nil && errs != nil {
			line, col := 0, 0
			if src != nil {
				line, col = nodePos(n, src)
			}
			*errs = append(*errs, FigureError{Line: line, Col: col, Err: err, Warning: warn})
		}
		if nd == "" {
			return nil, false
		}
		return []byte(nd), true
	}
	fix := func(dest []byte) []byte {
		switch {
		case DangerousURL(string(dest)):
			return []byte("#")
		case len(dest) > 1 && dest[0] == '/' && dest[1] != '/':
			return append([]byte(root), dest[1:]...)
		case len(dest) == 1 && dest[0] == '/':
			if root == "" {
				return []byte("./")
			}
			return []byte(root)
		}
		return dest
	}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Link:
			d, keep := resolve(x, x.Destination)
			if !keep {
				unlink = append(unlink, x)
				return ast.WalkContinue, nil
			}
			x.Destination = fix(d)
		case *ast.Image:
			d, keep := resolve(x, x.Destination)
			if !keep {
				d = []byte("#")
			}
			x.Destination = fix(d)
		}
		return ast.WalkContinue, nil
	})
	// Dropped links keep their text.
	for _, l := range unlink {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			l.RemoveChild(l, c)
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
}

// nodePos returns the line and column of the first text inside n.
func nodePos(n ast.Node, src *sourceInfo) (int, int) {
	var off = -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering && off < 0 {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		return 0, 0
	}
	line, col := src.pos(off)
	if col > 1 {
		col-- // the '[' before the text
	}
	return line, col
}

// DangerousURL reports whether u uses a scheme that can run script or embed
// content. Whitespace and control characters inside the scheme, which
// browsers ignore, are ignored here too.
func DangerousURL(u string) bool {
	var b strings.Builder
	for _, r := range u {
		if r == ':' {
			break
		}
		if r <= ' ' || r == 0x7f {
			continue
		}
		b.WriteRune(r)
		if b.Len() > 16 {
			return false
		}
	}
	if !strings.Contains(u, ":") {
		return false
	}
	switch strings.ToLower(b.String()) {
	case "javascript", "vbscript", "data", "file":
		return true
	}
	return false
}
