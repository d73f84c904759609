// Package images processes the photos and logos a site shows: it reads a
// source file's header to refuse what it cannot or must not decode (an
// unsupported format, a decompression bomb), decodes it once, applies its
// EXIF orientation, converts an ICC profile to sRGB, crops it around a focal
// point, resizes it to the widths a theme asks for and encodes each as JPEG
// (and WebP where that is smaller), with no metadata at all: no EXIF, GPS,
// XMP, IPTC, comment or ICC block reaches the output. Results are kept in a
// cache folder keyed by the source's content and the settings, so a rebuild
// with unchanged photos does no image work.
//
// It knows nothing of the site's model: callers give it bytes (or a file and
// its digest) and a Job, and place the errors it returns at the file and
// line that cite the image.
package images

// Format is a kind of image file, told from its first bytes.
type Format string

const (
	JPEG    Format = "jpeg"
	PNG     Format = "png"
	GIF     Format = "gif"
	WebP    Format = "webp"
	SVG     Format = "svg"
	HEIC    Format = "heic" // refused, with how to convert it
	AVIF    Format = "avif" // refused, with how to convert it
	TIFF    Format = "tiff" // refused, with how to convert it
	Unknown Format = ""
)

// Limits bound what is decoded. Both are checked before any pixel is decoded.
type Limits struct {
	MaxPixels int64 // width × height from the header; default DefaultMaxPixels
	MaxBytes  int64 // size of the file; default DefaultMaxBytes
}

const (
	DefaultMaxPixels = 64_000_000 // 64 megapixels: every phone photo up to 8000 × 8000
	DefaultMaxBytes  = 64 << 20
)

// Error is a problem with an image file, said for a person who is not a
// programmer: Msg what is wrong ("is a HEIC photo, which browsers and email
// cannot show"), Hint what to do. It carries no position: the caller reports
// it at the line that cites the image.
type Error struct {
	Msg  string
	Hint string
}

func (e *Error) Error() string { return e.Msg }

// Info is what a file's header says.
type Info struct {
	Format Format
	// Width and Height as displayed: after the EXIF orientation is applied
	// (a portrait phone photo stored as 4000 × 3000 with orientation 6 is
	// 3000 × 4000).
	Width, Height int
	Orientation   int // EXIF orientation 1–8; 1 when none
}

// Focus is a focal point as fractions of the displayed image's width and
// height (0,0 top left; 0.5,0.5 the centre, the default).
type Focus struct{ X, Y float64 }

// Job says what to make of one source.
type Job struct {
	// Widths wanted, ascending. A width larger than the source (after the
	// crop) is replaced by the source's width, so no image is enlarged;
	// duplicates are dropped.
	Widths []int
	// Aspect, when not zero, crops to width/height = Aspect around Focus
	// before resizing (cards 1200/630, the social card 1200/630).
	Aspect float64
	Focus  Focus
	// Quality of the JPEG encoding, 1–100; 0 means DefaultQuality.
	Quality int
	// WebP also encodes each width as WebP and keeps it only when it is
	// smaller than the JPEG.
	WebP bool
	// MaxBytes, when not zero, lowers the JPEG quality (not below 50) until
	// each JPEG is at most this size: email images.
	MaxBytes int64
	// PNG encodes as PNG instead of JPEG (logos, rasterised SVG), keeping
	// transparency.
	PNG bool
}

const DefaultQuality = 80

// Output is one encoded file made from a source.
type Output struct {
	Width, Height int
	Format        Format // JPEG, WebP or PNG
	// Hash is the first 10 hex digits of the SHA-256 of the file's bytes:
	// output names carry it, so a file can be cached for a year.
	Hash string
	Size int64
	// File is the file's path in the cache folder (or in memory when the
	// processor has no cache folder: then Data holds the bytes).
	File string
	Data []byte
}

// Result is what Process made of one source: the source's Info and, for
// each width of the job, the JPEG (or PNG) and possibly the WebP.
type Result struct {
	Info    Info
	Outputs []Output
}
