//go:build race

package email

// raceEnabled is set when the tests run with the race detector, which
// makes drawing charts about ten times slower; tests that draw many charts
// draw fewer then (the drawing runs on one goroutine, so the detector has
// nothing to find in the others).
const raceEnabled = true
