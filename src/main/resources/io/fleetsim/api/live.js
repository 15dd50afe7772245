// fleetsim live page: polls /status, /series (only the seconds it has not got) and /faults each
// second, redraws the report's charts when something changed, lists the faults with a button to
// end each active one. body.dataset.updates counts the polls done, for headless checks.
(function () {
  'use strict';
  var body = document.body;
  body.dataset.updates = '0';
  var POLL_MS = 1000;
  // the page's own ?token= goes with every request, as a header (not into logs via URLs)
  var token = new URLSearchParams(location.search).get('token');

  function api(path, method) {
    var headers = {};
    if (token) { headers.Authorization = 'Bearer ' + token; }
    return fetch(path, { method: method || 'GET', headers: headers, cache: 'no-store' })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) { throw new Error(path + ': ' + r.status + ' ' + (j.error || JSON.stringify(j))); }
          return j;
        });
      });
  }

  function text(id, value) { document.getElementById(id).textContent = value; }
  function seconds(v) { return typeof v === 'number' ? v.toFixed(1) + ' s' : '\u2013'; }

  function showStatus(s) {
    text('live-name', s.name || 'fleetsim');
    document.title = (s.name || 'fleetsim') + ' \u00b7 fleetsim live';
    text('live-kind', s.kind);
    text('live-clock', s.clock);
    text('live-state', s.state);
    text('live-elapsed', seconds(s.elapsedSeconds) +
      (typeof s.durationSeconds === 'number' ? ' of ' + seconds(s.durationSeconds) : ''));
    text('live-vms', s.vmsRunning + ' of ' + s.vmCount);
    text('live-readonly', s.readOnly ? 'read-only: ' + s.readOnly : '');
  }

  // the results so far, in results.json's shape, grown by each poll's new seconds
  var results = { experiment: {}, series: { rttMillis: {} }, faults: [] };
  var next = 1;
  var drawnFaults = null;

  function append(into, from) {
    Object.keys(from).forEach(function (k) {
      if (Array.isArray(from[k])) {
        into[k] = (into[k] || []).concat(from[k]);
      } else if (from[k] && typeof from[k] === 'object') {
        append(into[k] = into[k] || {}, from[k]);
      }
    });
  }

  function merge(part) {
    results.experiment = part.experiment;
    results.faults = part.faults;
    append(results.series, part.series);
    var got = part.series.seconds || [];
    if (got.length) { next = got[got.length - 1] + 1; }
    var faults = JSON.stringify(part.faults);
    if (got.length || faults !== drawnFaults) {
      drawnFaults = faults;
      window.fleetsimCharts.draw(live(), document);
    }
  }

  // drawn as far as now: the x axis grows with the seconds (not the whole duration, which
  // squeezed the first minutes of a long run to the left), a fault still on ends at now
  function live() {
    var secs = results.series.seconds || [];
    var now = secs.length ? secs[secs.length - 1] : 0;
    return {
      experiment: { name: results.experiment.name },
      series: results.series,
      faults: results.faults.map(function (f) {
        return typeof f.end === 'number' ? f : Object.assign({}, f, { end: Math.max(now, f.start) });
      })
    };
  }

  function periods(f) {
    return f.periods.map(function (p) {
      return p.start.toFixed(1) + '\u2013' + (typeof p.end === 'number' ? p.end.toFixed(1) : '') +
        (p.endedBy ? ' (ended by ' + p.endedBy + ')' : '');
    }).join(', ');
  }

  // rebuilt only when a fault changed: a row replaced under the pointer would swallow a click
  var shownFaults = null;
  function showFaults(faults) {
    var json = JSON.stringify(faults);
    if (json === shownFaults) { return; }
    shownFaults = json;
    var tbody = document.querySelector('#live-faults tbody');
    tbody.textContent = '';
    faults.forEach(function (f) {
      var tr = document.createElement('tr');
      tr.className = f.state;
      tr.dataset.faultId = f.id;
      [f.id, f.source, f.kind, f.target, f.description, f.state, periods(f)].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      });
      var cell = document.createElement('td');
      if (f.state === 'active') {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'end-fault';
        b.dataset.faultId = f.id;
        b.textContent = 'end';
        b.addEventListener('click', function () { end(f.id, b); });
        cell.appendChild(b);
      }
      tr.appendChild(cell);
      tbody.appendChild(tr);
    });
    document.getElementById('live-no-faults').hidden = faults.length > 0;
  }

  function end(id, button) {
    button.disabled = true;
    api('/faults/' + encodeURIComponent(id), 'DELETE')
      .then(function () { return api('/faults'); })
      .then(function (faults) { showFaults(faults); text('live-problem', ''); })
      .catch(function (e) { button.disabled = false; text('live-problem', e.message); });
  }

  function poll() {
    Promise.all([api('/status'), api('/series?from=' + next), api('/faults')])
      .then(function (got) {
        showStatus(got[0]);
        merge(got[1]);
        showFaults(got[2]);
        text('live-problem', '');
      })
      .catch(function (e) { text('live-problem', 'cannot reach the API: ' + e.message); })
      .then(function () {
        body.dataset.updates = String(Number(body.dataset.updates) + 1);
        setTimeout(poll, POLL_MS);
      });
  }
  poll();
})();
