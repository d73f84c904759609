package load

import (
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
)

func TestParseWhen(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	tests := []struct {
		in   string
		want time.Time // in DateOnly, LocalTime or a zone
		ok   bool
	}{
		{"2026-11-28", time.Date(2026, 11, 28, 0, 0, 0, 0, model.DateOnly), true},
		{" 2026-11-28 ", time.Date(2026, 11, 28, 0, 0, 0, 0, model.DateOnly), true},
		{"2026-11-28T07:30", time.Date(2026, 11, 28, 7, 30, 0, 0, model.LocalTime), true},
		{"2026-11-28 07:30", time.Date(2026, 11, 28, 7, 30, 0, 0, model.LocalTime), true},
		{"2026-11-28T07:30:15", time.Date(2026, 11, 28, 7, 30, 15, 0, model.LocalTime), true},
		{"2026-11-28t07:30", time.Date(2026, 11, 28, 7, 30, 0, 0, model.LocalTime), true},
		{"2026-11-28T07:30:00-08:00", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28T07:30-08:00", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28 07:30 -0800", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28T15:30:00Z", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28T15:30z", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28 07:30 America/Los_Angeles", time.Date(2026, 11, 28, 7, 30, 0, 0, la), true},
		{"2026-11-28 15:30 UTC", time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC), true},
		{"2026-11-28 07:30 Mars/Base", time.Time{}, false},
		{"2026-11-28 07:30 PST", time.Time{}, false},
		{"2026-11-31", time.Time{}, false},
		{"2026-11-28T24:00", time.Time{}, false},
		{"28 November 2026", time.Time{}, false},
		{"2026-11-28T7:30", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := parseWhen(tc.in)
		if ok != tc.ok {
			t.Errorf("parseWhen(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		switch tc.want.Location() {
		case model.DateOnly, model.LocalTime:
			if got.Location() != tc.want.Location() || !got.Equal(tc.want) {
				t.Errorf("parseWhen(%q) = %v, want %v", tc.in, got, tc.want)
			}
		default:
			if got.Location() == model.DateOnly || got.Location() == model.LocalTime || !got.Equal(tc.want) {
				t.Errorf("parseWhen(%q) = %v, want the moment %v", tc.in, got, tc.want)
			}
		}
	}
}

// FuzzParseWhen checks that no text makes parseWhen panic, and that what
// it reads is a real calendar day it writes back the same way.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-11-28", "2026-11-28T07:30", "2026-11-28T07:30:00-08:00", "2026-11-28 07:30 America/Chicago", "2026-11-28 07:30 -0800", "2026-11-28T15:30Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseWhen(s)
		if !ok {
			if !got.IsZero() {
				t.Errorf("parseWhen(%q) failed but returned %v", s, got)
			}
			return
		}
		// A date alone or a time without a zone keeps the day written.
		if l := got.Location(); l == model.DateOnly || l == model.LocalTime {
			if day := got.Format("2006-01-02"); !strings.HasPrefix(strings.TrimSpace(s), day) {
				t.Errorf("parseWhen(%q) = %v, another day", s, got)
			}
		}
	})
}
