package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/drumbeat/drumbeat/generator"
	"github.com/drumbeat/drumbeat/generator/fetch"
	"github.com/drumbeat/drumbeat/generator/load"
)

const fetchUsage = `drumbeat fetch [--only NAME] [--timeout 60s] [--accept-header-change] [-s DIR]

Downloads the data sources named in site.yaml into data/, such as a
spreadsheet published as CSV:

  sources:
    - name: doses
      url: "https://docs.google.com/spreadsheets/d/e/…/pub?output=csv"
      file: data/observations/doses.csv
      max_age: 7d        # drumbeat check warns when older (default 30d)

Each file is replaced whole or not at all: after a timeout, an HTTP error,
a web page (a sign-in page) instead of data, a cut-off download or a
header row naming other columns, the previous file stays as it was.
What was fetched (the SHA-256 of each file, and when) is recorded in
data/sources.json; commit it with the files. drumbeat build never
downloads: it reads the files fetch last wrote.

Flags (-x and --x are the same):
`

func cmdFetch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("fetch", "", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, fetchUsage)
		fs.PrintDefaults()
	}
	var source, only string
	var accept bool
	var timeout time.Duration
	fs.StringVar(&source, "s", ".", "the site folder")
	fs.StringVar(&source, "source", ".", "the site folder")
	fs.StringVar(&only, "only", "", "fetch only the source of this name")
	fs.DurationVar(&timeout, "timeout", fetch.DefaultTimeout, "the longest one download may take, such as 30s or 2m")
	fs.BoolVar(&accept, "accept-header-change", false, "write a download whose header row names other columns than the file it replaces")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if timeout <= 0 {
		fmt.Fprintln(stderr, "drumbeat fetch: --timeout must be more than 0")
		return exitUsage
	}
	cfg, list := load.Config(os.DirFS(source))
	if list.HasErrors() {
		printList(stderr, list)
		fmt.Fprintf(stderr, "fetch stopped: %s in site.yaml; nothing was downloaded\n", countProblems(list))
		return exitInput
	}
	if len(cfg.Sources) == 0 {
		fmt.Fprintln(stderr, "drumbeat fetch: site.yaml declares no sources; add one:\n\n  sources:\n    - name: doses\n      url: \"https://…/pub?output=csv\"\n      file: data/observations/doses.csv\n\n(see docs/formats.md)")
		return exitUsage
	}
	failed := 0
	opt := fetch.Options{
		Dir: source, Sources: cfg.Sources, Only: only, Timeout: timeout, AcceptHeaderChange: accept,
		UserAgent: "drumbeat/" + generator.Version + " (data fetch)",
		Progress: func(r fetch.Result) {
			switch r.State {
			case fetch.Failed:
				failed++
				kept := r.File + " is as it was"
				if !r.HadFile {
					kept = "nothing was written"
				}
				fmt.Fprintf(stderr, "drumbeat fetch %s (%s): %s; %s\n", r.Name, redact(r.URL), r.Err.Msg, kept)
				if r.Err.Hint != "" {
					fmt.Fprintf(stderr, "  what to do: %s\n", r.Err.Hint)
				}
			case fetch.Changed:
				fmt.Fprintf(stdout, "fetched %s: %s, %s, changed (was %s)\n", r.Name, r.File, size(r.Bytes), size(r.PrevBytes))
			default:
				fmt.Fprintf(stdout, "fetched %s: %s, %s, %s\n", r.Name, r.File, size(r.Bytes), r.State)
			}
		},
	}
	res, err := fetch.Run(ctx, opt)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "drumbeat fetch: stopped; the file being downloaded is as it was")
		return exitInput
	}
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat fetch: %v\n", err)
		if len(res) == 0 && ctx.Err() == nil {
			return exitUsage
		}
		return exitInput
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "%s of %d failed; the build uses the files as they were\n", plural(failed, "source", "sources"), len(res))
		return exitInput
	}
	return exitOK
}

// printSources says, for check, when each source drumbeat fetch
// downloads was last fetched.
func printSources(w io.Writer, sources []fetch.Status) {
	for _, s := range sources {
		if !s.Recorded || !s.Exists {
			continue // warned about
		}
		age := days(s.Age) + " old"
		if s.Age < 0 {
			age = "after --now"
		}
		fmt.Fprintf(w, "source %s: %s fetched %s, %s (max_age %s)\n", s.Source.Name, s.Source.File,
			s.Entry.Fetched.UTC().Format("2006-01-02 15:04 UTC"), age, days(s.Source.Age))
	}
}

// days writes a duration in whole days, or hours below two days.
func days(d time.Duration) string {
	if d >= 48*time.Hour || d <= -48*time.Hour {
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d hours", int(d/time.Hour))
}
