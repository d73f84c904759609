//go:build linux

package write

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps the folders a and b (renameat2 RENAME_EXCHANGE),
// so there is no moment at which b does not exist.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return exchangeByRename(a, b)
	}
	return err
}
