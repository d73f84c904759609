package render

import (
	"fmt"

	"github.com/drumbeat/drumbeat/generator/model"
)

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

// paginate adds the jobs that render the pages of a list of stories,
// r.per a page, the first at base and the others at listPath(base, i).
func (r *renderer) paginate(base string, stories []*model.Story, fill func(l *List), add addJob) {
	n := len(stories)
	pages := r.listPages(n)
	pagePath := func(i int) string { return listPath(base, i) }
	for i := 1; i <= pages; i++ {
		i := i
		add(pagePath(i), func() error {
			lo, hi := (i-1)*r.per, min(i*r.per, n)
			l := &List{Cards: r.cards(stories[lo:hi]), Page: i, Pages: pages}
			if i > 1 {
				l.PrevPath = pagePath(i - 1)
			}
			if i < pages {
				l.NextPath = pagePath(i + 1)
			}
			fill(l)
			title := l.Heading
			if i > 1 {
				title = r.tr("list_title_page", "title", l.Heading, "page", i)
			}
			return r.page("list", &Page{Title: title, Description: l.Intro, Path: pagePath(i), Section: "stories", List: l})
		})
	}
}

// storyLists adds the jobs of the list of every story, /stories/.
func (r *renderer) storyLists(add addJob) {
	r.paginate("/stories/", r.site.Stories, func(l *List) {
		l.Heading = r.tr("nav_stories")
		l.Intro = r.tr("stories_intro")
	}, add)
}

// tagPages adds the jobs of the topics page, /tags/, and of each tag's
// list of stories.
func (r *renderer) tagPages(add addJob) {
	if len(r.site.Tags) == 0 {
		return
	}
	add("/tags/", func() error {
		return r.page("tags", &Page{Title: r.tr("tags_heading"), Path: "/tags/", Section: "stories", Tags: r.site.Tags})
	})
	for _, t := range r.site.Tags {
		t := t
		r.paginate(t.URL(), t.Stories, func(l *List) {
			l.Heading = r.tr("tag_heading", "tag", t.Name)
			l.Tag = t
		}, add)
	}
}

// listPath is the address of page i (from 1) of a paginated list.
func listPath(base string, i int) string {
	if i == 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, i)
}

// listPages is the number of pages of a list of n stories.
func (r *renderer) listPages(n int) int { return max(1, (n+r.per-1)/r.per) }
