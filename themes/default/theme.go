// Package defaulttheme embeds drumbeat's default theme: html/template
// layouts under layouts/ and CSS, JavaScript and images under static/.
package defaulttheme

import "embed"

// FS holds layouts/, static/ and i18n/ (the message catalogues, see docs/i18n.md).
//
//go:embed layouts static i18n
var FS embed.FS

// Name is how error messages name the theme's files.
const Name = "themes/default"
