//go:build race

package load

// raceEnabled is set when the tests run with the race detector, which
// makes the code several times slower: time bounds are scaled by it.
const raceEnabled = true
