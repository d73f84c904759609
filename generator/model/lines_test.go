package model

import (
	"bytes"
	"strings"
	"testing"
)

// linesByteByByte is lines as it was written first, a byte at a time: the
// oracle the faster lines must agree with, since approvals recorded with
// it hold fingerprints of its output.
func linesByteByByte(b []byte) string {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	var out strings.Builder
	out.Grow(len(b))
	blank, started := false, false
	for _, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimRight(line, " \t\v\f")
		if len(line) == 0 {
			blank = started
			continue
		}
		started = true
		if blank {
			out.WriteByte('\n')
			blank = false
		}
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		out.Write(line[:indent])
		space := false
		for _, c := range line[indent:] {
			if c == ' ' || c == '\t' {
				space = true
				continue
			}
			if space {
				out.WriteByte(' ')
				space = false
			}
			out.WriteByte(c)
		}
		out.WriteByte('\n')
	}
	return out.String()
}

var linesCases = []string{
	"", "\n", "\n\n\n", "a", "a\n", "a\r\nb\rc\n", "  a  b\t\tc  \n\n\n  d\v\f\n",
	"\t\tindented\tword \t word\t", "x \v y", "\f\n\v", "a\n \n\t\nb", "é  ü\u00a0 x",
	"# Heading\n\n- item  one\n-  item two\r\n\r\n\r\n1. x\t\n",
}

func TestLinesAsByteByByte(t *testing.T) {
	for _, c := range linesCases {
		if got, want := lines([]byte(c)), linesByteByByte([]byte(c)); got != want {
			t.Errorf("lines(%q) = %q, want %q", c, got, want)
		}
	}
}

func FuzzLines(f *testing.F) {
	for _, c := range linesCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := lines(b), linesByteByByte(b); got != want {
			t.Errorf("lines(%q) = %q, want %q", b, got, want)
		}
	})
}

func BenchmarkLines(b *testing.B) {
	src := []byte(strings.Repeat("Some words of a story,  with  a list:\n\n- one item\n- two items\t here\n\n", 60))
	for b.Loop() {
		lines(src)
	}
}
