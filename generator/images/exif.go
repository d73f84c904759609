package images

// segment is one JPEG marker segment before the image data: its marker,
// payload (without the length) and its place in the file, from its 0xFF to
// the end of its payload.
type segment struct {
	marker     byte
	data       []byte
	start, end int
}

// jpegSegments walks the marker segments of a JPEG up to its first start of
// scan (SOS, not included), bounds-checked. It returns the offset of the
// SOS marker (or of where the walk stopped) and whether the walk reached it.
func jpegSegments(b []byte) (segs []segment, sos int, ok bool) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
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
			return segs, start, false
		}
		m := b[i]
		i++
		switch {
		case m == 0xDA:
			return segs, start, true
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			continue
		case m == 0xD9:
			return segs, start, false
		}
		if i+2 > len(b) {
			return segs, start, false
		}
		n := int(be16(b[i:]))
		if n < 2 || i+n > len(b) {
			return segs, start, false
		}
		segs = append(segs, segment{marker: m, data: b[i+2 : i+n], start: start, end: i + n})
		i += n
	}
	return segs, i, false
}

// jpegOrientation is the EXIF orientation in a JPEG's APP1 Exif segment, 1
// when there is none or it is not valid.
func jpegOrientation(segs []segment) int {
	for _, s := range segs {
		if s.marker == 0xE1 && len(s.data) >= 6 && string(s.data[:6]) == "Exif\x00\x00" {
			return exifOrientation(s.data[6:])
		}
	}
	return 1
}

// exifOrientation reads the orientation tag (0x0112) of IFD0 in a TIFF
// structure (the body of an Exif block). Every offset is checked against
// the data: a damaged block gives 1, never a panic.
func exifOrientation(t []byte) int {
	if len(t) >= 6 && string(t[:6]) == "Exif\x00\x00" {
		t = t[6:]
	}
	if len(t) < 8 {
		return 1
	}
	var u16 func([]byte) uint16
	var u32 func([]byte) uint32
	switch string(t[:4]) {
	case "II*\x00":
		u16 = func(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
		u32 = le32
	case "MM\x00*":
		u16 = be16
		u32 = be32
	default:
		return 1
	}
	off := int64(u32(t[4:8]))
	if off < 8 || off+2 > int64(len(t)) {
		return 1
	}
	n := int64(u16(t[off:]))
	p := off + 2
	for k := int64(0); k < n; k++ {
		e := p + 12*k
		if e+12 > int64(len(t)) {
			return 1
		}
		if u16(t[e:]) != 0x0112 {
			continue
		}
		typ, count := u16(t[e+2:]), u32(t[e+4:])
		var v int
		switch {
		case typ == 3 && count >= 1: // SHORT
			v = int(u16(t[e+8:]))
		case typ == 4 && count >= 1: // LONG
			v = int(u32(t[e+8:]))
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return v
	}
	return 1
}

// riffChunk is one chunk of a WebP's RIFF container.
type riffChunk struct {
	id         string
	data       []byte
	start, end int // the chunk's header start and its end, padding included
}

// webpChunks walks the chunks of a WebP file, bounds-checked; ok is false
// when the container is damaged.
func webpChunks(b []byte) (chunks []riffChunk, ok bool) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, false
	}
	if n := int64(le32(b[4:])) + 8; n >= 12 && n < int64(len(b)) {
		b = b[:n] // what follows the container is not part of it
	}
	i := 12
	for i+8 <= len(b) {
		n := int64(le32(b[i+4:]))
		if int64(i)+8+n > int64(len(b)) {
			return chunks, false
		}
		end := i + 8 + int(n)
		padded := end + int(n&1)
		if padded > len(b) {
			padded = len(b)
		}
		chunks = append(chunks, riffChunk{id: string(b[i : i+4]), data: b[i+8 : end], start: i, end: padded})
		i = padded
	}
	return chunks, i == len(b)
}

func webpOrientation(chunks []riffChunk) int {
	for _, c := range chunks {
		if c.id == "EXIF" {
			return exifOrientation(c.data)
		}
	}
	return 1
}
