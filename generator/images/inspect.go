package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registered for DecodeConfig and Decode
	_ "image/jpeg"
	_ "image/png"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/image/webp"
)

func (l Limits) orDefault() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

func tooLarge(size int64, lim Limits) error {
	return &Error{
		Msg:  fmt.Sprintf("is %s, more than the limit of %s", byteSize(size), byteSize(lim.MaxBytes)),
		Hint: "export it smaller (a photo needs no more than 4000 pixels across), or raise images: max_bytes: in site.yaml",
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// inspect reads what the header in b says. b holds the whole file or, when
// partial is true, its first bytes only: then ok false asks for the whole
// file (the header runs past what was read).
func inspect(b []byte, lim Limits, partial bool) (info Info, more bool, err error) {
	if len(b) == 0 {
		return Info{}, false, &Error{Msg: "is empty", Hint: "copy the image again from where it came from"}
	}
	f := Sniff(b)
	if err := refused(f); err != nil {
		return Info{Format: f}, false, err
	}
	info = Info{Format: f, Orientation: 1}
	var cfg image.Config
	switch f {
	case SVG:
		if partial {
			return info, true, nil // the whole file is checked
		}
		if err := svgRefused(b); err != nil {
			return info, false, err
		}
		info.Width, info.Height = svgSize(b)
		return info, false, nil
	case JPEG:
		segs, _, reached := jpegSegments(b)
		if !reached && partial {
			return info, true, nil
		}
		info.Orientation = jpegOrientation(segs)
		cfg, _, err = image.DecodeConfig(bytes.NewReader(b))
	case WebP:
		chunks, whole := webpChunks(b)
		if !whole && partial {
			return info, true, nil // the EXIF chunk is often at the end
		}
		info.Orientation = webpOrientation(chunks)
		cfg, err = webp.DecodeConfig(bytes.NewReader(b))
	default:
		cfg, _, err = image.DecodeConfig(bytes.NewReader(b))
	}
	if err != nil {
		if partial {
			return info, true, nil
		}
		return info, false, decodeError(f, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, false, &Error{Msg: fmt.Sprintf("says it is %d × %d pixels", cfg.Width, cfg.Height), Hint: "open it and save it again as " + saveAs(f)}
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px > lim.MaxPixels {
		return info, false, &Error{
			Msg:  fmt.Sprintf("is %d × %d pixels (%s), more than the limit of %s", cfg.Width, cfg.Height, megapixels(px), megapixels(lim.MaxPixels)),
			Hint: "make it smaller, or raise images: max_megapixels: in site.yaml",
		}
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if info.Orientation >= 5 {
		info.Width, info.Height = info.Height, info.Width
	}
	return info, false, nil
}

func saveAs(f Format) string {
	switch f {
	case PNG:
		return "PNG"
	case GIF:
		return "GIF or PNG"
	case WebP:
		return "WebP or JPEG"
	}
	return "JPEG"
}

// decodeError says in plain words why a file of format f did not decode.
func decodeError(f Format, err error) error {
	var ie *Error
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Msg: "is cut short or damaged (unexpected EOF)", Hint: "open it and save it again as " + saveAs(f)}
	}
	// What image/jpeg and image/png say of a file that ends early.
	if s := err.Error(); strings.Contains(s, "short Huffman data") || strings.Contains(s, "not enough pixel data") || strings.Contains(s, "missing SOS marker") {
		return &Error{Msg: fmt.Sprintf("is cut short or damaged (%v)", err), Hint: "open it and save it again as " + saveAs(f)}
	}
	if strings.Contains(err.Error(), "unsupported") {
		return &Error{Msg: fmt.Sprintf("is a kind of %s this site cannot read (%v)", formatName(f), err), Hint: "open it and save it again as " + saveAs(f) + " (8 bits, RGB)"}
	}
	return &Error{Msg: fmt.Sprintf("is damaged or not a valid %s (%v)", formatName(f), err), Hint: "open it and save it again as " + saveAs(f)}
}

func formatName(f Format) string {
	switch f {
	case JPEG:
		return "JPEG"
	case PNG:
		return "PNG"
	case GIF:
		return "GIF"
	case WebP:
		return "WebP"
	case SVG:
		return "SVG"
	}
	return "image"
}

var (
	svgRoot    = regexp.MustCompile(`(?s)<svg\b[^>]*>`)
	svgWidth   = regexp.MustCompile(`\swidth\s*=\s*["']\s*([0-9.]+)\s*(px)?\s*["']`)
	svgHeight  = regexp.MustCompile(`\sheight\s*=\s*["']\s*([0-9.]+)\s*(px)?\s*["']`)
	svgViewBox = regexp.MustCompile(`\sviewBox\s*=\s*["']\s*[-0-9.eE]+[\s,]+[-0-9.eE]+[\s,]+([0-9.eE]+)[\s,]+([0-9.eE]+)\s*["']`)
)

// svgSize is the size an SVG asks for, from its root's width and height (in
// pixels) or else its viewBox; 0 × 0 when it says none.
func svgSize(b []byte) (w, h int) {
	root := svgRoot.Find(b)
	if root == nil {
		return 0, 0
	}
	num := func(re *regexp.Regexp, i int) float64 {
		m := re.FindSubmatch(root)
		if m == nil {
			return 0
		}
		v, _ := strconv.ParseFloat(string(m[i]), 64)
		return v
	}
	fw, fh := num(svgWidth, 1), num(svgHeight, 1)
	if fw <= 0 || fh <= 0 {
		fw, fh = num(svgViewBox, 1), num(svgViewBox, 2)
	}
	if fw <= 0 || fh <= 0 || fw > 1e6 || fh > 1e6 {
		return 0, 0
	}
	return int(fw + 0.5), int(fh + 0.5)
}
