// Package load reads a site folder (an fs.FS) into the model's types: site
// settings, stories and pages, newsletter issues, metric definitions,
// observations, partners, governance and decisions. Every problem it finds
// is reported with its file and line; it reads every file and reports all
// problems rather than stopping at the first.
package load

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Source is everything read from a site folder.
type Source = model.Input

// Limits on what one file may hold.
const (
	maxTextFile   = 16 << 20 // Markdown and YAML files
	maxFileErrors = 50       // problems reported for one file
)

// capErrors appends the problems of one file to errs: at most
// maxFileErrors of them, first by position, and a note when there were more.
func capErrors(errs *diag.List, l diag.List) {
	if len(l) <= maxFileErrors {
		errs.Append(l)
		return
	}
	l.Sort()
	errs.Append(l[:maxFileErrors])
	errs.Errorf(l[maxFileErrors].Pos, "too many problems in this file; only the first %d are shown", maxFileErrors).
		WithHint("fix these first, then run again")
}

// Dir reads the site in fsys. The problems found are returned in the list;
// the Source holds what could be read.
func Dir(fsys fs.FS) (*Source, diag.List) {
	src := &Source{}
	var errs diag.List

	// A linked folder is refused even when nothing is read through it.
	for _, dir := range []string{"content", "data", "static", "layouts"} {
		if fi, err := fs.Lstat(fsys, dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			errs.Errorf(diag.Pos{File: dir}, "is a link, not a folder").
				WithHint("drumbeat reads only files inside the site folder; copy the files here instead of linking to them")
		}
	}
	src.Config = readConfig(fsys, &errs)
	extra := readExtraKeys(src.Config, &errs)

	var wg sync.WaitGroup
	var mu sync.Mutex
	merge := func(l diag.List) {
		mu.Lock()
		errs.Append(l)
		mu.Unlock()
	}
	// Stories, governance files and metrics are independent of each other.
	wg.Add(3)
	go func() {
		defer wg.Done()
		var l diag.List
		src.Stories = readStories(fsys, "content/stories", "stories", extra, &l)
		src.Pages = readStories(fsys, "content/pages", "pages", extra, &l)
		src.Newsletters = readNewsletters(fsys, extra, &l)
		src.Briefing = readBriefing(fsys, extra, &l)
		merge(l)
	}()
	go func() {
		defer wg.Done()
		var l diag.List
		src.Partners = readPartners(fsys, &l)
		src.Governance = readGovernance(fsys, &l)
		src.Decisions = readDecisions(fsys, &l)
		src.Static = listFiles(fsys, "static", &l)
		merge(l)
	}()
	go func() {
		defer wg.Done()
		var l diag.List
		if exists(fsys, MetricsWorkbook) {
			src.Metrics = readMetricsWorkbook(fsys, src.Config, &l)
		} else {
			src.Metrics = readMetrics(fsys, src.Config.Data, &l)
		}
		src.Observations = readObservations(fsys, src.Metrics, src.Config.Data, &l)
		src.Observations = append(src.Observations, readObservationWorkbooks(fsys, src.Config, src.Metrics, &l)...)
		merge(l)
	}()
	wg.Wait()
	errs.Sort()
	return src, dedupe(errs)
}

// dedupe drops repeats of the same problem at the same place (a linked
// content/ folder is met by stories, pages and newsletters alike). l is sorted.
func dedupe(l diag.List) diag.List {
	var out diag.List
	for _, e := range l {
		if n := len(out); n > 0 && e.Pos == out[n-1].Pos && e.Msg == out[n-1].Msg {
			continue
		}
		out = append(out, e)
	}
	return out
}

// readText reads a whole text file, refusing files that are too large or
// not UTF-8. A UTF-8 byte-order mark is dropped.
func readText(fsys fs.FS, name string, errs *diag.List) ([]byte, bool) {
	return readTextMax(fsys, name, maxTextFile, errs)
}

// readMarkdown reads a story, page, newsletter issue or the briefing: a
// text file of at most maxMarkdown bytes.
func readMarkdown(fsys fs.FS, name string, errs *diag.List) ([]byte, bool) {
	b, ok := readTextMax(fsys, name, maxMarkdown, errs)
	if ok && !checkBidiControls(name, b, errs) {
		return nil, false
	}
	return b, ok
}

// checkBidiControls refuses the invisible controls that override the
// direction of text (U+202A to U+202E, U+2066 to U+2069): with them the
// letters "noitadnuoF etaghtroN" show on the page as "Northgate
// Foundation", so what a reader sees is not what the file (and the
// partner-mention check) says. Right-to-left languages do not need them:
// the browser orders their letters by itself, and the marks U+200E and
// U+200F, which reorder nothing, are allowed. Each is an error at its place.
func checkBidiControls(name string, b []byte, errs *diag.List) bool {
	ok := true
	line, col := 1, 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			errs.Errorf(diag.Pos{File: name, Line: line, Col: col}, "an invisible direction control (U+%04X) would make this text show otherwise than it is written", r).
				WithHint("delete it (in most editors: place the cursor after it and press Backspace); the browser sets the direction of right-to-left words by itself")
			ok = false
		}
		i += n
		col++
	}
	return ok
}

// readTextMax reads a whole text file of at most limit bytes.
func readTextMax(fsys fs.FS, name string, limit int, errs *diag.List) ([]byte, bool) {
	if !noLink(fsys, name, errs) {
		return nil, false
	}
	f, err := fsys.Open(name)
	if err != nil {
		errs.Errorf(diag.Pos{File: name}, "cannot open: %v", unwrapPathErr(err))
		return nil, false
	}
	defer f.Close()
	b, err := readAll(f, limit+1)
	if err != nil {
		errs.Errorf(diag.Pos{File: name}, "cannot read: %v", unwrapPathErr(err))
		return nil, false
	}
	if len(b) > limit {
		// Reported at the line where the file goes over the limit.
		line := bytes.Count(b[:limit], []byte("\n")) + 1
		e := errs.Errorf(diag.Pos{File: name, Line: line}, "the file is larger than %d MiB; it goes over here", limit>>20).
			WithHint("split it into smaller files")
		if limit == maxMarkdown {
			e.WithHint("a story, page or newsletter issue may hold at most %d MiB of text; split it, and put pictures under static/ rather than in the text", limit>>20)
		}
		return nil, false
	}
	return checkUTF8(name, b, errs)
}

// readAll reads f to its end or to max bytes, whichever comes first. A
// regular file is read into one buffer of its size (and a byte more, for
// the read that finds its end), as os.ReadFile does, instead of a buffer
// grown as io.ReadAll grows it: on 10,000 stories that growth was most of
// the loader's reading time. A file that grows while it is read is still
// read whole.
func readAll(f fs.File, max int) ([]byte, error) {
	size := int64(512)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size() + 1
	}
	b := make([]byte, 0, min(size, int64(max)))
	for {
		if len(b) == cap(b) {
			if len(b) >= max {
				return b, nil
			}
			b = append(b, 0)[:len(b)]
			b = b[:len(b):min(cap(b), max)]
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

// checkUTF8 drops a UTF-8 BOM and reports encodings other than UTF-8.
func checkUTF8(name string, b []byte, errs *diag.List) ([]byte, bool) {
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		b = b[3:]
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		errs.Errorf(diag.Pos{File: name, Line: 1}, "the file is UTF-16, not UTF-8").
			WithHint("save it again as UTF-8 (in Excel: Save As → CSV UTF-8; in an editor: Encoding → UTF-8)")
		return nil, false
	}
	if !utf8.Valid(b) {
		off := invalidUTF8At(b)
		line, col := diag.NewLineIndex(b).Pos(off)
		errs.Errorf(diag.Pos{File: name, Line: line, Col: col}, "the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252)").
			WithHint("save it again with the UTF-8 encoding")
		return nil, false
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		line, col := diag.NewLineIndex(b).Pos(i)
		errs.Errorf(diag.Pos{File: name, Line: line, Col: col}, "the file contains a NUL byte; it looks like a binary file, not text")
		return nil, false
	}
	return b, true
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// linkOnPath returns the first element of name, a folder on its way or
// the file itself, that is a symbolic link, or "" when there is none.
// os.DirFS follows links, so a linked folder would let a site read files
// from anywhere on the disk.
func linkOnPath(fsys fs.FS, name string) string {
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		if fi, err := fs.Lstat(fsys, name[:i]); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return name[:i]
		}
	}
	return ""
}

// noLink reports a link on the way to name and returns false, or returns
// true when there is none.
func noLink(fsys fs.FS, name string, errs *diag.List) bool {
	l := linkOnPath(fsys, name)
	if l == "" {
		return true
	}
	e := errs.Errorf(diag.Pos{File: name}, "is a link, not a regular file")
	if l != name {
		e.Msg = fmt.Sprintf("is inside %s/, which is a link, not a folder", l)
	}
	e.WithHint("drumbeat reads only files inside the site folder; copy the files here instead of linking to them")
	return false
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// exists reports whether name is a regular file in fsys.
func exists(fsys fs.FS, name string) bool {
	_, err := fs.Lstat(fsys, name)
	return err == nil
}

// listFiles returns the regular files under dir, sorted, as paths relative
// to the site. A missing dir is no error. Anything that is not a regular
// file or folder (a link, a device) is refused.
func listFiles(fsys fs.FS, dir string, errs *diag.List) []string {
	var out []string
	if _, err := fs.Stat(fsys, dir); err != nil {
		return nil
	}
	if l := linkOnPath(fsys, dir); l != "" {
		errs.Errorf(diag.Pos{File: l}, "is a link, not a folder").
			WithHint("drumbeat reads only files inside the site folder; copy the files here instead of linking to them")
		return nil
	}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Errorf(diag.Pos{File: p}, "cannot read: %v", unwrapPathErr(err))
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil // editor and OS leftovers: .DS_Store, .#foo.md
		}
		if !d.Type().IsRegular() {
			errs.Errorf(diag.Pos{File: p}, "is a link or special file, not a regular file").
				WithHint("drumbeat reads only files inside the site folder; copy the file here instead of linking to it")
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		errs.Errorf(diag.Pos{File: dir}, "cannot list: %v", err)
	}
	sort.Strings(out)
	return out
}

// filesWithExt lists the files under dir ending in ext.
func filesWithExt(fsys fs.FS, dir, ext string, errs *diag.List) []string {
	var out []string
	for _, p := range listFiles(fsys, dir, errs) {
		if strings.EqualFold(path.Ext(p), ext) {
			out = append(out, p)
		}
	}
	return out
}
