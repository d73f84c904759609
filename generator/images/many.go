package images

import (
	"bytes"
	"image"
	"image/png"
	"io/fs"

	"golang.org/x/image/draw"
)

// ProcessAll makes several jobs from one source, as Process does for each,
// but reads and decodes the source once for all the jobs the cache does
// not hold: a story's cover gives its column sizes, its card crop, its
// email image and its social card's crop from one decode.
func (p *Processor) ProcessAll(fsys fs.FS, name, digest string, jobs []Job) ([]Result, error) {
	out := make([]Result, len(jobs))
	keys := make([]string, len(jobs))
	var missing []int
	for i, j := range jobs {
		// The shared image depends on every job: each result's key names
		// them all, and which one it is.
		keys[i] = p.key("process-all", digest, jobs, i, webpEncoderName(j))
		if r, ok := p.cached(keys[i]); ok && digest != "" {
			out[i] = r
			continue
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	data, err := readAll(fsys, name, p.lim)
	if err != nil {
		return nil, err
	}
	if digest == "" {
		return p.processEach(fsys, name, jobs)
	}
	info, _, err := inspect(data, p.lim, false)
	if err != nil {
		return nil, err
	}
	if info.Format == SVG {
		return p.processEach(fsys, name, jobs)
	}
	weight := int64(info.Width) * int64(info.Height)
	p.sem.acquire(weight)
	defer p.sem.release(weight)
	p.made.Add(1)
	src, err := decode(data, info.Format)
	if err != nil {
		return nil, err
	}
	var icc []byte
	switch info.Format {
	case JPEG:
		segs, _, _ := jpegSegments(data)
		icc = jpegICC(segs)
	case PNG:
		icc = pngICC(data)
	}
	// Every job is made from one shared image: upright, in sRGB, and
	// reduced (by area averaging) to twice the widest output any job asks
	// for, so the full-size photo is averaged once, not once a job. It
	// depends on all the jobs, cached or not, so a job's result is the
	// same whichever of them the cache held.
	mid, midInfo := shared(src, info, icc, jobs)
	for _, i := range missing {
		outs, err := render(mid, midInfo, nil, jobs[i])
		if err != nil {
			return nil, err
		}
		r := Result{Info: info, Outputs: outs}
		if err := p.store(keys[i], &r); err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// shared returns src upright, converted to sRGB and reduced to twice the
// widest output of jobs, and its Info.
func shared(src image.Image, info Info, icc []byte, jobs []Job) (*image.RGBA, Info) {
	o := info.Orientation
	if o < 1 || o > 8 {
		o = 1
	}
	b := src.Bounds()
	dw, dh := b.Dx(), b.Dy()
	if o >= 5 {
		dw, dh = dh, dw
	}
	// The scale each job needs: its crop at least twice its widest output.
	scale := 0.0
	for _, j := range jobs {
		top := 1
		for _, w := range j.Widths {
			top = max(top, w)
		}
		cw := cropRect(dw, dh, j.Aspect, j.Focus).Dx()
		scale = max(scale, float64(2*top)/float64(max(1, cw)))
	}
	iw, ih := dw, dh
	if scale < 1 {
		iw, ih = max(1, int(float64(dw)*scale+0.5)), max(1, int(float64(dh)*scale+0.5))
	}
	sr := storedRect(o, image.Rect(0, 0, dw, dh), dw, dh).Add(b.Min)
	sw, sh := iw, ih
	if o >= 5 {
		sw, sh = ih, iw
	}
	mid := orient(toRGBA(src, sr, sw, sh), o)
	if t := parseICC(icc); t != nil {
		t.apply(mid)
	}
	return mid, Info{Format: info.Format, Width: iw, Height: ih, Orientation: 1}
}

// processEach runs Process for each job.
func (p *Processor) processEach(fsys fs.FS, name string, jobs []Job) ([]Result, error) {
	out := make([]Result, len(jobs))
	for i, j := range jobs {
		r, err := p.Process(fsys, name, "", j)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// LogoPNG draws a logo (SVG, PNG, JPEG, GIF or WebP) as a PNG height pixels
// high, keeping its aspect ratio, for the email and the social cards.
func LogoPNG(data []byte, height int) ([]byte, error) {
	var img image.Image
	if looksSVG(data) {
		w := height * 4
		r, err := RasterizeSVG(data, w, height)
		if err != nil {
			return nil, err
		}
		img = trim(r)
	} else {
		src, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, &Error{Msg: "cannot be read as an image (" + err.Error() + ")"}
		}
		b := src.Bounds()
		w := max(1, b.Dx()*height/max(1, b.Dy()))
		dst := image.NewNRGBA(image.Rect(0, 0, w, height))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		img = dst
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// trim drops the transparent margins around a drawing.
func trim(m *image.NRGBA) image.Image {
	b := m.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if m.NRGBAAt(x, y).A != 0 {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x+1), max(maxY, y+1)
			}
		}
	}
	if minX >= maxX || minY >= maxY {
		return m
	}
	return m.SubImage(image.Rect(minX, minY, maxX, maxY))
}

// looksSVG reports whether data is an SVG drawing rather than a picture.
func looksSVG(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("<svg")) && !bytes.HasPrefix(head, []byte("\x89PNG"))
}
