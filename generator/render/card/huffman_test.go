package card

import "testing"

// TestHuffmanLengths checks that the code lengths make a complete prefix
// code (what Go's and zlib's decoders require) of at most 15 bits, for the
// cards' weights and for weights that would make a deeper tree.
func TestHuffmanLengths(t *testing.T) {
	skewed := make([]uint32, 286)
	for i := range skewed {
		skewed[i] = 1 << min(i, 31) // a Fibonacci-like tree would be 285 deep
	}
	tests := []struct {
		name    string
		weights []uint32
	}{
		{"cards", symbolWeights[:]},
		{"all zero", make([]uint32, 286)},
		{"two symbols", []uint32{5, 0}},
		{"skewed", skewed},
	}
	for _, tc := range tests {
		lengths := huffmanLengths(tc.weights, 15)
		kraft := 0.0
		for s, l := range lengths {
			if l < 1 || l > 15 {
				t.Fatalf("%s: symbol %d has length %d", tc.name, s, l)
			}
			kraft += 1 / float64(uint(1)<<l)
		}
		if kraft != 1 {
			t.Errorf("%s: Kraft sum %v, want 1 (a complete code)", tc.name, kraft)
		}
		if again := huffmanLengths(tc.weights, 15); string(again) != string(lengths) {
			t.Errorf("%s: two builds differ", tc.name)
		}
	}
}
