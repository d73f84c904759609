package model

import (
	"testing"
	"time"
)

// TestAtSummerTime checks how a clock time is read across the changes of
// summer time: in a gap, the moment the clocks jump; when they go back,
// the first of the two moments.
func TestAtSummerTime(t *testing.T) {
	zone := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	tests := []struct {
		in   time.Time
		zone string
		want string // UTC
		day  string // the day shown in the zone
	}{
		{time.Date(2026, 3, 8, 2, 30, 0, 0, LocalTime), "America/Chicago", "2026-03-08T08:00:00Z", "2026-03-08"},
		{time.Date(2026, 3, 8, 3, 30, 0, 0, LocalTime), "America/Chicago", "2026-03-08T08:30:00Z", "2026-03-08"},
		{time.Date(2026, 3, 8, 1, 59, 0, 0, LocalTime), "America/Chicago", "2026-03-08T07:59:00Z", "2026-03-08"},
		{time.Date(2026, 11, 1, 1, 30, 0, 0, LocalTime), "America/Chicago", "2026-11-01T06:30:00Z", "2026-11-01"},
		{time.Date(2026, 11, 1, 0, 0, 0, 0, DateOnly), "America/Chicago", "2026-11-01T05:00:00Z", "2026-11-01"},
		{time.Date(2026, 3, 8, 0, 0, 0, 0, DateOnly), "America/Havana", "2026-03-08T05:00:00Z", "2026-03-08"},
		{time.Date(2026, 3, 29, 2, 30, 0, 0, LocalTime), "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29"},
		{time.Date(2026, 11, 28, 0, 0, 0, 0, DateOnly), "Asia/Tokyo", "2026-11-27T15:00:00Z", "2026-11-28"},
		{time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), "America/Los_Angeles", "2026-11-28T15:30:00Z", "2026-11-28"},
	}
	for _, tc := range tests {
		got := At(tc.in, zone(tc.zone))
		if g := got.UTC().Format(time.RFC3339); g != tc.want || got.Format("2006-01-02") != tc.day {
			t.Errorf("At(%v, %s) = %s (%s there), want %s (%s)", tc.in, tc.zone, g, got.Format("2006-01-02 15:04"), tc.want, tc.day)
		}
	}
}
