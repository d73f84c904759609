// Package generator builds a drumbeat site: Build runs the pipeline
// load → model → render → write, and Check runs it without writing.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/fetch"
	"github.com/drumbeat/drumbeat/generator/images"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/media"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/write"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// Version is drumbeat's version, set by the linker for releases.
var Version = "0.1.0-dev"

// Options are the choices of one build or check.
type Options struct {
	Source  string // the site folder
	Output  string // the output folder; <Source>/public when empty
	BaseURL string // overrides site.yaml's base_url when set
	Drafts  bool   // show drafts and held stories, marked as previews
	// StrictFigures makes Check report numbers typed next to a metric's
	// words as errors instead of warnings (check --strict-figures).
	StrictFigures bool
	Now           time.Time // the moment that decides what is published; Day(y, m, d) for the end of a day in the site's zone; zero for now
	NoMinify      bool
	// Wait is how long Build waits for another build of the same output
	// to end; when zero, a build of an output another build is writing
	// fails at once with a *write.BusyError naming that build.
	Wait time.Duration
	// CacheDir holds processed images between builds (safe to delete);
	// when empty, $DRUMBEAT_CACHE_DIR, else <Source>/.drumbeat-cache.
	CacheDir string
	// GC makes Build remove, once it has ended well, every entry of the
	// image cache it did not use (build --gc). Without it, a build that
	// ends well removes those unused for cache.max_age in site.yaml
	// (images.MaxAge when left out), looking at most once a day.
	GC bool

	remoteLoopbackOK bool // tests: remote images may come from 127.0.0.1
}

// Result describes a finished build or check.
type Result struct {
	Site     *model.Site
	Stats    render.Stats
	Warnings diag.List
	Duration time.Duration
	// ImagesMade counts the photos decoded and the files drawn for them
	// (social cards, logos) by this build: 0 when the cache held them all.
	ImagesMade int64
	// Cache says what the build removed from the image cache and kept
	// (Swept is false when it did not look: see Options.GC).
	Cache images.PruneStats
	// Output says how many files of the output the build wrote, left
	// unchanged (same bytes, inode and modification time) and removed.
	Output write.Counts
	// Sources is what Check knows of the sources drumbeat fetch
	// downloads: when each was fetched (never by a build).
	Sources []fetch.Status
}

// Summary is the one-line report of a build.
func (r Result) Summary() string {
	s := r.Site
	kits := "partner share kits"
	if r.Stats.Kits == 1 {
		kits = "partner share kit"
	}
	out := fmt.Sprintf("built %d pages (%d stories, %d partners, %d metrics, %d %s) in %s",
		r.Stats.Pages, len(s.Stories), len(s.Partners), len(s.Metrics), r.Stats.Kits, kits, r.Duration.Round(time.Millisecond))
	if c := r.Output; c != (write.Counts{}) {
		files := "files"
		if c.Written == 1 {
			files = "file"
		}
		out += fmt.Sprintf("; wrote %d %s, %d unchanged, %d removed", c.Written, files, c.Unchanged, c.Removed)
	}
	if r.ImagesMade > 0 {
		out += fmt.Sprintf("; processed %d images (the others came from the image cache)", r.ImagesMade)
	}
	return out
}

func (o *Options) defaults() {
	if o.Source == "" {
		o.Source = "."
	}
	if o.Output == "" {
		o.Output = filepath.Join(o.Source, "public")
	}
	if o.Now.IsZero() {
		// To the minute: embargoes are honoured to the minute, and a
		// session rebuilds everything only when the minute changes.
		o.Now = time.Now().UTC().Truncate(time.Minute)
	}
	if o.CacheDir == "" {
		o.CacheDir = os.Getenv("DRUMBEAT_CACHE_DIR")
	}
	if o.CacheDir == "" {
		o.CacheDir = filepath.Join(o.Source, ".drumbeat-cache")
	}
}

// Day returns the date y-m-d as an Options.Now: the end of that day in the
// site's time zone, which is what --now YYYY-MM-DD means.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, model.DateOnly)
}

// Load reads and checks the site. The list holds every problem found; the
// site is nil only when the site folder cannot be read at all.
func Load(opt Options) (*model.Site, diag.List) {
	return loadSite(context.Background(), opt, nil)
}

// loadSite is Load, stopped early when ctx is done: files are no longer
// read, and the site returned is nil. The digests of the stories' photos
// (which their approval fingerprints cover) come from memo when it is not
// nil: the image cache's stat memo, so that an unchanged photo is not read.
func loadSite(ctx context.Context, opt Options, memo *images.Memo) (*model.Site, diag.List) {
	opt.defaults()
	fi, err := os.Stat(opt.Source)
	if err != nil || !fi.IsDir() {
		return nil, diag.List{diag.Errorf(diag.Pos{File: opt.Source}, "the site folder does not exist or is not a folder").
			WithHint("pass the site folder with -s DIR")}
	}
	// load.Dir refuses links anywhere on a path and says where they are.
	var fsys fs.FS = ctxFS{ctx, os.DirFS(opt.Source).(readLinkFS)}
	if memo != nil {
		fsys = memoFS{fsys.(ctxFS), memo}
	}
	in, errs := load.Dir(fsys)
	if ctx.Err() != nil {
		return nil, errs
	}
	if opt.BaseURL != "" {
		// The same rule as base_url in site.yaml: the address reaches
		// og:image, JSON-LD and every feed.
		if load.ValidBaseURL(opt.BaseURL) {
			in.Config.BaseURL = opt.BaseURL
		} else {
			errs.Errorf(diag.Pos{File: "--base-url"}, "%q is not an absolute http(s) URL", opt.BaseURL).WithHint(load.BaseURLHint)
		}
	}
	if in.Config.BaseURL != "" && !strings.HasSuffix(in.Config.BaseURL, "/") {
		in.Config.BaseURL += "/"
	}
	// Checking a large site takes a while and cannot be stopped midway:
	// a cancelled build returns at once and leaves it to finish unseen.
	type checked struct {
		site *model.Site
		errs diag.List
	}
	done := make(chan checked, 1)
	go func() {
		site, errs := model.New(in, model.Options{Now: opt.Now, Drafts: opt.Drafts})
		done <- checked{site, errs}
	}()
	select {
	case c := <-done:
		errs.Append(c.errs)
		errs.Sort()
		return c.site, errs
	case <-ctx.Done():
		return nil, errs
	}
}

// readLinkFS is what os.DirFS offers and load uses: links are refused
// with Lstat.
type readLinkFS interface {
	fs.ReadFileFS
	fs.ReadDirFS
	fs.StatFS
	fs.ReadLinkFS
}

// ctxFS is a file system that fails every call once ctx is done, so that
// Ctrl-C stops the loading of a large site between two files.
type ctxFS struct {
	ctx  context.Context
	fsys readLinkFS
}

func (c ctxFS) stopped(op, name string) error {
	if err := c.ctx.Err(); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

func (c ctxFS) Open(name string) (fs.File, error) {
	if err := c.stopped("open", name); err != nil {
		return nil, err
	}
	f, err := c.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return ctxFile{f, c.ctx}, nil
}

// ctxFile stops a long read (a large CSV file is streamed) once ctx is
// done.
type ctxFile struct {
	fs.File
	ctx context.Context
}

func (f ctxFile) Read(b []byte) (int, error) {
	if err := f.ctx.Err(); err != nil {
		return 0, err
	}
	return f.File.Read(b)
}

func (f ctxFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if err := f.ctx.Err(); err != nil {
		return nil, err
	}
	if d, ok := f.File.(fs.ReadDirFile); ok {
		return d.ReadDir(n)
	}
	return nil, &fs.PathError{Op: "readdir", Err: errors.ErrUnsupported}
}

func (c ctxFS) ReadFile(name string) ([]byte, error) {
	if err := c.stopped("read", name); err != nil {
		return nil, err
	}
	return c.fsys.ReadFile(name)
}

func (c ctxFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := c.stopped("readdir", name); err != nil {
		return nil, err
	}
	return c.fsys.ReadDir(name)
}

func (c ctxFS) Stat(name string) (fs.FileInfo, error) {
	if err := c.stopped("stat", name); err != nil {
		return nil, err
	}
	return c.fsys.Stat(name)
}

func (c ctxFS) Lstat(name string) (fs.FileInfo, error) {
	if err := c.stopped("lstat", name); err != nil {
		return nil, err
	}
	return c.fsys.Lstat(name)
}

func (c ctxFS) ReadLink(name string) (string, error) {
	if err := c.stopped("readlink", name); err != nil {
		return "", err
	}
	return c.fsys.ReadLink(name)
}

var _ readLinkFS = ctxFS{}

// memoFS is ctxFS with the image cache's stat memo, from which the loader
// takes the digests of photos (load.DigestFS).
type memoFS struct {
	ctxFS
	memo *images.Memo
}

func (m memoFS) Digest(name string) (string, error) { return m.memo.Digest(m.ctxFS, name) }

var _ load.DigestFS = memoFS{}

// openMemo opens the stat memo of the image cache in opt.CacheDir, shared
// by the loader and the image stage of one build.
func openMemo(opt Options) *images.Memo {
	opt.defaults()
	return images.OpenMemo(filepath.Join(opt.CacheDir, "images"))
}

// Build loads, checks and renders the site, and swaps the new output in
// only when everything succeeded. On input problems the error is a
// diag.List and the previous output is untouched.
func Build(ctx context.Context, opt Options) (Result, error) {
	start := time.Now()
	if opt.Drafts && opt.Output == "" {
		// The public output is where the published site comes from.
		opt.defaults()
		return Result{}, fmt.Errorf("a --drafts build shows drafts and held stories, so it is not written to the site's public output folder %s; "+
			"pass a folder for the preview, such as -o preview/", opt.Output+string(filepath.Separator))
	}
	opt.defaults()
	if err := checkOutput(opt); err != nil {
		return Result{}, err
	}
	memo := openMemo(opt)
	site, errs := loadSite(ctx, opt, memo)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := Result{Site: site, Warnings: errs.Warnings()}
	if errs.HasErrors() {
		return res, errs.Err()
	}
	theme, err := loadTheme(opt.Source, site.Config.Language, !opt.NoMinify)
	if err != nil {
		return res, err
	}
	res.Warnings = append(res.Warnings, theme.Warnings()...)
	// Pages come out of minified layouts; the writer minifies CSS, JS, SVG
	// and XML.
	out, err := write.New(opt.Output, write.Options{Minify: !opt.NoMinify, KeepHTML: true, Wait: opt.Wait, Stop: ctx.Done()})
	if err != nil {
		return res, fmt.Errorf("write: %w", err)
	}
	if site.Config.AllowRemoteImages {
		if l := fetchRemoteImages(ctx, site, newRemoteFetcher(opt.remoteLoopbackOK), out); l.HasErrors() {
			out.Abort()
			return res, l.Err()
		}
	}
	set, merrs := pictures(ctx, opt, site, false, memo)
	if err := ctx.Err(); err != nil {
		// Stopped while the photos were processed.
		out.Abort()
		return res, err
	}
	res.Warnings = append(res.Warnings, merrs.Warnings()...)
	if merrs.HasErrors() {
		out.Abort()
		return res, merrs.Err()
	}
	defer set.Processor().Close()
	// Rendering looks at ctx between pages, but not while it converts
	// every story's Markdown first: a cancelled build returns at once, and
	// the temporary folder and the lock go when the renderer has stopped.
	type rendered struct {
		stats render.Stats
		err   error
	}
	done := make(chan rendered, 1)
	go func() {
		stats, err := render.All(ctx, site, render.Options{Theme: theme, Version: Version, Media: set,
			NoSearch: os.Getenv("DRUMBEAT_NO_SEARCH") != ""}, out)
		done <- rendered{stats, err}
	}()
	var r rendered
	select {
	case r = <-done:
	case <-ctx.Done():
		go func() {
			<-done
			out.Abort()
		}()
		return res, ctx.Err()
	}
	stats, err := r.stats, r.err
	if err != nil {
		out.Abort()
		if diag.AsList(err) != nil {
			return res, err
		}
		return res, fmt.Errorf("render: %w", err)
	}
	if err := ctx.Err(); err != nil {
		out.Abort()
		return res, err
	}
	if err := out.Commit(); err != nil {
		return res, fmt.Errorf("write: %w", err)
	}
	res.Stats = stats
	res.Stats.Files = out.Count()
	res.Output = out.Counts()
	if p := set.Processor(); p != nil {
		res.ImagesMade = p.Made()
		// Only now, the build having ended well: a failed build may have
		// stopped before using entries the next one needs.
		maxAge := images.MaxAge
		if d := site.Config.Cache.Days; d > 0 {
			maxAge = time.Duration(d) * 24 * time.Hour
		}
		cs, err := p.Prune(opt.GC, maxAge)
		res.Cache = cs
		if err != nil {
			res.Warnings = append(res.Warnings, diag.Warnf(diag.Pos{File: opt.CacheDir}, "could not remove every unused file of the image cache: %v", err).WithHint("check the cache folder's permissions; it only holds copies and may be deleted"))
		}
	}
	res.Warnings = append(res.Warnings, stats.Warnings...)
	res.Duration = time.Since(start)
	return res, nil
}

// Check loads, checks and renders the site without writing anything, and
// returns every problem found, errors and warnings.
func Check(ctx context.Context, opt Options) (Result, diag.List) {
	start := time.Now()
	opt.defaults()
	memo := openMemo(opt)
	site, errs := loadSite(ctx, opt, memo)
	res := Result{Site: site}
	if err := ctx.Err(); err != nil {
		errs.Append(asList(err))
		return Result{}, errs
	}
	if site == nil {
		return res, errs
	}
	if !errs.HasErrors() {
		theme, err := loadTheme(opt.Source, site.Config.Language, false)
		if err == nil {
			errs.Append(theme.Warnings())
		}
		if err != nil {
			errs.Append(asList(err))
		} else if set, merrs := pictures(ctx, opt, site, true, memo); merrs.HasErrors() {
			errs.Append(merrs)
		} else if stats, err := render.All(ctx, site, render.Options{Theme: theme, Version: Version, Media: set}, discard{}); err != nil {
			set.Processor().Close()
			errs.Append(merrs)
			errs.Append(asList(err))
		} else {
			set.Processor().Close()
			errs.Append(merrs)
			res.Stats = stats
			errs.Append(stats.Warnings)
		}
	}
	errs.Append(model.Health(site))
	errs.Append(typedFigures(site, opt.StrictFigures || site.Config.Check.StrictFigures))
	sources, serrs := fetch.Check(os.DirFS(opt.Source), site.Config.Sources, opt.Now)
	res.Sources = sources
	errs.Append(serrs)
	errs.Sort()
	res.Warnings = errs.Warnings()
	res.Duration = time.Since(start)
	return res, errs
}

func asList(err error) diag.List {
	if l := diag.AsList(err); l != nil {
		return l
	}
	return diag.List{diag.Errorf(diag.Pos{}, "%v", err)}
}

func loadTheme(source, lang string, minify bool) (*render.Theme, error) {
	// The theme keeps the site's file system to copy static files while
	// rendering; the os.Root is closed when it is collected.
	fsys, _, err := siteFS(source)
	if err != nil {
		return nil, err
	}
	return render.LoadTheme(defaulttheme.FS, defaulttheme.Name, fsys, lang, render.Funcs(), minify)
}

// siteFS opens the site folder as a file system that cannot be left: links
// that point outside it fail to open (os.Root).
func siteFS(source string) (fs.FS, func(), error) {
	root, err := os.OpenRoot(source)
	if err != nil {
		return nil, nil, err
	}
	return root.FS(), func() { root.Close() }, nil
}

// checkOutput refuses output folders that would overwrite the sources.
// Links are followed first: an output reached through a linked folder is
// where the link leads.
func checkOutput(opt Options) error {
	src, err1 := realPath(opt.Source)
	out, err2 := realPath(opt.Output)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	via := ""
	if abs, err := filepath.Abs(opt.Output); err == nil && abs != out {
		via = " (through a link, it is " + out + ")"
	}
	if out == src || strings.HasPrefix(src+string(filepath.Separator), out+string(filepath.Separator)) {
		return fmt.Errorf("the output folder %s%s would replace the site's own files; choose another with -o", opt.Output, via)
	}
	for _, dir := range []string{"content", "data", "static", "layouts"} {
		d := filepath.Join(src, dir)
		if out == d || strings.HasPrefix(out, d+string(filepath.Separator)) {
			return fmt.Errorf("the output folder %s%s is inside the site's %s/ folder; choose another with -o", opt.Output, via, dir)
		}
	}
	return nil
}

// realPath returns the absolute path of p with every link resolved: the
// longest part of it that exists is resolved, and the rest, which does
// not exist yet, is added back.
func realPath(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest), nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// discard is a render.Sink that keeps nothing, for check.
type discard struct{}

func (discard) File(string, []byte) error        { return nil }
func (discard) Copy(string, fs.FS, string) error { return nil }

var _ render.Sink = discard{}
var _ render.BytesReused = (*write.Dir)(nil)
var _ sync.Locker = (*sync.Mutex)(nil)

// pictures runs the image stage (generator/media) on the stories and pages
// the build shows; a check (all) looks at the held ones too, so that a
// broken photo is found before its embargo lifts. Processed images are
// kept in opt.CacheDir, with the stat memo the loader used (nil: opened
// here).
func pictures(ctx context.Context, opt Options, site *model.Site, all bool, memo *images.Memo) (*media.Set, diag.List) {
	opt.defaults()
	dir := opt.CacheDir
	proc, err := images.NewProcessorMemo(filepath.Join(dir, "images"), media.LimitsFor(site.Config.Images), memo)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: dir}, "cannot use the image cache folder: %v", err).
			WithHint("choose another with --cache-dir or DRUMBEAT_CACHE_DIR, or remove it: it only holds copies")}
	}
	stories := append(append([]*model.Story(nil), site.Stories...), site.Pages...)
	if all {
		stories = append(append(stories, site.Held...), site.HeldPages...)
	}
	fsys := ctxFS{ctx, os.DirFS(opt.Source).(readLinkFS)}
	mopt := media.OptionsFor(site.Config.Images)
	mopt.Mark = site.Config.Logo
	set, errs := media.Build(ctx, fsys, proc, stories, site.Partners, mopt)
	if !all {
		set.Hold(append(append([]*model.Story(nil), site.Held...), site.HeldPages...), stories)
	}
	return set, errs
}
