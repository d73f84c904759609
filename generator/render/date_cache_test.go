package render

import (
	"testing"
	"time"
)

// TestDateTextsCached checks the renderer's dates, kept by day: each is
// dateText's, on its first use and from the cache, for days that differ by
// a day, a month or a year, and for one instant in two time zones whose
// days differ.
func TestDateTextsCached(t *testing.T) {
	_, r := exampleRenderer(t)
	east := time.FixedZone("east", 10*3600)
	days := []time.Time{
		time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC).In(east), // the 28th there
		{},
	}
	for round := 0; round < 2; round++ {
		seen := map[string]bool{}
		for _, d := range days {
			want := dateText(r.theme.Messages(), d)
			if got := r.date(d); got != want {
				t.Errorf("round %d: date(%v) = %q, want %q", round, d, got, want)
			}
			seen[want] = true
		}
		if len(seen) != 5 {
			t.Errorf("round %d: %d distinct texts for 5 days and a zero time: %v", round, len(seen), seen)
		}
	}
}
