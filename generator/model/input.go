package model

// Input is everything read from a site folder, before it is checked
// against itself.
type Input struct {
	Config       Config
	Stories      []*Story // content/stories
	Pages        []*Story // content/pages
	Newsletters  []*Newsletter
	Metrics      []*Metric
	Observations []Observation
	Partners     []*Partner
	Governance   Governance
	Decisions    []*Decision
	Briefing     *Briefing // content/briefing.md, or nil
	Static       []string  // files under static/, relative to the site
}
