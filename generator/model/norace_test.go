//go:build !race

package model

// raceEnabled is set when the tests run with the race detector, which
// changes how many allocations code makes.
const raceEnabled = false
