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
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/render"
	"github.com/drumbeat/drumbeat/generator/write"
	defaulttheme "github.com/drumbeat/drumbeat/themes/default"
)

// Version is drumbeat's version, set by the linker for releases.
var Version = "0.1.0-dev"

// Options are the choices of one build or check.
type Options struct {
	Source   string    // the site folder
	Output   string    // the output folder; <Source>/public when empty
	BaseURL  string    // overrides site.yaml's base_url when set
	Drafts   bool      // show drafts and held stories, marked as previews
	Now      time.Time // the day that decides what is published
	NoMinify bool

	remoteLoopbackOK bool // tests: remote images may come from 127.0.0.1
}

// Result describes a finished build or check.
type Result struct {
	Site     *model.Site
	Stats    render.Stats
	Warnings diag.List
	Duration time.Duration
}

// Summary is the one-line report of a build.
func (r Result) Summary() string {
	s := r.Site
	return fmt.Sprintf("built %d pages (%d stories, %d partners, %d metrics) in %s",
		r.Stats.Pages, len(s.Stories), len(s.Partners), len(s.Metrics), r.Duration.Round(time.Millisecond))
}

func (o *Options) defaults() {
	if o.Source == "" {
		o.Source = "."
	}
	if o.Output == "" {
		o.Output = filepath.Join(o.Source, "public")
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	o.Now = time.Date(o.Now.Year(), o.Now.Month(), o.Now.Day(), 23, 59, 59, 0, time.UTC)
}

// Load reads and checks the site. The list holds every problem found; the
// site is nil only when the site folder cannot be read at all.
func Load(opt Options) (*model.Site, diag.List) {
	opt.defaults()
	fi, err := os.Stat(opt.Source)
	if err != nil || !fi.IsDir() {
		return nil, diag.List{diag.Errorf(diag.Pos{File: opt.Source}, "the site folder does not exist or is not a folder").
			WithHint("pass the site folder with -s DIR")}
	}
	// load.Dir refuses links anywhere on a path and says where they are.
	in, errs := load.Dir(os.DirFS(opt.Source))
	if opt.BaseURL != "" {
		in.Config.BaseURL = opt.BaseURL
	}
	if in.Config.BaseURL != "" && !strings.HasSuffix(in.Config.BaseURL, "/") {
		in.Config.BaseURL += "/"
	}
	site, merrs := model.New(in, model.Options{Now: opt.Now, Drafts: opt.Drafts})
	errs.Append(merrs)
	errs.Sort()
	return site, errs
}

// Build loads, checks and renders the site, and swaps the new output in
// only when everything succeeded. On input problems the error is a
// diag.List and the previous output is untouched.
func Build(ctx context.Context, opt Options) (Result, error) {
	start := time.Now()
	opt.defaults()
	if err := checkOutput(opt); err != nil {
		return Result{}, err
	}
	site, errs := Load(opt)
	res := Result{Site: site, Warnings: errs.Warnings()}
	if errs.HasErrors() {
		return res, errs.Err()
	}
	theme, err := loadTheme(opt.Source, !opt.NoMinify)
	if err != nil {
		return res, err
	}
	// Pages come out of minified layouts; the writer minifies CSS, JS, SVG
	// and XML.
	out, err := write.New(opt.Output, write.Options{Minify: !opt.NoMinify, KeepHTML: true})
	if err != nil {
		return res, fmt.Errorf("write: %w", err)
	}
	if site.Config.AllowRemoteImages {
		if l := fetchRemoteImages(ctx, site, newRemoteFetcher(opt.remoteLoopbackOK), out); l.HasErrors() {
			out.Abort()
			return res, l.Err()
		}
	}
	stats, err := render.All(ctx, site, render.Options{Theme: theme, Version: Version}, out)
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
	res.Warnings = append(res.Warnings, stats.Warnings...)
	res.Duration = time.Since(start)
	return res, nil
}

// Check loads, checks and renders the site without writing anything, and
// returns every problem found, errors and warnings.
func Check(ctx context.Context, opt Options) (Result, diag.List) {
	start := time.Now()
	opt.defaults()
	site, errs := Load(opt)
	res := Result{Site: site}
	if site == nil {
		return res, errs
	}
	if !errs.HasErrors() {
		theme, err := loadTheme(opt.Source, false)
		if err != nil {
			errs.Append(asList(err))
		} else if stats, err := render.All(ctx, site, render.Options{Theme: theme, Version: Version}, discard{}); err != nil {
			errs.Append(asList(err))
		} else {
			res.Stats = stats
			errs.Append(stats.Warnings)
		}
	}
	errs.Append(model.Health(site))
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

func loadTheme(source string, minify bool) (*render.Theme, error) {
	// The theme keeps the site's file system to copy static files while
	// rendering; the os.Root is closed when it is collected.
	fsys, _, err := siteFS(source)
	if err != nil {
		return nil, err
	}
	return render.LoadTheme(defaulttheme.FS, defaulttheme.Name, fsys, render.Funcs(), minify)
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
func checkOutput(opt Options) error {
	src, err1 := filepath.Abs(opt.Source)
	out, err2 := filepath.Abs(opt.Output)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if out == src || strings.HasPrefix(src+string(filepath.Separator), out+string(filepath.Separator)) {
		return fmt.Errorf("the output folder %s would replace the site's own files; choose another with -o", opt.Output)
	}
	for _, dir := range []string{"content", "data", "static", "layouts"} {
		d := filepath.Join(src, dir)
		if out == d || strings.HasPrefix(out, d+string(filepath.Separator)) {
			return fmt.Errorf("the output folder %s is inside the site's %s/ folder; choose another with -o", opt.Output, dir)
		}
	}
	return nil
}

// discard is a render.Sink that keeps nothing, for check.
type discard struct{}

func (discard) File(string, []byte) error        { return nil }
func (discard) Copy(string, fs.FS, string) error { return nil }

var _ render.Sink = discard{}
var _ render.Sink = (*write.Dir)(nil)
var _ sync.Locker = (*sync.Mutex)(nil)
