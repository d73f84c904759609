package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// europeanCSV is the new site's progress.csv as Excel writes it where a
// comma writes decimals: semicolons between fields, points for thousands.
const europeanCSV = "period;people_reached;partners_active;contributions;actions_on_time\r\n" +
	"2025-Q3;800;3;12.000;55\r\n2025-Q4;1.900;4;17.500;61\r\n2026-Q1;2.600;4;21.000;68\r\n2026-Q2;3.150;5;24.500;70,5\r\n"

// TestFetchCommand runs drumbeat fetch on a new site against a local
// server, then check: the download, a second fetch that changes nothing,
// the number style it needs, a failure that keeps the file, and check's
// warning when the download grows old.
func TestFetchCommand(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "drumbeat/") {
			t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
		}
		if s := int(status.Load()); s != http.StatusOK {
			http.Error(w, "gone", s)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte(europeanCSV))
	}))
	defer srv.Close()

	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runCmd("new", dir, "--no-ci"); code != exitOK {
		t.Fatalf("new: %s", stderr)
	}
	if code, _, stderr := runCmd("fetch", "-s", dir); code != exitUsage || !strings.Contains(stderr, "declares no sources") {
		t.Errorf("fetch without sources: exit %d, %s", code, stderr)
	}
	cfg := filepath.Join(dir, "site.yaml")
	yaml, _ := os.ReadFile(cfg)
	sources := "sources:\n  - name: progress\n    url: " + srv.URL + "/progress.csv\n    file: data/observations/progress.csv\n    max_age: 7d\n"
	if err := os.WriteFile(cfg, append(yaml, sources...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("check", "-s", dir, "--now", "2026-11-27")
	if code != exitOK || !strings.Contains(stdout, `site.yaml:13:5: warning: source "progress" was never fetched: data/observations/progress.csv was not written by drumbeat fetch`) {
		t.Errorf("check before fetching: exit %d\n%s%s", code, stdout, stderr)
	}

	code, stdout, stderr = runCmd("fetch", "-s", dir)
	if code != exitOK || !strings.Contains(stdout, "fetched progress: data/observations/progress.csv, 177 B, changed (was 139 B)") {
		t.Fatalf("fetch: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd("fetch", "-s", dir, "--only", "progress", "--timeout", "20s")
	if code != exitOK || !strings.Contains(stdout, "fetched progress: data/observations/progress.csv, 177 B, unchanged") {
		t.Fatalf("second fetch: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCmd("fetch", "-s", dir, "--only", "doses"); code != exitUsage || !strings.Contains(stderr, `no source "doses"; its sources are progress`) {
		t.Errorf("--only doses: exit %d, %s", code, stderr)
	}

	// The download writes 2.600 for 2600 people: ambiguous until site.yaml
	// says how the file writes numbers.
	code, stdout, _ = runCmd("check", "-s", dir, "--now", "2026-11-27")
	if code != exitInput || !strings.Contains(stdout, `data/observations/progress.csv:3:9: people_reached: "1.900" is ambiguous: 1900 where a point separates thousands (1.234,5), or 1.9`) {
		t.Errorf("check of the European file without a declaration: exit %d\n%s", code, stdout)
	}
	yaml, _ = os.ReadFile(cfg)
	if err := os.WriteFile(cfg, append(yaml, "data:\n  files:\n    data/observations/progress.csv: {decimal: \",\"}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd("check", "-s", dir, "--now", "2026-11-27")
	if code != exitOK || strings.Contains(stdout, "warning") || !strings.Contains(stdout, "source progress: data/observations/progress.csv fetched ") {
		t.Errorf("check after fetching: exit %d\n%s%s", code, stdout, stderr)
	}

	// A failure keeps the file.
	before, _ := os.ReadFile(filepath.Join(dir, "data/observations/progress.csv"))
	status.Store(http.StatusNotFound)
	code, stdout, stderr = runCmd("fetch", "-s", dir)
	if code != exitInput || !strings.Contains(stderr, "the server answered 404 Not Found; data/observations/progress.csv is as it was") || !strings.Contains(stderr, "what to do: check the url") {
		t.Errorf("fetch of a 404: exit %d\n%s%s", code, stdout, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "data/observations/progress.csv"))
	if string(after) != string(before) {
		t.Error("a failed fetch changed the file")
	}

	// Check warns when the download is older than its max_age.
	code, stdout, _ = runCmd("check", "-s", dir, "--now", "2099-01-01")
	if code != exitOK || !strings.Contains(stdout, `warning: source "progress" was last fetched`) || !strings.Contains(stdout, "its max_age is 7d") {
		t.Errorf("check long after: exit %d\n%s", code, stdout)
	}
}
