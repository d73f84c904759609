package typed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
)

func ptr(v float64) *float64 { return &v }

func series(kv ...any) []model.Point {
	var out []model.Point
	for i := 0; i+1 < len(kv); i += 2 {
		p, err := model.ParsePeriod(kv[i].(string))
		if err != nil {
			panic(err)
		}
		out = append(out, model.Point{Period: p, Value: kv[i+1].(float64)})
	}
	return out
}

// testMetrics are a few of the example's metrics, with their data.
func testMetrics() []*model.Metric {
	return []*model.Metric{
		{ID: "coverage_2y", Name: "Children fully immunised by age two", Unit: "%", Baseline: ptr(71), Target: ptr(90),
			Synonyms: []string{"coverage", "fully immunised"},
			Series:   series("2024-Q1", 71.8, "2024-Q2", 72.5, "2025-Q4", 78.4, "2026-Q1", 80.1, "2026-Q2", 81.0, "2026-Q3", 82.6)},
		{ID: "dropout_rate", Name: "Dropout between first and third dose", Unit: "%", Down: true, Baseline: ptr(14), Target: ptr(5),
			TargetDate: model.Period{Kind: model.Quarter, Y: 2027, N: 4},
			Synonyms:   []string{"dropout", "drop-out"},
			Series:     series("2024-Q1", 13.6, "2026-Q2", 8.7, "2026-Q3", 7.6)},
		{ID: "doses_given", Name: "Vaccine doses given", Unit: "doses", Baseline: ptr(4700), Target: ptr(6200),
			Synonyms: []string{"vaccinations", "jabs"},
			Series:   series("2025-Q1", 5000.0, "2025-Q2", 5200.0, "2025-Q3", 5230.0, "2025-Q4", 5630.0, "2026-Q1", 5780.0, "2026-Q2", 5880.0, "2026-Q3", 6030.0),
			ByPartner: map[string][]model.Point{
				"kestrel-pharmacy": series("2026-Q2", 870.0, "2026-Q3", 910.0),
			}},
		{ID: "budget_leveraged", Name: "Partner contributions leveraged", Unit: "EUR", Baseline: ptr(288600), Target: ptr(500000),
			Synonyms: []string{"contributions"},
			Series:   series("2024", 361040.0, "2025", 430120.0)},
		{ID: "volunteer_hours", Name: "Volunteer hours given", Unit: "hours", Baseline: ptr(400), Target: ptr(1200),
			Series: series("2026-Q2", 1010.0, "2026-Q3", 1110.0)},
	}
}

// want is a finding: the number as typed, the metric, match or not, and
// words the message and hint hold.
type want struct {
	number, metric string
	match          bool
	words          string
}

func (w want) String() string {
	return fmt.Sprintf("%q %s match=%v %q", w.number, w.metric, w.match, w.words)
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, text, context string
		want                []want
	}{
		// Typed figures that equal the data: the live syntax is suggested.
		{"latest, rounded", "Coverage reached 83 % in the third quarter of 2026.", "", []want{{"83 %", "coverage_2y", true, "{{coverage_2y}}"}}},
		{"latest, exact", "Coverage was 82.6% in Q3 2026.", "", []want{{"82.6%", "coverage_2y", true, "{{coverage_2y}}"}}},
		{"latest, no period", "Coverage now stands at 82.6 per cent.", "", []want{{"82.6", "coverage_2y", true, "{{coverage_2y}}"}}},
		{"older period", "In Q4 2025 coverage stood at 78 %.", "", []want{{"78 %", "coverage_2y", true, "{{coverage_2y @2025-Q4}}"}}},
		{"months make a quarter", "Partners gave 5,880 doses between April and June.", "", []want{{"5,880", "doses_given", true, "{{doses_given @2026-Q2}}"}}},
		{"thousands without comma", "Partners gave 6030 doses.", "", []want{{"6030", "doses_given", true, "{{doses_given}}"}}},
		{"about a round number", "Partners gave about 6,000 doses this quarter.", "", []want{{"6,000", "doses_given", true, "{{doses_given}}"}}},
		{"k", "Partners gave 6.0k doses.", "", []want{{"6.0k", "doses_given", true, "{{doses_given}}"}}},
		{"unit words between", "Partners gave 6,030 childhood vaccine doses.", "", []want{{"6,030", "doses_given", true, "{{doses_given}}"}}},
		{"synonym", "The jabs: 5,880 in the second quarter.", "", []want{{"5,880", "doses_given", true, "{{doses_given @2026-Q2}}"}}},
		{"change on the previous period", "Coverage rose 1.6 points on the quarter before.", "", []want{{"1.6", "coverage_2y", true, "{{coverage_2y change}}"}}},
		{"change since a period", "Coverage rose by 4 points since Q4 2025.", "", []want{{"4", "coverage_2y", true, "{{coverage_2y change @2025-Q4}}"}}},
		{"change since before the series", "Since 2023, coverage has climbed 11 points.", "", []want{{"11", "coverage_2y", true, "{{coverage_2y change @2024-Q1}}"}}},
		{"small counts match no old partner value", "The alliance held 870 doses for Kestrel.", "", nil},
		{"change in a count", "That is 150 more doses than the quarter before.", "", []want{{"150", "doses_given", true, "{{doses_given change}}"}}},
		{"target", "Coverage is still short of the 90 % target.", "", []want{{"90 %", "coverage_2y", true, "{{coverage_2y target}}"}}},
		{"target by its date", "In May 2026 the group agreed to bring dropout below 5 % by the end of 2027.", "", []want{{"5 %", "dropout_rate", true, "{{dropout_rate target}}"}}},
		{"a year's total", "In 2025 partners gave 21,060 doses.", "", []want{{"21,060", "doses_given", true, "total of doses_given over 2025"}}},
		{"a partner's value", "Kestrel gave 910 doses in Q3 2026.", "", []want{{"910", "doses_given", true, "kestrel-pharmacy's value"}}},
		{"money", "Contributions reached €361,040 in 2024.", "", []want{{"€361,040", "budget_leveraged", true, "{{budget_leveraged @2024}}"}}},
		{"two metrics in a sentence", "Dropout fell to 8 % while coverage rose to 83 %.", "", []want{
			{"8 %", "dropout_rate", true, "{{dropout_rate}}"}, {"83 %", "coverage_2y", true, "{{coverage_2y}}"}}},
		{"period from the sentence before", "In Q4 2025 the alliance changed its rota. Coverage was 78 %.", "", []want{{"78 %", "coverage_2y", true, "{{coverage_2y @2025-Q4}}"}}},
		{"table cell with its header", "78.4", "Coverage 2025-Q4", []want{{"78.4", "coverage_2y", true, "{{coverage_2y @2025-Q4}}"}}},
		{"briefing takeaway", "Rose from 72 % to 83 %, still short of 90 %.", "coverage_2y 2024-Q1 2026-Q3", []want{
			{"72 %", "coverage_2y", true, "@2024-Q1"}, {"83 %", "coverage_2y", true, "{{coverage_2y}}"}, {"90 %", "coverage_2y", true, "target"}}},

		// Typed figures that contradict the data: what the data holds.
		{"wrong for the named quarter", "Coverage was 80 % in Q4 2025.", "", []want{{"80 %", "coverage_2y", false, "78.4 % for Q4 2025"}}},
		{"stale latest", "Coverage is now 79 %.", "", []want{{"79 %", "coverage_2y", false, "82.6 % for Q3 2026"}}},
		{"wrong year total", "In 2025 partners gave 20,000 doses.", "", []want{{"20,000", "doses_given", false, "21,060 doses in all over 2025"}}},
		{"wrong months", "Between July and September partners gave 5,900 doses.", "", []want{{"5,900", "doses_given", false, "6,030 doses for Q3 2026"}}},
		{"wrong change", "Coverage rose 5 points on the quarter before.", "", []want{{"5", "coverage_2y", false, "+1.6 points"}}},

		// A contradiction needs strong evidence. (a) A period with a year
		// that the data covers, in the sentence, the one before or a
		// table cell's row or column: compared with that period's value,
		// however far the number is from it.
		{"(a) named month with its year", "In March 2026 coverage was 60 %.", "", []want{{"60 %", "coverage_2y", false, "80.1 % for Q1 2026"}}},
		{"(a) year from the sentence before", "In Q4 2025 the alliance changed its rota. Coverage was 60 %.", "", []want{{"60 %", "coverage_2y", false, "78.4 % for Q4 2025"}}},
		{"(a) table row that is a period", "1,300", "Volunteer hours 2026-Q3", []want{{"1,300", "volunteer_hours", false, "1,110 hours for Q3 2026"}}},
		{"(a) a named year the data does not cover", "In 2019 coverage was 60 %.", "", nil},
		// (b) No period with a year: wrong only when close to the latest
		// value (within 5 % or the last four periods' range).
		{"(b) slipped latest", "Coverage is now 84 %.", "", []want{{"84 %", "coverage_2y", false, "82.6 % for Q3 2026"}}},
		{"(b) within the last four periods", "Partners now give 5,700 doses.", "", []want{{"5,700", "doses_given", false, "6,030 doses for Q3 2026"}}},
		{"(b) far from the latest: about something else", "Coverage is now 60 %.", "", nil},
		{"(b) far below the latest count", "Partners give about 4,300 doses a month.", "", nil},
		{"(b) a change far from the recent changes", "Coverage rose 15 points on the quarter before.", "", nil},
		// A month or quarter without a year names no period for a
		// contradiction (it still finds a match, see above).
		{"yearless month, far", "In March coverage was 60 %.", "", nil},
		{"yearless quarter, far", "In the third quarter partners gave 4,000 doses.", "", nil},
		{"yearless quarter, close to the latest", "In the third quarter partners gave 5,900 doses.", "", []want{{"5,900", "doses_given", false, "the latest in the data is 6,030 doses for Q3 2026"}}},
		// Table rows and columns that are not periods name none.
		{"table row that is not a period, far", "300", "Volunteer hours Coldwater", nil},
		{"table total row, far", "1,615", "Volunteer hours Total", nil},
		{"table row that is not a period, close", "1,150", "Volunteer hours Coldwater", []want{{"1,150", "volunteer_hours", false, "the latest in the data is 1,110 hours"}}},
		{"table row with a yearless quarter", "1,300", "Volunteer hours Q3", nil},

		// Left alone.
		{"years", "Coverage has been tracked since 2023 and doses since 2024.", "", nil},
		{"dates", "Coverage data for 15 October arrived; doses on October 16 too, and on 2026-10-15.", "", nil},
		{"ordinals", "Coverage ranked 3rd in the region; the 2nd dose matters.", "", nil},
		{"phone numbers", "Call 0161 496 0000 about doses, or +44 20 7946 0958 about coverage.", "", nil},
		{"list numbers", "1. Coverage rises\n2. Doses given", "", nil},
		{"times", "Doses are given from 10:30 and coverage is reviewed at 9am or 7 pm.", "", nil},
		{"money in another unit", "Coverage cost €83 per child; doses cost $6,030.", "", nil},
		{"curly quotes", "“Coverage hit 83 %,” she said.", "", nil},
		{"straight quotes", `The sign read "6,030 doses" all summer.`, "", nil},
		{"code spans", "Write `coverage 83 %` to see it.", "", nil},
		{"figures", "Coverage reached {{coverage_2y @2025-Q4}} and {{doses_given}} doses.", "", nil},
		{"addresses", "Doses are given at 12 Quay Street.", "", nil},
		{"counts of other things", "Coverage grew in 12 villages and 3 schools.", "", nil},
		{"ages", "Doses for children aged 2 to 5.", "", nil},
		{"no metric named", "The clinic saw 83 % of its families and 6,030 visitors.", "", nil},
		{"more than", "Coverage is above 50 % everywhere.", "", nil},
		{"a unit alone does not contradict", "The clinic is open 8 hours a day.", "", nil},
		{"versions", "Coverage data moved to version 2.1.3 of the register.", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Find(Text{S: tc.text, Context: tc.context}, testMetrics())
			if len(got) != len(tc.want) {
				t.Fatalf("Find(%q) = %d findings, want %d:\n%s", tc.text, len(got), len(tc.want), dump(got))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Number != w.number || g.Metric != w.metric || g.Match != w.match || !strings.Contains(g.Msg+" "+g.Hint, w.words) {
					t.Errorf("finding %d = %s, want %s", i, dump(got[i:i+1]), w)
				}
				if g.Off < 0 || g.End > len(tc.text) || tc.text[g.Off:g.End] != g.Number && !strings.HasPrefix(tc.text[g.Off:], g.Number) {
					t.Errorf("finding %d at %d:%d = %q, want %q", i, g.Off, g.End, tc.text[max(0, g.Off):min(len(tc.text), g.End)], g.Number)
				}
			}
		})
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %d:%d %q %s match=%v: %s (%s)\n", f.Off, f.End, f.Number, f.Metric, f.Match, f.Msg, f.Hint)
	}
	return b.String()
}

// TestFindLongText: a long paragraph full of numbers is read in time
// proportional to its length (20 s is generous: the machine is shared;
// a quadratic scan takes minutes).
func TestFindLongText(t *testing.T) {
	for _, unit := range []string{"Coverage 83 % doses 6,030 \"1\" ", "1 ", "Q3 2026 coverage "} {
		s := strings.Repeat(unit, (1<<20)/len(unit))
		start := time.Now()
		Find(Text{S: s}, testMetrics())
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("Find on 1 MiB of %q took %s", unit, d)
		}
	}
}
