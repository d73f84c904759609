package model

import (
	"sort"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
	}{
		{"2026", Period{Kind: Year, Y: 2026}},
		{" 2026 ", Period{Kind: Year, Y: 2026}},
		{"1000", Period{Kind: Year, Y: 1000}},
		{"9999", Period{Kind: Year, Y: 9999}},
		{"2026-Q1", Period{Kind: Quarter, Y: 2026, N: 1}},
		{"2026-Q3", Period{Kind: Quarter, Y: 2026, N: 3}},
		{"2026-q4", Period{Kind: Quarter, Y: 2026, N: 4}},
		{"2026-01", Period{Kind: Month, Y: 2026, N: 1}},
		{"2026-09", Period{Kind: Month, Y: 2026, N: 9}},
		{"2026-12", Period{Kind: Month, Y: 2026, N: 12}},
		{"2026-09-15", Period{Kind: Day, Y: 2026, N: 9, D: 15}},
		{"2024-02-29", Period{Kind: Day, Y: 2024, N: 2, D: 29}},
		{"\t2026-12-31\t", Period{Kind: Day, Y: 2026, N: 12, D: 31}},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParsePeriod(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if back, err := ParsePeriod(got.String()); err != nil || back != got {
			t.Errorf("ParsePeriod(%q).String() = %q does not read back: %+v, %v", tt.in, got.String(), back, err)
		}
	}
}

func TestParsePeriodInvalid(t *testing.T) {
	for _, in := range []string{
		"", " ", "202", "20261", "0999", "-2026", "+2026", "2026-", "abcd",
		"2026-Q0", "2026-Q5", "2026-Q", "2026-Q12", "2026Q3", "2026-X3", "2026-Q+",
		"2026-00", "2026-13", "2026-1", "2026-+1", "2026-a1", "2026-1a", "2026/09",
		"2026-02-30", "2025-02-29", "2026-09-31", "2026-9-15", "2026-09-1", "2026-09-150",
		"2026-09-15T10:00", "26-09-15", "٢٠٢٦", "2026-Q３", "2026-09-15x",
	} {
		p, err := ParsePeriod(in)
		if err == nil {
			t.Errorf("ParsePeriod(%q) = %+v, want an error", in, p)
			continue
		}
		if !p.IsZero() {
			t.Errorf("ParsePeriod(%q) returned %+v with its error; want the zero period", in, p)
		}
		// The message says which forms are accepted.
		if msg := err.Error(); !strings.Contains(msg, "2026-Q3") || !strings.Contains(msg, "2026-09-15") {
			t.Errorf("ParsePeriod(%q) error %q does not show the accepted forms", in, msg)
		}
	}
}

func mustPeriod(t testing.TB, s string) Period {
	t.Helper()
	p, err := ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPeriodStartEnd(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		p          string
		start, end string
	}{
		{"2026", "2026-01-01", "2026-12-31"},
		{"2026-Q1", "2026-01-01", "2026-03-31"},
		{"2026-Q2", "2026-04-01", "2026-06-30"},
		{"2026-Q4", "2026-10-01", "2026-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2026-02", "2026-02-01", "2026-02-28"},
		{"2026-12", "2026-12-01", "2026-12-31"},
		{"2026-09-15", "2026-09-15", "2026-09-15"},
	}
	for _, tt := range tests {
		p := mustPeriod(t, tt.p)
		if got := p.Start(); !got.Equal(day(tt.start)) {
			t.Errorf("%s.Start() = %s, want %s", tt.p, got.Format(time.DateOnly), tt.start)
		}
		if got := p.End(); !got.Equal(day(tt.end)) {
			t.Errorf("%s.End() = %s, want %s", tt.p, got.Format(time.DateOnly), tt.end)
		}
		if !p.Contains(day(tt.start)) || !p.Contains(day(tt.end)) {
			t.Errorf("%s does not contain its own start and end", tt.p)
		}
		if p.Contains(day(tt.start).AddDate(0, 0, -1)) || p.Contains(day(tt.end).AddDate(0, 0, 1)) {
			t.Errorf("%s contains a day outside it", tt.p)
		}
	}
	var zero Period
	if !zero.IsZero() || !zero.Start().IsZero() || !zero.End().IsZero() || zero.String() != "" || zero.Label() != "" {
		t.Errorf("the zero period is not empty: %+v", zero)
	}
}

func TestPeriodBefore(t *testing.T) {
	// Sorted: by end, then the shorter span first.
	sorted := []string{
		"2025", "2026-01-01", "2026-01", "2026-02", "2026-03-31", "2026-03", "2026-Q1",
		"2026-07", "2026-Q3", "2026-12-31", "2026-12", "2026-Q4", "2026", "2027-01-01",
	}
	for i := range sorted {
		for j := range sorted {
			a, b := mustPeriod(t, sorted[i]), mustPeriod(t, sorted[j])
			if got, want := a.Before(b), i < j; got != want {
				t.Errorf("%s.Before(%s) = %v, want %v", sorted[i], sorted[j], got, want)
			}
		}
	}
	// sort.Slice with Before gives the same order from any start.
	shuffled := []string{"2026", "2026-Q4", "2026-12", "2026-12-31", "2025", "2026-01", "2026-Q1", "2026-01-01"}
	ps := make([]Period, len(shuffled))
	for i, s := range shuffled {
		ps[i] = mustPeriod(t, s)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Before(ps[j]) })
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := "2025 2026-01-01 2026-01 2026-Q1 2026-12-31 2026-12 2026-Q4 2026"
	if strings.Join(got, " ") != want {
		t.Errorf("sorted = %v, want %v", got, want)
	}
}

func TestPeriodPrevNext(t *testing.T) {
	tests := []struct {
		p, prev, next string
	}{
		{"2026", "2025", "2027"},
		{"2026-Q1", "2025-Q4", "2026-Q2"},
		{"2026-Q4", "2026-Q3", "2027-Q1"},
		{"2026-01", "2025-12", "2026-02"},
		{"2026-12", "2026-11", "2027-01"},
		{"2026-01-01", "2025-12-31", "2026-01-02"},
		{"2025-12-31", "2025-12-30", "2026-01-01"},
		{"2024-02-28", "2024-02-27", "2024-02-29"},
		{"2024-03-01", "2024-02-29", "2024-03-02"},
		{"2026-03-01", "2026-02-28", "2026-03-02"},
	}
	for _, tt := range tests {
		p := mustPeriod(t, tt.p)
		if got := p.Prev().String(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.p, got, tt.prev)
		}
		if got := p.Next().String(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", tt.p, got, tt.next)
		}
		if p.Prev().Next() != p || p.Next().Prev() != p {
			t.Errorf("%s: Prev and Next are not inverses", tt.p)
		}
		if !p.Prev().Before(p) || !p.Before(p.Next()) {
			t.Errorf("%s: Prev/Next are not ordered around it", tt.p)
		}
	}
	var zero Period
	if zero.Prev() != zero || zero.Next() != zero {
		t.Error("the zero period has a Prev or Next")
	}
}

func TestPeriodLabel(t *testing.T) {
	tests := []struct{ p, label string }{
		{"2026", "2026"},
		{"2026-Q3", "Q3 2026"},
		{"2026-q1", "Q1 2026"},
		{"2026-09", "Sep 2026"},
		{"2026-01", "Jan 2026"},
		{"2026-09-05", "5 Sep 2026"},
		{"2026-12-31", "31 Dec 2026"},
	}
	for _, tt := range tests {
		if got := mustPeriod(t, tt.p).Label(); got != tt.label {
			t.Errorf("%s.Label() = %q, want %q", tt.p, got, tt.label)
		}
	}
}
