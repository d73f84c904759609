//go:build unix

package write

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// outputLock is a held lock: the open, flocked lock file.
type outputLock struct {
	f    *os.File
	path string
}

// tryLock takes the lock at path, or returns who holds it.
func tryLock(path string) (*outputLock, lockInfo, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, lockInfo{}, err
		}
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if errors.Is(err, unix.EWOULDBLOCK) {
			b, _ := io.ReadAll(io.LimitReader(f, 4096))
			f.Close()
			return nil, parseLockInfo(b), nil
		}
		if err != nil {
			f.Close()
			return nil, lockInfo{}, err
		}
		// The holder before us removes the file as it releases it: the
		// lock is ours only if path is still the file we locked.
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(held, now) {
			f.Close()
			continue
		}
		// A file left by a build that was killed holds its process ID:
		// it is overwritten.
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, lockInfo{}, err
		}
		if _, err := f.WriteAt([]byte(myLockInfo().String()), 0); err != nil {
			f.Close()
			return nil, lockInfo{}, err
		}
		return &outputLock{f: f, path: path}, lockInfo{}, nil
	}
}

// release removes the lock file and lets the lock go. The file is removed
// while still locked, so a build waiting on it sees it is gone and tries
// again with a new one.
func (l *outputLock) release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
