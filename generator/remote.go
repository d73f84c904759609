package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/render/markdown"
)

// The limits of one remote image download.
const (
	remoteImageTimeout  = 20 * time.Second
	remoteImageMaxBytes = 5 << 20
	remoteImageDir      = "images/remote/"
)

// remoteFetcher downloads images from other hosts for a build that allows
// them. Only public addresses are fetched unless loopbackOK (tests).
type remoteFetcher struct {
	client *http.Client
}

func newRemoteFetcher(loopbackOK bool) *remoteFetcher {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil {
			return fmt.Errorf("%s is not an IP address", host)
		}
		if ip.IsLoopback() && loopbackOK {
			return nil
		}
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
			return fmt.Errorf("%s is a local or private address, which the build does not fetch from", ip)
		}
		return nil
	}}
	tr := &http.Transport{
		Proxy:                  nil, // the address checks above must see the real host
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  remoteImageTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableCompression:     true,
	}
	return &remoteFetcher{client: &http.Client{
		Transport: tr,
		Timeout:   remoteImageTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("it redirects more than 3 times")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("it redirects to a %s: address", req.URL.Scheme)
			}
			return nil
		},
	}}
}

// get downloads one image and checks that it is a PNG, JPEG, GIF or WebP
// image. It returns the bytes and the file extension.
func (f *remoteFetcher) get(ctx context.Context, raw string) ([]byte, string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, "", fmt.Errorf("it is not a valid address: %v", err)
	}
	if u.Scheme == "" {
		u.Scheme = "https" // //host/path
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, "", errors.New("only http and https addresses can be downloaded")
	}
	ctx, cancel := context.WithTimeout(ctx, remoteImageTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("User-Agent", "drumbeat/"+Version+" (static site build)")
	req.Header.Set("Accept", "image/png, image/jpeg, image/gif, image/webp")
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, "", fmt.Errorf("the download failed: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.ContentLength > remoteImageMaxBytes {
		return nil, "", fmt.Errorf("it is %d bytes, more than the %d MiB an image may be", resp.ContentLength, remoteImageMaxBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, remoteImageMaxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("the download failed: %v", err)
	}
	if len(data) > remoteImageMaxBytes {
		return nil, "", fmt.Errorf("it is more than the %d MiB an image may be", remoteImageMaxBytes>>20)
	}
	ext, kind := imageKind(data)
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "image/svg+xml" {
			kind = "svg"
		} else if !strings.HasPrefix(mt, "image/") {
			return nil, "", fmt.Errorf("the server says it is %s, not an image", mt)
		}
	}
	switch kind {
	case "svg":
		return nil, "", errors.New("it is an SVG image, which can carry script; save it under static/ after checking it")
	case "":
		return nil, "", errors.New("it is not a PNG, JPEG, GIF or WebP image")
	}
	return data, ext, nil
}

// imageKind tells an image's type from its first bytes.
func imageKind(b []byte) (ext, kind string) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return ".png", "png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return ".jpg", "jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return ".gif", "gif"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return ".webp", "webp"
	}
	if bytes.Contains(bytes.ToLower(b[:min(len(b), 4096)]), []byte("<svg")) {
		return "", "svg"
	}
	return "", ""
}

// fetchRemoteImages downloads every image on another host that the build
// shows (the site's logo, partner logos, story images, and images in the Markdown of shown
// stories, pages and newsletter intros), writes each once into the output
// under /images/remote/, named by a hash of its bytes (so the same bytes
// make the same build), and points the site at the copies. A download that
// fails is an error at the line that names the image.
func fetchRemoteImages(ctx context.Context, site *model.Site, f *remoteFetcher, sink render.Sink) diag.List {
	var errs diag.List
	site.RemoteImages = map[string]string{}
	failed := map[string]error{}
	written := map[string]bool{}
	get := func(pos diag.Pos, raw string) (string, bool) {
		if p, ok := site.RemoteImages[raw]; ok {
			return p, true
		}
		err, seen := failed[raw]
		if !seen {
			var data []byte
			var ext string
			data, ext, err = f.get(ctx, raw)
			if err == nil {
				sum := sha256.Sum256(data)
				rel := remoteImageDir + hex.EncodeToString(sum[:])[:20] + ext
				if written[rel] {
					err = nil
				} else {
					err = sink.File(rel, data)
				}
				if err == nil {
					written[rel] = true
					site.RemoteImages[raw] = "/" + rel
					return "/" + rel, true
				}
			}
			failed[raw] = err
		}
		errs.Errorf(pos, "cannot download the image %s: %v", raw, err).
			WithHint("check the address, or save the image under static/ and write its path")
		return "", false
	}
	if model.IsRemote(site.Config.Logo) {
		if local, ok := get(linePos(site.Config.Lines, "logo", diag.Pos{File: "site.yaml", Line: 1}), site.Config.Logo); ok {
			site.Config.Logo = local
		}
	}
	for _, p := range site.Partners {
		if model.IsRemote(p.Logo) {
			if local, ok := get(linePos(p.Lines, "logo", p.Pos), p.Logo); ok {
				p.Logo = local
			}
		}
	}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML})
	body := func(path string, line int, b []byte) {
		for _, im := range md.Images(b) {
			if model.IsRemote(im.URL) {
				get(diag.Pos{File: path, Line: line + max(im.Line, 1) - 1}, im.URL)
			}
		}
	}
	for _, list := range [][]*model.Story{site.Stories, site.Pages} {
		for _, st := range list {
			if model.IsRemote(st.Image) {
				if local, ok := get(st.Pos("image"), st.Image); ok {
					st.Image = local
				}
			}
			body(st.Path, st.BodyLine, st.Body)
		}
	}
	issues, _ := site.Issues()
	for _, is := range issues {
		body(is.Path, is.BodyLine, is.Body)
	}
	if err := ctx.Err(); err != nil {
		errs.Errorf(diag.Pos{File: "site.yaml"}, "downloading remote images: %v", err)
	}
	errs.Sort()
	return errs
}

func linePos(lines map[string]diag.Pos, key string, fallback diag.Pos) diag.Pos {
	if p, ok := lines[key]; ok {
		return p
	}
	return fallback
}

// hasRemoteImages reports whether a story shows an image from another host.
func hasRemoteImages(site *model.Site, st *model.Story) bool {
	if model.IsRemote(st.Image) {
		return true
	}
	for _, im := range markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML}).Images(st.Body) {
		if model.IsRemote(im.URL) {
			return true
		}
	}
	return false
}
