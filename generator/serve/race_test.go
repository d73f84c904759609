//go:build race

package serve

// slack stretches the time limits of timing tests: the race detector makes
// the code several times slower.
const slack = 5
