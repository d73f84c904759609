package load

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// siteFS returns a MapFS holding files, plus a site.yaml with a title when
// files has none, so that tests see only the problems they are about.
func siteFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	if _, ok := fsys[ConfigFile]; !ok {
		fsys[ConfigFile] = &fstest.MapFile{Data: []byte("title: Test\n")}
	}
	return fsys
}

// loadFiles runs Dir on files.
func loadFiles(t *testing.T, files map[string]string) (*Source, diag.List) {
	t.Helper()
	return Dir(siteFS(files))
}

// checkErrs checks that the problems in errs are exactly want, each given
// as a prefix of one problem's text ("file:line:col: message…"), in
// sorted order. A nil want means no problems at all.
func checkErrs(t *testing.T, errs diag.List, want ...string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("problems:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// checkPositions checks the fuzz property: every problem names a file,
// and a line inside src (one past the last line for "ends here" problems).
func checkPositions(t *testing.T, errs diag.List, files map[string][]byte) {
	t.Helper()
	for _, e := range errs {
		if e.Pos.File == "" {
			t.Fatalf("problem without a file: %v", e)
		}
		src, ok := files[e.Pos.File]
		if !ok {
			continue // a folder or a file the test did not write
		}
		lines := strings.Count(string(src), "\n") + 1
		if e.Pos.Line > lines+1 {
			t.Fatalf("problem at line %d of a %d-line file: %v", e.Pos.Line, lines, e)
		}
		if e.Pos.Line < 0 || e.Pos.Col < 0 {
			t.Fatalf("negative position: %v", e)
		}
	}
}

const testMetrics = "id,name,perspective,level,unit,direction,baseline,target,target_date\n" +
	"coverage_2y,Children fully immunised,impact,impact,%,up,71,90,2027-Q4\n" +
	"doses_given,Doses given,impact,output,doses,up,,,\n" +
	"outbreaks,Outbreaks,impact,outcome,outbreaks,down,3,0,2027\n"

// digestOf is the digest the approval fingerprint records of a picture
// file holding data.
func digestOf(data string) string {
	h := sha256.Sum256([]byte(data))
	return hex.EncodeToString(h[:])[:16]
}
