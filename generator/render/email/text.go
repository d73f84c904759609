package email

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textWidth is where the plain-text version wraps its lines.
const textWidth = 72

// Text renders the plain-text version of the issue: the same sections in
// the same order, headings underlined, lines wrapped at 72 characters and
// every link written out in full.
func Text(is *Issue) []byte {
	var t textWriter
	t.para(is.Site + " · " + is.Kicker)
	t.heading(is.Subject, '=')
	if is.Date != "" {
		t.line(is.Date)
	}
	t.blank()
	t.para(is.t("email_text_web", "url", is.WebURL))
	if is.Greeting {
		t.para(GreetingMark)
	}
	t.raw(HTMLToText(string(is.Intro)))

	if len(is.Stories) > 0 {
		t.section(is.t("issue_stories"))
		for _, s := range is.Stories {
			meta := s.Label
			if s.Date != "" {
				meta += " · " + s.Date
			}
			t.line(meta)
			t.wrap(s.Title, "")
			if s.Summary != "" {
				t.wrap(s.Summary, "")
			}
			if s.Partners != "" {
				t.wrap(is.t("sentence", "text", s.Partners), "")
			}
			if s.Photo != nil && (s.Caption != "" || s.Credit != "") {
				t.wrap(is.t("email_text_photo", "caption", strings.TrimSpace(s.Caption+" "+s.Credit)), "")
			}
			t.line(is.t("email_text_read_story", "url", s.URL))
			t.blank()
		}
		if is.StoriesURL != "" {
			t.para(is.t("email_text_all_stories", "url", is.StoriesURL))
		}
	}

	if is.NoNewFigures != "" {
		t.section(is.t("issue_movers"))
		t.wrap(is.NoNewFigures, "")
		t.blank()
		if is.ScorecardURL != "" {
			t.para(is.t("email_text_scorecard", "url", is.ScorecardURL))
		}
	}
	if len(is.Movers) > 0 {
		h := is.t("issue_movers")
		if is.AsOf != "" {
			h = is.t("issue_movers_in", "period", is.AsOf)
		}
		t.section(h)
		for _, m := range is.Movers {
			t.wrap(m.Name, "")
			t.wrap(is.t("email_mover", "value", m.Value, "period", m.Period, "change", m.Change, "verdict", m.Verdict), "")
			status := m.StatusIcon + " " + m.Status
			if m.Target != "" {
				status = is.t("label_detail", "label", status, "detail", m.Target)
			}
			t.wrap(is.t("sentence", "text", status), "")
			t.line(is.t("email_text_data", "url", m.URL))
			t.blank()
		}
		if is.ScorecardURL != "" {
			t.para(is.t("email_text_scorecard", "url", is.ScorecardURL))
		}
	}

	if sp := is.Spotlight; sp != nil {
		t.section(is.t("spotlight_heading"))
		t.wrap(sp.Name, "")
		if sp.Kicker != "" {
			t.wrap(sp.Kicker, "")
		}
		t.blank()
		if sp.About != "" {
			t.para(sp.About)
		}
		if sp.Gives != "" {
			t.para(is.t("spotlight_brings") + " " + sp.Gives)
		}
		if sp.Story != nil {
			t.wrap(is.t("email_text_their_story", "title", sp.Story.Title), "")
			t.line(sp.Story.URL)
			t.blank()
		} else {
			t.para(is.t("email_text_meet", "name", sp.Name, "url", sp.URL))
		}
	}

	if len(is.Decisions) > 0 {
		t.section(is.t("issue_decisions"))
		for _, d := range is.Decisions {
			label := d.Label
			if d.Due {
				label = "! " + label
			}
			t.wrap(is.t("label_colon", "label", label), "")
			t.wrap(d.Text, "  ")
			t.line("  " + d.URL)
			t.blank()
		}
		if is.DecisionsURL != "" {
			t.para(is.t("email_text_decision_log", "url", is.DecisionsURL))
		}
	}

	t.blank()
	t.line("-- ")
	t.para(is.Why)
	t.line(is.t("email_text_unsubscribe", "url", is.Unsubscribe))
	if is.Contact != "" {
		t.line(is.t("email_text_write", "address", is.Contact))
	}
	addr := is.Site
	if is.Address != "" {
		addr = is.t("words_join_list", "list", addr, "name", is.Address)
	}
	t.wrap(addr, "")
	return []byte(strings.TrimRight(t.b.String(), "\n") + "\n")
}

// textWriter builds the plain text, keeping at most one blank line in a row.
type textWriter struct {
	b strings.Builder
}

func (t *textWriter) line(s string) { t.b.WriteString(strings.TrimRight(s, " ") + "\n") }

func (t *textWriter) blank() {
	s := t.b.String()
	if s == "" || strings.HasSuffix(s, "\n\n") {
		return
	}
	t.b.WriteString("\n")
}

func (t *textWriter) wrap(s, indent string) {
	for _, l := range wrapText(s, textWidth, indent) {
		t.line(l)
	}
}

func (t *textWriter) para(s string) {
	t.wrap(s, "")
	t.blank()
}

func (t *textWriter) raw(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	t.b.WriteString(s + "\n")
	t.blank()
}

func (t *textWriter) heading(s string, under rune) {
	t.wrap(s, "")
	n := 0
	for _, l := range wrapText(s, textWidth, "") {
		n = max(n, utf8.RuneCountInString(l))
	}
	t.line(strings.Repeat(string(under), n))
}

func (t *textWriter) section(s string) {
	t.blank()
	t.blank()
	t.heading(strings.ToUpper(s), '-')
	t.blank()
}

// wrapText breaks s into lines of at most width characters (a word longer
// than that, such as a URL, gets a line of its own), each with indent.
func wrapText(s string, width int, indent string) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		if n > 0 && n+1+wl > width-utf8.RuneCountInString(indent) {
			lines = append(lines, indent+cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		lines = append(lines, indent+cur.String())
	}
	return lines
}

// HTMLToText turns an HTML fragment (Markdown rendered by goldmark) into
// plain text a person reads happily: paragraphs as wrapped blocks, lists
// with dashes or numbers, headings underlined, links as "text (URL)",
// images as their alt text, table rows as cells between bars.
func HTMLToText(fragment string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		return ""
	}
	var t textWriter
	for _, n := range nodes {
		blockText(&t, n, "")
	}
	return strings.TrimSpace(t.b.String())
}

// blockText writes a block-level node.
func blockText(t *textWriter, n *html.Node, indent string) {
	if n.Type == html.TextNode {
		if s := strings.TrimSpace(n.Data); s != "" {
			t.wrap(s, indent)
		}
		return
	}
	if n.Type != html.ElementNode {
		return
	}
	switch n.DataAtom {
	case atom.P, atom.Figcaption, atom.Dt, atom.Dd:
		t.wrap(inlineText(n), indent)
		t.blank()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		t.blank()
		u := '-'
		if n.DataAtom == atom.H1 || n.DataAtom == atom.H2 {
			u = '='
		}
		t.heading(inlineText(n), u)
		t.blank()
	case atom.Ul, atom.Ol:
		i := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Li {
				continue
			}
			i++
			mark := "- "
			if n.DataAtom == atom.Ol {
				mark = fmt.Sprintf("%d. ", i)
			}
			lines := wrapText(inlineText(c), textWidth-len(indent)-len(mark), "")
			for j, l := range lines {
				if j == 0 {
					t.line(indent + mark + l)
				} else {
					t.line(indent + strings.Repeat(" ", len(mark)) + l)
				}
			}
			for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
				if cc.DataAtom == atom.Ul || cc.DataAtom == atom.Ol {
					blockText(t, cc, indent+"  ")
				}
			}
		}
		t.blank()
	case atom.Blockquote:
		var inner textWriter
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			blockText(&inner, c, "")
		}
		for _, l := range strings.Split(strings.TrimSpace(inner.b.String()), "\n") {
			t.line(indent + "> " + l)
		}
		t.blank()
	case atom.Table:
		tableText(t, n, indent)
		t.blank()
	case atom.Hr:
		t.line(indent + "* * *")
		t.blank()
	case atom.Pre:
		for _, l := range strings.Split(strings.TrimRight(textContent(n), "\n"), "\n") {
			t.line(indent + "    " + l)
		}
		t.blank()
	case atom.Script, atom.Style, atom.Svg:
	case atom.Div, atom.Section, atom.Figure, atom.Article, atom.Details, atom.Dl:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			blockText(t, c, indent)
		}
	default:
		if s := inlineText(n); s != "" {
			t.wrap(s, indent)
			t.blank()
		}
	}
}

// tableText writes each row as its cells between bars.
func tableText(t *textWriter, n *html.Node, indent string) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.DataAtom == atom.Tr {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
					cells = append(cells, inlineText(c))
				}
			}
			t.wrap("| "+strings.Join(cells, " | ")+" |", indent)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
}

// inlineText flattens inline content to one line of text.
func inlineText(n *html.Node) string {
	return strings.Join(strings.Fields(inline(n)), " ")
}

func inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return n.Data
	case html.ElementNode:
	default:
		return ""
	}
	children := func() string {
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(inline(c))
		}
		return b.String()
	}
	switch n.DataAtom {
	case atom.Br:
		return " "
	case atom.Img:
		if alt := attrOf(n, "alt"); alt != "" {
			return "[" + alt + "]"
		}
		return ""
	case atom.Script, atom.Style, atom.Svg, atom.Ul, atom.Ol:
		return ""
	case atom.A:
		text := strings.Join(strings.Fields(children()), " ")
		href := attrOf(n, "href")
		if href != "" && !strings.HasPrefix(href, "#") && href != text && "mailto:"+text != href {
			return text + " (" + href + ")"
		}
		return text
	}
	return children()
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
