package model

import "testing"

// TestCardFigureIsAsOfTheStory: a story's card shows the figure for the
// story's own period, labelled with it, never a later one.
func TestCardFigureIsAsOfTheStory(t *testing.T) {
	tests := []struct {
		name   string
		date   string
		period string // declared period: ""
		cites  []Cite
		want   string // value and detail, "" for no figure
	}{
		{"latest when the story is after the data", "2025-09-01", "", nil, "80 % Q2 2025"},
		{"as of the story's date, not today's data", "2025-05-10", "", nil, "75 % Q1 2025"},
		{"a period ending on the story's date counts", "2025-06-30", "", nil, "80 % Q2 2025"},
		{"the declared period wins over the date", "2025-09-01", "2025-Q1", nil, "75 % Q1 2025"},
		{"a declared year covers its quarters", "2026-02-01", "2025", nil, "80 % Q2 2025"},
		{"a story before all data has no figure", "2024-12-01", "", nil, ""},
		{"a cited figure for the story's period", "2025-09-01", "", []Cite{{ID: "cases", Period: "2025-Q2"}}, "3 cases Q2 2025"},
		{"a cited figure for an earlier period is a comparison, passed over", "2025-09-01", "", []Cite{{ID: "coverage", Period: "2025-Q1"}, {ID: "cases", Period: "2025-Q2"}}, "3 cases Q2 2025"},
		{"only earlier periods cited: the first cited metric as of the story", "2025-09-01", "", []Cite{{ID: "coverage", Period: "2025-Q1"}}, "80 % Q2 2025"},
		{"a cited figure without a period is as of the story", "2025-05-10", "", []Cite{{ID: "cases"}, {ID: "coverage"}}, "75 % Q1 2025"},
		{"views other than the value are passed over", "2025-09-01", "", []Cite{{ID: "cases", View: "change"}, {ID: "cases"}}, "3 cases Q2 2025"},
		{"a cited period without data falls back to the listed metric", "2025-09-01", "", []Cite{{ID: "coverage", Period: "2020-Q1"}}, "80 % Q2 2025"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := approvalInput()
			st := in.Stories[0]
			st.Date = ymd(tc.date)
			if tc.period != "" {
				st.Period = per(tc.period)
			}
			st.Cites = tc.cites
			for _, c := range tc.cites {
				st.Figures = append(st.Figures, c.ID)
			}
			site, errs := New(in, Options{Now: ymd("2026-01-01")})
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			f := site.CardFigure(st)
			got := ""
			if f != nil {
				got = f.Value + " " + f.Detail
			}
			if got != tc.want {
				t.Errorf("card figure %q, want %q", got, tc.want)
			}
		})
	}
}
