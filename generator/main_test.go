package generator

import (
	"os"
	"testing"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

// TestMain runs the tests, then stops and removes what they share: the
// one Chromium of browsertest.Tab, the server of serveExample and the
// example's builds of builtExample.
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	closeExample()
	removeBuiltExamples()
	os.Exit(code)
}
