package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestSiteMessageOverride checks that a site's i18n/en.yaml changes the
// text of the key it gives, everywhere that text appears, and nothing else.
func TestSiteMessageOverride(t *testing.T) {
	src := figureSite(t, "Hello.")
	before := filepath.Join(t.TempDir(), "before")
	if _, err := Build(context.Background(), Options{Source: src, Output: before, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(src, "i18n"), 0o755)
	os.WriteFile(filepath.Join(src, "i18n", "en.yaml"), []byte("footer_contact: \"Reach us\"\n"), 0o644)
	after := filepath.Join(t.TempDir(), "after")
	if _, err := Build(context.Background(), Options{Source: src, Output: after, Now: exampleNow}); err != nil {
		t.Fatal(err)
	}
	changed := 0
	err := filepath.WalkDir(before, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(before, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(after, rel))
		if err != nil {
			t.Errorf("%s: missing after the override", rel)
			return nil
		}
		want := bytes.ReplaceAll(a, []byte(`>Contact</h2>`), []byte(`>Reach us</h2>`))
		if !bytes.Equal(b, want) {
			t.Errorf("%s: the override changed more than the footer's heading", rel)
		}
		if !bytes.Equal(a, b) {
			changed++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if changed == 0 {
		t.Error("the site's footer_contact changed no page")
	}
}

// TestUnknownLanguageWarns checks that check warns about a language with no
// catalogue, and that the pages say so in <html lang>.
func TestUnknownLanguageWarns(t *testing.T) {
	src := figureSite(t, "Hello.")
	b, _ := os.ReadFile(filepath.Join(src, "site.yaml"))
	os.WriteFile(filepath.Join(src, "site.yaml"), append(b, []byte("\nlanguage: xx\n")...), 0o644)
	_, l := Check(context.Background(), Options{Source: src, Now: exampleNow})
	found := false
	for _, w := range l.Warnings() {
		if strings.Contains(w.Error(), `warning: language "xx" has no message catalogue`) && strings.HasPrefix(w.Error(), "site.yaml:") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the language; got %v", l)
	}
}

// readerWordsOverride is a site catalogue that gives every key of the
// default theme's English catalogue a text of its own: "Ж" and the key's
// arguments, so that a word drumbeat writes from the catalogue cannot be
// English. Plural messages keep their forms.
func readerWordsOverride(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(exampleDir, "themes", "default", "i18n", "en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var msgs map[string]any
	if err := yaml.Unmarshal(b, &msgs); err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)
	marker := func(text string) string {
		s := "Ж"
		for _, m := range names.FindAllStringSubmatch(strings.ReplaceAll(text, "{{", ""), -1) {
			s += " {" + m[1] + "}"
		}
		return strconv.Quote(s)
	}
	var out strings.Builder
	for _, key := range slices.Sorted(maps.Keys(msgs)) {
		switch v := msgs[key].(type) {
		case string:
			fmt.Fprintf(&out, "%s: %s\n", key, marker(v))
		case map[string]any:
			fmt.Fprintf(&out, "%s:\n", key)
			for _, form := range slices.Sorted(maps.Keys(v)) {
				fmt.Fprintf(&out, "  %s: %s\n", form, marker(fmt.Sprint(v[form])))
			}
		default:
			t.Fatalf("theme message %s: %T", key, v)
		}
	}
	return []byte(out.String())
}

// buildWithCatalogue builds a copy of the example site, drafts included,
// with the site catalogue i18n/en.yaml (none when nil), and returns the
// output folder.
func buildWithCatalogue(t *testing.T, catalogue []byte) string {
	t.Helper()
	src := copyExample(t)
	if catalogue != nil {
		os.MkdirAll(filepath.Join(src, "i18n"), 0o755)
		if err := os.WriteFile(filepath.Join(src, "i18n", "en.yaml"), catalogue, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, Drafts: true}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNoEnglishFromGo builds the example site with every message of the
// catalogue replaced (readerWordsOverride) and checks that none of the
// English words Go code used to write (and would write again if it
// stopped asking the catalogue) is on the pages that showed them. The
// English build shows each, so the test would see it come back.
func TestNoEnglishFromGo(t *testing.T) {
	english := buildWithCatalogue(t, nil)
	other := buildWithCatalogue(t, readerWordsOverride(t))
	for _, tc := range []struct {
		page  string // under the output folder
		words []string
	}{
		// ROI figures' values and the leverage's formula (model/roi.go),
		// the ROI lines' details (render/impact.go)
		{"stories/saturday-clinics-six-months/index.html", []string{"per extra dose", "− €9,200) ÷ €9,200", "515 hours", "hours ×", "225 hours"}},
		{"stories/pharmacy-vaccine-days-year/index.html", []string{"per extra dose", "÷ €3,240"}},
		// the share kit's script (layouts/story.html)
		{"stories/two-quarters-without-measles/index.html", []string{"Copied"}},
		// joins Go code wrote between texts: lists, parts, sentences,
		// "label: detail", the share text, the card's alt text
		{"briefing/index.html", []string{"Mothers First Riverbend 27 sessions, Riverbend Valley", "sessions. All partners", "6,200 doses); Outreach"}},
		{"metrics/doses_given/index.html", []string{"Vaccine doses given: 6,030 doses in Q3 2026, 170 doses short"}},
		{"stories/saturday-clinics-six-months/index.html", []string{". Photo: A single-storey", "got back — Vaccine doses given at Lakeside", "Lakeside Community Clinic: €44"}},
		{"stories/cold-chain-handover/index.html", []string{"Vaccine doses given, Q2 2026: 5,880 doses"}},
		{"newsletter/2026-11/index.html", []string{"in its branches; Pharmacist time"}},
		{"newsletter/2026-11/email.txt", []string{"in its branches; Pharmacist time"}},
		// the share kit's posts and figures to quote (render/kittexts.go, render/kit.go)
		{"partners/kestrel-pharmacy/kit/index.html", []string{"With Kestrel Pharmacy Group (@KestrelRx).", "Kestrel Pharmacy Group gave 910 doses of the 6,030 doses in Q3 2026", "(source: Partner", "What Kestrel Pharmacy Group gives the partnership"}},
		// a tile whose value did not change (render/scorecard.go)
		{"scorecard/index.html", []string{"no change"}},
		// the date in why a --drafts preview holds a story (model/site.go hold)
		{"stories/council-three-year-funding/index.html", []string{"15 December 2026, 09:00", "embargoed until"}},
	} {
		en, err := os.ReadFile(filepath.Join(english, tc.page))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(other, tc.page))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.words {
			if !bytes.Contains(en, []byte(w)) {
				t.Errorf("%s: the English build has no %q: the test proves nothing", tc.page, w)
			}
			if bytes.Contains(got, []byte(w)) {
				t.Errorf("%s: %q is written whatever the catalogue says", tc.page, w)
			}
		}
	}
}
