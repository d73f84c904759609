package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/drumbeat/drumbeat/generator/write"
)

func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	os.RemoveAll(dir)
	files[write.Marker] = "built\n"
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func keys(l []Action) string {
	var out []string
	for _, a := range l {
		out = append(out, a.Key)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestRunFolder deploys to a file:// bucket (no server needed): what is
// uploaded, in which order, what is deleted and when the cap stops it.
// TestDeployToS3 in cmd/drumbeat does the same against a real S3 server.
func TestRunFolder(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	bucket := t.TempDir()
	tgt := model.DeployTarget{Name: "local", URL: "file://" + filepath.ToSlash(bucket)}
	ctx := context.Background()
	files := map[string]string{
		"index.html":                    "<p>home",
		"stories/a/index.html":          "<p>a",
		"stories/b/index.html":          "<p>b",
		"css/site.css":                  "body{}",
		"media/a-800-0123456789.jpg":    "jpeg",
		"feed.xml":                      "<rss>",
		".drumbeat-cache/x":             "never",
		"stories/a/.drumbeat-something": "never",
	}
	writeSite(t, site, files)
	res, err := Run(ctx, Options{Dir: site, Target: tgt})
	if err != nil {
		t.Fatal(err)
	}
	want := "css/site.css feed.xml index.html media/a-800-0123456789.jpg stories/a/index.html stories/b/index.html"
	if got := keys(res.Uploaded); got != want {
		t.Errorf("uploaded %s\nwant %s", got, want)
	}
	// Stages: assets, then code, then pages from the deepest up.
	var order []string
	for _, a := range res.ToUpload {
		order = append(order, a.Key)
	}
	if got := strings.Join(order, " "); got != "media/a-800-0123456789.jpg css/site.css stories/a/index.html stories/b/index.html feed.xml index.html" {
		t.Errorf("upload order %s", got)
	}
	res, err = Run(ctx, Options{Dir: site, Target: tgt})
	if err != nil || len(res.Uploaded) != 0 || res.Unchanged != 6 {
		t.Errorf("second deploy: %v, uploaded %s, %d unchanged", err, keys(res.Uploaded), res.Unchanged)
	}

	files["stories/a/index.html"] = "<p>a, edited"
	delete(files, "stories/b/index.html")
	delete(files, "feed.xml")
	writeSite(t, site, files)
	res, err = Run(ctx, Options{Dir: site, Target: tgt, DryRun: true, MaxDeletes: 1})
	if err != nil || keys(res.ToUpload) != "stories/a/index.html" || keys(res.ToDelete) != "feed.xml stories/b/index.html" || len(res.Uploaded) != 0 {
		t.Errorf("dry run: %v, to upload %s, to delete %s", err, keys(res.ToUpload), keys(res.ToDelete))
	}
	res, err = Run(ctx, Options{Dir: site, Target: tgt, MaxDeletes: 1})
	var de *Error
	if !errors.As(err, &de) || de.Kind != TooManyDeletes || len(res.Uploaded) != 0 {
		t.Fatalf("cap of 1 with 2 deletes: %v, uploaded %s", err, keys(res.Uploaded))
	}
	if _, err := os.Stat(filepath.Join(bucket, "feed.xml")); err != nil {
		t.Error("the refused deploy deleted feed.xml")
	}
	res, err = Run(ctx, Options{Dir: site, Target: tgt, MaxDeletes: 1, Force: true})
	if err != nil || keys(res.Uploaded) != "stories/a/index.html" || keys(res.Deleted) != "feed.xml stories/b/index.html" {
		t.Errorf("forced: %v, uploaded %s, deleted %s", err, keys(res.Uploaded), keys(res.Deleted))
	}
	var inBucket []string
	filepath.WalkDir(bucket, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".attrs") {
			rel, _ := filepath.Rel(bucket, p)
			inBucket = append(inBucket, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(inBucket)
	if got := strings.Join(inBucket, " "); got != "css/site.css index.html media/a-800-0123456789.jpg stories/a/index.html" {
		t.Errorf("the bucket holds %s", got)
	}

	// No built site.
	_, err = Run(ctx, Options{Dir: filepath.Join(t.TempDir(), "public"), Target: tgt})
	if !errors.As(err, &de) || de.Kind != NoSite || !strings.Contains(de.Hint(), "drumbeat build") {
		t.Errorf("no site: %v", err)
	}
	// A folder drumbeat did not build.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "index.html"), []byte("x"), 0o644)
	_, err = Run(ctx, Options{Dir: other, Target: tgt})
	if !errors.As(err, &de) || de.Kind != NoSite || !strings.Contains(err.Error(), "is not a site built by drumbeat") {
		t.Errorf("foreign folder: %v", err)
	}
}

// TestRunUnicodeKeys deploys pages whose addresses are not ASCII (tags in
// any script, see package slug): the keys are the paths in NFC, even when
// the folder's names are decomposed, and a second deploy finds them
// unchanged.
func TestRunUnicodeKeys(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	bucket := t.TempDir()
	tgt := model.DeployTarget{Name: "local", URL: "file://" + filepath.ToSlash(bucket)}
	ctx := context.Background()
	writeSite(t, site, map[string]string{
		"tags/健康/index.html":            "<p>health",
		"tags/здоровье/index.html":      "<p>zdorovye",
		"stories/cafe\u0301/index.html": "<p>decomposed", // as macOS's HFS+ keeps names
	})
	res, err := Run(ctx, Options{Dir: site, Target: tgt})
	if err != nil {
		t.Fatal(err)
	}
	want := "stories/café/index.html tags/здоровье/index.html tags/健康/index.html"
	if got := keys(res.Uploaded); got != want {
		t.Errorf("uploaded %q\nwant %q", got, want)
	}
	res, err = Run(ctx, Options{Dir: site, Target: tgt})
	if err != nil || len(res.Uploaded) != 0 || len(res.ToDelete) != 0 || res.Unchanged != 3 {
		t.Errorf("second deploy: %v, uploaded %s, to delete %s, %d unchanged", err, keys(res.Uploaded), keys(res.ToDelete), res.Unchanged)
	}
}

// TestCapCountsNoFingerprintedFiles checks that the older versions of
// fingerprinted files (a search index's shards, a stylesheet's earlier
// name) do not count against MaxDeletes: taking a story down renames many
// of them, and the cap is there to catch a wrong or empty folder.
func TestCapCountsNoFingerprintedFiles(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	bucket := t.TempDir()
	tgt := model.DeployTarget{Name: "local", URL: "file://" + filepath.ToSlash(bucket)}
	ctx := context.Background()
	files := map[string]string{"index.html": "<p>home", "stories/a/index.html": "<p>a", "stories/b/index.html": "<p>b"}
	for i := 0; i < 80; i++ {
		files[fmt.Sprintf("search/t.%010x.json", i)] = "[]"
	}
	writeSite(t, site, files)
	if _, err := Run(ctx, Options{Dir: site, Target: tgt}); err != nil {
		t.Fatal(err)
	}
	// Every shard renamed, one story taken down: 81 deletes, one capped.
	for i := 0; i < 80; i++ {
		delete(files, fmt.Sprintf("search/t.%010x.json", i))
		files[fmt.Sprintf("search/t.%010x.json", i+1000)] = "[1]"
	}
	delete(files, "stories/b/index.html")
	os.RemoveAll(site)
	writeSite(t, site, files)
	res, err := Run(ctx, Options{Dir: site, Target: tgt, MaxDeletes: 1})
	if err != nil || len(res.Deleted) != 81 {
		t.Errorf("one page and 80 shards: %v, %d deleted", err, len(res.Deleted))
	}
	if got := CappedDeletes(res.Deleted); got != 1 {
		t.Errorf("CappedDeletes = %d, want 1", got)
	}
	// Two pages over a cap of 1 stop it, and the message counts the
	// pages, with the shards beside them.
	for i := 0; i < 80; i++ {
		delete(files, fmt.Sprintf("search/t.%010x.json", i+1000))
		files[fmt.Sprintf("search/t.%010x.json", i+2000)] = "[2]"
	}
	delete(files, "stories/a/index.html")
	delete(files, "index.html")
	files["about/index.html"] = "<p>about"
	os.RemoveAll(site)
	writeSite(t, site, files)
	_, err = Run(ctx, Options{Dir: site, Target: tgt, MaxDeletes: 1})
	var de *Error
	if !errors.As(err, &de) || de.Kind != TooManyDeletes || de.N != 2 || de.Superseded != 80 {
		t.Fatalf("two pages and 80 shards over a cap of 1: %v", err)
	}
	if want := "the deploy would delete 2 files from the bucket, more than the 1 allowed (and 80 older versions of fingerprinted files, which the cap does not count)"; err.Error() != want {
		t.Errorf("message %q\nwant %q", err.Error(), want)
	}
}
