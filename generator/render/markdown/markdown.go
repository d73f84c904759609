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
// lists), footnotes, typographic quotes and heading ids (see headingIDs).
func New(opt Options) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&safeRenderer{unsafe: opt.UnsafeHTML}, 100), util.Prioritized(figureRenderer{}, 100), util.Prioritized(pictureRenderer{}, 100)),
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
	// A fresh set of heading ids for each document: ids are numbered
	// within a page, and conversions run at once.
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
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
//
// With a LinkResolver it also sees every link, image and autolink address
// (bare URLs too, which GFM turns into autolinks): a link it drops keeps its
// text, unless the text itself names what the link pointed at (an autolink's
// text is its address), when the whole link goes.
type urlFilter struct{}

// ImageResolver, when the FigureResolver also implements it, sees every
// image address as written, before the LinkResolver does. It returns the
// address to use ("" for none: the image is shown as its alt text) and a
// problem to report, if any. It is how images on other hosts are refused or
// replaced by the copy the build downloaded.
type ImageResolver interface {
	ResolveImage(dest string) (newDest string, err error)
}

// RawHTMLChecker, when the FigureResolver also implements it, sees the
// text of every piece of raw HTML (shown as text, or passed through with
// unsafe HTML on), which no link rewriting reaches, and returns a problem
// with it, if any.
type RawHTMLChecker interface {
	CheckRawHTML(raw string) error
}

// LinkTextHider, when the LinkResolver also implements it, says whether
// the visible text of a link dropped by ResolveLink must go too.
type LinkTextHider interface {
	HideLinkText(dest, text string) bool
}

// decodeDestination resolves the character references of a link or image
// address (goldmark's renderer does so when it writes the page) until none
// is left, so that the checks see the address the reader's browser will:
// "/stories/a&#45;b/" is "/stories/a-b/", "&#47;&#47;host/x.png" is
// "//host/x.png", and "&amp;#47;" is not left for the renderer to decode
// once more. An address that keeps changing is no address.
func decodeDestination(dest []byte) []byte {
	for i := 0; i < 8; i++ {
		if bytes.IndexByte(dest, '&') < 0 {
			return dest
		}
		next := util.ResolveEntityNames(util.ResolveNumericReferences(dest))
		if bytes.Equal(next, dest) {
			return dest
		}
		dest = next
	}
	return []byte("#")
}

func (urlFilter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	liftBlockFigures(doc)
	root, _ := pc.Get(rootKey).(string)
	links, _ := pc.Get(resolverKey).(LinkResolver)
	hider, _ := links.(LinkTextHider)
	images, _ := pc.Get(resolverKey).(ImageResolver)
	errs, _ := pc.Get(errorsKey).(*[]FigureError)
	src, _ := pc.Get(sourceKey).(*sourceInfo)
	source := reader.Source()
	rawCheck, _ := pc.Get(resolverKey).(RawHTMLChecker)
	checkRaw := func(segs *text.Segments) {
		if rawCheck == nil || segs.Len() == 0 {
			return
		}
		var b []byte
		for i := 0; i < segs.Len(); i++ {
			seg := segs.At(i)
			b = append(b, seg.Value(source)...)
		}
		if err := rawCheck.CheckRawHTML(string(b)); err != nil && errs != nil {
			line, col := 0, 0
			if src != nil {
				line, col = src.pos(segs.At(0).Start)
			}
			*errs = append(*errs, FigureError{Line: line, Col: col, Err: err})
		}
	}
	pictures, _ := pc.Get(resolverKey).(PictureRenderer)
	type pic struct {
		img  *ast.Image
		dest string
	}
	var pics []pic                         // images to show as processed pictures
	var unlink, remove, unimage []ast.Node // links to drop keeping their text, and whole; images to drop
	// Autolinks keep no position: each is found in its block after the
	// one before it, so that finding them all takes one pass.
	autoNext := map[ast.Node]int{}
	autoOffset := func(a *ast.AutoLink) int {
		start, stop := blockRange(a)
		label := a.Label(source)
		if start < 0 || len(label) == 0 {
			return -1
		}
		block := a.Parent()
		for block.Type() != ast.TypeBlock {
			block = block.Parent()
		}
		from, ok := autoNext[block]
		if !ok {
			from = start
		}
		i := bytes.Index(source[from:stop], label)
		if i < 0 {
			return -1
		}
		autoNext[block] = from + i + len(label)
		return from + i
	}
	resolve := func(n ast.Node, dest []byte) ([]byte, bool) {
		autoOff := -1
		if a, ok := n.(*ast.AutoLink); ok {
			autoOff = autoOffset(a)
		}
		if links == nil || len(dest) == 0 {
			return dest, true
		}
		d := string(dest)
		nd, warn, err := links.ResolveLink(d)
		if err != nil && errs != nil {
			line, col := 0, 0
			switch x := n.(type) {
			case *ast.Image:
				if src != nil {
					line, col = imagePos(x, src)
				}
			case *ast.AutoLink:
				if src != nil && autoOff >= 0 {
					line, col = src.pos(autoOff)
				}
			default:
				if src != nil {
					line, col = nodePos(n, src)
				}
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
		case *ast.RawHTML:
			checkRaw(x.Segments)
		case *ast.HTMLBlock:
			segs := x.Lines()
			if x.HasClosure() {
				segs = text.NewSegments()
				for i := 0; i < x.Lines().Len(); i++ {
					segs.Append(x.Lines().At(i))
				}
				segs.Append(x.ClosureLine)
			}
			checkRaw(segs)
		case *ast.Link:
			x.Destination = decodeDestination(x.Destination)
			d, keep := resolve(x, x.Destination)
			if !keep {
				if hider != nil && hider.HideLinkText(string(x.Destination), string(plainText(x, source))) {
					remove = append(remove, x)
					return ast.WalkSkipChildren, nil
				}
				unlink = append(unlink, x)
				return ast.WalkContinue, nil
			}
			x.Destination = fix(d)
		case *ast.AutoLink:
			if x.AutoLinkType != ast.AutoLinkURL {
				return ast.WalkContinue, nil
			}
			if _, keep := resolve(x, x.URL(source)); !keep {
				remove = append(remove, x)
			}
		case *ast.Image:
			x.Destination = decodeDestination(x.Destination)
			if images != nil {
				nd, err := images.ResolveImage(string(x.Destination))
				if err != nil && errs != nil {
					line, col := 0, 0
					if src != nil {
						line, col = imagePos(x, src)
					}
					*errs = append(*errs, FigureError{Line: line, Col: col, Err: err})
				}
				if nd == "" {
					unimage = append(unimage, x)
					return ast.WalkSkipChildren, nil
				}
				x.Destination = []byte(nd)
			}
			if pictures != nil && !DangerousURL(string(x.Destination)) {
				pics = append(pics, pic{x, string(x.Destination)})
			}
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
	for _, l := range remove {
		l.Parent().RemoveChild(l.Parent(), l)
	}
	// Images that are files of the site show their processed sizes.
	for _, p := range pics {
		if p.img.Parent() != nil {
			replacePicture(pictures, p.img, p.dest)
		}
	}
	// Refused images become their alt text.
	for _, img := range unimage {
		parent := img.Parent()
		if alt := plainText(img, source); len(alt) > 0 {
			parent.InsertBefore(parent, img, ast.NewString(alt))
		}
		parent.RemoveChild(parent, img)
	}
}

// imagePos returns the line and column of an image: of its alt text, or
// else of its address in the lines of its block.
func imagePos(img *ast.Image, src *sourceInfo) (int, int) {
	if hasText(img) {
		line, col := nodePos(img, src)
		return line, max(1, col-1) // the '!' before the '['
	}
	if off := blockOffset(img, src.src, img.Destination); off >= 0 {
		return src.pos(off)
	}
	return 0, 0
}

// hasText reports whether n holds any text.
func hasText(n ast.Node) bool {
	found := false
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := c.(*ast.Text); ok && entering {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// blockOffset returns the offset of needle in n's block, or else of the
// block's start; -1 when there is no block with lines.
func blockOffset(n ast.Node, src, needle []byte) int {
	start, stop := blockRange(n)
	if start < 0 {
		return -1
	}
	if len(needle) > 0 {
		if i := bytes.Index(src[start:stop], needle); i >= 0 {
			return start + i
		}
	}
	return start
}

// blockRange returns the source range of the lines of the block that holds
// the inline n, or -1, -1.
func blockRange(n ast.Node) (int, int) {
	block := n.Parent()
	for block != nil && block.Type() != ast.TypeBlock {
		block = block.Parent()
	}
	for block != nil && block.Lines().Len() == 0 {
		// A list item or quote: its first child block has the lines.
		c := block.FirstChild()
		for c != nil && c.Type() != ast.TypeBlock {
			c = c.NextSibling()
		}
		block = c
	}
	if block == nil {
		return -1, -1
	}
	lines := block.Lines()
	return lines.At(0).Start, lines.At(lines.Len() - 1).Stop
}

// plainText is the text a reader sees in n.
func plainText(n ast.Node, source []byte) []byte {
	var b []byte
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b = append(b, t.Segment.Value(source)...)
		case *ast.String:
			b = append(b, t.Value...)
		case *ast.AutoLink:
			b = append(b, t.Label(source)...)
		}
		return ast.WalkContinue, nil
	})
	return b
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
		// No text (a link written [](x)): the address in its block, or
		// the block's start.
		var dest []byte
		if l, ok := n.(*ast.Link); ok {
			dest = l.Destination
		}
		if off = blockOffset(n, src.src, dest); off >= 0 {
			return src.pos(off)
		}
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
