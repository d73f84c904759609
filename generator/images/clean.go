package images

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"
)

type pngChunk struct {
	typ        string
	data       []byte
	start, end int
}

// pngChunks walks a PNG's chunks, bounds-checked, up to IEND or damage.
func pngChunks(b []byte) []pngChunk {
	if len(b) < 8 || string(b[:8]) != "\x89PNG\r\n\x1a\n" {
		return nil
	}
	var cs []pngChunk
	i := 8
	for i+12 <= len(b) {
		n := int64(be32(b[i:]))
		end := int64(i) + 12 + n
		if end > int64(len(b)) {
			break
		}
		cs = append(cs, pngChunk{typ: string(b[i+4 : i+8]), data: b[i+8 : i+8+int(n)], start: i, end: int(end)})
		if string(b[i+4:i+8]) == "IEND" {
			break
		}
		i = int(end)
	}
	return cs
}

// Clean returns a static file's bytes without metadata: a JPEG without
// EXIF, XMP, IPTC, comments and ICC (re-encoded, oriented, at quality 92 when
// its EXIF orientation is not 1; otherwise by dropping those segments, with
// no loss), a PNG without text, time and eXIf chunks, a WebP without EXIF and
// XMP chunks. changed is false when there was nothing to remove.
//
// A JPEG whose ICC profile is an RGB matrix profile other than sRGB (a
// Display P3 photo) is also re-encoded at 92, its colours converted to
// sRGB, as dropping the profile alone would dull them. A PNG's iCCP chunk
// is dropped when it is sRGB, converted (the PNG re-encoded, losslessly
// otherwise) when it is an RGB matrix profile, and kept when it is of a
// kind this package cannot convert (LUT-based, grey): the chunk holds no
// personal data. A WebP keeps its ICCP chunk; a WebP with an EXIF
// orientation other than 1 is re-encoded (lossy, quality 92), oriented.
// GIF and SVG come back unchanged.
func Clean(data []byte) (out []byte, changed bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, changed, err = nil, false, &Error{Msg: fmt.Sprintf("is damaged and could not be cleaned (%v)", r), Hint: "open it and save it again"}
		}
	}()
	switch Sniff(data) {
	case JPEG:
		return cleanJPEG(data)
	case PNG:
		return cleanPNG(data)
	case WebP:
		return cleanWebP(data)
	}
	return data, false, nil
}

func damaged(f Format) error {
	return &Error{Msg: "is cut short or damaged (its structure does not hold together)", Hint: "open it and save it again as " + saveAs(f)}
}

// reencode decodes data, orients and converts it to sRGB, and encodes it as
// f (JPEG at 92, PNG, WebP at 92).
func reencode(data []byte, f Format, o int, icc []byte) ([]byte, error) {
	if _, _, err := inspect(data, Limits{}.orDefault(), false); err != nil {
		return nil, err
	}
	src, err := decode(data, f)
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	m := orient(toRGBA(src, b, b.Dx(), b.Dy()), o)
	if t := parseICC(icc); t != nil {
		t.apply(m)
	}
	var buf bytes.Buffer
	switch f {
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, opaqueOrNot(m))
	case WebP:
		var wb []byte
		wb, err = encodeWebP(opaqueOrNot(m), 92)
		buf.Write(wb)
	default:
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 92})
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cleanJPEG(b []byte) ([]byte, bool, error) {
	segs, _, ok := jpegSegments(b)
	if !ok {
		return nil, false, damaged(JPEG)
	}
	icc := jpegICC(segs)
	if o := jpegOrientation(segs); o != 1 || parseICC(icc) != nil {
		out, err := reencode(b, JPEG, o, icc)
		return out, err == nil, err
	}
	all, end, ok := jpegAll(b)
	if !ok {
		return nil, false, damaged(JPEG)
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:2]...)
	changed := end < len(b) // data after the end of the image: a phone's second picture, a video, a trailer
	for _, s := range all {
		keep := true
		switch {
		case s.marker == 0xFE: // COM
			keep = false
		case s.marker == 0xE0:
			keep = bytes.HasPrefix(s.data, []byte("JFIF\x00"))
		case s.marker == 0xEE:
			keep = bytes.HasPrefix(s.data, []byte("Adobe"))
		case s.marker >= 0xE1 && s.marker <= 0xEF:
			keep = false
		}
		if keep {
			out = append(out, b[s.start:s.end]...)
		} else {
			changed = true
		}
	}
	if !changed {
		return b, false, nil
	}
	return append(out, 0xFF, 0xD9), true, nil
}

// jpegAll walks a whole JPEG: every marker segment, the image data after
// each start of scan counted in its SOS segment, up to the end of image
// (EOI, not included in the list). end is the offset just past the EOI (or
// the length of the file when it has none: a file cut short at its end).
func jpegAll(b []byte) (segs []segment, end int, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, 0, false
	}
	i := 2
	for i < len(b) {
		if b[i] != 0xFF {
			return segs, i, false
		}
		start := i
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return segs, len(b), true
		}
		m := b[i]
		i++
		switch {
		case m == 0xD9:
			return segs, i, true
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xD8:
			segs = append(segs, segment{marker: m, start: start, end: i})
			continue
		}
		if i+2 > len(b) {
			return segs, i, false
		}
		n := int(be16(b[i:]))
		if n < 2 || i+n > len(b) {
			return segs, i, false
		}
		s := segment{marker: m, data: b[i+2 : i+n], start: start, end: i + n}
		i += n
		if m == 0xDA {
			// Entropy-coded data: up to a marker other than a stuffed
			// 0xFF00 or a restart marker.
			for i < len(b) {
				if b[i] != 0xFF {
					i++
					continue
				}
				if i+1 < len(b) && (b[i+1] == 0 || b[i+1] >= 0xD0 && b[i+1] <= 0xD7) {
					i += 2
					continue
				}
				break
			}
			s.end = i
		}
		segs = append(segs, s)
	}
	return segs, len(b), true
}

func cleanPNG(b []byte) ([]byte, bool, error) {
	cs := pngChunks(b)
	if len(cs) == 0 || cs[len(cs)-1].typ != "IEND" {
		return nil, false, damaged(PNG)
	}
	var dropICC bool
	for _, c := range cs {
		if c.typ == "iCCP" {
			t, known := parseICCKind(pngICC(b))
			if t != nil {
				out, err := reencode(b, PNG, 1, pngICC(b))
				return out, err == nil, err
			}
			dropICC = known
		}
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:8]...)
	changed := cs[len(cs)-1].end < len(b) // data after IEND
	for _, c := range cs {
		switch c.typ {
		case "tEXt", "zTXt", "iTXt", "tIME", "eXIf":
			changed = true
			continue
		case "iCCP":
			if dropICC {
				changed = true
				continue
			}
		}
		out = append(out, b[c.start:c.end]...)
	}
	if !changed {
		return b, false, nil
	}
	return out, true, nil
}

func cleanWebP(b []byte) ([]byte, bool, error) {
	cs, ok := webpChunks(b)
	if !ok {
		return nil, false, damaged(WebP)
	}
	if o := webpOrientation(cs); o != 1 {
		out, err := reencode(b, WebP, o, nil)
		return out, err == nil, err
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:12]...)
	changed := len(cs) > 0 && cs[len(cs)-1].end < len(b) // data after the RIFF container
	vp8x := -1
	for _, c := range cs {
		if c.id == "EXIF" || c.id == "XMP " {
			changed = true
			continue
		}
		if c.id == "VP8X" && len(c.data) >= 1 {
			vp8x = len(out) + 8
		}
		out = append(out, b[c.start:c.end]...)
	}
	if !changed {
		return b, false, nil
	}
	if vp8x >= 0 {
		out[vp8x] &^= 0x08 | 0x04 // the EXIF and XMP flags
	}
	n := uint32(len(out) - 8)
	out[4], out[5], out[6], out[7] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	return out, true, nil
}
