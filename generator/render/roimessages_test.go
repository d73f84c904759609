package render

import (
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

// TestROIFigureMessagesAreLabels: for every ROI figure of the example
// site's ROI stories (each aggregate, each partner's and result's views),
// the English catalogue writes the label and detail the model wrote in
// English (model.Figure.LabelMsg, DetailMsg).
func TestROIFigureMessagesAreLabels(t *testing.T) {
	site, r := exampleRenderer(t)
	n, msgs := 0, 0
	for _, st := range site.Stories {
		if st.ROI == nil {
			continue
		}
		f, _ := site.ComputeROI(st)
		if f == nil {
			continue
		}
		refs := append([]string(nil), model.ROIAggregates...)
		for _, p := range f.Partners {
			for _, v := range model.ROIPartnerViews {
				refs = append(refs, p.Partner.ID+" "+v)
			}
		}
		for _, res := range f.Results {
			for _, v := range model.ROIResultViews {
				refs = append(refs, res.Metric.ID+" "+v)
			}
		}
		for _, ref := range refs {
			fig, err := f.Ref(ref)
			if err != nil {
				continue // a view this story has no figure for (no hours, no cost)
			}
			n++
			if fig.LabelMsg != nil {
				msgs++
			}
			l := r.localFigure(fig)
			if l.Label != fig.Label || l.Detail != fig.Detail {
				t.Errorf("%s: roi:%s: catalogue %q / %q, model %q / %q", st.Path, ref, l.Label, l.Detail, fig.Label, fig.Detail)
			}
		}
	}
	if n < 10 || msgs < n/2 {
		t.Fatalf("checked %d ROI figures, %d with messages; the example site should have more", n, msgs)
	}
}
