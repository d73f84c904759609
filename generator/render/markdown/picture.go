package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// PictureRenderer, when the FigureResolver also implements it, renders the
// images of the body that are files of the site: dest is the address as
// written (character references resolved), block is true when the image is
// alone in its paragraph (it is then shown as a figure, with its caption,
// in place of the paragraph). It returns the HTML, made with html/template,
// or ok false to leave the image as Markdown renders it.
type PictureRenderer interface {
	RenderPicture(dest string, block bool) (html []byte, ok bool)
}

// Picture is an image replaced by the HTML of its processed files: inline,
// or in place of the paragraph it was alone in.
type Picture struct {
	ast.BaseInline
	HTML []byte
}

// KindPicture is the kind of a Picture node.
var KindPicture = ast.NewNodeKind("Picture")

func (n *Picture) Kind() ast.NodeKind { return KindPicture }

func (n *Picture) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// PictureBlock is a figure that took the place of its paragraph.
type PictureBlock struct {
	ast.BaseBlock
	HTML []byte
}

// KindPictureBlock is the kind of a PictureBlock node.
var KindPictureBlock = ast.NewNodeKind("PictureBlock")

func (n *PictureBlock) Kind() ast.NodeKind { return KindPictureBlock }

func (n *PictureBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type pictureRenderer struct{}

func (pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindPicture, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.Write(n.(*Picture).HTML)
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(KindPictureBlock, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.Write(n.(*PictureBlock).HTML)
			w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
}

// replacePicture puts the processed picture in place of img, when pr
// renders it.
func replacePicture(pr PictureRenderer, img *ast.Image, dest string) bool {
	parent := img.Parent()
	block := false
	if p, ok := parent.(*ast.Paragraph); ok && p.ChildCount() == 1 {
		block = true
	}
	html, ok := pr.RenderPicture(dest, block)
	if !ok {
		return false
	}
	if block {
		para := parent
		para.Parent().ReplaceChild(para.Parent(), para, &PictureBlock{HTML: html})
		return true
	}
	parent.ReplaceChild(parent, img, &Picture{HTML: html})
	return true
}
