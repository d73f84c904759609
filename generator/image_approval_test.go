package generator

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImageCaptionNamesPartner: a partner named only in an image's
// caption or photo credit (front matter or Markdown title) holds the story
// until that partner approves it, as a name in the text does; a changed
// caption then voids the approval and says so.
func TestImageCaptionNamesPartner(t *testing.T) {
	const img = "image: /images/x.jpg\nimage_alt: A pump by the road\n"
	src := protocolSite(t, map[string]string{
		"caption.md": story("Caption", "2025-03-01", img+"image_caption: Staff of Civic Trust at the pump\n", "Body."),
		"credit.md":  story("Credit", "2025-03-01", img+"image_credit: \"Photo: CIVIC TRUST\"\n", "Body."),
		"body.md":    story("Body caption", "2025-03-01", "", "![A pump](/images/x.jpg \"The pump | Photo: Civic Trust\")"),
		"plain.md":   story("Plain", "2025-03-01", img+"image_caption: The pump on market day\nimage_credit: \"Photo: Pat Lee\"\n", "Body."),
	})
	os.MkdirAll(filepath.Join(src, "static/images"), 0o755)
	os.WriteFile(filepath.Join(src, "static/images/x.jpg"), []byte("\xff\xd8\xff a pump"), 0o644)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	site, errs := Load(Options{Source: src, Now: now})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if len(site.Stories) != 1 || site.Stories[0].Slug != "plain" {
		t.Fatalf("public: %d stories, want plain alone; held: %v", len(site.Stories), heldReasons(site))
	}
	where := map[string]string{"caption": "its image caption", "credit": "its photo credit", "body": "its text"}
	for _, h := range site.Held {
		if want := "it names Civic Trust in " + where[h.Slug] + ", and Civic Trust has not approved it"; !strings.Contains(strings.Join(h.Held, "; "), want) {
			t.Errorf("%s held for %q, want %q", h.Path, h.Held, want)
		}
	}
	for _, name := range []string{"caption.md", "credit.md", "body.md"} {
		if _, err := Approve(Options{Source: src, Now: now}, Approval{Story: "content/stories/" + name, Partner: "civic", By: "Sam Ray", On: now.AddDate(0, 0, -1)}); err != nil {
			t.Fatal(err)
		}
	}
	site, _ = Load(Options{Source: src, Now: now})
	if len(site.Stories) != 4 {
		t.Fatalf("approved: %d public stories, want 4; held: %v", len(site.Stories), heldReasons(site))
	}
	p := filepath.Join(src, "content/stories/caption.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), "at the pump", "at the broken pump", 1)), 0o644)
	_, list := Check(context.Background(), Options{Source: src, Now: now})
	if want := "content/stories/caption.md:1: warning: held back: the image caption and credit changed after Civic Trust approved it"; !containsMsg(list, want) {
		t.Errorf("check lacks %q in:\n%v", want, list)
	}
}

// TestBundlePhotoReplacedVoidsApproval: the approval of a story written as
// a page bundle covers the photos beside its index.md; replacing one under
// the same name holds the story again, and putting it back releases it.
func TestBundlePhotoReplacedVoidsApproval(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"2025-03-01-new-pump/index.md":        story("New pump", "2025-03-01", "partners: [acme]\nimage: pump.jpg\nimage_alt: The new pump\n", "![The well at dusk](photos/well.jpg \"The well | Photo: Acme Water\")"),
		"2025-03-01-new-pump/pump.jpg":        "a pump",
		"2025-03-01-new-pump/photos/well.jpg": "a well",
	})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const file = "content/stories/2025-03-01-new-pump/index.md"
	if _, err := Approve(Options{Source: src, Now: now}, Approval{Story: file, Partner: "acme", By: "Pat Lee", On: now.AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	public := func() bool {
		t.Helper()
		site, errs := Load(Options{Source: src, Now: now})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		return site.Story("new-pump") != nil
	}
	if !public() {
		t.Fatal("the approved bundle story is held")
	}
	for _, photo := range []string{"photos/well.jpg", "pump.jpg"} {
		p := filepath.Join(src, "content/stories/2025-03-01-new-pump", photo)
		old, _ := os.ReadFile(p)
		os.WriteFile(p, []byte("another picture"), 0o644)
		_, list := Check(context.Background(), Options{Source: src, Now: now})
		if want := file + ":1: warning: held back: the picture files changed after Acme Water approved it"; !containsMsg(list, want) {
			t.Errorf("%s replaced: check lacks %q in:\n%v", photo, want, list)
		}
		os.WriteFile(p, old, 0o644)
		if !public() {
			t.Errorf("%s put back: the story is still held", photo)
		}
	}
}

// TestSessionBundlePhotos: in drumbeat serve, a story with photos (in its
// page bundle and under static/) can be edited without a full build, and
// replacing a bundle photo reads its story again, so an approval it voids
// holds the story back in the preview too. On the code before, the edit
// found no photos (an error) and the replaced photo was ignored.
func TestSessionBundlePhotos(t *testing.T) {
	const index = "content/stories/2025-03-01-new-pump/index.md"
	src := protocolSite(t, map[string]string{
		"2025-03-01-new-pump/index.md": story("New pump", "2025-03-01", "partners: [acme]\nimage: pump.jpg\nimage_alt: The new pump\n", "![The well](/images/well.jpg \"The well | Photo: Acme Water\")"),
		"2025-03-01-new-pump/pump.jpg": string(colourJPEG(t, 1)),
		"2025-03-02-a-lesson/index.md": story("A lesson", "2025-03-02", "kind: lesson\nimage: a.jpg\nimage_alt: A drawing\n", "![The well](/images/well.jpg)"),
		"2025-03-02-a-lesson/a.jpg":    string(colourJPEG(t, 2)),
	})
	os.MkdirAll(filepath.Join(src, "static/images"), 0o755)
	os.WriteFile(filepath.Join(src, "static/images/well.jpg"), colourJPEG(t, 3), 0o644)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Approve(Options{Source: src, Now: now}, Approval{Story: index, Partner: "acme", By: "Pat Lee", On: now.AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	s := NewSession(Options{Source: src, Now: now})
	if _, err := s.Build(context.Background(), nil, newMemSink()); err != nil {
		t.Fatal(err)
	}
	if s.good.site.Story("new-pump") == nil || s.good.site.Story("a-lesson") == nil {
		t.Fatalf("not public: %v", heldReasons(s.good.site))
	}
	// An edit of the lesson's text: no full build, no problem.
	lesson := filepath.Join(src, "content/stories/2025-03-02-a-lesson/index.md")
	b, _ := os.ReadFile(lesson)
	os.WriteFile(lesson, append(b, "\nA new line.\n"...), 0o644)
	res, err := s.Build(context.Background(), []string{"content/stories/2025-03-02-a-lesson/index.md"}, newMemSink())
	if err != nil || res.Full {
		t.Fatalf("lesson edit: full %v, %v", res.Full, err)
	}
	// The approved story's photo replaced.
	os.WriteFile(filepath.Join(src, "content/stories/2025-03-01-new-pump/pump.jpg"), colourJPEG(t, 4), 0o644)
	if _, err := s.Build(context.Background(), []string{"content/stories/2025-03-01-new-pump/pump.jpg"}, newMemSink()); err != nil {
		t.Fatal(err)
	}
	if s.good.site.Story("new-pump") != nil {
		t.Error("the story whose approved photo was replaced is still public in the preview")
	}
}

// colourJPEG returns a small JPEG of one colour, different for each n.
func colourJPEG(t *testing.T, n int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(40*n), uint8(200-30*n), 90, 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPhotoDigestsFromMemo: a build takes the digests of the photos that
// approvals cover from the image cache's stat memo, so that it does not
// read every photo again; the fingerprints are those of a load without the
// memo; a photo replaced under the same name, size and modification time
// still voids the approval.
func TestPhotoDigestsFromMemo(t *testing.T) {
	src := protocolSite(t, map[string]string{
		"2025-03-01-new-pump/index.md": story("New pump", "2025-03-01", "partners: [acme]\nimage: pump.jpg\nimage_alt: The new pump\n", "Body."),
	})
	photo := filepath.Join(src, "content/stories/2025-03-01-new-pump/pump.jpg")
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 64, 48)), nil)
	if err := os.WriteFile(photo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// A photo written long ago: the memo trusts what it recorded of it.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(photo, old, old)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const file = "content/stories/2025-03-01-new-pump/index.md"
	if _, err := Approve(Options{Source: src, Now: now}, Approval{Story: file, Partner: "acme", By: "Pat Lee", On: now.AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	opt := Options{Source: src, Output: filepath.Join(t.TempDir(), "public"), Now: now, CacheDir: t.TempDir()}
	public := func() bool {
		t.Helper()
		res, err := Build(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		return res.Site.Story("new-pump") != nil
	}
	// Twice: the first build records the photo's digest in the memo, the
	// second takes it from there.
	for range 2 {
		if !public() {
			t.Fatal("the approved story is held in a build with the memo")
		}
	}
	plain, _ := Load(Options{Source: src, Now: now})
	memo := openMemo(opt)
	withMemo, _ := loadSite(context.Background(), opt, memo)
	if a, b := plain.Story("new-pump").Pictures, withMemo.Story("new-pump").Pictures; a != b || a == "" {
		t.Errorf("pictures covered with the memo %q, without %q", b, a)
	}

	// The memo is what the loader reads: a digest planted in it for the
	// unchanged file is believed (which is how a build avoids reading it).
	memoFile := filepath.Join(opt.CacheDir, "images", "digests.json")
	b, err := os.ReadFile(memoFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.SplitN(strings.SplitN(withMemo.Story("new-pump").Pictures, " ", 2)[1], "\n", 2)[0]
	planted := strings.ReplaceAll(string(b), sum, "0123456789abcdef")
	if planted == string(b) {
		t.Fatalf("the memo %s lacks the photo's digest %s", b, sum)
	}
	os.WriteFile(memoFile, []byte(planted), 0o644)
	fooled, _ := loadSite(context.Background(), opt, openMemo(opt))
	if len(fooled.Held) != 1 || !strings.Contains(fooled.Held[0].Pictures, "0123456789abcdef") {
		t.Errorf("the loader did not take the digest from the memo (held: %v)", heldReasons(fooled))
	}
	os.WriteFile(memoFile, b, 0o644)

	// Another picture of the same size, with the old modification time:
	// the change time tells the memo, and the approval is void.
	c := buf.Bytes()
	c[len(c)-3] ^= 0xff
	os.WriteFile(photo, c, 0o644)
	os.Chtimes(photo, old, old)
	if public() {
		t.Error("a replaced photo (same size and modification time) left the approval standing")
	}
}
