package model

// Additive reports whether values of the unit add up over periods and
// partners: doses, sessions, hours and money do; a percentage does not.
func Additive(unit string) bool { return unit != "%" }

// SumOver adds up the points of series that lie inside the span. It
// returns the sum, the count of points added, and the periods of within
// (the metric's total series, or nil) inside the span that series lacks.
func SumOver(series, within []Point, span Span) (sum float64, n int, missing []Period) {
	have := map[Period]bool{}
	for _, p := range series {
		if span.Contains(p.Period) {
			sum += p.Value
			n++
			have[p.Period] = true
		}
	}
	for _, p := range within {
		if span.Contains(p.Period) && !have[p.Period] {
			missing = append(missing, p.Period)
		}
	}
	return sum, n, missing
}
