package images

import (
	"bytes"
	"image"
	"image/png"
	"io/fs"

	"golang.org/x/image/draw"
)

// ProcessAll makes several jobs from one source, as Process does for each.
func (p *Processor) ProcessAll(fsys fs.FS, name, digest string, jobs []Job) ([]Result, error) {
	out := make([]Result, len(jobs))
	for i, j := range jobs {
		r, err := p.Process(fsys, name, digest, j)
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
