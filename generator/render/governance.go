package render

import (
	"github.com/drumbeat/drumbeat/generator/model"
)

// GovernanceView is the governance page.
type GovernanceView struct {
	Gov            *model.Governance
	Roles          []RoleView
	DegreeIndex    int // position of the integration degree, 1-based; 0 unknown
	Degrees        []string
	RecentDecision []*model.Decision
	Health         Membership
}

// Membership is the health of the membership over the last twelve months.
type Membership struct {
	Members  int    // current members
	Joined   int    // joined in the last twelve months
	Left     int    // left in the last twelve months
	Base     int    // members twelve months ago
	Turnover string // "22 %"
	Relaunch bool   // turnover past the threshold: the team is due for a relaunch
	Limit    string // the threshold, "15 %"
}

// JoinView is the page for organisations thinking of joining.
type JoinView struct {
	Gov     *model.Governance
	Roles   []RoleView
	Members int
	Sectors int
	Health  Membership
}

// RoleView is a role with the partners who hold it.
type RoleView struct {
	Role    *model.Role
	Holders []*model.Partner
}

// DecisionsView is the decision log.
type DecisionsView struct {
	Decisions []DecisionView
	Due       int
}

// DecisionView is one decision.
type DecisionView struct {
	*model.Decision
	Date    string
	Revisit string
	Due     bool
}

func (r *renderer) governance() error {
	g := &r.site.Governance
	v := &GovernanceView{Gov: g, Degrees: model.IntegrationDegrees}
	for i, d := range model.IntegrationDegrees {
		if d == g.Integration.Degree {
			v.DegreeIndex = i + 1
		}
	}
	v.Roles = roleViews(r.site)
	for i, d := range r.site.Decisions {
		if i == 3 {
			break
		}
		v.RecentDecision = append(v.RecentDecision, d)
	}
	v.Health = membership(r.site)
	return r.page("governance", &Page{Title: r.tr("gov_heading"), Description: g.Purpose.Statement, Path: "/governance/", Section: "governance", Governance: v})
}

// roleViews returns the governance roles with the current partners that
// hold each.
func roleViews(s *model.Site) []RoleView {
	g := &s.Governance
	current := s.CurrentPartners()
	var out []RoleView
	for i := range g.Roles {
		rv := RoleView{Role: &g.Roles[i]}
		for _, p := range current {
			if p.Role == g.Roles[i].ID {
				rv.Holders = append(rv.Holders, p)
			}
		}
		out = append(out, rv)
	}
	return out
}

func membership(s *model.Site) Membership {
	share, joined, left, base := s.Turnover(s.Now)
	return Membership{Members: len(s.CurrentPartners()), Joined: joined, Left: left, Base: base,
		Turnover: model.FormatPercent(share), Relaunch: share > model.RelaunchThreshold, Limit: model.FormatPercent(model.RelaunchThreshold)}
}

func (r *renderer) join() error {
	g := &r.site.Governance
	v := &JoinView{Gov: g, Members: len(r.site.CurrentPartners()), Health: membership(r.site)}
	sectors := map[model.Sector]bool{}
	for _, p := range r.site.CurrentPartners() {
		sectors[p.Sector] = true
	}
	v.Sectors = len(sectors)
	v.Roles = roleViews(r.site)
	return r.page("join", &Page{Title: r.tr("join_title"), Description: r.tr("join_description"), Path: "/join/", Section: "partners", Join: v})
}

func (r *renderer) decisions() error {
	v := &DecisionsView{}
	for _, d := range r.site.Decisions {
		dv := DecisionView{Decision: d, Date: r.date(d.Date), Revisit: r.date(d.RevisitOn), Due: d.Due(r.site.Now)}
		if dv.Due {
			v.Due++
		}
		v.Decisions = append(v.Decisions, dv)
	}
	return r.page("decisions", &Page{Title: r.tr("decisions_heading"), Description: r.tr("decisions_description"),
		Path: "/decisions/", Section: "decisions", Decisions: v})
}
