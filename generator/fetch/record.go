package fetch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Record is data/sources.json: what drumbeat fetch downloaded, by
// source name. It is written by fetch alone, and read by check; the
// build never reads it.
type Record struct {
	Note    string           `json:"note"`
	Sources map[string]Entry `json:"sources"`
}

// Entry is the record of one source's file.
type Entry struct {
	URL    string `json:"url"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	// Fetched is when fetch last downloaded it (changed or not), Changed
	// when the download last differed from the file before; both UTC.
	Fetched time.Time `json:"fetched"`
	Changed time.Time `json:"changed"`
}

const recordNote = "Written by drumbeat fetch: each source's file, its SHA-256, and when it was fetched and last changed. Commit it with the files; drumbeat check reads it to warn about stale or edited sources."

// maxRecord bounds the size of data/sources.json.
const maxRecord = 4 << 20

// ReadRecord reads data/sources.json from the site in fsys; a missing
// file is an empty record.
func ReadRecord(fsys fs.FS) (*Record, error) {
	rec := &Record{}
	f, err := fsys.Open(load.SourcesRecord)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return rec, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return rec, err
	}
	if len(b) > maxRecord {
		return rec, fmt.Errorf("it is larger than %d MiB", maxRecord>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return &Record{}, err
	}
	return rec, nil
}

// set records e as the entry of source s.
func (r *Record) set(s model.DataSource, e Entry) {
	if r.Sources == nil {
		r.Sources = map[string]Entry{}
	}
	r.Sources[s.Name] = e
}

// writeRecord writes the record into the site folder dir, atomically,
// keeping the entries of the sources site.yaml still declares. Its bytes
// depend only on what it records: keys sorted, times in UTC to the second.
func writeRecord(dir string, r *Record, declared []model.DataSource) error {
	keep := map[string]bool{}
	for _, s := range declared {
		keep[s.Name] = true
	}
	out := Record{Note: recordNote, Sources: map[string]Entry{}}
	for name, e := range r.Sources {
		if keep[name] {
			out.Sources[name] = e
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	dst := filepath.Join(dir, filepath.FromSlash(load.SourcesRecord))
	if e := checkPath(dir, load.SourcesRecord); e != nil {
		return e
	}
	f, err := os.CreateTemp(filepath.Dir(dst), ".sources-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), dst)
}

// Status is what check knows of one declared source.
type Status struct {
	Source   model.DataSource
	Entry    Entry // its record, when Recorded
	Recorded bool
	Exists   bool          // its file is there
	Age      time.Duration // since it was last fetched, when Recorded
}

// Check reports, as warnings at the sources' lines in site.yaml, the
// declared sources never fetched, those older than their max_age at now,
// those whose file is missing or was changed since fetch wrote it, and
// those whose url changed since. It reads the site in fsys and never the
// network.
func Check(fsys fs.FS, sources []model.DataSource, now time.Time) ([]Status, diag.List) {
	var l diag.List
	if len(sources) == 0 {
		return nil, nil
	}
	rec, err := ReadRecord(fsys)
	if err != nil {
		l.Warnf(diag.Pos{File: load.SourcesRecord, Line: 1}, "cannot read the record of fetched sources: %v", err).
			WithHint("run drumbeat fetch to write it again")
	}
	var out []Status
	for _, s := range sources {
		st := Status{Source: s}
		e, ok := rec.Sources[s.Name]
		st.Entry, st.Recorded = e, ok && e.File == s.File
		sum, exists := fileSum(fsys, s.File)
		st.Exists = exists
		at := s.Pos
		if at.File == "" {
			at = diag.Pos{File: load.ConfigFile, Line: 1}
		}
		fetch := "drumbeat fetch --only " + s.Name
		switch {
		case !st.Recorded && !exists:
			l.Warnf(at, "source %q was never fetched: %s does not exist", s.Name, s.File).WithHint("run %s", fetch)
		case !st.Recorded:
			l.Warnf(at, "source %q was never fetched: %s was not written by drumbeat fetch", s.Name, s.File).
				WithHint("run %s to replace it with the download", fetch)
		case !exists:
			l.Warnf(at, "source %q was fetched on %s, but %s is missing", s.Name, day(e.Fetched), s.File).WithHint("run %s", fetch)
		default:
			st.Age = now.Sub(e.Fetched)
			if sum != e.SHA256 {
				l.Warnf(at, "%s was changed since drumbeat fetch wrote it on %s", s.File, day(e.Fetched)).
					WithHint("the next drumbeat fetch replaces it with the download of source %q; make the change in the spreadsheet instead", s.Name)
			}
			if e.URL != s.URL {
				l.Warnf(at, "source %q has another url than when it was fetched on %s", s.Name, day(e.Fetched)).
					WithHint("run %s to download it from the new address", fetch)
			}
			if st.Age > s.Age {
				l.Warnf(at, "source %q was last fetched %s ago, on %s; its max_age is %s", s.Name, ago(st.Age), day(e.Fetched), ago(s.Age)).
					WithHint("run %s (or raise max_age in site.yaml if the spreadsheet changes less often)", fetch)
			}
		}
		out = append(out, st)
	}
	return out, l
}

// fileSum returns the SHA-256 of a file in fsys, and whether it exists.
func fileSum(fsys fs.FS, name string) (string, bool) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", true
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// Ago writes a duration the way max_age is written: in days from two days
// up, else in hours.
func ago(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%dh", int(d/time.Hour))
}
