//go:build !linux

package write

import (
	"io/fs"
	"os"
	"path/filepath"
)

func exchange(a, b string) error { return exchangeByRename(a, b) }

// syncTree flushes every file of the new output to disk.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		return err
	})
}
