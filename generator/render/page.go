package render

import (
	"github.com/drumbeat/drumbeat/generator/media"
	"html/template"
	"strings"
	"time"

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
	return strings.TrimSuffix(base, "/") + target
}

// Home is the home page.
type Home struct {
	Headline  []MetricTile
	Latest    []*StoryCard
	Spotlight *SpotlightView // the partner recognised now, if any
	Partners  []*model.Partner
}

// SpotlightView recognises one partner: who they are and their latest
// spotlight story, if they have one.
type SpotlightView struct {
	Partner *model.Partner
	Role    *model.Role
	Story   *StoryCard // may be nil
	Chosen  bool       // picked by hand in site.yaml rather than by the rotation
}

// MetricTile is a metric's latest figure with its standing.
type MetricTile struct {
	Metric   *model.Metric
	Value    string // latest value with unit
	Period   string // the latest period, as people say it
	Change   string // change against the previous period, signed, with unit
	Good     bool   // whether the change is an improvement
	Flat     bool   // whether there was no change
	Progress string // progress to target, "64 %"; empty without a target
	Status   model.Status
	HasValue bool
	// SinceBaseline is the change against the baseline, signed, with unit.
	SinceBaseline string
	Spark         template.HTML // sparkline, set where a page draws one
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

// StoryView is a full story or page.
type StoryView struct {
	Story *model.Story
	// Title and Summary are the story's, each figure in them a link to its
	// metric, as in the body.
	Title, Summary template.HTML
	Body           template.HTML
	Date           string
	Partners       []*model.Partner
	Metrics        []*model.Metric
	// Data is "the data behind this story": each metric it lists, as of
	// the story's period, as its text and card give it.
	Data    []StoryDatum
	Tags    []*model.Tag
	Related []*StoryCard
	Held    []string // why it is not public (preview builds)
	Share   Share
	// Key is the figure the story leads with on its card and in its share
	// text: an ROI story's headline, else the latest value of the first
	// metric it cites; nil when it cites none.
	Key *model.Figure
	// ROI holds an ROI story's computed figures; nil for other stories.
	ROI *ROIView
	// Card is the site path of the story's social card (1200 × 630 PNG).
	Card string
	// LD describes the story as a schema.org Article.
	LD *ArticleLD
}

// StoryDatum is a metric as of a story's period, and now when the data
// has moved on since.
type StoryDatum struct {
	Metric *model.Metric
	Tile   MetricTile // the status is today's
	// Value and Period are the metric as of the story; empty when the
	// data starts after it.
	Value, Period string
	// Now is the latest value and period ("82.6 % in Q3 2026") when it is
	// later than the story's; empty otherwise.
	Now string
}

// Share holds the text and links to share a story.
type Share struct {
	Text     string // ready to paste: title, key figure, address; at most Max characters
	Length   int    // characters in Text
	Max      int
	URL      string
	Email    string
	LinkedIn string
	X        string
}

// List is a paginated list of stories.
type List struct {
	Heading  string
	Intro    string
	Cards    []*StoryCard
	Page     int
	Pages    int
	PrevPath string
	NextPath string
	Tag      *model.Tag
}

// PartnersView is the partners index.
type PartnersView struct {
	Sectors []SectorGroup
	Former  []*model.Partner
	Next    *model.Partner // the next partner the spotlight rotation will recognise
}

// SectorGroup is one sector's current partners.
type SectorGroup struct {
	Sector   model.Sector
	Partners []PartnerEntry
}

// PartnerEntry is a partner on the partners index.
type PartnerEntry struct {
	*model.Partner
	RoleName   string
	Recognised string // "6 November 2026 (spotlight story)", or ""
}

// PartnerView is one partner's page.
type PartnerView struct {
	Partner       *model.Partner
	Role          *model.Role
	Current       bool
	Joined        string
	Left          string
	Contributions []ContributionRow
	CashTotal     string
	InKindTotal   string
	Total         string
	Stories       []*StoryCard
	Spotlights    []*StoryCard
	Metrics       []*model.Metric
}

// ContributionRow is a contribution formatted for a table.
type ContributionRow struct {
	Period string
	Kind   string
	Detail string
	Value  string
	Note   string
}

// GovernanceView is the governance page.
type GovernanceView struct {
	Gov            *model.Governance
	Roles          []RoleView
	DegreeIndex    int // position of the integration degree, 1-based; 0 unknown
	Degrees        []string
	RecentDecision []*model.Decision
	Health         Membership
}

// Membership is the health of the membership over the last twelve months.
type Membership struct {
	Members  int    // current members
	Joined   int    // joined in the last twelve months
	Left     int    // left in the last twelve months
	Base     int    // members twelve months ago
	Turnover string // "22 %"
	Relaunch bool   // turnover past the threshold: the team is due for a relaunch
	Limit    string // the threshold, "15 %"
}

// JoinView is the page for organisations thinking of joining.
type JoinView struct {
	Gov     *model.Governance
	Roles   []RoleView
	Members int
	Sectors int
	Health  Membership
}

// RoleView is a role with the partners who hold it.
type RoleView struct {
	Role    *model.Role
	Holders []*model.Partner
}

// DecisionsView is the decision log.
type DecisionsView struct {
	Decisions []DecisionView
	Due       int
}

// DecisionView is one decision.
type DecisionView struct {
	*model.Decision
	Date    string
	Revisit string
	Due     bool
}

func humanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}
