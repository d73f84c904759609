package images

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxAge is how long a cache entry no build used stays in the cache by
// default (site.yaml's cache.max_age changes it): a build that ends well
// removes the entries older than that which it did not use itself (at
// most once a day, see Prune).
const MaxAge = 90 * 24 * time.Hour

// touchAfter is how old an output must be for a cache hit to set its
// modification time to now: once a day at most, so that a hit costs no
// write, and an entry's time says when a build last used it, to the day.
const touchAfter = 24 * time.Hour

// sweptFile is the marker whose modification time says when the cache was
// last swept of its old entries.
const sweptFile = "swept"

// PruneStats says what Prune removed and kept (files and bytes).
type PruneStats struct {
	Swept                  bool // the cache was looked through
	Removed, Kept          int
	RemovedBytes, KeptByte int64
}

// String is the one-line report of drumbeat build --gc.
func (s PruneStats) String() string {
	return fmt.Sprintf("cache: removed %d unused files (%s), kept %d (%s)", s.Removed, mb(s.RemovedBytes), s.Kept, mb(s.KeptByte))
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// touch sets an output's modification time to now when it is older than
// touchAfter (fi is its status, already at hand).
func touch(name string, fi os.FileInfo) {
	if t := now(); t.Sub(fi.ModTime()) > touchAfter {
		os.Chtimes(name, t, t)
	}
}

// Prune removes cache entries this processor's build did not use, after
// a build that ended well. With all, it removes every such entry (drumbeat
// build --gc); otherwise only those unused for maxAge, and only when the
// last such sweep is a day old or more (it returns Swept false when it did
// not look). An output unused for maxAge goes; a manifest goes when it is
// older than maxAge and names an output that is gone.
//
// Only files named as this package names them, in its m/ and o/ folders,
// are removed: nothing else in the cache folder, and nothing a symbolic
// link leads to (links are never followed, nor removed).
func (p *Processor) Prune(all bool, maxAge time.Duration) (PruneStats, error) {
	var st PruneStats
	if p.dir == "" {
		return st, nil
	}
	t := now()
	marker := filepath.Join(p.dir, sweptFile)
	if !all {
		if fi, err := os.Lstat(marker); err == nil && t.Sub(fi.ModTime()) < touchAfter {
			return st, nil
		} else if os.IsNotExist(err) {
			// A new cache: its entries are all young; look in a day.
			return st, mark(marker, t)
		}
	}
	st.Swept = true
	cutoff := t.Add(-maxAge)
	p.mu.Lock()
	usedKeys := make(map[string]bool, len(p.used))
	usedOut := map[string]bool{}
	for k, m := range p.used {
		usedKeys[k] = true
		for _, o := range m.Outputs {
			usedOut[o.File] = true
		}
	}
	p.mu.Unlock()
	var errs []error
	remove := func(path string, size int64) {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
			st.Kept++
			st.KeptByte += size
			return
		}
		st.Removed++
		st.RemovedBytes += size
	}
	// The outputs first: an old manifest goes when one of its outputs has.
	gone := map[string]bool{}
	walkEntries(filepath.Join(p.dir, "o"), isOutputName, func(rel, path string, fi os.FileInfo) {
		name := "o/" + rel
		if usedOut[name] || !all && !fi.ModTime().Before(cutoff) {
			st.Kept++
			st.KeptByte += fi.Size()
			return
		}
		remove(path, fi.Size())
		gone[name] = true
	})
	walkEntries(filepath.Join(p.dir, "m"), isManifestName, func(rel, path string, fi os.FileInfo) {
		key := strings.TrimSuffix(filepath.Base(rel), ".json")
		keep := usedKeys[key]
		if !keep && !all {
			keep = !fi.ModTime().Before(cutoff) || !namesGone(path, gone, p.dir)
		}
		if keep {
			st.Kept++
			st.KeptByte += fi.Size()
			return
		}
		remove(path, fi.Size())
	})
	if err := mark(marker, t); err != nil {
		errs = append(errs, err)
	}
	return st, errors.Join(errs...)
}

// mark writes the sweep's marker, dated t.
func mark(name string, t time.Time) error {
	if err := writeAtomic(name, nil); err != nil {
		return err
	}
	return os.Chtimes(name, t, t)
}

// namesGone is true when the manifest at path cannot be read, or names an
// output that was removed or is missing.
func namesGone(path string, gone map[string]bool, dir string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return true
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil {
		return true
	}
	for _, o := range m.Outputs {
		if gone[o.File] || !validName(o.File) {
			return true
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(o.File))); err != nil {
			return true
		}
	}
	return false
}

// walkEntries calls f for each regular file in top/xx/ (xx two lowercase
// hex digits) whose name ok accepts and starts with xx. Symbolic links,
// at either level, are skipped, never followed.
func walkEntries(top string, ok func(string) bool, f func(rel, path string, fi os.FileInfo)) {
	if fi, err := os.Lstat(top); err != nil || !fi.IsDir() {
		return
	}
	subs, _ := os.ReadDir(top)
	for _, sub := range subs {
		if !sub.IsDir() || !isHex(sub.Name()) || len(sub.Name()) != 2 {
			continue
		}
		dir := filepath.Join(top, sub.Name())
		files, _ := os.ReadDir(dir)
		for _, e := range files {
			n := e.Name()
			if !e.Type().IsRegular() || !ok(n) || n[:2] != sub.Name() {
				continue
			}
			fi, err := e.Info()
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			f(sub.Name()+"/"+n, filepath.Join(dir, n), fi)
		}
	}
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// isManifestName is true for <64 hex>.json.
func isManifestName(n string) bool {
	return len(n) == 64+5 && strings.HasSuffix(n, ".json") && isHex(n[:64])
}

// isOutputName is true for <64 hex>.<ext>, ext letters and digits.
func isOutputName(n string) bool {
	if len(n) < 66 || n[64] != '.' || !isHex(n[:64]) {
		return false
	}
	for _, c := range n[65:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
