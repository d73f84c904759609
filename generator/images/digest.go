package images

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// digestEntry is what the stat memo remembers of a file: its identity and
// times when its digest was computed, and when that was.
type digestEntry struct {
	Size     int64  `json:"size"`
	Mtime    int64  `json:"mtime"` // ns
	Ctime    int64  `json:"ctime"` // ns
	Dev      uint64 `json:"dev"`
	Ino      uint64 `json:"ino"`
	Recorded int64  `json:"recorded"` // ns, wall clock
	Digest   string `json:"sha256"`
}

// racyWindow is how long after a file's modification its memo entry must
// have been recorded to be trusted: a file written again within the same
// clock tick as the last look could have the same size and times.
const racyWindow = 2 * time.Second

// digestsFile is the stat memo's name in the cache folder.
const digestsFile = "digests.json"

// now is the clock of the stat memo (a test sets it).
var now = time.Now

// Memo is the stat memo: the digests of the files a build looked at,
// remembered in the cache folder with each file's size, modification and
// change times and inode, as git's index does, so that an unchanged photo
// is not read again. The loader (whose approval fingerprints cover the
// photos) and the image stage share one. It is safe for concurrent use.
type Memo struct {
	dir     string
	mu      sync.Mutex
	digests map[string]digestEntry // by name and file identity
	used    map[string]bool        // the entries looked at since it was opened
	dirty   bool
}

// OpenMemo reads the memo kept in the folder dir ("" for one that keeps
// nothing). A missing or damaged memo is an empty one: digests are then
// computed again.
func OpenMemo(dir string) *Memo {
	m := &Memo{dir: dir, digests: map[string]digestEntry{}, used: map[string]bool{}}
	if dir != "" {
		m.load()
	}
	return m
}

// Digest returns the SHA-256 (hex) of the file name in fsys, from the memo
// when the file's status is the one recorded; a file changed within the
// clock's resolution of the last look is read again (git's "racy" rule).
func (p *Processor) Digest(fsys fs.FS, name string) (string, error) {
	return p.memo.Digest(fsys, name)
}

// Digest returns the SHA-256 (hex) of the file name in fsys; see
// Processor.Digest.
func (p *Memo) Digest(fsys fs.FS, name string) (string, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return "", readError(err)
	}
	if fi.IsDir() {
		return "", &Error{Msg: "is a folder, not an image", Hint: "name the image file inside it"}
	}
	st, ok := fileStat(fi)
	var key string
	if ok {
		key = fmt.Sprintf("%d:%d:%s", st.dev, st.ino, name)
		p.mu.Lock()
		e, hit := p.digests[key]
		p.mu.Unlock()
		if hit && e.Size == fi.Size() && e.Mtime == fi.ModTime().UnixNano() && e.Ctime == st.ctime &&
			e.Dev == st.dev && e.Ino == st.ino && e.Recorded-e.Mtime >= int64(racyWindow) {
			p.mu.Lock()
			p.used[key] = true
			p.mu.Unlock()
			return e.Digest, nil
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "", readError(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", readError(err)
	}
	d := hex.EncodeToString(h.Sum(nil))
	if ok {
		p.mu.Lock()
		p.used[key] = true
		p.digests[key] = digestEntry{Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Ctime: st.ctime,
			Dev: st.dev, Ino: st.ino, Recorded: now().UnixNano(), Digest: d}
		p.dirty = true
		p.mu.Unlock()
	}
	return d, nil
}

// statInfo is the part of a file's status the memo compares beyond size
// and modification time.
type statInfo struct {
	ctime    int64
	dev, ino uint64
}

func (p *Memo) load() {
	b, err := os.ReadFile(filepath.Join(p.dir, digestsFile))
	if err != nil {
		return
	}
	var m map[string]digestEntry
	if json.Unmarshal(b, &m) == nil && m != nil {
		p.digests = m
	}
}

// Save writes the memo to its folder, keeping the entries looked at since
// it was opened: those of files since deleted, renamed or rewritten go.
func (p *Memo) Save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir == "" || len(p.used) == 0 {
		return nil
	}
	keep := make(map[string]digestEntry, len(p.used))
	for k := range p.used {
		keep[k] = p.digests[k]
	}
	if !p.dirty && len(keep) == len(p.digests) {
		return nil
	}
	b, err := json.Marshal(keep)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(p.dir, digestsFile), b); err != nil {
		return err
	}
	p.digests, p.dirty = keep, false
	return nil
}
