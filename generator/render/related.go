package render

import (
	"slices"
	"sort"
	"strings"

	"github.com/drumbeat/drumbeat/generator/model"
)

// relatedIndex maps each partner, metric and tag to the public stories
// that carry it, so related stories are found without scanning every story.
type relatedIndex map[string][]int

func (r *renderer) buildRelated() {
	r.relIdx = relatedIndex{}
	r.storyIdx = map[*model.Story]int{}
	for i, st := range r.site.Stories {
		r.storyIdx[st] = i
		if st.Preview {
			continue
		}
		for _, k := range relatedKeys(st) {
			r.relIdx[k] = append(r.relIdx[k], i)
		}
	}
}

// relatedKeys returns a story's partners and metrics (weight 2) and tags (1).
func relatedKeys(st *model.Story) []string {
	var keys []string
	for _, p := range st.NamedPartners() {
		keys = append(keys, "p:"+p)
	}
	for _, m := range st.Metrics {
		keys = append(keys, "m:"+m)
	}
	for _, t := range st.Tags {
		keys = append(keys, "t:"+model.TagSlug(t))
	}
	return keys
}

// related returns up to n public stories that share partners, metrics or
// tags with st, most shared first, then newest. Keys shared by very many
// stories (a common tag) are capped, so the cost stays linear.
func (r *renderer) related(st *model.Story, n int) []*model.Story {
	const maxPerKey = 60
	self, _ := r.storyIdx[st]
	score := make(map[int]int, 64)
	seen := map[string]bool{}
	for _, k := range relatedKeys(st) {
		if seen[k] {
			continue
		}
		seen[k] = true
		w := 2
		if strings.HasPrefix(k, "t:") {
			w = 1
		}
		list := r.relIdx[k]
		if len(list) > maxPerKey {
			// The stories nearest in time to st, on both sides.
			at := sort.SearchInts(list, self)
			lo, hi := max(0, at-maxPerKey/2), min(len(list), at+maxPerKey/2)
			list = list[lo:hi]
		}
		for _, i := range list {
			if i != self {
				score[i] += w
			}
		}
	}
	// The n best, most shared first, then newest (stories are newest
	// first): kept in order as the candidates go by, without sorting them
	// all.
	if n <= 0 {
		return nil
	}
	type scored struct{ i, score int }
	better := func(a, b scored) bool { return a.score > b.score || a.score == b.score && a.i < b.i }
	best := make([]scored, 0, n+1)
	for i, s := range score {
		c := scored{i, s}
		if len(best) == n && !better(c, best[n-1]) {
			continue
		}
		k := len(best)
		for k > 0 && better(c, best[k-1]) {
			k--
		}
		best = slices.Insert(best, k, c)
		if len(best) > n {
			best = best[:n]
		}
	}
	out := make([]*model.Story, 0, len(best))
	for _, c := range best {
		out = append(out, r.site.Stories[c.i])
	}
	return out
}
