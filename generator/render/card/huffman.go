package card

import "sort"

// The cards' deflate stream uses one dynamic Huffman code, the same for
// every card, fitted to what cards hold: paper, three ramps of coverage
// levels and runs. A word's rows are coded once and reused, so the code
// cannot change from card to card; it is sent in each card's block header
// (about 160 bytes). Against deflate's fixed code it makes cards about a
// third smaller: a distance takes one bit instead of five, and paper and
// full coverage, the commonest literals, take fewer than eight.

// symbolWeights are how often each literal/length symbol occurs in a card,
// per card, counted over 40 story cards of both kinds (with a key figure
// and with a summary) with the example's accent colour. Literals are
// palette indices (0 paper, 1-3 tints, then the three ramps of 32 levels);
// 256 ends the block; 257-285 are match lengths.
var symbolWeights = [286]uint32{
	1981, 0, 1, 2, 278, 196, 153, 163, 145, 149, 148, 126, 150, 166, 140, 148,
	109, 128, 134, 119, 118, 124, 145, 135, 140, 131, 141, 150, 133, 140, 160, 149,
	174, 172, 280, 623, 475, 329, 401, 300, 341, 309, 275, 275, 300, 329, 288, 253,
	242, 233, 253, 178, 179, 181, 183, 159, 177, 204, 215, 199, 218, 226, 246, 300,
	313, 361, 421, 3475, 127, 72, 70, 48, 69, 49, 50, 49, 43, 32, 41, 47,
	38, 39, 57, 44, 36, 39, 50, 49, 47, 44, 49, 54, 49, 53, 51, 60,
	66, 83, 107, 245, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 710, 438, 366, 331, 348, 481, 492, 406, 388, 450, 373, 203, 303, 239, 181,
	159, 209, 181, 134, 73, 137, 90, 85, 55, 73, 43, 41, 71, 2192,
}

// The code: for each literal/length symbol its bit-reversed code and
// length; distance 1 and distance one card row up (Width+1) have one bit
// each, with 9 extra bits for the second.
var (
	litCode [286]uint16
	litLen  [286]uint8
	// headerBits is the block header, headerLen bits long: BFINAL, BTYPE
	// 10, the counts and the code lengths. Made once, then only read.
	headerBits []byte
	headerLen  uint
)

const (
	distUpSym  = 20   // the distance symbol of Width+1 (1025-1536)
	distUpBase = 1025 // the first distance of distUpSym
)

// buildCode makes the code and the header; encode.go's init calls it.
func buildCode() {
	lengths := huffmanLengths(symbolWeights[:], 15)
	canonical(lengths, litCode[:], litLen[:])

	// The header (RFC 1951 §3.2.7): HLIT 286-257, HDIST 21-1 (distance
	// symbols 0-20, of which 0 and 20 have one bit each), HCLEN 19-4;
	// the code-length code gives 4 bits to each length 0-15 and none to
	// 16-18; then the 286 + 21 code lengths.
	h := &bitWriter{}
	h.write(1, 1)
	h.write(2, 2)
	h.write(286-257, 5)
	h.write(21-1, 5)
	h.write(19-4, 4)
	for _, sym := range []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15} {
		if sym < 16 {
			h.write(4, 3)
		} else {
			h.write(0, 3)
		}
	}
	for _, l := range lengths {
		h.write(uint64(reverse(int(l), 4)), 4)
	}
	for sym := 0; sym <= distUpSym; sym++ {
		l := 0
		if sym == 0 || sym == distUpSym {
			l = 1
		}
		h.write(uint64(reverse(l, 4)), 4)
	}
	headerBits, headerLen = h.bits(), h.nbits()
}

// huffmanLengths returns code lengths of at most maxLen bits for symbols of
// the given weights, every symbol included (a weight of 0 counts as 1), so
// that the code is complete. Ties are broken by symbol, so the lengths are
// the same on every machine.
func huffmanLengths(weights []uint32, maxLen int) []uint8 {
	w := make([]uint64, len(weights))
	for i, x := range weights {
		w[i] = uint64(max(x, 1))
	}
	for {
		lengths := huffman(w)
		longest := uint8(0)
		for _, l := range lengths {
			longest = max(longest, l)
		}
		if int(longest) <= maxLen {
			return lengths
		}
		// Too deep: flatten the weights and build again.
		for i := range w {
			w[i] = w[i]/2 + 1
		}
	}
}

// huffman builds a Huffman tree over the weights (two or more) and returns
// each symbol's depth.
func huffman(w []uint64) []uint8 {
	type node struct {
		weight uint64
		order  int // the smallest symbol below it: ties break the same way every time
		kids   [2]int
		leaf   bool
	}
	nodes := make([]node, 0, 2*len(w))
	live := make([]int, 0, len(w))
	for s, x := range w {
		nodes = append(nodes, node{weight: x, order: s, leaf: true})
		live = append(live, s)
	}
	less := func(a, b int) bool {
		if nodes[a].weight != nodes[b].weight {
			return nodes[a].weight < nodes[b].weight
		}
		return nodes[a].order < nodes[b].order
	}
	for len(live) > 1 {
		sort.Slice(live, func(i, j int) bool { return less(live[i], live[j]) })
		a, b := live[0], live[1]
		nodes = append(nodes, node{weight: nodes[a].weight + nodes[b].weight, order: min(nodes[a].order, nodes[b].order), kids: [2]int{a, b}})
		live = append(live[2:], len(nodes)-1)
	}
	depth := make([]uint8, len(w))
	var walk func(n int, d uint8)
	walk = func(n int, d uint8) {
		if nodes[n].leaf {
			depth[n] = d
			return
		}
		walk(nodes[n].kids[0], d+1)
		walk(nodes[n].kids[1], d+1)
	}
	walk(live[0], 0)
	return depth
}

// canonical assigns deflate's canonical codes (RFC 1951 §3.2.2) to the
// lengths, bit-reversed for the LSB-first stream.
func canonical(lengths []uint8, codes []uint16, out []uint8) {
	var count [16]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]int
	code := 0
	for bits := 1; bits < 16; bits++ {
		code = (code + count[bits-1]) << 1
		next[bits] = code
	}
	for s, l := range lengths {
		if l > 0 {
			codes[s] = uint16(reverse(next[l], int(l)))
			out[s] = l
			next[l]++
		}
	}
}
