package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/drumbeat/drumbeat/generator/corpus"
)

// measurement is one whole-process run.
type measurement struct {
	wall, cpu time.Duration
	peakKB    int64
	pages     int
}

// runBench generates corpora of the given sizes and builds each several
// times with drumbeat and, when available, Hugo, from a clean output each
// time, and prints the medians side by side.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drumbeat-corpus bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("n", "1000,10000", "story counts, comma-separated")
	runs := fs.Int("runs", 3, "runs of each build")
	drumbeat := fs.String("drumbeat", "bin/drumbeat", "the drumbeat binary")
	hugo := fs.String("hugo", "hugo", "the hugo binary (skipped when not found)")
	work := fs.String("work", "", "working folder (default: a folder under /dev/shm when it exists, else the system temp)")
	partners := fs.Int("partners", 100, "partners in each corpus")
	metrics := fs.Int("metrics", 50, "metrics in each corpus")
	rows := fs.Int("rows", 200000, "observation rows in each corpus")
	photos := fs.Bool("photos", false, "measure image processing: a 4000×3000 photo per story, cold drumbeat against cold Hugo and warm drumbeat against drumbeat without photos")
	hugoOnly := fs.Bool("hugo-only", false, "with -photos: measure Hugo's side only")
	warmOnly := fs.Bool("warm-only", false, "with -photos: measure the warm pair only (the warm-up still fills the cache)")
	cacheEnv := fs.Bool("cache-env", false, "with -photos: give drumbeat its cache folder in DRUMBEAT_CACHE_DIR instead of --cache-dir")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	hugoPath, herr := exec.LookPath(*hugo)
	if herr != nil {
		fmt.Fprintf(stdout, "note: %s not found; measuring drumbeat only (install Hugo with: go install github.com/gohugoio/hugo@v0.165.0)\n", *hugo)
		hugoPath = ""
	}
	root := *work
	if root == "" {
		base := os.TempDir()
		if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
			base = "/dev/shm"
		}
		root, err = os.MkdirTemp(base, "drumbeat-bench-")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer os.RemoveAll(root)
	}
	if *photos {
		pb := photoBench{runs: *runs, drumbeat: *drumbeat, hugo: hugoPath, hugoOnly: *hugoOnly, warmOnly: *warmOnly, cacheEnv: *cacheEnv,
			partners: *partners, metrics: *metrics, rows: *rows, out: stdout, errw: stderr}
		for _, n := range ns {
			if err := pb.run(root, n); err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
		}
		return 0
	}
	fmt.Fprintf(stdout, "%-8s %-9s %10s %10s %10s %8s %11s\n", "stories", "tool", "wall", "cpu", "peak MiB", "pages", "pages/s")
	for _, n := range ns {
		dir := filepath.Join(root, fmt.Sprintf("site-%d", n))
		hdir := ""
		if hugoPath != "" {
			hdir = filepath.Join(root, fmt.Sprintf("hugo-%d", n))
		}
		c := corpus.Corpus{Stories: n, Partners: *partners, Metrics: *metrics, Rows: *rows, Seed: 1}
		if err := corpus.Write(c, dir, hdir); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		out := filepath.Join(root, fmt.Sprintf("out-%d", n))
		d := measureRuns(*runs, out, func() *exec.Cmd {
			return exec.Command(*drumbeat, "build", "-s", dir, "-o", out, "--now", "2026-11-27")
		}, stderr)
		report(stdout, n, "drumbeat", d)
		if hugoPath == "" {
			continue
		}
		hout := filepath.Join(root, fmt.Sprintf("hout-%d", n))
		h := measureRuns(*runs, hout, func() *exec.Cmd {
			return exec.Command(hugoPath, "--source", hdir, "--destination", hout, "--quiet", "--noBuildLock")
		}, stderr)
		report(stdout, n, "hugo", h)
		fmt.Fprintf(stdout, "%-8d %-9s %10.2f %10.2f %10.2f %8s %11s\n", n, "ratio d/h",
			d.wall.Seconds()/h.wall.Seconds(), d.cpu.Seconds()/h.cpu.Seconds(), float64(d.peakKB)/float64(h.peakKB), "", "")
		os.RemoveAll(hdir)
		os.RemoveAll(hout)
		os.RemoveAll(dir)
		os.RemoveAll(out)
	}
	return 0
}

// measureRuns runs the command several times from a clean output and
// returns the median of each figure.
func measureRuns(runs int, out string, cmd func() *exec.Cmd, stderr io.Writer) measurement {
	var ms []measurement
	for i := 0; i < runs; i++ {
		os.RemoveAll(out)
		c := cmd()
		c.Stdout = io.Discard
		var errb strings.Builder
		c.Stderr = &errb
		start := time.Now()
		err := c.Run()
		wall := time.Since(start)
		if err != nil {
			fmt.Fprintf(stderr, "%s failed: %v\n%s", strings.Join(c.Args, " "), err, errb.String())
			return measurement{}
		}
		ru := c.ProcessState.SysUsage().(*syscall.Rusage)
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		ms = append(ms, measurement{wall: wall, cpu: cpu, peakKB: ru.Maxrss, pages: countHTML(out)})
	}
	return median(ms)
}

func median(ms []measurement) measurement {
	if len(ms) == 0 {
		return measurement{}
	}
	pick := func(less func(a, b measurement) bool) measurement {
		s := append([]measurement(nil), ms...)
		sort.Slice(s, func(i, j int) bool { return less(s[i], s[j]) })
		return s[len(s)/2]
	}
	return measurement{
		wall:   pick(func(a, b measurement) bool { return a.wall < b.wall }).wall,
		cpu:    pick(func(a, b measurement) bool { return a.cpu < b.cpu }).cpu,
		peakKB: pick(func(a, b measurement) bool { return a.peakKB < b.peakKB }).peakKB,
		pages:  ms[0].pages,
	}
}

func report(w io.Writer, n int, tool string, m measurement) {
	pps := 0.0
	if m.wall > 0 {
		pps = float64(m.pages) / m.wall.Seconds()
	}
	fmt.Fprintf(w, "%-8d %-9s %9.2fs %9.2fs %10.0f %8d %11.0f\n", n, tool, m.wall.Seconds(), m.cpu.Seconds(), float64(m.peakKB)/1024, m.pages, pps)
}

func countHTML(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			n++
		}
		return nil
	})
	return n
}
