package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/image/webp"
)

// Processor processes images with a cache folder. It is safe for concurrent
// use; it bounds the pixels being decoded at once (memory), whatever the
// number of goroutines calling it.
type Processor struct {
	dir string
	lim Limits
	sem *weighted // decoded pixels in memory at once: 2 × MaxPixels

	memo *Memo

	mu     sync.Mutex
	memory map[string]Result // results without a cache folder

	indexOnce  sync.Once
	index      map[string]manifest // index.json as read (read-only)
	used       map[string]manifest // the manifests used by this build, under mu
	indexDirty bool                // used holds one the index lacks, under mu

	made atomic.Int64 // images decoded or drawn, and derived files made
}

// Made returns how many images the processor decoded or drew and how many
// derived files it made: 0 when the cache held everything.
func (p *Processor) Made() int64 { return p.made.Load() }

// NewProcessor returns a processor caching under dir (created when
// missing; "" for no cache: results are kept in memory, Output.Data).
func NewProcessor(dir string, lim Limits) (*Processor, error) {
	return NewProcessorMemo(dir, lim, nil)
}

// NewProcessorMemo is NewProcessor with the stat memo memo, opened before
// by OpenMemo(dir) (nil: the processor opens it).
func NewProcessorMemo(dir string, lim Limits, memo *Memo) (*Processor, error) {
	lim = lim.orDefault()
	p := &Processor{dir: dir, lim: lim, sem: newWeighted(2 * lim.MaxPixels), memo: memo}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("images: cache folder: %w", err)
		}
	}
	if p.memo == nil {
		p.memo = OpenMemo(dir)
	}
	return p, nil
}

// Inspect reads the header of name only: its format, displayed size and
// orientation. It returns an *Error for a file that is missing, empty,
// larger than Limits.MaxBytes, of an unsupported format (HEIC, AVIF, TIFF:
// with how to convert it) or larger than Limits.MaxPixels.
func (p *Processor) Inspect(fsys fs.FS, name string) (Info, error) {
	f, size, err := openFile(fsys, name, p.lim)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	// The header is nearly always in the first 256 kB; read on only when it
	// runs past them (a JPEG with a large ICC profile or thumbnail).
	head := make([]byte, min(size, 256<<10))
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return Info{}, readError(err)
	}
	head = head[:n]
	info, more, err := inspect(head, p.lim, int64(n) < size)
	if err != nil || !more {
		return info, err
	}
	rest, err := io.ReadAll(io.LimitReader(f, p.lim.MaxBytes))
	if err != nil {
		return Info{}, readError(err)
	}
	info, _, err = inspect(append(head, rest...), p.lim, false)
	return info, err
}

// openFile opens name and checks its size against the limit.
func openFile(fsys fs.FS, name string, lim Limits) (fs.File, int64, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, 0, readError(err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, readError(err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, &Error{Msg: "is a folder, not an image", Hint: "name the image file inside it"}
	}
	if fi.Size() > lim.MaxBytes {
		f.Close()
		return nil, 0, tooLarge(fi.Size(), lim)
	}
	if fi.Size() == 0 {
		f.Close()
		return nil, 0, &Error{Msg: "is empty", Hint: "copy the image again from where it came from"}
	}
	return f, fi.Size(), nil
}

// readAll reads name whole, within the size limit.
func readAll(fsys fs.FS, name string, lim Limits) ([]byte, error) {
	f, size, err := openFile(fsys, name, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 0, size)
	b, err = readInto(b, io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		return nil, readError(err)
	}
	if int64(len(b)) > lim.MaxBytes {
		return nil, tooLarge(int64(len(b)), lim)
	}
	return b, nil
}

func readInto(b []byte, r io.Reader) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

func readError(err error) error {
	if os.IsNotExist(err) {
		return &Error{Msg: "does not exist", Hint: "check the file's name and folder (names are case-sensitive)"}
	}
	return &Error{Msg: fmt.Sprintf("cannot be read (%v)", err), Hint: "check that the file is there and readable"}
}

// Process makes the job's outputs from name, whose content has the given
// digest (from Digest). A result in the cache is returned without reading
// the file. Errors about the file are *Error (truncated or corrupt data, and
// all that Inspect refuses).
func (p *Processor) Process(fsys fs.FS, name, digest string, job Job) (Result, error) {
	var key string
	if digest != "" {
		key = p.key("process", digest, job, webpEncoderName(job))
		if r, ok := p.cached(key); ok {
			return r, nil
		}
	}
	data, err := readAll(fsys, name, p.lim)
	if err != nil {
		return Result{}, err
	}
	if digest == "" {
		digest = hexSum(data)
		key = p.key("process", digest, job, webpEncoderName(job))
		if r, ok := p.cached(key); ok {
			return r, nil
		}
	}
	r, err := p.make(data, job)
	if err != nil {
		return Result{}, err
	}
	if err := p.store(key, &r); err != nil {
		return Result{}, err
	}
	return r, nil
}

// ProcessBytes is Process for a source held in memory (a rasterised logo,
// a downloaded image); its digest is computed from data.
func (p *Processor) ProcessBytes(data []byte, job Job) (Result, error) {
	key := p.key("process", hexSum(data), job, webpEncoderName(job))
	if r, ok := p.cached(key); ok {
		return r, nil
	}
	if int64(len(data)) > p.lim.MaxBytes {
		return Result{}, tooLarge(int64(len(data)), p.lim)
	}
	r, err := p.make(data, job)
	if err != nil {
		return Result{}, err
	}
	if err := p.store(key, &r); err != nil {
		return Result{}, err
	}
	return r, nil
}

// make decodes data once and encodes the job's outputs (in memory: Data).
func (p *Processor) make(data []byte, job Job) (res Result, err error) {
	p.made.Add(1)
	defer func() {
		// A last resort: every known cause of a panic is checked before.
		if r := recover(); r != nil {
			res, err = Result{}, &Error{Msg: fmt.Sprintf("could not be processed (%v)", r), Hint: "open it and save it again as JPEG or PNG"}
		}
	}()
	info, _, err := inspect(data, p.lim, false)
	if err != nil {
		return Result{}, err
	}
	res.Info = info
	var src image.Image
	var icc []byte
	weight := int64(info.Width) * int64(info.Height)
	if info.Format == SVG {
		// An SVG is drawn at its own size (or 1200 px wide when it says
		// none), then treated as any image.
		w, h := info.Width, info.Height
		if w <= 0 || h <= 0 {
			w, h = 1200, 630
		}
		if top := slices.Max(append([]int{0}, job.Widths...)); top > w {
			s := float64(top) / float64(w)
			w, h = int(float64(w)*s+0.5), int(float64(h)*s+0.5)
		}
		if int64(w)*int64(h) > p.lim.MaxPixels {
			return Result{}, &Error{Msg: fmt.Sprintf("would be drawn at %d × %d pixels, more than the limit of %s", w, h, megapixels(p.lim.MaxPixels)), Hint: "ask for a smaller width"}
		}
		weight = int64(w) * int64(h)
		p.sem.acquire(weight)
		defer p.sem.release(weight)
		m, err := RasterizeSVG(data, w, h)
		if err != nil {
			return Result{}, err
		}
		src = m
		res.Info.Width, res.Info.Height = w, h
	} else {
		p.sem.acquire(weight)
		defer p.sem.release(weight)
		// A CMYK JPEG decodes to image.CMYK, converted to RGB by the plain
		// formula when it is drawn; its ICC profile (a CMYK LUT profile) is
		// not applied.
		src, err = decode(data, info.Format)
		if err != nil {
			return Result{}, err
		}
		switch info.Format {
		case JPEG:
			segs, _, _ := jpegSegments(data)
			icc = jpegICC(segs)
		case PNG:
			icc = pngICC(data)
		}
	}
	outs, err := render(src, res.Info, icc, job)
	if err != nil {
		return Result{}, err
	}
	res.Outputs = outs
	return res, nil
}

// decode decodes a whole image, turning a panic in a decoder into an *Error.
func decode(data []byte, f Format) (m image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, &Error{Msg: fmt.Sprintf("is damaged and could not be decoded (%v)", r), Hint: "open it and save it again as " + saveAs(f)}
		}
	}()
	switch f {
	case WebP:
		m, err = webp.Decode(bytes.NewReader(data))
	default:
		m, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, decodeError(f, err)
	}
	return m, nil
}

// render crops, orients, converts, resizes and encodes src (stored as in
// the file) for job.
func render(src image.Image, info Info, icc []byte, job Job) ([]Output, error) {
	o := info.Orientation
	if o < 1 || o > 8 {
		o = 1
	}
	b := src.Bounds()
	dw, dh := b.Dx(), b.Dy()
	if o >= 5 {
		dw, dh = dh, dw
	}
	crop := cropRect(dw, dh, job.Aspect, job.Focus)
	cw, ch := crop.Dx(), crop.Dy()
	widths := widthsFor(job.Widths, cw)
	top := widths[len(widths)-1]
	// Reduce by area averaging to about twice the largest width, then
	// Catmull-Rom from there to each width.
	iw, ih := cw, ch
	if cw > 2*top {
		iw = 2 * top
		ih = max(1, int(float64(ch)*float64(iw)/float64(cw)+0.5))
	}
	sr := storedRect(o, crop, dw, dh).Add(b.Min)
	sw, sh := iw, ih
	if o >= 5 {
		sw, sh = ih, iw
	}
	mid := orient(toRGBA(src, sr, sw, sh), o)
	if t := parseICC(icc); t != nil {
		t.apply(mid)
	}
	if !job.PNG && !mid.Opaque() {
		overWhite(mid) // JPEG has no transparency: what shows through is white, not black
	}
	q := job.Quality
	if q <= 0 || q > 100 {
		q = DefaultQuality
	}
	// The sources of each width first (the halvings are made once), then
	// the widths resized and encoded side by side, at most one per core.
	lv := levels{mid}
	srcs := make([]*image.RGBA, len(widths))
	for i, w := range widths {
		srcs[i] = mid
		if w < top {
			srcs[i] = lv.atLeast(w)
		}
	}
	per := make([][]Output, len(widths))
	errs := make([]error, len(widths))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, w := range widths {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = &Error{Msg: fmt.Sprintf("could not be processed (%v)", r), Hint: "open it and save it again as JPEG or PNG"}
				}
				<-slots
				wg.Done()
			}()
			h := max(1, int(float64(ch)*float64(w)/float64(cw)+0.5))
			per[i], errs[i] = encodeWidth(resize(srcs[i], w, h), w, h, q, job)
		}()
	}
	wg.Wait()
	var outs []Output
	for i := range widths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		outs = append(outs, per[i]...)
	}
	return outs, nil
}

// encodeWidth encodes one width as the job asks: PNG, or JPEG and perhaps
// a smaller WebP.
func encodeWidth(m *image.RGBA, w, h, q int, job Job) ([]Output, error) {
	if job.PNG {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, opaqueOrNot(m)); err != nil {
			return nil, err
		}
		return []Output{output(w, h, PNG, buf.Bytes())}, nil
	}
	jb, err := encodeJPEG(m, q, job.MaxBytes)
	if err != nil {
		return nil, err
	}
	outs := []Output{output(w, h, JPEG, jb)}
	if job.WebP {
		wb, err := encodeWebP(m, q)
		if err != nil {
			return nil, err
		}
		if len(wb) < len(jb) {
			outs = append(outs, output(w, h, WebP, wb))
		}
	}
	return outs, nil
}

// overWhite composes m (premultiplied) over white, in place.
func overWhite(m *image.RGBA) {
	for i := 0; i+4 <= len(m.Pix); i += 4 {
		t := 255 - m.Pix[i+3]
		m.Pix[i] += t
		m.Pix[i+1] += t
		m.Pix[i+2] += t
		m.Pix[i+3] = 255
	}
}

// opaqueOrNot gives the PNG encoder an image it writes as RGB when every
// pixel is opaque, RGBA otherwise.
func opaqueOrNot(m *image.RGBA) image.Image {
	if m.Opaque() {
		return m
	}
	n := image.NewNRGBA(m.Rect)
	for i := 0; i+4 <= len(m.Pix); i += 4 {
		a := m.Pix[i+3]
		n.Pix[i+3] = a
		if a == 0 {
			continue
		}
		for c := 0; c < 3; c++ {
			n.Pix[i+c] = uint8(min(255, (int(m.Pix[i+c])*255+int(a)/2)/int(a)))
		}
	}
	return n
}

func encodeJPEG(m image.Image, q int, maxBytes int64) ([]byte, error) {
	for {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
			return nil, err
		}
		if maxBytes <= 0 || int64(buf.Len()) <= maxBytes || q <= 50 {
			return buf.Bytes(), nil
		}
		q = max(50, q-10)
	}
}

func output(w, h int, f Format, b []byte) Output {
	return Output{Width: w, Height: h, Format: f, Hash: hexSum(b)[:10], Size: int64(len(b)), Data: b}
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Derive returns the cached file made under key (any string naming the
// inputs and settings completely, such as a social card's photo digest and
// text), calling make to make it when it is not cached.
func (p *Processor) Derive(key, ext string, make func() ([]byte, error)) (Output, error) {
	k := p.key("derive", key, ext)
	if r, ok := p.cached(k); ok && len(r.Outputs) == 1 {
		return r.Outputs[0], nil
	}
	p.made.Add(1)
	b, err := make()
	if err != nil {
		return Output{}, err
	}
	f := Format(strings.TrimPrefix(strings.ToLower(ext), "."))
	if f == "jpg" {
		f = JPEG
	}
	if strings.Trim(string(f), "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		f = "" // stored as .bin: only letters and digits name a file here
	}
	o := output(0, 0, f, b)
	if cfg, err := decodeConfig(b); err == nil {
		o.Width, o.Height = cfg.Width, cfg.Height
	}
	r := Result{Outputs: []Output{o}}
	if err := p.store(k, &r); err != nil {
		return Output{}, err
	}
	return r.Outputs[0], nil
}

// FS is the cache folder, for copying outputs into a site (nil without
// one). It knows each output's SHA-256 from its name (o/ab/<sha256>.ext,
// see store), so a writer can tell an unchanged output without reading it.
func (p *Processor) FS() fs.FS {
	if p.dir == "" {
		return nil
	}
	return cacheFS{os.DirFS(p.dir)}
}

// cacheFS is the cache folder; Sum makes it a write.SumFS.
type cacheFS struct{ fs.FS }

// Sum returns the SHA-256 an output's name carries.
func (c cacheFS) Sum(name string) (sum [32]byte, ok bool) {
	if !validName(name) {
		return sum, false
	}
	base := name[5:]
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if len(base) != hex.EncodedLen(len(sum)) || base[:2] != name[2:4] {
		return sum, false
	}
	if _, err := hex.Decode(sum[:], []byte(base)); err != nil {
		return sum, false
	}
	return sum, true
}

// Close saves what the processor learnt (the digests, the index of the
// manifests used) for the next build.
func (p *Processor) Close() error {
	err := p.memo.Save()
	if ierr := p.saveIndex(); err == nil {
		err = ierr
	}
	return err
}

// Decode decodes a file made by Process (for the social card, which draws
// the story's photo under its text).
func Decode(o Output, fsys fs.FS) (image.Image, error) {
	b := o.Data
	if b == nil {
		if fsys == nil || o.File == "" {
			return nil, fmt.Errorf("images: output %s has neither data nor a file", o.Hash)
		}
		var err error
		b, err = fs.ReadFile(fsys, o.File)
		if err != nil {
			return nil, err
		}
	}
	f := Sniff(b)
	if f != JPEG && f != PNG && f != WebP && f != GIF {
		return nil, fmt.Errorf("images: output %s is not JPEG, PNG or WebP", o.Hash)
	}
	return decode(b, f)
}

// decodeConfig reads an image's header. A WebP goes to x/image/webp by
// name: github.com/gen2brain/webp registers a "webp" format of its own,
// which would start its WebAssembly runtime, and which of the two
// image.DecodeConfig picks is a matter of package initialisation order
// (today x/image's).
func decodeConfig(b []byte) (image.Config, error) {
	if Sniff(b) == WebP {
		return webp.DecodeConfig(bytes.NewReader(b))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	return cfg, err
}

// ext is the file extension for a format.
func ext(f Format) string {
	switch f {
	case JPEG:
		return ".jpg"
	case "":
		return ".bin"
	}
	return "." + string(f)
}
