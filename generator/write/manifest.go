package write

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The manifest remembers, for every file of the output, its SHA-256 and
// its size, modification and change times and inode as the build left
// it, so the next build knows an unchanged file without reading it (as
// git's index does). It lives beside the output, ".<name>.drumbeat-manifest"
// next to the lock file, not inside it: it records times, and the output
// itself stays byte-identical from build to build. An entry is trusted
// only when the file on disk still has the same size, times and inode, and
// was last changed well before the manifest was written (a file changed
// again within the clock's resolution could look the same: git's "racy"
// rule); otherwise the old file is compared byte for byte.

// fileID is what identifies a file's state on disk.
type fileID struct {
	Size, Mtime, Ctime int64
	Ino                uint64
}

// entry is one file of the manifest.
type entry struct {
	fileID
	Sum    [32]byte
	linked bool // from the previous output: looked at again after it is gone
}

// manifestVersion is the first line of a manifest.
const manifestVersion = "drumbeat-manifest 1"

// racyWindow is how long before the manifest's time a file must have last
// changed for its entry to be trusted: longer than a tick of the clock
// that stamps files, so that a file changed again after the build looked
// at it cannot keep the same times. On file systems that keep whole
// seconds (a change time without nanoseconds), two seconds.
const (
	racyWindow       = 100 * time.Millisecond
	racyWindowCoarse = 2 * time.Second
)

// manifestNow is the manifest's clock (a test sets it).
var manifestNow = time.Now

// ManifestPath returns the manifest of the output folder dest.
func ManifestPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".drumbeat-manifest")
}

// readManifest reads the manifest at name; a missing or damaged manifest
// is an empty one (every old file is then compared byte for byte).
func readManifest(name string) map[string]entry {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) < 2 || string(lines[0]) != manifestVersion {
		return nil
	}
	rec, ok := strings.CutPrefix(string(lines[1]), "recorded ")
	if !ok {
		return nil
	}
	recorded, err := strconv.ParseInt(rec, 10, 64)
	if err != nil {
		return nil
	}
	m := make(map[string]entry, len(lines))
	for _, l := range lines[2:] {
		// sha256 size mtime ctime ino path
		f := strings.SplitN(string(l), " ", 6)
		if len(f) != 6 {
			continue
		}
		var e entry
		if n, err := hex.Decode(e.Sum[:], []byte(f[0])); err != nil || n != len(e.Sum) {
			continue
		}
		var err1, err2, err3, err4 error
		e.Size, err1 = strconv.ParseInt(f[1], 10, 64)
		e.Mtime, err2 = strconv.ParseInt(f[2], 10, 64)
		e.Ctime, err3 = strconv.ParseInt(f[3], 10, 64)
		e.Ino, err4 = strconv.ParseUint(f[4], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue
		}
		w := int64(racyWindow)
		if e.Ctime%1e9 == 0 {
			w = int64(racyWindowCoarse)
		}
		if recorded-e.Ctime < w || recorded-e.Mtime < w {
			continue // racy: compare the bytes
		}
		m[f[5]] = e
	}
	return m
}

// formatManifest returns the manifest of entries, recorded at now.
func formatManifest(entries map[string]entry, now time.Time) []byte {
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	b.Grow(len(paths) * 120)
	fmt.Fprintf(&b, "%s\nrecorded %d\n", manifestVersion, now.UnixNano())
	for _, p := range paths {
		e := entries[p]
		fmt.Fprintf(&b, "%x %d %d %d %d %s\n", e.Sum, e.Size, e.Mtime, e.Ctime, e.Ino, p)
	}
	return b.Bytes()
}

// writeManifest writes the manifest, recorded at now, to a new temporary
// file in dir whose name starts with prefix (removed by the next build if
// this one is killed), and returns its name.
func writeManifest(dir, prefix string, entries map[string]entry, now time.Time) (string, error) {
	f, err := os.CreateTemp(dir, prefix+"manifest-")
	if err != nil {
		return "", err
	}
	_, err = f.Write(formatManifest(entries, now))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
