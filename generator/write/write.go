// Package write puts rendered files on disk. It knows only paths and bytes:
// every path is checked to stay inside the output folder, HTML, CSS, JS,
// SVG and XML are minified, and the whole site is built in a temporary
// folder beside the destination and swapped in only when the build
// succeeds, so a failed or killed build leaves the previous output as it was.
//
// Only files whose bytes changed are written: a file whose final bytes
// equal those of the same path in the current output is hard-linked from
// it into the temporary folder (same inode, contents and modification
// time), or, where links fail, written and given back its old
// modification time. Files the build no longer makes go with the old
// folder. See manifest.go for how an unchanged file is known.
package write

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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
	prefix    string // of temporary names beside dest
	lock      *outputLock
	min       *minify.M
	mu        sync.Mutex
	dirs      map[string]bool
	files     map[string]bool
	keepHTML  bool
	// fresh: dest did not exist when the build began, so no file of
	// this build can be one of the live output's (none is looked for).
	fresh bool

	prev    map[string]entry // the previous build's manifest; read only
	entries map[string]entry // this build's, under mu

	written, unchanged atomic.Int64
	compared           atomic.Int64 // old files read to compare them (the manifest did not vouch)
	removed            int
}

// Counts says what a committed build did to the output's files (the
// marker file not counted).
type Counts struct {
	Written   int // new files and files whose bytes changed
	Unchanged int // files left as they were: same inode, bytes and time
	Removed   int // files of the previous output the build no longer makes
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
	fi, err := os.Lstat(dest)
	fresh := errors.Is(err, fs.ErrNotExist)
	if err == nil {
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
	d := &Dir{dest: dest, tmp: tmp, prefix: prefix, dirs: map[string]bool{}, files: map[string]bool{},
		entries: map[string]entry{}, fresh: fresh}
	d.prev = readManifest(ManifestPath(dest))
	if opt.Minify {
		d.min = newMinifier()
		d.keepHTML = opt.KeepHTML
	}
	d.files[Marker] = true
	if err := d.put(Marker, []byte(markerText)); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return d, nil
}

const markerText = "This folder is written by drumbeat build; it is replaced on every build.\n"

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
		// Folders, and the manifests of builds killed before they were
		// renamed into place.
		if strings.HasPrefix(e.Name(), prefix) {
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
	if err := d.claim(rel); err != nil {
		return err
	}
	return d.put(rel, data)
}

// FileKeepsNoBytes marks Dir as a sink whose File keeps none of the bytes
// it is given once it returns (render.BytesReused): they are minified into
// another buffer or written out.
func (d *Dir) FileKeepsNoBytes() {}

// claim reserves rel for one writer and makes its folder in the temporary
// output. Each path is written once: this is what makes it safe to link a
// file of the live output into the temporary folder, since nothing writes
// to a path after it was linked.
func (d *Dir) claim(rel string) error {
	if err := d.mkdir(path.Dir(rel)); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.files[rel] {
		return fmt.Errorf("two outputs want the same path %s", rel)
	}
	d.files[rel] = true
	return nil
}

// put gives the claimed path rel the bytes data in the temporary output:
// a link to the live output's file when that holds the same bytes, else a
// new file. It never opens an existing file for writing.
func (d *Dir) put(rel string, data []byte) error {
	return d.putSum(rel, data, sha256.Sum256(data))
}

// putSum is put for data whose SHA-256 is sum.
func (d *Dir) putSum(rel string, data []byte, sum [32]byte) error {
	e := entry{Sum: sum}
	full := filepath.Join(d.tmp, filepath.FromSlash(rel))
	old := filepath.Join(d.dest, filepath.FromSlash(rel))
	// A build into a new output has no live file to compare with (one
	// look-up saved on each file).
	var id fileID
	ok := false
	if !d.fresh {
		id, ok = d.same(rel, old, data, e.Sum)
	}
	if ok {
		if err := link(old, full); err == nil {
			// The link is the file that was compared, unchanged since.
			if fi, err := os.Lstat(full); err == nil && fi.Size() == id.Size && fi.ModTime().UnixNano() == id.Mtime {
				if now, ok := identity(fi); !ok || now.Ino == id.Ino {
					e.fileID = now
					if !ok {
						e.fileID = fileID{Mtime: -1}
					}
					e.linked = true
					d.record(rel, e, true)
					return nil
				}
			}
			if err := os.Remove(full); err != nil {
				return err
			}
		} else if err := create(full, data); err == nil {
			// No hard links here (or too many): the same bytes, with
			// the old modification time given back.
			mt := time.Unix(0, id.Mtime)
			kept := os.Chtimes(full, mt, mt) == nil
			e.fileID = statID(full)
			d.record(rel, e, kept)
			return nil
		} else {
			return err
		}
	}
	id, err := createStat(full, data)
	if err != nil {
		return err
	}
	e.fileID = id
	d.record(rel, e, false)
	return nil
}

// same reports whether the live output's file at old (the path rel) holds
// data, whose SHA-256 is sum, and returns its identity. The manifest
// answers when it knows the file as it is on disk; otherwise its bytes are
// read and compared.
func (d *Dir) same(rel, old string, data []byte, sum [32]byte) (fileID, bool) {
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return fileID{}, false
	}
	id, ok := identity(fi)
	if !ok {
		id = fileID{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
	}
	if e, known := d.prev[rel]; known && ok && e.fileID == id {
		return id, e.Sum == sum
	}
	f, err := os.Open(old)
	if err != nil {
		return fileID{}, false
	}
	defer f.Close()
	d.compared.Add(1)
	b := make([]byte, len(data)+1)
	n, err := io.ReadFull(f, b)
	if (err != io.ErrUnexpectedEOF && err != io.EOF) || n != len(data) || !bytes.Equal(b[:n], data) {
		return fileID{}, false
	}
	// The bytes read are those of the file as stat'ed before, unless it
	// changed meanwhile.
	if fi2, err := f.Stat(); err != nil || !fi2.ModTime().Equal(fi.ModTime()) || fi2.Size() != fi.Size() {
		return fileID{}, false
	}
	return id, true
}

func (d *Dir) record(rel string, e entry, unchanged bool) {
	if rel != Marker {
		if unchanged {
			d.unchanged.Add(1)
		} else {
			d.written.Add(1)
		}
	}
	if strings.ContainsAny(rel, "\n\r") {
		return // not in the manifest: compared byte for byte next time
	}
	d.mu.Lock()
	d.entries[rel] = e
	d.mu.Unlock()
}

// link is os.Link (a test makes it fail, as on a file system without hard
// links).
var link = os.Link

// create writes a new file; it fails if name exists, so it never writes
// through a link to the live output.
func create(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// statID returns the identity of the file name, or none (an entry never
// trusted) when it cannot be read.
func statID(name string) fileID {
	if fi, err := os.Lstat(name); err == nil {
		if id, ok := identity(fi); ok {
			return id
		}
	}
	return fileID{Mtime: -1}
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

// SumFS is a file system that knows the SHA-256 of some of its files
// without reading them: a content-addressed folder such as the image
// cache, which names each file by the SHA-256 of its bytes.
type SumFS interface {
	fs.FS
	// Sum returns the SHA-256 of the file name's bytes, if known.
	Sum(name string) (sum [32]byte, ok bool)
}

// Copy copies a file from fsys into the output at rel, without minifying.
// When fsys is a SumFS that knows the file's SHA-256 and the manifest
// knows the live output's file at rel by the same SHA-256, that file is
// linked without reading either.
func (d *Dir) Copy(rel string, fsys fs.FS, name string) error {
	if err := CheckPath(rel); err != nil {
		return err
	}
	if rel == Marker {
		return fmt.Errorf("output path %q is reserved", rel)
	}
	if err := d.claim(rel); err != nil {
		return err
	}
	if s, ok := fsys.(SumFS); ok {
		if sum, ok := s.Sum(name); ok {
			if d.linkKnown(rel, sum) {
				return nil
			}
			if done, err := d.copyKnown(rel, fsys, name, sum); done {
				return err
			}
			// The SHA-256 is known: the bytes are read into a reused
			// buffer (put keeps none of them) and not hashed again.
			bp := copyBufs.Get().(*[]byte)
			defer copyBufs.Put(bp)
			data, err := readInto(fsys, name, bp)
			if err != nil {
				return err
			}
			return d.putSum(rel, data, sum)
		}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return d.put(rel, data)
}

// copyKnown copies the file name of fsys, whose SHA-256 sum is known, to
// the claimed path rel when the live output has no file there (always, in
// a build into a new output): the kernel copies it (copy_file_range on
// Linux, a reflink on file systems that share blocks), so its bytes are
// neither read into memory nor hashed. done is false when nothing was done
// (fsys is not a folder of the system, or the live output has a file at
// rel to compare with), and the caller copies the usual way.
func (d *Dir) copyKnown(rel string, fsys fs.FS, name string, sum [32]byte) (done bool, err error) {
	if !d.fresh {
		if _, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(rel))); !errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return false, nil
	}
	src, ok := f.(*os.File)
	if !ok {
		f.Close()
		return false, nil
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false, nil
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(rel))
	dst, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return true, err
	}
	n, err := io.CopyN(dst, src, fi.Size()) // one copy_file_range for a small file
	if err == nil && n != fi.Size() {
		err = fmt.Errorf("copied %d bytes of %s's %d", n, name, fi.Size())
	}
	id := fileID{Mtime: -1}
	if err == nil {
		if st, serr := dst.Stat(); serr == nil {
			if i, ok := identity(st); ok {
				id = i
			}
		}
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(full)
		return true, err
	}
	d.record(rel, entry{fileID: id, Sum: sum}, false)
	return true, nil
}

// copyBufs are Copy's buffers, for files whose SHA-256 is known.
var copyBufs = sync.Pool{New: func() any { return new([]byte) }}

// readInto reads the file name of fsys into *bp, grown to its size when
// short, and returns the bytes read.
func readInto(fsys fs.FS, name string, bp *[]byte) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := int(fi.Size())
	if cap(*bp) < size+1 {
		*bp = make([]byte, size+1)
	}
	buf := (*bp)[:cap(*bp)]
	n := 0
	for {
		m, err := f.Read(buf[n:])
		n += m
		if err == io.EOF {
			return buf[:n], nil
		}
		if err != nil {
			return nil, err
		}
		if n == len(buf) { // grown since its Stat: read the rest
			buf = append(buf, 0)[:n]
			buf = buf[:cap(buf)]
			*bp = buf
		}
	}
}

// linkKnown links the claimed path rel to the live output's file when the
// manifest knows that file, as it is on disk, to hold bytes whose SHA-256
// is sum. It reads no file's bytes; false means nothing was done.
func (d *Dir) linkKnown(rel string, sum [32]byte) bool {
	e, known := d.prev[rel]
	if !known || e.Sum != sum {
		return false
	}
	old := filepath.Join(d.dest, filepath.FromSlash(rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if id, ok := identity(fi); !ok || id != e.fileID {
		return false
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(rel))
	if link(old, full) != nil {
		return false
	}
	// The link is the file that was stat'ed, unchanged since (linking
	// changed its change time alone).
	if fi, err := os.Lstat(full); err == nil {
		if now, ok := identity(fi); ok && now.Ino == e.Ino && now.Size == e.Size && now.Mtime == e.Mtime {
			d.record(rel, entry{fileID: now, Sum: sum, linked: true}, true)
			return true
		}
	}
	os.Remove(full)
	return false
}

// Count returns the number of files of the output (the marker not
// counted).
func (d *Dir) Count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.files) - 1
}

// Counts says how many files were written, left unchanged and removed; the
// removed are known after Commit.
func (d *Dir) Counts() Counts {
	d.mu.Lock()
	defer d.mu.Unlock()
	return Counts{Written: int(d.written.Load()), Unchanged: int(d.unchanged.Load()), Removed: d.removed}
}

// Commit swaps the new output into place with one atomic rename and
// removes the previous output. A build killed at any moment leaves either
// the previous output or the new one, complete. (Like other generators,
// drumbeat does not fsync every file: that guards against power loss, not
// a killed build, and costs seconds on a large site.)
//
// The manifest of the new output is written last, when the old output is
// gone (removing it changes the change time of every file linked from it):
// a build killed before that leaves the previous manifest, whose entries
// no longer match the files on disk, so the next build compares those
// files byte for byte.
func (d *Dir) Commit() error {
	defer d.lock.release()
	parent := filepath.Dir(d.dest)
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			d.Abort()
			return err
		}
		syncDir(parent)
		d.placeManifest()
		return nil
	}
	d.keepFolderTimes()
	if err := exchange(d.tmp, d.dest); err != nil {
		d.Abort()
		return err
	}
	syncDir(parent)
	// d.tmp now holds the previous output.
	removed, err := d.removeOld(d.tmp, "")
	d.mu.Lock()
	d.removed = removed
	d.mu.Unlock()
	d.settle()
	d.placeManifest()
	return err
}

// settleWait is how long Commit waits after removing the previous output
// before it writes the manifest (a test sets it).
var settleWait = racyWindow

// settle waits out the racy window after the previous output's removal.
// Removing it changed the change time of every file the new output linked
// from it (one link fewer): written at once, the manifest would find each
// of them changed within the window, and the next build would read every
// kept file again to compare it. Waited out, the manifest vouches for them.
// A file changed while Commit waits has a change time inside the window
// and is compared the next time, as the racy rule requires. On a file
// system that keeps whole seconds the window is two seconds: not waited
// for (the next build compares bytes there).
func (d *Dir) settle() {
	if settleWait <= 0 || len(d.entries) == 0 {
		return
	}
	fi, err := os.Lstat(d.dest)
	if err != nil {
		return
	}
	if id, ok := identity(fi); !ok || id.Ctime%1e9 == 0 {
		return
	}
	time.Sleep(settleWait)
}

// keepFolderTimes gives each folder of the new output that holds the same
// names as the same folder of the current output that folder's
// modification time, as writing in place would have left it.
func (d *Dir) keepFolderTimes() {
	children := map[string][]string{}
	for rel := range d.files {
		children[path.Dir(rel)] = append(children[path.Dir(rel)], path.Base(rel))
	}
	for rel := range d.dirs {
		children[path.Dir(rel)] = append(children[path.Dir(rel)], path.Base(rel))
	}
	for dir, names := range children {
		old := filepath.Join(d.dest, filepath.FromSlash(dir))
		fi, err := os.Lstat(old)
		if err != nil || !fi.IsDir() {
			continue
		}
		have, err := os.ReadDir(old)
		if err != nil || len(have) != len(names) {
			continue
		}
		sort.Strings(names)
		same := true
		for i, e := range have { // sorted by name
			if e.Name() != names[i] || e.IsDir() != d.dirs[path.Join(dir, e.Name())] {
				same = false
				break
			}
		}
		if same {
			os.Chtimes(filepath.Join(d.tmp, filepath.FromSlash(dir)), time.Time{}, fi.ModTime())
		}
	}
}

// placeManifest writes the manifest of the committed output beside it. The
// files linked from the previous output are looked at again, after it was
// removed; the manifest's time is taken before, so that any later change
// to one of them is seen (see readManifest).
func (d *Dir) placeManifest() {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := manifestNow()
	for rel, e := range d.entries {
		if !e.linked {
			continue
		}
		fi, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(rel)))
		id, ok := fileID{}, false
		if err == nil {
			id, ok = identity(fi)
		}
		if !ok || id.Size != e.Size || id.Mtime != e.Mtime || id.Ino != e.Ino {
			delete(d.entries, rel)
			continue
		}
		e.fileID = id
		d.entries[rel] = e
	}
	name := ManifestPath(d.dest)
	man, err := writeManifest(filepath.Dir(d.dest), d.prefix, d.entries, now)
	if err == nil {
		err = os.Rename(man, name)
	}
	if err != nil {
		// The build is good without it: the next one compares bytes.
		os.Remove(man)
		os.Remove(name)
	}
}

// removeOld removes the previous output's folder dir (rel inside the
// output) and counts its files that the new output does not have.
func (d *Dir) removeOld(dir, rel string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, os.RemoveAll(dir)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		r := e.Name()
		if rel != "" {
			r = rel + "/" + r
		}
		full := filepath.Join(dir, e.Name())
		if e.IsDir() {
			m, err := d.removeOld(full, r)
			n += m
			errs = append(errs, err)
			continue
		}
		if !d.files[r] {
			n++
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
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
