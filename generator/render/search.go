package render

import (
	"html"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render/search"
)

// SearchPath is the search page's address.
const SearchPath = "/search/"

// SearchView is the search page: the index's manifest and the filters'
// choices. The script (js/search.js) does the searching.
type SearchView struct {
	Index    string // site path of the index's manifest: "/search/index.1a2b3c4d5e.json"
	Kinds    []SearchOption
	Partners []SearchOption
	Tags     []SearchOption
	Years    []SearchOption
}

// SearchOption is one choice of a filter: the value the index knows and
// what readers see.
type SearchOption struct{ Value, Label string }

// searchState is what a render keeps of its index between a dev server's
// rebuilds: each document's words, by address, and the files written.
// A build (All) renders once and keeps no words (keep is false): the
// index's entries are let go as soon as it is written (#21, peak memory).
type searchState struct {
	mu      sync.Mutex
	keep    bool // a dev server's render (Prepare): keep the entries
	entries map[string]*search.Entry
	written map[string]bool
}

// reset forgets which files were written, keeping the documents' words.
func (s *searchState) reset() {
	s.mu.Lock()
	s.written = nil
	s.mu.Unlock()
}

// searchJobs adds the job that builds the index and writes the search
// page, when the theme has a "search" layout.
func (r *renderer) searchJobs(add addJob) {
	if r.theme.Has("search") && !r.noSearch {
		add(SearchPath, r.searchPage)
	}
}

// forgetSearch drops the words kept for the story at url, which changed.
func (r *renderer) forgetSearch(url string) {
	s := &r.search
	s.mu.Lock()
	delete(s.entries, url)
	s.mu.Unlock()
}

func (r *renderer) searchPage() error {
	s := &r.search
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]*search.Entry{}
	}
	if s.written == nil {
		s.written = map[string]bool{}
	}
	docs := r.searchDocs(s.entries)
	entries := make([]*search.Entry, len(docs))
	for i, d := range docs {
		if d.entry == nil {
			d.entry = search.Prepare(d.make())
			if s.keep {
				s.entries[d.url] = d.entry
			}
		}
		entries[i] = d.entry
	}
	idx := search.Build(entries)
	now := make(map[string]bool, len(idx.Files))
	for _, f := range idx.Files {
		now[f.Path] = true
		if s.written[f.Path] {
			continue // the same bytes, already written (names hold their hash)
		}
		if err := r.file(f.Path, f.Data); err != nil {
			return err
		}
		s.written[f.Path] = true
	}
	// After an edit, the files of the index before it that this one does
	// not name are taken back, where the sink can.
	if rm, ok := r.sink.(Remover); ok {
		for _, p := range sortedKeys(s.written) {
			if !now[p] {
				if err := rm.Remove(p); err != nil {
					return err
				}
				delete(s.written, p)
			}
		}
	}
	v := &SearchView{Index: "/" + idx.Manifest}
	kinds := map[string]bool{}
	years := map[int]bool{}
	for _, d := range docs {
		kinds[d.kind] = true
		if d.year > 0 {
			years[d.year] = true
		}
	}
	for _, k := range []struct{ value, label string }{
		{"story", r.tr("kind_story")}, {"spotlight", r.tr("kind_spotlight")}, {"roi", r.tr("kind_roi")},
		{"lesson", r.tr("kind_lesson")}, {"page", r.tr("search_kind_page")}, {"partner", r.tr("search_kind_partner")},
		{"metric", r.tr("search_kind_metric")}, {"governance", r.tr("search_kind_governance")},
		{"decision", r.tr("search_kind_decision")}, {"newsletter", r.tr("search_kind_newsletter")},
	} {
		if kinds[k.value] {
			v.Kinds = append(v.Kinds, SearchOption{k.value, k.label})
		}
	}
	for _, p := range r.site.Partners {
		v.Partners = append(v.Partners, SearchOption{p.ID, p.Name})
	}
	sort.SliceStable(v.Partners, func(i, j int) bool { return v.Partners[i].Label < v.Partners[j].Label })
	for _, t := range r.site.Tags {
		v.Tags = append(v.Tags, SearchOption{t.Slug, t.Name})
	}
	for y := range years {
		v.Years = append(v.Years, SearchOption{strconv.Itoa(y), strconv.Itoa(y)})
	}
	sort.Slice(v.Years, func(i, j int) bool { return v.Years[i].Value > v.Years[j].Value })
	return r.page("search", &Page{Title: r.tr("search_title"), Description: r.tr("search_description", "site", r.site.Config.Title),
		Path: SearchPath, Section: "search", Search: v})
}

// searchDoc is a document of the index: its entry when kept from an
// earlier build, else how to make it.
type searchDoc struct {
	url   string
	kind  string
	year  int
	entry *search.Entry
	make  func() search.Doc
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// htmlText returns the text of converted Markdown, as readers see it:
// figures resolved, and links to held stories already taken out by the
// conversion (the Markdown itself may name them). Tags become spaces;
// the insides of script, style and svg elements (charts) are left out.
// Converted Markdown escapes "<" and ">" in text and attributes, so a tag
// ends at the first ">".
func htmlText(h template.HTML) string {
	s := string(h)
	var b strings.Builder
	b.Grow(len(s))
	skip := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			if skip == 0 {
				b.WriteString(s[i : i+j])
			}
			i += j
			continue
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tag := s[i+1 : i+j]
		closing := strings.HasPrefix(tag, "/")
		name := strings.TrimPrefix(tag, "/")
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		switch strings.ToLower(name) {
		case "script", "style", "svg":
			if closing && skip > 0 {
				skip--
			} else if !closing && !strings.HasSuffix(tag, "/") {
				skip++
			}
		}
		b.WriteByte(' ')
		i += j + 1
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// searchDocs lists the documents of the index: the shown stories (with
// --drafts, previews among them, marked) and pages, the partners, the
// metrics, the governance page, each decision and each newsletter issue.
// Held stories are not in site.Stories: they are never indexed.
func (r *renderer) searchDocs(kept map[string]*search.Entry) []*searchDoc {
	var out []*searchDoc
	add := func(url, kind string, year int, make func() search.Doc) {
		out = append(out, &searchDoc{url: url, kind: kind, year: year, entry: kept[url], make: make})
	}
	slugs := make(map[string]string, len(r.site.Tags))
	for _, t := range r.site.Tags {
		slugs[t.Name] = t.Slug
	}
	for _, list := range [][]*model.Story{r.site.Stories, r.site.Pages} {
		for _, st := range list {
			kind := string(st.Kind)
			if st.Section != "stories" {
				kind = "page"
			}
			if kind == "" {
				kind = "story"
			}
			year := 0
			if st.Section == "stories" {
				year = st.Date.Year()
			}
			add(st.URL(), kind, year, func() search.Doc {
				fr := r.front(st)
				// The body as the page shows it, not the source's text
				// (st.Text), which keeps links to held stories.
				text := htmlText(r.bodyHTML(st))
				d := search.Doc{URL: st.URL(), Title: fr.title.Text, Kind: kind, Body: text, Preview: st.Preview,
					Snippet: fr.summary.Text}
				if st.Section == "stories" {
					d.Date, d.DateText = st.Date, r.date(st.Date)
				}
				meta := []string{fr.summary.Text}
				for _, p := range r.partnersOf(st.NamedPartners()) {
					d.Partners = append(d.Partners, p.ID)
					meta = append(meta, p.Name)
				}
				for _, t := range st.Tags {
					if s, ok := slugs[t]; ok && !slices.Contains(d.Tags, s) {
						d.Tags = append(d.Tags, s)
					}
					meta = append(meta, t)
				}
				d.Meta = strings.Join(meta, "\n")
				if d.Snippet == "" {
					d.Snippet = text
				}
				return d
			})
		}
	}
	msgs := r.theme.Messages()
	for _, p := range r.site.Partners {
		add("/partners/"+p.ID+"/", "partner", 0, func() search.Doc {
			body := append([]string{p.About}, p.Gives...)
			return search.Doc{URL: "/partners/" + p.ID + "/", Title: p.Name, Kind: "partner", Partners: []string{p.ID},
				Meta: p.Role + "\n" + label(msgs, p.Sector), Body: strings.Join(append(body, p.Gets...), "\n"), Snippet: p.About}
		})
	}
	for _, m := range r.site.Metrics {
		add("/metrics/"+m.ID+"/", "metric", 0, func() search.Doc {
			return search.Doc{URL: "/metrics/" + m.ID + "/", Title: m.Name, Kind: "metric",
				Meta: label(msgs, m.Perspective) + "\n" + strings.Join(m.Synonyms, "\n"), Body: m.Description + "\n" + m.Source,
				Snippet: m.Description}
		})
	}
	add("/governance/", "governance", 0, func() search.Doc {
		g := &r.site.Governance
		body := []string{g.Purpose.Statement, g.Purpose.Vision, g.Purpose.Mission}
		for _, ro := range g.Roles {
			body = append(body, ro.Name, ro.Summary)
			body = append(body, ro.Responsibilities...)
			body = append(body, ro.Rights...)
		}
		return search.Doc{URL: "/governance/", Title: r.tr("nav_governance"), Kind: "governance",
			Body: strings.Join(body, "\n"), Snippet: g.Purpose.Statement + " " + g.Purpose.Mission}
	})
	for _, d := range r.site.Decisions {
		url := "/decisions/#" + d.ID
		add(url, "decision", d.Date.Year(), func() search.Doc {
			return search.Doc{URL: url, Title: d.Decision, Kind: "decision", Date: d.Date, DateText: r.date(d.Date),
				Meta: d.DecidedBy, Body: d.Rationale, Snippet: d.Rationale}
		})
	}
	if len(r.site.Newsletters) > 0 {
		issues, _ := r.site.Issues()
		for _, is := range issues {
			url := is.URL()
			add(url, "newsletter", is.Date.Year(), func() search.Doc {
				nf := r.newsText(is.Newsletter)
				st := introStory(is)
				intro, _ := r.convertIntro(is, rootPrefix(url), &figures{r: r, st: st, root: rootPrefix(url)})
				return search.Doc{URL: url, Title: nf.subject.Text, Kind: "newsletter", Date: is.Date, DateText: r.date(is.Date),
					Meta: nf.preheader.Text, Body: htmlText(intro), Snippet: nf.preheader.Text, Preview: is.Preview}
			})
		}
	}
	return out
}
