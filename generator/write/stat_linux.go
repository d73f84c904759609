package write

import (
	"io/fs"
	"syscall"
)

// identity reads what the manifest remembers of a file on disk: its size,
// modification and change times and inode. ok is false when the system
// does not say.
func identity(fi fs.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return fileID{}, false
	}
	return fileID{
		Size:  fi.Size(),
		Mtime: fi.ModTime().UnixNano(),
		Ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
		Ino:   uint64(st.Ino),
	}, true
}
