//go:build !race

package slug

// raceEnabled is set when the tests run with the race detector, under
// which TestEveryRune (a pure function, no goroutines) is skipped.
const raceEnabled = false
