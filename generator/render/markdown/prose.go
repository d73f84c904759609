package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// ProseBlock is one block of prose in a Markdown source: a paragraph, a
// heading or a table cell.
type ProseBlock struct {
	// Start and End are the byte offsets in the source of the block's
	// first and last prose bytes.
	Start, End int
	// Context frames a table cell: its column's header and its row's
	// first cell, as plain words. Empty for other blocks.
	Context string
}

// Prose returns the prose of the Markdown src at the places it is written:
// a copy of src as long as src, in which every byte that is not prose a
// reader sees is a space (line ends stay). Kept are the words of
// paragraphs, headings, list items, block quotes, table cells, link text,
// image alt text and footnotes; blanked are Markdown syntax, code spans
// and blocks, {{figures}}, link and image addresses, raw HTML and footnote
// marks. Entities for a no-break space become spaces. It also returns the
// prose blocks, in order. Markdown over the input limits is not parsed
// (see Read): Prose returns no blocks for it.
func Prose(src []byte) (masked []byte, blocks []ProseBlock) {
	masked = bytes.Repeat([]byte{' '}, len(src))
	for i, c := range src {
		if c == '\n' || c == '\r' {
			masked[i] = c
		}
	}
	if checkLimits(src) != nil {
		return masked, nil
	}
	pc := parser.NewContext()
	pc.Set(scanKey, &closeScan{stop: -1})
	doc := plainParser.Parse(text.NewReader(src), parser.WithContext(pc))
	cellText := func(n ast.Node) string {
		var b bytes.Buffer
		collectText(n, src, func(seg text.Segment) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.Write(seg.Value(src))
		})
		return b.String()
	}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock, *extast.TableCell:
		default:
			return ast.WalkContinue, nil
		}
		blk := ProseBlock{Start: -1}
		collectText(n, src, func(seg text.Segment) {
			copy(masked[seg.Start:seg.Stop], src[seg.Start:seg.Stop])
			if blk.Start < 0 || seg.Start < blk.Start {
				blk.Start = seg.Start
			}
			if seg.Stop > blk.End {
				blk.End = seg.Stop
			}
		})
		if cell, ok := n.(*extast.TableCell); ok {
			blk.Context = tableContext(cell, cellText)
		}
		if blk.Start >= 0 {
			blocks = append(blocks, blk)
		}
		return ast.WalkSkipChildren, nil
	})
	for _, ent := range [][]byte{[]byte("&nbsp;"), []byte("&#160;"), []byte("&#xA0;"), []byte("&#xa0;")} {
		for i := 0; ; {
			j := bytes.Index(masked[i:], ent)
			if j < 0 {
				break
			}
			copy(masked[i+j:], bytes.Repeat([]byte{' '}, len(ent)))
			i += j + len(ent)
		}
	}
	return masked, blocks
}

// collectText calls f with the segment of every text node under n that a
// reader sees as prose: not in code spans, figures or raw HTML.
func collectText(n ast.Node, src []byte, f func(text.Segment)) {
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.CodeSpan, *ast.RawHTML, *ast.AutoLink, *Figure, *extast.FootnoteLink:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if seg := x.Segment; seg.Start >= 0 && seg.Stop <= len(src) && seg.Start < seg.Stop {
				f(seg)
			}
		}
		return ast.WalkContinue, nil
	})
}

// tableContext returns the words of a cell's column header and of its
// row's first cell.
func tableContext(cell *extast.TableCell, text func(ast.Node) string) string {
	row := cell.Parent()
	if row == nil {
		return ""
	}
	col := 0
	for c := row.FirstChild(); c != nil && c != ast.Node(cell); c = c.NextSibling() {
		col++
	}
	var ctx []byte
	if table := row.Parent(); table != nil {
		if head := table.FirstChild(); head != nil && head != row {
			i := 0
			for c := head.FirstChild(); c != nil; c = c.NextSibling() {
				if i == col {
					ctx = append(ctx, text(c)...)
				}
				i++
			}
		}
	}
	if first := row.FirstChild(); first != nil && first != ast.Node(cell) {
		ctx = append(ctx, " "...)
		ctx = append(ctx, text(first)...)
	}
	return string(bytes.TrimSpace(ctx))
}
