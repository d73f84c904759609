package render

import (
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
)

// TestEveryBriefingTypeIsDrawn checks that every type of briefing chart the
// model accepts has its entry in briefCharts.
func TestEveryBriefingTypeIsDrawn(t *testing.T) {
	for _, typ := range model.ChartTypes {
		if briefCharts[typ] == nil {
			t.Errorf("briefing chart type %q has no entry in briefCharts", typ)
		}
	}
	if len(briefCharts) != len(model.ChartTypes) {
		t.Errorf("briefCharts has %d types, the model %d", len(briefCharts), len(model.ChartTypes))
	}
}
