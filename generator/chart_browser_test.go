package generator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chartTextJS lists, for every drawn chart on the page, the problems of its
// visible text: two labels whose boxes overlap by more than 1px either way,
// and labels or plot content that leave the chart's container. echarts
// draws with its SVG renderer, so each label is a <text> element whose box
// the browser measures.
const chartTextJS = `(() => {
  const out = [];
  const visible = el => {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) return false;
    if (el.getAttribute("fill") === "none" || el.getAttribute("fill-opacity") === "0" || el.getAttribute("opacity") === "0") return false;
    for (let p = el.parentElement; p && p.tagName.toLowerCase() !== "svg"; p = p.parentElement) {
      if (p.getAttribute("opacity") === "0" || getComputedStyle(p).display === "none") return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.textContent.trim() !== "";
  };
  const charts = [...document.querySelectorAll("[data-chart].is-live")].map(el => ({el: el, svg: el.querySelector("svg"), name: el.id}));
  // Static drawings shown on the page (the scorecard's sparklines, charts
  // for readers without scripts), each in its parent element.
  document.querySelectorAll("svg.chart-static, svg.sparkline").forEach((svg, i) => {
    if (!svg.closest(".is-live")) charts.push({el: svg.parentElement, svg: svg, name: "static " + (svg.getAttribute("aria-label") || i)});
  });
  let shown = 0;
  charts.forEach(({el, svg, name}) => {
    if (el.offsetParent === null) return;
    if (!svg) { out.push(name + ": not drawn"); return; }
    shown++;
    const box = el.getBoundingClientRect();
    const texts = [...svg.querySelectorAll("text")].filter(visible).map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()}));
    for (const a of texts) {
      if (a.r.left < box.left - 1 || a.r.right > box.right + 1 || a.r.top < box.top - 1 || a.r.bottom > box.bottom + 1) {
        out.push(name + ": \"" + a.t + "\" leaves the chart (" + [a.r.left - box.left, a.r.top - box.top, a.r.right - box.left, a.r.bottom - box.top].map(Math.round) + " in " + Math.round(box.width) + "x" + Math.round(box.height) + ")");
      }
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) out.push(name + ": \"" + texts[i].t + "\" overlaps \"" + texts[j].t + "\" by " + Math.round(w) + "x" + Math.round(h) + "px");
    }
    // Every name on a category axis that shows them all is drawn (echarts
    // hides a first or last name that would overlap its neighbour).
    const optEl = document.getElementById(el.id + "-option");
    if (optEl && el.classList.contains("is-live")) {
      const o = JSON.parse(optEl.textContent);
      [].concat(o.xAxis || [], o.yAxis || []).forEach(a => {
        if (a.type !== "category" || !a.axisLabel || String(a.axisLabel.interval) !== "0") return;
        (a.data || []).forEach(l => String(l).split("\n").forEach(line => {
          if (!texts.some(t => t.t === line.trim())) out.push(name + ": the category name \"" + line + "\" is not shown");
        }));
      });
    }
    const plot = svg.getBoundingClientRect();
    if (plot.left < box.left - 1 || plot.right > box.right + 1 || plot.top < box.top - 1 || plot.bottom > box.bottom + 1) {
      out.push(name + ": the drawing leaves its container");
    }
  });
  if (shown === 0) out.push("no chart shown");
  return JSON.stringify(out);
})()`

// TestBrowserChartLabels opens a page of each kind with charts (the
// briefing, the scorecard, a metric page and a story) on a phone and on a
// desktop, in the light and the dark scheme, and checks that no two text
// labels of any chart overlap and that every chart stays in its container.
// With DRUMBEAT_SHOTS=dir it also saves a screenshot of each page there.
func TestBrowserChartLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	shots := os.Getenv("DRUMBEAT_SHOTS")
	pages := []string{"/briefing/", "/scorecard/", "/metrics/outreach_sessions/", "/metrics/coverage_2y/", "/stories/two-quarters-without-measles/"}
	for _, vp := range []struct{ w, h int }{{390, 844}, {1440, 900}} {
		for _, scheme := range []string{"light", "dark"} {
			t.Run(fmt.Sprintf("%d-%s", vp.w, scheme), func(t *testing.T) {
				b := newBrowser(t, vp.w, vp.h, true)
				err := chromedp.Do(b.ctx,
					chromedp.EmulateViewport(int64(vp.w), int64(vp.h)),
					chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
						_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
							Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
						return err
					}))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range pages {
					err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body"))
					if err == nil {
						_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](`[...document.querySelectorAll("[data-chart]")].every(el => el.classList.contains("is-live") && el.querySelector("svg text"))`,
							chromedp.WithPollingTimeout(20*time.Second)))
					}
					if err != nil {
						t.Errorf("%s: charts not drawn: %v", p, err)
						continue
					}
					if dark := b.eval(t, `matchMedia("(prefers-color-scheme: dark)").matches ? 1 : 0`); dark != map[string]int{"light": 0, "dark": 1}[scheme] {
						t.Fatalf("%s: the %s scheme is not emulated", p, scheme)
					}
					if p == "/briefing/" {
						// The briefing's content lines up with the header's.
						if d := b.eval(t, `Math.round(Math.abs(document.querySelector(".briefing-head h1").getBoundingClientRect().left - document.querySelector(".site-header .brand").getBoundingClientRect().left))`); d > 1 {
							t.Errorf("the briefing starts %dpx off the header's edge", d)
						}
					}
					js, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](chartTextJS))
					if err != nil {
						t.Fatal(err)
					}
					var problems []string
					if err := json.Unmarshal([]byte(js), &problems); err != nil {
						t.Fatal(err)
					}
					for _, pr := range problems {
						t.Errorf("%s at %dpx, %s: %s", p, vp.w, scheme, pr)
					}
					if shots != "" {
						if png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
							name := fmt.Sprintf("%s-%d-%s.png", strings.Trim(strings.ReplaceAll(p, "/", "-"), "-"), vp.w, scheme)
							os.WriteFile(filepath.Join(shots, name), png, 0o644)
						}
					}
				}
				if len(b.errors) > 0 {
					t.Errorf("console errors: %v", b.errors)
				}
			})
		}
	}
}

// TestBrowserStaticChartLabels is TestBrowserChartLabels for readers
// without JavaScript: the static SVG drawings shown instead.
func TestBrowserStaticChartLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	pages := []string{"/briefing/", "/metrics/outreach_sessions/", "/metrics/coverage_2y/", "/stories/two-quarters-without-measles/"}
	for _, vp := range []struct{ w, h int }{{390, 844}, {1440, 900}} {
		t.Run(fmt.Sprint(vp.w), func(t *testing.T) {
			b := newBrowser(t, vp.w, vp.h, false)
			for _, p := range pages {
				if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(int64(vp.w), int64(vp.h)), chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body")); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				js, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](chartTextJS))
				if err != nil {
					t.Fatal(err)
				}
				var problems []string
				if err := json.Unmarshal([]byte(js), &problems); err != nil {
					t.Fatal(err)
				}
				for _, pr := range problems {
					t.Errorf("%s at %dpx without JavaScript: %s", p, vp.w, pr)
				}
			}
		})
	}
}
