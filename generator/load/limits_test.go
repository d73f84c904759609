package load

import (
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// timeBound is how long reading one pathological file may take: well
// under a second, with room for the race detector on a loaded machine.
func timeBound() time.Duration {
	if raceEnabled {
		return 10 * time.Second
	}
	return time.Second
}

// memBound is how much one pathological front matter may allocate. The
// race detector empties sync.Pool at random, so the regexp package
// allocates anew for most matches: the bound is scaled as the time is.
func memBound() uint64 {
	if raceEnabled {
		return 512 << 20
	}
	return 64 << 20
}

// measure reads the story src and returns the problems, the time and the
// bytes allocated.
func measure(t *testing.T, name, src string) (diag.List, time.Duration, uint64) {
	t.Helper()
	fsys := siteFS(map[string]string{name: src})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, errs := Dir(fsys)
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return errs, d, after.TotalAlloc - before.TotalAlloc
}

// TestFrontMatterNesting feeds about 100 KB of each way to nest TOML and
// YAML deeply. Before, TOML had no limit: 20 KB of inline tables took 4 s
// and 2.8 GB, 16 KB of dotted keys 2.2 s and 2.5 GB. Each is now an error
// at its line, found before decoding, within the time and memory bounds;
// brackets and dots inside strings and comments are not nesting.
func TestFrontMatterNesting(t *testing.T) {
	const n = 50_000 // repetitions: about 100 KB each
	const f = "content/stories/x.md"
	toml := func(s string) string { return "+++\ntitle = \"x\"\ndate = 2026-01-01\n" + s + "\n+++\nBody.\n" }
	yaml := func(s string) string { return "---\ntitle: x\ndate: 2026-01-01\n" + s + "\n---\nBody.\n" }
	deep := func(open, close string, k int) string { return strings.Repeat(open, k) + strings.Repeat(close, k) }
	const tooDeep = "the front matter nests more than 32 levels deep here"
	const yamlDeep = "the YAML nests more than 32 levels deep here"
	tests := []struct {
		name, src string
		want      string // the start of the first problem, or "" for none
		msg       string // what it says
	}{
		{"TOML arrays", toml("tags = " + deep("[", "]", n)), f + ":4:39: ", tooDeep},
		{"TOML inline tables", toml("x = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n)), f + ":4:", tooDeep},
		{"TOML dotted key", toml(strings.Repeat("a.", n) + "b = 1"), f + ":4:", tooDeep},
		{"TOML table header", toml("[" + strings.Repeat("a.", n) + "b]\nc = 1"), f + ":4:", tooDeep},
		{"TOML array of tables header", toml("[[" + strings.Repeat("a.", n) + "b]]\nc = 1"), f + ":4:", tooDeep},
		{"TOML tables and arrays mixed", toml("x = " + strings.Repeat("[{a=", n/2) + "1" + strings.Repeat("}]", n/2)), f + ":4:", tooDeep},
		{"TOML multi-line array", toml("x = " + strings.Repeat("[\n", n) + strings.Repeat("]\n", n)), f + ":35:1: ", tooDeep},
		{"TOML depth 32 is fine", toml("[district]\nx = " + deep("[", "]", 30)), f + ":4:2: unknown field \"district\"", ""},
		{"TOML brackets in strings", toml("summary = \"" + strings.Repeat("[{.", n/2) + "\"\nimage_alt = '" + strings.Repeat("[{.", n/2) + "'"), "", ""},
		{"TOML brackets in multi-line strings", toml("summary = \"\"\"\n" + strings.Repeat("[{.\\\"\n", n/4) + "\"\"\"\nimage_alt = '''" + strings.Repeat("[{\n", n/4) + "'''"), "", ""},
		{"TOML brackets in comments", toml("# " + strings.Repeat("[{.", n/2) + "\ntags = [\"a\"] # " + strings.Repeat("[", n)), "", ""},
		{"TOML many shallow values", toml("tags = [" + strings.Repeat("\"a\", ", n/3) + "\"b\"]"), "", ""},
		{"YAML flow lists", yaml("tags: " + deep("[", "]", n)), f + ":4:", "YAML: exceeded max depth of 10000"},
		{"YAML flow lists within the parser's bound", yaml("tags: " + deep("[", "]", 9000)), f + ":4:", yamlDeep},
		{"YAML flow maps", yaml("x: " + strings.Repeat("{a: ", n/2) + "1" + strings.Repeat("}", n/2)), f + ":4:", "YAML: exceeded max depth of 10000"},
		{"YAML block maps", yaml(blockNest(400)), f + ":36:33: ", yamlDeep},
		{"YAML compact lists", yaml("tags:\n" + strings.Repeat("- ", n) + "x"), f + ":4:", "YAML: exceeded max depth of 10000"},
		{"YAML compact lists within the parser's bound", yaml("tags:\n" + strings.Repeat("- ", 5000) + "x"), f + ":5:", yamlDeep},
		{"YAML depth 32 is fine", yaml("district: " + deep("[", "]", 31)), f + ":4:1: unknown field \"district\"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, d, mem := measure(t, f, tt.src)
			t.Logf("%d KB: %v, %d MB", len(tt.src)>>10, d, mem>>20)
			if d > timeBound() {
				t.Errorf("took %v, more than %v", d, timeBound())
			}
			if mem > memBound() {
				t.Errorf("allocated %d MB, more than %d MB", mem>>20, memBound()>>20)
			}
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("problems: %v", errs)
			case tt.want != "" && (len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), tt.want) || !strings.Contains(errs[0].Error(), tt.msg)):
				t.Errorf("problems: %v\nwant the first to start with %s and say %q", errs, tt.want, tt.msg)
			}
		})
	}
}

// blockNest returns YAML with n levels of indented blocks.
func blockNest(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sa:\n", strings.Repeat(" ", i))
	}
	fmt.Fprintf(&b, "%s1", strings.Repeat(" ", n))
	return b.String()
}

// TestMarkdownFileSize checks the size limit of stories and newsletter
// issues: 1 MiB, where other text files may hold 16 MiB.
func TestMarkdownFileSize(t *testing.T) {
	big := "---\ntitle: x\ndate: 2026-01-01\n---\n" + strings.Repeat("Words words words.\n", maxMarkdown/19+1)
	line := strings.Count(big[:maxMarkdown], "\n") + 1
	for _, f := range []string{"content/stories/x.md", "content/pages/x.md", "content/newsletter/2026-10.md", BriefingFile} {
		_, errs := loadFiles(t, map[string]string{f: big})
		checkErrs(t, errs, fmt.Sprintf("%s:%d: the file is larger than 1 MiB; it goes over here (a story, page or newsletter issue may hold at most 1 MiB of text", f, line))
	}
	_, errs := loadFiles(t, map[string]string{"content/stories/x.md": big[:maxMarkdown]})
	checkErrs(t, errs)
}

// TestDataFileNesting checks that the nesting bound covers the YAML data
// files too: they are read by the same parser.
func TestDataFileNesting(t *testing.T) {
	src := "- id: acme\n  name: Acme\n  note: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n"
	_, errs := loadFiles(t, map[string]string{PartnersFile: src})
	if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), PartnersFile+":3:") || !strings.Contains(errs[0].Error(), "the YAML nests more than 32 levels deep here") {
		t.Errorf("problems: %v", errs)
	}
}

// FuzzTOMLDepth checks that the depth scan never counts less than the
// depth of what BurntSushi/toml decodes: with a small limit, any text that
// decodes to something deeper must have been refused by the scan.
func FuzzTOMLDepth(f *testing.F) {
	for _, s := range []string{"a = [[1]]", "a.b.c = 1", "[a.b]\nc = {d = [1]}", "[[a.b]]\n[[a.b]]\nc.d = 1",
		"x = \"[[[\"\ny = [[1], [[2]]]", "x = '''\n[[[\n'''\ny = {a.b = 1}", "# [[[\nx = [ # ]\n [1]]",
		"\"a.b\".c = 1", "x = [\n[\n1\n]\n]", "x = \"\"\"a\\\"\"\"\"\ny = [[[1]]]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2000 {
			return // decoding deep text costs memory with the square of its depth
		}
		const limit = 3
		_, _, ok := tomlDepth([]byte(src), limit)
		var v map[string]any
		if _, err := toml.Decode(src, &v); err != nil || !ok {
			return
		}
		if d := valueDepth(v); d > limit {
			t.Fatalf("the scan passed text that decodes %d levels deep:\n%s", d, src)
		}
	})
}

// valueDepth is the nesting of tables and arrays in v: 1 for a table of
// plain values.
func valueDepth(v any) int {
	d := 0
	switch x := v.(type) {
	case map[string]any:
		for _, c := range x {
			d = max(d, valueDepth(c))
		}
	case []map[string]any:
		for _, c := range x {
			d = max(d, valueDepth(c))
		}
	case []any:
		for _, c := range x {
			d = max(d, valueDepth(c))
		}
	default:
		return 0
	}
	return d + 1
}

// growingFile is a file whose Stat gives a size other than what it holds:
// one that grew or shrank since, or a stream.
type growingFile struct {
	*strings.Reader
	statSize int64
}

func (f growingFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{"f": &fstest.MapFile{Data: make([]byte, f.statSize)}}.Stat("f")
}
func (growingFile) Close() error { return nil }

// TestReadAll checks that readAll reads a file whole, or max bytes of it,
// whatever its Stat said, and a regular file into one buffer of its size.
func TestReadAll(t *testing.T) {
	const max = 1000
	for _, n := range []int{0, 1, 511, 512, 513, max - 1, max, max + 1, 3 * max} {
		data := strings.Repeat("abcdefghij", n/10+1)[:n]
		want := data[:min(n, max)]
		// A regular file, its size known.
		f, err := fstest.MapFS{"f": &fstest.MapFile{Data: []byte(data)}}.Open("f")
		if err != nil {
			t.Fatal(err)
		}
		b, err := readAll(f, max)
		if err != nil || string(b) != want {
			t.Errorf("%d bytes: read %d bytes, %v; want %d", n, len(b), err, len(want))
		}
		if n < max && cap(b) != n+1 {
			t.Errorf("%d bytes: buffer of %d bytes, want %d (one buffer of the file's size and a byte)", n, cap(b), n+1)
		}
		// The size Stat gives is not what the file holds.
		for _, stat := range []int64{0, int64(n) / 2, int64(n) + 7, 10 * max} {
			b, err := readAll(growingFile{strings.NewReader(data), stat}, max)
			if err != nil || string(b) != want {
				t.Errorf("%d bytes, Stat says %d: read %d bytes, %v; want %d", n, stat, len(b), err, len(want))
			}
		}
	}
}
