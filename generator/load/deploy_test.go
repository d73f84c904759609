package load

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/drumbeat/drumbeat/generator/diag"
)

// TestDeployConfig: site.yaml's deploy: block is read with its targets, and
// every problem in it (credentials above all) is reported at its line.
func TestDeployConfig(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // "line: text" of each problem, in order; none for valid
	}{
		{"valid s3", "deploy:\n  targets:\n    - name: production\n      url: \"s3://bucket?region=eu-west-1\"\n", nil},
		{"valid s3-compatible", "deploy:\n  targets:\n    - name: staging\n      url: \"s3://site?endpoint=https://s3.example.net&use_path_style=true&region=auto&prefix=www/\"\n      cache_control: {pages: \"public, max-age=60\"}\n", nil},
		{"valid others", "deploy:\n  targets:\n    - {name: gcs, url: \"gs://b\"}\n    - {name: az, url: \"azblob://c\"}\n    - {name: local, url: \"file:///srv/www\"}\n", nil},
		{"secret key in target", "deploy:\n  targets:\n    - name: production\n      url: \"s3://b\"\n      aws_secret_access_key: abc\n",
			[]string{`5: site.yaml must not hold credentials ("aws_secret_access_key")`}},
		{"access key id at top", "title: x\naws_access_key_id: AK\ndeploy: {}\n",
			[]string{`2: site.yaml must not hold credentials ("aws_access_key_id")`}},
		{"password in deploy", "deploy:\n  password: x\n", []string{`2: site.yaml must not hold credentials ("password")`}},
		{"key id in url", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b?region=x&x=AKIAABCDEFGHIJKLMNOP\"\n",
			[]string{`4: site.yaml must not hold credentials (the url holds what looks like a key)`}},
		{"secret param", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b?secret_access_key=x\"\n",
			[]string{`4: site.yaml must not hold credentials (the url's parameter "secret_access_key")`}},
		{"user info", "deploy:\n  targets:\n    - name: p\n      url: \"s3://me:pw@b\"\n",
			[]string{`4: site.yaml must not hold credentials (the url has a user name or password before @)`}},
		{"no name", "deploy:\n  targets:\n    - url: \"s3://b\"\n", []string{`3: deploy target 1 has no name`}},
		{"bad name", "deploy:\n  targets:\n    - name: Production Site\n      url: \"s3://b\"\n", []string{`3: deploy target name "Production Site" may use only`}},
		{"twice", "deploy:\n  targets:\n    - {name: p, url: \"s3://b\"}\n    - {name: p, url: \"s3://c\"}\n", []string{`4: deploy target "p" is named twice`}},
		{"no url", "deploy:\n  targets:\n    - name: p\n", []string{`3: the deploy target has no url`}},
		{"scheme", "deploy:\n  targets:\n    - name: p\n      url: \"https://b.s3.amazonaws.com\"\n", []string{`4: deploy url "https://b.s3.amazonaws.com": drumbeat cannot deploy to https:// addresses`}},
		{"no bucket", "deploy:\n  targets:\n    - name: p\n      url: \"s3://?region=x\"\n", []string{`4: deploy url "s3://?region=x" names no bucket`}},
		{"path", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b/site\"\n", []string{`4: deploy url "s3://b/site" has a path after the bucket`}},
		{"typo param", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b?regoin=x\"\n", []string{`4: deploy url parameter "regoin" is not one an s3:// address takes (did you mean "region"?)`}},
		{"endpoint", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b?endpoint=s3.example.net\"\n", []string{`4: deploy url's endpoint "s3.example.net" is not an http(s) address`}},
		{"single key", "deploy:\n  targets:\n    - name: p\n      url: \"gs://b?key=index.html\"\n", []string{`4: deploy url parameter "key" would write every file onto one object`}},
		{"cache header", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b\"\n      cache_control:\n        other: \"a\\nb\"\n", []string{`6: cache_control.other "a\nb" is not a Cache-Control header value`}},
		{"unknown key", "deploy:\n  targets:\n    - name: p\n      url: \"s3://b\"\n      bucket: b\n", []string{`5: unknown key "bucket" in ` + "`deploy.targets[1]`"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.yaml
			if !strings.Contains(src, "title:") {
				src = "title: x\n" + src
				for i := range tc.want {
					tc.want[i] = bumpLine(tc.want[i])
				}
			}
			c, errs := Config(fstest.MapFS{ConfigFile: {Data: []byte(src)}})
			var got []string
			for _, e := range errs {
				got = append(got, strings.TrimPrefix(e.Error(), ConfigFile+":"))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) && !strings.HasPrefix(stripCol(got[i]), tc.want[i]) {
					t.Errorf("problem %d:\n%s\nwant it to start with\n%s", i, got[i], tc.want[i])
				}
				if strings.Contains(got[i], "credentials") && !strings.Contains(got[i], "AWS_ACCESS_KEY_ID") {
					t.Errorf("no hint where credentials go: %s", got[i])
				}
			}
			if tc.want == nil && len(c.Deploy.Targets) == 0 {
				t.Error("no targets read")
			}
		})
	}
}

func bumpLine(s string) string {
	n, rest, _ := strings.Cut(s, ":")
	i, _ := strconv.Atoi(n)
	return strconv.Itoa(i+1) + ":" + rest
}

// stripCol drops the column of "line:col: msg".
func stripCol(s string) string {
	line, rest, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	if col, msg, ok := strings.Cut(rest, ":"); ok && col != "" && strings.Trim(col, "0123456789") == "" {
		return line + ":" + msg
	}
	return s
}

// FuzzDeployURL: a deploy url is accepted or reported at the position given,
// never with a panic, and a url with credentials in it is never accepted.
func FuzzDeployURL(f *testing.F) {
	for _, s := range []string{"s3://b?region=eu-west-1", "s3://b?endpoint=http://127.0.0.1:1&use_path_style=true", "gs://b", "azblob://c",
		"file:///srv", "s3://u:p@b", "s3://b?secret=x", "s3://%zz", "s3://b?%", "s3:b", "s3://b/x", "://", "s3://b?endpoint=%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var errs diag.List
		pos := diag.Pos{File: ConfigFile, Line: 3}
		ok := CheckDeployURL(pos, raw, &errs)
		if ok != (len(errs) == 0) {
			t.Fatalf("ok %v with %d problems", ok, len(errs))
		}
		for _, e := range errs {
			if e.Pos != pos {
				t.Fatalf("problem at %v, not %v: %v", e.Pos, pos, e)
			}
		}
		if !ok {
			return
		}
		if secretValueRE.MatchString(raw) {
			t.Fatalf("accepted a url with a key in it: %q", raw)
		}
		if u, err := url.Parse(raw); err != nil || u.User != nil {
			t.Fatalf("accepted %q: %v, user %v", raw, err, u.User)
		}
	})
}
