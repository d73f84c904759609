package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestApprovalNamesWhatChanged approves stories through `drumbeat approve`
// (YAML and TOML front matter), changes parts a reader sees but the old
// fingerprint did not cover, and checks that check holds each story and
// names what changed. On the old code both stories stayed public.
func TestApprovalNamesWhatChanged(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"y.md": story("Yaml story", "2025-03-01", "partners: [acme]\nimage: /images/pump.jpg\nimage_alt: A new pump\ntags: [water]\n", "Body."),
		"t.md": "+++\ntitle = \"Toml story\"\ndate = 2025-03-01\npartners = [\"acme\"]\n+++\nBody.\n\n![A chart](/images/chart.png)\n",
	})
	os.MkdirAll(filepath.Join(src, "static/images"), 0o755)
	os.WriteFile(filepath.Join(src, "static/images/chart.png"), []byte("a picture"), 0o644)
	os.WriteFile(filepath.Join(src, "static/images/pump.jpg"), []byte("a pump"), 0o644)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"y.md", "t.md"} {
		if _, err := Approve(Options{Source: src}, Approval{Story: "content/stories/" + s, Partner: "acme", By: "Pat Lee", On: now.AddDate(0, 0, -3)}); err != nil {
			t.Fatal(err)
		}
	}
	site, errs := Load(Options{Source: src, Now: now})
	if errs.HasErrors() || len(site.Stories) != 2 {
		t.Fatalf("after approval: %v; held: %v", errs, heldReasons(site))
	}
	edit := func(name, old, new string) {
		p := filepath.Join(src, "content/stories", name)
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", name, old)
		}
		os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
	}
	edit("y.md", "image_alt: A new pump\ntags: [water]", "image_alt: A broken pump\ntags: [water, scandal]")
	// The picture file of t.md's body is replaced under the same name.
	os.WriteFile(filepath.Join(src, "static/images/chart.png"), []byte("another picture"), 0o644)
	edit("t.md", "date = 2025-03-01\n", "date = 2025-03-01\nslug = \"renamed\"\n")
	_, list := Check(context.Background(), Options{Source: src, Now: now})
	for _, want := range []string{
		"content/stories/y.md:1: warning: held back: the image alt text and the tags changed after Acme Water approved it on 29 May 2025; ask them to approve this version, then run `drumbeat approve content/stories/y.md --partner acme --by NAME`",
		"content/stories/t.md:1: warning: held back: the picture files and the web address (slug) changed after Acme Water approved it on 29 May 2025",
	} {
		if !containsMsg(list, want) {
			t.Errorf("check lacks %q in:\n%v", want, list)
		}
	}
	// Spacing and line endings change nothing.
	edit("y.md", "image_alt: A broken pump\ntags: [water, scandal]", "image_alt: A new pump\ntags: [water]")
	p := filepath.Join(src, "content/stories/y.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.ReplaceAll(bytes.Replace(b, []byte("Body."), []byte("Body.   \n\n"), 1), []byte("\n"), []byte("\r\n")), 0o644)
	site, _ = Load(Options{Source: src, Now: now})
	if site.Story("y") == nil {
		t.Errorf("a story with only spacing and line endings changed is held: %v", heldReasons(site))
	}

	// Found in review: a picture written relative to the story's page
	// (or with character references) was covered by its address alone.
	for _, tc := range []struct{ name, img, file string }{
		{"relative", "../../images/map.png", "map.png"},
		{"references", "&#47;images/plan.png", "plan.png"},
	} {
		name := "rel-" + tc.file + ".md"
		os.WriteFile(filepath.Join(src, "static/images", tc.file), []byte("first"), 0o644)
		os.WriteFile(filepath.Join(src, "content/stories", name), []byte(story("Picture "+tc.name, "2025-03-01", "partners: [acme]\n", "![A map]("+tc.img+")")), 0o644)
		if _, err := Approve(Options{Source: src}, Approval{Story: "content/stories/" + name, Partner: "acme", By: "Pat Lee", On: now.AddDate(0, 0, -3)}); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, "static/images", tc.file), []byte("replaced"), 0o644)
		_, list := Check(context.Background(), Options{Source: src, Now: now})
		if want := "content/stories/" + name + ":1: warning: held back: the picture files changed after Acme Water approved it"; !containsMsg(list, want) {
			t.Errorf("%s: check lacks %q in:\n%v", tc.name, want, list)
		}
	}
}

// TestApprovalV1Held: an approval recorded with the first fingerprint
// (sha256:) does not count, and check says why and what to do.
func TestApprovalV1Held(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"old.md": story("Old story", "2025-03-01", "partners: [acme]\napproved_by:\n  - {partner: acme, by: Pat Lee, on: 2025-02-01, fingerprint: \"sha256:0000000000000000\"}\n", "Body."),
	})
	_, list := Check(context.Background(), Options{Source: src, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	want := "content/stories/old.md:1: warning: held back: the text changed after Acme Water approved it on 1 February 2025 (the approval has an older fingerprint, sha256:, which covered the title, summary and text only); ask them to approve this version, then run `drumbeat approve content/stories/old.md --partner acme --by NAME`"
	if !containsMsg(list, want) {
		t.Errorf("check lacks %q in:\n%v", want, list)
	}
}

// TestMentionEvasionsHeld: a partner's name written so that it escapes a
// search of the raw Markdown, or only in a tag or the image alt text,
// still holds the story for the partner's approval, and none of it
// reaches the output. On the old code each of these stories was public.
func TestMentionEvasionsHeld(t *testing.T) {
	const token = "OKAPI-41c2-TOKEN"
	src := protocolSite(t, map[string]string{
		"linked.md":   story("Linked", "2025-03-01", "kind: story\n", "Thanks to [Civic](https://c.example/) Trust "+token),
		"nbsp.md":     story("Nbsp", "2025-03-01", "", "Thanks to Civic&nbsp;Trust "+token),
		"zwsp.md":     story("Zwsp", "2025-03-01", "", "Thanks to Ci\u200bvic Trust "+token),
		"shy.md":      story("Shy", "2025-03-01", "", "Thanks to Civ\u00adic Trust "+token),
		"cyrillic.md": story("Cyrillic", "2025-03-01", "", "Thanks to C\u0456vic Trust "+token),
		"tagged.md":   story("Tagged", "2025-03-01", "tags: [Civic Trust]\n", "Thanks "+token),
		"alt.md":      story("Alt", "2025-03-01", "image: /images/x.jpg\nimage_alt: Staff of CIVIC TRUST\n", "Thanks "+token),
		"plain.md":    story("Plain", "2025-03-01", "", "Civic pride and a Trust fund."),
	})
	os.MkdirAll(filepath.Join(src, "static/images"), 0o755)
	os.WriteFile(filepath.Join(src, "static/images/x.jpg"), []byte("\xff\xd8\xff"), 0o644)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), Options{Source: src, Output: out, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Site.Stories) != 1 || res.Site.Stories[0].Slug != "plain" {
		var slugs []string
		for _, s := range res.Site.Stories {
			slugs = append(slugs, s.Slug)
		}
		t.Errorf("public stories %v, want only plain; held: %v", slugs, heldReasons(res.Site))
	}
	for _, h := range res.Site.Held {
		where := "its text"
		switch h.Slug {
		case "tagged":
			where = "its tags"
		case "alt":
			where = "its image alt text"
		}
		if want := "it names Civic Trust in " + where + ", and Civic Trust has not approved it"; !strings.Contains(strings.Join(h.Held, "; "), want) {
			t.Errorf("%s held for %q, want %q", h.Path, h.Held, want)
		}
	}
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(token)) {
				t.Errorf("%s contains the token of a held story", path)
			}
		}
		return nil
	})
}
