/**
 * The page's own script: reads the embedded report data and draws the four charts with ECharts
 * (inlined before it). When every chart has finished drawing it sets `data-drawn` on <body> and
 * `window.reportDrawnMs` (milliseconds since navigation started), which the tests and the
 * drawing benchmark wait for.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var params = data.params;
  var finished = data.trials.filter(function (t) { return t.loss !== null; });
  var failed = data.trials.filter(function (t) { return t.loss === null; });
  var palette = ["#313695", "#4575b4", "#74add1", "#abd9e9", "#fee090", "#fdae61", "#f46d43", "#d73027", "#a50026"];
  var losses = finished.map(function (t) { return t.loss; });
  var lossMin = losses.length ? Math.min.apply(null, losses) : 0;
  var lossMax = losses.length ? Math.max.apply(null, losses) : 1;
  // Losses spanning more than two orders of magnitude are drawn on a log scale, where the region of the best ones stays readable.
  var lossScale = lossMin > 0 && lossMax / lossMin > 100 ? "log" : "value";
  var names = ["history", "parallel", "importance", "slice"];
  var pending = names.length;

  function chartDone() {
    pending -= 1;
    if (pending === 0) {
      window.reportDrawnMs = performance.now();
      document.body.setAttribute("data-drawn", "true");
    }
  }

  function draw(name, option) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var once = function () { chart.off("finished", once); chartDone(); };
    chart.on("finished", once);
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "system-ui, sans-serif" } }, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function positive(values) {
    return values.length > 0 && values.every(function (v) { return v > 0; });
  }

  function valuesOf(p) {
    return finished.map(function (t) { return t.params[p.label]; }).filter(function (v) { return v !== undefined; });
  }

  function axisFor(p) {
    if (p.choices) return { type: "category", data: p.choices.map(String) };
    return { type: p.log && positive(valuesOf(p)) ? "log" : "value", scale: true };
  }

  // Lines are coloured by the loss's rank among the successful trials (0 = best), which stays readable however skewed the losses are.
  var sortedLosses = losses.slice().sort(function (a, b) { return a - b; });
  function lossRank(loss) {
    var lo = 0;
    var hi = sortedLosses.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (sortedLosses[mid] < loss) lo = mid + 1; else hi = mid; }
    return sortedLosses.length > 1 ? lo / (sortedLosses.length - 1) : 0;
  }

  function rankVisualMap(dimension) {
    return {
      type: "continuous", min: 0, max: 1, dimension: dimension, seriesIndex: 0, inRange: { color: palette },
      text: ["worst loss", "best loss"], calculable: true, orient: "vertical", right: 8, top: "middle", itemHeight: 140,
      formatter: function (v) { return Math.round(100 * v) + "%"; }
    };
  }

  function history() {
    var best = Infinity;
    var bestLine = [];
    data.trials.forEach(function (t) {
      if (t.loss !== null && t.loss < best) best = t.loss;
      if (best < Infinity) bestLine.push([t.tid, best]);
    });
    draw("history", {
      title: { text: "Loss of every trial", left: "center" },
      legend: { top: 34, data: ["trial loss", "best so far", "failed"] },
      grid: { left: 70, right: 30, top: 80, bottom: 50 },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", name: "trial", nameLocation: "middle", nameGap: 28, min: 0 },
      yAxis: { type: lossScale, name: "loss", scale: true },
      series: [
        { name: "trial loss", type: "scatter", symbolSize: 5, large: finished.length > 2000, itemStyle: { color: "#4575b4", opacity: 0.7 },
          data: finished.map(function (t) { return [t.tid, t.loss]; }) },
        { name: "best so far", type: "line", step: "end", showSymbol: false, lineStyle: { color: "#d73027", width: 2 }, data: bestLine },
        { name: "failed", type: "scatter", symbol: "triangle", symbolSize: 8, itemStyle: { color: "#999" },
          tooltip: { formatter: function (item) { var t = failed[item.dataIndex]; return "trial " + t.tid + ": " + t.status + (t.error ? " (" + t.error + ")" : ""); } },
          data: failed.map(function (t) { return [t.tid, lossMax]; }) }
      ]
    });
  }

  function parallel() {
    var axes = params.map(function (p, i) { return Object.assign({ dim: i, name: p.label }, axisFor(p)); });
    axes.push({ dim: params.length, name: "loss", type: lossScale, scale: true });
    draw("parallel", {
      title: { text: "Parameters of every successful trial, coloured by the rank of its loss", left: "center" },
      parallel: { left: 60, right: 150, top: 70, bottom: 40 },
      parallelAxis: axes,
      visualMap: rankVisualMap(params.length + 1),
      series: [{ type: "parallel", lineStyle: { width: 1, opacity: 0.45 }, progressive: 2000,
        data: finished.map(function (t) {
          return params.map(function (p) { var v = t.params[p.label]; return v === undefined ? null : v; }).concat([t.loss, lossRank(t.loss)]);
        }) }]
    });
  }

  function importance() {
    var order = params.map(function (p) { return p.label; }).sort(function (a, b) { return data.importance[a] - data.importance[b]; });
    draw("importance", {
      title: { text: "Parameter importance (fANOVA)", left: "center" },
      grid: { left: 140, right: 40, top: 50, bottom: 40 },
      tooltip: { trigger: "item", valueFormatter: function (v) { return (100 * v).toFixed(1) + "%"; } },
      xAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(100 * v) + "%"; } } },
      yAxis: { type: "category", data: order },
      series: [{ type: "bar", itemStyle: { color: "#4575b4" }, label: { show: true, position: "right", formatter: function (item) { return (100 * item.value).toFixed(1) + "%"; } },
        data: order.map(function (label) { return data.importance[label]; }) }]
    });
  }

  function slice() {
    var columns = Math.min(3, Math.max(1, params.length));
    var rows = Math.max(1, Math.ceil(params.length / columns));
    var el = document.querySelector('[data-chart="slice"]');
    el.style.height = (rows * 260 + 60) + "px";
    var width = 100 / columns;
    var option = {
      title: { text: "Loss against each parameter", left: "center" },
      tooltip: { trigger: "item" },
      grid: [], xAxis: [], yAxis: [], series: [],
      visualMap: { type: "continuous", min: 0, max: Math.max(1, data.trials.length ? data.trials[data.trials.length - 1].tid : 1), dimension: 2, inRange: { color: ["#c6dbef", "#08306b"] },
        text: ["later trials", "earlier"], orient: "horizontal", left: "center", bottom: 0, itemWidth: 10, itemHeight: 120, calculable: false }
    };
    params.forEach(function (p, i) {
      var row = Math.floor(i / columns);
      var column = i % columns;
      option.grid.push({ left: (column * width + 5) + "%", width: (width - 9) + "%", top: (row * 260 + 60) + "px", height: "190px" });
      option.xAxis.push(Object.assign({ gridIndex: i, name: p.label, nameLocation: "middle", nameGap: 26 }, axisFor(p)));
      option.yAxis.push({ gridIndex: i, type: lossScale, scale: true, name: i % columns === 0 ? "loss" : "" });
      option.series.push({ type: "scatter", xAxisIndex: i, yAxisIndex: i, symbolSize: 5, large: finished.length > 2000,
        data: finished.filter(function (t) { return t.params[p.label] !== undefined; }).map(function (t) { return [t.params[p.label], t.loss, t.tid]; }) });
    });
    draw("slice", option);
  }

  history();
  parallel();
  importance();
  slice();
})();
`;
