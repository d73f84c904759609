package render

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
)

// CardCtx passes a story card and its page to the "card" partial.
type CardCtx struct {
	Page *Page
	Card *StoryCard
}

// TileCtx passes a metric tile and its page to the "tile" partial.
type TileCtx struct {
	Page *Page
	Tile MetricTile
}

// LogoCtx passes a partner and its page to the "partner-logo" partial.
type LogoCtx struct {
	Page    *Page
	Partner *model.Partner
}

// SpotlightCtx passes the partner in the spotlight and its page to the
// "spotlight" partial (the home page and the newsletter's web page).
type SpotlightCtx struct {
	Page *Page
	Spot *SpotlightView
}

// Funcs returns the functions the theme's templates may call. LoadTheme
// adds those that read the message catalogue (messages.go): T, date,
// kindLabel, status and label.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"cardCtx":      func(p *Page, c *StoryCard) CardCtx { return CardCtx{p, c} },
		"tileCtx":      func(p *Page, t MetricTile) TileCtx { return TileCtx{p, t} },
		"logoCtx":      func(p *Page, x *model.Partner) LogoCtx { return LogoCtx{p, x} },
		"spotlightCtx": func(p *Page, s *SpotlightView) SpotlightCtx { return SpotlightCtx{p, s} },
		"chartCtx":     func(p *Page, c *ChartView) ChartCtx { return ChartCtx{Root: p.Root(), Chart: c} },
		"tile":         Tile,
		"pct":          model.FormatPercent,
		"plural":       model.Plural,
		"keepUnits":    model.KeepUnits,
		"progressWidth": func(t MetricTile) float64 {
			p, ok := t.Metric.Progress()
			if !ok {
				return 0
			}
			return math.Round(math.Max(0, math.Min(1, p)) * 100)
		},
		"isoDate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"year": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006")
		},
		"inc":       func(i int) int { return i + 1 },
		"initials":  initials,
		"value":     model.FormatValue,
		"hasSuffix": strings.HasSuffix,
	}
}

func kindLabel(msgs *i18n.Catalogue, k model.Kind) string {
	switch k {
	case model.KindSpotlight:
		return msgs.S("kind_spotlight")
	case model.KindROI:
		return msgs.S("kind_roi")
	case model.KindLesson:
		return msgs.S("kind_lesson")
	}
	return msgs.S("kind_story")
}

// statusLabel names a metric's status for readers.
func statusLabel(msgs *i18n.Catalogue, s model.Status) string {
	switch s {
	case model.OnTrack:
		return msgs.S("status_on_track")
	case model.AtRisk:
		return msgs.S("status_at_risk")
	case model.OffTrack:
		return msgs.S("status_off_track")
	}
	return msgs.S("status_no_target")
}

// label names a scorecard perspective, a results-chain level or a
// partner's sector for readers; one the model does not know (a site's own)
// keeps its own name.
func label(msgs *i18n.Catalogue, v any) string {
	switch v := v.(type) {
	case model.Perspective:
		switch v {
		case model.Impact:
			return msgs.S("perspective_impact")
		case model.Partnership:
			return msgs.S("perspective_partnership")
		case model.Finance:
			return msgs.S("perspective_finance")
		case model.Learning:
			return msgs.S("perspective_learning")
		}
		return v.Title()
	case model.Level:
		switch v {
		case model.LevelInput:
			return msgs.S("level_input")
		case model.LevelOutput:
			return msgs.S("level_output")
		case model.LevelOutcome:
			return msgs.S("level_outcome")
		case model.LevelImpact:
			return msgs.S("level_impact")
		}
		return v.Title()
	case model.Sector:
		switch v {
		case model.Public:
			return msgs.S("sector_public")
		case model.Private:
			return msgs.S("sector_private")
		case model.Civil:
			return msgs.S("sector_civil")
		case model.Community:
			return msgs.S("sector_community")
		}
		return v.Title()
	}
	return fmt.Sprint(v)
}

// initials returns up to two initials of a name, for logo placeholders.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		if len(r) > 0 && unicode.IsLetter(r[0]) && unicode.IsUpper(r[0]) {
			out = append(out, r[0])
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 && name != "" {
		out = []rune(name)[:1]
	}
	return string(out)
}
