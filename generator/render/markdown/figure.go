package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// FigureRef is a figure cited in prose: {{metric_id view args… @period}}.
type FigureRef struct {
	ID     string   // the metric (or other figure source) id
	View   string   // "" (the value), change, progress, target, baseline, period, sparkline, chart, or a view of words: trend, gap, streak, top, share, count
	Args   []string // the words after the view, for views that take them; nil for most
	Period string   // "" for the latest, or the period (or span a..b) written after @
	Line   int      // line in the Markdown source, 1-based
	Col    int
}

// ParseFigure parses the text between {{ and }} of a figure. ok is false
// when it is not a figure at all (FigureSyntaxHint says how to write one).
// Line and Col are left zero.
func ParseFigure(inner string) (ref FigureRef, ok bool) {
	m := figureRE.FindStringSubmatch(inner)
	if m == nil {
		return FigureRef{}, false
	}
	ref = FigureRef{ID: m[1], View: m[2], Period: m[4]}
	if args := strings.Fields(m[3]); len(args) > 0 {
		ref.Args = args
	}
	if ref.View == "value" {
		ref.View = ""
	}
	return ref, true
}

// FigureSyntaxHint says how to write a figure, for the error about
// {{…}} that is not one.
const FigureSyntaxHint = `write {{metric_id}}, {{metric_id change}} or {{metric_id @2026-Q2}} (to show braces as text, write \{{)`

// FigureResolver turns a figure reference into HTML. block reports whether
// the HTML is a block (a chart) that replaces its paragraph when alone in it.
type FigureResolver interface {
	ResolveFigure(ref FigureRef) (html string, block bool, err error)
}

// LinkResolver, when the FigureResolver also implements it, sees every
// link, autolink and image address as written (a site path like
// /stories/x/ is made relative afterwards). It returns the address to use
// (unchanged for an address it has nothing to say about), "" to drop the
// link and keep its text, and a problem to report, if any (warn: not an
// error).
type LinkResolver interface {
	ResolveLink(dest string) (newDest string, warn bool, err error)
}

// FigureError is a figure or link that could not be resolved, at its place
// in the source.
type FigureError struct {
	Line, Col int
	Err       error
	Warning   bool // the problem does not stop the build
}

// KindFigure is the AST kind of a cited figure.
var KindFigure = ast.NewNodeKind("Figure")

// Figure is a resolved figure in the AST.
type Figure struct {
	ast.BaseInline
	Ref   FigureRef
	HTML  string
	Block bool
}

// Kind implements ast.Node.
func (n *Figure) Kind() ast.NodeKind { return KindFigure }

// Dump implements ast.Node.
func (n *Figure) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"ID": n.Ref.ID, "View": n.Ref.View, "Period": n.Ref.Period}, nil)
}

var (
	resolverKey = parser.NewContextKey()
	errorsKey   = parser.NewContextKey()
	sourceKey   = parser.NewContextKey()
)

// figureRE is the grammar inside {{ }}: an id, an optional view word,
// optional words for the view (none starts with @ or holds a brace), an
// optional @period or @from..to span.
var figureRE = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9_:.-]*)(?:\s+([a-z]+)((?:\s+[^\s@{}]+)*))?(?:\s*@\s*([0-9A-Za-z.-]+))?\s*$`)

// Views lists the figure views, for error messages.
var Views = []string{"value", "change", "progress", "target", "baseline", "period", "sparkline", "chart", "trend", "gap", "streak", "top", "share", "count", "by", "total"}

type figureParser struct{}

func (figureParser) Trigger() []byte { return []byte{'{'} }

func (figureParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '{' {
		return nil
	}
	scan, _ := pc.Get(scanKey).(*closeScan)
	end := scan.find(line, seg.Stop)
	if end < 0 {
		return nil
	}
	inner := string(line[2 : 2+end])
	errs, _ := pc.Get(errorsKey).(*[]FigureError)
	src, _ := pc.Get(sourceKey).(*sourceInfo)
	ln, col := 0, 0
	if src != nil {
		ln, col = src.pos(seg.Start)
	}
	block.Advance(end + 4)
	ref, ok := ParseFigure(inner)
	if !ok {
		if errs != nil {
			*errs = append(*errs, FigureError{Line: ln, Col: col, Err: errorf("{{%s}} is not a figure: %s", inner, FigureSyntaxHint)})
		}
		return ast.NewString([]byte("{{" + inner + "}}"))
	}
	ref.Line, ref.Col = ln, col
	n := &Figure{Ref: ref}
	res, _ := pc.Get(resolverKey).(FigureResolver)
	if res == nil {
		n.HTML = html.EscapeString("{{" + inner + "}}")
		return n
	}
	out, isBlock, err := res.ResolveFigure(ref)
	if err != nil {
		if errs != nil {
			*errs = append(*errs, FigureError{Line: ln, Col: col, Err: err})
		}
		n.HTML = `<span class="fig-error">` + html.EscapeString("{{"+inner+"}}") + `</span>`
		return n
	}
	n.HTML, n.Block = out, isBlock
	return n
}

// closeScan remembers the last search for the "}}" that closes a figure,
// so that a line of many "{{" without one is searched once, not once per
// "{{" (100 KB of "{{ x " took 5.6 s). Positions are counted back from the
// end of the line, which is the same for every search on it.
type closeScan struct {
	stop  int // the end of the line searched (its segment's Stop), or -1
	from  int // where the search started, in bytes before the line's end
	found int // where the "}}" found starts, in bytes before the end; -1: none
	work  int // bytes searched in all, for the test of linearity
}

var scanKey = parser.NewContextKey()

// find returns the index in line[2:] of the first "}}", or -1. line is the
// rest of a line from a "{{" on, and stop where the line ends in the
// source. With a nil s it searches every time.
func (s *closeScan) find(line []byte, stop int) int {
	from := len(line) - 2
	if s != nil && s.stop == stop && from <= s.from && (s.found < 0 || from >= s.found) {
		if s.found < 0 {
			return -1
		}
		return len(line) - s.found - 2
	}
	end := bytes.Index(line[2:], []byte("}}"))
	if s != nil {
		s.stop, s.from, s.found = stop, from, -1
		s.work += len(line) - 2
		if end >= 0 {
			s.found = len(line) - (end + 2)
			s.work -= len(line) - (end + 4)
		}
	}
	return end
}

// sourceInfo maps byte offsets of the Markdown source to lines, lazily.
type sourceInfo struct {
	src []byte
	idx *diag.LineIndex
}

func (s *sourceInfo) pos(off int) (int, int) {
	if s.idx == nil {
		s.idx = diag.NewLineIndex(s.src)
	}
	return s.idx.Pos(off)
}

// figureRenderer writes a Figure's resolved HTML.
type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigure, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(node.(*Figure).HTML)
		}
		return ast.WalkSkipChildren, nil
	})
}

// liftBlockFigures replaces a paragraph that holds only a block figure (a
// chart) with the figure, so no <div> ends up inside a <p>.
func liftBlockFigures(doc *ast.Document) {
	var paras []*ast.Paragraph
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			if f, ok := p.FirstChild().(*Figure); ok && f.Block && p.ChildCount() == 1 {
				paras = append(paras, p)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		f := p.FirstChild()
		p.RemoveChild(p, f)
		p.Parent().ReplaceChild(p.Parent(), p, f)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func errorf(format string, args ...any) error {
	return errorString(sprintf(format, args...))
}
