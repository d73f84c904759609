// Command drumbeat-corpus writes a large, valid drumbeat site for
// benchmarks, optionally with the same stories as a minimal Hugo site, and
// compares the two builds.
//
//	drumbeat-corpus -n 10000 -out DIR [-hugo DIR] [-shape today] [-partners 100] [-metrics 50] [-rows 200000] [-seed 1] [-bundles] [-photos]
//	drumbeat-corpus bench -n 1000,10000 [-shapes today,tags,short,long,data] [-runs 3] [-drumbeat BIN] [-hugo BIN] [-json FILE]
//	drumbeat-corpus bench -photos -n 1000 [-runs 3] [-drumbeat BIN] [-hugo BIN] [-hugo-only] [-warm-only]
//	drumbeat-corpus search-figures DIR (the bench's search figures of a built site)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/corpus"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "bench" {
		return runBench(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "search-figures" {
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: drumbeat-corpus search-figures DIR (a site drumbeat build wrote)")
			return 2
		}
		s, err := searchFigures(args[1], false)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		s.print(stdout, "")
		return 0
	}
	fs := flag.NewFlagSet("drumbeat-corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c corpus.Corpus
	var out, hugo, shape string
	fs.StringVar(&shape, "shape", "today", "the corpus's shape: "+strings.Join(corpus.ShapeNames, ", ")+" (see README, Performance); -partners, -metrics and -rows change it")
	fs.IntVar(&c.Stories, "n", 1000, "number of stories")
	fs.IntVar(&c.Partners, "partners", 100, "number of partners (default: the shape's; 100 in today's)")
	fs.IntVar(&c.Metrics, "metrics", 50, "number of metrics (default: the shape's; 50 in today's)")
	fs.IntVar(&c.Rows, "rows", 200000, "number of observation rows (default: the shape's; 200000 in today's)")
	fs.Uint64Var(&c.Seed, "seed", 1, "random seed (same seed, same corpus)")
	fs.StringVar(&out, "out", "", "folder for the drumbeat site (required unless -hugo is given)")
	fs.StringVar(&hugo, "hugo", "", "folder for the same stories as a Hugo site (optional)")
	fs.BoolVar(&c.Bundles, "bundles", false, "write each story as a page bundle, content/stories/story-NNNNN/index.md")
	fs.BoolVar(&c.Photos, "photos", false, "give each story a 4000×3000 JPEG beside it (a page bundle; a Hugo leaf bundle resized to 480, 800, 1200 and 1408 px)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if out == "" && hugo == "" {
		fs.Usage()
		return 2
	}
	sc, err := corpus.Shape(shape, c.Stories)
	if err != nil {
		fmt.Fprintf(stderr, "drumbeat-corpus: %v\n", err)
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["partners"] {
		c.Partners = sc.Partners
	}
	if !set["metrics"] {
		c.Metrics = sc.Metrics
	}
	if !set["rows"] {
		c.Rows = sc.Rows
	}
	c.Words, c.TagPool, c.TagsMin, c.TagsMax, c.Daily = sc.Words, sc.TagPool, sc.TagsMin, sc.TagsMax, sc.Daily
	if err := corpus.Write(c, out, hugo); err != nil {
		fmt.Fprintf(stderr, "drumbeat-corpus: %v\n", err)
		return 1
	}
	if out != "" {
		fmt.Fprintf(stdout, "wrote %d stories, %d partners, %d metrics, %d observation rows to %s\n", c.Stories, c.Partners, c.Metrics, c.Rows, out)
	}
	if hugo != "" {
		fmt.Fprintf(stdout, "wrote the Hugo site of %d stories to %s\n", c.Stories, hugo)
	}
	return 0
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}
