package write

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// One build at a time writes an output folder. A build holds a lock file
// beside the output, ".<name>.drumbeat-lock" (outside the output, so it
// is never published), from New to Commit or Abort. The file says who
// holds it: the process ID, the host and the start time. On Unix the lock
// is an flock(2) on that file, which the system releases when the process
// ends, however it ends: the file of a killed build is taken over by the
// next one. Elsewhere the file is created exclusively, and a file whose
// process has ended is removed.

// BusyError is returned by New when another build holds the output.
type BusyError struct {
	Output  string    // the output folder
	Lock    string    // the lock file
	PID     int       // the holder's process ID, 0 when unknown
	Host    string    // the holder's host, "" when unknown
	Started time.Time // when the holder took the lock, zero when unknown
}

func (e *BusyError) Error() string {
	who := "another drumbeat build"
	if e.PID > 0 {
		who += fmt.Sprintf(" (process %d", e.PID)
		if e.Host != "" {
			who += " on " + e.Host
		}
		if !e.Started.IsZero() {
			who += ", started " + e.Started.Local().Format("15:04:05")
		}
		who += ")"
	}
	return fmt.Sprintf("%s is writing %s; wait for it to end (if no build is running, remove %s)", who, e.Output, e.Lock)
}

// ErrStopped is returned by New when Options.Stop closed while it waited.
var ErrStopped = errors.New("stopped while waiting for another build of the output to end")

// lockInfo is what a lock file holds.
type lockInfo struct {
	pid     int
	host    string
	started time.Time
}

func (i lockInfo) String() string {
	return fmt.Sprintf("pid %d\nhost %s\nstarted %s\n", i.pid, i.host, i.started.UTC().Format(time.RFC3339))
}

func parseLockInfo(b []byte) lockInfo {
	var i lockInfo
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		switch k {
		case "pid":
			i.pid, _ = strconv.Atoi(v)
		case "host":
			i.host = v
		case "started":
			i.started, _ = time.Parse(time.RFC3339, v)
		}
	}
	return i
}

func myLockInfo() lockInfo {
	host, _ := os.Hostname()
	return lockInfo{pid: os.Getpid(), host: host, started: time.Now()}
}

// LockPath returns the lock file of the output folder dest.
func LockPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".drumbeat-lock")
}

// lockPoll is how often a build waiting for the lock tries again.
const lockPoll = 50 * time.Millisecond

// acquire takes the lock of dest, waiting up to wait for another build to
// release it, or until stop is closed.
func acquire(dest string, wait time.Duration, stop <-chan struct{}) (*outputLock, error) {
	path := LockPath(dest)
	deadline := time.Now().Add(wait)
	for {
		l, holder, err := tryLock(path)
		if err != nil {
			return nil, fmt.Errorf("cannot lock the output folder with %s: %w", path, err)
		}
		if l != nil {
			return l, nil
		}
		if !time.Now().Before(deadline) {
			return nil, &BusyError{Output: dest, Lock: path, PID: holder.pid, Host: holder.host, Started: holder.started}
		}
		select {
		case <-time.After(min(lockPoll, time.Until(deadline)+time.Millisecond)):
		case <-stop:
			return nil, ErrStopped
		}
	}
}
