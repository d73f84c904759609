// Package render turns the model into files: HTML pages through the theme's
// html/template layouts, feeds, the sitemap, social cards and static files.
// It hands every file to a Sink and never touches the disk itself.
//
// One file per page kind or output; each owns its page's view types, the
// preparation of its data and its job(s):
//
//	home.go        the home page (/) and the 404 page
//	lists.go       the story lists (/stories/, paginated) and the tag pages (/tags/…)
//	story.go       a story's page (/stories/x/) and a plain page (/x/), with their structured data
//	related.go     the related stories a story page shows
//	impact.go      ROI stories' figures and the impact page (/impact/)
//	scorecard.go   the scorecard (/scorecard/) and the metric tiles
//	metric.go      a metric's page (/metrics/x/), its data table and CSV
//	charts.go      the metric charts the scorecard, metric pages and briefing share
//	partner.go     the partner list (/partners/) and a partner's page
//	governance.go  governance (/governance/), join (/join/) and the decision log (/decisions/)
//	newsletter.go  the newsletter's pages and its e-mails (see email/)
//	briefing.go    the executive briefing (/briefing/) and its card;
//	               briefing_charts.go its charts (see chart/)
//	feeds.go       the Atom, RSS and JSON feeds, the newsletter's feeds
//	cards.go       a story's social card (card.png or card.jpg, see card/)
//	share.go       a story's share box: the share text and links
//	kit.go         a partner's share kit (/partners/<id>/kit/); kittexts.go its
//	               posts per network, cut and counted as each network does;
//	               kit_hooks.go the cards' and tiles' hooks (stubs until kit-media)
//	sitemap.go     robots.txt and sitemap.xml
//	files.go       static files copied as they are, and the processed pictures
//	pictures.go    pictures in pages (<picture>, srcset)
//	assets.go      fingerprinted and minified theme assets
//
// What every page shares:
//
//	renderer.go    the renderer: what one render shares, the job runner, page and file output
//	jobs.go        the one job list: build (All) runs it, the dev server indexes it by address
//	incremental.go the dev server's incremental renderer (Prepare, Prepared.Update)
//	page.go        Page, what every layout receives, and the URL helpers
//	theme.go       loading and executing the theme's templates and site overrides (layouts/)
//	emaillayouts.go
//	               the newsletter email's layouts (layouts/newsletter-email.html, .txt)
//	template_errors.go
//	               template errors as "layouts/page.html:12:5: <the template's words>"
//	fragments.go   cached partials (chrome, cards)
//	funcs.go       the template functions
//	figures.go, figures_words.go, figures_partner.go, frontfig.go
//	               the Markdown bodies and the {{figure}} references in them and in front matter
//
// Subpackages: chart/ draws charts (SVG and ECharts options), card/ draws
// social cards (PNG and JPEG), email/ builds the newsletter's MIME
// messages, markdown/ converts Markdown.
package render
