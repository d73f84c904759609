package model

import (
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// IsRemote reports whether an image address is on another host: an
// http(s) address or one starting with //. Site paths (/logos/x.svg) are
// not.
func IsRemote(u string) bool {
	// Read the address as a browser does: tabs and line breaks anywhere
	// are dropped, leading control characters and spaces too, a backslash
	// is a slash, and "http:" with any number of slashes (http:/host,
	// http:host on a page of another scheme) names another host.
	u = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, u)
	u = strings.TrimLeftFunc(u, func(r rune) bool { return r <= ' ' })
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http:") || strings.HasPrefix(l, "https:") || strings.HasPrefix(u, "//")
}

// RemoteImageHint says what to do about an image on another host.
const RemoteImageHint = "save the image under static/ and write its path (such as /images/x.png), " +
	"or set `allow_remote_images: true` in site.yaml to have the build download it (see the README for what that means for privacy)"

// checkRemoteImages refuses the site's logo, partner logos and story images on another host
// unless the site allows remote images: a page that loads them tells that
// host about every reader (a tracking pixel), and what it serves can change
// after approval. Held stories are checked too: they must be right before
// anyone approves them.
func (s *Site) checkRemoteImages(errs *diag.List) {
	if s.Config.AllowRemoteImages {
		return
	}
	if IsRemote(s.Config.Logo) {
		errs.Errorf(linePos(s.Config.Lines, "logo", diag.Pos{File: "site.yaml", Line: 1}), "the site's logo is on another host (%s): pages would load it from there", s.Config.Logo).
			WithHint("%s", RemoteImageHint)
	}
	for _, p := range s.Partners {
		if IsRemote(p.Logo) {
			errs.Errorf(linePos(p.Lines, "logo", p.Pos), "the logo of partner %q is on another host (%s): pages would load it from there", p.ID, p.Logo).
				WithHint("%s", RemoteImageHint)
		}
	}
	seen := map[*Story]bool{}
	for _, list := range [][]*Story{s.Stories, s.Held, s.Pages} {
		for _, st := range list {
			if IsRemote(st.Image) && !seen[st] {
				seen[st] = true
				errs.Errorf(st.Pos("image"), "the image %s is on another host: pages would load it from there", st.Image).
					WithHint("%s", RemoteImageHint)
			}
		}
	}
}
