/* 统计分析: draws each table's chart with ECharts from the JSON the page embeds (json_script). */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.charts.forEach(function (chart) {
      var box = document.querySelector('[data-chart="' + chart.key + '"]');
      if (!box || !chart.categories.length) { return; }
      box.classList.add("has-chart");
      var instance = window.echarts.init(box);
      var stacked = chart.type === "stack";
      instance.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 56 },
        xAxis: { type: "category", data: chart.categories, axisLabel: { rotate: chart.categories.length > 8 ? 45 : 0 } },
        yAxis: { type: "value" },
        dataZoom: chart.categories.length > 16 ? [{ type: "inside" }, { type: "slider", height: 16, bottom: 4 }] : [],
        series: chart.series.map(function (s) {
          return {
            name: s.name,
            type: chart.type === "line" ? "line" : "bar",
            stack: stacked ? "total" : undefined,
            data: s.data.map(function (v) { return typeof v === "number" ? v : null; })
          };
        })
      });
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
