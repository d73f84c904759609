package load

import (
	"bytes"
	"io/fs"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// BriefingFile is where the executive briefing is chosen.
const BriefingFile = "content/briefing.md"

// briefingMatter is the briefing's front matter as written.
type briefingMatter struct {
	Title  string                `yaml:"title"`
	Date   any                   `yaml:"date"`
	Charts []briefingChartMatter `yaml:"charts"`

	Extra map[string]any      `yaml:"-"` // the extra keys site.yaml declares
	Lines map[string]diag.Pos `yaml:"-"`
}

// briefingChartMatter is one entry of `charts:`.
type briefingChartMatter struct {
	Type     string   `yaml:"type"`
	Metrics  []string `yaml:"metrics"`
	From     string   `yaml:"from"`
	To       string   `yaml:"to"`
	Takeaway string   `yaml:"takeaway"`

	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// readBriefing reads content/briefing.md, or returns nil when there is none.
// Its front matter is YAML; unknown keys are errors, since a misspelt
// `takaway` would otherwise vanish from the page. The extra keys site.yaml
// declares are accepted (the briefing has no use for them).
func readBriefing(fsys fs.FS, extra extraKeys, all *diag.List) *model.Briefing {
	if !exists(fsys, BriefingFile) {
		return nil
	}
	errs := new(diag.List)
	defer func() { capErrors(all, *errs) }()
	name := BriefingFile
	src, ok := readMarkdown(fsys, name, errs)
	if !ok {
		return nil
	}
	fm, body, bodyLine, ok := splitFrontMatter(name, src, errs)
	if !ok {
		return nil
	}
	filePos := diag.Pos{File: name, Line: 1}
	if fm == nil {
		errs.Errorf(filePos, "the briefing has no front matter").
			WithHint("start it with a block between --- lines holding `title:`, `date:` and six `charts:`; see docs/formats.md")
		return nil
	}
	if fm.format != "yaml" {
		errs.Errorf(diag.Pos{File: name, Line: fm.startLine - 1}, "the briefing's front matter must be YAML, between --- lines").
			WithHint("rewrite the block between --- lines in YAML; see docs/formats.md")
		return nil
	}
	before := len(*errs)
	n := parseYAML(name, fm.raw, fm.startLine-1, errs)
	if n == nil {
		if len(*errs) == before {
			errs.Errorf(filePos, "the briefing's front matter is empty").
				WithHint("add `title:`, `date:` and six `charts:`; see docs/formats.md")
		}
		return nil
	}
	var m briefingMatter
	d := decoder{file: name, lineOffset: fm.startLine - 1, errs: errs, extraKeys: extra}
	d.decode(n, &m)
	if len(*errs) > before {
		return nil // the model's checks would only add noise
	}
	b := &model.Briefing{Path: name, Title: strings.TrimSpace(m.Title), Lines: m.Lines}
	if b.Lines == nil {
		b.Lines = map[string]diag.Pos{}
	}
	b.Date = timeField(b.Pos("date"), "date", m.Date, errs)
	for i, cm := range m.Charts {
		c := &model.BriefingChart{
			Type:     model.ChartType(strings.ToLower(strings.TrimSpace(cm.Type))),
			Metrics:  cm.Metrics,
			Takeaway: strings.Join(strings.Fields(cm.Takeaway), " "),
			Pos:      cm.Pos,
			Lines:    cm.Lines,
		}
		if c.Pos.File == "" {
			c.Pos = linePos(b.Lines, "charts."+strconv.Itoa(i), b.Pos("charts"))
		}
		for _, p := range []struct {
			key, raw string
			dst      *model.Period
		}{{"from", cm.From, &c.From}, {"to", cm.To, &c.To}} {
			if strings.TrimSpace(p.raw) == "" {
				continue
			}
			per, err := model.ParsePeriod(p.raw)
			if err != nil {
				errs.Errorf(linePos(c.Lines, p.key, c.Pos), "`%s`: %v", p.key, err)
				c.Unread = true
				continue
			}
			*p.dst = per
		}
		b.Charts = append(b.Charts, c)
	}
	if len(bytes.TrimSpace(body)) > 0 {
		errs.Warnf(diag.Pos{File: name, Line: bodyLine}, "the text after the front matter is not shown").
			WithHint("the briefing is its six charts and their takeaways; move the text into a story or page")
	}
	return b
}
