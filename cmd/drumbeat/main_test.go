package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // substring of stdout+stderr
	}{
		{nil, exitUsage, "Usage:"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"version"}, exitOK, "drumbeat "},
		{[]string{"help"}, exitOK, "drumbeat build"},
		{[]string{"build", "--help"}, exitOK, "-base-url"},
		{[]string{"check", "-h"}, exitOK, "-now"},
		{[]string{"build", "--no-such-flag"}, exitUsage, "flag provided but not defined"},
		{[]string{"build", "--now", "27/11/2026"}, exitUsage, `--now "27/11/2026" is not a date`},
		{[]string{"check", "-s", "../..", "--now", "2026-11-27"}, exitOK, "ok: 0 errors"},
		// Every figure of the example that comes from the data is live.
		{[]string{"check", "-s", "../..", "--now", "2026-11-27", "--strict-figures"}, exitOK, "ok: 0 errors"},
		{[]string{"check", "-s", "/no/such/site"}, exitInput, "does not exist"},
		{[]string{"new"}, exitUsage, "drumbeat new DIR"},
	}
	for _, tc := range tests {
		code, out, errs := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.out) {
			t.Errorf("drumbeat %s: exit %d (want %d), output:\n%s%s\nwant it to contain %q", strings.Join(tc.args, " "), code, tc.code, out, errs, tc.out)
		}
	}
}

func TestBuildPrintsSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runCmd("build", "-s", "../..", "-o", out, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "built ") || !strings.Contains(stdout, "stories") || !strings.Contains(stdout, "partners") || !strings.Contains(stdout, "metrics") {
		t.Errorf("summary line = %q", stdout)
	}
}

func TestNewSiteBuildsAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mysite")
	if code, _, stderr := runCmd("new", dir); code != exitOK {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27")
	if code != exitOK {
		t.Fatalf("building the new site: exit %d:\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"index.html", "stories/first-story/index.html", "scorecard/index.html", "about/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, "public", f)); err != nil {
			t.Errorf("new site lacks %s", f)
		}
	}
	// The new site's scorecard has a metric in each of the four
	// perspectives: no empty row, and check has nothing to say about it.
	sc, _ := os.ReadFile(filepath.Join(dir, "public", "scorecard", "index.html"))
	for _, p := range []string{"impact", "partnership", "finance", "learning"} {
		if !strings.Contains(string(sc), `id="persp-`+p+`"`) {
			t.Errorf("the new site's scorecard has no %s row", p)
		}
	}
	if code, stdout, stderr := runCmd("check", "-s", dir, "--now", "2026-11-27"); code != exitOK || strings.Contains(stdout+stderr, "warning") {
		t.Errorf("check on the new site: exit %d, with warnings:\n%s%s", code, stdout, stderr)
	}
	if code, _, _ := runCmd("new", dir); code != exitInput {
		t.Errorf("new into a non-empty folder: exit %d, want %d", code, exitInput)
	}
}

func TestBadInputExitsOneAndKeepsOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	runCmd("new", dir)
	if code, _, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27"); code != exitOK {
		t.Fatal(stderr)
	}
	index := filepath.Join(dir, "public", "index.html")
	before, _ := os.ReadFile(index)
	os.WriteFile(filepath.Join(dir, "data", "metrics.csv"), []byte("id,name,perspective,level,unit,direction\nx,X,nowhere,output,,up\n"), 0o644)
	code, _, stderr := runCmd("build", "-s", dir, "--now", "2026-11-27")
	if code != exitInput {
		t.Fatalf("exit %d, want %d", code, exitInput)
	}
	if !strings.Contains(stderr, `data/metrics.csv:2:5: metric "x" has perspective "nowhere"`) || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("stderr:\n%s", stderr)
	}
	after, _ := os.ReadFile(index)
	if !bytes.Equal(before, after) {
		t.Error("a failed build changed the previous output")
	}
}

func TestParseNow(t *testing.T) {
	tests := []struct {
		flag, epoch, want string
		err               bool
	}{
		{"2026-03-01", "", "2026-03-01", false},
		{"2026-03-01", "0", "2026-03-01", false}, // the flag wins
		{"", "1767225600", "2026-01-01", false},  // SOURCE_DATE_EPOCH
		{"", "soon", "", true},
		{"tomorrow", "", "", true},
		{"2026-11-28T07:30:00-08:00", "", "2026-11-28", false},
		{"2026-11-28T07:30", "", "2026-11-28", false},
		{"2026-11-28 07:30", "", "2026-11-28", false},
		{"2026-11-28T25:30", "", "", true},
		{"28/11/2026", "", "", true},
	}
	for _, tc := range tests {
		got, err := parseNow(tc.flag, tc.epoch)
		if (err != nil) != tc.err {
			t.Errorf("parseNow(%q, %q) error = %v", tc.flag, tc.epoch, err)
			continue
		}
		if !tc.err && got.Format(time.DateOnly) != tc.want {
			t.Errorf("parseNow(%q, %q) = %s, want %s", tc.flag, tc.epoch, got.Format(time.DateOnly), tc.want)
		}
	}
}

// TestCheckShowsTimes checks the next-lift line and --now with a time: the
// minute and the site's zone, and UTC beside it.
func TestCheckShowsTimes(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"site.yaml":                "title: Times\nbase_url: https://t.example/\ntimezone: America/Los_Angeles\n",
		"data/governance.yaml":     "roles:\n  - {id: member, name: Member}\ncommunication:\n  approval_required: true\n  exempt_kinds: [lesson]\n",
		"content/stories/grant.md": "---\ntitle: The grant\nkind: lesson\ndate: 2026-11-01\nembargo_until: 2026-12-15T07:30:00-08:00\n---\nAwarded.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ now, want, not string }{
		{"2026-11-27", "next embargo lifts on 2026-12-15 07:30 America/Los_Angeles (15:30 UTC): rebuild then", ""},
		{"2026-12-15T07:29", "held back: it is embargoed until 15 December 2026, 07:30 America/Los_Angeles (15:30 UTC)", ""},
		{"2026-12-15T15:29:00Z", "next embargo lifts on 2026-12-15 07:30 America/Los_Angeles", ""},
		{"2026-12-15T07:30", "ok: 0 errors", "next embargo"},
		{"2026-12-15T15:30:00Z", "ok: 0 errors", "held back"},
	}
	for _, tc := range tests {
		code, out, errs := runCmd("check", "-s", dir, "--now", tc.now)
		if code != exitOK || !strings.Contains(out, tc.want) || (tc.not != "" && strings.Contains(out, tc.not)) {
			t.Errorf("check --now %s: exit %d\n%s%s\nwant %q", tc.now, code, out, errs, tc.want)
		}
	}
}

// TestKitsListed checks that check lists each partner's share kit by its
// address (in its text and in --json) and that build counts the kits.
func TestKitsListed(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"site.yaml":            "title: Kits\nbase_url: https://t.example/\nshare:\n  hashtag: KitsTogether\n",
		"data/partners.yaml":   "- {id: acme, name: Acme Water, sector: private, handles: {x: \"@AcmeWater\"}}\n- {id: bolt, name: Bolt Trust, sector: civil}\n",
		"content/stories/a.md": "---\ntitle: Acme's pumps\ndate: 2026-11-01\npartners: [acme]\n---\nPumped.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCmd("check", "-s", dir, "--now", "2026-11-27")
	for _, want := range []string{"partner share kits", "  acme: https://t.example/partners/acme/kit/\n", "  bolt: https://t.example/partners/bolt/kit/\n"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("check: exit %d, want %q in\n%s%s", code, want, out, errs)
		}
	}
	code, out, errs = runCmd("check", "-s", dir, "--now", "2026-11-27", "--json")
	if code != exitOK || !strings.Contains(out, `"kits": [`) || !strings.Contains(out, `"url": "https://t.example/partners/bolt/kit/"`) {
		t.Errorf("check --json: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCmd("build", "-s", dir, "--now", "2026-11-27", "-o", filepath.Join(t.TempDir(), "public"))
	if code != exitOK || !strings.Contains(out, "2 partner share kits)") {
		t.Errorf("build: exit %d\n%s%s", code, out, errs)
	}
}
