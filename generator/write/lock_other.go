//go:build !unix

package write

import (
	"errors"
	"io/fs"
	"os"
)

// outputLock is a held lock: the lock file this process created.
type outputLock struct {
	path string
	held bool
}

// tryLock creates the lock file at path, or returns who holds it. A file
// whose process is no longer running on this host is removed first.
func tryLock(path string) (*outputLock, lockInfo, error) {
	me := myLockInfo()
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.WriteString(me.String())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(path)
				return nil, lockInfo{}, err
			}
			return &outputLock{path: path, held: true}, lockInfo{}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, lockInfo{}, err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			continue // released meanwhile
		}
		holder := parseLockInfo(b)
		if holder.pid <= 0 || holder.host != me.host || alive(holder.pid) {
			return nil, holder, nil
		}
		os.Remove(path) // left by a build that was killed
	}
	return nil, lockInfo{}, nil
}

// alive reports whether a process with this ID is running.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}

func (l *outputLock) release() {
	if l == nil || !l.held {
		return
	}
	os.Remove(l.path)
	l.held = false
}
