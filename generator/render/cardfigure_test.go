package render

import (
	"os"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// TestCardFigureIsWhatTheCardShows: the figure a partner's approval covers
// (model.Site.CardFigure, worked out before rendering) is the figure the
// story's social card and share text lead with, for every story of the
// example site, held ones included.
func TestCardFigureIsWhatTheCardShows(t *testing.T) {
	site, r := exampleRenderer(t)
	r.convertAll()
	n := 0
	for _, st := range site.Stories {
		got, want := site.CardFigure(st), r.keyFigure(st)
		if (got == nil) != (want == nil) || got != nil && shown(*got) != shown(*want) {
			t.Errorf("%s: model's card figure %+v, the card's %+v", st.Path, got, want)
		}
		if want != nil {
			n++
		}
	}
	if n == 0 {
		t.Error("no story of the example has a card figure: the test proves nothing")
	}
}

// shown is what a card shows of a figure: without its messages, which are
// pointers made anew each time the model works the figure out.
func shown(f model.Figure) model.Figure {
	f.LabelMsg, f.DetailMsg, f.ValueMsg = nil, nil, nil
	return f
}

// exampleRenderer loads the example site (drafts and held stories
// included, as of the golden date) and sets up a renderer with the
// default theme, for tests of what the renderer works out.
func exampleRenderer(t *testing.T) (*model.Site, *renderer) {
	t.Helper()
	in, errs := load.Dir(os.DirFS("../.."))
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site, errs := model.New(in, model.Options{Now: time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC), Drafts: true})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	theme, err := LoadTheme(defaulttheme.FS, defaulttheme.Name, os.DirFS("../.."), "en", Funcs(), false)
	if err != nil {
		t.Fatal(err)
	}
	r := setupRenderer(site, Options{Theme: theme}, nil)
	return site, r
}
