package images

import (
	"errors"
	"image"
	"io/fs"
)

// errTODO marks what the images helper has still to write (this file is the
// agreed API; every function here is implemented before the branch lands).
var errTODO = errors.New("images: not written yet")

// Processor processes images with a cache folder. It is safe for concurrent
// use; it bounds the pixels being decoded at once (memory), whatever the
// number of goroutines calling it.
type Processor struct {
	dir string
	lim Limits
}

// NewProcessor returns a processor caching under dir (created when
// missing; "" for no cache: results are kept in memory, Output.Data).
func NewProcessor(dir string, lim Limits) (*Processor, error) {
	return &Processor{dir: dir, lim: lim}, errTODO
}

// Digest returns the SHA-256 (hex) of the file name in fsys. A digest is
// remembered in the cache folder with the file's size, modification and
// change times and inode, as git's index does, so an unchanged photo is not
// read again; a file changed within the clock's resolution of the last
// look is read again (git's "racy" rule).
func (p *Processor) Digest(fsys fs.FS, name string) (string, error) { return "", errTODO }

// Inspect reads the header of name only: its format, displayed size and
// orientation. It returns an *Error for a file that is missing, empty,
// larger than Limits.MaxBytes, of an unsupported format (HEIC, AVIF, TIFF:
// with how to convert it) or larger than Limits.MaxPixels.
func (p *Processor) Inspect(fsys fs.FS, name string) (Info, error) { return Info{}, errTODO }

// Process makes the job's outputs from name, whose content has the given
// digest (from Digest). A result in the cache is returned without reading
// the file. Errors about the file are *Error (truncated or corrupt data, and
// all that Inspect refuses).
func (p *Processor) Process(fsys fs.FS, name, digest string, job Job) (Result, error) {
	return Result{}, errTODO
}

// Derive returns the cached file made under key (any string naming the
// inputs and settings completely, such as a social card's photo digest and
// text), calling make to make it when it is not cached.
func (p *Processor) Derive(key, ext string, make func() ([]byte, error)) (Output, error) {
	return Output{}, errTODO
}

// FS is the cache folder, for copying outputs into a site (nil without one).
func (p *Processor) FS() fs.FS { return nil }

// Close saves what the processor learnt (the digests) for the next build.
func (p *Processor) Close() error { return errTODO }

// Clean returns a static file's bytes without metadata: a JPEG without
// EXIF, XMP, IPTC, comments and ICC (re-encoded, oriented, at quality 92 when
// its EXIF orientation is not 1; otherwise by dropping those segments, with
// no loss), a PNG without text, time and eXIf chunks, a WebP without EXIF and
// XMP chunks. changed is false when there was nothing to remove.
func Clean(data []byte) (out []byte, changed bool, err error) { return nil, false, errTODO }

// RasterizeSVG draws an SVG (a partner's logo) into a width × height image
// with a transparent background, keeping its aspect ratio and centring it.
func RasterizeSVG(data []byte, width, height int) (*image.NRGBA, error) { return nil, errTODO }

// Decode decodes a file made by Process (for the social card, which draws
// the story's photo under its text).
func Decode(o Output, fsys fs.FS) (image.Image, error) { return nil, errTODO }
