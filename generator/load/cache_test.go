package load

import "testing"

func TestCacheConfig(t *testing.T) {
	const f = ConfigFile
	tests := []struct {
		name    string
		src     string
		days    int
		wantErr []string
	}{
		{"left out", "title: x\n", 90, nil},
		{"days", "title: x\ncache:\n  max_age: 30d\n", 30, nil},
		{"no unit", "title: x\ncache:\n  max_age: 30\n", 90,
			[]string{f + `:3:3: cache.max_age "30" is not a number of days like 90d (how long an image cache entry no build used is kept, from 1d to 10000d; leave it out for 90d)`}},
		{"zero", "title: x\ncache:\n  max_age: 0d\n", 90, []string{f + `:3:3: cache.max_age "0d" is not a number of days`}},
		{"hours", "title: x\ncache:\n  max_age: 24h\n", 90, []string{f + `:3:3: cache.max_age "24h" is not a number of days`}},
		{"unknown key", "title: x\ncache:\n  maxAge: 9d\n", 90,
			[]string{f + `:3:3: unknown key "maxAge" in ` + "`cache`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, errs := loadFiles(t, map[string]string{f: tt.src})
			checkErrs(t, errs, tt.wantErr...)
			if got := src.Config.Cache.Days; got != tt.days {
				t.Errorf("days = %d, want %d", got, tt.days)
			}
		})
	}
}
