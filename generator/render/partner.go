package render

import (
	"fmt"
	"sort"

	"github.com/drumbeat/drumbeat/generator/model"
)

// PartnersView is the partners index.
type PartnersView struct {
	Sectors []SectorGroup
	Former  []*model.Partner
	Next    *model.Partner // the next partner the spotlight rotation will recognise
}

// SectorGroup is one sector's current partners.
type SectorGroup struct {
	Sector   model.Sector
	Partners []PartnerEntry
}

// PartnerEntry is a partner on the partners index.
type PartnerEntry struct {
	*model.Partner
	RoleName   string
	Recognised string // "6 November 2026 (spotlight story)", or ""
}

// PartnerView is one partner's page.
type PartnerView struct {
	Partner       *model.Partner
	Role          *model.Role
	Current       bool
	Joined        string
	Left          string
	Contributions []ContributionRow
	CashTotal     string
	InKindTotal   string
	Total         string
	Stories       []*StoryCard
	Spotlights    []*StoryCard
	Metrics       []*model.Metric
	Kit           string // the address of the partner's share kit
}

// ContributionRow is a contribution formatted for a table.
type ContributionRow struct {
	Period string
	Kind   string
	Detail string
	Value  string
	Note   string
}

// partnerJobs adds the jobs of the partner list and of every partner's page.
func (r *renderer) partnerJobs(add addJob) {
	add("/partners/", r.partners)
	for _, pt := range r.site.Partners {
		pt := pt
		add("/partners/"+pt.ID+"/", func() error { return r.partner(pt) })
		add(KitPath(pt.ID), func() error { return r.kit(pt) })
	}
}

func (r *renderer) partners() error {
	v := &PartnersView{Former: r.site.FormerPartners(), Next: r.site.Spotlight()}
	current := r.site.CurrentPartners()
	for _, sec := range model.Sectors {
		g := SectorGroup{Sector: sec}
		for _, p := range current {
			if p.Sector == sec {
				e := PartnerEntry{Partner: p}
				if role := r.site.Role(p.Role); role != nil {
					e.RoleName = role.Name
				}
				if rec, ok := r.site.LastRecognised(p.ID); ok {
					e.Recognised = r.date(rec.Date) + " (" + rec.How + ")"
				}
				g.Partners = append(g.Partners, e)
			}
		}
		if len(g.Partners) > 0 {
			v.Sectors = append(v.Sectors, g)
		}
	}
	return r.page("partners", &Page{Title: r.tr("partners_heading"), Description: r.tr("partners_description", "site", r.site.Config.Title),
		Path: "/partners/", Section: "partners", Partners: v})
}

func (r *renderer) partner(p *model.Partner) error {
	v := &PartnerView{Partner: p, Role: r.site.Role(p.Role), Current: p.Current(r.site.Now),
		Joined: r.date(p.Joined), Left: r.date(p.Left), Kit: KitPath(p.ID)}
	cur := r.site.Config.Currency
	var cash, inKind float64
	contribs := append([]model.Contribution(nil), p.Contributions...)
	sort.SliceStable(contribs, func(i, j int) bool { return contribs[j].Period.Before(contribs[i].Period) })
	for _, c := range contribs {
		row := ContributionRow{Period: r.period(c.Period), Value: model.FormatValue(c.Value, cur), Note: c.Note}
		if c.Kind == "cash" {
			row.Kind = r.tr("roi_col_cash")
			cash += c.Value
		} else {
			row.Kind = r.tr("roi_col_in_kind")
			inKind += c.Value
			if c.Hours != nil && c.Rate != nil {
				row.Detail = fmt.Sprintf("%s hours × %s", model.FormatNumber(*c.Hours), model.FormatValue(*c.Rate, cur))
			}
		}
		v.Contributions = append(v.Contributions, row)
	}
	if len(contribs) > 0 {
		v.CashTotal = model.FormatValue(cash, cur)
		v.InKindTotal = model.FormatValue(inKind, cur)
		v.Total = model.FormatValue(cash+inKind, cur)
	}
	for _, st := range r.partnerStories(p) {
		if st.Kind == model.KindSpotlight && st.Spotlight == p.ID {
			v.Spotlights = append(v.Spotlights, r.card(st))
		} else {
			v.Stories = append(v.Stories, r.card(st))
		}
	}
	for _, m := range r.site.Metrics {
		if _, ok := m.ByPartner[p.ID]; ok {
			v.Metrics = append(v.Metrics, m)
		}
	}
	return r.page("partner", &Page{Title: p.Name, Description: p.About, Path: "/partners/" + p.ID + "/", Section: "partners", Partner: v})
}
