//go:build !race

package serve

// slack stretches the time limits of timing tests: none without the race
// detector.
const slack = 1
