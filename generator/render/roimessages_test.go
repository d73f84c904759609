package render

import (
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// TestROIFigureMessagesAreLabels: for every ROI figure of the example
// site's ROI stories (each aggregate, each partner's and result's views),
// the English catalogue writes the label and detail the model wrote in
// English (model.Figure.LabelMsg, DetailMsg), and the value where the
// model gave it as a message (ValueMsg: periods, changes, hours, costs).
func TestROIFigureMessagesAreLabels(t *testing.T) {
	site, r := exampleRenderer(t)
	n, msgs, values := 0, 0, 0
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
			if fig.ValueMsg != nil {
				values++
			}
			l := r.localFigure(fig)
			if l.Label != fig.Label || l.Detail != fig.Detail {
				t.Errorf("%s: roi:%s: catalogue %q / %q, model %q / %q", st.Path, ref, l.Label, l.Detail, fig.Label, fig.Detail)
			}
			if l.Value != fig.Value {
				t.Errorf("%s: roi:%s: catalogue's value %q, model's %q", st.Path, ref, l.Value, fig.Value)
			}
		}
	}
	if n < 10 || msgs < n/2 || values < 5 {
		t.Fatalf("checked %d ROI figures, %d with messages, %d with values as messages; the example site should have more", n, msgs, values)
	}
}

// TestROIValueMessages checks the values the model writes with words in
// them against their messages in the English catalogue, for the cases the
// example site lacks: a metric that goes down (lower, fewer), a
// percentage (points), a metric with no unit, one hour and decimal hours.
func TestROIValueMessages(t *testing.T) {
	msgs := english()
	for _, tc := range []struct {
		unit string
		down bool
		want string
	}{
		{"doses", false, "extra dose"},
		{"outbreaks", true, "outbreak fewer"},
		{"%", true, "point lower"},
		{"%", false, "extra point"},
		{"", true, "unit lower"},
		{"", false, "extra unit"},
		{"EUR", true, "€1 lower"},
	} {
		r := &model.ROIResult{Metric: &model.Metric{ID: "m", Unit: tc.unit, Down: tc.down}}
		if got := msgs.String(r.PerChangeMessage("EUR")); got != tc.want {
			t.Errorf("unit %q, down %v: %q, want %q", tc.unit, tc.down, got, tc.want)
		}
	}
	for _, h := range []float64{0, 1, 1.5, 2, 1200, 0.999, 12.25} {
		if got, want := msgs.String(model.HoursMessage(h)), model.FormatValue(h, "hours"); got != want {
			t.Errorf("HoursMessage(%v) = %q, FormatValue writes %q", h, got, want)
		}
	}
}

// siteCatalogue is the default theme's English under a site's
// i18n/en.yaml of the given text.
func siteCatalogue(t *testing.T, yaml string) *i18n.Catalogue {
	t.Helper()
	c, errs := i18n.Load(defaulttheme.FS, defaulttheme.Name, fstest.MapFS{"i18n/en.yaml": {Data: []byte(yaml)}}, "en")
	if errs.HasErrors() {
		t.Fatal(errs.Err())
	}
	return c
}

// TestSiteOverridesGoMessages: a site's i18n/en.yaml changes each text
// Go code asks the catalogue for (one row a key), where English wrote it
// before.
func TestSiteOverridesGoMessages(t *testing.T) {
	down := &model.ROIResult{Metric: &model.Metric{ID: "m", Unit: "outbreaks", Down: true}}
	pct := &model.ROIResult{Metric: &model.Metric{ID: "m", Unit: "%", Down: true}}
	none := &model.ROIResult{Metric: &model.Metric{ID: "m"}}
	up := &model.ROIResult{Metric: &model.Metric{ID: "m", Unit: "doses"}}
	for _, tc := range []struct {
		override string
		msg      i18n.Message
		want     string
	}{
		{`roi_hours: {one: "{value} Stunde", other: "{value} Stunden"}`, model.HoursMessage(1), "1 Stunde"},
		{`roi_hours: {one: "{value} Stunde", other: "{value} Stunden"}`, model.HoursMessage(2.5), "2.5 Stunden"},
		{`roi_per_extra: "{one} de plus"`, up.PerChangeMessage("EUR"), "dose de plus"},
		{`roi_per_fewer: "{one} de moins"`, down.PerChangeMessage("EUR"), "outbreak de moins"},
		{`roi_per_lower: "{one} en moins"`, pct.PerChangeMessage("EUR"), "point en moins"},
		{`roi_one_point: "pt"`, pct.PerChangeMessage("EUR"), "pt lower"},
		{`roi_one_unit: "unité"`, none.PerChangeMessage("EUR"), "extra unité"},
		{`roi_cost_value: "{cost} pour chaque {per}"`, i18n.M("roi_cost_value", "cost", "€44", "per", up.PerChangeMessage("EUR")), "€44 pour chaque extra dose"},
		{`roi_fig_partner_leverage_detail: "({total} moins {part}) / {part}"`, i18n.M("roi_fig_partner_leverage_detail", "total", "€9", "part", "€2"), "(€9 moins €2) / €2"},
		{`roi_line_metric_rate: "{quantity} de {metric} à {rate}"`, i18n.M("roi_line_metric_rate", "quantity", "290 hours", "metric", "Volunteer hours", "rate", "€20"), "290 hours de Volunteer hours à €20"},
		{`roi_line_hours_rate: "{hours} à {rate}"`, i18n.M("roi_line_hours_rate", "hours", model.HoursMessage(225), "rate", "€45"), "225 hours à €45"},
		{`roi_line_recorded: "{detail} ({recorded})"`, i18n.M("roi_line_recorded", "detail", "a", "recorded", "b"), "a (b)"},
	} {
		english, site := english().String(tc.msg), siteCatalogue(t, tc.override).String(tc.msg)
		if site != tc.want || site == english {
			t.Errorf("%s: %q (English %q), want %q", tc.override, site, english, tc.want)
		}
	}
}

// TestSiteOverridesJoins: the joins Go code writes between texts come from
// the catalogue: a site's i18n/en.yaml changes each (one row a key).
func TestSiteOverridesJoins(t *testing.T) {
	key := &model.Figure{Value: "82.6 %", Label: "Children immunised", Detail: "Q3 2026"}
	m := &model.Metric{ID: "m", Name: "Coverage", Unit: "%", Target: ptr(90.0)}
	m.Series = []model.Point{{Period: model.Period{Kind: model.Quarter, Y: 2026, N: 3}, Value: 82.6}}
	for _, tc := range []struct {
		override string
		text     func(msgs *i18n.Catalogue) string
		want     string
	}{
		{`words_join_list: "{list} / {name}"`, func(c *i18n.Catalogue) string { return listText(c, []string{"A", "B", "C"}) }, "A / B / C"},
		{`words_join_parts: "{list} | {name}"`, func(c *i18n.Catalogue) string { return partsText(c, []string{"A", "B"}) }, "A | B"},
		{`sentence: "{text}。"`, func(c *i18n.Catalogue) string { return sentencesText(c, []string{"A", "B"}) }, "A。 B。"},
		{`sentence_then: "{text}{next}"`, func(c *i18n.Catalogue) string { return sentencesText(c, []string{"A", "B"}) }, "A.B."},
		{`label_detail: "{label} : {detail}"`, func(c *i18n.Catalogue) string { return shareText(c, "", key, "/x/") }, "Children immunised, Q3 2026 : 82.6 % /x/"},
		{`figure_caption: "{label} ({detail})"`, func(c *i18n.Catalogue) string { return captionText(c, *key) }, "Children immunised (Q3 2026)"},
		{`share_title_figure: "{title} – {figure}"`, func(c *i18n.Catalogue) string { return shareText(c, "Coverage", key, "/x/") }, "Coverage – Children immunised, Q3 2026: 82.6 % /x/"},
		{`label_detail: "{label} = {detail}"`, func(c *i18n.Catalogue) string { return chartWords(c).LabelValue("Q3 2026", "82.6 %") }, "Q3 2026 = 82.6 %"},
		{`words_join_list: "{list} / {name}"`, func(c *i18n.Catalogue) string { return chartWords(c).Pair("Q3 2026", "Lakeside") }, "Q3 2026 / Lakeside"},
		{`sentence: "{text}。"`, func(c *i18n.Catalogue) string { return chartWords(c).Aria("Coverage rose", "Children") }, "Coverage rose。 Children"},
		{`sentence_then: "{text}  {next}"`, func(c *i18n.Catalogue) string { return chartWords(c).Aria("Coverage rose?", "Children") }, "Coverage rose?  Children"},
		{`takeaway_gap: "{value} ; {gap}"`, func(c *i18n.Catalogue) string { return TakeawayIn(c, m) }, "82.6 % in Q3 2026 ; 7.4 points short of the 90 % target"},
		{`takeaway_short: "{gap} sous la cible de {target}"`, func(c *i18n.Catalogue) string { return targetGap(c, m) }, "7.4 points sous la cible de 90 %"},
	} {
		english, site := tc.text(english()), tc.text(siteCatalogue(t, tc.override))
		if site != tc.want || site == english {
			t.Errorf("%s: %q (English %q), want %q", tc.override, site, english, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
