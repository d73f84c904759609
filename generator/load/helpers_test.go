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
