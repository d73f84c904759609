package model

import (
	"strings"
	"testing"
)

func TestCheckGreetingAndRate(t *testing.T) {
	greetings := []struct{ g, fb, err string }{
		{"Dear {name},", "Dear partners,", ""},
		{"Hello everyone,", "", ""},
		{"Dear {name},", "", "greeting_fallback is not set"},
		{"Dear {nom},", "Dear partners,", "placeholder other than {name}"},
		{"Dear {name},", "Dear {name},", "holds a placeholder"},
		{"", "Dear partners,", "greeting is not"},
		{"Dear\n{name},", "x", "one line"},
	}
	for _, tc := range greetings {
		err := CheckGreeting(tc.g, tc.fb)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CheckGreeting(%q, %q) = %v, want %q", tc.g, tc.fb, err, tc.err)
		}
	}
	rates := []struct {
		s    string
		want float64
	}{{"30/min", 30}, {"2/s", 120}, {"600/h", 10}, {" 1.5 / min ", 1.5}, {"30", 0}, {"0/min", 0}, {"-3/min", 0}, {"x/min", 0}, {"3/day", 0}}
	for _, tc := range rates {
		got, err := ParseRate(tc.s)
		if got != tc.want || (err == nil) != (tc.want > 0) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
}
