package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestCheckJSON compares check --json on a small site with embargoes, a
// draft, a story that waits for an approval, a held page and two
// newsletter issues, at moments before and after each, with the goldens
// under testdata/schedule/. Run `go test ./cmd/drumbeat -run TestCheckJSON
// -update` after an intended change and review the diff.
func TestCheckJSON(t *testing.T) {
	site := filepath.Join("testdata", "schedule", "site")
	tests := []struct {
		now, golden string
		why         string // next_build.why, "" for none
	}{
		// The December issue (10 December) comes before the embargo lifts.
		{"2026-11-27", "before-newsletter.json", "newsletter"},
		// The embargo of the grant and the launch page lifts next.
		{"2026-12-12", "before-lift.json", "embargo lift"},
		// The same moment, given to the minute in the site's zone.
		{"2026-12-15T08:59", "minute-before-lift.json", "embargo lift"},
		// Nothing left to wait for: the story dated 20 December still
		// needs its partner's approval.
		{"2026-12-21", "nothing-scheduled.json", ""},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCmd("check", "--json", "-s", site, "--now", tc.now, "--cache-dir", t.TempDir())
		if code != exitOK {
			t.Errorf("--now %s: exit %d, stderr %s", tc.now, code, stderr)
		}
		var r checkReport
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("--now %s: not JSON: %v\n%s", tc.now, err, stdout)
		}
		got := ""
		if r.NextBuild != nil {
			got = r.NextBuild.Why
		}
		if got != tc.why {
			t.Errorf("--now %s: next_build.why %q, want %q", tc.now, got, tc.why)
		}
		golden := filepath.Join("testdata", "schedule", tc.golden)
		if *update {
			if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal([]byte(stdout), want) {
			t.Errorf("--now %s: check --json differs from %s; run `go test ./cmd/drumbeat -run TestCheckJSON -update` and review the diff\n%s", tc.now, golden, stdout)
		}
	}
}

// TestCheckJSONErrors checks that a site with errors gives JSON too, with
// ok false and the errors counted and listed, and exit code 1.
func TestCheckJSONErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: Broken\nbase_url: nope\n"), 0o644)
	code, stdout, _ := runCmd("check", "--json", "-s", dir, "--now", "2026-11-27")
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	var r checkReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if r.OK || r.Errors == 0 || len(r.Problems) < r.Errors || r.Problems[0].Severity != "error" && r.Problems[len(r.Problems)-1].Severity != "error" {
		t.Errorf("a broken site: %+v", r)
	}
}

// TestCheckJSONWorkbookCell: a problem in a workbook carries its sheet and
// cell in the JSON report.
func TestCheckJSONWorkbookCell(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Q3")
	f.SetSheetRow("Q3", "A1", &[]any{"period", "cases"})
	f.SetSheetRow("Q3", "A2", &[]any{"2025-Q3", "n/a"})
	os.MkdirAll(filepath.Join(dir, "data", "observations"), 0o755)
	if err := f.SaveAs(filepath.Join(dir, "data", "observations", "doses.xlsx")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: T\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "metrics.csv"), []byte("id,name,perspective,level,unit,direction\ncases,Cases,impact,outcome,cases,down\n"), 0o644)
	code, stdout, _ := runCmd("check", "--json", "-s", dir, "--now", "2026-11-27")
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	var r checkReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	for _, p := range r.Problems {
		if p.File == "data/observations/doses.xlsx" && p.Cell == "Q3!B2" && p.Line == 2 && p.Col == 2 {
			return
		}
	}
	t.Errorf("no problem at data/observations/doses.xlsx Q3!B2 (row 2, column 2): %+v", r.Problems)
}

// TestNewWritesCIRecipes checks that drumbeat new writes the CI recipes,
// and that --no-ci (before or after the folder) leaves them out.
func TestNewWritesCIRecipes(t *testing.T) {
	recipes := []string{".github/workflows/drumbeat.yml", ".gitlab-ci.yml"}
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"new", "DIR"}, true},
		{[]string{"new", "--no-ci", "DIR"}, false},
		{[]string{"new", "DIR", "--no-ci"}, false},
	}
	for _, tc := range tests {
		dir := filepath.Join(t.TempDir(), "site")
		args := append([]string(nil), tc.args...)
		for i, a := range args {
			if a == "DIR" {
				args[i] = dir
			}
		}
		if code, _, stderr := runCmd(args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, r := range recipes {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r)))
			if (err == nil) != tc.want {
				t.Errorf("%v: %s: %v", tc.args, r, err)
			}
			if err == nil && !bytes.Contains(b, []byte("go install github.com/drumbeat/drumbeat/cmd/drumbeat@")) {
				t.Errorf("%s does not install drumbeat", r)
			}
		}
	}
	if code, _, _ := runCmd("new", "a", "b"); code != exitUsage {
		t.Errorf("new with two folders: exit %d", code)
	}
}
