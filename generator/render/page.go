package render

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Page is what every page template receives. Exactly one of the section
// fields (Home, Story, List, …) is set, according to the layout.
type Page struct {
	Site        *SiteData
	Title       string // the page's own title; the layout adds the site's
	Description string
	Path        string // the page's address on the site: "/stories/x/"
	Section     string // the navigation entry to highlight
	Preview     bool   // a --drafts build shows a page that is not public
	Image       string // social image, site path or absolute
	ImageAlt    string
	// RootRelative pages link with root-relative paths ("/stories/"): the
	// 404 page is served at any address, so relative links would break.
	RootRelative bool
	// NoIndex asks search engines not to index the page (a partner's kit).
	NoIndex bool
	// rootAs, when set, stands for the path to the root in the links the
	// page makes: a card is rendered once with a placeholder there.
	rootAs string

	Home       *Home
	Story      *StoryView
	List       *List
	Tags       []*model.Tag
	Partners   *PartnersView
	Partner    *PartnerView
	Governance *GovernanceView
	Decisions  *DecisionsView
	Scorecard  *ScorecardView
	Join       *JoinView
	Newsletter *NewsletterView
	Metric     *MetricView
	Impact     *ImpactView
	Kit        *KitView
	Search     *SearchView
	Charts     bool // the page has interactive charts: load echarts
}

// SiteData is what every page shares.
type SiteData struct {
	*model.Site
	Nav         []NavItem
	DataUpdated string // the latest period in the data, as people say it
	Version     string // drumbeat's version, for the generator meta tag
	Feed        bool   // whether feed.xml is written (needs base_url)

	frag  *fragments
	media *media.Set // the processed pictures; nil in a build without
	theme *Theme     // for the fingerprinted names of stylesheets and scripts
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Title   string
	Path    string
	Section string
}

// Rel returns target (a site path starting with /) relative to the page,
// so the site works under any sub-path and opened from disk. A stylesheet
// or script of the theme or the site's static/ is given by its own path
// ("/css/site.css") and comes out as its fingerprinted name
// ("../css/site.1a2b3c4d5e.css").
func (p *Page) Rel(target string) string {
	if p.Site != nil {
		target = p.Site.theme.Asset(target)
	}
	if p.RootRelative {
		return target
	}
	if p.rootAs != "" && strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") {
		return p.rootAs + strings.TrimPrefix(target, "/")
	}
	return relURL(p.Path, target)
}

// Abs returns the absolute URL of a site path, using base_url; without a
// base URL it returns the path itself.
func (p *Page) Abs(target string) string {
	return absURL(p.Site.Config.BaseURL, target)
}

// Canonical returns the page's absolute URL, or "" without a base URL.
func (p *Page) Canonical() string {
	if p.Site.Config.BaseURL == "" {
		return ""
	}
	return p.Abs(p.Path)
}

// Root returns the relative path from the page to the site root, "" or "../../".
func (p *Page) Root() string {
	if p.RootRelative {
		return "/"
	}
	if p.rootAs != "" {
		return p.rootAs
	}
	return rootPrefix(p.Path)
}

func rootPrefix(pagePath string) string {
	depth := strings.Count(strings.Trim(pagePath, "/"), "/")
	if strings.Trim(pagePath, "/") != "" {
		depth++
	}
	if strings.HasSuffix(pagePath, ".html") || strings.HasSuffix(pagePath, ".xml") {
		depth--
	}
	return strings.Repeat("../", max(depth, 0))
}

func relURL(from, target string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return target
	}
	r := rootPrefix(from) + strings.TrimPrefix(target, "/")
	if r == "" {
		return "./"
	}
	return r
}

func absURL(base, target string) string {
	if base == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return target
	}
	return strings.TrimSuffix(base, "/") + escapePath(target)
}

// escapePath percent-encodes a site path that holds letters beyond ASCII
// (/tags/健康/ is /tags/%E5%81%A5%E5%BA%B7/), as a URI in a sitemap, a feed
// or og:url must be; an ASCII path, and a query or fragment after it, are
// left as they are.
func escapePath(p string) string {
	end := len(p)
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		end = i
	}
	for i := 0; i < end; i++ {
		if p[i] >= utf8.RuneSelf {
			return (&url.URL{Path: p[:end]}).EscapedPath() + p[end:]
		}
	}
	return p
}

// StoryCard is a story in a list.
type StoryCard struct {
	Story *model.Story
	// Title and Summary are the story's, their figures resolved to plain
	// text: a card is a link, so its figures are not links of their own.
	Title, Summary string
	Partners       []*model.Partner
	Date           string
}
