package load

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// defaultKitCards is how many of a partner's newest stories get social
// cards in its share kit when share.kit_cards is left out.
const defaultKitCards = 6

// defaultKitStories is how many of a partner's newest stories its kit
// lists when share.kit_stories is left out.
const defaultKitStories = 20

// maxHashtag is the longest hashtag accepted, in characters.
const maxHashtag = 60

// checkShare checks site.yaml's share: block and fills its defaults. The
// hashtag is kept without its "#".
func checkShare(sc *model.ShareConf, at diag.Pos, errs *diag.List) {
	if _, ok := sc.Lines["kit_cards"]; !ok {
		sc.KitCards = defaultKitCards
	} else if sc.KitCards < 0 {
		errs.Errorf(linePos(sc.Lines, "kit_cards", at), "share.kit_cards %d should be 0 or more", sc.KitCards).
			WithHint("how many of a partner's newest stories get social cards in its kit; leave it out for %d", defaultKitCards)
		sc.KitCards = defaultKitCards
	}
	if _, ok := sc.Lines["kit_stories"]; !ok {
		sc.KitStories = defaultKitStories
	} else if sc.KitStories < 1 {
		errs.Errorf(linePos(sc.Lines, "kit_stories", at), "share.kit_stories %d should be 1 or more", sc.KitStories).
			WithHint("how many of a partner's newest stories its kit lists; leave it out for %d", defaultKitStories)
		sc.KitStories = defaultKitStories
	}
	tag := strings.TrimSpace(sc.Hashtag)
	if tag == "" {
		sc.Hashtag = ""
		return
	}
	bare := strings.TrimPrefix(tag, "#")
	if why := hashtagProblem(bare); why != "" {
		errs.Errorf(linePos(sc.Lines, "hashtag", at), "share.hashtag %q %s", truncate(tag, 80), why).
			WithHint("write one word of letters, digits and _, such as RiverbendAlliance (the # is optional)")
		sc.Hashtag = ""
		return
	}
	sc.Hashtag = bare
}

// hashtagProblem says what is wrong with a hashtag written without its
// "#", or "" when nothing is.
func hashtagProblem(tag string) string {
	if tag == "" {
		return "is empty"
	}
	if utf8.RuneCountInString(tag) > maxHashtag {
		return "is longer than 60 characters"
	}
	digits := true
	for _, r := range tag {
		switch {
		case r == '_':
			digits = false
		case unicode.IsDigit(r):
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			digits = false
		case unicode.IsSpace(r):
			return "has a space: a hashtag is one word"
		case r == '#':
			return "has more than one #"
		default:
			return "has " + strconv.QuoteRune(r) + ": a hashtag holds only letters, digits and _"
		}
	}
	if digits {
		return "has only digits: networks do not link such hashtags"
	}
	return ""
}

var (
	xHandle        = regexp.MustCompile(`^@?[A-Za-z0-9_]{1,15}$`)
	domainLabel    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	mastodonUser   = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$`)
	linkedInPath   = regexp.MustCompile(`^/(company|in|school|showcase)/[^/?#\s]{1,100}/?$`)
	linkedInNameOK = regexp.MustCompile(`^[^@<>\n\r\t]{1,100}$`)
)

// checkHandles checks a partner's handles and writes them the way each
// network does (X and Bluesky with their @; Mastodon as @user@instance). A
// handle that is wrong is reported and dropped.
func checkHandles(p *model.Partner, errs *diag.List) {
	h := &p.Handles
	at := linePos(p.Lines, "handles", p.Pos)
	pos := func(key string) diag.Pos { return linePos(h.Lines, key, at) }
	if v := strings.TrimSpace(h.X); v != "" {
		if xHandle.MatchString(v) {
			h.X = "@" + strings.TrimPrefix(v, "@")
		} else {
			errs.Errorf(pos("x"), "partner %q: X handle %q is not a handle", p.ID, truncate(v, 80)).
				WithHint("write it like @KestrelPharmacy: at most 15 letters, digits or _ after the @")
			h.X = ""
		}
	} else {
		h.X = ""
	}
	if v := strings.TrimSpace(h.Bluesky); v != "" {
		if d := strings.ToLower(strings.TrimPrefix(v, "@")); isDomain(d) {
			h.Bluesky = "@" + d
		} else {
			errs.Errorf(pos("bluesky"), "partner %q: Bluesky handle %q is not a handle", p.ID, truncate(v, 80)).
				WithHint("write it like @kestrel.bsky.social or @kestrel-pharmacy.example.org: a domain name, with or without the @")
			h.Bluesky = ""
		}
	} else {
		h.Bluesky = ""
	}
	if v := strings.TrimSpace(h.Mastodon); v != "" {
		user, inst, ok := strings.Cut(strings.TrimPrefix(v, "@"), "@")
		if ok && mastodonUser.MatchString(user) && isDomain(strings.ToLower(inst)) {
			h.Mastodon = "@" + user + "@" + strings.ToLower(inst)
		} else {
			hint := "write it like @kestrel@social.example.org: the account, an @ and its server"
			if u, err := url.Parse(v); err == nil && u.Host != "" && strings.HasPrefix(u.Path, "/@") {
				hint = "write @" + strings.Trim(strings.TrimPrefix(u.Path, "/@"), "/") + "@" + u.Host + " rather than the profile's address"
			}
			errs.Errorf(pos("mastodon"), "partner %q: Mastodon handle %q is not a handle", p.ID, truncate(v, 80)).WithHint("%s", hint)
			h.Mastodon = ""
		}
	} else {
		h.Mastodon = ""
	}
	if v := strings.TrimSpace(h.LinkedIn); v != "" {
		if strings.Contains(v, "://") || strings.HasPrefix(strings.ToLower(v), "linkedin.com") || strings.HasPrefix(strings.ToLower(v), "www.linkedin.com") {
			u, err := url.Parse(v)
			if err == nil && u.Scheme == "" {
				u, err = url.Parse("https://" + v)
			}
			host := ""
			if err == nil {
				host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
			}
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || host != "linkedin.com" || !linkedInPath.MatchString(u.Path) {
				errs.Errorf(pos("linkedin"), "partner %q: LinkedIn page %q is not a LinkedIn company or profile address", p.ID, truncate(v, 80)).
					WithHint("write the page's address, like https://www.linkedin.com/company/kestrel-pharmacy/, or its name as LinkedIn shows it")
				h.LinkedIn = ""
			} else {
				h.LinkedIn = "https://www.linkedin.com" + u.Path
			}
		} else if !linkedInNameOK.MatchString(v) {
			errs.Errorf(pos("linkedin"), "partner %q: LinkedIn page %q is not a page name", p.ID, truncate(v, 80)).
				WithHint("write the page's name as LinkedIn shows it (no @), or its address, like https://www.linkedin.com/company/kestrel-pharmacy/")
			h.LinkedIn = ""
		} else {
			h.LinkedIn = v
		}
	} else {
		h.LinkedIn = ""
	}
}

// isDomain reports whether d (lower case) is a domain name of at least two
// labels whose last is not all digits.
func isDomain(d string) bool {
	if len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !domainLabel.MatchString(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return strings.TrimLeft(tld, "0123456789") != ""
}
