// Draws every chart on the page with echarts, over its static SVG. The
// options come from a JSON script element beside each chart; nothing here
// reaches another host.
//
// Colours come from the theme: the accent becomes --chart-accent and the
// axis grey --chart-axis (site.css sets both for light and dark mode), and
// any other colour of a line, bar or label that reads at less than AA on
// the page's background (4.5:1 for text, 3:1 for marks) is mixed towards
// the text colour until it does. Stacked segments keep their colours: each
// carries its own label, chosen for it.
(function () {
  "use strict";
  if (!window.echarts) return;
  // fitLegend makes room under the plot for a legend at the bottom that
  // wraps onto more rows on a narrow chart, so that it never covers the
  // period labels. echarts lays out a legend row by row, each item a 25px
  // symbol, 5px, its name and a 10px gap.
  var measure = document.createElement("canvas").getContext("2d");
  function fitLegend(option, width) {
    var lg = Array.isArray(option.legend) ? option.legend[0] : option.legend;
    if (!lg || !lg.show || lg.orient === "vertical" || lg.bottom == null || !option.grid) return false;
    measure.font = "12px sans-serif";
    var rows = 1, row = 0;
    (option.series || []).forEach(function (s) {
      var w = 25 + 5 + measure.measureText(s.name || "").width + 10;
      if (row > 0 && row + w > width - 10) { rows++; row = 0; }
      row += w;
    });
    (Array.isArray(option.grid) ? option.grid : [option.grid]).forEach(function (g) { g.bottom = 12 + rows * 24; });
    return true;
  }
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var probe = document.createElement("span");
  probe.hidden = true;
  document.body.appendChild(probe);
  // rgb resolves a CSS colour (a custom property, color-mix) to [r, g, b, a].
  function rgb(css) {
    probe.style.color = "";
    probe.style.color = css;
    var c = getComputedStyle(probe).color, m;
    if ((m = c.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/))) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    if ((m = c.match(/^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/))) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
    return null;
  }
  function hex(c) {
    return "#" + c.slice(0, 3).map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }
  function lum(c) {
    var f = function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function ratio(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  var paper = rgb("var(--paper)") || (dark ? [18, 23, 25, 1] : [255, 255, 255, 1]);
  var ink = rgb("var(--ink)") || (dark ? [255, 255, 255, 1] : [0, 0, 0, 1]);
  var accent = rgb("var(--accent)");
  var theme = {};
  if (accent) theme[hex(accent)] = hex(rgb("var(--chart-accent)") || accent);
  theme["#6b7678"] = hex(rgb("var(--chart-axis)") || [107, 118, 120]);
  var memo = {};
  // fit returns the theme's colour for c, readable on the page at min:1.
  function fit(c, min) {
    var key = c + "/" + min;
    if (key in memo) return memo[key];
    var v = rgb(c);
    if (!v || v[3] < 1) return (memo[key] = c);
    var h = hex(v);
    if (theme[h]) v = rgb(theme[h]);
    for (var i = 0; i < 20 && ratio(v, paper) < min; i++) {
      v = [0, 1, 2].map(function (k) { return v[k] + (ink[k] - v[k]) * 0.1; });
    }
    return (memo[key] = hex(v));
  }
  var skip = /^(splitLine|minorSplitLine|splitArea|backgroundStyle|tooltip|axisPointer|emphasis|borderColor|backgroundColor|shadowColor)$/;
  function recolour(o, text) {
    if (Array.isArray(o)) { o.forEach(function (v) { recolour(v, text); }); return; }
    if (!o || typeof o !== "object") return;
    if (o.stack) return;
    Object.keys(o).forEach(function (k) {
      if (skip.test(k)) return;
      var isText = text || /label|textStyle|legend/i.test(k);
      if (k === "color" && typeof o[k] === "string") o[k] = fit(o[k], isText ? 4.5 : 3);
      else if (k !== "color") recolour(o[k], isText);
    });
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-chart") + "-option");
    if (!data) return;
    var option;
    try { option = JSON.parse(data.textContent); } catch (e) { return; }
    option.backgroundColor = "transparent";
    ["series", "xAxis", "yAxis", "legend"].forEach(function (k) { recolour(option[k], false); });
    el.textContent = "";
    el.classList.add("is-live");
    var chart = echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    fitLegend(option, el.clientWidth);
    chart.setOption(option);
    // A viewBox lets print scale the drawing to the paper's width, where
    // no script runs to redraw it.
    chart.on("finished", function () {
      var svg = el.querySelector("svg");
      if (svg && svg.getAttribute("width")) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
    });
    if (window.ResizeObserver) new ResizeObserver(function () {
      if (fitLegend(option, el.clientWidth)) chart.setOption({ grid: option.grid });
      chart.resize();
    }).observe(el);
  });
  probe.remove();
})();
