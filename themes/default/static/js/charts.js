// Draws every chart on the page with echarts, over its static SVG. The
// options come from a JSON script element beside each chart; nothing here
// reaches another host.
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
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-chart") + "-option");
    if (!data) return;
    var option;
    try { option = JSON.parse(data.textContent); } catch (e) { return; }
    option.backgroundColor = "transparent";
    el.textContent = "";
    el.classList.add("is-live");
    var chart = echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    fitLegend(option, el.clientWidth);
    chart.setOption(option);
    if (window.ResizeObserver) new ResizeObserver(function () {
      if (fitLegend(option, el.clientWidth)) chart.setOption({ grid: option.grid });
      chart.resize();
    }).observe(el);
  });
})();
