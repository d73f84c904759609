//go:build !race

package main

// slack stretches the time limits of timing tests: none without the race
// detector.
const slack = 1
