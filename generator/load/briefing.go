package load

import (
	"io/fs"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// BriefingFile is where the executive briefing is chosen.
const BriefingFile = "content/briefing.md"

// readBriefing reads content/briefing.md, or returns nil when there is none.
func readBriefing(fsys fs.FS, errs *diag.List) *model.Briefing {
	return nil
}
