package load

import (
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// readBody records what readers see of a story's body, as plain text, and
// the figures its prose cites: partner mentions are looked for in that
// text, and the figure on its social card depends on those figures. (The
// loader reads it, with the Markdown parser the pages are made with,
// because the model does no parsing.)
func readBody(st *model.Story) {
	if st == nil {
		return
	}
	r := markdown.Read(st.Body)
	st.Text, st.Figures = r.Text, r.Figures
}
