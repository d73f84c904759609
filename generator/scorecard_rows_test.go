package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScorecardLeavesOutEmptyPerspectives: a perspective with no metric
// has no row on the scorecard (an empty row tells a reader nothing), and
// check says which perspectives have none.
func TestScorecardLeavesOutEmptyPerspectives(t *testing.T) {
	src := figureSite(t, "Text.") // metrics in impact and finance only
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "scorecard", "index.html"))
	for p, want := range map[string]bool{"impact": true, "finance": true, "partnership": false, "learning": false} {
		if got := strings.Contains(string(b), `id="persp-`+p+`"`); got != want {
			t.Errorf("row %s shown: %v, want %v", p, got, want)
		}
	}
	_, list := Check(context.Background(), Options{Source: src, Now: exampleNow})
	for _, p := range []string{"partnership", "learning"} {
		if !containsMsg(list.Warnings(), "data/metrics.csv:1: warning: no metric has the perspective "+p+": the scorecard leaves out its row") {
			t.Errorf("no warning for the empty %s perspective:\n%v", p, list)
		}
	}
}
