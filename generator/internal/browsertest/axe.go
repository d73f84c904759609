package browsertest

import _ "embed"

// Axe is axe-core's axe.min.js, the accessibility engine the browser tests
// inject into pages. It is a test asset, never copied into a site; `make
// vendor-axe` refreshes it and axe/VERSION records its version and checksum.
//
//go:embed axe/axe.min.js
var Axe string
