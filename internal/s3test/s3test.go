// Package s3test starts a real S3-compatible server, SeaweedFS's S3
// gateway (the weed binary), on 127.0.0.1 for the deploy tests.
package s3test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// SeaweedVersion is the SeaweedFS the tests are written against; .ci/run
// builds it (see /work/shared/NOTES.md: go install refuses the module).
const SeaweedVersion = "v0.0.0-20261109003541-7506e5f91cd6"

// The identities the server knows.
const (
	AccessKey = "DRUMBEATTESTDEPLOYER"
	SecretKey = "drumbeat-test-secret-key-0123456789abcdef"
	// ReadOnlyKey may list and read but not write.
	ReadOnlyKey    = "DRUMBEATTESTREADONLY"
	ReadOnlySecret = "drumbeat-test-readonly-secret-0123456789"
)

// Server is a running SeaweedFS with its S3 gateway.
type Server struct {
	// Endpoint is the S3 gateway's address, like http://127.0.0.1:41234.
	Endpoint string
	logs     *lockedWriter
}

// Weed returns the path of the weed binary, or skips the test with a
// visible message. With DRUMBEAT_REQUIRE_WEED set, or CI=true, a missing
// binary fails the test instead.
func Weed(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("DRUMBEAT_WEED"); p != "" {
		return p
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(build.Default.GOPATH, "bin")} {
		if dir == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, "weed")); err == nil && !fi.IsDir() {
			return filepath.Join(dir, "weed")
		}
	}
	if os.Getenv("DRUMBEAT_REQUIRE_WEED") != "" || os.Getenv("CI") == "true" {
		t.Fatal("SeaweedFS's weed is required (DRUMBEAT_REQUIRE_WEED or CI=true is set) but not installed; .ci/run builds it")
	}
	t.Skip("SKIPPED: the deploy test needs SeaweedFS's weed binary (an S3 server); build it as .ci/run does (SeaweedFS " + SeaweedVersion + ")")
	return ""
}

var (
	once   sync.Once
	shared *Server
	err    error
)

// Shared returns the server of this test binary, starting it the first
// time; it stops when the binary's TestMain calls Stop, or with the
// process. Tests share it and use buckets of their own.
func Shared(t testing.TB) *Server {
	t.Helper()
	exe := Weed(t)
	once.Do(func() { shared, err = start(exe) })
	if err != nil {
		t.Fatal(err)
	}
	return shared
}

var proc *exec.Cmd
var dataDir string

// Stop stops the shared server, if started, and removes its data.
func Stop() {
	if proc != nil && proc.Process != nil {
		proc.Process.Kill()
		proc.Wait()
	}
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var out []int
	for len(out) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}

func start(exe string) (*Server, error) {
	dir, err := os.MkdirTemp("", "drumbeat-weed-")
	if err != nil {
		return nil, err
	}
	dataDir = dir
	ident := map[string]any{"identities": []map[string]any{
		{"name": "deployer", "credentials": []map[string]string{{"accessKey": AccessKey, "secretKey": SecretKey}},
			"actions": []string{"Admin", "Read", "List", "Tagging", "Write"}},
		{"name": "reader", "credentials": []map[string]string{{"accessKey": ReadOnlyKey, "secretKey": ReadOnlySecret}},
			"actions": []string{"Read", "List"}},
	}}
	b, _ := json.Marshal(ident)
	conf := filepath.Join(dir, "s3.json")
	if err := os.WriteFile(conf, b, 0o600); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	p, err := freePorts(9)
	if err != nil {
		return nil, err
	}
	args := []string{"server", "-dir=" + data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + strconv.Itoa(p[0]), "-master.port.grpc=" + strconv.Itoa(p[1]), "-master.telemetry=false",
		"-volume.port=" + strconv.Itoa(p[2]), "-volume.port.grpc=" + strconv.Itoa(p[3]),
		// Each bucket takes volumes of its own: the default 8 run out
		// after a few buckets (PUT then answers 500). Small volumes keep
		// the data folder small.
		"-volume.max=100", "-master.volumeSizeLimitMB=16",
		"-filer", "-filer.port=" + strconv.Itoa(p[4]), "-filer.port.grpc=" + strconv.Itoa(p[5]),
		"-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3", "-s3.port=" + strconv.Itoa(p[6]), "-s3.port.grpc=" + strconv.Itoa(p[7]),
		"-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.config=" + conf, "-s3.autoCreateBucket=false",
		"-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-debug.port=" + strconv.Itoa(p[8]),
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	logs := &lockedWriter{w: new(bytes.Buffer)}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start weed: %w", err)
	}
	proc = cmd
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", p[6]), logs: logs}
	// It answers S3 about ten seconds after it starts: wait for a
	// bucket to be created.
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, last = s.client().ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if last == nil {
			return s, nil
		}
		time.Sleep(250 * time.Millisecond)
	}
	Stop()
	return nil, fmt.Errorf("weed did not answer S3 within a minute: %v\n%s", last, s.Logs())
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 1<<20 {
		return len(p), nil
	}
	return l.w.Write(p)
}

func (s *Server) client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		HTTPClient:   &http.Client{Timeout: 10 * time.Second},
	})
}

// CreateBucket creates a bucket.
func (s *Server) CreateBucket(t testing.TB, name string) {
	t.Helper()
	_, err := s.client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("create bucket %s: %v\n%s", name, err, s.Logs())
	}
}

// Object is a file in a bucket, with the headers it is served with.
type Object struct {
	Body                      []byte
	ContentType, CacheControl string
}

// Get returns the object at key, with its headers.
func (s *Server) Get(t testing.TB, bucket, key string) Object {
	t.Helper()
	out, err := s.client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(out.Body); err != nil {
		t.Fatal(err)
	}
	return Object{Body: buf.Bytes(), ContentType: aws.ToString(out.ContentType), CacheControl: aws.ToString(out.CacheControl)}
}

// Keys returns the keys in a bucket, with their ETags.
func (s *Server) Keys(t testing.TB, bucket string) map[string]string {
	t.Helper()
	out := map[string]string{}
	p := s3.NewListObjectsV2Paginator(s.client(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list %s: %v", bucket, err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = aws.ToString(o.ETag)
		}
	}
	return out
}

// Logs returns what the server printed (at most a MiB).
func (s *Server) Logs() string {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.w.String()
}
