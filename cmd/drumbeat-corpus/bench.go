package main

import (
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/drumbeat/drumbeat/generator/corpus"
)

// runBench generates a corpus of each shape and size, builds it with
// drumbeat and, when available, Hugo, in alternating pairs from an empty
// output folder (one pair first as a warm-up, not counted), and prints
// the medians, the median ratio of the pairs with its range, the worst
// ratios over the shapes and the machine (issue #21).
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drumbeat-corpus bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("n", "1000,10000", "story counts, comma-separated")
	shapes := fs.String("shapes", strings.Join(corpus.ShapeNames, ","), "corpus shapes, comma-separated (see drumbeat-corpus -shape)")
	runs := fs.Int("runs", 3, "counted runs of each build (after one warm-up pair)")
	drumbeat := fs.String("drumbeat", "bin/drumbeat", "the drumbeat binary")
	hugo := fs.String("hugo", "hugo", "the hugo binary (skipped when not found)")
	requireHugo := fs.Bool("require-hugo", false, "fail when the hugo binary is not found, a Hugo build fails or a ratio is not computed")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file (- for standard output, instead of the table)")
	work := fs.String("work", "", "working folder (default: a folder under /dev/shm when it exists, else the system temp)")
	partners := fs.Int("partners", -1, "partners in each corpus that has partners (default: the shape's)")
	metrics := fs.Int("metrics", -1, "metrics in each corpus that has metrics (default: the shape's)")
	rows := fs.Int("rows", -1, "observation rows in each corpus that has data (default: the shape's: 200000)")
	photos := fs.Bool("photos", false, "measure image processing: a 4000×3000 photo per story, cold drumbeat against cold Hugo and warm drumbeat against drumbeat without photos")
	hugoOnly := fs.Bool("hugo-only", false, "with -photos: measure Hugo's side only")
	warmOnly := fs.Bool("warm-only", false, "with -photos: measure the warm pair only (the warm-up still fills the cache)")
	browser := fs.Bool("browser", false, "time the today shape's search in headless Chromium (runs go test ./generator -run TestBrowserSearchMeasure; needs the source tree, go and Chromium)")
	cacheEnv := fs.Bool("cache-env", false, "with -photos: give drumbeat its cache folder in DRUMBEAT_CACHE_DIR instead of --cache-dir")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var shapeList []string
	for _, s := range strings.Split(*shapes, ",") {
		s = strings.TrimSpace(s)
		if _, err := corpus.Shape(s, 1); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		shapeList = append(shapeList, s)
	}
	hugoPath, herr := exec.LookPath(*hugo)
	if herr != nil {
		if *requireHugo {
			fmt.Fprintf(stderr, "%s not found (-require-hugo); install Hugo with: go install github.com/gohugoio/hugo@v0.165.0\n", *hugo)
			return 1
		}
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
		pr := func(v, def int) int {
			if v < 0 {
				return def
			}
			return v
		}
		pb := photoBench{runs: *runs, drumbeat: *drumbeat, hugo: hugoPath, hugoOnly: *hugoOnly, warmOnly: *warmOnly, cacheEnv: *cacheEnv,
			partners: pr(*partners, 100), metrics: pr(*metrics, 50), rows: pr(*rows, 200000), out: stdout, errw: stderr}
		for _, n := range ns {
			if err := pb.run(root, n); err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
		}
		return 0
	}
	b := shapeBench{runs: *runs, drumbeat: *drumbeat, hugo: hugoPath, root: root, errw: stderr, browser: *browser,
		partners: *partners, metrics: *metrics, rows: *rows}
	table := stdout
	if *jsonOut == "-" {
		table = io.Discard
	}
	rep := benchReport{Runs: *runs, Machine: machineNow(), Drumbeat: *drumbeat, Hugo: hugoVersion(hugoPath)}
	if bi, err := buildinfo.ReadFile(*drumbeat); err == nil {
		rep.Drumbeat += " (" + bi.GoVersion + ")"
	}
	fmt.Fprintf(table, "machine: %s\n", rep.Machine)
	fmt.Fprintf(table, "drumbeat: %s; hugo: %s; %d counted pairs after one warm-up pair, alternating, each build from an empty output folder under %s\n",
		rep.Drumbeat, orNone(rep.Hugo), *runs, root)
	fmt.Fprintf(table, "%-6s %-8s %-9s %19s %19s %19s %7s\n", "shape", "stories", "tool", "wall (range)", "cpu", "peak MiB", "pages")
	failed := false
	for _, n := range ns {
		for _, s := range shapeList {
			r, err := b.shape(s, n)
			if err != nil {
				fmt.Fprintf(stderr, "%s, %d stories: %v\n", s, n, err)
				failed = true
			}
			if r == nil {
				continue
			}
			r.print(table)
			rep.Shapes = append(rep.Shapes, *r)
			if hugoPath != "" && r.Wall == nil {
				failed = true
			}
		}
	}
	rep.Machine.LoadAfter = loadAvg()
	rep.worst()
	rep.printEnd(table)
	if *jsonOut != "" {
		out, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			out = append(out, '\n')
			if *jsonOut == "-" {
				_, err = stdout.Write(out)
			} else {
				err = os.WriteFile(*jsonOut, out, 0o644)
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if failed {
		return 1
	}
	return 0
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// shapeBench measures one corpus shape at one size.
type shapeBench struct {
	runs                    int
	drumbeat, hugo, root    string
	partners, metrics, rows int // -1: the shape's
	errw                    io.Writer
	browser                 bool // time the today shape's search in Chromium
}

// build is one whole-process build.
type build struct {
	wall, cpu time.Duration
	peakKB    int64
	pages     int
}

// toolStats are a tool's medians over the counted runs, with their range.
type toolStats struct {
	WallS      float64    `json:"wall_s"`
	WallRangeS [2]float64 `json:"wall_range_s"`
	CPUS       float64    `json:"cpu_s"`
	PeakMiB    float64    `json:"peak_mib"`
	Pages      int        `json:"pages"`
	Runs       int        `json:"runs"`
}

// ratio is the median of the pairs' ratios drumbeat/Hugo, with their range.
type ratio struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Pairs  int     `json:"pairs"`
}

// shapeResult is one shape at one size.
type shapeResult struct {
	Shape    string     `json:"shape"`
	Stories  int        `json:"stories"`
	Rows     int        `json:"rows"`
	Drumbeat toolStats  `json:"drumbeat"`
	Hugo     *toolStats `json:"hugo,omitempty"`
	Wall     *ratio     `json:"wall_ratio,omitempty"`
	CPU      *ratio     `json:"cpu_ratio,omitempty"`
	Memory   *ratio     `json:"memory_ratio,omitempty"`
	// Search: the today shape's site search (bench_search.go).
	Search *searchResult `json:"search,omitempty"`
}

func (b shapeBench) shape(name string, n int) (*shapeResult, error) {
	c, err := corpus.Shape(name, n)
	if err != nil {
		return nil, err
	}
	if b.partners >= 0 && c.Partners > 0 {
		c.Partners = b.partners
	}
	if b.metrics >= 0 && c.Metrics > 0 {
		c.Metrics = b.metrics
	}
	if b.rows >= 0 && c.Rows > 0 {
		c.Rows = b.rows
	}
	dir := filepath.Join(b.root, fmt.Sprintf("%s-%d", name, n))
	out := filepath.Join(b.root, "out")
	hdir, hout := "", filepath.Join(b.root, "hout")
	if b.hugo != "" {
		hdir = filepath.Join(b.root, fmt.Sprintf("hugo-%s-%d", name, n))
	}
	defer func() {
		for _, d := range []string{dir, out, hdir, hout} {
			if d != "" {
				os.RemoveAll(d)
			}
		}
	}()
	if err := corpus.Write(c, dir, hdir); err != nil {
		return nil, err
	}
	d := func() *exec.Cmd {
		return exec.Command(b.drumbeat, "build", "-s", dir, "-o", out, "--now", "2026-11-27")
	}
	h := func() *exec.Cmd {
		return exec.Command(b.hugo, "--source", hdir, "--destination", hout, "--quiet", "--noBuildLock")
	}
	// The today shape also times each drumbeat build again without the
	// search index (DRUMBEAT_NO_SEARCH=1), just after it, into another
	// folder: what the index adds to the build (issue #24).
	withSearch := name == "today"
	outNo := filepath.Join(b.root, "out-nosearch")
	defer os.RemoveAll(outNo)
	noSearch := func() *exec.Cmd {
		c := exec.Command(b.drumbeat, "build", "-s", dir, "-o", outNo, "--now", "2026-11-27")
		c.Env = append(os.Environ(), "DRUMBEAT_NO_SEARCH=1")
		return c
	}
	var ds, hs, ns []build
	var errs []error
	for i := -1; i < b.runs; i++ { // i == -1: the warm-up pair, not counted
		r, err := once(d, out)
		if err != nil {
			errs = append(errs, err)
			break
		}
		if i >= 0 {
			ds = append(ds, r)
		}
		if withSearch {
			r, err := once(noSearch, outNo)
			if err != nil {
				errs = append(errs, err)
				break
			}
			if i >= 0 {
				ns = append(ns, r)
			}
		}
		if b.hugo == "" {
			continue
		}
		r, err = once(h, hout)
		if err != nil {
			errs = append(errs, err)
			break
		}
		if i >= 0 {
			hs = append(hs, r)
		}
	}
	res := &shapeResult{Shape: name, Stories: n, Rows: c.Rows}
	if len(ds) == 0 {
		return nil, errors.Join(append(errs, errors.New("no drumbeat build counted"))...)
	}
	res.Drumbeat = stats(ds)
	if withSearch {
		sr, err := searchFigures(out, b.browser)
		if err != nil {
			errs = append(errs, fmt.Errorf("search: %w", err))
		} else {
			k := min(len(ds), len(ns))
			sr.CPU = pairRatio(ds[:k], ns[:k], func(r build) float64 { return r.cpu.Seconds() })
			sr.Wall = pairRatio(ds[:k], ns[:k], func(r build) float64 { return r.wall.Seconds() })
			res.Search = sr
		}
	}
	if len(hs) > 0 {
		hst := stats(hs)
		res.Hugo = &hst
		k := min(len(ds), len(hs))
		res.Wall = pairRatio(ds[:k], hs[:k], func(r build) float64 { return r.wall.Seconds() })
		res.CPU = pairRatio(ds[:k], hs[:k], func(r build) float64 { return r.cpu.Seconds() })
		res.Memory = pairRatio(ds[:k], hs[:k], func(r build) float64 { return float64(r.peakKB) })
	}
	return res, errors.Join(errs...)
}

// measure runs the command c, its output discarded, and returns its wall
// time, CPU time (user and system) and peak resident memory (its rusage
// Maxrss); a failure says what ran and the start of what it wrote to
// standard error. Both benchmarks time every build through it.
func measure(c *exec.Cmd) (wall, cpu time.Duration, peakKB int64, err error) {
	c.Stdout = io.Discard
	var errb strings.Builder
	c.Stderr = &errb
	start := time.Now()
	err = c.Run()
	wall = time.Since(start)
	if err != nil {
		msg := errb.String()
		if len(msg) > 2000 {
			msg = msg[:2000] + "…\n"
		}
		return 0, 0, 0, fmt.Errorf("%s failed: %v\n%s", strings.Join(c.Args, " "), err, msg)
	}
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	return wall, time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss, nil
}

// once builds into an empty out and measures the child process.
func once(cmd func() *exec.Cmd, out string) (build, error) {
	if err := os.RemoveAll(out); err != nil {
		return build{}, err
	}
	wall, cpu, peak, err := measure(cmd())
	if err != nil {
		return build{}, err
	}
	return build{wall: wall, cpu: cpu, peakKB: peak, pages: countHTML(out)}, nil
}

func medianFloat(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func stats(rs []build) toolStats {
	var wall, cpu, mem []float64
	for _, r := range rs {
		wall = append(wall, r.wall.Seconds())
		cpu = append(cpu, r.cpu.Seconds())
		mem = append(mem, float64(r.peakKB)/1024)
	}
	sort.Float64s(wall)
	return toolStats{WallS: medianFloat(wall), WallRangeS: [2]float64{wall[0], wall[len(wall)-1]},
		CPUS: medianFloat(cpu), PeakMiB: medianFloat(mem), Pages: rs[0].pages, Runs: len(rs)}
}

func pairRatio(d, h []build, f func(build) float64) *ratio {
	var v []float64
	for i := range d {
		if f(h[i]) > 0 {
			v = append(v, f(d[i])/f(h[i]))
		}
	}
	if len(v) == 0 {
		return nil
	}
	sort.Float64s(v)
	return &ratio{Median: medianFloat(v), Min: v[0], Max: v[len(v)-1], Pairs: len(v)}
}

func (r *shapeResult) print(w io.Writer) {
	line := func(tool string, s toolStats) {
		fmt.Fprintf(w, "%-6s %-8d %-9s %19s %18.2fs %19.0f %7d\n", r.Shape, r.Stories, tool,
			fmt.Sprintf("%.2fs (%.2f–%.2f)", s.WallS, s.WallRangeS[0], s.WallRangeS[1]), s.CPUS, s.PeakMiB, s.Pages)
	}
	line("drumbeat", r.Drumbeat)
	if r.Search != nil {
		defer r.Search.print(w, fmt.Sprintf("%-6s %-8d ", r.Shape, r.Stories))
	}
	if r.Hugo == nil {
		return
	}
	line("hugo", *r.Hugo)
	if r.Wall != nil {
		fmt.Fprintf(w, "%-6s %-8d %-9s %19s %19s %19s\n", r.Shape, r.Stories, "ratio d/h",
			r.Wall.String(), r.CPU.String(), r.Memory.String())
	}
}

func (r *ratio) String() string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f (%.2f–%.2f)", r.Median, r.Min, r.Max)
}

// benchReport is what bench prints, and writes with -json.
type benchReport struct {
	Machine   machine       `json:"machine"`
	Drumbeat  string        `json:"drumbeat"` // the binary, and the Go that built it
	Hugo      string        `json:"hugo,omitempty"`
	Runs      int           `json:"runs"`
	Shapes    []shapeResult `json:"shapes"`
	WorstWall *worst        `json:"worst_wall_ratio,omitempty"`
	WorstMem  *worst        `json:"worst_memory_ratio,omitempty"`
}

// worst is the highest median ratio drumbeat/Hugo over the shapes: the
// shape where drumbeat fares worst against Hugo.
type worst struct {
	Shape   string  `json:"shape"`
	Stories int     `json:"stories"`
	Ratio   float64 `json:"ratio"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

func (rep *benchReport) worst() {
	pick := func(get func(*shapeResult) *ratio) *worst {
		var w *worst
		for i := range rep.Shapes {
			s := &rep.Shapes[i]
			if r := get(s); r != nil && (w == nil || r.Median > w.Ratio) {
				w = &worst{Shape: s.Shape, Stories: s.Stories, Ratio: r.Median, Min: r.Min, Max: r.Max}
			}
		}
		return w
	}
	rep.WorstWall = pick(func(s *shapeResult) *ratio { return s.Wall })
	rep.WorstMem = pick(func(s *shapeResult) *ratio { return s.Memory })
}

func (rep *benchReport) printEnd(w io.Writer) {
	p := func(what string, x *worst) {
		if x == nil {
			fmt.Fprintf(w, "worst %s ratio drumbeat/Hugo: not computed (no Hugo build)\n", what)
			return
		}
		fmt.Fprintf(w, "worst %s ratio drumbeat/Hugo: %.2f (%.2f–%.2f), shape %s, %d stories\n", what, x.Ratio, x.Min, x.Max, x.Shape, x.Stories)
	}
	p("wall", rep.WorstWall)
	p("memory", rep.WorstMem)
	fmt.Fprintf(w, "machine: %s; load average after: %s\n", rep.Machine, rep.Machine.LoadAfter)
}

// machine is what the figures were measured on.
type machine struct {
	CPUs       int    `json:"cpus"`
	CPUModel   string `json:"cpu_model"`
	MemoryMiB  int64  `json:"memory_mib"`
	LoadBefore string `json:"load_before"`
	LoadAfter  string `json:"load_after"`
	OS         string `json:"os"`
}

func machineNow() machine {
	m := machine{CPUs: runtime.NumCPU(), CPUModel: "unknown", LoadBefore: loadAvg(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				m.MemoryMiB = kb / 1024
			}
		}
	}
	return m
}

func (m machine) String() string {
	return fmt.Sprintf("%d CPUs, %s, %.1f GiB, %s, load average before: %s", m.CPUs, m.CPUModel, float64(m.MemoryMiB)/1024, m.OS, m.LoadBefore)
}

// loadAvg returns the 1-, 5- and 15-minute load averages, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// hugoVersion returns the first line of hugo version, or "" without Hugo.
func hugoVersion(path string) string {
	if path == "" {
		return ""
	}
	out, err := exec.Command(path, "version").Output()
	if err != nil {
		return path
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	// "hugo v0.165.0-HASH linux/amd64 BuildDate=..."; keep the version.
	if f := strings.Fields(v); len(f) >= 2 {
		return f[0] + " " + strings.SplitN(f[1], "-", 2)[0]
	}
	return v
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
