package chart

import "math"

// LTTB returns the indexes of the points of ys that Largest-Triangle-
// Three-Buckets downsampling keeps to draw it with about n points: the
// first and the last, and from each of n-2 equal buckets between them the
// point that makes the largest triangle with the point kept before it and
// the average of the next bucket (Steinarsson, 2013). The x of a point is
// its index. A nil value is a gap: a bucket with a gap keeps its first nil
// besides its point, so the line still breaks there, and a bucket of gaps
// keeps one nil. With n < 3 or n ≥ len(ys) every index is kept. The
// indexes are in increasing order.
func LTTB(ys []*float64, n int) []int {
	if n < 3 || n >= len(ys) {
		out := make([]int, len(ys))
		for i := range out {
			out[i] = i
		}
		return out
	}
	every := float64(len(ys)-2) / float64(n-2)
	bucket := func(i int) (lo, hi int) {
		lo = int(math.Floor(float64(i)*every)) + 1
		hi = min(int(math.Floor(float64(i+1)*every))+1, len(ys)-1)
		return lo, hi
	}
	out := []int{0}
	a := 0 // the point kept last
	for i := 0; i < n-2; i++ {
		lo, hi := bucket(i)
		// The average of the next bucket (the last point after the last bucket).
		nlo, nhi := bucket(i + 1)
		if i == n-3 {
			nlo, nhi = len(ys)-1, len(ys)
		}
		var ax, ay, cnt float64
		for j := nlo; j < nhi; j++ {
			if ys[j] != nil {
				ax, ay, cnt = ax+float64(j), ay+*ys[j], cnt+1
			}
		}
		pa := 0.0
		if ys[a] != nil {
			pa = *ys[a]
		}
		if cnt == 0 {
			ax, ay = float64(nlo+nhi)/2, pa
		} else {
			ax, ay = ax/cnt, ay/cnt
		}
		best, area, gap := -1, -1.0, -1
		for j := lo; j < hi; j++ {
			if ys[j] == nil {
				if gap < 0 {
					gap = j
				}
				continue
			}
			ar := math.Abs((float64(a)-ax)*(*ys[j]-pa) - (float64(a)-float64(j))*(ay-pa))
			if ar > area {
				best, area = j, ar
			}
		}
		switch {
		case best < 0 && gap >= 0:
			out = append(out, gap)
		case gap >= 0 && gap < best:
			out = append(out, gap, best)
		case gap >= 0:
			out = append(out, best, gap)
		case best >= 0:
			out = append(out, best)
		}
		if best >= 0 {
			a = best
		}
	}
	return append(out, len(ys)-1)
}

// Downsample returns the chart with at most about n periods, chosen by
// LTTB from its first series (the others keep the same periods), or s
// itself when it has no more. Charts draw what their width can show: a
// point every two pixels is as much as a reader can see. Past two series
// the lines share twice that many points (at least 24 periods each): 20
// lines of 360 points each cannot be told apart, and made a metric page
// by 20 partners 207 kB.
func (s *Spec) Downsample(n int) *Spec {
	if k := len(s.Series); k > 2 {
		n = max(2*n/k, min(n, 24))
	}
	if n < 3 || len(s.Labels) <= n || len(s.Series) == 0 || s.Kind != Line {
		return s
	}
	first := s.Series[0].Values
	if len(first) > len(s.Labels) {
		first = first[:len(s.Labels)]
	}
	for len(first) < len(s.Labels) {
		first = append(first[:len(first):len(first)], nil)
	}
	keep := LTTB(first, n)
	c := *s
	c.Labels = make([]string, len(keep))
	for i, k := range keep {
		c.Labels[i] = s.Labels[k]
	}
	c.Series = make([]Series, len(s.Series))
	for si, se := range s.Series {
		vals := make([]*float64, len(keep))
		for i, k := range keep {
			if k < len(se.Values) {
				vals[i] = se.Values[k]
			}
		}
		c.Series[si] = Series{Name: se.Name, Values: vals}
	}
	return &c
}

// PointsFor is how many points a chart drawn width pixels wide shows: one
// every two pixels.
func PointsFor(width int) int { return max(width/2, 3) }
