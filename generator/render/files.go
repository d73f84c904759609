package render

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/drumbeat/drumbeat/generator/images"
)

// fileJobs adds the jobs that write files as they are: the theme's and the
// site's static files, and the processed pictures. The job list (jobs)
// takes them from here. A static photo that a story shows
// is not copied: its processed sizes are written instead, and no original
// leaves the build. Every other static JPEG, PNG or WebP is written without
// its metadata (location, camera, comments), see images.Clean.
func (r *renderer) fileJobs(add addJob) {
	set := r.data.media
	skip := set.NotCopied()
	for _, f := range r.theme.static {
		f := f
		if skip[f.name] && f.site {
			continue
		}
		add("static:"+f.rel, func() error {
			r.files.Add(1)
			if f.out != "" {
				return r.copyAsset(f)
			}
			if isPhoto(f.rel) {
				return r.copyClean(f.rel, f.fsys, f.name)
			}
			return r.sink.Copy(f.rel, f.fsys, f.name)
		})
	}
	for _, mf := range set.Files() {
		mf := mf
		add("media:"+mf.Path, func() error {
			r.files.Add(1)
			if mf.Output.Data != nil || set.Processor().FS() == nil {
				return r.sink.File(mf.Path, mf.Output.Data)
			}
			return r.sink.Copy(mf.Path, set.Processor().FS(), mf.Output.File)
		})
	}
}

// isPhoto reports whether a static file is a picture that can carry
// metadata.
func isPhoto(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".jpg", ".jpeg", ".png", ".webp":
		return true
	}
	return false
}

// copyClean writes a static picture without its metadata; with a cache,
// the cleaned file is kept there, so an unchanged picture is not read
// again.
func (r *renderer) copyClean(rel string, fsys fs.FS, name string) error {
	clean := func() ([]byte, error) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out, _, err := images.Clean(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w (drumbeat removes the location and camera data of every picture it publishes, and could not read this one; open it and save it again)", name, err)
		}
		return out, nil
	}
	proc := r.data.media.Processor()
	if proc == nil || proc.FS() == nil {
		data, err := clean()
		if err != nil {
			return err
		}
		return r.sink.File(rel, data)
	}
	digest, err := proc.Digest(fsys, name)
	if err != nil {
		return err
	}
	o, err := proc.Derive("clean\x00"+digest, strings.TrimPrefix(strings.ToLower(path.Ext(rel)), "."), clean)
	if err != nil {
		return err
	}
	return r.sink.Copy(rel, proc.FS(), o.File)
}
