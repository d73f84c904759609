package images

import (
	"bytes"
	"fmt"
)

// Sniff tells a file's format from its first bytes (a few hundred are
// enough; an SVG may need more when it starts with comments).
func Sniff(b []byte) Format {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return JPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")):
		return TIFF
	}
	if f := sniffBMFF(b); f != Unknown {
		return f
	}
	if sniffSVG(b) {
		return SVG
	}
	return Unknown
}

// sniffBMFF tells HEIC and AVIF by their ISO-BMFF ftyp box: the major brand
// and the compatible brands.
func sniffBMFF(b []byte) Format {
	if len(b) < 12 || string(b[4:8]) != "ftyp" {
		return Unknown
	}
	size := int(be32(b[0:4]))
	if size < 12 || size > len(b) {
		size = len(b)
	}
	if size > 4096 {
		size = 4096
	}
	brands := [][]byte{b[8:12]}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, b[i:i+4])
	}
	f := Unknown
	for _, br := range brands {
		switch string(br) {
		case "avif", "avis":
			return AVIF
		case "heic", "heix", "hevc", "hevx", "heim", "heis":
			f = HEIC
		case "mif1", "msf1":
			if f == Unknown {
				f = HEIC
			}
		}
	}
	return f
}

// sniffSVG is true for text that starts, after an optional byte order mark,
// white space, an XML declaration, comments and a doctype, with <svg.
func sniffSVG(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return false
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				return false
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!")):
			i := bytes.IndexByte(b, '>')
			if j := bytes.IndexByte(b, '['); j >= 0 && (i < 0 || j < i) {
				// A doctype with an internal subset: up to "]>".
				if k := bytes.Index(b[j:], []byte("]>")); k >= 0 {
					i = j + k + 1
				}
			}
			if i < 0 {
				return false
			}
			b = b[i+1:]
		default:
			return bytes.HasPrefix(b, []byte("<svg")) && len(b) > 4 && (b[4] == ' ' || b[4] == '>' || b[4] == '\t' || b[4] == '\n' || b[4] == '\r' || b[4] == '/')
		}
	}
}

// refused is the *Error for a format this package does not decode, or nil.
func refused(f Format) error {
	switch f {
	case HEIC:
		return &Error{Msg: "is a HEIC photo, which browsers and email cannot show",
			Hint: "open it in Photos or Preview and export it as JPEG, or run `heif-convert photo.heic photo.jpg`"}
	case AVIF:
		return &Error{Msg: "is an AVIF image, which many email programs cannot show",
			Hint: "export it as JPEG or PNG, or run `heif-convert photo.avif photo.jpg`"}
	case TIFF:
		return &Error{Msg: "is a TIFF image, which browsers cannot show",
			Hint: "export it as JPEG or PNG"}
	case Unknown:
		return &Error{Msg: "is not an image this site can use (not JPEG, PNG, GIF, WebP or SVG)",
			Hint: "export it as JPEG (photos) or PNG (logos and drawings)"}
	}
	return nil
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func le32(b []byte) uint32 {
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}

func megapixels(n int64) string {
	return fmt.Sprintf("%d megapixels", (n+500_000)/1_000_000)
}
