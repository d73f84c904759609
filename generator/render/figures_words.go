package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// Views of words: the figures a headline needs, in words ("rose from 71.8 %
// to 82.6 %"). The words themselves are chosen in model/words.go; here the
// figure is read and its values found. README.md ("Words for numbers")
// documents each view with an example.

// targetsID is the figure source of the count view: the metrics whose
// targets are due in a year ({{targets count progress >= 80 @2026-Q3}}).
// Written with a capital ({{Targets count …}}) its words start with one,
// for the start of a sentence. A metric of that id, if any, comes first.
const targetsID = "targets"

// viewTakesArgs reports whether a view takes words after it
// ({{metric view words… @period}}).
func viewTakesArgs(view string) bool {
	switch view {
	case "streak", "top", "share", "count":
		return true
	}
	return false
}

// isWordsView reports whether a view is one of words.
func isWordsView(view string) bool {
	switch view {
	case "trend", "gap", "streak", "top", "share", "count":
		return true
	}
	return false
}

// wordsValue resolves a view of words of metric m.
func (f *figures) wordsValue(m *model.Metric, ref markdown.FigureRef) (figValue, error) {
	sp, err := figureSpan(ref)
	if err != nil {
		return figValue{}, err
	}
	latest, ok := m.Latest()
	if !ok {
		return figValue{}, &hintError{fmt.Sprintf("metric %q has no observations yet", m.ID), "add values under data/observations/, or remove the figure"}
	}
	v := figValue{Href: f.root + "metrics/" + m.ID + "/"}
	switch ref.View {
	case "trend":
		v.Text, v.Title, err = trendWords(f.r.theme.Messages(), m, ref, sp, latest)
	case "gap":
		v.Text, v.Title, err = gapWords(f.r.theme.Messages(), m, ref, sp, latest)
	case "streak":
		v.Text, v.Title, err = streakWords(f.r.theme.Messages(), m, ref, sp, latest)
	case "top":
		v.Text, v.Title, err = f.topWords(m, ref, sp, latest)
	case "share":
		v.Text, v.Title, err = f.shareWords(m, ref, sp, latest)
	case "count":
		err = &hintError{fmt.Sprintf("%s: the count view counts targets, not a metric's values", written(ref)), "write {{targets count progress >= 80 @2026-Q3}}"}
	}
	if err != nil {
		return figValue{}, err
	}
	return v, nil
}

// figureSpan reads the period or span written after @; the zero Span when
// none is written.
func figureSpan(ref markdown.FigureRef) (model.Span, error) {
	if ref.Period == "" {
		return model.Span{}, nil
	}
	sp, err := model.ParseSpan(ref.Period)
	if err != nil {
		return model.Span{}, &hintError{fmt.Sprintf("%s: %v", written(ref), err), ""}
	}
	return sp, nil
}

// onePeriod is the single period of sp (zero when none is written), or
// an error for a span: the view reads one period.
func onePeriod(ref markdown.FigureRef, sp model.Span) (model.Period, error) {
	if !sp.Single() {
		return model.Period{}, &hintError{fmt.Sprintf("%s: the %s view reads one period, not a span", written(ref), ref.View), "write one period, e.g. @" + sp.Last.String()}
	}
	return sp.First, nil
}

// pointAt is m's point for period p, or an error saying which periods it has.
func pointAt(m *model.Metric, p model.Period, what string) (model.Point, error) {
	pt, ok := m.At(p)
	if !ok {
		latest, _ := m.Latest()
		return model.Point{}, &hintError{fmt.Sprintf("metric %q has no value for %s%s", m.ID, p, what), fmt.Sprintf("its periods run from %s to %s", m.Series[0].Period, latest.Period)}
	}
	return pt, nil
}

// needArgs is the error for a view written without the words it needs.
func needArgs(ref markdown.FigureRef, what, example string) error {
	return &hintError{fmt.Sprintf("%s: the %s view needs %s after it", written(ref), ref.View, what), "write " + example}
}

// trendWords: {{m trend}} from the period before the latest to the latest,
// {{m trend @p}} from p to the latest, {{m trend @a..b}} from a to b.
func trendWords(msgs *i18n.Catalogue, m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (text, title string, err error) {
	var from, to model.Point
	switch {
	case sp.IsZero():
		prev, ok := m.Previous()
		if !ok {
			return "", "", &hintError{fmt.Sprintf("%s: metric %q has only one value; there is no trend to show", written(ref), m.ID), ""}
		}
		from, to = prev, latest
	case sp.Single():
		if from, err = pointAt(m, sp.First, " to start the trend from"); err != nil {
			return "", "", err
		}
		if from.Period == latest.Period {
			return "", "", &hintError{fmt.Sprintf("%s: %s is the latest period of %q; a trend needs an earlier one to start from", written(ref), from.Period, m.ID), fmt.Sprintf("write @%s..%s, or an earlier period", m.Series[0].Period, latest.Period)}
		}
		to = latest
	default:
		if from, err = pointAt(m, sp.First, " to start the trend from"); err != nil {
			return "", "", err
		}
		if to, err = pointAt(m, sp.Last, " to end the trend at"); err != nil {
			return "", "", err
		}
	}
	return msgs.String(model.TrendMessage(from.Value, to.Value, m.Unit)), msgs.S("figure_title_span", "metric", m.Name, "from", periodText(msgs, from.Period), "to", periodText(msgs, to.Period)), nil
}

// gapWords: the gap to the target at the latest period or @p.
func gapWords(msgs *i18n.Catalogue, m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (text, title string, err error) {
	at := latest
	if !sp.IsZero() {
		p, err := onePeriod(ref, sp)
		if err != nil {
			return "", "", err
		}
		if at, err = pointAt(m, p, ""); err != nil {
			return "", "", err
		}
	}
	gap, ok := model.GapMessage(m, at.Value)
	words := msgs.String(gap)
	if !ok {
		return "", "", &hintError{fmt.Sprintf("%s: metric %q has no target", written(ref), m.ID), "set target in data/metrics.csv"}
	}
	title = msgs.S("figure_title_gap", "metric", m.Name, "period", periodText(msgs, at.Period), "value", model.FormatValue(at.Value, m.Unit), "target", model.FormatValue(*m.Target, m.Unit))
	if !m.TargetDate.IsZero() {
		title = msgs.S("figure_title_gap_by", "metric", m.Name, "period", periodText(msgs, at.Period), "value", model.FormatValue(at.Value, m.Unit), "target", model.FormatValue(*m.Target, m.Unit), "date", periodText(msgs, m.TargetDate))
	}
	return words, title, nil
}

// streakWords: the periods in a row, ending at the latest or @p, that meet
// the condition written after the view.
func streakWords(msgs *i18n.Catalogue, m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (text, title string, err error) {
	if len(ref.Args) == 0 {
		return "", "", needArgs(ref, "a condition", "{{"+m.ID+" streak = 0}}, {{"+m.ID+" streak >= 80}}, {{"+m.ID+" streak met}} or {{"+m.ID+" streak up}}")
	}
	c, err := model.ParseCondition(ref.Args)
	if err != nil {
		return "", "", &hintError{fmt.Sprintf("%s: %v", written(ref), err), model.ConditionHint}
	}
	if c.Op == model.CondMet && m.Target == nil {
		return "", "", &hintError{fmt.Sprintf("%s: metric %q has no target to meet", written(ref), m.ID), "set target in data/metrics.csv, or compare with a number (>= 80)"}
	}
	end := latest
	if !sp.IsZero() {
		p, err := onePeriod(ref, sp)
		if err != nil {
			return "", "", err
		}
		if end, err = pointAt(m, p, " to end the streak at"); err != nil {
			return "", "", err
		}
	}
	n, _ := model.Streak(m, end.Period, c)
	if n == 0 {
		return "", "", &hintError{fmt.Sprintf("%s: the condition %s does not hold for %s (%s), so there is no streak to tell", written(ref), c, end.Period.Label(), model.FormatValue(end.Value, m.Unit)),
			"a streak counts the periods in a row that end at the latest period (or the one after @); check the condition, or name the period the streak ended"}
	}
	first := end.Period
	for i := 1; i < n; i++ {
		first = first.Prev()
	}
	one, _ := model.PeriodNounMessage(end.Period.Kind)
	return msgs.String(model.StreakMessage(n, end.Period.Kind)), msgs.S("figure_title_streak", "metric", m.Name, "span", spanText(msgs, model.Span{First: first, Last: end.Period}), "condition", c, "period", one), nil
}

// partnerName is a partner's name, or its id when partners.yaml does not
// list it.
func (f *figures) partnerName(id string) string {
	if p := f.r.site.Partner(id); p != nil && p.Name != "" {
		return p.Name
	}
	return id
}

// partnerSpan is the span a partner view reads: the one written, or the
// metric's latest period.
func partnerSpan(m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (model.Span, []model.PartnerValue, error) {
	if len(m.ByPartner) == 0 {
		return sp, nil, &hintError{fmt.Sprintf("%s: metric %q has no values by partner", written(ref), m.ID), "add rows with a partner column to data/observations/ (see by_partner.csv)"}
	}
	if sp.IsZero() {
		sp = model.Span{First: latest.Period, Last: latest.Period}
	}
	ranked := model.PartnerTotals(m, sp)
	if len(ranked) == 0 {
		return sp, nil, &hintError{fmt.Sprintf("%s: no partner has a value of %q for %s", written(ref), m.ID, sp.Label()), "check the period; the partners' values are in data/observations/"}
	}
	return sp, ranked, nil
}

func sumValues(pvs []model.PartnerValue) float64 {
	t := 0.0
	for _, pv := range pvs {
		t += pv.Value
	}
	return t
}

// topWords: the partner ranked first (or N-th) over the period or span,
// by name; with "value", "of" or "share", its value, its value out of all
// partners' total, or its share of that total in words.
func (f *figures) topWords(m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (text, title string, err error) {
	n, show := 1, ""
	args := ref.Args
	if len(args) > 0 {
		if k, err := strconv.Atoi(args[0]); err == nil {
			if k < 1 {
				return "", "", &hintError{fmt.Sprintf("%s: rank %d is not a place; the top partner is 1", written(ref), k), "write {{" + m.ID + " top}} or {{" + m.ID + " top 2}}"}
			}
			n, args = k, args[1:]
		}
	}
	if len(args) > 0 {
		show, args = args[0], args[1:]
	}
	if len(args) > 0 || (show != "" && show != "value" && show != "of" && show != "share") {
		return "", "", &hintError{fmt.Sprintf("%s: the top view takes a rank and one of value, of or share", written(ref)),
			"write {{" + m.ID + " top}} (the name), {{" + m.ID + " top of}} (27 of 88 …), {{" + m.ID + " top value}}, {{" + m.ID + " top share}} or {{" + m.ID + " top 2}}"}
	}
	sp, ranked, err := partnerSpan(m, ref, sp, latest)
	if err != nil {
		return "", "", err
	}
	group, ok := model.RankGroup(ranked, n)
	if !ok {
		return "", "", &hintError{fmt.Sprintf("%s: only %d partners have a value of %q for %s", written(ref), len(ranked), m.ID, sp.Label()), fmt.Sprintf("write a rank from 1 to %d", len(ranked))}
	}
	var names []string
	for _, pv := range group {
		names = append(names, f.partnerName(pv.Partner))
	}
	v, total := group[0].Value, sumValues(ranked)
	each := ""
	if len(group) > 1 {
		each = f.r.tr("figure_each")
	}
	// Only the name form names the partners, in its words and its title;
	// the others say which place they are about.
	place := f.r.tr("figure_top_first")
	if n > 1 {
		place = f.r.tr("figure_top_ranked", "rank", n)
	}
	title = f.r.tr("figure_title_top", "metric", m.Name, "span", spanText(f.r.theme.Messages(), sp), "place", place, "of_total", model.OfTotalMessage(v, total, m.Unit)) + each
	switch show {
	case "":
		if err := f.mayName(ref, group); err != nil {
			return "", "", err
		}
		title = f.r.tr("figure_title_top", "metric", m.Name, "span", spanText(f.r.theme.Messages(), sp), "place", model.JoinMessage(names), "of_total", model.OfTotalMessage(v, total, m.Unit)) + each
		text = f.r.theme.Messages().String(model.JoinMessage(names))
	case "value":
		text = model.FormatValue(v, m.Unit) + each
	case "of":
		text = f.r.theme.Messages().String(model.OfTotalMessage(v, total, m.Unit)) + each
	case "share":
		if total == 0 {
			return "", "", zeroTotal(ref, m, sp)
		}
		text = f.r.theme.Messages().String(model.ShareMessage(v/total)) + each
	}
	return text, title, nil
}

// mayName refuses a figure that would name partners a story is not cleared
// to name. The communication protocol holds a story until every partner it
// names has approved it, but it reads figures as numbers, which name no
// one; {{m top}} names whichever partner the data puts first. So in a
// story that needs approval, the partners it names must be ones the story
// already names (its partners list, its spotlight, or its text), whose
// approval its being public proves.
func (f *figures) mayName(ref markdown.FigureRef, group []model.PartnerValue) error {
	st := f.st
	if !f.r.site.NeedsApproval(st) {
		return nil
	}
	named := st.NamedPartners()
	for _, pv := range group {
		if !contains(named, pv.Partner) {
			return &hintError{fmt.Sprintf("%s names %s, which this story does not name otherwise, so it has not approved it", written(ref), f.partnerName(pv.Partner)),
				fmt.Sprintf("add %s to the story's partners (it must then approve the story), or write {{%s top of}}, which names no one", pv.Partner, ref.ID)}
		}
	}
	return nil
}

func zeroTotal(ref markdown.FigureRef, m *model.Metric, sp model.Span) error {
	return &hintError{fmt.Sprintf("%s: the partners' total of %q for %s is 0, so there is no share to give", written(ref), m.ID, sp.Label()), "cite another period, or the values themselves"}
}

// shareWords: the share of all partners' total given by the partners named
// after the view, or by all but those after "except", in words.
func (f *figures) shareWords(m *model.Metric, ref markdown.FigureRef, sp model.Span, latest model.Point) (text, title string, err error) {
	args := ref.Args
	except := len(args) > 0 && args[0] == "except"
	if except {
		args = args[1:]
	}
	if len(args) == 0 {
		return "", "", needArgs(ref, "partner ids", "{{"+m.ID+" share lakeside-clinic}} or {{"+m.ID+" share except valley-health-dept}}")
	}
	sp, ranked, err := partnerSpan(m, ref, sp, latest)
	if err != nil {
		return "", "", err
	}
	named := map[string]bool{}
	for _, id := range args {
		if _, ok := m.ByPartner[id]; ok {
			named[id] = true
			continue
		}
		var ids []string
		for id := range m.ByPartner {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if f.r.site.Partner(id) != nil {
			return "", "", &hintError{fmt.Sprintf("%s: partner %q has no values of %q", written(ref), id, m.ID), "the partners with values are " + strings.Join(ids, ", ")}
		}
		for _, p := range f.r.site.Partners {
			ids = append(ids, p.ID)
		}
		h := "the partner ids are in data/partners.yaml"
		if s := diag.Suggest(id, ids); s != "" {
			h = fmt.Sprintf("did you mean %q?", s)
		}
		return "", "", &hintError{fmt.Sprintf("%s: %q is not a partner", written(ref), id), h}
	}
	total, part := 0.0, 0.0
	for _, pv := range ranked {
		total += pv.Value
		if named[pv.Partner] != except {
			part += pv.Value
		}
	}
	if total == 0 {
		return "", "", zeroTotal(ref, m, sp)
	}
	// The title counts the partners rather than naming them: a partner
	// named on a story's page must have approved it (see mayName).
	k := 0
	for _, pv := range ranked {
		if named[pv.Partner] {
			k++
		}
	}
	who := f.r.tr("figure_share_of", "count", k, "total", len(ranked))
	if except {
		who = f.r.tr("figure_share_all_but", "count", k, "total", len(ranked))
	}
	title = f.r.tr("figure_title_share", "metric", m.Name, "span", spanText(f.r.theme.Messages(), sp), "part", model.OfTotalMessage(part, total, m.Unit), "percent", model.FormatPercent(part/total), "who", who)
	return f.r.theme.Messages().String(model.ShareMessage(part / total)), title, nil
}

// targetsValue resolves {{targets count [condition] @period}}: how many of
// the metrics whose target_date falls in the period's year (the year of
// the build's date when no period is written) meet the condition, measured
// at the period (or the latest values). The condition is "progress OP N",
// N in percent of the way from baseline to target, or "met".
func (f *figures) targetsValue(ref markdown.FigureRef) (figValue, error) {
	if ref.View != "count" {
		return figValue{}, &hintError{fmt.Sprintf("%s: %q is not a metric; %s takes only the count view", written(ref), ref.ID, ref.ID), "write {{targets count progress >= 80 @2026-Q3}}, or correct the metric id"}
	}
	sp, err := figureSpan(ref)
	if err != nil {
		return figValue{}, err
	}
	per, err := onePeriod(ref, sp)
	if err != nil {
		return figValue{}, err
	}
	year := f.r.site.Now.Year()
	if !per.IsZero() {
		year = per.Y
	}
	var c *model.Condition
	progress := false
	if len(ref.Args) > 0 {
		args := ref.Args
		progress = args[0] == "progress"
		if progress {
			args = args[1:]
		}
		cc, err := model.ParseCondition(args)
		if err == nil && (progress && cc.Op >= model.CondMet || !progress && cc.Op != model.CondMet) {
			err = fmt.Errorf("%q is not a condition on targets", strings.Join(ref.Args, " "))
		}
		if err != nil {
			return figValue{}, &hintError{fmt.Sprintf("%s: %v", written(ref), err), "write progress >= 80 (percent of the way from baseline to target; also > < <= = !=) or met"}
		}
		c = &cc
	}
	var due []*model.Metric
	years := map[int]bool{}
	for _, m := range f.r.site.Metrics {
		if m.Target == nil || m.TargetDate.IsZero() {
			continue
		}
		years[m.TargetDate.Y] = true
		if m.TargetDate.Y == year {
			due = append(due, m)
		}
	}
	if len(due) == 0 {
		var ys []string
		for y := range years {
			ys = append(ys, strconv.Itoa(y))
		}
		sort.Strings(ys)
		h := "no metric has a target_date in data/metrics.csv"
		if len(ys) > 0 {
			h = "targets are due in " + model.JoinNames(ys)
		}
		return figValue{}, &hintError{fmt.Sprintf("%s: no target is due in %d", written(ref), year), h}
	}
	k := 0
	var met []string
	for _, m := range due {
		pt, ok := m.Latest()
		if ok && !per.IsZero() {
			pt, ok = m.AtOrBefore(per)
		}
		if !ok {
			by := ""
			if !per.IsZero() {
				by = " by " + per.Label()
			}
			return figValue{}, &hintError{fmt.Sprintf("%s: metric %q, due in %d, has no value%s to measure against its target", written(ref), m.ID, year, by), "add its values under data/observations/"}
		}
		if c == nil {
			continue
		}
		v := pt.Value
		if progress {
			share, ok := model.ProgressAt(m, v)
			if !ok {
				return figValue{}, &hintError{fmt.Sprintf("%s: metric %q has a target equal to its baseline, so no progress to compare", written(ref), m.ID), "correct baseline or target in data/metrics.csv"}
			}
			v = share * 100
		}
		if c.Holds(v, 0, false, m.Target, m.Down) {
			k++
			met = append(met, m.Name)
		}
	}
	text := f.r.theme.Messages().String(model.SpellCountMessage(len(due)))
	title := f.r.tr("figure_title_targets", "count", len(due), "year", strconv.Itoa(year))
	if c != nil {
		text = f.r.theme.Messages().String(model.CountMessage(k, len(due)))
		what := f.r.tr("figure_targets_met")
		if progress {
			what = f.r.tr("figure_targets_progress", "condition", c.String())
		}
		title = f.r.tr("figure_title_targets_of", "count", k, "total", len(due), "year", strconv.Itoa(year), "what", what)
		if !per.IsZero() {
			title += f.r.tr("figure_title_by", "period", f.r.period(per))
		}
		if len(met) > 0 {
			title = f.r.tr("label_detail", "label", title, "detail", partsText(f.r.theme.Messages(), met))
		}
	}
	if ref.ID != strings.ToLower(ref.ID[:1])+ref.ID[1:] {
		text = model.Capitalize(text)
	}
	return figValue{Text: text, Title: title, Href: f.root + "scorecard/"}, nil
}
