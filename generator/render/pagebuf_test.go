package render

import (
	"bytes"
	"context"
	"testing"
)

// reusingSink is a memSink that says it keeps no bytes (BytesReused): it
// copies them, so the render writes its pages into reused buffers.
type reusingSink struct{ *memSink }

func (reusingSink) FileKeepsNoBytes() {}

// TestPageBuffersReused renders the example into a sink that keeps the
// bytes it is given and into one that lets the render reuse its page
// buffers: every file is the same, so no page is written into a buffer
// another page still holds.
func TestPageBuffersReused(t *testing.T) {
	site, theme := exampleSite(t)
	ctx := context.Background()
	opt := Options{Theme: theme, Version: "test"}
	kept := newMemSink()
	if _, err := All(ctx, site, opt, kept); err != nil {
		t.Fatal(err)
	}
	site, theme = exampleSite(t)
	opt.Theme = theme
	reused := reusingSink{newMemSink()}
	if _, err := All(ctx, site, opt, reused); err != nil {
		t.Fatal(err)
	}
	if len(kept.files) != len(reused.files) || len(kept.files) < 100 {
		t.Fatalf("%d files kept, %d with reused buffers", len(kept.files), len(reused.files))
	}
	for p, b := range kept.files {
		if !bytes.Equal(b, reused.files[p]) {
			t.Errorf("%s differs when page buffers are reused", p)
		}
	}
}
