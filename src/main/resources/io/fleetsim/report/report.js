// fleetsim report charts: uPlot over the results embedded in #fleetsim-results.
// Every field may be missing; a chart without data shows "no data" instead.
// body.dataset.rendered counts the charts drawn, for headless checks.
(function () {
  'use strict';
  var body = document.body;
  body.dataset.rendered = '0';

  function obj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}; }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  var results = {};
  try {
    results = obj(JSON.parse(document.getElementById('fleetsim-results').textContent));
  } catch (e) {
    window.onerror('results JSON unreadable: ' + e.message, 'report.js', 0, 0);
  }
  var series = obj(results.series);
  var rtt = obj(series.rttMillis);
  var faults = arr(results.faults).filter(function (f) { return f && num(f.start) !== null; });
  var duration = num(obj(results.experiment).durationSeconds);

  var names = ['framesPerSecond', 'bytesPerSecond', 'dropsPerSecond', 'lossPercent'];
  var n = 0;
  names.forEach(function (k) { n = Math.max(n, arr(series[k]).length); });
  ['p50', 'p99', 'max'].forEach(function (k) { n = Math.max(n, arr(rtt[k]).length); });

  // x: elapsed seconds; taken from "seconds" only when it is complete and ascending
  var secs = arr(series.seconds).map(num);
  var xsOk = secs.length === n && secs.every(function (s, i) { return s !== null && (i === 0 || s > secs[i - 1]); });
  var xs = [];
  for (var i = 0; i < n; i++) { xs.push(xsOk ? secs[i] : i + 1); }
  var xEnd = Math.max(n ? xs[n - 1] : 0, duration || 0);

  function column(values) {
    var a = arr(values), out = [];
    for (var i = 0; i < n; i++) { out.push(i < a.length ? num(a[i]) : null); }
    return out;
  }
  function hasData(cols) {
    return cols.some(function (c) { return c.some(function (v) { return v !== null; }); });
  }

  var css = getComputedStyle(document.documentElement);
  function faultColour(f, position) {
    var index = typeof f.index === 'number' ? f.index : position;
    var c = css.getPropertyValue('--fault-' + (((index % 8) + 8) % 8)).trim();
    return c || '#e8590c';
  }

  // Drawn under the series (drawClear runs before axes and paths): one band per activation.
  function shadeFaults(u) {
    if (!faults.length) { return; }
    var ctx = u.ctx, b = u.bbox;
    ctx.save();
    faults.forEach(function (f, position) {
      var end = num(f.end) === null ? xEnd : f.end;
      var x0 = Math.max(u.valToPos(f.start, 'x', true), b.left);
      var x1 = Math.min(u.valToPos(end, 'x', true), b.left + b.width);
      if (!(x1 >= x0)) { return; }
      var w = Math.max(x1 - x0, 2);
      ctx.fillStyle = faultColour(f, position);
      ctx.globalAlpha = 0.13;
      ctx.fillRect(x0, b.top, w, b.height);
      ctx.globalAlpha = 0.55;
      ctx.fillRect(x0, b.top, Math.max(1, devicePixelRatio), b.height);
    });
    ctx.restore();
  }

  var drawn = {};
  function markDrawn(id) {
    return function () {
      if (!drawn[id]) {
        drawn[id] = true;
        body.dataset.rendered = String(Object.keys(drawn).length);
      }
    };
  }

  var charts = [];
  function chart(id, seriesOpts, cols, axes, scales) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = '';
    if (!n || !hasData(cols)) {
      el.classList.add('empty');
      el.textContent = 'no data';
      return;
    }
    var opts = {
      width: Math.max(el.clientWidth, 300),
      height: 240,
      scales: Object.assign({
        x: { time: false, range: function (u, min, max) { return [0, Math.max(xEnd, max, 1)]; } }
      }, scales || {}),
      series: [{ label: 'second' }].concat(seriesOpts),
      axes: [{ label: 'seconds since start', stroke: '#65758b', grid: { stroke: '#eef1f5' } }].concat(axes),
      cursor: { drag: { x: true, y: false } },
      hooks: { drawClear: [shadeFaults], draw: [markDrawn(id)] }
    };
    charts.push({ el: el, plot: new uPlot(opts, [xs].concat(cols), el) });
  }

  function axis(label, extra) {
    return Object.assign({ label: label, stroke: '#65758b', grid: { stroke: '#eef1f5' }, size: 60 }, extra || {});
  }
  // an empty right axis as wide as the loss chart's, so all plot areas (and fault bands) line up
  var spacer = { side: 1, size: 60, label: ' ', stroke: 'transparent', grid: { show: false }, ticks: { show: false },
    values: function (u, splits) { return splits.map(function () { return ''; }); } };
  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }

  // a value at x = i counts second (i-1, i]: its bar ends at i, so it sits inside the fault band that caused it
  var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40], align: -1 }) : undefined;

  chart('chart-throughput',
    [{ label: 'frames/s', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.10)' }],
    [column(series.framesPerSecond)],
    [axis('frames/s'), spacer],
    { y: { range: fromZero } });

  chart('chart-loss',
    [{ label: 'drops/s', stroke: '#c62828', fill: 'rgba(198,40,40,0.45)', paths: bars, points: { show: false }, scale: 'drops' },
     { label: 'loss %', stroke: '#7a1f1f', width: 2, dash: [6, 4], scale: '%' }],
    [column(series.dropsPerSecond), column(series.lossPercent)],
    [axis('drops/s', { scale: 'drops' }),
     axis('loss %', { scale: '%', side: 1, grid: { show: false } })],
    { drops: { range: fromZero }, '%': { range: fromZero } });

  chart('chart-rtt',
    [{ label: 'p50 ms', stroke: '#1b7f3b', width: 2, spanGaps: false },
     { label: 'p99 ms', stroke: '#e8590c', width: 2, spanGaps: false },
     { label: 'max ms', stroke: '#9aa5b1', width: 1, dash: [4, 4], spanGaps: false }],
    [column(rtt.p50), column(rtt.p99), column(rtt.max)],
    [axis('ms'), spacer],
    { y: { range: fromZero } });

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: Math.max(c.el.clientWidth, 300), height: 240 }); });
    });
  });
})();
