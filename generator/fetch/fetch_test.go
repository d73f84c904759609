package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/drumbeat/drumbeat/generator/model"
	"github.com/xuri/excelize/v2"
)

const (
	prevCSV = "metric,period,value\ndoses_given,2026-Q1,4700\n"
	nextCSV = "metric,period,value\ndoses_given,2026-Q1,4700\ndoses_given,2026-Q2,5200\n"
)

// Workbooks served: the second names other columns.
var prevBook, nextBook = workbook([][]string{{"metric", "period", "value"}, {"doses_given", "2026-Q1", "4700"}}),
	workbook([][]string{{"metric", "period", "doses"}, {"doses_given", "2026-Q1", "4700"}})

// workbook is an .xlsx file of one sheet with rows.
func workbook(rows [][]string) string {
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				panic(err)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		panic(err)
	}
	return b.String()
}

// server answers each path as its handler says.
func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	csv := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	mux.Handle("/same.csv", csv(prevCSV))
	mux.Handle("/next.csv", csv(nextCSV))
	mux.Handle("/semicolons.csv", csv("metric;period;value\ndoses_given;2026-Q1;4.700\n"))
	mux.Handle("/header.csv", csv("metric,period,amount,partner\ndoses_given,2026-Q1,4700,x\n"))
	mux.Handle("/reordered.csv", csv("period,value,metric\n2026-Q1,4700,doses_given\n"))
	mux.HandleFunc("/slow.csv", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow-body.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("metric,period,value\n"))
		w.(http.Flusher).Flush()
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/missing.csv", http.NotFound)
	mux.HandleFunc("/broken.csv", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/private.csv", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "sign in", http.StatusForbidden)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>"))
	})
	mux.HandleFunc("/to-login.csv", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login", http.StatusFound)
	})
	mux.HandleFunc("/html-as-csv.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte("\n  <html><head><title>Sign in</title></head></html>"))
	})
	mux.HandleFunc("/cut.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(nextCSV))
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			buf.Flush()
			conn.Close()
		}
	})
	mux.HandleFunc("/cut-chunked.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte(nextCSV))
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			buf.Flush()
			conn.Close()
		}
	})
	mux.HandleFunc("/loop.csv", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop.csv", http.StatusFound)
	})
	mux.HandleFunc("/to-file.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/big.csv", csv(strings.Repeat("period\n", 100)))
	mux.HandleFunc("/empty.csv", csv(""))
	xlsx := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("/book.xlsx", xlsx(prevBook))
	mux.HandleFunc("/book2.xlsx", xlsx(nextBook))
	mux.HandleFunc("/zip.xlsx", xlsx("PK\x03\x04 a zip archive"))
	mux.HandleFunc("/ua.csv", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "drumbeat-test" {
			http.Error(w, "no user agent", http.StatusBadRequest)
			return
		}
		csv(prevCSV)(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestFetch(t *testing.T) {
	srv := server(t)
	const file = "data/observations/doses.csv"
	tests := []struct {
		name   string
		path   string
		file   string // the source's file; doses.csv when empty
		prev   string // the file before; none when empty
		accept bool   // --accept-header-change
		max    int64
		short  bool // a 300 ms timeout, else 30 s
		state  State
		want   string // the file after, when it changes
		err    string // in the error
		hint   string // in the hint
	}{
		{name: "new file", path: "/same.csv", state: New, want: prevCSV},
		{name: "unchanged", path: "/same.csv", prev: prevCSV, state: Unchanged, want: prevCSV},
		{name: "changed rows, same header", path: "/next.csv", prev: prevCSV, state: Changed, want: nextCSV},
		{name: "columns reordered", path: "/reordered.csv", prev: prevCSV, state: Changed},
		{name: "semicolons, same columns", path: "/semicolons.csv", prev: prevCSV, state: Changed},
		{name: "changed header", path: "/header.csv", prev: prevCSV,
			err: `header row differs from the present data/observations/doses.csv: without the column "value" and with the new columns "amount", "partner"`, hint: "--accept-header-change"},
		{name: "changed header accepted", path: "/header.csv", prev: prevCSV, accept: true, state: Changed},
		{name: "timeout before the answer", path: "/slow.csv", prev: prevCSV, short: true, err: "no answer within 300ms", hint: "--timeout"},
		{name: "timeout during the body", path: "/slow-body.csv", prev: prevCSV, short: true, err: "the download took longer than 300ms"},
		{name: "404", path: "/missing.csv", prev: prevCSV, err: "the server answered 404 Not Found", hint: "unpublished"},
		{name: "500", path: "/broken.csv", prev: prevCSV, err: "the server answered 500 Internal Server Error", hint: "try again later"},
		{name: "403", path: "/private.csv", prev: prevCSV, err: "needs a sign-in", hint: "publish the spreadsheet"},
		{name: "redirect to a sign-in page", path: "/to-login.csv", prev: prevCSV, err: "the server sent a web page (from http://127.0.0.1:", hint: "publish the spreadsheet"},
		{name: "HTML sent as CSV", path: "/html-as-csv.csv", prev: prevCSV, err: "the server sent a web page, not data"},
		{name: "cut before Content-Length", path: "/cut.csv", prev: prevCSV, err: "the connection was cut after 70 of 1000 bytes"},
		{name: "cut chunked", path: "/cut-chunked.csv", prev: prevCSV, err: "the connection was cut"},
		{name: "redirect loop", path: "/loop.csv", prev: prevCSV, err: "redirects more than 5 times"},
		{name: "redirect to file:", path: "/to-file.csv", prev: prevCSV, err: "redirects to a file: address"},
		{name: "too big", path: "/big.csv", max: 100, prev: prevCSV, err: "more than the 0 MiB"},
		{name: "empty", path: "/empty.csv", prev: prevCSV, err: "the download is empty"},
		{name: "workbook", path: "/book.xlsx", file: "data/observations/book.xlsx", state: New},
		{name: "CSV into a workbook", path: "/same.csv", file: "data/observations/book.xlsx", err: "not a workbook"},
		{name: "workbook into a CSV", path: "/book.xlsx", prev: prevCSV, err: "a zip archive"},
		{name: "a zip that is not a workbook", path: "/zip.xlsx", file: "data/observations/book.xlsx", err: "not an .xlsx workbook"},
		{name: "workbook unchanged", path: "/book.xlsx", file: "data/observations/book.xlsx", prev: prevBook, state: Unchanged},
		{name: "workbook header changed", path: "/book2.xlsx", file: "data/observations/book.xlsx", prev: prevBook, err: `without the column "value" and with the new column "doses"`},
		{name: "workbook header changed, accepted", path: "/book2.xlsx", file: "data/observations/book.xlsx", prev: prevBook, accept: true, state: Changed, want: nextBook},
		{name: "user agent", path: "/ua.csv", state: New},
		{name: "a path out of the site", path: "/same.csv", file: "data/../../x.csv", err: "is not a path under data/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := tt.file
			if f == "" {
				f = file
			}
			dst := filepath.Join(dir, filepath.FromSlash(f))
			if tt.prev != "" {
				os.MkdirAll(filepath.Dir(dst), 0o755)
				if err := os.WriteFile(dst, []byte(tt.prev), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			src := model.DataSource{Name: "doses", URL: srv.URL + tt.path, File: f, Age: model.DefaultSourceMaxAge}
			now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
			timeout := 30 * time.Second
			if tt.short {
				timeout = 300 * time.Millisecond
			}
			res, err := Run(context.Background(), Options{
				Dir: dir, Sources: []model.DataSource{src}, Timeout: timeout, MaxBytes: tt.max,
				AcceptHeaderChange: tt.accept, UserAgent: "drumbeat-test", Now: func() time.Time { return now },
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 {
				t.Fatalf("%d results", len(res))
			}
			r := res[0]
			got, _ := os.ReadFile(dst)
			if tt.err != "" {
				if r.State != Failed || r.Err == nil || !strings.Contains(r.Err.Msg, tt.err) || !strings.Contains(r.Err.Hint, tt.hint) {
					t.Fatalf("result %+v %+v, want an error saying %q with a hint saying %q", r, r.Err, tt.err, tt.hint)
				}
				if string(got) != tt.prev {
					t.Errorf("the file was changed to %q; want the previous file %q kept", got, tt.prev)
				}
				if _, err := os.Stat(filepath.Join(dir, "data/sources.json")); err == nil {
					t.Errorf("a failed fetch wrote a record")
				}
			} else {
				if r.State != tt.state || r.Err != nil {
					t.Fatalf("result %+v (%v), want %v", r, r.Err, tt.state)
				}
				if tt.want != "" && string(got) != tt.want {
					t.Errorf("file %q, want %q", got, tt.want)
				}
				rec, err := ReadRecord(os.DirFS(dir))
				if err != nil {
					t.Fatal(err)
				}
				e := rec.Sources["doses"]
				if e.SHA256 != sum(string(got)) || e.Bytes != int64(len(got)) || !e.Fetched.Equal(now) || e.File != f || e.URL != src.URL {
					t.Errorf("record %+v does not match the file (%d bytes)", e, len(got))
				}
			}
			// No temporary file is left behind.
			ents, _ := os.ReadDir(filepath.Dir(dst))
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// TestFetchTwice: a second fetch of the same bytes says unchanged, keeps
// the time it last changed and records the new fetch time; the record's
// bytes depend only on what it records.
func TestFetchTwice(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	src := []model.DataSource{{Name: "doses", URL: srv.URL + "/same.csv", File: "data/observations/doses.csv"}}
	t1 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	t2 := t1.Add(72*time.Hour + 1500*time.Millisecond)
	var lines []string
	opt := Options{Dir: dir, Sources: src, Now: func() time.Time { return t1 }, Progress: func(r Result) {
		lines = append(lines, r.Name+" "+r.State.String())
	}}
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "data/sources.json"))
	opt.Now = func() time.Time { return t2 }
	res, err := Run(context.Background(), opt)
	if err != nil || res[0].State != Unchanged {
		t.Fatalf("second fetch: %+v, %v", res, err)
	}
	if strings.Join(lines, ";") != "doses new;doses unchanged" {
		t.Errorf("progress %q", lines)
	}
	rec, _ := ReadRecord(os.DirFS(dir))
	e := rec.Sources["doses"]
	if !e.Changed.Equal(t1) || !e.Fetched.Equal(t2.Truncate(time.Second)) {
		t.Errorf("record %+v: want changed %v, fetched %v", e, t1, t2)
	}
	want := strings.Replace(string(first), "2026-11-01T08:00:00Z\",\n      \"changed", "2026-11-04T08:00:01Z\",\n      \"changed", 1)
	second, _ := os.ReadFile(filepath.Join(dir, "data/sources.json"))
	if string(second) != want {
		t.Errorf("record after the second fetch:\n%s\nwant:\n%s", second, want)
	}
}

func TestFetchOnly(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	src := []model.DataSource{
		{Name: "a", URL: srv.URL + "/same.csv", File: "data/a.csv"},
		{Name: "b", URL: srv.URL + "/missing.csv", File: "data/b.csv"},
	}
	res, err := Run(context.Background(), Options{Dir: dir, Sources: src, Only: "a"})
	if err != nil || len(res) != 1 || res[0].Name != "a" || res[0].State != New {
		t.Fatalf("--only a: %+v, %v", res, err)
	}
	if _, err := Run(context.Background(), Options{Dir: dir, Sources: src, Only: "c"}); err == nil || !strings.Contains(err.Error(), "its sources are a, b") {
		t.Errorf("--only c: %v", err)
	}
	// One failure does not stop the others.
	res, err = Run(context.Background(), Options{Dir: dir, Sources: src})
	if err != nil || len(res) != 2 || res[0].State != Unchanged || res[1].State != Failed {
		t.Fatalf("both: %+v, %v", res, err)
	}
}

func TestFetchRefusesLinks(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	outside := t.TempDir()
	os.Mkdir(filepath.Join(dir, "data"), 0o755)
	if err := os.Symlink(outside, filepath.Join(dir, "data", "observations")); err != nil {
		t.Skip(err)
	}
	res, _ := Run(context.Background(), Options{Dir: dir, Sources: []model.DataSource{{Name: "a", URL: srv.URL + "/same.csv", File: "data/observations/a.csv"}}})
	if res[0].State != Failed || !strings.Contains(res[0].Err.Msg, "is a link") {
		t.Fatalf("%+v", res[0])
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("wrote through the link: %v", ents)
	}
}

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC)
	rec := `{"note": "", "sources": {
  "fresh": {"url": "https://x.example/a.csv", "file": "data/a.csv", "sha256": "` + sum(prevCSV) + `", "bytes": 46, "fetched": "2026-11-20T08:00:00Z", "changed": "2026-11-20T08:00:00Z"},
  "stale": {"url": "https://x.example/b.csv", "file": "data/b.csv", "sha256": "` + sum(prevCSV) + `", "bytes": 46, "fetched": "2026-11-01T08:00:00Z", "changed": "2026-11-01T08:00:00Z"},
  "edited": {"url": "https://x.example/c.csv", "file": "data/c.csv", "sha256": "` + sum(prevCSV) + `", "bytes": 46, "fetched": "2026-11-20T08:00:00Z", "changed": "2026-11-20T08:00:00Z"},
  "moved": {"url": "https://x.example/old.csv", "file": "data/d.csv", "sha256": "` + sum(prevCSV) + `", "bytes": 46, "fetched": "2026-11-20T08:00:00Z", "changed": "2026-11-20T08:00:00Z"},
  "gone": {"url": "https://x.example/e.csv", "file": "data/e.csv", "sha256": "` + sum(prevCSV) + `", "bytes": 46, "fetched": "2026-11-20T08:00:00Z", "changed": "2026-11-20T08:00:00Z"}
}}`
	fsys := fstest.MapFS{
		"data/sources.json": {Data: []byte(rec)},
		"data/a.csv":        {Data: []byte(prevCSV)},
		"data/b.csv":        {Data: []byte(prevCSV)},
		"data/c.csv":        {Data: []byte(nextCSV)},
		"data/d.csv":        {Data: []byte(prevCSV)},
		"data/hand.csv":     {Data: []byte(prevCSV)},
	}
	src := func(line int, name, url, file string, age time.Duration) model.DataSource {
		s := model.DataSource{Name: name, URL: url, File: file, Age: age}
		s.Pos.File, s.Pos.Line, s.Pos.Col = "site.yaml", line, 5
		return s
	}
	week := 14 * 24 * time.Hour
	sources := []model.DataSource{
		src(3, "fresh", "https://x.example/a.csv", "data/a.csv", week),
		src(6, "stale", "https://x.example/b.csv", "data/b.csv", week),
		src(9, "edited", "https://x.example/c.csv", "data/c.csv", week),
		src(12, "moved", "https://x.example/new.csv", "data/d.csv", week),
		src(15, "gone", "https://x.example/e.csv", "data/e.csv", week),
		src(18, "never", "https://x.example/f.csv", "data/f.csv", week),
		src(21, "hand", "https://x.example/g.csv", "data/hand.csv", week),
	}
	st, l := Check(fsys, sources, now)
	want := []string{
		`site.yaml:6:5: warning: source "stale" was last fetched 26d ago, on 2026-11-01 08:00 UTC; its max_age is 14d (run drumbeat fetch --only stale`,
		`site.yaml:9:5: warning: data/c.csv was changed since drumbeat fetch wrote it on 2026-11-20 08:00 UTC`,
		`site.yaml:12:5: warning: source "moved" has another url than when it was fetched`,
		`site.yaml:15:5: warning: source "gone" was fetched on 2026-11-20 08:00 UTC, but data/e.csv is missing`,
		`site.yaml:18:5: warning: source "never" was never fetched: data/f.csv does not exist (run drumbeat fetch --only never)`,
		`site.yaml:21:5: warning: source "hand" was never fetched: data/hand.csv was not written by drumbeat fetch`,
	}
	if len(l) != len(want) {
		t.Fatalf("warnings:\n%v\nwant %d", l, len(want))
	}
	for i, e := range l {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("warning %d:\n%s\nwant:\n%s", i, e.Error(), want[i])
		}
	}
	if len(st) != 7 || !st[0].Recorded || st[0].Age != now.Sub(time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)) || st[5].Recorded || st[5].Exists {
		t.Errorf("status %+v", st)
	}
	// A record that is not JSON is a warning, not a failure.
	fsys["data/sources.json"] = &fstest.MapFile{Data: []byte("{")}
	_, l = Check(fsys, sources[:1], now)
	if len(l) != 2 || !strings.Contains(l[0].Error(), "data/sources.json:1: warning: cannot read the record") {
		t.Errorf("bad record: %v", l)
	}
}

// TestFetchCancelled: stopping a fetch (Ctrl-C) mid-download keeps the
// file and says so.
func TestFetchCancelled(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	dst := filepath.Join(dir, "data", "a.csv")
	os.MkdirAll(filepath.Dir(dst), 0o755)
	os.WriteFile(dst, []byte(prevCSV), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	res, err := Run(ctx, Options{Dir: dir, Sources: []model.DataSource{{Name: "a", URL: srv.URL + "/slow-body.csv", File: "data/a.csv"}}})
	if err != context.Canceled || len(res) != 1 || res[0].State != Failed || !res[0].HadFile || res[0].Err.Msg != "stopped before the download ended" {
		t.Fatalf("%+v, %v", res, err)
	}
	if got, _ := os.ReadFile(dst); string(got) != prevCSV {
		t.Errorf("the file is now %q", got)
	}
}
