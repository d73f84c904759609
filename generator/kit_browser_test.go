package generator

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator/render"
)

// TestBrowserKitCopies clicks every copy button of a partner's share kit,
// on a phone-sized screen: each copies exactly the text of its own box,
// then says the catalogue's word; the texts name the partner's handle on
// their own network and stay within the network's limit; nothing leaves
// the site.
func TestBrowserKitCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, true)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/partners/kestrel-pharmacy/kit/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	// The clipboard, stubbed: what each click writes to it, in order.
	b.eval(t, `(function(){window.copied=[];navigator.clipboard.writeText=function(s){window.copied.push(s);return Promise.resolve()};return 0})()`)
	boxes := b.eval(t, `document.querySelectorAll(".kit textarea").length`)
	buttons := b.eval(t, `document.querySelectorAll(".kit .share-copy:not([hidden])").length`)
	if boxes < 12 || buttons != boxes {
		t.Fatalf("%d text boxes and %d copy buttons shown, want one button for each box (and at least 12)", boxes, buttons)
	}
	b.eval(t, `(function(){document.querySelectorAll(".kit .share-copy").forEach(function(b){b.click()});return 0})()`)
	var copied, want []string
	for i := 0; ; i++ {
		js, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify(window.copied)`))
		if err != nil {
			t.Fatal(err)
		}
		json.Unmarshal([]byte(js), &copied)
		if len(copied) == boxes || i == 30 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	js, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll(".kit .share-copy")].map(function(b){return document.getElementById(b.dataset.for).value}))`))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(js), &want)
	if strings.Join(copied, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("the buttons copied\n%q\nwant the texts of their boxes\n%q", copied, want)
	}
	if n := b.eval(t, `[...document.querySelectorAll(".kit .share-copy")].filter(function(b){return b.textContent!=="Copied"}).length`); n != 0 {
		t.Errorf("%d buttons do not say Copied after a click", n)
	}
	texts := map[string]string{}
	js, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify(Object.fromEntries([...document.querySelectorAll(".kit-story textarea")].map(function(t){return [t.id,t.value]})))`))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(js), &texts)
	link := "https://alliance.example.org/stories/spotlight-kestrel-pharmacy/"
	for _, tc := range []struct {
		network, handle string
		count           func(string) int
		max             int
	}{
		{"x", "@KestrelRx", render.CountX, render.MaxX},
		{"bluesky", "@kestrel.example.org", render.CountGraphemes, render.MaxBluesky},
		{"mastodon", "@kestrel@social.example.org", render.CountMastodon, render.MaxMastodon},
		{"linkedin_long", "#RiverbendAlliance", func(s string) int { return len([]rune(s)) }, render.MaxLinkedIn},
		{"whatsapp", link, func(s string) int { return len([]rune(s)) }, render.MaxMessage},
	} {
		got := texts["kit-spotlight-kestrel-pharmacy-"+tc.network]
		if !strings.Contains(got, tc.handle) || !strings.HasSuffix(got, link) || tc.count(got) > tc.max {
			t.Errorf("%s: want %q, the story's address at the end and at most %d characters: %q", tc.network, tc.handle, tc.max, got)
		}
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors: %s", strings.Join(b.errors, "; "))
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}

// TestBrowserMastodonShare: the story page's Mastodon form, shown by its
// script, opens the reader's own server's share page with the post, and
// only on submit; a name that is not a server opens nothing; no request
// leaves the site.
func TestBrowserMastodonShare(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	b := newBrowser(t, 390, 844, true)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/stories/two-quarters-without-measles/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if n := b.eval(t, `document.querySelector(".share-mastodon").hidden ? 0 : 1`); n != 1 {
		t.Fatal("the Mastodon form is not shown")
	}
	b.eval(t, `(function(){window.opened=[];window.open=function(u){window.opened.push(u);return null};return 0})()`)
	for _, tc := range []struct{ typed, want string }{
		{"not a server", ""},
		{"https://Social.Example.org/@someone", "https://Social.Example.org/share?text="},
		{"@me@mastodon.example", "https://mastodon.example/share?text="},
	} {
		b.eval(t, `(function(){window.opened=[];var f=document.querySelector(".share-mastodon");f.server.value=`+strconvQuote(tc.typed)+`;f.requestSubmit();return 0})()`)
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`window.opened.join(" ")`))
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if tc.want != "" {
			text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`encodeURIComponent(document.querySelector(".share-mastodon").dataset.text)`))
			want = tc.want + text
			if !strings.Contains(text, "two-quarters-without-measles") {
				t.Errorf("the post has no link to the story: %q", text)
			}
		}
		if got != want {
			t.Errorf("typed %q: opened %q, want %q", tc.typed, got, want)
		}
	}
	if left := b.leftSite(srv); len(left) > 0 {
		t.Errorf("requests left the site: %v", left)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
