package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/drumbeat/drumbeat/generator/deploy"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

const deployUsage = `drumbeat deploy [--target NAME] [--dry-run] [--force] [--max-deletes N] [-s DIR] [-o DIR]

Uploads the built site (public/, or -o DIR) to a target named in site.yaml:

  deploy:
    targets:
      - name: production
        url: "s3://my-bucket?region=eu-west-1"

It uploads only the files whose content differs from the bucket's, images
and downloads first, then CSS and JavaScript, then pages, feeds and the
sitemap, and deletes last the files the build no longer has: a deploy
stopped half-way never leaves a page pointing at a missing file, and
running it again finishes the job. More than --max-deletes deletes
(default %d) stop the deploy before anything changes, unless --force.

Credentials come only from the environment or the provider's files:
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE and
~/.aws/credentials) for S3; GOOGLE_APPLICATION_CREDENTIALS for Google
Cloud Storage; AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY for Azure.

Flags (-x and --x are the same):
`

// maxListed is how many files deploy names before summing up the rest.
const maxListed = 40

func cmdDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("deploy", "", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, deployUsage, deploy.DefaultMaxDeletes)
		fs.PrintDefaults()
	}
	var source, out, target string
	var dry, force bool
	var maxDeletes int
	fs.StringVar(&source, "s", ".", "the site folder")
	fs.StringVar(&source, "source", ".", "the site folder")
	fs.StringVar(&out, "o", "", "the built site to upload (default <source>/public)")
	fs.StringVar(&out, "out", "", "the built site to upload (default <source>/public)")
	fs.StringVar(&target, "target", "", "the target to deploy to, by its name in site.yaml (needed when there are several)")
	fs.BoolVar(&dry, "dry-run", false, "list what would be uploaded and deleted, and change nothing")
	fs.BoolVar(&force, "force", false, "delete however many files the build no longer has")
	fs.IntVar(&maxDeletes, "max-deletes", deploy.DefaultMaxDeletes, "the most files a deploy deletes without --force")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if maxDeletes < 0 {
		fmt.Fprintln(stderr, "drumbeat deploy: --max-deletes must be 0 or more")
		return exitUsage
	}
	if out == "" {
		out = filepath.Join(source, "public")
	}
	cfg, list := load.Config(os.DirFS(source))
	if list.HasErrors() {
		printList(stderr, list)
		fmt.Fprintf(stderr, "deploy stopped: %s in site.yaml; nothing was uploaded\n", countProblems(list))
		return exitInput
	}
	t, msg := pickTarget(cfg.Deploy, target)
	if msg != "" {
		fmt.Fprintf(stderr, "drumbeat deploy: %s\n", msg)
		return exitUsage
	}
	opt := deploy.Options{Dir: out, Target: t, DryRun: dry, Force: force, MaxDeletes: maxDeletes}
	if maxDeletes == 0 {
		opt.MaxDeletes = -1 // no deletes at all without --force
	}
	listed := 0
	opt.Progress = func(a deploy.Action) {
		listed++
		if listed <= maxListed {
			what := a.Op.String()
			if dry {
				what = "would " + what
			}
			fmt.Fprintf(stdout, "%-16s %s (%s)\n", what, a.Key, size(a.Size))
		}
	}
	if dry {
		fmt.Fprintf(stdout, "dry run: comparing %s with %s; nothing will change\n", out, t.Name)
	}
	res, err := deploy.Run(ctx, opt)
	if listed > maxListed {
		fmt.Fprintf(stdout, "… and %d more files\n", listed-maxListed)
	}
	if err != nil {
		var de *deploy.Error
		if !errors.As(err, &de) {
			fmt.Fprintf(stderr, "drumbeat deploy: %v\n", err)
			return exitInput
		}
		fmt.Fprintf(stderr, "drumbeat deploy to %s: %v\n", t.Name, de)
		if de.Kind == deploy.TooManyDeletes {
			printDeletes(stderr, res.ToDelete)
		}
		if de.Kind != deploy.NoSite && de.Kind != deploy.Preview && de.Kind != deploy.TooManyDeletes && (len(res.ToUpload) > 0 || len(res.ToDelete) > 0) {
			fmt.Fprintf(stderr, "done before it stopped: uploaded %d of %d files (%s), deleted %d of %d; every page in the bucket still finds the files it refers to\n",
				len(res.Uploaded), len(res.ToUpload), size(deploy.Bytes(res.Uploaded)), len(res.Deleted), len(res.ToDelete))
		} else if de.Kind != deploy.NoSite && de.Kind != deploy.Preview {
			fmt.Fprintln(stderr, "nothing was changed in the bucket")
		}
		fmt.Fprintf(stderr, "what to do: %s\n", de.Hint())
		return exitInput
	}
	verb := map[bool]string{false: "", true: "would be "}[dry]
	up, del := res.Uploaded, res.Deleted
	if dry {
		up, del = res.ToUpload, res.ToDelete
	}
	fmt.Fprintf(stdout, "deploy to %s (%s)%s:\n", t.Name, redact(t.URL), map[bool]string{false: "", true: ", dry run"}[dry])
	fmt.Fprintf(stdout, "  %suploaded:  %s, %s (%d new, %d changed)\n", verb, plural(len(up), "file", "files"), size(deploy.Bytes(up)), count(up, "new"), count(up, "changed"))
	fmt.Fprintf(stdout, "  %sdeleted:   %s, %s\n", verb, plural(len(del), "file", "files"), size(deploy.Bytes(del)))
	fmt.Fprintf(stdout, "  unchanged: %s, %s\n", plural(res.Unchanged, "file", "files"), size(res.UnchangedBytes))
	if n := deploy.CappedDeletes(res.ToDelete); dry && n > maxDeletes && !force {
		fmt.Fprintf(stdout, "a deploy would stop here: %s to delete is more than the %d allowed; pass --force (or --max-deletes N) when this is what you want\n", plural(n, "file", "files"), maxDeletes)
	}
	return exitOK
}

// pickTarget returns the target named name, or the only one; or a message
// saying what is wrong.
func pickTarget(dc model.DeployConf, name string) (model.DeployTarget, string) {
	var names []string
	for _, t := range dc.Targets {
		if t.Name == name || name == "" && len(dc.Targets) == 1 {
			return t, ""
		}
		names = append(names, t.Name)
	}
	switch {
	case len(dc.Targets) == 0:
		return model.DeployTarget{}, "site.yaml names no deploy target; add one:\n\n  deploy:\n    targets:\n      - name: production\n        url: \"s3://my-bucket?region=eu-west-1\"\n\n(see Deploying in the README)"
	case name == "":
		return model.DeployTarget{}, fmt.Sprintf("site.yaml names %d deploy targets (%s): choose one with --target NAME", len(names), strings.Join(names, ", "))
	}
	return model.DeployTarget{}, fmt.Sprintf("site.yaml names no deploy target %q; it names %s", name, strings.Join(names, ", "))
}

func printDeletes(w io.Writer, l []deploy.Action) {
	for i, a := range l {
		if i == maxListed {
			fmt.Fprintf(w, "… and %d more\n", len(l)-maxListed)
			return
		}
		fmt.Fprintf(w, "would delete     %s\n", a.Key)
	}
}

func count(l []deploy.Action, reason string) int {
	n := 0
	for _, a := range l {
		if a.Reason == reason {
			n++
		}
	}
	return n
}

// redact drops a url's query, which may hold an endpoint but never
// credentials (site.yaml refuses them); the bucket is enough to say where.
func redact(u string) string {
	s, _, _ := strings.Cut(u, "?")
	return s
}

// size formats a number of bytes as people read it: 820 B, 14.2 kB, 3.1 MB.
func size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
