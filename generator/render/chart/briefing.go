package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// The sizes of a briefing chart's two static drawings: portrait for phones
// and print, landscape for wider screens. Each is drawn at about the size
// it is shown, so its text stays readable.
const (
	PortraitWidth, PortraitHeight   = 360, 560
	LandscapeWidth, LandscapeHeight = 480, 260
)

// Briefing returns a chart of the executive briefing: the static SVG drawn
// twice, portrait and landscape (what print and readers without JavaScript
// see; the stylesheet shows the one that fits), an empty container that
// charts.js draws the interactive chart into, and its echarts option.
func Briefing(s *Spec) (template.HTML, error) {
	s = s.Downsample(PointsFor(webWidth))
	opt, err := echartsOption(s, LandscapeHeight)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<div class="bchart">`)
	fmt.Fprintf(&b, `<div class="bchart-static bchart-portrait">%s</div>`, SVG(s, PortraitWidth, PortraitHeight))
	fmt.Fprintf(&b, `<div class="bchart-static bchart-landscape">%s</div>`, SVG(s, LandscapeWidth, LandscapeHeight))
	fmt.Fprintf(&b, `<div class="chart bchart-live" id="%s" data-chart="%s" role="img" aria-label="%s"></div>`, attr(s.ID), attr(s.ID), attr(s.ariaLabel()))
	fmt.Fprintf(&b, `<script type="application/json" id="%s-option">%s</script>`, attr(s.ID), jsonInScript(opt))
	b.WriteString(`</div>`)
	return template.HTML(b.String()), nil
}
