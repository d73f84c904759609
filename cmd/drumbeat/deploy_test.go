package main

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drumbeat/drumbeat/internal/heavy"

	"github.com/drumbeat/drumbeat/generator/deploy/headers"
	"github.com/drumbeat/drumbeat/internal/s3test"
)

// flaky is a proxy in front of the S3 server that can slow every request
// down and cut the connection of every PUT after the first few: a network
// that fails half-way through a deploy.
type flaky struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	puts  int
	allow int // PUTs let through before the network fails; -1: all
	delay time.Duration
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	delay := f.delay
	fail := false
	if r.Method == http.MethodPut {
		fail = f.allow >= 0 && f.puts >= f.allow
		if !fail {
			f.puts++
		}
	}
	f.mu.Unlock()
	time.Sleep(delay)
	if fail {
		panic(http.ErrAbortHandler) // the connection drops
	}
	f.proxy.ServeHTTP(w, r)
}

func (f *flaky) set(allow int, delay time.Duration) {
	f.mu.Lock()
	f.allow, f.delay, f.puts = allow, delay, 0
	f.mu.Unlock()
}

// localSums returns the MD5 of every file of a built site, by bucket key,
// leaving out drumbeat's own files as deploy does.
func localSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".drumbeat") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := md5.Sum(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bucketSums returns the MD5 of every file in a bucket, from its ETags.
func bucketSums(t *testing.T, srv *s3test.Server, bucket string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, etag := range srv.Keys(t, bucket) {
		out[k] = strings.Trim(etag, `"`)
	}
	return out
}

func sameSums(a, b map[string]string) string {
	var diff []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			diff = append(diff, "only in the build: "+k)
		} else if w != v {
			diff = append(diff, "differs: "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diff = append(diff, "only in the bucket: "+k)
		}
	}
	sort.Strings(diff)
	return strings.Join(diff, "\n")
}

var (
	uploadedRE = regexp.MustCompile(`(?m)^  uploaded:  (\d+) files?`)
	deletedRE  = regexp.MustCompile(`(?m)^  deleted:   (\d+) files?`)
	fileLineRE = regexp.MustCompile(`(?m)^(upload|delete)\s+(\S+) \(`)
)

func summaryCount(t *testing.T, re *regexp.Regexp, out string) int {
	t.Helper()
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary line %s in:\n%s", re, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func listed(out, op string) []string {
	var keys []string
	for _, m := range fileLineRE.FindAllStringSubmatch(out, -1) {
		if m[1] == op {
			keys = append(keys, m[2])
		}
	}
	sort.Strings(keys)
	return keys
}

// TestDeployToS3 deploys a site to a real S3 server (SeaweedFS) again and
// again: the first deploy uploads everything, the next nothing, an edit
// only what changed; removed files are deleted within the cap; headers are
// right; a dry run changes nothing; a deploy cut off by the network or
// killed is finished by the next; and each kind of failure says what to do.
func TestDeployToS3(t *testing.T) {
	heavy.Test(t)
	start := time.Now()
	srv := s3test.Shared(t)
	t.Logf("weed answered S3 %v after it was started", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	home := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": s3test.AccessKey, "AWS_SECRET_ACCESS_KEY": s3test.SecretKey, "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"),
	} {
		t.Setenv(k, v)
	}
	target, _ := url.Parse(srv.Endpoint)
	f := &flaky{proxy: httputil.NewSingleHostReverseProxy(target), allow: -1}
	f.proxy.ErrorLog = log.New(io.Discard, "", 0) // the cut connections are on purpose
	proxy := httptest.NewServer(f)
	defer proxy.Close()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()

	s3url := func(bucket, endpoint string) string {
		return fmt.Sprintf("s3://%s?endpoint=%s&use_path_style=true&region=us-east-1", bucket, url.QueryEscape(endpoint))
	}
	for _, b := range []string{"site", "flaky", "killed", "readonly"} {
		srv.CreateBucket(t, b)
	}
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	story := filepath.Join(dir, "content/stories/first-story.md")
	second := filepath.Join(dir, "content/stories/second-story.md")
	src, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^title: .*$|(?m)^    fingerprint: .*\n`)
	if err := os.WriteFile(second, []byte(re.ReplaceAllStringFunc(string(src), func(s string) string {
		if strings.HasPrefix(s, "title:") {
			return "title: A second shared result"
		}
		return ""
	})), 0o644); err != nil {
		t.Fatal(err)
	}
	approve := func(path string) {
		t.Helper()
		if code, _, stderr := runCmd("approve", path, "-s", dir, "--partner", "city-health", "--by", "A. Example", "--on", "2026-01-10"); code != exitOK {
			t.Fatalf("approve %s: %s", path, stderr)
		}
	}
	approve(second)
	// A download whose name has a hash, as processed photos and (soon)
	// CSS and JavaScript have: it is cached for a year.
	os.MkdirAll(filepath.Join(dir, "static/downloads"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "static/downloads/brochure-0123456789.pdf"), []byte("%PDF-1.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml, _ := os.ReadFile(filepath.Join(dir, "site.yaml"))
	yaml = append(yaml, fmt.Sprintf(`
deploy:
  targets:
    - name: production
      url: %q
    - name: flaky
      url: %q
    - name: killed
      url: %q
    - name: readonly
      url: %q
    - name: missing
      url: %q
    - name: unreachable
      url: %q
`, s3url("site", srv.Endpoint), s3url("flaky", proxy.URL), s3url("killed", proxy.URL), s3url("readonly", srv.Endpoint),
		s3url("no-such-bucket", srv.Endpoint), s3url("site", "http://"+closedAddr))...)
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(dir, "public")
	build := func() map[string]string {
		t.Helper()
		if code, _, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27"); code != exitOK {
			t.Fatalf("build: %s", stderr)
		}
		return localSums(t, public)
	}
	deployTo := func(args ...string) (int, string, string) {
		return runCmd(append([]string{"deploy", "-s", dir}, args...)...)
	}
	built := build()
	t.Logf("the site has %d files", len(built))

	t.Run("first deploy uploads everything", func(t *testing.T) {
		code, out, stderr := deployTo("--target", "production")
		if code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		if n := summaryCount(t, uploadedRE, out); n != len(built) {
			t.Errorf("uploaded %d files, want all %d\n%s", n, len(built), out)
		}
		if d := sameSums(built, bucketSums(t, srv, "site")); d != "" {
			t.Errorf("the bucket is not the build:\n%s", d)
		}
	})

	t.Run("headers", func(t *testing.T) {
		var media, feed, css string
		for k := range built {
			if strings.HasPrefix(k, "media/") && headers.Fingerprinted(k) && (media == "" || k < media) {
				media = k
			}
			// The theme's stylesheet, named by its content
			// (css/site.<hash>.css): cached for a year.
			if strings.HasPrefix(k, "css/site.") && headers.Fingerprinted(k) {
				css = k
			}
		}
		for _, k := range []string{"feed.xml", "index.xml"} {
			if _, ok := built[k]; ok {
				feed = k
			}
		}
		checks := []struct{ key, ctype, cache string }{
			{"index.html", "text/html; charset=utf-8", headers.CachePages},
			{"stories/first-story/index.html", "text/html; charset=utf-8", headers.CachePages},
			{"sitemap.xml", "application/xml; charset=utf-8", headers.CachePages},
			{"robots.txt", "text/plain; charset=utf-8", headers.CachePages},
			{css, "text/css; charset=utf-8", headers.CacheFingerprinted},
			{"metrics/people_reached/data.csv", "text/csv; charset=utf-8", headers.CacheOther},
			{"downloads/brochure-0123456789.pdf", "application/pdf", headers.CacheFingerprinted},
		}
		if feed != "" {
			checks = append(checks, struct{ key, ctype, cache string }{feed, "", headers.CachePages})
		}
		if media != "" {
			checks = append(checks, struct{ key, ctype, cache string }{media, "", headers.CacheFingerprinted})
		}
		for _, c := range checks {
			if _, ok := built[c.key]; !ok {
				t.Errorf("the build has no %s", c.key)
				continue
			}
			o := srv.Get(t, "site", c.key)
			want := c.ctype
			if want == "" {
				want = headers.ContentType(c.key, o.Body[:min(512, len(o.Body))])
			}
			if o.ContentType != want || o.CacheControl != c.cache {
				t.Errorf("%s: Content-Type %q, Cache-Control %q; want %q, %q", c.key, o.ContentType, o.CacheControl, want, c.cache)
			}
			if sum := md5.Sum(o.Body); hex.EncodeToString(sum[:]) != built[c.key] {
				t.Errorf("%s: the bucket's bytes are not the build's", c.key)
			}
		}
	})

	t.Run("second deploy uploads nothing", func(t *testing.T) {
		code, out, stderr := deployTo("--target", "production")
		if code != exitOK || summaryCount(t, uploadedRE, out) != 0 || summaryCount(t, deletedRE, out) != 0 {
			t.Errorf("exit %d\n%s%s", code, out, stderr)
		}
		if !strings.Contains(out, fmt.Sprintf("unchanged: %d files", len(built))) {
			t.Errorf("not every file unchanged:\n%s", out)
		}
	})

	// Edit one story (and record its approval again).
	b, _ := os.ReadFile(story)
	os.WriteFile(story, append(b, []byte("\nA sentence added after the first deploy.\n")...), 0o644)
	approve(story)
	before := built
	built = build()
	var changed []string
	for k, v := range built {
		if before[k] != v {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	if len(changed) == 0 || len(changed) >= len(built)/2 {
		t.Fatalf("the edit changed %d of %d files: %v", len(changed), len(built), changed)
	}

	t.Run("dry run changes nothing", func(t *testing.T) {
		inBucket := bucketSums(t, srv, "site")
		code, out, stderr := deployTo("--target", "production", "--dry-run")
		if code != exitOK || !strings.Contains(out, "would upload") || !strings.Contains(out, "dry run") {
			t.Errorf("exit %d\n%s%s", code, out, stderr)
		}
		if d := sameSums(inBucket, bucketSums(t, srv, "site")); d != "" {
			t.Errorf("the dry run changed the bucket:\n%s", d)
		}
	})

	t.Run("one-story edit uploads only what changed", func(t *testing.T) {
		code, out, stderr := deployTo("--target", "production")
		if code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		if got := listed(out, "upload"); strings.Join(got, " ") != strings.Join(changed, " ") {
			t.Errorf("uploaded %v\nwant the files that changed: %v", got, changed)
		}
		if d := sameSums(built, bucketSums(t, srv, "site")); d != "" {
			t.Errorf("the bucket is not the build:\n%s", d)
		}
	})

	// Take the second story down.
	os.Remove(second)
	before = built
	built = build()
	var gone []string
	for k := range before {
		if _, ok := built[k]; !ok {
			gone = append(gone, k)
		}
	}
	sort.Strings(gone)
	if len(gone) < 2 {
		t.Fatalf("removing a story removed %v", gone)
	}

	// The older versions of fingerprinted files (the search index's) do
	// not count against the cap; the pages, cards and kit cards do.
	capped := 0
	for _, k := range gone {
		if !headers.Fingerprinted(k) {
			capped++
		}
	}
	if capped < 2 || capped == len(gone) {
		t.Fatalf("removing a story removed %d files, %d of them counted by the cap: the test proves little", len(gone), capped)
	}
	deletedLine := func(out, verb string) bool {
		return strings.Contains(out, fmt.Sprintf("  %sdeleted:   %d files,", verb, len(gone)))
	}

	t.Run("delete cap holds", func(t *testing.T) {
		inBucket := bucketSums(t, srv, "site")
		code, out, stderr := deployTo("--target", "production", "--max-deletes", "1")
		want := fmt.Sprintf("the deploy would delete %d files from the bucket, more than the 1 allowed (and %d older versions of fingerprinted files, which the cap does not count)", capped, len(gone)-capped)
		if code != exitInput || !strings.Contains(stderr, want) || !strings.Contains(stderr, "nothing was changed") || !strings.Contains(stderr, "--force") {
			t.Errorf("exit %d\n%s%s\nwant %q", code, out, stderr, want)
		}
		code, out, stderr = deployTo("--target", "production", "--max-deletes", "1", "--dry-run")
		stop := fmt.Sprintf("a deploy would stop here: %d files to delete is more than the 1 allowed", capped)
		if code != exitOK || !strings.Contains(out, stop) || !deletedLine(out, "would be ") {
			t.Errorf("dry run over the cap: exit %d\n%s%s\nwant %q and %d files deleted", code, out, stderr, stop, len(gone))
		}
		code, out, stderr = deployTo("--target", "production", "--max-deletes", strconv.Itoa(capped), "--dry-run")
		if code != exitOK || strings.Contains(out, "a deploy would stop here") {
			t.Errorf("dry run within the cap of %d: exit %d\n%s%s", capped, code, out, stderr)
		}
		if d := sameSums(inBucket, bucketSums(t, srv, "site")); d != "" {
			t.Errorf("the refused deploy changed the bucket:\n%s", d)
		}
	})

	t.Run("removed story is deleted with --force", func(t *testing.T) {
		code, out, stderr := deployTo("--target", "production", "--max-deletes", "1", "--force")
		if code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		// The output names the first files and sums up the rest.
		for _, k := range listed(out, "delete") {
			if !slices.Contains(gone, k) {
				t.Errorf("deleted %s, which the build still has", k)
			}
		}
		if !deletedLine(out, "") {
			t.Errorf("the summary does not say %d files were deleted:\n%s", len(gone), out)
		}
		if d := sameSums(built, bucketSums(t, srv, "site")); d != "" {
			t.Errorf("the bucket is not the build:\n%s", d)
		}
	})

	t.Run("network failure half-way, then again", func(t *testing.T) {
		f.set(3, 0)
		code, out, stderr := deployTo("--target", "flaky")
		if code != exitInput || !strings.Contains(stderr, "the connection to the bucket failed") ||
			!strings.Contains(stderr, "uploaded 3 of "+strconv.Itoa(len(built))+" files") ||
			!strings.Contains(stderr, "run drumbeat deploy again") {
			t.Errorf("exit %d\n%s%s", code, out, stderr)
		}
		inBucket := bucketSums(t, srv, "flaky")
		if len(inBucket) != 3 {
			t.Errorf("the bucket holds %d files after 3 uploads", len(inBucket))
		}
		for k := range inBucket {
			if headers.IsPage(k) {
				t.Errorf("page %s was uploaded before the files pages refer to", k)
			}
		}
		f.set(-1, 0)
		code, out, stderr = deployTo("--target", "flaky")
		if code != exitOK || summaryCount(t, uploadedRE, out) != len(built)-3 {
			t.Errorf("exit %d\n%s%s", code, out, stderr)
		}
		if d := sameSums(built, bucketSums(t, srv, "flaky")); d != "" {
			t.Errorf("the bucket is not the build:\n%s", d)
		}
	})

	t.Run("killed half-way, then again", func(t *testing.T) {
		f.set(-1, 150*time.Millisecond)
		cmd := exec.Command(os.Args[0], "deploy", "-s", dir, "--target", "killed")
		cmd.Env = append(os.Environ(), "DRUMBEAT_TEST_AS_MAIN=1")
		stdout, _ := cmd.StdoutPipe()
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var seen []string
		for sc.Scan() {
			seen = append(seen, sc.Text())
			if strings.HasPrefix(sc.Text(), "upload ") {
				break
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("the deploy was killed after printing:\n%s\n%s", strings.Join(seen, "\n"), errb.String())
		partial := bucketSums(t, srv, "killed")
		if len(partial) == 0 || len(partial) >= len(built) {
			t.Errorf("the killed deploy left %d of %d files", len(partial), len(built))
		}
		f.set(-1, 0)
		code, out, stderr := deployTo("--target", "killed")
		if code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		if d := sameSums(built, bucketSums(t, srv, "killed")); d != "" {
			t.Errorf("the bucket is not the build:\n%s", d)
		}
	})

	failures := []struct {
		name, target string
		env          map[string]string
		want         []string
	}{
		{"wrong credentials", "production", map[string]string{"AWS_SECRET_ACCESS_KEY": "not-the-secret"},
			[]string{"the bucket refused the credentials", "AWS_ACCESS_KEY_ID", "nothing was changed"}},
		{"no credentials", "production", map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
			[]string{"the bucket refused the credentials", "AWS_ACCESS_KEY_ID"}},
		{"no permission", "readonly", map[string]string{"AWS_ACCESS_KEY_ID": s3test.ReadOnlyKey, "AWS_SECRET_ACCESS_KEY": s3test.ReadOnlySecret},
			[]string{"the credentials are not allowed to upload", "s3:PutObject", "uploaded 0 of"}},
		{"missing bucket", "missing", nil,
			[]string{"the bucket does not exist", "check the bucket's name"}},
		{"unreachable", "unreachable", nil,
			[]string{"could not reach the bucket", "check the network connection"}},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			begin := time.Now()
			code, out, stderr := deployTo("--target", tc.target)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("no %q in:\n%s%s", w, out, stderr)
				}
			}
			if d := time.Since(begin); d > 20*time.Second {
				t.Errorf("took %v to fail", d)
			}
		})
	}
	t.Logf("all deploys took %v", time.Since(start).Round(time.Millisecond))
}

// TestDeployUsage: what deploy says before it reaches any bucket, with no
// server needed: no target, several without --target, an unknown one, a
// credential in site.yaml (which check reports too), no build.
func TestDeployUsage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	conf := filepath.Join(dir, "site.yaml")
	base, _ := os.ReadFile(conf)
	lines := strings.Count(string(base), "\n")
	for _, tc := range []struct {
		name, yaml string
		args       []string
		code       int
		want       string
	}{
		{"no target", "", nil, exitUsage, "site.yaml names no deploy target; add one"},
		{"several", "deploy:\n  targets:\n    - {name: production, url: \"s3://a\"}\n    - {name: staging, url: \"s3://b\"}\n", nil, exitUsage,
			"site.yaml names 2 deploy targets (production, staging): choose one with --target NAME"},
		{"unknown", "deploy:\n  targets:\n    - {name: production, url: \"s3://a\"}\n", []string{"--target", "prod"}, exitUsage,
			`site.yaml names no deploy target "prod"; it names production`},
		{"secret", "deploy:\n  targets:\n    - name: production\n      url: \"s3://a\"\n      secret_access_key: x\n", nil, exitInput,
			fmt.Sprintf("site.yaml:%d:7: site.yaml must not hold credentials (\"secret_access_key\") (drumbeat deploy reads credentials only from the environment", lines+5)},
		{"no build", "deploy:\n  targets:\n    - {name: production, url: \"file:///nonexistent-drumbeat-bucket\"}\n", nil, exitInput,
			"there is no built site at " + filepath.Join(dir, "public")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(conf, append(append([]byte{}, base...), tc.yaml...), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := runCmd(append([]string{"deploy", "-s", dir}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d\n%s%s\nwant %q", code, tc.code, out, stderr, tc.want)
			}
			if tc.name == "secret" {
				code, out, _ := runCmd("check", "-s", dir, "--now", "2026-11-27")
				if code != exitInput || !strings.Contains(out, tc.want) {
					t.Errorf("check: exit %d\n%s", code, out)
				}
			}
		})
	}
	// A --drafts preview shows held stories: it is never deployed.
	os.WriteFile(filepath.Join(dir, "content/stories/draft.md"), []byte("---\ntitle: Not yet\ndate: 2026-01-15\ndraft: true\n---\nHeld back.\n"), 0o644)
	preview := filepath.Join(t.TempDir(), "preview")
	if code, _, stderr := runCmd("build", "-s", dir, "--drafts", "-o", preview, "--now", "2026-11-27"); code != exitOK {
		t.Fatal(stderr)
	}
	code, out, stderr := runCmd("deploy", "-s", dir, "-o", preview)
	if code != exitInput || !strings.Contains(stderr, "is a preview built with --drafts") || !strings.Contains(stderr, "without --drafts") {
		t.Errorf("deploy of a preview: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, stderr := runCmd("deploy", "--help"); code != exitOK || !strings.Contains(stderr, "Uploads the built site") || !strings.Contains(stderr, "-max-deletes") {
		t.Errorf("deploy --help: exit %d\n%s", code, stderr)
	}
}
