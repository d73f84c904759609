// Package deploy uploads a built site to a bucket: Amazon S3 or
// S3-compatible storage, Google Cloud Storage, Azure Blob Storage, or a
// folder, through gocloud.dev/blob. It uploads only the files whose
// content differs from the bucket's (by MD5, which S3 ETags, GCS and Azure
// report), in an order that never leaves a page pointing at a missing file,
// then deletes what the build no longer has.
//
// Credentials come only from the environment or the provider's own files
// (for S3: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ~/.aws), as the
// provider's SDK finds them.
//
// gocloud.dev/blob is what Hugo's deploy uses: one API, kept by Google's
// Go Cloud team, over each provider's own SDK, so S3 (and every
// S3-compatible store, through endpoint= and use_path_style=), Google Cloud
// Storage and Azure behave alike, with the SDKs' own credential chains.
// Its cost is size: the four drivers add about 61 MB to the drumbeat
// binary (S3 and file alone about 18 MB; GCS about 31, Azure about 11).
package deploy

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"gocloud.dev/blob"
	"golang.org/x/text/unicode/norm"

	// The kinds of bucket a target's url may name.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/s3blob"

	"github.com/drumbeat/drumbeat/generator/deploy/headers"
	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/write"
)

// DefaultMaxDeletes is how many files a deploy deletes from the bucket
// without --force. Taking one story down deletes its page and its photo's
// processed sizes (about 20 files); a deploy of the wrong folder, or of a
// build that lost its content, would delete nearly everything.
const DefaultMaxDeletes = 64

// CappedDeletes counts the deletes that MaxDeletes caps: every file but
// the fingerprinted ones (a hash of their content in their name, such as
// css/site.1a2b3c4d5e.css or search/t.0a1b2c3d4e.json). Those are
// replaced by a file of another name whenever their content changes, so a
// story taken down or a stylesheet edited deletes their older versions by
// design: the search index's files alone may be a hundred.
func CappedDeletes(del []Action) int {
	n := 0
	for _, a := range del {
		if !headers.Fingerprinted(a.Key) {
			n++
		}
	}
	return n
}

// Options say what to deploy where.
type Options struct {
	// Dir is the built site (the output of drumbeat build).
	Dir    string
	Target model.DeployTarget
	// DryRun compares and reports, and changes nothing; it is not
	// stopped by MaxDeletes (Result.ToDelete says how many there are).
	DryRun bool
	// Force deletes however many files the bucket has that the site
	// does not; without it, more than MaxDeletes stops the deploy before
	// anything is changed.
	Force bool
	// MaxDeletes is the cap on deletes; 0 means DefaultMaxDeletes, and a
	// negative number none. Older versions of fingerprinted files do not
	// count (CappedDeletes).
	MaxDeletes int
	// Workers is how many files are sent at once; 0 means 8.
	Workers int
	// Progress, when not nil, is called for every file uploaded or
	// deleted (or, in a dry run, that would be), one call at a time.
	Progress func(a Action)

	// open opens the bucket; tests replace it.
	open func(ctx context.Context, url string) (*blob.Bucket, error)
}

// Action is one change to the bucket.
type Action struct {
	Op     Op
	Key    string // the file's path in the bucket, like stories/x/index.html
	Size   int64
	Reason string // for an upload: "new" or "changed"
}

// Op is what is done to a file.
type Op int

// The operations.
const (
	Upload Op = iota
	Delete
)

func (o Op) String() string {
	if o == Delete {
		return "delete"
	}
	return "upload"
}

// Result says what a deploy did (or, in a dry run, would do).
type Result struct {
	Target string
	DryRun bool
	// Uploaded and Deleted are the changes made, in the order made.
	Uploaded, Deleted []Action
	// ToUpload and ToDelete are the changes planned.
	ToUpload, ToDelete []Action
	Unchanged          int
	UnchangedBytes     int64
}

// Bytes returns the files' total size.
func Bytes(l []Action) int64 {
	var n int64
	for _, a := range l {
		n += a.Size
	}
	return n
}

// local is a file of the built site.
type local struct {
	key  string
	path string
	size int64
	md5  []byte
}

// remote is a file in the bucket.
type remote struct {
	key  string
	size int64
	md5  []byte // nil when the listing does not give it
}

// Run deploys the site in opt.Dir to opt.Target. On failure the error is
// an *Error, and the Result says what was done before it.
func Run(ctx context.Context, opt Options) (Result, error) {
	res := Result{Target: opt.Target.Name, DryRun: opt.DryRun}
	if opt.MaxDeletes == 0 {
		opt.MaxDeletes = DefaultMaxDeletes
	}
	if opt.Workers <= 0 {
		opt.Workers = 8
	}
	if opt.open == nil {
		opt.open = blob.OpenBucket
	}
	files, err := scan(opt.Dir)
	if err != nil {
		return res, err
	}
	b, err := opt.open(ctx, opt.Target.URL)
	if err != nil {
		return res, classify("open", "", err)
	}
	defer b.Close()
	there, err := list(ctx, b)
	if err != nil {
		return res, classify("list", "", err)
	}

	// Plan: what is new or changed, what is gone.
	byKey := make(map[string]*local, len(files))
	for _, f := range files {
		byKey[f.key] = f
		r, ok := there[f.key]
		switch {
		case !ok:
			res.ToUpload = append(res.ToUpload, Action{Op: Upload, Key: f.key, Size: f.size, Reason: "new"})
		case r.size == f.size && same(ctx, b, r, f):
			res.Unchanged++
			res.UnchangedBytes += f.size
		default:
			res.ToUpload = append(res.ToUpload, Action{Op: Upload, Key: f.key, Size: f.size, Reason: "changed"})
		}
	}
	for k, r := range there {
		if byKey[k] == nil {
			res.ToDelete = append(res.ToDelete, Action{Op: Delete, Key: k, Size: r.size})
		}
	}
	sort.Slice(res.ToUpload, func(i, j int) bool {
		si, sj := stage(res.ToUpload[i].Key), stage(res.ToUpload[j].Key)
		if si != sj {
			return si < sj
		}
		return res.ToUpload[i].Key < res.ToUpload[j].Key
	})
	sort.Slice(res.ToDelete, func(i, j int) bool { return res.ToDelete[i].Key < res.ToDelete[j].Key })

	if opt.DryRun {
		if opt.Progress != nil {
			for _, a := range res.ToUpload {
				opt.Progress(a)
			}
			for _, a := range res.ToDelete {
				opt.Progress(a)
			}
		}
		return res, nil
	}
	if n := CappedDeletes(res.ToDelete); n > max(opt.MaxDeletes, 0) && !opt.Force {
		return res, &Error{Kind: TooManyDeletes, Op: "plan", N: n, Max: max(opt.MaxDeletes, 0), Superseded: len(res.ToDelete) - n}
	}

	// Upload stage by stage, then delete.
	var mu sync.Mutex
	done := func(a Action) {
		mu.Lock()
		if a.Op == Upload {
			res.Uploaded = append(res.Uploaded, a)
		} else {
			res.Deleted = append(res.Deleted, a)
		}
		if opt.Progress != nil {
			opt.Progress(a)
		}
		mu.Unlock()
	}
	for start := 0; start < len(res.ToUpload); {
		end := start
		for end < len(res.ToUpload) && stage(res.ToUpload[end].Key) == stage(res.ToUpload[start].Key) {
			end++
		}
		err := parallel(ctx, opt.Workers, res.ToUpload[start:end], func(ctx context.Context, a Action) error {
			if err := upload(ctx, b, byKey[a.Key], opt.Target.CacheControl); err != nil {
				return classify("upload", a.Key, err)
			}
			done(a)
			return nil
		})
		if err != nil {
			return res, err
		}
		start = end
	}
	err = parallel(ctx, opt.Workers, res.ToDelete, func(ctx context.Context, a Action) error {
		if err := b.Delete(ctx, a.Key); err != nil && !isNotFound(err) {
			return classify("delete", a.Key, err)
		}
		done(a)
		return nil
	})
	return res, err
}

// stage orders uploads: by phase, and pages the deepest first, so that a
// story's page is there before the lists that link to it (stories/x/
// before stories/, before the home page, the feeds and the sitemap).
// Each stage is finished before the next begins.
func stage(key string) int {
	p := headers.PhaseOf(key)
	if p != headers.PhasePages {
		return int(p) * 100
	}
	return int(p)*100 + 99 - min(strings.Count(key, "/"), 99)
}

// previewMark is in every page of a --drafts build (the theme's preview
// banner): such a build shows drafts and held stories, embargoed ones
// too, and is never deployed.
var previewMark = []byte(`class="preview-banner"`)

// scan lists the built site's files with their MD5, leaving out
// drumbeat's own files (names starting with .drumbeat).
func scan(dir string) ([]*local, error) {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil, &Error{Kind: NoSite, Op: "read", Key: dir, Err: err}
	}
	if _, err := os.Stat(filepath.Join(dir, write.Marker)); err != nil {
		return nil, &Error{Kind: NoSite, Op: "read", Key: dir, Err: fmt.Errorf("%s has no %s", dir, write.Marker)}
	}
	var out []*local
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".drumbeat") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		// Keys are in NFC, the form of the site's links (see package
		// slug): a file system that keeps names decomposed (macOS's
		// HFS+) would otherwise upload tags/sante\u0301/ where readers
		// ask for tags/santé/.
		f := &local{key: norm.NFC.String(filepath.ToSlash(rel)), path: p}
		if strings.HasSuffix(d.Name(), ".html") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if bytes.Contains(b, previewMark) {
				return &Error{Kind: Preview, Op: "read", Key: dir, Err: fmt.Errorf("%s is marked as a preview", f.key)}
			}
			sum := md5.Sum(b)
			f.size, f.md5 = int64(len(b)), sum[:]
			out = append(out, f)
			return nil
		}
		r, err := os.Open(p)
		if err != nil {
			return err
		}
		h := md5.New()
		f.size, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			return err
		}
		f.md5 = h.Sum(nil)
		out = append(out, f)
		return nil
	})
	if err != nil {
		var de *Error
		if errors.As(err, &de) {
			return nil, de
		}
		return nil, &Error{Kind: Other, Op: "read", Key: dir, Err: err}
	}
	return out, nil
}

// list returns the bucket's files by key.
func list(ctx context.Context, b *blob.Bucket) (map[string]remote, error) {
	out := map[string]remote{}
	it := b.List(nil)
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if o.IsDir || strings.HasSuffix(o.Key, "/") {
			continue // a folder, or the empty object some tools make for one
		}
		out[o.Key] = remote{key: o.Key, size: o.Size, md5: o.MD5}
	}
}

// md5Key is the metadata key under which an upload records its MD5, for
// buckets whose listing does not give it (S3 objects encrypted with KMS or
// uploaded in parts).
const md5Key = "drumbeat-md5"

// same reports whether the bucket's file r has f's content.
func same(ctx context.Context, b *blob.Bucket, r remote, f *local) bool {
	if r.md5 != nil {
		return bytes.Equal(r.md5, f.md5)
	}
	a, err := b.Attributes(ctx, r.key)
	if err != nil {
		return false // uploaded again: safe, if slower
	}
	if a.MD5 != nil {
		return bytes.Equal(a.MD5, f.md5)
	}
	return a.Metadata[md5Key] == hex.EncodeToString(f.md5)
}

// minPart is the size under which a file is sent in one request: S3's
// multipart uploads give ETags that are not the content's MD5.
const minPart = 5 << 20

func upload(ctx context.Context, b *blob.Bucket, f *local, cc model.CacheControlConf) error {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return err
	}
	sum := md5.Sum(data)
	if !bytes.Equal(sum[:], f.md5) {
		return fmt.Errorf("%s changed while it was being deployed (is a build running?)", f.key)
	}
	wo := &blob.WriterOptions{
		ContentType:  headers.ContentType(f.key, data[:min(len(data), 512)]),
		CacheControl: headers.CacheControl(f.key, cc),
		ContentMD5:   sum[:],
		Metadata:     map[string]string{md5Key: hex.EncodeToString(sum[:])},
	}
	if len(data) >= minPart {
		wo.BufferSize = len(data) + 1
	}
	return b.WriteAll(ctx, f.key, data, wo)
}

// parallel runs fn on every action with n workers. At the first error it
// hands out no more work, lets the calls under way end (an upload that
// can finish, finishes: the next deploy has less to do), and returns
// that error.
func parallel(ctx context.Context, n int, actions []Action, fn func(context.Context, Action) error) error {
	if len(actions) == 0 {
		return nil
	}
	work := make(chan Action)
	stop := make(chan struct{})
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range min(n, len(actions)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				if err := fn(ctx, a); err != nil {
					once.Do(func() { first = err; close(stop) })
				}
			}
		}()
	}
feed:
	for _, a := range actions {
		select {
		case work <- a:
		case <-stop:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = classify("upload", "", ctx.Err())
	}
	return first
}
