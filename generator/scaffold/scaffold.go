// Package scaffold writes a small working site for `drumbeat new`.
package scaffold

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed site
var files embed.FS

//go:embed ci
var ci embed.FS

// Options say what Write adds to the starter site.
type Options struct {
	// CI writes the CI recipes that build and publish the site on every
	// push and every hour: .github/workflows/drumbeat.yml (GitHub Pages)
	// and .gitlab-ci.yml (GitLab Pages).
	CI bool
	// Version is the drumbeat version the recipes install, such as
	// "v0.2.0"; "latest" when empty or a development version.
	Version string
}

// Recipes maps the path of each CI recipe in a new site to its file
// under ci/.
var Recipes = map[string]string{
	".github/workflows/drumbeat.yml": "ci/drumbeat.yml",
	".gitlab-ci.yml":                 "ci/gitlab-ci.yml",
}

// gitignore keeps the build's output and the image cache out of git: the
// CI recipes build them.
const gitignore = "/public/\n.drumbeat-cache/\n"

// Write creates the starter site in dir, which must not exist or be
// empty, with the CI recipes.
func Write(dir string) error { return WriteWith(dir, Options{CI: true}) }

// WriteWith creates the starter site in dir, which must not exist or be
// empty.
func WriteWith(dir string, opt Options) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty; choose a new folder", dir)
	}
	err := fs.WalkDir(files, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("site", filepath.FromSlash(p))
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(gitignore), 0o644); err != nil {
		return err
	}
	if !opt.CI {
		return nil
	}
	for dst, src := range Recipes {
		b, err := Recipe(src, opt.Version)
		if err != nil {
			return err
		}
		full := filepath.Join(dir, filepath.FromSlash(dst))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Recipe returns a CI recipe (a file under ci/) installing the given
// drumbeat version.
func Recipe(name, version string) ([]byte, error) {
	b, err := ci.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return []byte(strings.ReplaceAll(string(b), "@VERSION@", moduleVersion(version))), nil
}

// moduleVersion returns what go install takes after @ for a drumbeat
// version: "v0.2.0" for "0.2.0" or "v0.2.0", "latest" for a development
// build or an unknown one.
func moduleVersion(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if !release.MatchString(v) {
		return "latest"
	}
	return "v" + v
}

// release matches a released version: 0.2.0, 1.0.0-rc.1; not 0.1.0-dev.
var release = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-(rc|beta|alpha)[0-9.]*)?$`)
