package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
)

// Session builds a site again and again, keeping what did not change from
// the last good build: the watch mode behind drumbeat serve. An edit to
// stories under content/stories/ that keeps their addresses, dates, tags
// and visibility re-renders only the pages that show them; any other
// change rebuilds the whole site. A Session is used by one goroutine at a
// time; it does not watch files itself.
type Session struct {
	opt      Options
	fixedNow bool // --now was given; otherwise each full build uses today

	good  *sessionState   // the last good build; nil before the first
	dirty map[string]bool // files changed since the last good build
	title string
}

// sessionState is a good build: the site and its prepared render.
type sessionState struct {
	site   *model.Site
	prep   *render.Prepared
	byPath map[string]*model.Story // every story read, by source path
	media  *media.Set              // the pictures of the last full build
}

// Rebuild describes one Session.Build.
type Rebuild struct {
	// Full is set when the sink received the whole site; otherwise it
	// received only the files that changed, to lay over the last build.
	Full     bool
	Stats    render.Stats
	Warnings diag.List
	Duration time.Duration
}

// NewSession returns a session that builds the site opt describes.
// opt.Output is not used: the files go to the sink given to Build.
func NewSession(opt Options) *Session {
	s := &Session{fixedNow: !opt.Now.IsZero(), dirty: map[string]bool{}}
	opt.defaults()
	s.opt = opt
	return s
}

// Title returns the site's title as last read, or "" before a site.yaml
// could be read.
func (s *Session) Title() string { return s.title }

// Build builds the site into sink after the files named in changed
// changed. Paths are relative to the site folder, with forward slashes.
// The first Build builds everything, whatever changed says. On problems in
// the site's files the error is a diag.List, and the last good build is
// kept: the next Build starts again from it with every change since.
func (s *Session) Build(ctx context.Context, changed []string, sink render.Sink) (Rebuild, error) {
	start := time.Now()
	for _, p := range changed {
		s.dirty[p] = true
	}
	if !s.fixedNow {
		s.opt.Now = time.Time{}
		s.opt.defaults()
	}
	if s.good != nil && s.good.site.Now.Equal(model.NowAt(s.opt.Now, s.good.site.Config.Zone())) {
		if paths, ok := s.storiesOnly(); ok {
			res, done, err := s.storyEdits(ctx, paths, sink)
			if done {
				res.Duration = time.Since(start)
				if err == nil {
					clear(s.dirty)
				}
				return res, err
			}
		}
	}
	res, err := s.full(ctx, sink)
	res.Duration = time.Since(start)
	if err == nil {
		clear(s.dirty)
	}
	return res, err
}

// Stale reports whether the last builds put off files that Flush writes:
// the feeds, after a story edit.
func (s *Session) Stale() bool { return s.good != nil && s.good.prep.Stale() }

// Flush writes into sink the files the last builds put off, so that they
// show the site as it is. The files are to be laid over the last build.
func (s *Session) Flush(ctx context.Context, sink render.Sink) (Rebuild, error) {
	start := time.Now()
	if !s.Stale() {
		return Rebuild{}, nil
	}
	stats, err := s.good.prep.Flush(ctx, sink)
	if err != nil {
		s.good = nil
		return Rebuild{}, renderErr(err)
	}
	return Rebuild{Stats: stats, Duration: time.Since(start)}, nil
}

// storiesOnly returns the changed stories when nothing else changed that
// the site is made from: every changed file is a story the last good build
// read, a file of a story's page bundle (a photo beside its index.md: the
// story is read again, since its approval covers its photos), or a file
// under content/stories/ that the loader does not read (an editor's
// temporary file).
func (s *Session) storiesOnly() ([]string, bool) {
	var paths []string
	for p := range s.dirty {
		if b := s.bundleStory(p); b != "" {
			paths = append(paths, b)
			continue
		}
		switch {
		case isStoryFile(p) && s.good.byPath[p] != nil:
			paths = append(paths, p)
		case isStoryFile(p) || !strings.HasPrefix(p, "content/stories/"):
			return nil, false // a new story, or another kind of file
		default:
			// A photo beside a page bundle's index.md is the story's own:
			// a full build makes its sizes again.
			if _, ok := s.good.byPath[path.Join(path.Dir(p), "index.md")]; ok {
				return nil, false
			}
			// Not a story: it matters only if it is a folder, or was one.
			if fi, err := os.Lstat(filepath.Join(s.opt.Source, filepath.FromSlash(p))); err == nil && fi.IsDir() {
				return nil, false
			}
			for known := range s.good.byPath {
				if strings.HasPrefix(known, p+"/") {
					return nil, false
				}
			}
		}
	}
	sort.Strings(paths)
	return slices.Compact(paths), true
}

// bundleStory returns the story of the last good build whose page bundle
// holds the file p, which is not a story; "" when there is none.
func (s *Session) bundleStory(p string) string {
	if isStoryFile(p) {
		return ""
	}
	for path, st := range s.good.byPath {
		if st.Bundle != "" && strings.HasPrefix(p, st.Bundle+"/") {
			if fi, err := os.Lstat(filepath.Join(s.opt.Source, filepath.FromSlash(p))); err == nil && fi.IsDir() {
				return "" // a folder: a full build sorts it out
			}
			return path
		}
	}
	return ""
}

// isStoryFile reports whether p is a story's file, as load reads them.
func isStoryFile(p string) bool {
	if !strings.HasPrefix(p, "content/stories/") || !strings.EqualFold(path.Ext(p), ".md") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// full loads, checks and renders the whole site.
func (s *Session) full(ctx context.Context, sink render.Sink) (Rebuild, error) {
	res := Rebuild{Full: true}
	memo := openMemo(s.opt)
	site, errs := loadSite(ctx, s.opt, memo)
	if err := ctx.Err(); err != nil {
		return res, err // stopped (Ctrl-C) while the files were read
	}
	if site != nil && site.Config.Title != "" {
		s.title = site.Config.Title
	}
	res.Warnings = errs.Warnings()
	if errs.HasErrors() {
		return res, errs.Err()
	}
	theme, err := loadTheme(s.opt.Source, site.Config.Language, !s.opt.NoMinify)
	if err != nil {
		return res, err
	}
	res.Warnings = append(res.Warnings, theme.Warnings()...)
	if site.Config.AllowRemoteImages {
		if l := fetchRemoteImages(ctx, site, newRemoteFetcher(s.opt.remoteLoopbackOK), sink); l.HasErrors() {
			return res, l.Err()
		}
	}
	set, merrs := pictures(ctx, s.opt, site, false, memo)
	if err := ctx.Err(); err != nil {
		return res, err // stopped while the photos were processed
	}
	res.Warnings = append(res.Warnings, merrs.Warnings()...)
	if merrs.HasErrors() {
		return res, merrs.Err()
	}
	defer set.Processor().Close()
	prep, err := render.Prepare(ctx, site, render.Options{Theme: theme, Version: Version, Media: set})
	if err != nil {
		return res, renderErr(err)
	}
	stats, err := prep.All(ctx, sink)
	if err != nil {
		return res, renderErr(err)
	}
	st := &sessionState{site: site, prep: prep, byPath: map[string]*model.Story{}, media: set}
	for _, list := range [][]*model.Story{site.Stories, site.Held} {
		for _, story := range list {
			st.byPath[story.Path] = story
		}
	}
	s.good = st
	res.Stats = stats
	res.Warnings = append(res.Warnings, stats.Warnings...)
	return res, nil
}

func renderErr(err error) error {
	if diag.AsList(err) != nil {
		return err
	}
	return fmt.Errorf("render: %w", err)
}

// storyEdits reads the changed stories again and, when they keep their
// place in the site, re-renders the pages that show them. done is false
// when the change needs a full build.
func (s *Session) storyEdits(ctx context.Context, paths []string, sink render.Sink) (res Rebuild, done bool, err error) {
	if len(paths) == 0 {
		return Rebuild{}, true, nil // only files the loader ignores changed
	}
	good := s.good
	site := good.site
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	// Read only the changed files, and check them against the site's
	// partners, metrics and governance: model.New on a site of just these
	// stories decides what the full one would about each.
	// The stories' images are read too: static/, and the page bundles.
	trees := []string{"static"}
	for _, p := range paths {
		if st := good.byPath[p]; st != nil && st.Bundle != "" {
			trees = append(trees, st.Bundle)
		}
	}
	in, lerrs := load.Dir(newOnlyFS(os.DirFS(s.opt.Source), paths, trees...))
	metrics := make([]*model.Metric, len(site.Metrics))
	var obs []model.Observation
	for i, m := range site.Metrics {
		c := *m // model.New sets Series on the metrics it is given
		metrics[i] = &c
		// The series again, as totals: the figure on a story's card is
		// part of what its partners approve.
		for _, p := range m.Series {
			obs = append(obs, model.Observation{Metric: m.ID, Period: p.Period, Value: p.Value, Note: p.Note, Pos: p.Pos})
		}
	}
	_, merrs := model.New(&model.Input{
		Config:       site.Config,
		Stories:      in.Stories,
		Metrics:      metrics,
		Observations: obs,
		Partners:     site.Partners,
		Governance:   site.Governance,
		Decisions:    site.Decisions,
	}, model.Options{Now: site.Now, Drafts: site.Drafts})
	var errs diag.List
	for _, l := range []diag.List{lerrs, merrs} {
		for _, e := range l {
			if want[e.Pos.File] {
				errs.Add(e)
			}
		}
	}
	fresh := map[string]*model.Story{}
	for _, st := range in.Stories {
		fresh[st.Path] = st
	}
	if errs.HasErrors() {
		errs.Sort()
		return Rebuild{}, true, errs.Err()
	}
	if site.Config.AllowRemoteImages {
		for _, st := range in.Stories {
			if hasRemoteImages(site, st) {
				return Rebuild{}, false, nil // a full build downloads them
			}
		}
	}
	var edits []render.Edit
	for _, p := range paths {
		st, old := fresh[p], good.byPath[p]
		if st == nil || !sameShape(old, st, site.Drafts) || !good.media.Rebind(old, st) {
			return Rebuild{}, false, nil // removed, renamed or moved in the site
		}
		body, cerrs := good.prep.Convert(st)
		errs.Append(cerrs)
		edits = append(edits, render.Edit{Story: old, Body: body})
	}
	errs.Sort()
	if errs.HasErrors() {
		return Rebuild{}, true, errs.Err()
	}
	for i := range edits {
		e := &edits[i]
		e.Before = *e.Story
		*e.Story = *fresh[e.Story.Path]
		if e.Before.Published() != e.Story.Published() {
			setHeld(site, e.Story, !e.Story.Published())
		}
	}
	if good.prep.KitCardsDrop(edits) {
		// A story leaves the cards of a partner's kit: an incremental
		// render would leave its card files behind.
		s.good = nil
		return Rebuild{}, false, nil
	}
	stats, err := good.prep.Update(ctx, edits, sink)
	if err != nil {
		s.good = nil // the site is changed but not rendered: start again
		return Rebuild{}, true, renderErr(err)
	}
	res.Stats = stats
	res.Warnings = append(errs.Warnings(), stats.Warnings...)
	return res, true, nil
}

// sameShape reports whether b can take a's place in the site without
// moving: same address, date, tags, kind and spotlight, and shown as it
// was. A story may go from public to preview and back in a --drafts build,
// unless it is a spotlight (the spotlight rotation would change). ROI
// stories make the impact page and its place in the navigation: they
// always rebuild the site.
func sameShape(a, b *model.Story, drafts bool) bool {
	if a.Slug != b.Slug || a.Section != b.Section || !a.Date.Equal(b.Date) || !slices.Equal(a.Tags, b.Tags) ||
		a.Kind != b.Kind || a.Spotlight != b.Spotlight || a.Kind == model.KindROI {
		return false
	}
	if a.Published() != b.Published() {
		return drafts && a.Kind != model.KindSpotlight
	}
	return true
}

// setHeld adds st to the site's held stories, or takes it out, keeping
// the order model.New gives them (newest first, then by slug).
func setHeld(site *model.Site, st *model.Story, held bool) {
	site.Held = slices.DeleteFunc(site.Held, func(h *model.Story) bool { return h == st })
	if !held {
		return
	}
	i := sort.Search(len(site.Held), func(i int) bool {
		h := site.Held[i]
		if !h.Date.Equal(st.Date) {
			return h.Date.Before(st.Date)
		}
		return h.Slug >= st.Slug
	})
	site.Held = slices.Insert(site.Held, i, st)
}

// onlyFS shows the named files of an fs.FS, the folders given whole
// (trees) and the folders on their way, and nothing else, so that load.Dir
// reads just those files.
type onlyFS struct {
	fsys  fs.FS
	files map[string]bool
	dirs  map[string][]string // folder → the names shown in it
	trees []string            // folders shown with all they hold
}

func newOnlyFS(fsys fs.FS, files []string, trees ...string) *onlyFS {
	o := &onlyFS{fsys: fsys, files: map[string]bool{}, dirs: map[string][]string{".": nil}, trees: trees}
	for _, f := range append(slices.Clone(files), trees...) {
		if !slices.Contains(trees, f) {
			o.files[f] = true
		}
		for child := f; child != "."; child = path.Dir(child) {
			dir, base := path.Dir(child), path.Base(child)
			if !slices.Contains(o.dirs[dir], base) {
				o.dirs[dir] = append(o.dirs[dir], base)
			}
		}
	}
	for _, names := range o.dirs {
		sort.Strings(names)
	}
	return o
}

func (o *onlyFS) shown(name string) bool {
	_, dir := o.dirs[name]
	return dir || o.files[name] || o.inTree(name)
}

// inTree reports whether name is one of the trees or inside one.
func (o *onlyFS) inTree(name string) bool {
	for _, t := range o.trees {
		if name == t || strings.HasPrefix(name, t+"/") {
			return true
		}
	}
	return false
}

func notExist(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}

func (o *onlyFS) Open(name string) (fs.File, error) {
	if !o.shown(name) {
		return nil, notExist("open", name)
	}
	return o.fsys.Open(name)
}

func (o *onlyFS) Stat(name string) (fs.FileInfo, error) {
	if !o.shown(name) {
		return nil, notExist("stat", name)
	}
	return fs.Stat(o.fsys, name)
}

func (o *onlyFS) Lstat(name string) (fs.FileInfo, error) {
	if !o.shown(name) {
		return nil, notExist("lstat", name)
	}
	return fs.Lstat(o.fsys, name)
}

func (o *onlyFS) ReadLink(name string) (string, error) {
	if !o.shown(name) {
		return "", notExist("readlink", name)
	}
	return fs.ReadLink(o.fsys, name)
}

// ReadDir lists the shown names that exist, without listing the folder
// (unless it is in a tree).
func (o *onlyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if o.inTree(name) {
		return fs.ReadDir(o.fsys, name)
	}
	names, ok := o.dirs[name]
	if !ok {
		return nil, notExist("readdir", name)
	}
	var out []fs.DirEntry
	for _, n := range names {
		fi, err := fs.Lstat(o.fsys, path.Join(name, n))
		if err != nil {
			continue
		}
		out = append(out, fs.FileInfoToDirEntry(fi))
	}
	return out, nil
}

var (
	_ fs.ReadDirFS  = (*onlyFS)(nil)
	_ fs.StatFS     = (*onlyFS)(nil)
	_ fs.ReadLinkFS = (*onlyFS)(nil)
)
