//go:build unix

package sendlog

import (
	"os"

	"golang.org/x/sys/unix"
)

// lock takes an flock(2) on f, which the system releases when the process
// ends, however it ends.
func lock(f *os.File) error {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
}
