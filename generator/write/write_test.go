package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"index.html", true},
		{"stories/a/index.html", true},
		{"", false},
		{"/etc/passwd", false},
		{"../x", false},
		{"a/../../x", false},
		{"a/./b", false},
		{"a//b", false},
		{"a\\b", false},
		{"a\x00b", false},
		{"c:/x", false},
		{"stories/con/index.html", false},
		{"stories/NUL.txt", false},
		{"stories/lpt1", false},
		{"stories/console/index.html", true},
	}
	for _, tc := range tests {
		if err := CheckPath(tc.path); (err == nil) != tc.ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
	}
}

func TestCommitSwapsAndAbortKeeps(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d, err := New(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.File("index.html", []byte("<html><body>  <p>one</p>  </body></html>")); err != nil {
		t.Fatal(err)
	}
	if err := d.File("../escape.html", []byte("x")); err == nil {
		t.Fatal("a path leaving the output was accepted")
	}
	if err := d.File("index.html", []byte("again")); err == nil {
		t.Fatal("writing one path twice was accepted")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	if !strings.Contains(string(b), "<p>one") || strings.Contains(string(b), "  <p>") {
		t.Errorf("index.html = %q (want minified)", b)
	}
	// A second build that is aborted leaves the first output as it was.
	d2, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d2.File("index.html", []byte("two"))
	d2.Abort()
	b, _ = os.ReadFile(filepath.Join(dest, "index.html"))
	if !strings.Contains(string(b), "one") {
		t.Errorf("an aborted build changed the output: %q", b)
	}
	// A committed second build replaces it whole: stale files go.
	d3, _ := New(dest, Options{})
	d3.File("other.html", []byte("three"))
	if err := d3.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err == nil {
		t.Error("a file of the previous build survived the swap")
	}
	if names := beside(dest); len(names) != 1 {
		t.Errorf("temporary folders left beside the output: %v", names)
	}
}

// beside lists what is in the folder of the output dest, the output
// included and its manifest (kept there for the next build) left out.
func beside(dest string) []string {
	entries, _ := os.ReadDir(filepath.Dir(dest))
	var names []string
	for _, e := range entries {
		if e.Name() != filepath.Base(ManifestPath(dest)) {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestEmailHTMLIsNotMinified(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	d, _ := New(dest, Options{Minify: true})
	src := "<!DOCTYPE html><html><head><!--[if mso]><xml></xml><![endif]--></head><body>  <p>x</p></body></html>"
	d.File("newsletter/2026-10/email.html", []byte(src))
	d.Commit()
	b, _ := os.ReadFile(filepath.Join(dest, "newsletter/2026-10/email.html"))
	if string(b) != src {
		t.Errorf("email.html was changed: %q", b)
	}
}

// TestCreateStatIdentity checks that the identity createStat reads from
// the open file is the one a later Lstat gives (the manifest trusts it on
// the next build), that it refuses an existing file and writes every byte.
func TestCreateStatIdentity(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 100_000} {
		name := filepath.Join(dir, fmt.Sprintf("f%d", size))
		data := bytes.Repeat([]byte{'x'}, size)
		id, err := createStat(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if got := statID(name); got != id {
			t.Errorf("size %d: createStat's identity %+v, Lstat's %+v", size, id, got)
		}
		if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, data) {
			t.Errorf("size %d: read back %d bytes (%v)", size, len(b), err)
		}
		if _, err := createStat(name, data); !errors.Is(err, fs.ErrExist) {
			t.Errorf("size %d: creating it again gave %v, want an error saying it exists", size, err)
		}
	}
}
