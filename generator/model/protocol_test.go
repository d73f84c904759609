package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// approvalInput is a site with one story, approval required, and data for
// the figure on the story's card.
func approvalInput() *Input {
	return &Input{
		Config: Config{Title: "Test", BaseURL: "https://t.example/"},
		Partners: []*Partner{
			{ID: "acme", Name: "Acme Water", SpotlightConsent: true},
			{ID: "civic", Name: "Civic Trust", SpotlightConsent: true},
		},
		Governance: Governance{Communication: Communication{ApprovalRequired: true}},
		Metrics: []*Metric{
			{ID: "coverage", Name: "Coverage", Unit: "%"},
			{ID: "cases", Name: "Cases", Unit: "cases"},
		},
		Observations: []Observation{
			{Metric: "coverage", Period: per("2025-Q1"), Value: 75},
			{Metric: "coverage", Period: per("2025-Q2"), Value: 80},
			{Metric: "cases", Period: per("2025-Q2"), Value: 3},
		},
		Stories: []*Story{{
			Path: "content/stories/s.md", Section: "stories", Slug: "s", Kind: KindStory,
			Date: ymd("2025-09-01"), Title: "Water for all", Summary: "A summary.",
			Body: []byte("The body.\n\nSecond paragraph.\n"), Text: "The body.\nSecond paragraph.\n",
			Image: "/images/a.jpg", ImageAlt: "A pump", Tags: []string{"water", "access"},
			Metrics: []string{"coverage"}, Partners: []string{"acme"},
		}},
	}
}

// heldAfter approves the story of approvalInput with the fingerprint fp
// (the current one when fp is "") by acme, applies change, and returns
// why the story is held.
func heldAfter(t *testing.T, fp string, change func(in *Input, st *Story)) []string {
	t.Helper()
	now := ymd("2025-12-01")
	if fp == "" {
		in := approvalInput()
		site, errs := New(in, Options{Now: now})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		fp = site.Fingerprint(in.Stories[0])
	}
	in := approvalInput()
	st := in.Stories[0]
	st.Approvals = []Approval{{Partner: "acme", By: "Pat", On: "2025-08-30", Date: ymd("2025-08-30"), Fingerprint: fp}}
	if change != nil {
		change(in, st)
	}
	if _, errs := New(in, Options{Now: now}); errs.HasErrors() {
		t.Fatal(errs)
	}
	var acme []string
	for _, h := range st.Held {
		if strings.Contains(h, "Acme Water approved it") || strings.Contains(h, "Acme Water's approval") {
			acme = append(acme, h)
		}
	}
	return acme
}

// TestApprovalCoversWhatReadersSee changes each part of an approved story
// that reaches a reader: the approval no longer holds, and the reason
// names the part. (On the old fingerprint, of the title, summary and
// body only, all but three of these kept the approval.)
func TestApprovalCoversWhatReadersSee(t *testing.T) {
	if held := heldAfter(t, "", nil); len(held) != 0 {
		t.Fatalf("the approved story is held: %q", held)
	}
	tests := []struct {
		part   string
		change func(in *Input, st *Story)
	}{
		{"the title", func(_ *Input, st *Story) { st.Title = "Water for some" }},
		{"the summary", func(_ *Input, st *Story) { st.Summary = "Another summary." }},
		{"the text", func(_ *Input, st *Story) { st.Body = []byte("The body, changed.\n") }},
		{"the image", func(_ *Input, st *Story) { st.Image = "/images/b.jpg" }},
		{"the picture files", func(_ *Input, st *Story) { st.Pictures = "/images/a.jpg 0123456789abcdef\n" }},
		{"the image alt text", func(_ *Input, st *Story) { st.ImageAlt = "A broken pump" }},
		{"the tags", func(_ *Input, st *Story) { st.Tags = []string{"water"} }},
		{"the metrics", func(_ *Input, st *Story) { st.Metrics = append(st.Metrics, "cases") }},
		// A corrected value for the story's period: the card shows another
		// value. (Data for a later period changes nothing: the card shows
		// the figure as of the story; see TestNewDataKeepsTheApproval.)
		{"the figure on the story's social card", func(in *Input, _ *Story) {
			in.Observations[1].Value = 81
		}},
		// The prose now cites another metric first: the card leads with it.
		{"the figure on the story's social card", func(_ *Input, st *Story) { st.Figures = []string{"cases"} }},
		{"the web address (slug)", func(_ *Input, st *Story) { st.Slug = "s2" }},
		{"the kind", func(_ *Input, st *Story) { st.Kind = KindLesson }},
		{"the partners", func(in *Input, st *Story) {
			st.Partners = append(st.Partners, "civic")
			st.Approvals = append(st.Approvals, Approval{Partner: "civic", By: "Cy", Date: ymd("2025-08-30"), Fingerprint: "x"})
		}},
		{"the spotlight partner", func(_ *Input, st *Story) { st.Spotlight = "acme" }},
		{"the investment and results declared", func(_ *Input, st *Story) { st.Declared = `{"Investment":{"cash":[{"amount":1}]}}` }},
		{"the extra fields", func(_ *Input, st *Story) { st.Extra = map[string]any{"quote": "Acme says hello"} }},
	}
	for _, tc := range tests {
		held := heldAfter(t, "", tc.change)
		if len(held) != 1 {
			t.Errorf("%s changed: held %q, want one reason naming it", tc.part, held)
			continue
		}
		if !strings.HasPrefix(held[0], tc.part+" changed after Acme Water approved it on 30 August 2025; ask them to approve this version, then run `drumbeat approve content/stories/s.md --partner acme --by NAME`") {
			t.Errorf("%s changed: held %q", tc.part, held[0])
		}
	}
	// Two parts at once are both named.
	held := heldAfter(t, "", func(_ *Input, st *Story) { st.ImageAlt = "A pump, broken"; st.Tags = []string{"pumps"} })
	if len(held) != 1 || !strings.HasPrefix(held[0], "the image alt text and the tags changed after Acme Water approved it") {
		t.Errorf("alt text and tags changed: held %q", held)
	}
}

// TestApprovalIgnoresSpacing: line endings, trailing spaces, extra blank
// lines and runs of spaces change nothing a reader sees. Indentation and
// line breaks can: they make code blocks, list items and headings.
func TestApprovalIgnoresSpacing(t *testing.T) {
	held := heldAfter(t, "", func(_ *Input, st *Story) {
		st.Title = "  Water   for\tall "
		st.Summary = "A\nsummary. "
		st.Body = []byte("\r\nThe  body.  \r\n\r\n\r\n\r\nSecond \t paragraph.\t\r\n\r\n")
		st.ImageAlt = "A  pump"
		st.Tags = []string{" water", "access "}
	})
	if len(held) != 0 {
		t.Errorf("spacing changes voided the approval: %q", held)
	}
	for _, body := range []string{"    The body.\n\nSecond paragraph.\n", "The body.\nSecond paragraph.\n", "The body.\n\n# Second paragraph.\n"} {
		held := heldAfter(t, "", func(_ *Input, st *Story) { st.Body = []byte(body) })
		if len(held) != 1 || !strings.HasPrefix(held[0], "the text changed") {
			t.Errorf("body %q: held %q, want the text changed", body, held)
		}
	}
}

// TestApprovalV1 covers approvals recorded with the first fingerprint,
// of the title, summary and body: they do not extend to the parts it did
// not cover, and the reason says so.
func TestApprovalV1(t *testing.T) {
	in := approvalInput()
	st := in.Stories[0]
	v1 := FingerprintV1(st.Title, st.Summary, st.Body)
	held := heldAfter(t, v1, nil)
	if len(held) != 1 || !strings.Contains(held[0], "Acme Water's approval of 30 August 2025 has an older fingerprint (sha256:) that covered only the title, summary and text") ||
		!strings.Contains(held[0], "so it no longer counts; ask them to approve this version, then run `drumbeat approve") {
		t.Errorf("unchanged story with a v1 approval: held %q", held)
	}
	held = heldAfter(t, v1, func(_ *Input, st *Story) { st.Title = "Changed" })
	if len(held) != 1 || !strings.HasPrefix(held[0], "the text changed after Acme Water approved it on 30 August 2025 (the approval has an older fingerprint, sha256:") {
		t.Errorf("changed story with a v1 approval: held %q", held)
	}
	held = heldAfter(t, "v2:0123456789abcdef", nil)
	if len(held) != 1 || !strings.HasPrefix(held[0], "the story changed after Acme Water approved it on 30 August 2025") {
		t.Errorf("v2 fingerprint without part digests: held %q", held)
	}
	held = heldAfter(t, "md5:abc", nil)
	if len(held) != 1 || !strings.Contains(held[0], "has a fingerprint drumbeat does not know (md5:abc)") {
		t.Errorf("unknown fingerprint: held %q", held)
	}
}

// TestFingerprintV1Unchanged pins the first fingerprint, which old
// approvals were recorded with.
func TestFingerprintV1Unchanged(t *testing.T) {
	a := FingerprintV1("T", "S", []byte("Body\r\nline  \n"))
	if a != FingerprintV1("T", "S", []byte("Body\nline\n")) {
		t.Error("line endings and trailing spaces should not change the v1 fingerprint")
	}
	if !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+16 {
		t.Errorf("v1 fingerprint %q", a)
	}
}

// TestFingerprintReadable: the fingerprint names each part it covers.
func TestFingerprintReadable(t *testing.T) {
	in := approvalInput()
	site, _ := New(in, Options{Now: ymd("2025-12-01")})
	st := in.Stories[0]
	// The optional parts (a cover's caption and focal point) are named
	// only when the story has them.
	for _, cover := range []*Image{nil, {Alt: "A pump", Caption: "The new pump", Credit: "Photo: Acme", FocusX: 0.3, FocusY: 0.5}} {
		st.Cover = cover
		fp := site.Fingerprint(st)
		f := strings.Fields(fp)
		var want []string
		for _, p := range fingerprintParts {
			if cover != nil || !optionalParts[p.key] {
				want = append(want, p.key)
			}
		}
		if !strings.HasPrefix(f[0], "v2:") || len(f[0]) != 3+16 || len(f) != 1+len(want) {
			t.Fatalf("fingerprint %q, want the parts %q", fp, want)
		}
		for i, k := range want {
			if got, d, _ := strings.Cut(f[i+1], "="); got != k || len(d) != 4 {
				t.Errorf("part %d of %q: %q", i, fp, f[i+1])
			}
		}
	}
	st.Cover = nil
}

// TestNewDataKeepsTheApproval: data for a period after the story does not
// change the figure on its card (it shows the figure as of the story), so
// a partner's approval holds when the next quarter's data arrives.
func TestNewDataKeepsTheApproval(t *testing.T) {
	held := heldAfter(t, "", func(in *Input, _ *Story) {
		in.Observations = append(in.Observations, Observation{Metric: "coverage", Period: per("2025-Q3"), Value: 91})
	})
	if len(held) != 0 {
		t.Errorf("new data voided the approval: %q", held)
	}
}

// fingerprintAsBefore is Fingerprint as it was written first, each part
// converted and joined on its own: the oracle of TestFingerprintAsBefore
// (approvals recorded with it must hold).
func fingerprintAsBefore(s *Site, st *Story) string {
	h := sha256.New()
	var parts strings.Builder
	for _, p := range fingerprintParts {
		v := p.value(s, st)
		if v == "" && optionalParts[p.key] {
			continue
		}
		h.Write([]byte(p.key))
		h.Write([]byte{0})
		h.Write([]byte(v))
		h.Write([]byte{0})
		d := sha256.Sum256([]byte(p.key + "\x00" + v))
		fmt.Fprintf(&parts, " %s=%s", p.key, hex.EncodeToString(d[:2]))
	}
	return fingerprintVersion + ":" + hex.EncodeToString(h.Sum(nil))[:16] + parts.String()
}

// TestFingerprintAsBefore checks that the fingerprint is the one recorded
// approvals hold, with and without the optional parts and with a body of
// many lines.
func TestFingerprintAsBefore(t *testing.T) {
	in := approvalInput()
	site, _ := New(in, Options{Now: ymd("2025-12-01")})
	st := in.Stories[0]
	defer func(c *Image, b []byte) { st.Cover, st.Body = c, b }(st.Cover, st.Body)
	for _, cover := range []*Image{nil, {Alt: "A pump", Caption: "The new pump", Credit: "Photo: Acme", FocusX: 0.3, FocusY: 0.5}} {
		for _, body := range []string{"", "One line.", strings.Repeat("A line of the story, with *emphasis*.\r\n\n", 200)} {
			st.Cover, st.Body = cover, []byte(body)
			if got, want := site.Fingerprint(st), fingerprintAsBefore(site, st); got != want {
				t.Errorf("cover %v, body of %d bytes: fingerprint %q, want %q", cover != nil, len(body), got, want)
			}
		}
	}
}

// BenchmarkFingerprint is one story's approval fingerprint, which every
// build works out for each approved story.
func BenchmarkFingerprint(b *testing.B) {
	in := approvalInput()
	site, _ := New(in, Options{Now: ymd("2025-12-01")})
	st := *in.Stories[0]
	st.Body = []byte(strings.Repeat("A line of the story, with *emphasis* and a [link](/x/).\n\n", 100))
	b.ReportAllocs()
	for b.Loop() {
		site.Fingerprint(&st)
	}
}
