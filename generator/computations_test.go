package generator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
)

// TestComputationsGolden writes every example metric's computed figures
// (latest, change, progress, expected progress, status, per-partner
// latest values) to testdata/golden/computations.txt. A change in any
// computation shows up as a reviewable diff.
func TestComputationsGolden(t *testing.T) {
	site, errs := Load(Options{Source: exampleDir, Now: exampleNow})
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	var b bytes.Buffer
	for _, m := range site.Metrics {
		tile := render.Tile(site, m)
		p, pok := m.Progress()
		fmt.Fprintf(&b, "%s [%s/%s, %s]\n", m.ID, m.Perspective, m.Level, map[bool]string{true: "down", false: "up"}[m.Down])
		fmt.Fprintf(&b, "  latest=%s period=%s change=%q sinceBaseline=%q\n", tile.Value, tile.Period, tile.Change, tile.SinceBaseline)
		fmt.Fprintf(&b, "  progress=%.4f (%v) expected=%.4f status=%s\n", p, pok, m.Expected(), tile.Status)
		fmt.Fprintf(&b, "  takeaway=%q\n", render.Takeaway(m))
		var ids []string
		for id := range m.ByPartner {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			pts := m.ByPartner[id]
			last := pts[len(pts)-1]
			fmt.Fprintf(&b, "  partner %s: %d values, latest %s=%g\n", id, len(pts), last.Period, last.Value)
		}
	}
	golden := filepath.Join("testdata", "golden", "computations.txt")
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		os.WriteFile(golden, b.Bytes(), 0o644)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("no golden file (run go test -update): %v", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("computations differ from %s; run go test ./generator -run TestComputationsGolden -update and review:\n%s", golden, b.String())
	}
}

func TestPerPartnerSumsAndMixedPeriods(t *testing.T) {
	src := writeSite(t, map[string]string{
		"site.yaml":          "title: T\n",
		"data/partners.yaml": "- {id: a, name: A, sector: public}\n- {id: b, name: B, sector: civil}\n",
		"data/metrics.csv":   "id,name,perspective,level,unit,direction,baseline,target\ndoses,Doses,impact,output,doses,up,0,100\nrate,Rate,impact,outcome,%,down,20,10\n",
		"data/observations/long.csv": "metric,period,value,partner\n" +
			"doses,2025-Q1,10,a\ndoses,2025-Q1,5,b\ndoses,2025-Q2,12,a\ndoses,2025-Q2,8,b\n" +
			// a total given for a period wins over the partners' sum
			"doses,2025-Q3,30,\ndoses,2025-Q3,10,a\n" +
			"rate,2025,18,\nrate,2025-Q4,16,\nrate,2025-11,15,\n",
	})
	site, errs := Load(Options{Source: src, Now: exampleNow})
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	doses := site.Metric("doses")
	var got []string
	for _, p := range doses.Series {
		got = append(got, fmt.Sprintf("%s=%g", p.Period, p.Value))
	}
	if want := "[2025-Q1=15 2025-Q2=20 2025-Q3=30]"; fmt.Sprint(got) != want {
		t.Errorf("doses series = %v, want %s", got, want)
	}
	rate := site.Metric("rate")
	got = nil
	for _, p := range rate.Series {
		got = append(got, p.Period.String())
	}
	// Ordered by the end of each period, the shorter span first.
	if want := "[2025-11 2025-Q4 2025]"; fmt.Sprint(got) != want {
		t.Errorf("mixed periods ordered %v, want %s", got, want)
	}
	// rate is down-is-better: 20 → 18 toward 10 is 20 % progress.
	if p, ok := rate.Progress(); !ok || fmt.Sprintf("%.2f", p) != "0.20" {
		t.Errorf("progress of a down metric = %v %v, want 0.20", p, ok)
	}
	if s := rate.Status(0.9, 0.7); s != model.OffTrack {
		t.Errorf("status = %v, want off track (no target date: the target is due now)", s)
	}
}
