package images

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// cacheVersion names the way outputs are made: change it whenever a change
// of this package changes any output's bytes, and every cached result is
// made again.
const cacheVersion = "drumbeat-images-2"

// key is the cache key of a kind of work on inputs: a SHA-256 over the
// version, the limits and a canonical (JSON, fixed field order) encoding
// of the inputs.
func (p *Processor) key(kind string, inputs ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.Encode([]any{cacheVersion, kind, p.lim})
	for _, in := range inputs {
		enc.Encode(in)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// manifest is what a cache key made: the source's Info and the outputs,
// without their bytes.
type manifest struct {
	Info    Info
	Outputs []Output
}

// The cache folder's layout:
//
//	m/ab/<key>.json   a manifest per key
//	o/ab/<sha256>.jpg the outputs, named by the SHA-256 of their bytes
//	digests.json      the stat memo of Digest
//	index.json        the manifests the last build used, in one file
//	swept             when Prune last looked for old entries (its mtime)
//
// The index saves a warm build reading a manifest file for each result (four
// for each story's photo): it is read once, and a key it lacks is looked up
// in m/ as before. It is a copy, never the only record: deleting it costs
// one slower build.
const indexFile = "index.json"

// index is index.json's content.
type index struct {
	Version   string
	Manifests map[string]manifest
}

// loadIndex reads the index once; a missing, damaged or older one is empty.
func (p *Processor) loadIndex() {
	b, err := os.ReadFile(filepath.Join(p.dir, indexFile))
	if err != nil {
		return
	}
	var ix index
	if json.Unmarshal(b, &ix) == nil && ix.Version == cacheVersion {
		p.index = ix.Manifests
	}
}

// use records that this build used the manifest m under key, for the next
// build's index.
func (p *Processor) use(key string, m manifest, indexed bool) {
	p.mu.Lock()
	if p.used == nil {
		p.used = map[string]manifest{}
	}
	p.used[key] = m
	if !indexed {
		p.indexDirty = true
	}
	p.mu.Unlock()
}

// saveIndex writes the manifests this build used as the next build's
// index, unless that is the index it read.
func (p *Processor) saveIndex() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir == "" || len(p.used) == 0 || !p.indexDirty && len(p.used) == len(p.index) {
		return nil
	}
	b, err := json.Marshal(index{Version: cacheVersion, Manifests: p.used})
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(p.dir, indexFile), b)
}
func (p *Processor) manifestPath(key string) string {
	return filepath.Join(p.dir, "m", key[:2], key+".json")
}

// cached returns the result stored under key when its manifest and every
// output it names are there whole (each file's size matches); anything
// else is a miss.
func (p *Processor) cached(key string) (Result, bool) {
	if p.dir == "" {
		p.mu.Lock()
		r, ok := p.memory[key]
		p.mu.Unlock()
		return r, ok
	}
	p.indexOnce.Do(p.loadIndex)
	m, indexed := p.index[key]
	if !indexed {
		b, err := os.ReadFile(p.manifestPath(key))
		if err != nil {
			return Result{}, false
		}
		if json.Unmarshal(b, &m) != nil {
			return Result{}, false
		}
	}
	if len(m.Outputs) == 0 {
		return Result{}, false
	}
	for _, o := range m.Outputs {
		if !validName(o.File) {
			return Result{}, false
		}
		full := filepath.Join(p.dir, filepath.FromSlash(o.File))
		fi, err := os.Stat(full)
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != o.Size {
			return Result{}, false
		}
		touch(full, fi)
	}
	p.use(key, m, indexed)
	// A copy: the caller may change its result's outputs.
	return Result{Info: m.Info, Outputs: slices.Clone(m.Outputs)}, true
}

// validName is true for an output path this package writes: o/xx/<hex>.ext.
func validName(f string) bool {
	if len(f) < 10 || f[:2] != "o/" || f[4] != '/' {
		return false
	}
	for _, c := range f {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '/' || c == '.') {
			return false
		}
	}
	return true
}

// store writes r's outputs and its manifest under key, each atomically,
// the outputs first; it sets each output's File (and drops its Data) when
// the processor has a folder. Without one, r is kept in memory.
func (p *Processor) store(key string, r *Result) error {
	if p.dir == "" {
		p.mu.Lock()
		if p.memory == nil {
			p.memory = map[string]Result{}
		}
		p.memory[key] = *r
		p.mu.Unlock()
		return nil
	}
	for i := range r.Outputs {
		o := &r.Outputs[i]
		sum := hexSum(o.Data)
		o.File = "o/" + sum[:2] + "/" + sum + ext(o.Format)
		full := filepath.Join(p.dir, filepath.FromSlash(o.File))
		if fi, err := os.Stat(full); err == nil && fi.Size() == o.Size {
			touch(full, fi)
			o.Data = nil
			continue
		}
		if err := writeAtomic(full, o.Data); err != nil {
			return err
		}
		o.Data = nil
	}
	m := manifest{Info: r.Info, Outputs: slices.Clone(r.Outputs)}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := writeAtomic(p.manifestPath(key), b); err != nil {
		return err
	}
	p.use(key, m, false)
	return nil
}

// writeAtomic writes b to name through a temporary file in the same
// folder and a rename, so a reader never sees half a file.
func writeAtomic(name string, b []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("images: cache: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("images: cache: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("images: cache: %w", err)
	}
	return nil
}

// weighted is a weighted semaphore: acquire(n) waits until n more units
// fit under the capacity (a request larger than the capacity takes it all).
type weighted struct {
	mu   sync.Mutex
	cond *sync.Cond
	cap  int64
	used int64
}

func newWeighted(n int64) *weighted {
	w := &weighted{cap: n}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *weighted) clamp(n int64) int64 { return max(1, min(n, w.cap)) }

func (w *weighted) acquire(n int64) {
	n = w.clamp(n)
	w.mu.Lock()
	for w.used+n > w.cap {
		w.cond.Wait()
	}
	w.used += n
	w.mu.Unlock()
}

func (w *weighted) release(n int64) {
	n = w.clamp(n)
	w.mu.Lock()
	w.used -= n
	w.mu.Unlock()
	w.cond.Broadcast()
}
