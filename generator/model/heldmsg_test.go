package model

import (
	"os"
	"testing"
	"time"

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

// TestHeldWhyIsHeld: hold records each reason twice, in English (Held) and
// as a message (HeldWhy); the English catalogue writes the same text.
func TestHeldWhyIsHeld(t *testing.T) {
	msgs, errs := i18n.Load(os.DirFS("../../themes/default"), "themes/default", nil, "en")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	s := &Site{Now: now}
	for _, st := range []*Story{
		{Draft: true, Section: "pages"},
		{Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Section: "pages"},
		{Date: time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC), Section: "pages"},
		{Draft: true, EmbargoUntil: time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC), Section: "pages"},
	} {
		s.hold(st)
		if len(st.Held) == 0 || len(st.Held) != len(st.HeldWhy) {
			t.Fatalf("Held %q, HeldWhy %v", st.Held, st.HeldWhy)
		}
		for i, m := range st.HeldWhy {
			if got := msgs.String(m); got != st.Held[i] {
				t.Errorf("HeldWhy[%d] writes %q, Held has %q", i, got, st.Held[i])
			}
		}
	}
}
