package generator

import (
	"os"
	"testing"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

// TestMain runs the tests, then stops what the browser tests share: the
// one Chromium of browsertest.Tab and the example site serveExample built.
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	closeExample()
	os.Exit(code)
}
