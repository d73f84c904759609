package card

import (
	"encoding/binary"
	"hash/crc32"
	"image/color"
)

// This file writes a paletted canvas as a PNG without image/png. A card is
// mostly paper with a few bands of text, and the whole first build of a
// large site draws one card per story, so the general encoder's cost (a
// filter tried on every row, then LZ77 over 750 kB) dominated the build.
// A card's bytes are runs: long ones of paper, shorter ones inside glyphs.
// Each run is one literal and length-distance pairs at distance 1; a row of
// a word may instead copy from the row above it (distance Width+1). The
// rows of words are coded once and their bits reused; paper and fills
// between them are coded as they come. The code is one dynamic Huffman code
// fitted to cards (huffman.go). The Adler-32 of a run is summed in closed
// form, so the time taken grows with the number of pieces, not of pixels.
// Every decoder reads the result: it is plain deflate.

// bitWriter packs deflate's bit stream, least significant bit first.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

// write adds the n low bits of code (n ≤ 32).
func (w *bitWriter) write(code uint64, n uint) {
	w.acc |= code << w.n
	w.n += n
	if w.n >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.n -= 32
	}
}

// flush pads the stream to a whole byte.
func (w *bitWriter) flush() {
	w.out = w.bits()
	w.acc, w.n = 0, 0
}

// For each match length 3…258: its symbol, and the value and count of its
// extra bits.
var lengthSym, lengthExtra, lengthExtraBits [259]uint16

// For each match length 3…258: the code of the length (its symbol and
// extra bits) and its length in bits; and the whole code of a match at
// distance 1 (the length, then distance symbol 0) and its length.
var (
	lenCode, matchCode [259]uint32
	lenBits, matchLen  [259]uint8
)

// upDistance is the code of distance Width+1, one card row up: distance
// symbol 20 (one bit, 1) and 9 extra bits.
var upDistance = distance{code: 1 | uint64(Width+1-distUpBase)<<1, n: 1 + 9}

func init() {
	// Length symbols 257…284 cover 3…257 in groups of four with 0…5
	// extra bits; 285 is 258.
	sym, base := 257, 3
	for extra := 0; extra <= 5; extra++ {
		groups := 4
		if extra == 0 {
			groups = 8
		}
		for g := 0; g < groups; g++ {
			for v := 0; v < 1<<extra && base+v < 258; v++ {
				lengthSym[base+v] = uint16(sym)
				lengthExtra[base+v] = uint16(v)
				lengthExtraBits[base+v] = uint16(extra)
			}
			sym++
			base += 1 << extra
		}
	}
	lengthSym[258], lengthExtra[258], lengthExtraBits[258] = 285, 0, 0
	buildCode()
	for l := 3; l <= 258; l++ {
		s := lengthSym[l]
		code, n := uint32(litCode[s]), uint32(litLen[s])
		code |= uint32(lengthExtra[l]) << n
		n += uint32(lengthExtraBits[l])
		lenCode[l], lenBits[l] = code, uint8(n)
		matchCode[l], matchLen[l] = code, uint8(n+1) // distance symbol 0 is the one bit 0
	}
}

func reverse(code, n int) int {
	r := 0
	for i := 0; i < n; i++ {
		r = r<<1 | code>>i&1
	}
	return r
}

// deflater codes a stream of bytes as runs, and keeps its Adler-32.
type deflater struct {
	bitWriter
	s1, s2 uint64
}

const adlerMod = 65521

// adler adds n bytes that sum to sum, with Σ (n-i)·byte[i] = wsum, to the
// Adler-32 sums. The sums are reduced only when they could overflow: a
// division per run would cost as much as the rest of the coding.
func (d *deflater) adler(n, sum, wsum uint64) {
	if d.s1 >= 1<<32 || d.s2 >= 1<<56 {
		d.s1 %= adlerMod
		d.s2 %= adlerMod
	}
	d.s2 += n*d.s1 + wsum
	d.s1 += sum
}

// run codes n copies of b.
func (d *deflater) run(b byte, n int) {
	if n <= 0 {
		return
	}
	nn, bb := uint64(n), uint64(b)
	d.adler(nn, nn*bb, bb*(nn*(nn+1)/2))
	// One literal, then copies of the byte before at distance 1 (a match
	// is 3 to 258 bytes long); a short run is cheaper as literals.
	d.write(uint64(litCode[b]), uint(litLen[b]))
	n--
	for n >= 3 {
		l := min(n, 258)
		if n-l > 0 && n-l < 3 {
			l = n - 3 // leave a remainder a match can take
		}
		d.write(uint64(matchCode[l]), uint(matchLen[l]))
		n -= l
	}
	for ; n > 0; n-- {
		d.write(uint64(litCode[b]), uint(litLen[b]))
	}
}

// codeRuns codes px run by run.
func codeRuns(d *deflater, px []byte) {
	for x := 0; x < len(px); {
		b := px[x]
		j := x + 1
		if b == 0 {
			// Skip paper eight bytes at a time.
			for j+8 <= len(px) && binary.LittleEndian.Uint64(px[j:]) == 0 {
				j += 8
			}
		}
		for j < len(px) && px[j] == b {
			j++
		}
		d.run(b, j-x)
		x = j
	}
}

// codeWithAbove codes px, which lies under above (the same span one card
// row up, Width+1 bytes back), choosing at each byte the longest of a copy
// from above, a run of the byte before, or a literal. The first byte is
// never coded from the byte before it, which is outside px.
func codeWithAbove(d *deflater, px, above []byte) {
	for i := 0; i < len(px); {
		v := 0
		for i+v < len(px) && px[i+v] == above[i+v] && v < 258 {
			v++
		}
		h := 0
		if i > 0 {
			for i+h < len(px) && px[i+h] == px[i-1] && h < 258 {
				h++
			}
		}
		switch {
		case v >= 3 && v >= h:
			d.write(uint64(lenCode[v]), uint(lenBits[v]))
			d.write(upDistance.code, upDistance.n)
			i += v
		case h >= 3:
			d.write(uint64(matchCode[h]), uint(matchLen[h]))
			i += h
		default:
			d.write(uint64(litCode[px[i]]), uint(litLen[px[i]]))
			i++
		}
	}
}

// bits returns the bits written so far, the last byte padded. It may
// write into w's buffer past its length: never call it on a shared writer.
func (w *bitWriter) bits() []byte {
	out := w.out
	for b, n := w.acc, w.n; n > 0; n -= min(n, 8) {
		out = append(out, byte(b))
		b >>= 8
	}
	return out
}

func (w *bitWriter) nbits() uint { return uint(len(w.out))*8 + w.n }

// glyph adds a glyph's row, coded before: alone, or (vertical) as coded
// under the row above it.
func (d *deflater) glyph(g *glyphRow, vertical bool) {
	d.adler(uint64(g.n), g.sum, g.wsum)
	if vertical {
		d.appendBits(g.vbits, g.nvbits)
	} else {
		d.appendBits(g.bits, g.nbits)
	}
}

// appendBits adds the first n bits of b.
func (w *bitWriter) appendBits(b []byte, n uint) {
	// Eight bytes at a time: the pending bits (fewer than 32) go first.
	for n >= 64 {
		v := binary.LittleEndian.Uint64(b)
		w.out = binary.LittleEndian.AppendUint64(w.out, w.acc|v<<w.n)
		w.acc = v >> (64 - w.n) // 0 when w.n is 0
		b, n = b[8:], n-64
	}
	for n >= 32 {
		w.write(uint64(binary.LittleEndian.Uint32(b)), 32)
		b, n = b[4:], n-32
	}
	for n > 0 {
		k := min(n, 8)
		w.write(uint64(b[0])&(1<<k-1), k)
		b, n = b[1:], n-k
	}
}

// distance is the code of a match distance: its 5-bit symbol (reversed)
// and extra bits, and their length.
type distance struct {
	code uint64
	n    uint
}

// encodePNG writes the canvas as an 8-bit paletted PNG.
func encodePNG(c *canvas, pal color.Palette) []byte {
	// One buffer: the signature, IHDR and PLTE, then IDAT, whose length
	// and checksum are filled in at the end, then IEND.
	out := make([]byte, 0, 48<<10)
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(c.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(c.h))
	ihdr[8], ihdr[9] = 8, 3 // bit depth 8, colour type 3: paletted
	out = chunk(out, "IHDR", ihdr[:])
	var plte [256 * 3]byte
	for i, col := range pal {
		r, g, b, _ := col.RGBA()
		plte[3*i], plte[3*i+1], plte[3*i+2] = byte(r>>8), byte(g>>8), byte(b>>8)
	}
	out = chunk(out, "PLTE", plte[:3*len(pal)])
	idat := len(out)
	out = append(out, 0, 0, 0, 0, 'I', 'D', 'A', 'T')

	d := &deflater{s1: 1}
	d.out = out
	// The zlib header (deflate, 32 KiB window, no dictionary), then one
	// final block with the cards' code (huffman.go).
	d.out = append(d.out, 0x78, 0x01)
	d.appendBits(headerBits, headerLen)

	// Runs of paper and fills go on as long as the next piece continues
	// them; a glyph's row is coded already, so the pending run ends first.
	var cur byte // the byte of the pending run
	n := 0       // its length so far
	feed := func(b byte, k int) {
		if k <= 0 {
			return
		}
		if b == cur || n == 0 {
			cur = b
			n += k
			return
		}
		d.run(cur, n)
		cur, n = b, k
	}
	var painted []uint8
	var above []piece // the pieces of the row above, when it was coded from them
	for y := 0; y < c.h; y++ {
		feed(0, 1) // filter type None
		pieces := c.rows[y]
		clean := true
		for i, p := range pieces {
			if p.x0 < 0 || p.x1 > c.w || (i > 0 && p.x0 < pieces[i-1].x1) {
				clean = false
				break
			}
		}
		if !clean {
			if painted == nil {
				painted = make([]uint8, c.w)
			}
			c.paint(y, painted)
			d.run(cur, n)
			n = 0
			codeRuns(d, painted)
			above = nil
			continue
		}
		x, k := 0, 0
		for _, p := range pieces {
			feed(0, p.x0-x)
			if p.g == nil {
				feed(p.ix, p.x1-p.x0)
			} else {
				d.run(cur, n)
				n = 0
				// The row above in the same raster, at the same place on
				// the image row above (coded from its pieces), with no
				// other piece over this one's span: code under it.
				ux := p.x0 - p.g.lead
				if up := p.g.up; up != nil && up.n > 0 {
					ux += up.lead
				}
				for k < len(above) && above[k].x0 < ux {
					k++
				}
				vertical := c.w == Width && p.g.up != nil && k < len(above) && above[k].g == p.g.up && above[k].x0 == ux &&
					(k == 0 || above[k-1].x1 <= p.x0) && (k+1 == len(above) || above[k+1].x0 >= p.x1)
				d.glyph(p.g, vertical)
			}
			x = p.x1
		}
		feed(0, c.w-x)
		above = pieces
	}
	d.run(cur, n)
	d.write(uint64(litCode[256]), uint(litLen[256])) // end of block
	d.flush()
	out = binary.BigEndian.AppendUint32(d.out, uint32(d.s2%adlerMod<<16|d.s1%adlerMod))
	binary.BigEndian.PutUint32(out[idat:], uint32(len(out)-idat-8))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[idat+4:]))
	return chunk(out, "IEND", nil)
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}
