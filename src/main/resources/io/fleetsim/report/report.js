// fleetsim report charts: uPlot over the results embedded in #fleetsim-results.
// Every field may be missing; a chart without data shows "no data" instead.
// body.dataset.rendered counts the charts drawn, for headless checks.
// The live page (io/fleetsim/api) draws through window.fleetsimCharts.draw(results, container)
// each time new seconds arrive; a report has #fleetsim-results and draws once, at load.
(function () {
  'use strict';
  var body = document.body;

  function obj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}; }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  // the charts of the last draw, replaced by the next one
  var charts = [];
  var lanesHeight = 0;

  function draw(results, container) {
    results = obj(results);
    charts.forEach(function (c) { c.plot.destroy(); });
    charts = [];
    var series = obj(results.series);
    var rtt = obj(series.rttMillis);
    var faults = arr(results.faults).filter(function (f) { return f && num(f.start) !== null; });
    var duration = num(obj(results.experiment).durationSeconds);

    var names = ['framesPerSecond', 'bytesPerSecond', 'dropsPerSecond', 'lossPercent',
      'tcpGoodputBitsPerSecond', 'tcpRetransmissionsPerSecond'];
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
    function faultColour(index) {
      var c = css.getPropertyValue('--fault-' + (((index % 8) + 8) % 8)).trim();
      return c || '#e8590c';
    }

    // Fault activations as bars in lanes above the plot, so overlapping faults stay apart (shaded
    // bands over the plot blended into one grey). A configured fault keeps one lane for all its
    // activations; it takes the first lane where none of them overlaps another fault's. Past
    // MAX_LANES, faults share the last lane (the legend and the faults table list them all).
    var LANE = 13, LANE_GAP = 2, LANES_BELOW = 5, MAX_LANES = 8;
    var groups = [];
    faults.forEach(function (f, position) {
      var index = typeof f.index === 'number' ? f.index : position;
      var g = null;
      groups.forEach(function (x) { if (x.index === index) { g = x; } });
      if (!g) {
        g = { index: index, colour: faultColour(index), spans: [],
          label: String(f.kind || 'fault') + (f.target ? ' \u2192 ' + f.target : '') };
        groups.push(g);
      }
      g.spans.push([f.start, num(f.end) === null ? xEnd : Math.max(f.end, f.start)]);
    });
    function overlaps(a, b) {
      return a.some(function (p) { return b.some(function (q) { return p[0] < q[1] && q[0] < p[1]; }); });
    }
    var lanes = [];
    groups.forEach(function (g) {
      var l = 0;
      while (l < lanes.length && l < MAX_LANES - 1 && overlaps(lanes[l], g.spans)) { l++; }
      if (l === lanes.length) { lanes.push([]); }
      lanes[l] = lanes[l].concat(g.spans);
      g.lane = l;
    });
    lanesHeight = lanes.length ? lanes.length * (LANE + LANE_GAP) + LANES_BELOW : 0;

    function xPixels(u, span) {
      var b = u.bbox;
      var x0 = Math.max(u.valToPos(span[0], 'x', true), b.left);
      var x1 = Math.min(u.valToPos(span[1], 'x', true), b.left + b.width);
      return x1 >= x0 ? [x0, Math.max(x1 - x0, 2 * devicePixelRatio)] : null;
    }

    // dashed lines where activations start and end, drawn last: drawn first, the gridlines covered
    // those on whole seconds
    function faultEdges(u) {
      var ctx = u.ctx, b = u.bbox, dpr = devicePixelRatio;
      ctx.save();
      ctx.lineWidth = dpr;
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.globalAlpha = 0.8;
      groups.forEach(function (g) {
        ctx.strokeStyle = g.colour;
        g.spans.forEach(function (span) {
          var px = xPixels(u, span);
          if (!px) { return; }
          [px[0], px[0] + px[1]].forEach(function (x) {
            ctx.beginPath();
            ctx.moveTo(Math.round(x) + 0.5, b.top);
            ctx.lineTo(Math.round(x) + 0.5, b.top + b.height);
            ctx.stroke();
          });
        });
      });
      ctx.restore();
    }

    // in the room the padding leaves above the plot: one bar per activation, labelled where it fits
    function faultLanes(u) {
      var ctx = u.ctx, b = u.bbox, dpr = devicePixelRatio;
      var top = b.top - lanesHeight * dpr;
      ctx.save();
      ctx.font = '600 ' + Math.round(10 * dpr) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      groups.forEach(function (g) {
        var y = top + g.lane * (LANE + LANE_GAP) * dpr, h = LANE * dpr;
        g.spans.forEach(function (span) {
          var px = xPixels(u, span);
          if (!px) { return; }
          ctx.fillStyle = g.colour;
          ctx.fillRect(px[0], y, px[1], h);
          if (px[1] > 24 * dpr) {
            ctx.save();
            ctx.beginPath();
            ctx.rect(px[0], y, px[1], h);
            ctx.clip();
            ctx.fillStyle = '#fff';
            ctx.fillText(g.label, px[0] + 4 * dpr, y + h / 2);
            ctx.restore();
          }
        });
      });
      ctx.restore();
    }

    // a redraw counts its charts afresh; the count shown only grows, so it never reads low mid-redraw
    var drawn = {};
    function markDrawn(id) {
      return function () {
        if (!drawn[id]) {
          drawn[id] = true;
          var count = Object.keys(drawn).length;
          if (count > Number(body.dataset.rendered || 0)) {
            body.dataset.rendered = String(count);
          }
        }
      };
    }

    function chart(id, seriesOpts, cols, axes, scales, emptyText) {
      var el = container.querySelector('#' + id);
      if (!el) { return; }
      el.textContent = '';
      el.classList.remove('empty');
      if (!n || !hasData(cols)) {
        el.classList.add('empty');
        el.textContent = emptyText || 'no data';
        return;
      }
      var opts = {
        width: Math.max(el.clientWidth, 300),
        height: 240 + lanesHeight,
        padding: [lanesHeight ? lanesHeight + 8 : null, null, null, null],
        scales: Object.assign({
          x: { time: false, range: function (u, min, max) { return [0, Math.max(xEnd, max, 1)]; } }
        }, scales || {}),
        series: [{ label: 'second' }].concat(seriesOpts),
        axes: [{ label: 'seconds since start', stroke: '#65758b', grid: { stroke: '#eef1f5' } }].concat(axes),
        cursor: { drag: { x: true, y: false } },
        hooks: { draw: [faultEdges, faultLanes, describe(el), markDrawn(id)] }
      };
      el.dataset.faultLanes = String(lanes.length);
      charts.push({ el: el, plot: new uPlot(opts, [xs].concat(cols), el) });
    }

    // what the y axis spans, for headless checks: "log" or "linear", and its range
    function describe(el) {
      return function (u) {
        var y = u.scales[u.series[1].scale || 'y'];
        el.dataset.yScale = y.distr === 3 ? 'log' : 'linear';
        el.dataset.yMin = String(y.min);
        el.dataset.yMax = String(y.max);
      };
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

    // RTTs on a log axis: the first second's replies wait for ARP and a cold JIT (seconds, where
    // the steady state is a fraction of a millisecond); linear, that spike flattened the rest to 0.
    // A log axis has no 0: a reply faster than busybox's resolution (1 us) is drawn at 1 us.
    var RTT_FLOOR = 0.001;
    function positive(values) {
      return column(values).map(function (v) { return v === null ? null : Math.max(v, RTT_FLOOR); });
    }
    // the 1-2-5 step at or below (dir -1) or at or above (dir 1) v, for round gridline labels
    function step125(v, dir) {
      var e = Math.floor(Math.log10(v)), p = Math.pow(10, e), m = v / p;
      var steps = dir < 0 ? [5, 2, 1] : [1, 2, 5, 10];
      for (var i = 0; i < steps.length; i++) {
        if (dir < 0 ? m >= steps[i] - 1e-9 : m <= steps[i] + 1e-9) { return steps[i] * p; }
      }
      return p;
    }
    function logRange(u, min, max) {
      if (!(min > 0) || !(max > 0)) { return [RTT_FLOOR, 1]; }
      return [step125(min / 1.25, -1), step125(max * 1.25, 1)];
    }

    chart('chart-rtt',
      [{ label: 'p50 ms', stroke: '#1b7f3b', width: 2, spanGaps: false },
       { label: 'p99 ms', stroke: '#1f2933', width: 2, spanGaps: false },
       { label: 'max ms', stroke: '#9aa5b1', width: 1, dash: [4, 4], spanGaps: false }],
      [positive(rtt.p50), positive(rtt.p99), positive(rtt.max)],
      [axis('ms (log)', { grid: { stroke: '#f1f3f6' } }), spacer],
      { y: { distr: 3, log: 10, range: logRange } });

    // TCP goodput and retransmissions: a run whose series are all 0 had no TCP traffic to draw
    var goodput = column(series.tcpGoodputBitsPerSecond);
    var retransmits = column(series.tcpRetransmissionsPerSecond);
    var tcpSeen = [goodput, retransmits].some(function (c) { return c.some(function (v) { return v > 0; }); });
    var tcpNone = hasData([goodput, retransmits]) ? 'no TCP traffic' : 'no data';
    function bitRate(u, splits) {
      return splits.map(function (v) {
        var a = Math.abs(v);
        return a >= 1e9 ? +(v / 1e9).toFixed(2) + ' G' : a >= 1e6 ? +(v / 1e6).toFixed(2) + ' M'
          : a >= 1e3 ? +(v / 1e3).toFixed(2) + ' k' : String(v);
      });
    }
    chart('chart-tcp',
      [{ label: 'goodput bit/s', stroke: '#0f766e', width: 2, fill: 'rgba(15,118,110,0.10)', scale: 'bits' },
       { label: 'retransmissions/s', stroke: '#b45309', fill: 'rgba(217,119,6,0.45)', paths: bars, points: { show: false }, scale: 'retx' }],
      tcpSeen ? [goodput, retransmits] : [],
      [axis('bit/s', { scale: 'bits', values: bitRate }),
       axis('retransmissions/s', { scale: 'retx', side: 1, grid: { show: false } })],
      { bits: { range: fromZero }, retx: { range: fromZero } }, tcpNone);
  }

  window.fleetsimCharts = { draw: draw };

  var embedded = document.getElementById('fleetsim-results');
  if (embedded) {
    body.dataset.rendered = '0';
    var results = {};
    try {
      results = obj(JSON.parse(embedded.textContent));
    } catch (e) {
      window.onerror('results JSON unreadable: ' + e.message, 'report.js', 0, 0);
    }
    draw(results, document);
  }

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: Math.max(c.el.clientWidth, 300), height: 240 + lanesHeight }); });
    });
  });
})();
