//go:build linux

package write

import (
	"io"
	"io/fs"
	"syscall"
)

// createStat creates the file name, which must not exist, holding data,
// and returns its identity, read from the open file. It calls the system
// directly: os.OpenFile would also read the file's flags (fcntl) and offer
// it to the network poller (epoll_ctl, which refuses regular files), about
// five system calls besides the four a written file needs (open, write,
// fstat, close); a build writes thousands of files.
func createStat(name string, data []byte) (fileID, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return fileID{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for rest := data; len(rest) > 0 && err == nil; {
		var n int
		n, err = syscall.Write(fd, rest)
		switch {
		case err == syscall.EINTR:
			err = nil
		case err == nil && n <= 0:
			err = io.ErrShortWrite
		case err == nil:
			rest = rest[n:]
		}
	}
	if err != nil {
		syscall.Close(fd)
		return fileID{}, &fs.PathError{Op: "write", Path: name, Err: err}
	}
	id := fileID{Mtime: -1}
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) == nil {
		id = fileID{Size: st.Size, Mtime: st.Mtim.Sec*1e9 + st.Mtim.Nsec, Ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec, Ino: uint64(st.Ino)}
	}
	if err := syscall.Close(fd); err != nil {
		return fileID{}, &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return id, nil
}
