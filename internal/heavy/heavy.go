// Package heavy marks the tests that take the most time: make test and make
// test-quick run with -short, which skips them, and make test-heavy (which
// .ci/run runs after make test) runs them, so the whole set still runs in CI.
//
// A heavy test calls Test first and is named in HEAVY in the Makefile;
// TestListMatchesMakefile fails when the two disagree.
package heavy

import "testing"

// Test skips t under -short.
func Test(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("heavy: skipped with -short (make test, make test-quick); make test-heavy runs it, and .ci/run runs that")
	}
}
