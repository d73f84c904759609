//go:build !linux

package write

import "os"

// createStat creates the file name, which must not exist, holding data,
// and returns its identity (none where identity knows none).
func createStat(name string, data []byte) (fileID, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileID{}, err
	}
	_, err = f.Write(data)
	id := fileID{Mtime: -1}
	if err == nil {
		if fi, serr := f.Stat(); serr == nil {
			if i, ok := identity(fi); ok {
				id = i
			}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return id, err
}
