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

func (r *renderer) paginate(base string, stories []*model.Story, fill func(l *List), add func(func() error)) {
	n := len(stories)
	pages := max(1, (n+r.per-1)/r.per)
	pagePath := func(i int) string {
		if i == 1 {
			return base
		}
		return fmt.Sprintf("%spage/%d/", base, i)
	}
	for i := 1; i <= pages; i++ {
		i := i
		add(func() error {
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

func (r *renderer) storyLists(add func(func() error)) {
	r.paginate("/stories/", r.site.Stories, func(l *List) {
		l.Heading = r.tr("nav_stories")
		l.Intro = r.tr("stories_intro")
	}, add)
}

func (r *renderer) tagPages(add func(func() error)) {
	if len(r.site.Tags) == 0 {
		return
	}
	add(func() error {
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

func (r *renderer) listPages(n int) int { return max(1, (n+r.per-1)/r.per) }
