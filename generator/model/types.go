// Package model holds the typed site: stories, metrics, partners, governance
// and decisions, checked against each other. It does no I/O.
package model

import (
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/i18n"
)

// Config is site.yaml.
type Config struct {
	Title       string          `yaml:"title"`
	Tagline     string          `yaml:"tagline"`
	Description string          `yaml:"description"`
	BaseURL     string          `yaml:"base_url"`
	Language    string          `yaml:"language"`
	Currency    string          `yaml:"currency"`
	Accent      string          `yaml:"accent"`
	Logo        string          `yaml:"logo"`
	LogoAlt     string          `yaml:"logo_alt"`
	Contact     Contact         `yaml:"contact"`
	Markdown    MarkdownConfig  `yaml:"markdown"`
	Home        HomeConfig      `yaml:"home"`
	Scorecard   ScorecardConfig `yaml:"scorecard"`
	Logos       LogoConfig      `yaml:"logos"`
	Newsletter  NewsletterConf  `yaml:"newsletter"`
	FrontMatter FrontMatterConf `yaml:"front_matter"`
	Timezone    string          `yaml:"timezone"` // an IANA name such as America/Chicago; UTC when empty

	Location *time.Location `yaml:"-"` // Timezone, checked; nil for UTC
	// AllowRemoteImages lets logos and images be http(s) addresses: the
	// build downloads them into the site instead of linking to them.
	AllowRemoteImages bool `yaml:"allow_remote_images"`
	// Images holds the choices of image processing (images: in site.yaml).
	Images ImageConf `yaml:"images"`
	// Check holds the choices of drumbeat check.
	Check CheckConf `yaml:"check"`
	// Deploy names where drumbeat deploy uploads the built site.
	Deploy DeployConf `yaml:"deploy"`
	// Data says how the data files write their numbers.
	Data DataConf `yaml:"data"`
	// Sources are the data files drumbeat fetch downloads.
	Sources []DataSource `yaml:"sources"`
	// Share holds the choices of the partner share kit (share: in site.yaml).
	Share ShareConf `yaml:"share"`
	// Cache holds the choices of the image cache (cache: in site.yaml).
	Cache CacheConf `yaml:"cache"`
	// Workbooks names the sheets to read of a data workbook, by its path
	// (workbooks: in site.yaml): data/observations/doses.xlsx: [Q3, Q4].
	// A workbook not named has every visible sheet read (data/metrics.xlsx
	// its first visible one).
	Workbooks map[string][]string `yaml:"workbooks"`

	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"` // position of each top-level key
}

// ShareConf holds the choices of the partner share kit (share: in site.yaml).
type ShareConf struct {
	// Hashtag is the partnership's hashtag, without its "#"; empty for none.
	Hashtag string `yaml:"hashtag"`
	// KitCards is how many of a partner's newest stories get social cards
	// in its kit (6 when left out; 0 for none).
	KitCards int `yaml:"kit_cards"`
	// KitStories is how many of a partner's newest stories its kit lists
	// with posts (20 when left out); older ones are on the partner's page.
	KitStories int `yaml:"kit_stories"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// CacheConf holds the choices of the image cache (cache: in site.yaml).
type CacheConf struct {
	// MaxAge is how many days an entry no build used stays in the cache,
	// written like 90d (90 when left out).
	MaxAge string `yaml:"max_age"`
	// Days is MaxAge read, set by the loader.
	Days int `yaml:"-"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// CheckConf holds the choices of drumbeat check (check: in site.yaml).
type CheckConf struct {
	// StrictFigures makes a number typed next to a metric's words an
	// error instead of a warning, as check --strict-figures does.
	StrictFigures bool `yaml:"strict_figures"`
}

// DeployConf holds the targets drumbeat deploy uploads the built site to
// (deploy: in site.yaml). Credentials are never part of it: they come
// from the environment or the provider's own files.
type DeployConf struct {
	Targets []DeployTarget `yaml:"targets"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// DeployTarget is one place the site is deployed to: a bucket named by a
// gocloud.dev URL such as s3://bucket?region=eu-west-1.
type DeployTarget struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// CacheControl overrides the Cache-Control header of a kind of file.
	CacheControl CacheControlConf `yaml:"cache_control"`

	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// CacheControlConf holds a target's Cache-Control headers by kind of
// file; an empty one keeps drumbeat's default.
type CacheControlConf struct {
	// Fingerprinted files have a content hash in their name.
	Fingerprinted string `yaml:"fingerprinted"`
	// Pages are HTML pages, feeds, the sitemap and robots.txt.
	Pages string `yaml:"pages"`
	// Other is every other file.
	Other string `yaml:"other"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// FrontMatterConf holds the front matter keys a site adds to drumbeat's own.
type FrontMatterConf struct {
	// ExtraKeys are top-level keys stories, pages, newsletter issues and
	// the briefing may hold besides drumbeat's fields; a story's are kept in
	// Story.Extra. Any other unknown key is an error.
	ExtraKeys []string `yaml:"extra_keys"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// Contact is how to reach the backbone team.
type Contact struct {
	Email   string `yaml:"email"`
	Address string `yaml:"address"`
	Phone   string `yaml:"phone"`
}

// MarkdownConfig holds Markdown options.
type MarkdownConfig struct {
	UnsafeHTML bool `yaml:"unsafe_html"`
}

// HomeConfig chooses what the home page shows.
type HomeConfig struct {
	HeadlineMetrics []string `yaml:"headline_metrics"`
	Stories         int      `yaml:"stories"`
	Spotlight       string   `yaml:"spotlight"` // a partner id chosen by hand; empty: the rotation picks
}

// ScorecardConfig holds the status thresholds, as shares of progress to target.
type ScorecardConfig struct {
	OnTrack float64 `yaml:"on_track"`
	AtRisk  float64 `yaml:"at_risk"`
}

// LogoConfig holds the logo usage rules.
type LogoConfig struct {
	MaxHeight int    `yaml:"max_height"`
	Order     string `yaml:"order"`
}

// NewsletterConf holds the sender settings of the newsletter. The SMTP
// password is never read from a file: it comes from the environment
// (DRUMBEAT_SMTP_PASSWORD) when the newsletter is sent.
type NewsletterConf struct {
	From         string `yaml:"from"`
	ReplyTo      string `yaml:"reply_to"`
	Unsubscribe  string `yaml:"unsubscribe"`
	Address      string `yaml:"address"`
	SMTPHost     string `yaml:"smtp_host"`
	SMTPPort     int    `yaml:"smtp_port"`
	SMTPUsername string `yaml:"smtp_username"`
	// SMTPAuth names the login mechanism (PLAIN, LOGIN or XOAUTH2); by
	// default PLAIN, or LOGIN when the server offers no PLAIN.
	SMTPAuth string `yaml:"smtp_auth"`
	// Rate paces a send, like "30/min"; no limit when empty.
	Rate string `yaml:"rate"`
	// Greeting greets each reader by name, like "Dear {name},", above the
	// intro; GreetingFallback greets a reader whose name is not known.
	Greeting         string `yaml:"greeting"`
	GreetingFallback string `yaml:"greeting_fallback"`
}

// Kind is what a story is for.
type Kind string

// The kinds of story.
const (
	KindStory     Kind = "story"
	KindSpotlight Kind = "spotlight"
	KindROI       Kind = "roi"
	KindLesson    Kind = "lesson"
)

// Approval records that a partner approved a story.
type Approval struct {
	Partner     string `yaml:"partner"`
	By          string `yaml:"by"`
	On          string `yaml:"on"`
	Fingerprint string `yaml:"fingerprint,omitempty"`

	Date time.Time `yaml:"-"`
	Pos  diag.Pos  `yaml:"-"`
}

// Story is a Markdown story or page with its front matter.
type Story struct {
	Path         string // source path relative to the site, e.g. content/stories/x.md
	Section      string // "stories" or "pages"
	Slug         string
	Title        string
	Date         time.Time
	Summary      string
	Kind         Kind
	Partners     []string
	Metrics      []string
	Tags         []string
	Image        string
	ImageAlt     string
	Draft        bool
	EmbargoUntil time.Time
	Approvals    []Approval
	Spotlight    string
	Weight       int
	ROI          *ROI // kind roi: the investment and the results it claims
	// Declared is a canonical encoding of the figures an ROI story's front
	// matter declares; it is part of what partners approve.
	Declared string
	Extra    map[string]any // the front matter keys site.yaml declares (front_matter.extra_keys)

	Body     []byte // Markdown after the front matter
	BodyLine int    // line of the body's first byte in the file
	// Text is the body as readers see it, as plain text, and Figures the
	// ids of the {{figures}} its prose cites, in order; set by the loader
	// (see markdown.Read). Partner mentions are looked for in Text.
	Text    string
	Figures []string
	// Cites are the figures of the body as written (id, view, period),
	// in the same order as Figures.
	Cites []Cite
	// Period is the period the story is about, as its front matter
	// declares it (period: 2026-Q3); zero when not declared. Its card
	// and the data behind it show figures as of that period, or, when
	// none is declared, as of the story's date (see Site.AsOf).
	Period Period
	// Pictures identifies the picture files the story shows (its image and
	// the images of its body that are files of the site), by address and
	// a digest of the file; set by the loader. It is part of what
	// partners approve: a picture replaced under the same name is a change.
	Pictures string
	// Cover is the story's image (image:, image_alt, image_caption,
	// image_credit, image_focus in its front matter); nil when it has none.
	// Images are the images of its body, in order. Both set by the loader,
	// which leaves out an image it cannot find (an error at its line) and
	// one whose address is refused as script or data (javascript:, data:).
	Cover  *Image
	Images []*Image
	// Bundle is the story's own folder when it is written as a page bundle
	// (content/stories/2026-03-saturday/index.md with its photos beside
	// it): "content/stories/2026-03-saturday"; empty otherwise.
	Bundle string
	Lines  map[string]diag.Pos

	// Set by the model.
	Mentioned []string // partners named in the title, summary or body text
	Held      []string // why the story is not public; empty when published
	// HeldWhy are the reasons in Held as messages, which a --drafts
	// preview writes in the site's language (Held is for the editors'
	// diagnostics, in English). Held and HeldWhy are filled together.
	HeldWhy []i18n.Message
	Preview bool // not public, but shown by a --drafts build
}

// URL returns the story's path on the site, with a trailing slash.
func (s *Story) URL() string {
	if s.Section == "pages" {
		return "/" + s.Slug + "/"
	}
	return "/stories/" + s.Slug + "/"
}

// Published reports whether the story may appear in public output.
func (s *Story) Published() bool { return len(s.Held) == 0 }

// Pos returns the position of a front matter key, or of the file.
func (s *Story) Pos(key string) diag.Pos {
	if p, ok := s.Lines[key]; ok {
		return p
	}
	return diag.Pos{File: s.Path, Line: 1}
}

// Newsletter is one monthly issue under content/newsletter/.
type Newsletter struct {
	Path      string
	Month     Period // the month
	Subject   string
	Preheader string
	Date      time.Time
	Items     []string // story slugs picked by hand
	Spotlight string   // partner id picked by hand
	// SpotlightPartner is the partner the issue recognises: the hand-picked
	// one or the rotation's pick at the date. Set by the model.
	SpotlightPartner string
	Body             []byte
	BodyLine         int
	Lines            map[string]diag.Pos
	// Greeting and GreetingFallback override newsletter.greeting and
	// greeting_fallback from site.yaml when set.
	Greeting, GreetingFallback string
}

// Perspective is a balanced-scorecard perspective.
type Perspective string

// The four perspectives, in scorecard order.
const (
	Impact      Perspective = "impact"
	Partnership Perspective = "partnership"
	Finance     Perspective = "finance"
	Learning    Perspective = "learning"
)

// Perspectives lists the perspectives in the order the scorecard shows them.
var Perspectives = [...]Perspective{Impact, Partnership, Finance, Learning}

// Title returns the perspective's heading.
func (p Perspective) Title() string {
	switch p {
	case Impact:
		return "Impact on the people we serve"
	case Partnership:
		return "Partnership effectiveness"
	case Finance:
		return "Finance"
	case Learning:
		return "Learning and growth"
	}
	return string(p)
}

// Level is a step of the results chain.
type Level string

// The results chain, in order.
const (
	LevelInput   Level = "input"
	LevelOutput  Level = "output"
	LevelOutcome Level = "outcome"
	LevelImpact  Level = "impact"
)

// Levels lists the results chain in order.
var Levels = [...]Level{LevelInput, LevelOutput, LevelOutcome, LevelImpact}

// Title returns the level's heading.
func (l Level) Title() string {
	switch l {
	case LevelInput:
		return "Inputs"
	case LevelOutput:
		return "Outputs"
	case LevelOutcome:
		return "Outcomes"
	case LevelImpact:
		return "Impacts"
	}
	return string(l)
}

// Metric is one row of data/metrics.csv with its observations.
type Metric struct {
	ID          string
	Name        string
	Perspective Perspective
	Level       Level
	Unit        string
	Down        bool // direction: down means less is better
	Baseline    *float64
	Target      *float64
	TargetDate  Period
	Source      string
	Description string
	// Synonyms are other words readers use for the metric ("doses;
	// vaccinations; jabs" in the synonyms column of metrics.csv); the
	// typed-figure check looks for them next to numbers.
	Synonyms []string
	Pos      diag.Pos

	// Series holds the metric's totals per period, oldest first. Where
	// observations carry partners and no total is given, the total is the
	// sum of the partners' values.
	Series []Point
	// ByPartner holds each partner's series, keyed by partner id.
	ByPartner map[string][]Point
}

// Point is one value of a series.
type Point struct {
	Period Period
	Value  float64
	Note   string
	Pos    diag.Pos
}

// Observation is one value read from data/observations/*.csv.
type Observation struct {
	Metric  string
	Period  Period
	Value   float64
	Partner string
	Note    string
	Pos     diag.Pos
}

// Sector is the part of society a partner comes from.
type Sector string

// The sectors, in the order the partner pages list them.
const (
	Public    Sector = "public"
	Private   Sector = "private"
	Civil     Sector = "civil"
	Community Sector = "community"
)

// Sectors lists the sectors in page order.
var Sectors = [...]Sector{Public, Private, Civil, Community}

// Title returns the sector's heading.
func (s Sector) Title() string {
	switch s {
	case Public:
		return "Public sector"
	case Private:
		return "Private sector"
	case Civil:
		return "Civil society"
	case Community:
		return "Community organisations"
	}
	return string(s)
}

// Partner is one entry of data/partners.yaml.
type Partner struct {
	ID               string         `yaml:"id"`
	Name             string         `yaml:"name"`
	Sector           Sector         `yaml:"sector"`
	URL              string         `yaml:"url"`
	Logo             string         `yaml:"logo"`
	LogoAlt          string         `yaml:"logo_alt"`
	JoinedRaw        string         `yaml:"joined"`
	LeftRaw          string         `yaml:"left"`
	Role             string         `yaml:"role"`
	About            string         `yaml:"about"`
	Gives            []string       `yaml:"gives"`
	Gets             []string       `yaml:"gets"`
	SpotlightConsent bool           `yaml:"spotlight_consent"`
	Contributions    []Contribution `yaml:"contributions"`
	// Handles are the partner's accounts on social networks, which the
	// texts of its share kit mention.
	Handles Handles `yaml:"handles"`

	Joined time.Time           `yaml:"-"`
	Left   time.Time           `yaml:"-"`
	Pos    diag.Pos            `yaml:"-"`
	Lines  map[string]diag.Pos `yaml:"-"`
}

// Handles are a partner's accounts on social networks, checked and
// written the way each network writes them: X "@name", Bluesky
// "@name.example.org", Mastodon "@user@instance.example", LinkedIn a page
// name or a company (or in) page address.
type Handles struct {
	X        string `yaml:"x"`
	Bluesky  string `yaml:"bluesky"`
	Mastodon string `yaml:"mastodon"`
	LinkedIn string `yaml:"linkedin"`

	Lines map[string]diag.Pos `yaml:"-"`
}

// Current reports whether the partner is still a member at now.
func (p *Partner) Current(now time.Time) bool {
	return p.Left.IsZero() || p.Left.After(now)
}

// Contribution is cash or in-kind support a partner gave in a period.
type Contribution struct {
	PeriodRaw string   `yaml:"period"`
	Kind      string   `yaml:"kind"` // cash | in_kind
	Amount    *float64 `yaml:"amount"`
	Hours     *float64 `yaml:"hours"`
	Rate      *float64 `yaml:"rate"`
	Note      string   `yaml:"note"`

	Period Period   `yaml:"-"`
	Value  float64  `yaml:"-"` // amount, or hours × rate
	Pos    diag.Pos `yaml:"-"`
}

// Governance is data/governance.yaml.
type Governance struct {
	Purpose        Purpose        `yaml:"purpose"`
	Roles          []Role         `yaml:"roles"`
	Membership     Membership     `yaml:"membership"`
	DecisionMaking DecisionMaking `yaml:"decision_making"`
	Integration    Integration    `yaml:"integration"`
	Communication  Communication  `yaml:"communication"`

	Path  string              `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// Purpose is why the partnership exists.
type Purpose struct {
	Statement string `yaml:"statement"`
	Vision    string `yaml:"vision"`
	Mission   string `yaml:"mission"`
}

// Role is a kind of membership with what it involves.
type Role struct {
	ID               string   `yaml:"id"`
	Name             string   `yaml:"name"`
	Summary          string   `yaml:"summary"`
	Responsibilities []string `yaml:"responsibilities"`
	Rights           []string `yaml:"rights"`
	Privileges       []string `yaml:"privileges"`
	Gives            []string `yaml:"gives"`
	Gets             []string `yaml:"gets"`

	Pos   diag.Pos            `yaml:"-"`
	Lines map[string]diag.Pos `yaml:"-"`
}

// Membership holds the terms of membership.
type Membership struct {
	Terms   []string `yaml:"terms"`
	Joining string   `yaml:"joining"`
	Leaving string   `yaml:"leaving"`
}

// DecisionMaking says how the partnership decides.
type DecisionMaking struct {
	Summary string   `yaml:"summary"`
	Quorum  string   `yaml:"quorum"`
	Steps   []string `yaml:"steps"`
}

// Integration is how far the partners work as one.
type Integration struct {
	Degree    string `yaml:"degree"`    // parallel | coordinated | collaborative | integrated
	Structure string `yaml:"structure"` // peer | prime-sub
	Summary   string `yaml:"summary"`
}

// IntegrationDegrees lists the degrees from parallel to integrated.
var IntegrationDegrees = []string{"parallel", "coordinated", "collaborative", "integrated"}

// Communication is the protocol for what goes public.
type Communication struct {
	Summary          string   `yaml:"summary"`
	ApprovalRequired bool     `yaml:"approval_required"`
	ExemptKinds      []Kind   `yaml:"exempt_kinds"`
	Rules            []string `yaml:"rules"`
	Spokespeople     []string `yaml:"spokespeople"`
}

// Decision is one entry of the decision log.
type Decision struct {
	ID         string `yaml:"id"`
	DateRaw    string `yaml:"date"`
	Decision   string `yaml:"decision"`
	Rationale  string `yaml:"rationale"`
	DecidedBy  string `yaml:"decided_by"`
	RevisitRaw string `yaml:"revisit_on"`

	Date      time.Time           `yaml:"-"`
	RevisitOn time.Time           `yaml:"-"`
	Pos       diag.Pos            `yaml:"-"`
	Lines     map[string]diag.Pos `yaml:"-"`
}

// Due reports whether the decision's revisit date has passed at now.
func (d *Decision) Due(now time.Time) bool {
	return !d.RevisitOn.IsZero() && !d.RevisitOn.After(now)
}

// Cite is a figure of a story's body as written: {{id view @period}}.
type Cite struct {
	ID, View, Period string
}

// An Image is a picture a story shows: its cover or one in its body.
type Image struct {
	Pos diag.Pos // the line (and column) that cites it
	Src string   // the address as written
	// File is the source file in the site, "static/images/x.jpg" or
	// "content/stories/2026-03-saturday/clinic.jpg"; empty when the image
	// is not a file of the site (another host, with allow_remote_images).
	File string
	// Alt is the text alternative; empty only when Decorative (the alt
	// text is written as "decorative": the image adds nothing to the text).
	Alt        string
	Decorative bool
	Caption    string // shown under the image
	Credit     string // the photographer or source, shown with the caption
	// FocusX and FocusY are the focal point as fractions of the width
	// and height (0.5, 0.5 when not given): crops keep it in view.
	FocusX, FocusY float64
}

// ImageConf is site.yaml's images: block.
type ImageConf struct {
	// Quality of the JPEG images, 1–100; 0 for the default (80).
	Quality int `yaml:"quality"`
	// WebP, when false, makes no WebP files; nil (not written) means true.
	WebP *bool `yaml:"webp"`
	// MaxMegapixels refuses larger images before decoding them; 0 for the
	// default (64).
	MaxMegapixels float64 `yaml:"max_megapixels"`

	// Lines are the positions of the keys, set by the loader.
	Lines map[string]diag.Pos `yaml:"-"`
}
