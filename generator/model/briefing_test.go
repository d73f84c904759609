package model

import "testing"

func TestTakeawayWords(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Coverage rose from 72 % to 83 %, still short of 90 %.", 10},
		{"No measles outbreaks — for two quarters.", 6},
		{"Each child costs €101, down from €121.", 7},
		{"  spaced   out  ", 2},
		{"Q3 2026: 1,560 doses", 4},
	}
	for _, tt := range tests {
		if got := TakeawayWords(tt.s); got != tt.want {
			t.Errorf("TakeawayWords(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
