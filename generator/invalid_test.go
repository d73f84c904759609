package generator

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// The invalid-input corpus: testdata/valid-minimal is a complete small
// site, and each testdata/invalid/<case>/ holds the files that replace or
// add to it, plus want.txt. Each line of want.txt is text the build's error
// must contain, with its file:line; a first line "OK" means the case must
// build, and then lines "output: <path>" name files the output must hold.

var invalidNow = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

const (
	invalidMinimalDir = "testdata/valid-minimal"
	invalidCasesDir   = "testdata/invalid"
)

// invalidCopy copies the files under src into dst, creating folders.
func invalidCopy(t testing.TB, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() || (skip != nil && skip(filepath.ToSlash(rel))) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// invalidHash returns a hash of every file, folder and link under dir: their
// paths, kinds and contents.
func invalidHash(t testing.TB, dir string) string {
	t.Helper()
	h := sha256.New()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\x00%v\x00", filepath.ToSlash(rel), fi.Mode().Type())
		if fi.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// invalidBuild runs Build, turning a panic into a test failure with its stack.
func invalidBuild(t testing.TB, source, output string) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Build panicked: %v\n%s", r, debug.Stack())
		}
	}()
	_, err = Build(context.Background(), Options{Source: source, Output: output, Now: invalidNow})
	return err
}

// invalidPrevious builds valid-minimal into a new output folder and returns
// the folder and the hash of what it holds.
func invalidPrevious(t testing.TB) (string, string) {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	invalidCopy(t, invalidMinimalDir, site, nil)
	out := filepath.Join(t.TempDir(), "public")
	if err := invalidBuild(t, site, out); err != nil {
		t.Fatalf("valid-minimal does not build: %v", err)
	}
	return out, invalidHash(t, out)
}

// invalidSite returns a copy of valid-minimal with the case's files on top.
func invalidSite(t testing.TB, caseDir string) string {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	invalidCopy(t, invalidMinimalDir, site, nil)
	if caseDir != "" {
		invalidCopy(t, caseDir, site, func(rel string) bool { return rel == "want.txt" })
	}
	return site
}

func invalidWant(t testing.TB, caseDir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(caseDir, "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			want = append(want, l)
		}
	}
	if len(want) == 0 {
		t.Fatal("want.txt is empty")
	}
	return want
}

func TestValidMinimal(t *testing.T) {
	out, before := invalidPrevious(t)
	// Building the same site again gives the same output.
	if err := invalidBuild(t, invalidSite(t, ""), out); err != nil {
		t.Fatal(err)
	}
	if after := invalidHash(t, out); after != before {
		t.Error("building the same site twice gives different output")
	}
}

func TestInvalidInputs(t *testing.T) {
	cases, err := os.ReadDir(invalidCasesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Fatalf("only %d cases in %s", len(cases), invalidCasesDir)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		caseDir := filepath.Join(invalidCasesDir, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			want := invalidWant(t, caseDir)
			out, before := invalidPrevious(t)
			err := invalidBuild(t, invalidSite(t, caseDir), out)
			if want[0] == "OK" {
				if err != nil {
					t.Fatalf("the case should build, but:\n%v", err)
				}
				for _, w := range want[1:] {
					rel, ok := strings.CutPrefix(w, "output: ")
					if !ok {
						t.Fatalf("want.txt: after OK only `output: <path>` lines may follow, not %q", w)
					}
					if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
						t.Errorf("the output has no %s", rel)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("the case built without an error; want:\n%s", strings.Join(want, "\n"))
			}
			text := err.Error()
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the error does not contain\n\t%s\nit is:\n%s", w, text)
				}
			}
			invalidPositioned(t, err)
			if after := invalidHash(t, out); after != before {
				t.Error("a failed build changed the previous output")
			}
		})
	}
}

// invalidPositioned checks that every problem of a failed build names a file.
func invalidPositioned(t *testing.T, err error) {
	t.Helper()
	l := diag.AsList(err)
	if l == nil {
		t.Errorf("the error is not a diag.List: %T %v", err, err)
		return
	}
	for _, e := range l {
		if e.Pos.File == "" {
			t.Errorf("a problem without a file: %v", e)
		}
	}
}

// TestLinksOutside builds sites holding links that point outside the site
// folder. The links are made here; the repository holds none.
func TestLinksOutside(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.md")
	if err := os.WriteFile(secret, []byte("---\ntitle: Secret\ndate: 2026-01-01\n---\nnot part of the site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "more.csv"), []byte("metric,period,value\ncoverage,2026-Q2,80\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		link    string // in the site
		target  string
		replace bool // remove what valid-minimal has there first
		want    string
	}{
		{"story file", "content/stories/secret.md", secret, false, "content/stories/secret.md: is a link or special file, not a regular file"},
		{"stories folder", "content/stories", outside, true, "content/stories: is a link, not a folder"},
		{"observations folder", "data/observations", outside, true, "data/observations: is a link, not a folder"},
		{"data file", "data/partners.yaml", "/etc/passwd", true, "data/partners.yaml: is a link, not a regular file"},
		{"data folder", "data", outside, true, "data: is a link, not a folder"},
		{"site.yaml", "site.yaml", secret, true, "site.yaml: is a link, not a regular file"},
		{"relative, through ..", "content/stories/up.md", "../../../" + filepath.Base(outside) + "/secret.md", false, "content/stories/up.md: is a link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, before := invalidPrevious(t)
			site := invalidSite(t, "")
			link := filepath.Join(site, filepath.FromSlash(tt.link))
			if tt.replace {
				if err := os.RemoveAll(link); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink(tt.target, link); err != nil {
				t.Skipf("cannot make a link here: %v", err)
			}
			err := invalidBuild(t, site, out)
			if err == nil {
				t.Fatal("a site with a link outside it built")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not contain\n\t%s\nit is:\n%v", tt.want, err)
			}
			if strings.Contains(err.Error(), "Secret") {
				t.Errorf("the error shows content from outside the site:\n%v", err)
			}
			invalidPositioned(t, err)
			if after := invalidHash(t, out); after != before {
				t.Error("a failed build changed the previous output")
			}
		})
	}
}

// TestBigObservations loads a site with a 200 MB observations file and
// checks that memory stays bounded: the load succeeds, or fails with a
// positioned error, and the heap never passes 1 GiB.
func TestBigObservations(t *testing.T) {
	heavy.Test(t)
	t.Parallel() // heavy and independent: runs beside the others
	const size = 200 << 20
	site := invalidSite(t, "")
	name := "data/observations/big.csv"
	f, err := os.Create(filepath.Join(site, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("metric,period,value,partner,note\n")
	// Rows that are all different (metric, day, partner), written without
	// fmt so that the file takes a second, not the test's whole budget.
	written := 0
	row := make([]byte, 0, 64)
	pad := func(b []byte, v, width int) []byte {
		for d := width - 1; d >= 0; d-- {
			p := 1
			for i := 0; i < d; i++ {
				p *= 10
			}
			b = append(b, byte('0'+v/p%10))
		}
		return b
	}
	days := func(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }
	partners := []string{"", "city-health", "neighbours"}
	i := 0
	for y := 1000; y <= 9999 && written < size; y++ {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= days(y, m); d++ {
				for _, metric := range []string{"visits", "coverage"} {
					for _, p := range partners {
						row = append(row[:0], metric...)
						row = append(row, ',')
						row = pad(row, y, 4)
						row = append(row, '-')
						row = pad(row, m, 2)
						row = append(row, '-')
						row = pad(row, d, 2)
						row = append(row, ',')
						row = strconv.AppendInt(row, int64(i%100000), 10)
						row = append(row, ".25,"...)
						row = append(row, p...)
						row = append(row, ",\n"...)
						n, _ := w.Write(row)
						written += n
						i++
					}
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	site2, errs := Load(Options{Source: site, Now: invalidNow})
	took := time.Since(start)
	close(stop)
	<-sampled
	t.Logf("loaded %d MB in %v; peak heap in use %d MB; %d problems", written>>20, took, peak>>20, len(errs))

	if site2 == nil {
		t.Fatal("Load returned no site")
	}
	for _, e := range errs.Errors() {
		if e.Pos.File != name || e.Pos.Line <= 0 {
			t.Errorf("a problem that is not positioned in %s: %v", name, e)
		}
	}
	if len(errs.Errors()) == 0 && len(site2.Metric("visits").Series) == 0 {
		t.Error("the load succeeded but kept no values")
	}
	if peak >= 1<<30 {
		t.Errorf("peak heap in use %d MB, want under 1 GiB", peak>>20)
	}
}

// TestHugeCells puts a 1 MB value into a story's title, a partner's name
// and an observation's note: each is either read or refused at its line,
// never a panic or a half-written output.
func TestHugeCells(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	cases := []struct {
		name, file, body, want string
	}{
		{"csv note", "data/observations/big.csv", "metric,period,value,note\ncoverage,2026-Q2,5,\"" + big + "\"\n", "data/observations/big.csv:2"},
		{"yaml name", "data/decisions.yaml", "- {id: d1, date: 2025-01-01, decision: \"" + big + "\"}\n", ""},
		{"story title", "content/stories/big.md", "---\ntitle: \"" + big + "\"\ndate: 2025-01-01\nkind: lesson\n---\nx\n", "content/stories/big.md:2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, before := invalidPrevious(t)
			site := invalidSite(t, "")
			if err := os.WriteFile(filepath.Join(site, filepath.FromSlash(tc.file)), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			err := invalidBuild(t, site, out)
			if err == nil {
				return // read and built: a long value is allowed
			}
			invalidPositioned(t, err)
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want a problem at %s, got:\n%.300s", tc.want, err)
			}
			if invalidHash(t, out) != before {
				t.Error("a failed build changed the previous output")
			}
		})
	}
}
