//go:build !linux && !darwin

package images

import "io/fs"

// fileStat knows no change time or inode here: every digest is computed
// from the file's bytes.
func fileStat(fs.FileInfo) (statInfo, bool) { return statInfo{}, false }
