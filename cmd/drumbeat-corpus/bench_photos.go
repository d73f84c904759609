package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/drumbeat/drumbeat/generator/corpus"
)

// photoBench measures image processing on a corpus with a 4000×3000 photo
// per story, in pairs run alternately so that a drift of the machine's
// speed touches both sides of each ratio:
//
//   - cold: drumbeat with an empty image cache against Hugo with no
//     resources/_gen, a fresh cache folder and --ignoreCache;
//   - warm: drumbeat with the cache its last build left against drumbeat on
//     the same corpus without photos (the same stories, as page bundles).
//
// Every build starts from an empty output folder.
type photoBench struct {
	runs                    int
	drumbeat, hugo          string
	hugoOnly, cacheEnv      bool
	warmOnly                bool
	partners, metrics, rows int
	out, errw               io.Writer
}

// side is one command of a pair and what to clear before each of its runs.
type side struct {
	name  string
	clear []string
	cmd   func() *exec.Cmd
}

func (b photoBench) run(root string, n int) error {
	site := filepath.Join(root, fmt.Sprintf("photos-%d", n))
	plain := filepath.Join(root, fmt.Sprintf("plain-%d", n))
	hsite := filepath.Join(root, fmt.Sprintf("hugo-photos-%d", n))
	cache := filepath.Join(root, fmt.Sprintf("cache-%d", n))
	plainCache := filepath.Join(root, fmt.Sprintf("cache-plain-%d", n))
	hcache := filepath.Join(root, fmt.Sprintf("hugo-cache-%d", n))
	out, pout, hout := filepath.Join(root, "out"), filepath.Join(root, "out-plain"), filepath.Join(root, "hout")
	defer func() {
		for _, d := range []string{site, plain, hsite, cache, plainCache, hcache, out, pout, hout} {
			os.RemoveAll(d)
		}
	}()
	c := corpus.Corpus{Stories: n, Partners: b.partners, Metrics: b.metrics, Rows: b.rows, Seed: 1, Photos: true}
	dsite := site
	if b.hugoOnly {
		dsite = ""
	}
	start := time.Now()
	if err := corpus.Write(c, dsite, hsite); err != nil {
		return err
	}
	fmt.Fprintf(b.out, "wrote %d stories with photos in %s\n", n, time.Since(start).Round(time.Second))
	drumbeat := func(src, dst, cacheDir string) func() *exec.Cmd {
		return func() *exec.Cmd {
			args := []string{"build", "-s", src, "-o", dst, "--now", "2026-11-27"}
			if !b.cacheEnv {
				args = append(args, "--cache-dir", cacheDir)
			}
			cmd := exec.Command(b.drumbeat, args...)
			cmd.Env = append(os.Environ(), "DRUMBEAT_CACHE_DIR="+cacheDir)
			return cmd
		}
	}
	hugo := side{name: "hugo cold", clear: []string{hout, hcache, filepath.Join(hsite, "resources")}, cmd: func() *exec.Cmd {
		return exec.Command(b.hugo, "--source", hsite, "--destination", hout, "--cacheDir", hcache, "--ignoreCache", "--quiet", "--noBuildLock")
	}}
	fmt.Fprintf(b.out, "%-8s %-15s %10s %10s %10s %10s\n", "stories", "build", "wall", "cpu", "peak MiB", "out MiB")
	if b.hugoOnly {
		if b.hugo == "" {
			return fmt.Errorf("-hugo-only: hugo not found")
		}
		h, _ := b.pairs(hugo, nil, false)
		b.report(n, hugo.name, h)
		return nil
	}
	cold := side{name: "drumbeat cold", clear: []string{out, cache}, cmd: drumbeat(site, out, cache)}
	if b.warmOnly {
		// no cold pair
	} else if b.hugo != "" {
		d, h := b.pairs(cold, &hugo, false)
		b.report(n, cold.name, d)
		b.report(n, hugo.name, h)
		b.ratio(n, "cold d/h", d, h)
	} else {
		d, _ := b.pairs(cold, nil, false)
		b.report(n, cold.name, d)
	}
	if err := corpus.Write(corpus.Corpus{Stories: n, Partners: b.partners, Metrics: b.metrics, Rows: b.rows, Seed: 1, Bundles: true}, plain, ""); err != nil {
		return err
	}
	warm := side{name: "drumbeat warm", clear: []string{out}, cmd: drumbeat(site, out, cache)}
	none := side{name: "no photos", clear: []string{pout}, cmd: drumbeat(plain, pout, plainCache)}
	w, p := b.pairs(warm, &none, true) // the warm-up fills the cache, whatever the cold runs left
	b.report(n, warm.name, w)
	b.report(n, none.name, p)
	b.ratio(n, "warm/no photos", w, p)
	return nil
}

// result is one whole-process run.
type result struct {
	wall, cpu time.Duration
	peakKB    int64
	outBytes  int64
	failed    bool
}

func (b photoBench) once(s side) result {
	for _, d := range s.clear {
		os.RemoveAll(d)
	}
	wall, cpu, peak, err := measure(s.cmd())
	if err != nil {
		fmt.Fprintf(b.errw, "%s: %v", s.name, err)
		return result{failed: true}
	}
	return result{wall: wall, cpu: cpu, peakKB: peak, outBytes: dirSize(s.clear[0])}
}

// pairs runs a (and o, when not nil) alternately, runs times each, after
// one run of each not counted when warmup is set. Cold builds have no
// warm-up: each is as long as the warm-up would be, and the corpus was just
// written, so its files are in memory.
func (b photoBench) pairs(a side, o *side, warmup bool) (ra, rb []result) {
	if warmup {
		b.once(a)
		if o != nil {
			b.once(*o)
		}
	}
	for i := 0; i < b.runs; i++ {
		ra = append(ra, b.once(a))
		if o != nil {
			rb = append(rb, b.once(*o))
		}
	}
	return ra, rb
}

func medianOf(rs []result, f func(result) float64) float64 {
	var v []float64
	for _, r := range rs {
		if !r.failed {
			v = append(v, f(r))
		}
	}
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

func (b photoBench) report(n int, name string, rs []result) {
	wall := medianOf(rs, func(r result) float64 { return r.wall.Seconds() })
	if wall == 0 {
		fmt.Fprintf(b.out, "%-8d %-15s %10s\n", n, name, "failed")
		return
	}
	fmt.Fprintf(b.out, "%-8d %-15s %9.2fs %9.2fs %10.0f %10.0f\n", n, name, wall,
		medianOf(rs, func(r result) float64 { return r.cpu.Seconds() }),
		medianOf(rs, func(r result) float64 { return float64(r.peakKB) / 1024 }),
		medianOf(rs, func(r result) float64 { return float64(r.outBytes) / (1 << 20) }))
}

// ratio prints the median of the pairs' wall-time ratios and their range.
func (b photoBench) ratio(n int, name string, a, o []result) {
	var rs []float64
	for i := range a {
		if i < len(o) && !a[i].failed && !o[i].failed {
			rs = append(rs, a[i].wall.Seconds()/o[i].wall.Seconds())
		}
	}
	if len(rs) == 0 {
		fmt.Fprintf(b.out, "%-8d %-15s %10s\n", n, name, "-")
		return
	}
	sort.Float64s(rs)
	fmt.Fprintf(b.out, "%-8d %-15s %10.2f (%.2f–%.2f, %d pairs)\n", n, name, rs[len(rs)/2], rs[0], rs[len(rs)-1], len(rs))
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
