package generator

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPagesAreAccessible checks every page of the example for what a
// screen reader needs: a language, a title, one main landmark with a
// banner and content info, one h1, alt text on every image, a label on
// every SVG drawn as an image, and headings that do not skip levels.
func TestPagesAreAccessible(t *testing.T) {
	out, _ := builtExample(t, "")
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasSuffix(p, "email.html") {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		b, _ := os.ReadFile(p)
		counts := map[string]int{}
		lang, title := false, false
		last := 0
		z := html.NewTokenizer(bytes.NewReader(b))
		inSVGImg := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			counts[tok.Data]++
			switch tok.Data {
			case "html":
				lang = attr(tok, "lang") != ""
			case "title":
				title = true
			case "img":
				if _, ok := attrOK(tok, "alt"); !ok {
					t.Errorf("%s: <img src=%q> has no alt attribute", rel, attr(tok, "src"))
				}
			case "svg":
				if attr(tok, "role") == "img" && attr(tok, "aria-label") == "" {
					t.Errorf("%s: an SVG drawn as an image has no aria-label", rel)
				}
				_ = inSVGImg
			case "h1", "h2", "h3", "h4", "h5", "h6":
				level := int(tok.Data[1] - '0')
				if last > 0 && level > last+1 {
					t.Errorf("%s: heading <%s> follows <h%d>, skipping a level", rel, tok.Data, last)
				}
				last = level
			}
		}
		if !lang || !title {
			t.Errorf("%s: lang=%v title=%v", rel, lang, title)
		}
		if counts["main"] != 1 || counts["header"] < 1 || counts["footer"] < 1 || counts["nav"] < 1 {
			t.Errorf("%s: landmarks main=%d header=%d footer=%d nav=%d", rel, counts["main"], counts["header"], counts["footer"], counts["nav"])
		}
		if counts["h1"] != 1 {
			t.Errorf("%s: %d h1 headings, want 1", rel, counts["h1"])
		}
		return nil
	})
}

func attrOK(tok html.Token, key string) (string, bool) {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
