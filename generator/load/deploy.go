package load

import (
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// Config reads site.yaml alone, for the commands that need the settings
// but not the content (drumbeat deploy).
func Config(fsys fs.FS) (model.Config, diag.List) {
	var l diag.List
	c := readConfig(fsys, &l)
	l.Sort()
	return c, l
}

// DeploySchemes are the kinds of bucket drumbeat deploy writes to, by the
// scheme of a target's url.
var DeploySchemes = []string{"s3", "gs", "azblob", "file"}

// secretKeyRE matches the names of keys and URL parameters that hold
// credentials.
var secretKeyRE = regexp.MustCompile(`(?i)(secret|passw|token|credential|access_?key|key_?id|private_?key|account_?key|api_?key|^sas|sas_|signature)`)

// secretValueRE matches values that are credentials whatever their key:
// AWS access key ids, Google service account keys.
var secretValueRE = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|"private_key"`)

const secretHint = "drumbeat deploy reads credentials only from the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; GOOGLE_APPLICATION_CREDENTIALS; AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY) or the provider's own files (~/.aws/credentials); remove it from site.yaml, and replace the key at the provider if this file was ever shared or committed"

// s3Params are the query parameters of an s3:// URL gocloud.dev v0.49
// understands (gocloud.dev/aws and gocloud.dev/blob/s3blob), and prefix,
// which keeps the site under a folder of the bucket.
var s3Params = []string{
	"accelerate", "anonymous", "awssdk", "disable_https", "dualstack", "endpoint", "fips",
	"hostname_immutable", "kmskeyid", "prefix", "profile", "rate_limiter_capacity", "region",
	"request_checksum_calculation", "response_checksum_validation", "role", "role_duration",
	"role_external_id", "role_session_name", "s3ForcePathStyle", "ssetype", "use_path_style",
	"web_identity_token_file",
}

// dropSecretKeys reports every key in site.yaml's deploy: block (and at the
// top level, among keys site.yaml does not know) whose name says it holds
// a credential, and removes it so that it is not also reported as an
// unknown key. root is the document's top mapping.
func dropSecretKeys(file string, root *yaml.Node, known map[string]bool, errs *diag.List) {
	if root == nil || root.Kind != yaml.MappingNode {
		return
	}
	report := func(k *yaml.Node) {
		errs.Errorf(nodePos(file, k, 0), "site.yaml must not hold credentials (%q)", truncate(k.Value, 40)).
			WithHint(secretHint)
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > 20 {
			return
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case yaml.MappingNode:
			kept := n.Content[:0:0]
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Kind == yaml.ScalarNode && secretKeyRE.MatchString(k.Value) {
					report(k)
					continue
				}
				walk(v, depth+1)
				kept = append(kept, k, v)
			}
			n.Content = kept
		}
	}
	kept := root.Content[:0:0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind == yaml.ScalarNode && !known[k.Value] && secretKeyRE.MatchString(k.Value) {
			report(k)
			continue
		}
		if k.Value == "deploy" {
			walk(v, 0)
		}
		kept = append(kept, k, v)
	}
	root.Content = kept
}

// checkDeploy checks site.yaml's deploy: block (its unknown keys are
// reported by the decoder, its credentials by dropSecretKeys).
func checkDeploy(dc model.DeployConf, at diag.Pos, errs *diag.List) {
	seen := map[string]bool{}
	for i, t := range dc.Targets {
		tpos := linePos(dc.Lines, "targets."+strconv.Itoa(i), at)
		if t.Pos.File != "" {
			tpos = t.Pos
		}
		switch {
		case t.Name == "":
			errs.Errorf(tpos, "deploy target %d has no name", i+1).
				WithHint("add `name: production` (drumbeat deploy --target production picks it)")
		case !idRE.MatchString(t.Name):
			errs.Errorf(linePos(t.Lines, "name", tpos), "deploy target name %q may use only lower-case letters, digits, - and _", truncate(t.Name, 40)).
				WithHint("%s", idHint(t.Name))
		case seen[t.Name]:
			errs.Errorf(linePos(t.Lines, "name", tpos), "deploy target %q is named twice", t.Name).
				WithHint("give each target its own name")
		}
		seen[t.Name] = true
		CheckDeployURL(linePos(t.Lines, "url", tpos), t.URL, errs)
		cc := t.CacheControl
		for _, f := range []struct{ key, v string }{{"fingerprinted", cc.Fingerprinted}, {"pages", cc.Pages}, {"other", cc.Other}} {
			if f.v == "" {
				continue
			}
			if len(f.v) > 200 || strings.ContainsFunc(f.v, func(r rune) bool { return r > unicode.MaxASCII || unicode.IsControl(r) }) {
				errs.Errorf(linePos(cc.Lines, f.key, linePos(t.Lines, "cache_control", tpos)), "cache_control.%s %q is not a Cache-Control header value", f.key, truncate(f.v, 40)).
					WithHint("write it like `public, max-age=3600` (plain ASCII on one line)")
			}
		}
	}
}

// CheckDeployURL checks a deploy target's url, reporting problems at pos.
func CheckDeployURL(pos diag.Pos, raw string, errs *diag.List) bool {
	n := len(*errs)
	if strings.TrimSpace(raw) == "" {
		errs.Errorf(pos, "the deploy target has no url").
			WithHint("add the bucket's address, such as `url: \"s3://my-bucket?region=eu-west-1\"`")
		return false
	}
	if secretValueRE.MatchString(raw) {
		errs.Errorf(pos, "site.yaml must not hold credentials (the url holds what looks like a key)").WithHint(secretHint)
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		errs.Errorf(pos, "deploy url %q is not a bucket address", truncate(raw, 80)).
			WithHint("write it like s3://my-bucket?region=eu-west-1, gs://my-bucket or azblob://my-container")
		return false
	}
	if !contains(DeploySchemes, u.Scheme) {
		errs.Errorf(pos, "deploy url %q: drumbeat cannot deploy to %s:// addresses", truncate(raw, 80), truncate(u.Scheme, 20)).
			WithHint("use s3:// (Amazon S3 and S3-compatible storage), gs:// (Google Cloud Storage), azblob:// (Azure) or file:// (a folder)")
		return false
	}
	if u.User != nil {
		errs.Errorf(pos, "site.yaml must not hold credentials (the url has a user name or password before @)").WithHint(secretHint)
	}
	if u.Scheme == "file" {
		if u.Path == "" {
			errs.Errorf(pos, "deploy url %q names no folder", truncate(raw, 80)).WithHint("write it like file:///srv/www/site")
		}
	} else if u.Host == "" {
		errs.Errorf(pos, "deploy url %q names no bucket", truncate(raw, 80)).
			WithHint("the bucket's name comes right after %s://, as in %s://my-bucket", u.Scheme, u.Scheme)
	} else if u.Path != "" && u.Path != "/" {
		errs.Errorf(pos, "deploy url %q has a path after the bucket", truncate(raw, 80)).
			WithHint("to keep the site under a folder of the bucket, add ?prefix=%s/ instead", strings.Trim(u.Path, "/"))
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		errs.Errorf(pos, "deploy url %q has a malformed query (after ?)", truncate(raw, 80)).
			WithHint("write parameters as ?name=value&name=value, escaping %% as %%25")
		return false
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case secretKeyRE.MatchString(k):
			errs.Errorf(pos, "site.yaml must not hold credentials (the url's parameter %q)", truncate(k, 40)).WithHint(secretHint)
		case k == "key":
			errs.Errorf(pos, "deploy url parameter \"key\" would write every file onto one object").
				WithHint("remove it; to keep the site under a folder of the bucket, use ?prefix=folder/")
		case u.Scheme == "s3" && !contains(s3Params, k):
			e := errs.Errorf(pos, "deploy url parameter %q is not one an s3:// address takes", truncate(k, 40))
			if s := diag.Suggest(k, s3Params); s != "" {
				e.WithHint("did you mean %q?", s)
			} else {
				e.WithHint("known parameters: region, endpoint, use_path_style, prefix, profile and others (see gocloud.dev/aws)")
			}
		}
	}
	if u.Scheme == "s3" && q.Has("endpoint") {
		if eu, err := url.Parse(q.Get("endpoint")); err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			errs.Errorf(pos, "deploy url's endpoint %q is not an http(s) address", truncate(q.Get("endpoint"), 80)).
				WithHint("write it like ?endpoint=https://s3.example.net&use_path_style=true")
		}
	}
	return len(*errs) == n
}
