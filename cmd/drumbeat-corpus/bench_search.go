package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/drumbeat/drumbeat/generator/render/search"
)

// searchResult is what the bench measures of the site search (issue #24)
// on the today shape's built site: the index on disk, what a first query
// of its most common and of a rare word loads (search.FirstQuery: the
// files search.js would load, weighed from the disk), and the build's
// time with the index against without it (DRUMBEAT_NO_SEARCH=1), in pairs.
type searchResult struct {
	Files     int         `json:"files"`
	Bytes     int64       `json:"bytes"`
	GzipBytes int64       `json:"gzip_bytes"` // each file gzipped (-6), summed
	Queries   []queryLoad `json:"queries"`
	// CPU and Wall are the ratios of the build with the index to the
	// build without it, in pairs.
	CPU  *ratio `json:"build_cpu_ratio,omitempty"`
	Wall *ratio `json:"build_wall_ratio,omitempty"`
	// Browser says why the keystroke-to-results time is not measured here.
	Browser string `json:"browser"`
}

// queryLoad is what a first query of Word loads.
type queryLoad struct {
	What      string `json:"what"` // "common word", "rare word"
	Word      string `json:"word"`
	Results   int    `json:"results"`
	Files     int    `json:"files"`
	Bytes     int64  `json:"bytes"`
	GzipBytes int64  `json:"gzip_bytes"`
}

// browserNote is the bench's keystroke-to-results line without -browser.
const browserNote = "skipped (no -browser): DRUMBEAT_SEARCH_SITE=<built site> go test ./generator -run TestBrowserSearchMeasure -v"

// measureLine is a word's line of TestBrowserSearchMeasure.
var measureLine = regexp.MustCompile(`("[^"]*"): ([0-9,]+ results?|[^;]*); first query .*keystroke to results in the page ([0-9.]+) ms first .*with the shards loaded ([0-9.]+ \([0-9.]+-[0-9.]+\)) ms`)

// browserTimes runs TestBrowserSearchMeasure (go test, from the source
// tree the bench runs in) on the site built in dir and returns, for each
// of its words, the keystroke-to-results times; a sentence saying why not
// when it cannot (no go, no source, no Chromium).
func browserTimes(dir string) string {
	c := exec.Command("go", "test", "./generator", "-run", "^TestBrowserSearchMeasure$", "-count=1", "-v")
	c.Env = append(os.Environ(), "DRUMBEAT_SEARCH_SITE="+dir, "DRUMBEAT_SEARCH_REPEAT=5")
	out, err := c.CombinedOutput()
	var parts []string
	for _, m := range measureLine.FindAllStringSubmatch(string(out), -1) {
		parts = append(parts, fmt.Sprintf("%s (%s) %s ms first, %s ms with the shards loaded", m[1], m[2], m[3], m[4]))
	}
	if len(parts) == 0 {
		msg := strings.TrimSpace(string(out))
		if i := strings.LastIndex(msg, "SKIP"); i >= 0 {
			msg = msg[i:]
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return fmt.Sprintf("skipped (go test ./generator -run TestBrowserSearchMeasure: %v: %s)", err, strings.ReplaceAll(msg, "\n", " "))
	}
	return strings.Join(parts, "; ") + " (headless Chromium, local server; median (range) of 5)"
}

// searchFigures weighs the index of the site built in dir and a first
// query of its most common word and of a rare one (the first word, in
// order, of the fewest documents).
func searchFigures(dir string, browser bool) (*searchResult, error) {
	res := &searchResult{Browser: browserNote}
	if browser {
		res.Browser = browserTimes(dir)
	}
	site := os.DirFS(dir)
	counts := map[string]int{}
	err := fs.WalkDir(site, "search", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		res.Files++
		res.Bytes += int64(len(b))
		res.GzipBytes += gzipLen(b)
		if strings.HasPrefix(filepath.Base(p), "t.") {
			return search.CountPostings(b, counts)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(counts) == 0 {
		return nil, fmt.Errorf("%s: no word in the search index", dir)
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Strings(words)
	common, rare := words[0], words[0]
	for _, w := range words {
		if counts[w] > counts[common] {
			common = w
		}
		if counts[w] < counts[rare] {
			rare = w
		}
	}
	for _, q := range []struct{ what, w string }{{"common word", common}, {"rare word", rare}} {
		ld, err := search.FirstQuery(site, q.w)
		if err != nil {
			return nil, err
		}
		ql := queryLoad{What: q.what, Word: q.w, Results: ld.Results, Files: len(ld.Files)}
		for _, f := range ld.Files {
			b, err := fs.ReadFile(site, f)
			if err != nil {
				return nil, err
			}
			ql.Bytes += int64(len(b))
			ql.GzipBytes += gzipLen(b)
		}
		res.Queries = append(res.Queries, ql)
	}
	return res, nil
}

func gzipLen(b []byte) int64 {
	var buf bytes.Buffer
	z, _ := gzip.NewWriterLevel(&buf, 6)
	z.Write(b)
	z.Close()
	return int64(buf.Len())
}

// print writes the figures, a line each, after prefix.
func (s *searchResult) print(w io.Writer, prefix string) {
	p := func(format string, a ...any) {
		fmt.Fprintf(w, "%ssearch: %s\n", prefix, fmt.Sprintf(format, a...))
	}
	p("index %d files, %.1f kB, %.1f kB gzipped", s.Files, float64(s.Bytes)/1000, float64(s.GzipBytes)/1000)
	for _, q := range s.Queries {
		results := "results"
		if q.Results == 1 {
			results = "result"
		}
		p("first query, %s %q (%d %s): %d files, %.1f kB, %.1f kB gzipped", q.What, q.Word, q.Results, results, q.Files, float64(q.Bytes)/1000, float64(q.GzipBytes)/1000)
	}
	if s.CPU != nil {
		p("build with the index / without: cpu %s, wall %s", s.CPU, s.Wall)
	}
	p("keystroke to results: %s", s.Browser)
}
