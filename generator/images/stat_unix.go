//go:build linux || darwin

package images

import (
	"io/fs"
	"syscall"
)

// fileStat reads the change time, device and inode of a file on disk; ok is
// false for a file of another kind of fs.FS (fstest.MapFS, embed.FS).
func fileStat(fi fs.FileInfo) (statInfo, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return statInfo{}, false
	}
	return statInfo{ctime: ctimeNs(st), dev: uint64(st.Dev), ino: uint64(st.Ino)}, true
}
