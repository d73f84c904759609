package generator

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/drumbeat/drumbeat/generator/internal/browsertest"
)

// a11yPages is one page of every type of the example site.
var a11yPages = []string{
	"/", "/stories/", "/stories/two-quarters-without-measles/",
	"/stories/saturday-clinics-six-months/", // an ROI story
	"/scorecard/", "/metrics/coverage_2y/", "/partners/", "/partners/lakeside-clinic/",
	"/governance/", "/decisions/", "/newsletter/", "/newsletter/2026-11/", "/briefing/",
	"/about/", "/impact/", "/404.html", "/search/",
	"/partners/kestrel-pharmacy/kit/", // a partner's share kit
}

// a11yViews are the widths and colour schemes every page is checked in.
// Without JavaScript (noJS) readers see the static SVG charts: only the
// pages with charts are measured then, and axe, which is a script, does not
// run.
var a11yViews = []struct {
	scheme string
	width  int
	noJS   bool
}{{"light", 390, false}, {"light", 1440, false}, {"dark", 390, false}, {"dark", 1440, false},
	{"light", 1440, true}, {"dark", 390, true}}

// a11yChartPages are the pages of a11yPages that draw charts.
var a11yChartPages = map[string]bool{
	"/": true, "/stories/two-quarters-without-measles/": true, "/stories/saturday-clinics-six-months/": true,
	"/scorecard/": true, "/metrics/coverage_2y/": true, "/briefing/": true,
}

// axeRun runs axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules and
// returns the serious and critical violations, one line each.
const axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
  resultTypes: ["violations"]
}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
  v.impact + " " + v.id + " (" + v.help + "): " +
  v.nodes.slice(0, 4).map(n => n.target.join(" ") + (n.any[0] ? " [" + n.any[0].message + "]" : "")).join("; ") +
  (v.nodes.length > 4 ? "; and " + (v.nodes.length - 4) + " more" : "")))`

// contrastRun measures, in the page, the contrast of every visible text
// against its effective background (the background colours of its
// ancestors, composited), and of every chart mark: the texts, lines, dots
// and bars of the static SVG charts and sparklines, and the colours of the
// echarts options the page actually drew with. It returns the failures:
// text under 4.5:1 (3:1 when large), marks under 3:1. Text over an image
// or a gradient (the story cards' figure panels) is left to axe, which
// reports it as needing review, not as a violation.
const contrastRun = `(() => {
  const parse = s => {
    let m = s.match(/^rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[,/ ]+([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    m = s.match(/^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/);
    if (m) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
    const c = document.createElement("canvas").getContext("2d");
    c.fillStyle = "#01020300"; c.fillStyle = s;
    const f = c.fillStyle;
    if (f === "#01020300" || f === "rgba(1, 2, 3, 0)") return null;
    if (f[0] === "#") return [parseInt(f.slice(1, 3), 16), parseInt(f.slice(3, 5), 16), parseInt(f.slice(5, 7), 16), 1];
    return parse(f);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const hex = c => c ? c.slice(0, 3).map(v => Math.round(v)).join(",") : "";
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // bg returns the background of el, or null when an image or gradient lies under it.
  const bg = el => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== "none") return null;
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    let c = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) c = parse(getComputedStyle(document.documentElement).backgroundColor) || c;
    for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
    return c;
  };
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.visibility === "hidden" || cs.display === "none" || +cs.opacity === 0) return false;
      if (cs.clip === "rect(0px, 0px, 0px, 0px)" || (cs.position === "absolute" && cs.overflow === "hidden" && r.width <= 1)) return false;
    }
    return true;
  };
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = el.getAttribute("class");
    if (cls) s += "." + cls.trim().split(/\s+/).join(".");
    const p = el.parentElement && el.parentElement.closest("[class]");
    return (p ? p.getAttribute("class").split(/\s+/)[0] + " > " : "") + s;
  };
  const fails = [];
  const check = (el, what, fg, back, min) => {
    if (!fg || fg[3] === 0 || !back) return;
    const r = ratio(over(fg, back), back);
    const shape = el.namespaceURI === "http://www.w3.org/2000/svg" && el.tagName !== "text" && el.tagName !== "svg";
    if (r < min - 0.005) fails.push(name(el) + " " + what + " " + r.toFixed(2) + ":1 < " + min + ":1 (" + (shape ? el.outerHTML.slice(0, 160) : JSON.stringify((el.textContent || "").trim().slice(0, 30))) + ")");
  };
  const large = cs => { const px = parseFloat(cs.fontSize), w = +cs.fontWeight || 400; return px >= 24 || (px >= 18.66 && w >= 700); };
  // HTML text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el) || el.closest("svg, script, style, noscript, template")) continue;
    seen.add(el);
    if (!shown(el)) continue;
    const cs = getComputedStyle(el);
    check(el, "text", parse(cs.color), bg(el), large(cs) ? 3 : 4.5);
  }
  // SVG charts and sparklines, static or drawn by echarts. A text's
  // background is the bar it sits in, if any, else the page; a shape passes
  // when its outline or its fill stands out.
  for (const svg of document.querySelectorAll("svg.sparkline, svg.chart-static, [data-chart] svg")) {
    if (!shown(svg)) continue;
    const back = bg(svg.parentElement);
    const chart = window.echarts && svg.closest("[data-chart]") && echarts.getInstanceByDom(svg.closest("[data-chart]"));
    const stacked = new Set(chart ? chart.getOption().series.filter(s => s.stack && s.itemStyle).map(s => hex(parse(s.itemStyle.color))) : []);
    const filled = [], marks = [];
    for (const el of svg.querySelectorAll("text, path, line, circle, rect, polyline")) {
      if (el.closest("defs, clipPath, mask, pattern")) continue;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden" || +cs.opacity === 0) continue;
      if (el.tagName === "text") {
        if (!el.textContent.trim()) continue;
        const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        let under = back;
        for (const f of filled) if (x > f.box.left && x < f.box.right && y > f.box.top && y < f.box.bottom) { under = f.colour; f.labelled = true; }
        check(el, "chart text", parse(cs.fill), under, large(cs) ? 3 : 4.5);
        continue;
      }
      const m = el.getCTM(), scale = m ? Math.hypot(m.a, m.b) : 1;
      // Semi-transparent paints (grid lines, hit areas) are decoration.
      const paints = [["stroke", cs.stroke, +cs.strokeOpacity], ["fill", el.tagName === "line" ? "none" : cs.fill, +cs.fillOpacity]]
        .map(([what, v, o]) => [what, parse(v), o])
        .filter(([what, c, o]) => c && c[3] === 1 && o === 1 && !(what === "stroke" && parseFloat(cs.strokeWidth) * scale < 1.5));
      if (!paints.length) continue;
      const fill = paints.find(([what]) => what === "fill");
      const mark = {el, paints, stacked: fill && stacked.has(hex(fill[1]))};
      if (fill) filled.push(Object.assign(mark, {colour: over(fill[1], back), box: el.getBoundingClientRect()}));
      marks.push(mark);
    }
    const labelledColours = new Set(filled.filter(f => f.labelled).map(f => hex(f.colour)));
    for (const {el, paints, stacked, labelled, colour} of marks) {
      // The segments of a stacked bar, shapes with their label inside, and
      // the legend keys of either are told apart by words, not colour alone.
      if (stacked || labelled || (colour && labelledColours.has(hex(colour))) || paints.some(([, c]) => ratio(c, back) >= 3)) continue;
      check(el, "chart " + paints[0][0], paints[0][1], back, 3);
    }
  }
  // The colours of the echarts options the charts were drawn with. The
  // segments of a stacked bar each carry a label: the label must read on
  // its segment.
  if (window.echarts) for (const el of document.querySelectorAll("[data-chart].is-live")) {
    const chart = echarts.getInstanceByDom(el);
    if (!chart) continue;
    const back = bg(el);
    const walk = (o, path, under) => {
      if (Array.isArray(o)) { o.forEach(v => walk(v, path, under)); return; }
      if (!o || typeof o !== "object") return;
      if (o.stack && o.itemStyle && o.itemStyle.color) {
        under = over(parse(o.itemStyle.color), back);
        path += "(stacked)";
      }
      for (const [k, v] of Object.entries(o)) {
        if (/^(splitLine|minorSplitLine|splitArea|backgroundStyle|tooltip|axisPointer|emphasis|blur|select|selectorLabel|areaStyle|borderColor|backgroundColor|shadowColor)$/.test(k)) continue;
        const p = path + "." + k;
        const text = /label|textStyle/i.test(p);
        if (k === "color" && typeof v === "string") {
          if (under === back || text) check(el, "option " + p, parse(v), under, text ? 4.5 : 3);
        } else walk(v, p, under);
      }
    };
    const opt = chart.getOption();
    walk({series: opt.series, xAxis: opt.xAxis, yAxis: opt.yAxis, legend: opt.legend}, "", back);
  }
  return fails;
})()`

// TestBrowserAccessibility opens one page of every type of the example at
// a phone's and a desktop's width, in light and in dark mode, and checks
// each twice: axe-core (vendored, see make vendor-axe) with the WCAG 2.2 A
// and AA rules reports no serious or critical violation, and every visible
// text and chart mark meets AA contrast against its background. Each
// view has a tab of its own.
func TestBrowserAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	for _, v := range a11yViews {
		name := fmt.Sprintf("%d-%s", v.width, v.scheme)
		if v.noJS {
			name += "-nojs"
		}
		t.Run(name, func(t *testing.T) {
			a11yView(t, srv.URL, v.scheme, v.width, v.noJS)
		})
	}
}

// a11yView checks every page of a11yPages in one view, in a tab of its own.
func a11yView(t *testing.T, srvURL, scheme string, width int, noJS bool) {
	ctx := browsertest.Tab(t)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browsertest.Axe})
		return err
	})); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: 900, DeviceScaleFactor: 1, Mobile: width < 600}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: noJS}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a11yPages {
		where := fmt.Sprintf("%s at %d px, %s", p, width, scheme)
		if noJS {
			if !a11yChartPages[p] {
				continue
			}
			where += ", without JavaScript"
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srvURL+p), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if !noJS {
			// Let the charts draw before measuring them.
			chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("[data-chart]")].every(el => el.classList.contains("is-live") && el.querySelector("svg"))`,
				chromedp.WithPollingTimeout(10*time.Second)))
			violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: axe: %v", where, err)
			}
			for _, s := range violations {
				t.Errorf("%s: axe: %s", where, s)
			}
		}
		low, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastRun))
		if err != nil {
			t.Fatalf("%s: contrast: %v", where, err)
		}
		for _, s := range low {
			t.Errorf("%s: contrast: %s", where, s)
		}
	}
}

// TestBrowserPhoneNavigation opens every section of the example on a
// phone, with and without JavaScript: the menu button names the current
// section; once opened, every item of the navigation is on screen, whole,
// at least 24 px high, and the current one is marked aria-current="page".
func TestBrowserPhoneNavigation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	srv := serveExample(t)
	for _, js := range []bool{true, false} {
		b := newBrowser(t, 390, 844, js)
		if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		nav, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]struct{ Path, Title string }](`[...document.querySelectorAll(".site-header nav li a")].map(a => ({Path: a.pathname, Title: a.textContent.trim()}))`))
		if err != nil || len(nav) < 5 {
			t.Fatalf("reading the navigation: %v (%d items)", err, len(nav))
		}
		for _, item := range nav {
			where := fmt.Sprintf("%s (JavaScript %v)", item.Path, js)
			if err := chromedp.Do(b.ctx, chromedp.Navigate(srv.URL+item.Path), chromedp.WaitReady("body")); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			button, err := chromedp.Run(b.ctx, chromedp.TextContent(".nav-button"))
			if err != nil {
				t.Fatalf("%s: no menu button: %v", where, err)
			}
			if !strings.Contains(button, item.Title) {
				t.Errorf("%s: the closed menu says %q, not the current section %q", where, button, item.Title)
			}
			if n := b.eval(t, `[...document.querySelectorAll(".site-header nav li a")].filter(a => a.getBoundingClientRect().height > 0).length`); n != 0 {
				t.Errorf("%s: %d items show before the menu is opened", where, n)
			}
			if err := chromedp.Do(b.ctx, chromedp.Click(".nav-button")); err != nil {
				t.Fatalf("%s: opening the menu: %v", where, err)
			}
			state, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct {
				Total, Whole, Current int
				CurrentText           string
			}](`(() => {
  const links = [...document.querySelectorAll(".site-header nav li a")];
  const whole = links.filter(a => { const r = a.getBoundingClientRect();
    return r.left >= 0 && r.right <= innerWidth && r.height >= 24 && a.scrollWidth <= a.clientWidth + 1; });
  const cur = links.filter(a => a.getAttribute("aria-current") === "page");
  return {Total: links.length, Whole: whole.length, Current: cur.length, CurrentText: cur.length ? cur[0].textContent.trim() : ""};
})()`))
			if err != nil {
				t.Fatal(err)
			}
			if state.Total != len(nav) || state.Whole != state.Total {
				t.Errorf("%s: %d of %d navigation items are whole on screen once the menu is open", where, state.Whole, len(nav))
			}
			if state.Current != 1 || state.CurrentText != item.Title {
				t.Errorf("%s: %d items marked current (%q), want %q", where, state.Current, state.CurrentText, item.Title)
			}
		}
	}
}
