package generator

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// remoteSite is a site with a partner logo, a story image, a Markdown
// image and a page image at the addresses given.
func remoteSite(t *testing.T, allow bool, logo, image, inline, page string) string {
	cfg := "title: Remote\nbase_url: https://r.example/\n"
	if allow {
		cfg += "allow_remote_images: true\nlogo: " + logo + "\n"
	}
	return writeSite(t, map[string]string{
		"site.yaml":            cfg,
		"data/partners.yaml":   "- id: acme\n  name: Acme Water\n  sector: private\n  role: member\n  logo: " + logo + "\n",
		"data/governance.yaml": "roles:\n  - {id: member, name: Member}\n",
		"content/stories/s.md": "---\ntitle: A story\ndate: 2025-03-01\nimage: " + image + "\nimage_alt: A drawing\n---\nFirst paragraph.\n\nSee ![the chart](" + inline + ") here.\n",
		"content/pages/p.md":   "---\ntitle: A page\n---\n![decorative](" + page + ")\n",
	})
}

// TestRemoteImagesRefusedByDefault checks that a partner logo, a story
// image and Markdown images on another host are errors at their lines
// unless site.yaml allows remote images. On the old code they were
// accepted and the pages loaded them from the other host.
func TestRemoteImagesRefusedByDefault(t *testing.T) {
	const local = "/images/x.png"
	tests := []struct {
		name                      string
		logo, image, inline, page string
		want                      string
	}{
		{"logo", "https://tracker.example/pixel.png", local, local, local, "data/partners.yaml:5:"},
		{"logo without scheme", "//tracker.example/pixel.png", local, local, local, "data/partners.yaml:5:3: logo \"//tracker.example/pixel.png\" must be a path"},
		{"story image", local, "https://tracker.example/i.jpg", local, local, "content/stories/s.md:4:"},
		{"Markdown image", local, local, "http://tracker.example/c.png", local, "content/stories/s.md:9:5: the image http://tracker.example/c.png is on another host"},
		// An image without alt text is an error of its own since issue #18:
		// the page image is marked decorative.
		{"decorative page image", local, local, local, "HTTPS://tracker.example/p.gif", "content/pages/p.md:4:"},
		// Found in review: character references and forms a browser reads
		// as another host.
		{"references for //", local, local, "&#47;&#47;tracker.example/c.png", local, "content/stories/s.md:9:5: the image //tracker.example/c.png is on another host"},
		{"reference for the colon", local, local, "https&#58;//tracker.example/c.png", local, "content/stories/s.md:9:5: the image https://tracker.example/c.png is on another host"},
		{"one slash", local, local, "http:/tracker.example/c.png", local, "content/stories/s.md:9:5: the image http:/tracker.example/c.png is on another host"},
		{"backslash", local, local, "/\\tracker.example/c.png", local, "content/stories/s.md:9:5: the image /\\tracker.example/c.png is on another host"},
	}
	// The site's own logo.
	src := remoteSite(t, false, local, local, local, local)
	os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: Remote\nlogo: https://tracker.example/logo.png\n"), 0o644)
	if _, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow}); err == nil || !strings.Contains(err.Error(), "site.yaml:2:") {
		t.Errorf("site logo: want an error at site.yaml:2, got %v", err)
	}
	for _, tc := range tests {
		src := remoteSite(t, false, tc.logo, tc.image, tc.inline, tc.page)
		os.MkdirAll(filepath.Join(src, "static", "images"), 0o755)
		os.WriteFile(filepath.Join(src, "static", "images", "x.png"), tinyPNG(t, 1), 0o644)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "allow_remote_images") && !strings.Contains(tc.want, "must be a path") {
			t.Errorf("%s: want an error at %s with a hint, got %v", tc.name, tc.want, err)
		}
	}
}

func tinyPNG(t *testing.T, shade uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{shade, 10, 20, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imageServer serves test images on 127.0.0.1 only.
func imageServer(t *testing.T) *httptest.Server {
	t.Helper()
	logo, pic := tinyPNG(t, 1), tinyPNG(t, 2)
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	mux := http.NewServeMux()
	serve := func(path, ctype string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.Write(body)
		})
	}
	serve("/logo.png", "image/png", logo)
	serve("/pic.png", "image/png", pic)
	serve("/anim.gif", "image/gif", gif)
	serve("/untyped", "", pic)
	serve("/evil.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
	serve("/svg-as-png.png", "image/png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
	serve("/page.png", "text/html", []byte("<!doctype html><p>not an image"))
	serve("/fake.png", "image/png", []byte("this is not an image at all"))
	serve("/big.png", "image/png", append(append([]byte{}, pic...), make([]byte, 6<<20)...))
	mux.HandleFunc("/redirect.png", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/pic.png", http.StatusFound) })
	mux.HandleFunc("/to-file.png", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: mux}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// TestRemoteImagesDownloaded checks that with allow_remote_images every
// remote image is downloaded into the output, named by its bytes, and no
// output file names the other host; and that a download that fails or is
// not a PNG, JPEG, GIF or WebP image (SVG is refused) is an error at the
// line that names it.
func TestRemoteImagesDownloaded(t *testing.T) {
	srv := imageServer(t)
	u := srv.URL
	host := strings.TrimPrefix(u, "http://")
	src := remoteSite(t, true, u+"/logo.png", u+"/pic.png", u+"/redirect.png", u+"/anim.gif")
	build := func() (string, Result) {
		out := filepath.Join(t.TempDir(), "o")
		res, err := Build(context.Background(), Options{Source: src, Output: out, Now: exampleNow, remoteLoopbackOK: true})
		if err != nil {
			t.Fatal(err)
		}
		return out, res
	}
	out, res := build()
	local := res.Site.RemoteImages
	if len(local) != 4 {
		t.Fatalf("want 4 downloaded images, got %v", local)
	}
	if local[u+"/pic.png"] != local[u+"/redirect.png"] {
		t.Errorf("the same bytes should make one file: %v", local)
	}
	for remote, p := range local {
		if !strings.HasPrefix(p, "/images/remote/") {
			t.Errorf("%s was saved at %s", remote, p)
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s: %v", remote, err)
		}
	}
	var files []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files = append(files, rel)
		if decodedContains(rel, b, host) || decodedContains(rel, b, "127.0.0.1") {
			t.Errorf("%s names the image host", rel)
		}
		return nil
	})
	story, _ := os.ReadFile(filepath.Join(out, "stories", "s", "index.html"))
	if !bytes.Contains(story, []byte(`src="../../images/remote/`)) {
		t.Errorf("the story page does not show the local copy:\n%s", story)
	}
	// The same bytes make the same build.
	out2, _ := build()
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(out2, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds of the same bytes", f)
		}
	}

	good := u + "/logo.png"
	for _, tc := range []struct {
		name, inline string
		loopbackOK   bool
		want         string
	}{
		{"SVG", u + "/evil.svg", true, "SVG image, which can carry script"},
		{"SVG served as PNG", u + "/svg-as-png.png", true, "SVG image, which can carry script"},
		{"HTML", u + "/page.png", true, "the server says it is text/html, not an image"},
		{"not an image", u + "/fake.png", true, "not a PNG, JPEG, GIF or WebP image"},
		{"untyped but an image", u + "/untyped", true, ""},
		{"too large", u + "/big.png", true, "5 MiB"},
		{"missing", u + "/missing.png", true, "404 Not Found"},
		{"redirect to a file", u + "/to-file.png", true, "redirects to a file: address"},
		{"no server", "http://127.0.0.1:1/x.png", true, "the download failed"},
		{"loopback in a real build", u + "/pic.png", false, "local or private address"},
	} {
		src := remoteSite(t, true, good, good, tc.inline, good)
		_, err := Build(context.Background(), Options{Source: src, Output: filepath.Join(t.TempDir(), "o"), Now: exampleNow, remoteLoopbackOK: tc.loopbackOK})
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		want := "content/stories/s.md:9: cannot download the image " + tc.inline + ": "
		if !tc.loopbackOK {
			want = "site.yaml:4:1: cannot download the image " + good
		}
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q … %q, got %v", tc.name, want, tc.want, err)
		}
	}
}

// TestSessionDownloadsRemoteImages checks the preview server's builds: the
// first build downloads remote images, and an edit that adds one makes a
// full build that downloads it, so the preview never loads it from the
// other host either.
func TestSessionDownloadsRemoteImages(t *testing.T) {
	srv := imageServer(t)
	u := srv.URL
	src := remoteSite(t, true, u+"/logo.png", u+"/pic.png", u+"/pic.png", u+"/anim.gif")
	s := NewSession(Options{Source: src, Now: exampleNow, remoteLoopbackOK: true})
	check := func(sink *memSink) {
		t.Helper()
		for p, b := range sink.files {
			if decodedContains(p, b, strings.TrimPrefix(u, "http://")) {
				t.Errorf("%s names the image host", p)
			}
		}
	}
	sink := newMemSink()
	if _, err := s.Build(context.Background(), nil, sink); err != nil {
		t.Fatal(err)
	}
	check(sink)
	p := filepath.Join(src, "content", "stories", "s.md")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, append(b, []byte("\n![new]("+u+"/untyped)\n")...), 0o644)
	sink = newMemSink()
	res, err := s.Build(context.Background(), []string{"content/stories/s.md"}, sink)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full {
		t.Error("an edit that adds a remote image should make a full build")
	}
	check(sink)
	if page := sink.files["stories/s/index.html"]; !bytes.Contains(page, []byte(`alt="new"`)) {
		t.Errorf("the new image is not on the page:\n%s", page)
	}
}
