// Package fetch downloads a site's declared data sources (sources: in
// site.yaml) into data/, the only part of drumbeat that reaches the
// network for data: a build reads the files fetch last wrote and never
// downloads anything. Each file is written whole or not at all (a
// temporary file in the same folder, then a rename), and what was fetched
// is recorded in data/sources.json: the address, the SHA-256 of the file,
// its size, and when it was fetched and when it last changed.
package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/drumbeat/drumbeat/generator/load"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Defaults of Options.
const (
	DefaultTimeout  = 60 * time.Second
	DefaultMaxBytes = 100 << 20 // 100 MiB
	maxRedirects    = 5
)

// Options are the choices of one fetch.
type Options struct {
	Dir     string             // the site folder
	Sources []model.DataSource // site.yaml's sources:, checked by load
	// Only fetches the source of that name alone; all when empty.
	Only string
	// Timeout bounds each download, from the request to the last byte;
	// DefaultTimeout when zero.
	Timeout time.Duration
	// MaxBytes bounds the size of a download; DefaultMaxBytes when zero.
	MaxBytes int64
	// AcceptHeaderChange writes a file whose header row names other
	// columns than the file it replaces (otherwise an error).
	AcceptHeaderChange bool
	// UserAgent is sent with every request.
	UserAgent string
	// Header reads the column names of a downloaded file; DefaultHeader
	// when nil.
	Header HeaderFunc
	// Now returns the time recorded as the fetch time; time.Now when nil.
	Now func() time.Time
	// Client makes the requests; when nil, a client that follows at most
	// 5 redirects, to http and https addresses only.
	Client *http.Client
	// Progress, when set, is called after each source.
	Progress func(Result)
}

// HeaderFunc reads the column names of the downloaded file named file
// (its path under the site, for its extension), lower-cased. It returns
// nil names and no error for a kind of file whose header it cannot read:
// then a changed header is not looked for.
type HeaderFunc func(file string, r io.Reader) ([]string, error)

// DefaultHeader reads the header row of a CSV file as the loader does,
// and of a workbook (.xlsx) the header rows of its visible sheets
// (load.WorkbookHeader).
func DefaultHeader(file string, r io.Reader) ([]string, error) {
	switch {
	case strings.EqualFold(path.Ext(file), ".csv"):
		return load.CSVHeader(r)
	case strings.EqualFold(path.Ext(file), ".xlsx"):
		return load.WorkbookHeader(r)
	}
	return nil, nil
}

// Result is what became of one source.
type Result struct {
	Name, File, URL string
	Bytes           int64 // the size of the file now
	PrevBytes       int64 // the size of the file before, when there was one
	HadFile         bool  // there was a file before
	State           State
	Err             *Error // why the file was left as it was, when State is Failed
}

// State is what a fetch did to a source's file.
type State int

const (
	Failed    State = iota // the previous file, if any, is left as it was
	New                    // there was no file before
	Changed                // the download differs from the previous file
	Unchanged              // the download is the same bytes
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Changed:
		return "changed"
	case Unchanged:
		return "unchanged"
	}
	return "failed"
}

// Error is why a source could not be fetched, with what to do about it.
type Error struct {
	Msg  string
	Hint string
}

func (e *Error) Error() string { return e.Msg }

func errorf(hint, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Run fetches the sources (or the one named Only). A source that fails
// leaves its file as it was and is reported in its Result; the others
// are fetched all the same. The error is for what stops every source: an
// unknown Only, or a record that cannot be written.
func Run(ctx context.Context, opt Options) ([]Result, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Header == nil {
		opt.Header = DefaultHeader
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Client == nil {
		opt.Client = newClient()
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "drumbeat (data fetch)"
	}
	todo := opt.Sources
	if opt.Only != "" {
		todo = nil
		var names []string
		for _, s := range opt.Sources {
			if s.Name == opt.Only {
				todo = append(todo, s)
			}
			names = append(names, s.Name)
		}
		if len(todo) == 0 {
			if len(names) == 0 {
				return nil, fmt.Errorf("site.yaml declares no sources")
			}
			return nil, fmt.Errorf("site.yaml declares no source %q; its sources are %s", opt.Only, strings.Join(names, ", "))
		}
	}
	rec, err := ReadRecord(os.DirFS(opt.Dir))
	if err != nil {
		// A record that cannot be read is replaced: it holds nothing the
		// files themselves do not (fetch again to record them).
		rec = &Record{}
	}
	var out []Result
	for _, s := range todo {
		if ctx.Err() != nil {
			break
		}
		r, e := fetchOne(ctx, opt, s, rec.Sources[s.Name])
		if r.State != Failed {
			rec.set(s, e)
			if err := writeRecord(opt.Dir, rec, opt.Sources); err != nil {
				return append(out, r), fmt.Errorf("%s was written, but the record of it was not: %v", s.File, err)
			}
		}
		if opt.Progress != nil {
			opt.Progress(r)
		}
		out = append(out, r)
	}
	return out, ctx.Err()
}

func newClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxResponseHeaderBytes = 1 << 20
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("it redirects more than %d times", maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("it redirects to a %s: address, which drumbeat does not follow", req.URL.Scheme)
			}
			return nil
		},
	}
}

// fetchOne downloads one source. The entry returned is the record of the
// file now; the previous one is prev.
func fetchOne(ctx context.Context, opt Options, s model.DataSource, prev Entry) (Result, Entry) {
	r := Result{Name: s.Name, File: s.File, URL: s.URL}
	fail := func(e *Error) (Result, Entry) {
		r.State = Failed
		r.Err = e
		return r, prev
	}
	if !strings.HasPrefix(s.File, "data/") || !filepath.IsLocal(filepath.FromSlash(s.File)) {
		return fail(errorf("write a path under data/, such as data/observations/doses.csv", "%q is not a path under data/", s.File))
	}
	dst := filepath.Join(opt.Dir, filepath.FromSlash(s.File))
	if e := checkPath(opt.Dir, s.File); e != nil {
		return fail(e)
	}
	old, err := os.ReadFile(dst)
	hadOld := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail(errorf("", "cannot read the present %s: %v", s.File, err))
	}
	if hadOld {
		r.PrevBytes, r.HadFile = int64(len(old)), true
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fail(errorf("", "cannot make the folder of %s: %v", s.File, err))
	}
	tmp, sum, n, e := download(ctx, opt, s, filepath.Dir(dst))
	if e != nil {
		return fail(e)
	}
	defer os.Remove(tmp) // gone after the rename
	r.Bytes = n
	now := opt.Now().UTC().Truncate(time.Second)
	entry := Entry{URL: s.URL, File: s.File, SHA256: sum, Bytes: n, Fetched: now, Changed: now}
	if hadOld {
		oldSum := sha256.Sum256(old)
		if hex.EncodeToString(oldSum[:]) == sum {
			r.State = Unchanged
			if !prev.Changed.IsZero() && prev.SHA256 == sum {
				entry.Changed = prev.Changed
			}
			return r, entry
		}
		if !opt.AcceptHeaderChange {
			if e := compareHeaders(opt.Header, s.File, old, tmp); e != nil {
				return fail(e)
			}
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fail(errorf("", "cannot put the download in place of %s: %v", s.File, err))
	}
	r.State = Changed
	if !hadOld {
		r.State = New
	}
	return r, entry
}

// checkPath refuses a file whose way from the site folder passes through
// a link: the download would land outside the site.
func checkPath(dir, file string) *Error {
	p := dir
	for _, el := range strings.Split(file, "/") {
		p = filepath.Join(p, el)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return errorf("", "cannot look at %s: %v", p, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return errorf("drumbeat writes only inside the site folder; replace the link with a folder or file", "%s is a link", strings.TrimPrefix(p, dir+string(filepath.Separator)))
		}
		if !fi.IsDir() && p != filepath.Join(dir, filepath.FromSlash(file)) {
			return errorf("", "%s is a file, not a folder", p)
		}
	}
	return nil
}

// download writes the source's bytes to a temporary file in dir, checked
// to be data of the file's kind, and returns its name, SHA-256 and size.
func download(ctx context.Context, opt Options, s model.DataSource, dir string) (string, string, int64, *Error) {
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(s.URL), nil)
	if err != nil {
		return "", "", 0, errorf("check the url in site.yaml", "the address cannot be used: %v", err)
	}
	req.Header.Set("User-Agent", opt.UserAgent)
	req.Header.Set("Accept", "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, */*;q=0.1")
	resp, err := opt.Client.Do(req)
	if err != nil {
		return "", "", 0, netError(err, opt.Timeout, 0, -1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", "", 0, statusError(resp)
	}
	if resp.ContentLength > opt.MaxBytes {
		return "", "", 0, tooBig(opt.MaxBytes, resp.ContentLength)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "text/html" || ct == "application/xhtml+xml" {
		return "", "", 0, htmlError(resp.Request, req.URL.String())
	}
	f, err := os.CreateTemp(dir, ".fetch-*"+path.Ext(s.File))
	if err != nil {
		return "", "", 0, errorf("", "cannot write in %s: %v", dir, err)
	}
	name := f.Name()
	keep := false
	defer func() {
		if !keep {
			f.Close()
			os.Remove(name)
		}
	}()
	h := sha256.New()
	head := &headBuffer{max: 4096}
	n, err := io.Copy(io.MultiWriter(f, h, head), io.LimitReader(resp.Body, opt.MaxBytes+1))
	if err != nil {
		return "", "", 0, netError(err, opt.Timeout, n, resp.ContentLength)
	}
	if n > opt.MaxBytes {
		return "", "", 0, tooBig(opt.MaxBytes, -1)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return "", "", 0, cutOff(n, resp.ContentLength)
	}
	if e := checkContent(s.File, head.b, resp.Request, req.URL.String()); e != nil {
		return "", "", 0, e
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", "", 0, errorf("", "cannot read the download again: %v", err)
	}
	if _, err := opt.Header(s.File, f); err != nil {
		return "", "", 0, errorf("check that the address gives the data itself, as the spreadsheet tool's \"publish as CSV\" link does (see docs/formats.md)", "the download is not a data file drumbeat can read: %v", err)
	}
	if err := f.Sync(); err != nil {
		return "", "", 0, errorf("", "cannot write %s: %v", name, err)
	}
	if err := f.Close(); err != nil {
		return "", "", 0, errorf("", "cannot write %s: %v", name, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return "", "", 0, errorf("", "cannot write %s: %v", name, err)
	}
	keep = true
	return name, hex.EncodeToString(h.Sum(nil)), n, nil
}

// headBuffer keeps the first max bytes written to it.
type headBuffer struct {
	b   []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

const publishHint = "publish the spreadsheet to the web as CSV (or share it with anyone who has the link) and use the link the tool gives for that; see docs/formats.md"

// htmlError reports a web page instead of data; u is where it came from,
// named when the request was redirected there (a sign-in service).
func htmlError(req *http.Request, src string) *Error {
	via := ""
	if u := req.URL; u.String() != src {
		via = " (from " + redact(u) + ")"
	}
	return errorf(publishHint, "the server sent a web page%s, not data: most often a sign-in page, because the spreadsheet is not published or shared", via)
}

// checkContent checks the first bytes of a download against its file's
// kind.
func checkContent(file string, head []byte, req *http.Request, src string) *Error {
	if len(head) == 0 {
		return errorf("check the spreadsheet still has data, and that the link is the published one", "the download is empty")
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	low := bytes.ToLower(t[:min(len(t), 16)])
	if bytes.HasPrefix(low, []byte("<!doctype")) || bytes.HasPrefix(low, []byte("<html")) {
		return htmlError(req, src)
	}
	zip := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	switch strings.ToLower(path.Ext(file)) {
	case ".xlsx":
		if !zip {
			return errorf("use the tool's export link for .xlsx, or change the file in site.yaml to end in .csv if the address gives CSV", "the download is not a workbook (an .xlsx file is a zip archive, starting with PK)")
		}
	case ".csv":
		if zip {
			return errorf("change the file in site.yaml to end in .xlsx, or use the tool's CSV link", "the download is a zip archive (a workbook?), not CSV")
		}
		if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.IndexByte(head, 0) >= 0 {
			return errorf("export it as CSV UTF-8", "the download is UTF-16 or binary, not UTF-8 text")
		}
	}
	return nil
}

// compareHeaders reports a download whose header row names other columns
// than the present file's: the site's files and stories were written for
// those columns, and the change is someone's to look at.
func compareHeaders(header HeaderFunc, file string, old []byte, tmp string) *Error {
	before, err := header(file, bytes.NewReader(old))
	if err != nil || before == nil {
		return nil // nothing to compare with
	}
	f, err := os.Open(tmp)
	if err != nil {
		return errorf("", "cannot read the download again: %v", err)
	}
	defer f.Close()
	after, err := header(file, f)
	if err != nil {
		return errorf("open the address in a browser to see what it serves; the present file is kept",
			"the download cannot be read as the present %s was: %v", file, err)
	}
	if after == nil {
		return nil
	}
	added, removed := diff(before, after)
	if len(added) == 0 && len(removed) == 0 {
		return nil
	}
	var parts []string
	if len(removed) > 0 {
		parts = append(parts, "without the column"+plural(removed)+" "+quoteAll(removed))
	}
	if len(added) > 0 {
		parts = append(parts, "with the new column"+plural(added)+" "+quoteAll(added))
	}
	return errorf("if the change is meant, run drumbeat fetch --accept-header-change, then drumbeat check; otherwise ask whoever keeps the spreadsheet",
		"the download's header row differs from the present %s: %s", file, strings.Join(parts, " and "))
}

// diff returns the names in after but not before, and in before but not
// after, in their order. Columns moved about are no change.
func diff(before, after []string) (added, removed []string) {
	for _, a := range after {
		if a != "" && !slices.Contains(before, a) && !slices.Contains(added, a) {
			added = append(added, a)
		}
	}
	for _, b := range before {
		if b != "" && !slices.Contains(after, b) && !slices.Contains(removed, b) {
			removed = append(removed, b)
		}
	}
	return added, removed
}

func plural(l []string) string {
	if len(l) == 1 {
		return ""
	}
	return "s"
}

func quoteAll(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func statusError(resp *http.Response) *Error {
	code := resp.StatusCode
	msg := fmt.Sprintf("the server answered %s", resp.Status)
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return errorf(publishHint, "%s: the spreadsheet needs a sign-in", msg)
	case code == http.StatusNotFound || code == http.StatusGone:
		return errorf("check the url in site.yaml; the spreadsheet may have been moved, deleted or unpublished", "%s", msg)
	case code == http.StatusTooManyRequests || code >= 500:
		return errorf("the server has a problem or is busy; try again later", "%s", msg)
	case code >= 300 && code < 400:
		return errorf("check the url in site.yaml", "%s without saying where to", msg)
	}
	return errorf("check the url in site.yaml", "%s", msg)
}

func netError(err error, timeout time.Duration, got, want int64) *Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.Canceled) {
		return errorf("", "stopped before the download ended")
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		if got > 0 {
			return errorf("try again, or pass a longer --timeout", "the download took longer than %s (%d bytes had come)", timeout, got)
		}
		return errorf("try again, or pass a longer --timeout", "no answer within %s", timeout)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) && want > 0 {
		return cutOff(got, want)
	}
	if got > 0 || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf("try again", "the connection was cut during the download (%d bytes had come): %v", got, err)
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return errorf("check the address in site.yaml and the internet connection", "the server %s cannot be found", de.Name)
	}
	return errorf("check the address in site.yaml and the internet connection", "the download failed: %v", err)
}

func cutOff(got, want int64) *Error {
	return errorf("try again", "the connection was cut after %d of %d bytes", got, want)
}

func tooBig(max, n int64) *Error {
	if n > 0 {
		return errorf("", "the download is %d bytes, more than the %d MiB drumbeat fetches", n, max>>20)
	}
	return errorf("", "the download is more than the %d MiB drumbeat fetches", max>>20)
}

// redact returns u without its query (which may hold a share token).
func redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.RawQuery, c.User, c.Fragment = "", nil, ""
	return c.String()
}
