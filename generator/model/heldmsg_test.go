package model

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
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

// TestApprovalHeldWhy: for each way an approval stops holding, the English
// catalogue writes the message hold records (HeldWhy) as the English
// reason (Held); a site catalogue names the month, orders the date and
// names the parts its own way (the date is a message argument, not
// English text).
func TestApprovalHeldWhy(t *testing.T) {
	theme := os.DirFS("../../themes/default")
	msgs, errs := i18n.Load(theme, "themes/default", nil, "en")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	site := fstest.MapFS{"i18n/en.yaml": {Data: []byte(`
date_format: "{year}-{month}-{day}"
month_august: "août"
date_time: "{date} à {time}"
approval_part_title: "le titre"
approval_part_tags: "les mots-clés"
words_join_last: "{list} et {name}"
approval_parts_changed: "{parts} ont changé depuis l'accord de {partner} du {date}"
approval_story_changed: "changé depuis le {date}"
approval_v1_text_changed: "texte changé depuis le {date}"
approval_v1_old: "accord ancien du {date}"
approval_unknown_fingerprint: "empreinte {fingerprint} inconnue, {date}"
`)}}
	other, errs := i18n.Load(theme, "themes/default", site, "en")
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	v1 := func() string {
		st := approvalInput().Stories[0]
		return FingerprintV1(st.Title, st.Summary, st.Body)
	}()
	for _, tc := range []struct {
		name   string
		fp     string // "" for the current fingerprint
		change func(in *Input, st *Story)
		want   string // what the site's catalogue writes
	}{
		{"parts changed", "", func(_ *Input, st *Story) { st.Title, st.Tags = "Changed", []string{"x"} }, "le titre et les mots-clés ont changé depuis l'accord de Acme Water du 2025-août-30"},
		{"story changed", "v2:0123456789abcdef", nil, "changé depuis le 2025-août-30"},
		{"v1, text changed", v1, func(_ *Input, st *Story) { st.Title = "Changed" }, "texte changé depuis le 2025-août-30"},
		{"v1", v1, nil, "accord ancien du 2025-août-30"},
		{"unknown", "md5:abc", nil, "empreinte md5:abc inconnue, 2025-août-30"},
	} {
		fp := tc.fp
		in := approvalInput()
		if fp == "" {
			s, errs := New(in, Options{Now: ymd("2025-12-01")})
			if errs.HasErrors() {
				t.Fatal(errs)
			}
			fp = s.Fingerprint(in.Stories[0])
			in = approvalInput()
		}
		st := in.Stories[0]
		st.Approvals = []Approval{{Partner: "acme", By: "Pat", On: "2025-08-30", Date: ymd("2025-08-30"), Fingerprint: fp}}
		if tc.change != nil {
			tc.change(in, st)
		}
		if _, errs := New(in, Options{Now: ymd("2025-12-01")}); errs.HasErrors() {
			t.Fatal(errs)
		}
		if len(st.Held) == 0 || len(st.Held) != len(st.HeldWhy) {
			t.Fatalf("%s: Held %q, HeldWhy %v", tc.name, st.Held, st.HeldWhy)
		}
		found := false
		for i, m := range st.HeldWhy {
			if got := msgs.String(m); got != st.Held[i] {
				t.Errorf("%s: HeldWhy[%d] writes %q, Held has %q", tc.name, i, got, st.Held[i])
			}
			if m.Key == "held_approval_changed" {
				found = true
				if got := other.String(m); !strings.HasPrefix(got, tc.want+";") {
					t.Errorf("%s: the site's catalogue writes %q, want %q first", tc.name, got, tc.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no held_approval_changed in %v", tc.name, st.HeldWhy)
		}
	}
	// The dates of the other reasons: a day, and a day with its time.
	s := &Site{Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		st   *Story
		want string
	}{
		{&Story{Date: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Section: "pages"}, ""},
		{&Story{Date: time.Date(2027, 8, 1, 0, 0, 0, 0, time.UTC), Section: "pages"}, "2027-août-1"},
		{&Story{Date: time.Date(2027, 8, 1, 15, 30, 0, 0, time.UTC), Section: "pages"}, "2027-août-1 à 15:30 UTC"},
		{&Story{EmbargoUntil: time.Date(2027, 8, 2, 0, 0, 0, 0, time.UTC), Section: "pages"}, "2027-août-2"},
	} {
		s.hold(tc.st)
		got := ""
		for _, m := range tc.st.HeldWhy {
			got += other.String(m)
		}
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%v: the site's catalogue writes %q, want it to hold %q", tc.st.Date, got, tc.want)
		}
	}
}
