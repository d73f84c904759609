package chart

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// briefingSpecs has one spec of each briefing kind.
func briefingSpecs() []*Spec {
	pct := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + " %" }
	return []*Spec{
		{ID: "hbar", Kind: HBar, Title: "Mothers First runs the most outreach", Unit: "sessions",
			Labels: []string{"Mothers First", "Valley Health Department", "Kestrel Pharmacy"},
			Series: []Series{{Name: "Outreach sessions", Values: []*float64{f(27), f(17), f(10)}}}},
		{ID: "progress", Kind: Progress, Title: "Four of five targets are over 80 % met", Unit: "%", Format: pct,
			Labels: []string{"Doses", "Outreach", "Actions on time"},
			Series: []Series{{Name: "Progress to target", Values: []*float64{f(89), f(104), f(-5)}}}},
		{ID: "ba", Kind: BeforeAfter, Title: "Dropout fell from 14 % to 8 %", Unit: "%", Format: pct,
			Labels: []string{"Q1 2024", "Q3 2026"}, Target: f(5),
			Series: []Series{{Name: "Dropout", Values: []*float64{f(13.6), f(7.6)}}}},
		{ID: "ba2", Kind: BeforeAfter, Title: "Both fell", Unit: "%",
			Labels: []string{"Dropout", "Funder share"},
			Series: []Series{{Name: "Q1 2024", Values: []*float64{f(13.6), f(68)}}, {Name: "Q3 2026", Values: []*float64{f(7.6), f(49.3)}}}},
		{ID: "share", Kind: Share, Title: "Partners give six in ten doses", Unit: "doses",
			Labels: []string{"Health department", "Clinic", "Charity", "Pharmacy"},
			Series: []Series{{Name: "Doses", Values: []*float64{f(7230), f(4600), f(3250), f(2610)}}}},
	}
}

func TestBriefingKindsHaveBothBackends(t *testing.T) {
	for _, s := range briefingSpecs() {
		t.Run(s.ID, func(t *testing.T) {
			html, err := Briefing(s)
			if err != nil {
				t.Fatal(err)
			}
			h := string(html)
			if n := strings.Count(h, `<svg class="chart-static"`); n != 2 {
				t.Errorf("%d static SVGs, want a portrait and a landscape one", n)
			}
			if !strings.Contains(h, `data-chart="`+s.ID+`"`) || !strings.Contains(h, `class="bchart-static bchart-portrait"`) {
				t.Errorf("no container for the interactive chart or no portrait drawing:\n%s", h)
			}
			m := regexp.MustCompile(`(?s)<script type="application/json" id="` + s.ID + `-option">(.*?)</script>`).FindStringSubmatch(h)
			if m == nil {
				t.Fatal("no echarts option")
			}
			var opt map[string]any
			if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
				t.Fatalf("the option is not JSON: %v\n%s", err, m[1])
			}
			series, _ := opt["series"].([]any)
			if len(series) == 0 {
				t.Errorf("the option has no series: %s", m[1])
			}
			for _, svg := range []string{SVG(s, PortraitWidth, PortraitHeight), SVG(s, LandscapeWidth, LandscapeHeight)} {
				if !strings.Contains(svg, "<rect") || strings.Contains(svg, "No data yet") || strings.Contains(svg, "NaN") {
					t.Errorf("the static SVG draws no bars:\n%s", svg)
				}
				if !strings.Contains(svg, "<title>"+s.Title) {
					t.Errorf("the static SVG has no title")
				}
			}
			b, _ := Briefing(s)
			if b != html {
				t.Error("two renders of one spec differ")
			}
		})
	}
}

func TestBriefingKindsSameDataAndColours(t *testing.T) {
	for _, s := range briefingSpecs() {
		s.Accent = "#0f5e66"
		html, _ := Briefing(s)
		h := string(html)
		// The accent colours the bars of both backends.
		if strings.Count(h, "#0f5e66") < 3 {
			t.Errorf("%s: the accent is not used by both drawings and the option", s.ID)
		}
		// Every value label appears in the static SVG and in the option.
		for si := range s.Series {
			for i := range s.Labels {
				v := s.value(si, i)
				if v == nil || s.Kind == Share {
					continue
				}
				label := s.format(*v)
				svg := SVG(s, PortraitWidth, PortraitHeight)
				if !strings.Contains(svg, ">"+label+"<") {
					t.Errorf("%s: the SVG lacks the label %q", s.ID, label)
				}
				if !strings.Contains(h, `"formatter":"`+label+`"`) {
					t.Errorf("%s: the option lacks the label %q", s.ID, label)
				}
			}
		}
	}
}

func TestBarsStartAtZero(t *testing.T) {
	s := briefingSpecs()[2] // before/after, 13.6 and 7.6
	svg := SVG(s, LandscapeWidth, LandscapeHeight)
	if !strings.Contains(svg, ">0<") {
		t.Errorf("the value axis does not start at zero:\n%s", svg)
	}
	if !strings.Contains(svg, `stroke-dasharray="6 4"`) || !strings.Contains(svg, "Target 5 %") {
		t.Error("the target is not dashed and labelled")
	}
	// The before bar is muted, the after bar in the accent.
	if !strings.Contains(svg, `fill="`+mutedColor+`"`) {
		t.Error("the before bar is not muted")
	}
	opt, _ := echartsOption(s, 300)
	if !strings.Contains(opt, `"min":0`) {
		t.Errorf("the echarts value axis does not start at zero: %s", opt)
	}
}

func TestProgressClampsBarsNotLabels(t *testing.T) {
	s := briefingSpecs()[1]
	svg := SVG(s, PortraitWidth, PortraitHeight)
	for _, want := range []string{">104 %<", ">-5 %<", ">Target<", ">100 %<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("progress SVG lacks %q", want)
		}
	}
	opt, _ := echartsOption(s, 300)
	// The option's keys are in sorted order (finish re-encodes it), so
	// the clamped bar is `"value":100}`.
	if !strings.Contains(opt, `"max":100`) || !strings.Contains(opt, `"value":100}`) {
		t.Errorf("progress bars should stop at 100 %%: %s", opt)
	}
}

func TestShareAddsUpToAHundred(t *testing.T) {
	s := briefingSpecs()[4]
	shares, total := s.Shares()
	sum := 0.0
	for _, v := range shares {
		sum += v
	}
	if total != 17690 || sum < 99.999 || sum > 100.001 {
		t.Errorf("shares %v (sum %g) of %g", shares, sum, total)
	}
	svg := SVG(s, PortraitWidth, PortraitHeight)
	for _, want := range []string{">41 %<", ">26 %<", ">Health department<", ">Pharmacy<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("share SVG lacks %q", want)
		}
	}
	opt, _ := echartsOption(s, 300)
	if strings.Count(opt, `"stack":"share"`) != 4 {
		t.Errorf("the echarts share bar is not one stack of four parts: %s", opt)
	}
}

func TestBriefingLabelsAreEscaped(t *testing.T) {
	s := briefingSpecs()[0]
	s.Labels[0] = `<script>alert("x")</script> {a}`
	html, _ := Briefing(s)
	h := string(html)
	if strings.Contains(h, "<script>alert") || strings.Count(h, "</script>") != 1 {
		t.Errorf("a label escaped its element:\n%s", h)
	}
	if strings.Contains(h, "{a}") && strings.Contains(h, `"formatter":"{a}`) {
		t.Error("braces reached an echarts formatter")
	}
}

func TestInkOn(t *testing.T) {
	for c, want := range map[string]string{"#0f5e66": "#fff", "#E69F00": "#000", "#0072B2": "#fff", "#CC79A7": "#000", "bad": "#fff"} {
		if got := inkOn(c); got != want {
			t.Errorf("inkOn(%s) = %s, want %s", c, got, want)
		}
	}
}

// TestEveryKindIsDrawn checks that every kind has both backends in the
// kinds table, so a kind declared without a drawer fails here rather than
// being drawn as a line.
func TestEveryKindIsDrawn(t *testing.T) {
	for k := Kind(0); k < kindCount; k++ {
		if kinds[k].option == nil || kinds[k].svg == nil {
			t.Errorf("kind %d has no drawer in kinds", k)
		}
	}
}

// TestWordsJoin: the joins a chart writes (its aria label, its bars'
// tooltips) are the renderer's (Words.Aria, LabelValue, Pair) when given,
// English when not.
func TestWordsJoin(t *testing.T) {
	for _, s := range briefingSpecs() {
		s.Subtitle = "Subtitle"
		english, _ := Briefing(s)
		s.Words = Words{
			Aria:       func(title, sub string) string { return "ARIA[" + title + "|" + sub + "]" },
			LabelValue: func(label, value string) string { return "LV[" + label + "|" + value + "]" },
			Pair:       func(a, b string) string { return "PAIR[" + a + "|" + b + "]" },
		}
		html, err := Briefing(s)
		if err != nil {
			t.Fatal(err)
		}
		h := string(html)
		if !strings.Contains(string(english), `aria-label="`+s.Title+`. Subtitle"`) {
			t.Errorf("%s: the English aria label is not title. subtitle", s.ID)
		}
		if !strings.Contains(h, `aria-label="ARIA[`+s.Title+`|Subtitle]"`) || strings.Contains(h, s.Title+". Subtitle") {
			t.Errorf("%s: the aria label does not come from Words.Aria", s.ID)
		}
		if s.Kind == HBar || s.Kind == Progress || s.Kind == BeforeAfter {
			if !strings.Contains(h, "LV[") {
				t.Errorf("%s: the tooltips do not come from Words.LabelValue", s.ID)
			}
		}
		if len(s.Series) > 1 && !strings.Contains(h, "PAIR[") {
			t.Errorf("%s: a bar of several series is not named by Words.Pair", s.ID)
		}
	}
}
