// Package write puts rendered files on disk. It knows only paths and bytes:
// every path is checked to stay inside the output folder, HTML, CSS, JS,
// SVG and XML are minified, and the whole site is built in a temporary
// folder beside the destination and swapped in only when the build
// succeeds, so a failed or killed build leaves the previous output as it was.
package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Marker is the file every output folder holds, so that drumbeat replaces
// only folders it made itself.
const Marker = ".drumbeat-output"

// Options configure a Dir.
type Options struct {
	Minify   bool
	KeepHTML bool // do not minify .html files (they come from minified layouts)
	// Wait is how long New waits for another build of the same output to
	// end; New fails with a *BusyError at once when zero.
	Wait time.Duration
	// Stop ends the wait early when it is closed (a build's ctx.Done()).
	Stop <-chan struct{}
}

// Dir writes a site into a temporary folder and swaps it into place on Commit.
type Dir struct {
	dest, tmp string
	lock      *outputLock
	min       *minify.M
	mu        sync.Mutex
	dirs      map[string]bool
	files     map[string]bool
	keepHTML  bool
}

// CheckPath reports whether rel is a safe relative path inside the output:
// forward slashes, no "..", no absolute path, no NUL or backslash, no
// Windows-reserved device names.
func CheckPath(rel string) error {
	switch {
	case rel == "" || strings.HasPrefix(rel, "/"):
		return fmt.Errorf("output path %q must be relative", rel)
	case strings.ContainsAny(rel, "\\\x00:"):
		return fmt.Errorf("output path %q contains a backslash, colon or NUL", rel)
	case path.Clean(rel) != rel:
		return fmt.Errorf("output path %q is not clean", rel)
	}
	for _, part := range strings.Split(rel, "/") {
		if part == ".." || part == "." || part == "" {
			return fmt.Errorf("output path %q leaves the output folder", rel)
		}
		if reservedName.MatchString(part) {
			return fmt.Errorf("output path %q uses the reserved Windows name %q", rel, part)
		}
	}
	return nil
}

var reservedName = regexp.MustCompile(`(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$`)

// New prepares a build of dest. dest must be a folder drumbeat made before,
// an empty folder, or not exist yet. The build holds dest's lock until
// Commit or Abort; while another build holds it, New waits up to opt.Wait
// and then returns a *BusyError.
func New(dest string, opt Options) (*Dir, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	lock, err := acquire(dest, opt.Wait, opt.Stop)
	if err != nil {
		return nil, err
	}
	d, err := newDir(dest, parent, opt)
	if err != nil {
		lock.release()
		return nil, err
	}
	d.lock = lock
	return d, nil
}

func newDir(dest, parent string, opt Options) (*Dir, error) {
	if fi, err := os.Lstat(dest); err == nil {
		if !fi.IsDir() {
			return nil, fmt.Errorf("output %s exists and is not a folder", dest)
		}
		if !madeByUs(dest) {
			return nil, fmt.Errorf("output folder %s is not empty and was not made by drumbeat; choose an empty or new folder with -o, or remove it first", dest)
		}
	}
	// Holding the lock, no other build of dest is running: temporary
	// folders beside it were left by builds that were killed.
	prefix := "." + filepath.Base(dest) + ".drumbeat-tmp-"
	removeStale(parent, prefix)
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	d := &Dir{dest: dest, tmp: tmp, dirs: map[string]bool{}, files: map[string]bool{}}
	if opt.Minify {
		d.min = newMinifier()
		d.keepHTML = opt.KeepHTML
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte("This folder is written by drumbeat build; it is replaced on every build.\n"), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return d, nil
}

func madeByUs(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	if len(entries) == 0 {
		return true
	}
	_, err = os.Lstat(filepath.Join(dir, Marker))
	return err == nil
}

// removeStale removes temporary folders left by killed builds. It is
// called only by the holder of the output's lock.
func removeStale(parent, prefix string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepSpecialComments: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/xml", xml.Minify)
	return m
}

func mediaType(rel string) string {
	switch {
	case strings.HasSuffix(rel, ".min.js"), strings.HasSuffix(rel, ".min.css"):
		return "" // already minified
	case strings.HasSuffix(rel, "/email.html"):
		return "" // mail clients need what the minifier would strip
	}
	switch path.Ext(rel) {
	case ".html":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js":
		return "application/javascript"
	case ".svg":
		return "image/svg+xml"
	case ".xml":
		return "application/xml"
	}
	return ""
}

// File writes data at rel inside the output, minified by its type. It is
// safe for concurrent use. Writing the same path twice is an error.
func (d *Dir) File(rel string, data []byte) error {
	if err := CheckPath(rel); err != nil {
		return err
	}
	if rel == Marker {
		return fmt.Errorf("output path %q is reserved", rel)
	}
	if d.min != nil {
		if mt := mediaType(rel); mt != "" && !(d.keepHTML && mt == "text/html") {
			var buf bytes.Buffer
			buf.Grow(len(data))
			if err := d.min.Minify(mt, &buf, bytes.NewReader(data)); err != nil {
				return fmt.Errorf("minify %s: %w", rel, err)
			}
			data = buf.Bytes()
		}
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(rel))
	if err := d.mkdir(path.Dir(rel)); err != nil {
		return err
	}
	d.mu.Lock()
	if d.files[rel] {
		d.mu.Unlock()
		return fmt.Errorf("two outputs want the same path %s", rel)
	}
	d.files[rel] = true
	d.mu.Unlock()
	return os.WriteFile(full, data, 0o644)
}

func (d *Dir) mkdir(rel string) error {
	if rel == "." {
		return nil
	}
	d.mu.Lock()
	done := d.dirs[rel]
	d.mu.Unlock()
	if done {
		return nil
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(rel))
	// Most folders are new leaves under a folder made before: try Mkdir
	// first, which costs one system call instead of MkdirAll's several.
	if err := os.Mkdir(full, 0o755); err != nil && !os.IsExist(err) {
		if err := os.MkdirAll(full, 0o755); err != nil {
			return err
		}
	}
	d.mu.Lock()
	for p := rel; p != "."; p = path.Dir(p) {
		d.dirs[p] = true
	}
	d.mu.Unlock()
	return nil
}

// Copy copies a file from fsys into the output at rel, without minifying.
func (d *Dir) Copy(rel string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := CheckPath(rel); err != nil {
		return err
	}
	if err := d.mkdir(path.Dir(rel)); err != nil {
		return err
	}
	d.mu.Lock()
	if d.files[rel] {
		d.mu.Unlock()
		return fmt.Errorf("two outputs want the same path %s", rel)
	}
	d.files[rel] = true
	d.mu.Unlock()
	return os.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(rel)), data, 0o644)
}

// Count returns the number of files written.
func (d *Dir) Count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.files)
}

// Commit swaps the new output into place with one atomic rename and
// removes the previous output. A build killed at any moment leaves either
// the previous output or the new one, complete. (Like other generators,
// drumbeat does not fsync every file: that guards against power loss, not
// a killed build, and costs seconds on a large site.)
func (d *Dir) Commit() error {
	defer d.lock.release()
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			d.Abort()
			return err
		}
		syncDir(filepath.Dir(d.dest))
		return nil
	}
	if err := exchange(d.tmp, d.dest); err != nil {
		d.Abort()
		return err
	}
	syncDir(filepath.Dir(d.dest))
	// d.tmp now holds the previous output.
	return os.RemoveAll(d.tmp)
}

// Abort removes the temporary folder; the destination is untouched.
func (d *Dir) Abort() {
	os.RemoveAll(d.tmp)
	d.lock.release()
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
