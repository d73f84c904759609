package scaffold

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// cron is a five-field schedule of minutes and hours, such as "5 * * * *".
var cron = regexp.MustCompile(`^([0-9]{1,2}|\*)( ([0-9,*/-]+)){4}$`)

func parse(t *testing.T, name string, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s is not valid YAML: %v", name, err)
	}
	return doc
}

// get walks a parsed YAML document by keys and list indexes.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %q in %v", k, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("no item %d in %v", k, v)
			}
			v = l[k]
		}
	}
	return v
}

// runs returns the shell commands of a list of GitHub steps or GitLab
// script lines, in order.
func runs(list any) []string {
	var out []string
	items, _ := list.([]any)
	for _, it := range items {
		switch it := it.(type) {
		case string:
			out = append(out, it)
		case map[string]any:
			if r, ok := it["run"].(string); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// order checks that each of want begins one of cmds, in this order.
func order(t *testing.T, name string, cmds []string, want ...string) {
	t.Helper()
	i := 0
	for _, c := range cmds {
		if i < len(want) && strings.HasPrefix(c, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("%s: the commands %q do not run %q in this order", name, cmds, want)
	}
}

// uncomment removes "# " from the commented lines from the one holding
// start to the next line that is not commented at the same indentation.
func uncomment(b []byte, start string) []byte {
	lines := strings.Split(string(b), "\n")
	on := false
	indent := ""
	for i, l := range lines {
		if !on && strings.Contains(l, start) {
			on = true
			indent = l[:strings.Index(l, "#")]
		}
		if on {
			if !strings.HasPrefix(l, indent+"#") {
				break
			}
			lines[i] = indent + strings.TrimPrefix(strings.TrimPrefix(l, indent+"#"), " ")
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func TestGitHubRecipe(t *testing.T) {
	b, err := Recipe("ci/drumbeat.yml", "0.3.0")
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, "drumbeat.yml", b)
	on := get(t, doc, "on")
	if br := get(t, on, "push", "branches", 0); br != "main" {
		t.Errorf("push branches: %v", br)
	}
	if c, _ := get(t, on, "schedule", 0, "cron").(string); c != "5 * * * *" || !cron.MatchString(c) {
		t.Errorf("schedule cron %q, want every hour, \"5 * * * *\"", c)
	}
	if _, ok := on.(map[string]any)["workflow_dispatch"]; !ok {
		t.Error("the workflow cannot be run by hand")
	}
	if p := get(t, doc, "permissions"); get(t, p, "pages") != "write" || get(t, p, "id-token") != "write" {
		t.Errorf("permissions %v: deploy-pages needs pages: write and id-token: write", p)
	}
	steps := get(t, doc, "jobs", "build", "steps")
	order(t, "build", runs(steps),
		"go install github.com/drumbeat/drumbeat/cmd/drumbeat@v0.3.0",
		"drumbeat check",
		"drumbeat build")
	var upload map[string]any
	for _, s := range steps.([]any) {
		if m := s.(map[string]any); strings.HasPrefix(fmt.Sprint(m["uses"]), "actions/upload-pages-artifact@") {
			upload = m
		}
	}
	if upload == nil || get(t, upload, "with", "path") != "public/" {
		t.Errorf("no upload-pages-artifact step with path public/: %v", upload)
	}
	deploy := get(t, doc, "jobs", "deploy")
	if get(t, deploy, "needs") != "build" || !strings.HasPrefix(get(t, deploy, "steps", 0, "uses").(string), "actions/deploy-pages@") {
		t.Errorf("the deploy job: %v", deploy)
	}
	if get(t, deploy, "environment", "name") != "github-pages" {
		t.Errorf("the deploy job's environment: %v", get(t, deploy, "environment"))
	}
	// The S3 step, once uncommented, is a step of the build job.
	s3 := parse(t, "drumbeat.yml with S3", uncomment(b, "# - name: Deploy to S3"))
	steps = get(t, s3, "jobs", "build", "steps")
	last := get(t, steps, len(steps.([]any))-1)
	if get(t, last, "run") != "drumbeat deploy --target production" || get(t, last, "env", "AWS_ACCESS_KEY_ID") != "${{ secrets.AWS_ACCESS_KEY_ID }}" {
		t.Errorf("the S3 step uncommented: %v", last)
	}
	if len(runs(steps)) != len(runs(get(t, doc, "jobs", "build", "steps")))+1 {
		t.Error("uncommenting the S3 step did not add exactly one step")
	}
}

func TestGitLabRecipe(t *testing.T) {
	b, err := Recipe("ci/gitlab-ci.yml", "")
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, ".gitlab-ci.yml", b)
	pages := get(t, doc, "pages")
	if get(t, pages, "artifacts", "paths", 0) != "public/" {
		t.Errorf("the pages job's artifact: %v", get(t, pages, "artifacts"))
	}
	order(t, "pages", runs(get(t, pages, "script")),
		"go install github.com/drumbeat/drumbeat/cmd/drumbeat@latest",
		"drumbeat check",
		`drumbeat build --base-url "$CI_PAGES_URL"`)
	if r := get(t, pages, "rules", 0, "if"); r != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" {
		t.Errorf("the pages job runs on %v", r)
	}
	if img, _ := get(t, doc, "image").(string); !strings.HasPrefix(img, "golang:") {
		t.Errorf("image %q", img)
	}
	// GitLab keeps schedules out of the file: the comment gives the cron.
	if !strings.Contains(string(b), `interval pattern
# "5 * * * *"`) {
		t.Error("the recipe does not say which schedule to add")
	}
	s3 := parse(t, ".gitlab-ci.yml with S3", uncomment(b, "# deploy-s3:"))
	order(t, "deploy-s3", runs(get(t, s3, "deploy-s3", "script")), "go install", "drumbeat check", "drumbeat build", "drumbeat deploy --target production")
}

func TestModuleVersion(t *testing.T) {
	for in, want := range map[string]string{
		"": "latest", "0.1.0-dev": "latest", "0.2.0": "v0.2.0", "v1.4.2": "v1.4.2", "1.0.0-rc.1": "v1.0.0-rc.1", "1.0; rm -rf /": "latest",
	} {
		if got := moduleVersion(in); got != want {
			t.Errorf("moduleVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteRecipes(t *testing.T) {
	for _, withCI := range []bool{true, false} {
		dir := filepath.Join(t.TempDir(), "site")
		if err := WriteWith(dir, Options{CI: withCI, Version: "0.2.0"}); err != nil {
			t.Fatal(err)
		}
		for dst := range Recipes {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(dst)))
			if withCI != (err == nil) {
				t.Errorf("CI %v: %s: %v", withCI, dst, err)
			}
			if withCI && !strings.Contains(string(b), "drumbeat@v0.2.0") {
				t.Errorf("%s does not install the version asked for", dst)
			}
		}
		if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.Contains(string(b), "/public/") {
			t.Errorf(".gitignore: %q", b)
		}
	}
}
