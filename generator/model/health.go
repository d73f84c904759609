package model

import (
	"github.com/drumbeat/drumbeat/generator/diag"
)

// Health returns warnings about the site that do not stop a build: what is
// held back and why, and when the next embargo lifts.
func Health(s *Site) diag.List {
	var w diag.List
	for _, st := range s.Held {
		for _, why := range st.Held {
			w.Warnf(diag.Pos{File: st.Path, Line: 1}, "held back: %s", why)
		}
	}
	return w
}
