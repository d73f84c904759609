package model

import "github.com/drumbeat/drumbeat/generator/diag"

// Briefing is the executive briefing chosen in content/briefing.md.
type Briefing struct {
	Path string
}

// checkBriefing checks the briefing against the metrics and the data.
func (s *Site) checkBriefing(errs *diag.List) {}
