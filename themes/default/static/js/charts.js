// Draws every chart on the page with echarts, over its static SVG. The
// options come from a JSON script element beside each chart; nothing here
// reaches another host.
(function () {
  "use strict";
  if (!window.echarts) return;
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-chart") + "-option");
    if (!data) return;
    var option;
    try { option = JSON.parse(data.textContent); } catch (e) { return; }
    option.backgroundColor = "transparent";
    el.textContent = "";
    el.classList.add("is-live");
    var chart = echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    chart.setOption(option);
    // A viewBox lets print scale the drawing to the paper's width, where
    // no script runs to redraw it.
    chart.on("finished", function () {
      var svg = el.querySelector("svg");
      if (svg && svg.getAttribute("width")) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
    });
    if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
  });
})();
