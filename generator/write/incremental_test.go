package write

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

type state struct {
	data  string
	ino   uint64
	mtime time.Time
}

func readTree(t *testing.T, dir string) map[string]state {
	t.Helper()
	m := map[string]state{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, _ := os.Lstat(p)
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = state{string(b), fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime()}
		return nil
	})
	return m
}

// build writes files (path → content) into dest through a Dir and commits.
func build(t *testing.T, dest string, files map[string]string) Counts {
	t.Helper()
	d, err := New(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	for p, c := range files {
		if err := d.File(p, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return d.Counts()
}

// settle moves the files' times a little into the past, as if the build
// had happened a while ago, so a rewrite would show in the times.
func settle(t *testing.T, dest string) {
	t.Helper()
	time.Sleep(20 * time.Millisecond)
}

var site1 = map[string]string{
	"index.html":           "<p>home</p>",
	"stories/a/index.html": "<p>a</p>",
	"stories/b/index.html": "<p>b</p>",
	"css/site.css":         "body { color : red ; }",
	"empty.txt":            "",
}

func TestWriteOnlyWhatChanged(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		name := "bytes compared"
		if trusted {
			name = "manifest trusted"
		}
		t.Run(name, func(t *testing.T) {
			if trusted {
				// The manifest is written well after the files: not racy.
				manifestNow = func() time.Time { return time.Now().Add(time.Hour) }
				defer func() { manifestNow = time.Now }()
			}
			dest := filepath.Join(t.TempDir(), "public")
			if c := build(t, dest, site1); c != (Counts{Written: 5}) {
				t.Errorf("first build: %+v", c)
			}
			before := readTree(t, dest)
			dirsBefore := map[string]time.Time{}
			for _, dir := range []string{".", "stories", "stories/a", "css"} {
				dirsBefore[dir] = folderTime(t, dest, dir)
			}
			settle(t, dest)
			// No change: nothing written, every file (marker too) the same
			// inode and time.
			if c := build(t, dest, site1); c != (Counts{Unchanged: 5}) {
				t.Errorf("no-change build: %+v, want 5 unchanged", c)
			}
			if after := readTree(t, dest); !sameTree(before, after, true) {
				t.Errorf("a no-change build touched files:\nbefore %v\nafter  %v", before, after)
			}
			// Folders too keep their times.
			for _, dir := range []string{".", "stories", "stories/a", "css"} {
				if a, b := folderTime(t, dest, dir), dirsBefore[dir]; !a.Equal(b) {
					t.Errorf("a no-change build changed the time of the folder %s: %v → %v", dir, b, a)
				}
			}
			// b edited, a removed, c added; the CSS minifies to the same bytes.
			site2 := map[string]string{
				"index.html":           "<p>home</p>",
				"stories/b/index.html": "<p>b, edited</p>",
				"stories/c/index.html": "<p>c</p>",
				"css/site.css":         "body{color:red}",
				"empty.txt":            "",
			}
			if c := build(t, dest, site2); c != (Counts{Written: 2, Unchanged: 3, Removed: 1}) {
				t.Errorf("edit build: %+v, want 2 written, 3 unchanged, 1 removed", c)
			}
			after := readTree(t, dest)
			for _, p := range []string{"index.html", "css/site.css", "empty.txt", Marker} {
				if after[p] != before[p] {
					t.Errorf("%s was rewritten: %v → %v", p, before[p], after[p])
				}
			}
			if s := after["stories/b/index.html"]; s.data != "<p>b, edited</p>" || s.ino == before["stories/b/index.html"].ino {
				t.Errorf("b: %+v (want new bytes in a new file)", s)
			}
			if _, ok := after["stories/a/index.html"]; ok {
				t.Error("a removed page survived")
			}
			// A folder with the same names keeps its time; one whose
			// names changed has a new one, as writing in place gives.
			if a := folderTime(t, dest, "css"); !a.Equal(dirsBefore["css"]) {
				t.Errorf("css/ holds the same file but its time changed")
			}
			if a := folderTime(t, dest, "stories"); a.Equal(dirsBefore["stories"]) {
				t.Errorf("stories/ lost a and gained c but kept its time")
			}
			if len(after) != 6 {
				t.Errorf("%d files, want 5 and the marker", len(after))
			}
		})
	}
}

func sameTree(a, b map[string]state, strict bool) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if strict && b[p] != s || !strict && b[p].data != s.data {
			return false
		}
	}
	return true
}

// TestManifestIsTrustedOnlyWhenTheFileIsAsItSays: the manifest answers for a
// file only while it is as the manifest saw it; a file changed behind the
// build's back, even to the same size with its old time put back, is
// compared byte for byte.
func TestManifestIsTrustedOnlyWhenTheFileIsAsItSays(t *testing.T) {
	manifestNow = func() time.Time { return time.Now().Add(time.Hour) }
	defer func() { manifestNow = time.Now }()
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, site1)
	// The manifest is what answers: with a wrong digest recorded for
	// index.html, the build takes it for changed and writes it again.
	spoil := func(rel string) {
		t.Helper()
		man := ManifestPath(dest)
		b, err := os.ReadFile(man)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if strings.HasSuffix(l, " "+rel) {
				lines[i] = strings.Repeat("0", 64) + l[64:]
			}
		}
		os.WriteFile(man, []byte(strings.Join(lines, "\n")), 0o644)
	}
	spoil("index.html")
	if c := build(t, dest, site1); c != (Counts{Written: 1, Unchanged: 4}) {
		t.Errorf("with a wrong digest in the manifest: %+v, want index.html written", c)
	}
	// Files linked from the previous output are in the manifest as they
	// are once it is gone (its removal changed their change time).
	spoil("css/site.css")
	if c := build(t, dest, site1); c != (Counts{Written: 1, Unchanged: 4}) {
		t.Errorf("with a wrong digest for a linked file: %+v, want css/site.css written", c)
	}
	// A file changed to other bytes of the same size, its time put back:
	// its change time tells, and the bytes are compared.
	p := filepath.Join(dest, "stories/b/index.html")
	fi, _ := os.Lstat(p)
	os.WriteFile(p, []byte("<p>x</p>"), 0o644)
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	if c := build(t, dest, site1); c != (Counts{Written: 1, Unchanged: 4}) {
		t.Errorf("after a change behind the build's back: %+v, want b written", c)
	}
	if got, _ := os.ReadFile(p); string(got) != "<p>b</p>" {
		t.Errorf("b = %q", got)
	}
}

// TestStaleManifest: a build killed after the swap and before its manifest
// was renamed leaves the previous manifest beside the new output; the next
// build must still make the right output.
func TestStaleManifest(t *testing.T) {
	manifestNow = func() time.Time { return time.Now().Add(time.Hour) }
	defer func() { manifestNow = time.Now }()
	dest := filepath.Join(t.TempDir(), "public")
	site2 := map[string]string{"index.html": "<p>home, two</p>", "stories/a/index.html": "<p>A</p>", "other.txt": "x"}
	build(t, dest, site1)
	old, _ := os.ReadFile(ManifestPath(dest))
	build(t, dest, site2)
	os.WriteFile(ManifestPath(dest), old, 0o644)
	// Back to site1: every file must be right, whatever the old manifest says.
	build(t, dest, site1)
	clean := filepath.Join(t.TempDir(), "public")
	build(t, clean, site1)
	if a, b := readTree(t, dest), readTree(t, clean); !sameTree(a, b, false) {
		t.Errorf("after a stale manifest the output differs from a clean build:\n%v\n%v", a, b)
	}
}

// TestNoHardLinks: where links fail, unchanged files are written again with
// their old modification time.
func TestNoHardLinks(t *testing.T) {
	link = func(string, string) error {
		return &os.LinkError{Op: "link", Err: errors.New("operation not permitted")}
	}
	defer func() { link = os.Link }()
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, site1)
	before := readTree(t, dest)
	settle(t, dest)
	if c := build(t, dest, site1); c != (Counts{Unchanged: 5}) {
		t.Errorf("no-change build without links: %+v", c)
	}
	after := readTree(t, dest)
	for p, s := range before {
		if a := after[p]; a.data != s.data || !a.mtime.Equal(s.mtime) {
			t.Errorf("%s: %v → %v (want the same bytes and time)", p, s, a)
		}
	}
}

// TestAbortLeavesLinkedOutput: a build that linked files of the live output
// and then failed leaves every file as it was (bytes, inode, time), and the
// next build that writes one of the linked paths gets a new file.
func TestAbortLeavesLinkedOutput(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, site1)
	before := readTree(t, dest)
	d, err := New(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	for p, c := range site1 {
		d.File(p, []byte(c)) // all linked
	}
	if err := d.File("index.html", []byte("<p>changed</p>")); err == nil {
		t.Error("a second write of a linked path was accepted")
	}
	if err := d.Copy("index.html", os.DirFS(dest), "index.html"); err == nil {
		t.Error("a copy onto a linked path was accepted")
	}
	d.Abort()
	if after := readTree(t, dest); !sameTree(before, after, true) {
		t.Errorf("an aborted build changed the output:\nbefore %v\nafter  %v", before, after)
	}
}

func folderTime(t *testing.T, dest, dir string) time.Time {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dest, dir))
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// sumFS is a SumFS over a map; it counts the files read, and may lie about
// a file's SHA-256.
type sumFS struct {
	files map[string]string
	sums  map[string][32]byte
	reads *int
}

func (s sumFS) Open(name string) (fs.File, error) {
	*s.reads++
	c, ok := s.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return fstest.MapFS{name: {Data: []byte(c)}}.Open(name)
}

func (s sumFS) Sum(name string) ([32]byte, bool) {
	sum, ok := s.sums[name]
	return sum, ok
}

// A file copied from a SumFS is linked from the live output without
// reading it when the manifest knows the live file by the same SHA-256,
// and read and written when anything differs.
func TestCopyKnownSum(t *testing.T) {
	manifestNow = func() time.Time { return time.Now().Add(time.Hour) }
	defer func() { manifestNow = time.Now }()
	sum := func(s string) [32]byte { return sha256.Sum256([]byte(s)) }
	copyAll := func(dest string, src sumFS) Counts {
		t.Helper()
		d, err := New(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"a.jpg", "b.jpg"} {
			if err := d.Copy("img/"+name, src, name); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d.Counts()
	}
	files := map[string]string{"a.jpg": "photo a", "b.jpg": "photo b"}
	cases := []struct {
		name      string
		second    map[string]string // the files of the second build
		sums      map[string][32]byte
		touch     bool // the live a.jpg is rewritten between the builds
		wantReads int
		want      map[string]string
	}{
		{"unchanged: nothing read", files, map[string][32]byte{"a.jpg": sum("photo a"), "b.jpg": sum("photo b")}, false, 0,
			map[string]string{"img/a.jpg": "photo a", "img/b.jpg": "photo b"}},
		{"one changed: only it is read", map[string]string{"a.jpg": "photo a", "b.jpg": "photo B"}, map[string][32]byte{"a.jpg": sum("photo a"), "b.jpg": sum("photo B")}, false, 1,
			map[string]string{"img/a.jpg": "photo a", "img/b.jpg": "photo B"}},
		{"no sums: both read", files, nil, false, 2,
			map[string]string{"img/a.jpg": "photo a", "img/b.jpg": "photo b"}},
		{"live file changed behind the manifest: read", files, map[string][32]byte{"a.jpg": sum("photo a"), "b.jpg": sum("photo b")}, true, 1,
			map[string]string{"img/a.jpg": "photo a", "img/b.jpg": "photo b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			reads := 0
			copyAll(dest, sumFS{files: files, sums: map[string][32]byte{"a.jpg": sum("photo a"), "b.jpg": sum("photo b")}, reads: &reads})
			if c.touch {
				// Another program rewrites the live file in place.
				if err := os.WriteFile(filepath.Join(dest, "img", "a.jpg"), []byte("edited!"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := readTree(t, dest)
			reads = 0
			copyAll(dest, sumFS{files: c.second, sums: c.sums, reads: &reads})
			if reads != c.wantReads {
				t.Errorf("read %d files, want %d", reads, c.wantReads)
			}
			after := readTree(t, dest)
			for p, want := range c.want {
				if after[p].data != want {
					t.Errorf("%s = %q, want %q", p, after[p].data, want)
				}
				if !c.touch && want == files[strings.TrimPrefix(p, "img/")] && after[p].ino != before[p].ino {
					t.Errorf("%s: an unchanged file was written again", p)
				}
			}
		})
	}
}

// After a rebuild in place, the manifest vouches for the files kept: the
// removal of the previous output changed their change times, and Commit
// waits that out, so a third build reads none of them again. Without the
// wait every kept file was racy, and each build compared every file byte
// for byte.
func TestKeptFilesTrustedNextTime(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("p/%02d/index.html", i)] = fmt.Sprintf("<p>page %d</p>", i)
	}
	run := func() (Counts, int64) {
		t.Helper()
		d, err := New(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for p, c := range files {
			if err := d.File(p, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d.Counts(), d.compared.Load()
	}
	run()
	time.Sleep(racyWindow + 20*time.Millisecond) // the first build's files are not racy
	if c, _ := run(); c.Unchanged != len(files) {
		t.Fatalf("second build: %+v", c)
	}
	c, compared := run()
	if c.Unchanged != len(files) || compared != 0 {
		t.Errorf("third build: %+v, %d old files read to compare them, want 0", c, compared)
	}
	// A file rewritten in place by someone else (same size, its times put
	// back) is seen: its change time moved.
	p := filepath.Join(dest, "p", "07", "index.html")
	fi, _ := os.Stat(p)
	os.WriteFile(p, []byte("<p>page X</p>"), 0o644)
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	if _, compared := run(); compared == 0 {
		t.Error("a file changed behind the manifest was not compared")
	}
	if b, _ := os.ReadFile(p); string(b) != "<p>page 7</p>" {
		t.Errorf("the changed file = %q, want it written again", b)
	}
}

// dirSumFS is a folder of the system that knows its files' SHA-256, as
// the image cache does: its files open as *os.File, so Copy can have the
// kernel copy them.
type dirSumFS struct {
	fs.FS
	sums  map[string][32]byte
	reads *int
}

func (s dirSumFS) Open(name string) (fs.File, error) {
	*s.reads++
	return s.FS.Open(name)
}

func (s dirSumFS) Sum(name string) ([32]byte, bool) {
	sum, ok := s.sums[name]
	return sum, ok
}

// A file of a SumFS folder copied into an output that has no file at its
// path is copied by the kernel, byte for byte, and the manifest records
// the known SHA-256: the next build links it without reading it, and a
// file whose content changed in the folder is copied anew.
func TestCopyKnownByKernel(t *testing.T) {
	manifestNow = func() time.Time { return time.Now().Add(time.Hour) }
	defer func() { manifestNow = time.Now }()
	src := t.TempDir()
	big := strings.Repeat("0123456789abcdef", 70000) // over 1 MB: more than one copy call on some kernels
	write := func(name, c string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.png", "card a")
	write("big.png", big)
	write("empty.png", "")
	sums := map[string][32]byte{}
	for _, n := range []string{"a.png", "big.png", "empty.png"} {
		b, _ := os.ReadFile(filepath.Join(src, n))
		sums[n] = sha256.Sum256(b)
	}
	dest := filepath.Join(t.TempDir(), "public")
	build := func(names ...string) (Counts, int) {
		t.Helper()
		reads := 0
		d, err := New(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if err := d.Copy("cards/"+n, dirSumFS{os.DirFS(src), sums, &reads}, n); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d.Counts(), reads
	}
	check := func(want map[string]string) {
		t.Helper()
		got := readTree(t, dest)
		for p, w := range want {
			if got[p].data != w {
				t.Errorf("%s: %d bytes, want %d", p, len(got[p].data), len(w))
			}
		}
	}
	// A new output: every file copied, each opened once (no second read).
	if _, reads := build("a.png", "big.png"); reads != 2 {
		t.Errorf("first build opened %d files, want 2", reads)
	}
	check(map[string]string{"cards/a.png": "card a", "cards/big.png": big})
	// Unchanged: linked from the live output, nothing opened; a file new
	// to the output is copied by the kernel too.
	if _, reads := build("a.png", "big.png", "empty.png"); reads != 1 {
		t.Errorf("second build opened %d files, want 1 (the new empty.png)", reads)
	}
	check(map[string]string{"cards/a.png": "card a", "cards/big.png": big, "cards/empty.png": ""})
	// A changed file under its new sum: copied again.
	write("a.png", "card A")
	sums["a.png"] = sha256.Sum256([]byte("card A"))
	build("a.png", "big.png", "empty.png")
	check(map[string]string{"cards/a.png": "card A", "cards/big.png": big, "cards/empty.png": ""})
}

// BenchmarkCopyCached copies a 36 kB story card from a folder into a new
// output, as a warm build copies every story and kit card from the image
// cache: by the kernel under its known SHA-256, and read, hashed and
// written as before (a folder that knows no sums).
func BenchmarkCopyCached(b *testing.B) {
	src := b.TempDir()
	data := bytes.Repeat([]byte("card bytes "), 3300)
	if err := os.WriteFile(filepath.Join(src, "card.png"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	reads := 0
	for _, c := range []struct {
		name string
		fsys fs.FS
	}{
		{"kernel", dirSumFS{os.DirFS(src), map[string][32]byte{"card.png": sha256.Sum256(data)}, &reads}},
		{"read", os.DirFS(src)},
	} {
		b.Run(c.name, func(b *testing.B) {
			d, err := New(filepath.Join(b.TempDir(), "public"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := d.Copy(fmt.Sprintf("stories/%d/card.png", i), c.fsys, "card.png"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Files of a SumFS are read into reused buffers: copies of files of
// different sizes, at once, each get their own bytes whole.
func TestCopyKnownSumBuffers(t *testing.T) {
	files := map[string]string{}
	sums := map[string][32]byte{}
	for i, n := range []int{10, 100000, 5, 40000, 0, 70000, 3} {
		name := fmt.Sprintf("f%d.png", i)
		c := strings.Repeat(string(rune('a'+i)), n)
		files[name], sums[name] = c, sha256.Sum256([]byte(c))
	}
	dest := filepath.Join(t.TempDir(), "public")
	d, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(files))
	for name := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reads := 0 // each copy its own count: sumFS counts without a lock
			errs <- d.Copy("img/"+name, sumFS{files: files, sums: sums, reads: &reads}, name)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dest)
	for name, c := range files {
		if got["img/"+name].data != c {
			t.Errorf("img/%s: %d bytes, want %d", name, len(got["img/"+name].data), len(c))
		}
	}
}
