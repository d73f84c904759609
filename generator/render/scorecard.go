package render

import (
	"html/template"
	"math"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/chart"
)

// ScorecardView is the balanced scorecard: perspectives by results chain.
type ScorecardView struct {
	AsOf    string
	Missing []*model.Metric // metrics without a value for the latest period of their kind
	Levels  []model.Level
	Rows    []ScorecardRow
	Counts  [4]int // on track, at risk, off track, no target
}

// ScorecardRow is one perspective.
type ScorecardRow struct {
	Perspective model.Perspective
	Cells       []ScorecardCell // one per level
}

// ScorecardCell holds the metrics of one perspective at one level.
type ScorecardCell struct {
	Level model.Level
	Tiles []MetricTile
}

// latestByKind returns the latest period of each kind across all metrics.
func latestByKind(s *model.Site) map[model.PeriodKind]model.Period {
	out := map[model.PeriodKind]model.Period{}
	for _, m := range s.Metrics {
		if l, ok := m.Latest(); ok {
			k := l.Period.Kind
			if cur, ok := out[k]; !ok || cur.Before(l.Period) {
				out[k] = l.Period
			}
		}
	}
	return out
}

// MissingLatest returns the metrics with no value for the latest period of
// their kind (a quarterly metric missing the latest quarter in the data).
func MissingLatest(s *model.Site) []*model.Metric {
	lk := latestByKind(s)
	var out []*model.Metric
	for _, m := range s.Metrics {
		l, ok := m.Latest()
		if !ok || l.Period != lk[l.Period.Kind] {
			out = append(out, m)
		}
	}
	return out
}

func (r *renderer) scorecard() error {
	v := &ScorecardView{Levels: model.Levels[:], Missing: MissingLatest(r.site)}
	if !r.site.LatestPeriod.IsZero() {
		v.AsOf = r.period(r.site.LatestPeriod)
	}
	for _, p := range model.Perspectives {
		row := ScorecardRow{Perspective: p}
		empty := true
		for _, l := range model.Levels {
			cell := ScorecardCell{Level: l}
			for _, m := range r.site.Metrics {
				if m.Perspective == p && m.Level == l {
					t := r.tile(m)
					cell.Tiles = append(cell.Tiles, t)
					switch t.Status {
					case model.OnTrack:
						v.Counts[0]++
					case model.AtRisk:
						v.Counts[1]++
					case model.OffTrack:
						v.Counts[2]++
					default:
						v.Counts[3]++
					}
				}
			}
			row.Cells = append(row.Cells, cell)
			empty = empty && len(cell.Tiles) == 0
		}
		// A perspective with no metric is left out: an empty row tells a
		// reader nothing (check says which perspectives have none).
		if !empty {
			v.Rows = append(v.Rows, row)
		}
	}
	return r.page("scorecard", &Page{Title: r.tr("scorecard_heading"), Description: r.tr("scorecard_description"),
		Path: "/scorecard/", Section: "scorecard", Scorecard: v})
}

// tile is Tile with the sparkline drawn.
func (r *renderer) tile(m *model.Metric) MetricTile {
	t := tileIn(r.theme.Messages(), r.site, m)
	vals, _ := seriesValues(m)
	t.Spark = chart.Sparkline(vals, sparkLabel(r.theme.Messages(), m), 120, 32, r.accent())
	return t
}

// MetricTile is a metric's latest figure with its standing.
type MetricTile struct {
	Metric   *model.Metric
	Value    string // latest value with unit
	Period   string // the latest period, as people say it
	Change   string // change against the previous period, signed, with unit
	Good     bool   // whether the change is an improvement
	Flat     bool   // whether there was no change
	Progress string // progress to target, "64 %"; empty without a target
	Status   model.Status
	HasValue bool
	// SinceBaseline is the change against the baseline, signed, with unit.
	SinceBaseline string
	Spark         template.HTML // sparkline, set where a page draws one
}

// Tile computes a metric's headline figure.
func Tile(s *model.Site, m *model.Metric) MetricTile { return tileIn(english(), s, m) }

// TileIn is Tile in the language of msgs (a theme's Messages).
func TileIn(msgs *i18n.Catalogue, s *model.Site, m *model.Metric) MetricTile {
	return tileIn(msgs, s, m)
}

// tileIn is Tile with the period in the site's language (msgs).
func tileIn(msgs *i18n.Catalogue, s *model.Site, m *model.Metric) MetricTile {
	t := MetricTile{Metric: m}
	latest, ok := m.Latest()
	if !ok {
		return t
	}
	t.HasValue = true
	t.Value = model.FormatValue(latest.Value, m.Unit)
	t.Period = periodText(msgs, latest.Period)
	if b, ok := m.BaselineValue(); ok && len(m.Series) > 1 {
		t.SinceBaseline = msgs.String(model.ChangeMessage(latest.Value-b, m.Unit))
	}
	if prev, ok := m.Previous(); ok {
		d := latest.Value - prev.Value
		t.Change = msgs.String(model.ChangeMessage(d, m.Unit))
		t.Good = m.Good(d)
		if d == 0 {
			t.Change, t.Flat = msgs.S("tile_no_change"), true
		}
	}
	if p, ok := m.Progress(); ok {
		t.Progress = model.FormatPercent(math.Max(0, p))
	}
	t.Status = m.Status(s.Config.Scorecard.OnTrack, s.Config.Scorecard.AtRisk)
	return t
}
