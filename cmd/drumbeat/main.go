// Command drumbeat builds a partnership's microsite from its stories,
// metric data and governance files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/scaffold"
	"github.com/drumbeat/drumbeat/generator/write"
)

// Exit codes.
const (
	exitOK    = 0
	exitInput = 1 // problems in the site's files, or the build failed
	exitUsage = 2
)

func main() {
	// The garbage collector runs at Go's default (GOGC=100), or as GOGC
	// says. GOGC=200 (the default until 7 December 2026) took a quarter to
	// a third more peak memory and, measured again in paired runs, no less
	// processor time (#21).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// DRUMBEAT_CPUPROFILE=FILE writes a CPU profile of the command, for
	// `go tool pprof` (a developer's tool, documented under Performance).
	if name := os.Getenv("DRUMBEAT_CPUPROFILE"); name != "" {
		if f, err := os.Create(name); err == nil {
			pprof.StartCPUProfile(f) // stopped by exit
		}
	}
	// DRUMBEAT_MEMPROFILE=FILE writes a heap profile taken when the live
	// heap was largest (after a garbage collection), for
	// `go tool pprof -sample_index=inuse_space` (documented under Performance).
	if name := os.Getenv("DRUMBEAT_MEMPROFILE"); name != "" {
		go peakHeapProfile(name)
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	exit(code)
}

// exit ends the program with code, the CPU profile (if any) written.
func exit(code int) {
	pprof.StopCPUProfile()
	os.Exit(code)
}

const usage = `drumbeat turns a partnership's stories, metric data and governance files
into a static microsite.

Usage:
  drumbeat build   [flags]   build the site into public/ (or -o DIR)
  drumbeat check   [flags]   report every problem in the site's files; write nothing
  drumbeat serve   [flags]   preview the site on http://127.0.0.1:1313/, rebuilding on every change
  drumbeat approve STORY --partner ID --by NAME
                             record a partner's approval of a story's current text
  drumbeat briefing --pdf FILE [flags]
                             print the executive briefing to a PDF (needs Chromium)
  drumbeat newsletter send YYYY-MM (--list FILE | --to ADDRESS[,ADDRESS]) [--dry-run]
                             send a newsletter issue by SMTP, one message to each address
  drumbeat newsletter export YYYY-MM --for listmonk|mailchimp|plain -o DIR
                             write an issue for a list manager, with its tags
  drumbeat fetch [--only NAME] [--timeout 60s]
                             download the data sources named in site.yaml into data/
  drumbeat deploy [--target NAME] [--dry-run] [--force] [--max-deletes N]
                             upload the built site to a bucket named in site.yaml (S3, GCS, Azure)
  drumbeat new DIR [--no-ci] create a small working site in DIR, with CI recipes
  drumbeat version           print the version

Run 'drumbeat COMMAND --help' for a command's flags.
`

// run is the whole program, callable from tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(ctx, rest, stdout, stderr)
	case "check":
		return cmdCheck(ctx, rest, stdout, stderr)
	case "new":
		return cmdNew(rest, stdout, stderr)
	case "approve":
		return cmdApprove(rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "newsletter":
		return cmdNewsletter(ctx, rest, stdout, stderr)
	case "briefing":
		return cmdBriefing(ctx, rest, stdout, stderr)
	case "deploy":
		return cmdDeploy(ctx, rest, stdout, stderr)
	case "fetch":
		return cmdFetch(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "drumbeat %s\n", generator.Version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "drumbeat: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// siteFlags are the flags shared by the commands that build or check.
type siteFlags struct {
	source, out, baseURL, now, cacheDir string
	drafts                              bool
}

func (f *siteFlags) register(fs *flag.FlagSet, withOut bool) {
	f.registerSite(fs)
	if withOut {
		fs.StringVar(&f.out, "o", "", "the output folder (default <source>/public)")
		fs.StringVar(&f.out, "out", "", "the output folder (default <source>/public)")
	}
	fs.BoolVar(&f.drafts, "drafts", false, "include drafts and held stories, marked as previews (never for the public site)")
}

// registerSite adds the flags that say which site, at which address and
// moment: every command that reads a site has them.
func (f *siteFlags) registerSite(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "s", ".", "the site folder")
	fs.StringVar(&f.source, "source", ".", "the site folder")
	fs.StringVar(&f.baseURL, "base-url", "", "the site's absolute address, overriding base_url in site.yaml")
	fs.StringVar(&f.cacheDir, "cache-dir", "", "the folder that keeps processed images between builds, safe to delete (default $DRUMBEAT_CACHE_DIR, else <source>/.drumbeat-cache)")
	fs.StringVar(&f.now, "now", "", "the moment that decides what is published: YYYY-MM-DD (the end of that day in the site's time zone), YYYY-MM-DDTHH:MM (in the site's zone) or RFC 3339 (default now, or SOURCE_DATE_EPOCH)")
}

func (f *siteFlags) options() (generator.Options, error) {
	opt := generator.Options{Source: f.source, Output: f.out, BaseURL: f.baseURL, Drafts: f.drafts, CacheDir: f.cacheDir}
	now, err := parseNow(f.now, os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return opt, err
	}
	opt.Now = now
	return opt, nil
}

// parseNow reads --now, else SOURCE_DATE_EPOCH (a moment), else takes the
// current minute. A date alone is the end of that
// day in the site's time zone, a date and time without a zone is read in
// that zone, and RFC 3339 is that moment.
func parseNow(flagValue, epoch string) (time.Time, error) {
	if flagValue != "" {
		t, ok := load.ParseTime(flagValue)
		if !ok {
			return time.Time{}, fmt.Errorf("--now %q is not a date like 2026-11-27, a time like 2026-11-27T07:30 (in the site's time zone) or 2026-11-27T07:30:00-08:00", flagValue)
		}
		return t, nil
	}
	if epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", epoch)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Minute), nil
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags (-x and --x are the same):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseErrCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// parse parses flags; it returns -1 to go on, or an exit code.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "drumbeat %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage
	}
	return -1
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	fs := newFlagSet("build", "drumbeat build [flags]: build the site. Nothing is written when the site has problems; the previous output stays as it was.", stderr)
	f.register(fs, true)
	wait := fs.Duration("wait", 0, "when another build is writing the same output, wait up to this long for it to end (such as 2m) instead of stopping at once")
	gc := fs.Bool("gc", false, "after a build that ends well, remove the image cache's files this build did not use (a later --drafts build or serve makes again what it needs)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat build: %v\n", err)
		return exitUsage
	}
	opt.Wait = *wait
	opt.GC = *gc
	stopProgress := progress(stderr)
	res, err := generator.Build(ctx, opt)
	stopProgress()
	printWarnings(stderr, res.Warnings)
	if err != nil {
		if l := diag.AsList(err); l != nil {
			printList(stderr, l)
			fmt.Fprintf(stderr, "build stopped: %s; nothing was written\n", countProblems(l))
			return exitInput
		}
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "drumbeat build: stopped; the previous output is as it was")
			return exitInput
		}
		fmt.Fprintf(stderr, "drumbeat build: %v\n", err)
		if errors.As(err, new(*write.BusyError)) {
			fmt.Fprintln(stderr, "nothing was written; run the build again when the other one has ended, or pass --wait 2m to wait for it")
		}
		return exitInput
	}
	fmt.Fprintln(stdout, res.Summary())
	if opt.GC || res.Cache.Removed > 0 {
		fmt.Fprintln(stdout, res.Cache)
	}
	return exitOK
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f siteFlags
	fs := newFlagSet("check", "drumbeat check [flags]: report every problem in the site's files, and what is held back from publication. Writes nothing.", stderr)
	f.register(fs, false)
	strict := fs.Bool("strict-figures", false, "report numbers typed next to a metric's words as errors, not warnings (for sites that want every figure live)")
	asJSON := fs.Bool("json", false, "print the facts as JSON on stdout (next embargo lift, next newsletter, held stories and why, problems), for CI and schedulers")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	opt, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat check: %v\n", err)
		return exitUsage
	}
	opt.StrictFigures = *strict
	res, list := generator.Check(ctx, opt)
	if *asJSON {
		if err := writeReport(stdout, report(res, list)); err != nil {
			fmt.Fprintf(stderr, "drumbeat check: %v\n", err)
			return exitInput
		}
		if list.HasErrors() {
			return exitInput
		}
		return exitOK
	}
	printList(stdout, list)
	if res.Site != nil && !list.HasErrors() {
		if kits := generator.Kits(res.Site); len(kits) > 0 {
			fmt.Fprintf(stdout, "partner share kits (send each partner the address of its own):\n")
			for _, k := range kits {
				fmt.Fprintf(stdout, "  %s: %s\n", k.Partner.ID, k.URL)
			}
		}
	}
	if res.Site != nil {
		if next := res.Site.NextLift(); !next.IsZero() {
			fmt.Fprintf(stdout, "next embargo lifts on %s: rebuild then to publish what it holds\n", res.Site.Moment(next))
		}
	}
	printSources(stdout, res.Sources)
	if list.HasErrors() {
		fmt.Fprintf(stdout, "%s\n", countProblems(list))
		return exitInput
	}
	fmt.Fprintf(stdout, "ok: %s\n", countProblems(list))
	return exitOK
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", "drumbeat new DIR [--no-ci]: create a small working site in DIR (which must not exist or be empty), "+
		"with CI recipes that build and publish it on every push and every hour: .github/workflows/drumbeat.yml (GitHub Pages) and .gitlab-ci.yml (GitLab Pages).", stderr)
	noCI := fs.Bool("no-ci", false, "do not write the CI recipes")
	// Flags may come before or after DIR.
	if err := fs.Parse(args); err != nil {
		return parseErrCode(err)
	}
	var dirs []string
	for fs.NArg() > 0 {
		dirs = append(dirs, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return parseErrCode(err)
		}
	}
	if len(dirs) != 1 {
		fs.Usage()
		return exitUsage
	}
	dir := dirs[0]
	if err := scaffold.WriteWith(dir, scaffold.Options{CI: !*noCI, Version: generator.Version}); err != nil {
		fmt.Fprintf(stderr, "drumbeat new: %v\n", err)
		return exitInput
	}
	fmt.Fprintf(stdout, "created a new site in %s\nnext: cd %s && drumbeat build, then open public/index.html\n", dir, dir)
	if !*noCI {
		fmt.Fprintf(stdout, "to publish it from GitHub or GitLab, push it there: .github/workflows/drumbeat.yml and .gitlab-ci.yml build it on every push and every hour (see \"Scheduled publishing\" in drumbeat's README)\n")
	}
	return exitOK
}

// maxBuildWarnings is how many warnings build prints before summing up the
// rest; check prints them all.
const maxBuildWarnings = 20

func printWarnings(w io.Writer, l diag.List) {
	for i, e := range l {
		if i == maxBuildWarnings {
			fmt.Fprintf(w, "… and %d more warnings: run drumbeat check to see them all\n", len(l)-maxBuildWarnings)
			return
		}
		fmt.Fprintln(w, e.Error())
	}
}

func printList(w io.Writer, l diag.List) {
	for _, e := range l {
		fmt.Fprintln(w, e.Error())
	}
}

func countProblems(l diag.List) string {
	e, w := len(l.Errors()), len(l.Warnings())
	parts := []string{plural(e, "error", "errors")}
	if w > 0 {
		parts = append(parts, plural(w, "warning", "warnings"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
