package generator

import (
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
)

// Kit is a partner's share kit, as check lists it.
type Kit struct {
	Partner *model.Partner
	URL     string // absolute when the site has a base_url; the site path otherwise
}

// Kits lists the share kits a build writes: one per partner, in the
// order of partners.yaml.
func Kits(s *model.Site) []Kit {
	var out []Kit
	for _, p := range s.Partners {
		u := render.KitPath(p.ID)
		if b := s.Config.BaseURL; b != "" {
			u = strings.TrimSuffix(b, "/") + u
		}
		out = append(out, Kit{Partner: p, URL: u})
	}
	return out
}
