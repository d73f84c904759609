package corpus

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var fingerprintLine = regexp.MustCompile(`(?m)^    fingerprint: .*$`)

// treeHash hashes every file's path and bytes under dir, with each
// approval's fingerprint blanked: it covers the card's figure, which the
// model computes, so a change there is not a change of the corpus.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b = fingerprintLine.ReplaceAll(b, []byte("    fingerprint: X"))
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestTodayHash: the today shape writes the same files as drumbeat-corpus
// did before shapes (the hashes were taken from that generator's output,
// with the fingerprints blanked), so figures measured on it before and
// after compare.
func TestTodayHash(t *testing.T) {
	c, err := Shape("today", 40)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Corpus{Stories: 40, Partners: 100, Metrics: 50, Rows: 200000, Seed: 1}); c != want {
		t.Errorf("Shape(today) = %+v, want drumbeat-corpus's defaults %+v", c, want)
	}
	c.Partners, c.Metrics, c.Rows = 7, 5, 700
	dir, hdir := t.TempDir(), t.TempDir()
	if err := Write(c, dir, hdir); err != nil {
		t.Fatal(err)
	}
	if got, want := treeHash(t, dir), "9885970268777f193081c6f65aef2ba02153e2454579f1dd178af0c2a82c83a0"; got != want {
		t.Errorf("the drumbeat site of the today shape changed: hash %s, was %s", got, want)
	}
	if got, want := treeHash(t, hdir), "7342cb194200266bfd4cf69ef2f93a7cece45192b405de4df3fb264c24a76ca9"; got != want {
		t.Errorf("the Hugo site of the today shape changed: hash %s, was %s", got, want)
	}
}

var (
	frontMatter = regexp.MustCompile(`(?s)^---\n(.*?)\n---\n`)
	tagsLine    = regexp.MustCompile(`(?m)^tags: \[(.*)\]$`)
	wordRe      = regexp.MustCompile(`[A-Za-z]+`)
)

// TestShapes writes each shape small and checks what the benchmark relies
// on: the length of the stories, their tags, no partners where there are
// none, the daily series, and the Hugo site's stories being the same.
func TestShapes(t *testing.T) {
	words := map[string][2]int{"today": {600, 750}, "tags": {600, 750}, "short": {120, 180}, "long": {2800, 3300}, "data": {600, 750}}
	for _, name := range ShapeNames {
		t.Run(name, func(t *testing.T) {
			c, err := Shape(name, 60)
			if err != nil {
				t.Fatal(err)
			}
			if c.Rows > 0 {
				c.Metrics, c.Rows = 3, 3*120
			}
			dir, hdir := t.TempDir(), t.TempDir()
			if err := Write(c, dir, hdir); err != nil {
				t.Fatal(err)
			}
			total := 0
			tagSet := map[string]bool{}
			for i := 0; i < c.Stories; i++ {
				name := fmt.Sprintf("content/stories/story-%05d.md", i)
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				h, err := os.ReadFile(filepath.Join(hdir, name))
				if err != nil {
					t.Fatal(err)
				}
				fm := frontMatter.FindStringSubmatch(string(b))
				hfm := frontMatter.FindStringSubmatch(string(h))
				if fm == nil || hfm == nil {
					t.Fatalf("%s: no front matter", name)
				}
				body := string(b[len(fm[0]):])
				if hbody := string(h[len(hfm[0]):]); hbody != body {
					t.Errorf("%s: the Hugo story's body differs", name)
				}
				total += len(wordRe.FindAllString(body, -1))
				tl := tagsLine.FindStringSubmatch(fm[1])
				if htl := tagsLine.FindStringSubmatch(hfm[1]); tl == nil || htl == nil || tl[1] != htl[1] {
					t.Errorf("%s: tags %q, in Hugo %q", name, tl, htl)
					continue
				}
				tags := strings.Split(tl[1], ", ")
				if c.TagPool > 0 && (len(tags) < 1 || len(tags) > 3) {
					t.Errorf("%s: %d tags, want 1 to 3", name, len(tags))
				}
				for _, tg := range tags {
					tagSet[tg] = true
				}
				hasPartners := strings.Contains(fm[1], "\npartners:")
				if hasPartners != (c.Partners > 0) {
					t.Errorf("%s: partners in the front matter: %v, want %v", name, hasPartners, c.Partners > 0)
				}
				if cites := strings.Contains(body, "{{m0"); cites != (c.Metrics > 0) {
					t.Errorf("%s: cites a figure: %v, want %v", name, cites, c.Metrics > 0)
				}
			}
			avg := total / c.Stories
			if w := words[name]; avg < w[0] || avg > w[1] {
				t.Errorf("%d words a story on average, want %d to %d", avg, w[0], w[1])
			}
			if c.TagPool > 0 && len(tagSet) < 60 {
				t.Errorf("%d tags over %d stories, want many", len(tagSet), c.Stories)
			}
			obs, err := os.ReadFile(filepath.Join(dir, "data/observations/obs.csv"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(obs), "\n"), "\n")
			if c.Daily {
				want := []string{"metric,period,value", "m000,2026-07-04,", "m002,2026-10-31,"}
				if lines[0] != want[0] || !strings.HasPrefix(lines[1], want[1]) || !strings.HasPrefix(lines[len(lines)-1], want[2]) || len(lines) != 1+c.Rows {
					t.Errorf("daily observations: %d lines, %q ... %q", len(lines), lines[:2], lines[len(lines)-1])
				}
			}
		})
	}
}
