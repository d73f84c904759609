package render

import (
	"html/template"
	"strings"
	"testing"
)

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct {
		in   template.HTML
		want string
	}{
		{"<p>Cold <em>chain</em> &amp; vans</p>", "Cold chain & vans"},
		{`<p>Coverage <a href="../../metrics/x/" title="a &gt; b">82.6&nbsp;%</a>.</p>`, "Coverage 82.6\u00a0% ."},
		{`<figure><svg viewBox="0 0 1 1"><text>axis label</text></svg><figcaption>Doses</figcaption></figure>`, "Doses"},
		{`<p>a<br/>b</p><script>var x = "hidden";</script><p>c</p>`, "a b c"},
		{"plain", "plain"},
		{"<p>unclosed <b", "unclosed"},
	} {
		if got := strings.Join(strings.Fields(htmlText(tc.in)), " "); got != strings.Join(strings.Fields(tc.want), " ") {
			t.Errorf("htmlText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
