//go:build !race

package generator

// raceEnabled is set when the tests run with the race detector, which
// makes builds several times slower: the slowest tests do less.
const raceEnabled = false
