package render

import (
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Views of words: the figures a headline needs, in words ("rose from 72 %
// to 83 %"). Each takes the metric, the reference as written and its
// period (zero when none was written).

// viewTakesArgs reports whether a view takes words after it
// ({{metric view words… @period}}).
func viewTakesArgs(view string) bool {
	return false
}

// wordsValue resolves a view of words. ok is false when ref.View is not
// one.
func (f *figures) wordsValue(m *model.Metric, ref markdown.FigureRef, per model.Period) (v figValue, ok bool, err error) {
	return figValue{}, false, nil
}
