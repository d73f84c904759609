package serve

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watched are the folders of a site that its output comes from; site.yaml
// is watched through the site folder itself.
var watched = []string{"content", "data", "layouts", "static", "i18n"}

// watcher reports changes to a site's sources, with paths relative to the
// site folder.
type watcher struct {
	root string
	w    *fsnotify.Watcher
	dirs map[string]bool // absolute folders watched
}

func newWatcher(root string) (*watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, err
	}
	w := &watcher{root: abs, w: fw, dirs: map[string]bool{}}
	// The site folder itself, not its subfolders: site.yaml, and the
	// watched folders when they are made or replaced.
	if err := w.add(abs); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range watched {
		w.addTree(filepath.Join(abs, d))
	}
	return w, nil
}

func (w *watcher) close() { w.w.Close() }

func (w *watcher) add(dir string) error {
	if w.dirs[dir] {
		return nil
	}
	if err := w.w.Add(dir); err != nil {
		return err
	}
	w.dirs[dir] = true
	return nil
}

// addTree watches dir and every folder under it, skipping hidden ones.
// Links are not followed: the loader refuses them anyway.
func (w *watcher) addTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		w.add(p)
		return nil
	})
}

// forget stops watching dir and the folders under it (it was removed or
// renamed; a renamed folder is watched again under its new name).
func (w *watcher) forget(dir string) {
	for d := range w.dirs {
		if d == dir || strings.HasPrefix(d, dir+string(filepath.Separator)) {
			w.w.Remove(d)
			delete(w.dirs, d)
		}
	}
}

// relevant returns the path of a change relative to the site folder, with
// forward slashes, or false when the change cannot affect the site: files
// outside site.yaml and the watched folders (such as public/), and the
// temporary and backup files editors write next to the files they save.
func (w *watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "site.yaml" {
		return rel, true
	}
	top, _, _ := strings.Cut(rel, "/")
	if !slices.Contains(watched, top) {
		return "", false
	}
	for _, part := range strings.Split(rel, "/") {
		if editorTemp(part) {
			return "", false
		}
	}
	return rel, true
}

// editorTemp reports whether a file name is one editors and tools write
// while saving: hidden files (vim's .x.swp, emacs's .#x, LibreOffice's
// .~lock.x#), backups (x~), emacs's #x#, vim's 4913 probe, Excel's lock
// file beside an open workbook (~$x.xlsx), and *.tmp, *.swp, *.swx,
// *.crswap. The loader ignores hidden files and Excel's lock files too.
func editorTemp(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"), strings.HasPrefix(name, "~$"), strings.HasSuffix(name, "~"), name == "4913":
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".swp", ".swx", ".tmp", ".crswap":
		return true
	}
	return false
}

// event records one fsnotify event; it returns the changed path, or false.
func (w *watcher) event(ev fsnotify.Event) (string, bool) {
	if ev.Op == fsnotify.Chmod {
		return "", false // touch, permission changes: nothing to rebuild
	}
	rel, ok := w.relevant(ev.Name)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) && ok {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			// A new folder (or one moved in): watch it and what it holds.
			// Files made in it before the watch was added are read by
			// the full build a new folder causes.
			w.addTree(ev.Name)
		}
	}
	return rel, ok
}

// missing reports whether a changed file is not there (any more).
func (w *watcher) missing(paths map[string]bool) bool {
	for p := range paths {
		if p == "." {
			continue
		}
		if _, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(p))); err != nil {
			return true
		}
	}
	return false
}

// watch rebuilds the site after changes until ctx is done. Changes are
// gathered until the files have been quiet for opt.Quiet (at most
// opt.MaxWait after the first), then built in one go; changes made during
// a build are built after it. A batch in which a file has gone waits once
// more, for opt.MaxWait: editors that save by renaming bring it back. Requests for files put off (the feeds) are
// answered first.
func (s *Server) watch(ctx context.Context, w *watcher) {
	pending := map[string]bool{}
	var first time.Time
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	due := false
	waited := false // the batch waited once for a missing file to come back
	busy := false
	done := make(chan struct{})
	var waiting []chan struct{} // requests waiting for a flush
	for {
		select {
		case <-ctx.Done():
			if busy {
				<-done
			}
			for _, c := range waiting {
				close(c)
			}
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			rel, ok := w.event(ev)
			if !ok {
				continue
			}
			if len(pending) == 0 {
				first = time.Now()
				waited = false
			}
			pending[rel] = true
			due = false
			quiet.Reset(min(s.opt.Quiet, max(0, s.opt.MaxWait-time.Since(first))))
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			// The kernel dropped events (a queue overflow): build all.
			s.opt.Logf("watching files: %v; building everything again", err)
			if len(pending) == 0 {
				first = time.Now()
			}
			pending["."] = true
			quiet.Reset(s.opt.Quiet)
		case <-quiet.C:
			due = true
			if !waited && w.missing(pending) {
				// An editor saving by renaming the file away and writing
				// it again, or a checkout halfway: give the file a moment
				// to come back before building without it.
				waited = true
				due = false
				quiet.Reset(s.opt.MaxWait)
			}
		case c := <-s.flushes:
			waiting = append(waiting, c)
		case <-done:
			busy = false
		}
		if busy {
			continue
		}
		switch {
		case len(waiting) > 0:
			ws := waiting
			waiting = nil
			busy = true
			go func() {
				s.flush(ctx)
				for _, c := range ws {
					close(c)
				}
				done <- struct{}{}
			}()
		case due && len(pending) > 0:
			changed := slices.Sorted(maps.Keys(pending))
			pending = map[string]bool{}
			due = false
			busy = true
			go func() {
				s.rebuild(ctx, changed)
				done <- struct{}{}
			}()
		}
	}
}
