package model

import (
	"os"
	"testing"

	"github.com/drumbeat/drumbeat/generator/i18n"
)

// TestHeldPlacesAreEnglish: the default theme's English catalogue writes
// each place findMentions names as the English words Held uses, so a
// --drafts preview in English reads as before.
func TestHeldPlacesAreEnglish(t *testing.T) {
	msgs, errs := i18n.Load(os.DirFS("../../themes/default"), "themes/default", nil, "en")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	for place := range placeMessages {
		m, ok := placeMessage(place).(i18n.Message)
		if !ok {
			t.Fatalf("%q: no message", place)
		}
		if got := msgs.String(m); got != place {
			t.Errorf("%q: the catalogue writes %q", place, got)
		}
		got := msgs.S("held_named_unapproved", "partner", "Kestrel Pharmacy", "where", m)
		if want := "it names Kestrel Pharmacy in " + place + ", and Kestrel Pharmacy has not approved it"; got != want {
			t.Errorf("held_named_unapproved: %q, want %q", got, want)
		}
	}
	if got := placeMessage("somewhere else"); got != "somewhere else" {
		t.Errorf("an unknown place: %v", got)
	}
}
