'use strict';
(function () {
  var D = JSON.parse(document.getElementById('dmswap-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLOR = { ok: 'var(--ok)', failed: 'var(--failed)', noresume: 'var(--noresume)' };
  var STATUS = { ok: 'ok', failed: 'failed', noresume: 'no resume' };
  var ORDER = ['failed', 'noresume', 'ok'];
  /* Below BIN px a cycle is not drawn alone: its bin's counts are, stacked. */
  var ROW = 40, BAR = 16, AXIS = 30, MARK = 6, BIN = 3;
  var origins = {}, multi;
  var $ = function (id) { return document.getElementById(id); };

  D.sessions.forEach(function (s) { origins[s.origin] = true; });
  multi = Object.keys(origins).length > 1;

  /* Text only, never markup: every string comes from the logs. */
  function el(tag, attrs, text, ns) {
    var e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
    for (var k in attrs || {})
      e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null)
      e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) { return el(tag, attrs, text, true); }
  function add(parent, child) { parent.appendChild(child); return child; }
  /* A table row; a cell is a value or { t: value, cls: class, span: colspan }. */
  function row(table, cells, head) {
    var tr = add(table, el('tr'));
    cells.forEach(function (c) {
      var obj = c !== null && typeof c === 'object';
      var td = add(tr, el(head ? 'th' : 'td', null, obj ? c.t : c));
      if (obj && c.cls)
        td.className = c.cls;
      if (obj && c.span)
        td.colSpan = c.span;
    });
    return tr;
  }
  function num(n) { return { t: n, cls: 'n' }; }
  function mono(s) { return { t: s, cls: 'mono' }; }
  function pad(n, w) { return String(n).padStart(w || 2, '0'); }
  function ms(ns) {
    if (ns === null)
      return '-';
    return ns >= 1e9 ? (ns / 1e9).toFixed(3) + ' s' : (ns / 1e6).toFixed(3) + ' ms';
  }
  /* Wall clock, UTC as in the logs, as precise as the axis step needs. */
  function clock(us, step) {
    var d = new Date(Math.floor(us / 1000)), s;
    if (step >= 864e8)
      return d.toISOString().slice(0, 10);
    s = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    if (step >= 6e7)
      return s;
    s += ':' + pad(d.getUTCSeconds());
    if (step >= 1e6)
      return s;
    s += '.' + pad(d.getUTCMilliseconds(), 3);
    return step >= 1e3 ? s : s + pad(Math.floor(us % 1000), 3);
  }
  function devName(dev) { return dev === '-' ? '(no device)' : dev; }
  function cut(s, n) { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }
  function fixText(f) {
    return f.commit + ' "' + f.title + '" (mainline ' + (f.mainline === null ?
      'not recorded' : f.mainline) + '; stable ' + f.stable + ')';
  }

  /* Header: what was read, and the counts of the text report. */
  var tot = { lines: 0, events: 0, violations: 0, read: 0 };
  D.files.forEach(function (f) {
    tot.lines += f.lines;
    tot.events += f.events;
    tot.violations += f.violations;
    tot.read += f.error ? 0 : 1;
  });
  $('summary').textContent = [tot.read + ' of ' + D.files.length + ' files read',
    tot.lines + ' lines', tot.events + ' events', D.violations.length + ' violations',
    D.cycles.length + ' swap cycles', D.sessions.length + ' sessions',
    Object.keys(origins).length + ' hosts'].join(' \u00b7 ');
  row($('files'), ['File', 'Lines', 'Events', 'Violations', 'Notes'], true);
  D.files.forEach(function (f) {
    var notes = [];
    if (f.gzip)
      notes.push('gzip');
    if (f.not_a_log)
      notes.push('no record: not a log');
    if (f.skipped)
      notes.push(f.skipped + ' lines skipped');
    if (f.torn)
      notes.push('last line torn');
    if (f.dropped)
      notes.push(f.dropped + ' events lost (ring buffer full)');
    if (f.error)
      notes.push((f.lines ? 'read error: ' : 'not read: ') + f.error);
    row($('files'), [mono(f.name), num(f.lines), num(f.events), num(f.violations),
      { t: notes.join('; '), cls: f.error || f.not_a_log ? 'warn' : '' }]);
  });
  row($('sessions'), ['#', 'Host', 'Boot', 'Started', 'Kernel', 'Cycles', 'Violations'],
    true);
  D.sessions.forEach(function (s) {
    row($('sessions'), [num(s.number), mono(s.host === null ? s.origin : s.host),
      mono(s.boot_id === null ? '-' : s.boot_id.slice(0, 8)),
      mono(s.started === null ? s.ts : s.started), s.kernel || '-', num(s.cycles),
      num(s.violations)]);
  });
  row($('devices'), ['Host', 'Device', 'Cycles', 'Swaps', 'Failures', 'Violations',
    'Swap p50', 'p99', 'Suspend p50', 'p99'], true);
  D.devices.forEach(function (d) {
    row($('devices'), [mono(d.host), mono(d.dev), num(d.cycles), num(d.swaps),
      num(d.failures), num(d.violations), num(ms(d.swap_p50_ns)), num(ms(d.swap_p99_ns)),
      num(ms(d.suspend_p50_ns)), num(ms(d.suspend_p99_ns))]);
  });
  if (D.counts.length)
    row($('counts'), ['INV', 'Device', 'Count'], true);
  else
    row($('counts'), ['none']);
  D.counts.forEach(function (c) {
    row($('counts'), [c.inv, mono(c.dev), num(c.count)]);
  });

  /* Rows: one per host and device; the cycles in time order. */
  var rows = [], byKey = {}, t0 = Infinity, t1 = -Infinity, undrawn = 0, byLabel = {};
  function rowOf(origin, dev) {
    var key = origin + '\u0000' + dev;
    if (!byKey[key]) {
      byKey[key] = { dev: dev, origin: origin, cycles: [], viols: [], longest: 0 };
      rows.push(byKey[key]);
    }
    return byKey[key];
  }
  D.cycles.forEach(function (c) {
    var r;
    byLabel[c.label] = c;
    if (c.start_us === null) {
      undrawn++;
      return;
    }
    r = rowOf(c.origin, c.dev);
    r.cycles.push(c);
    r.longest = Math.max(r.longest, c.end_us - c.start_us);
    t0 = Math.min(t0, c.start_us);
    t1 = Math.max(t1, c.end_us);
  });
  D.violations.forEach(function (v) {
    if (v.ts_us === null) {
      undrawn++;
      return;
    }
    rowOf(v.origin, v.dev).viols.push(v);
    t0 = Math.min(t0, v.ts_us);
    t1 = Math.max(t1, v.ts_us);
  });
  rows.sort(function (a, b) {
    return a.origin < b.origin ? -1 : a.origin > b.origin ? 1 :
      a.dev < b.dev ? -1 : a.dev > b.dev ? 1 : 0;
  });
  rows.forEach(function (r) {
    r.cycles.sort(function (p, q) { return p.start_us - q.start_us; });
    r.viols.sort(function (p, q) { return p.ts_us - q.ts_us; });
  });
  if (undrawn)
    $('undrawn').textContent = undrawn + ' without a time, not drawn.';

  /* Legend. */
  [['ok', 'ok'], ['failed', 'failed (swap or resume)'], ['noresume', 'no resume']]
    .forEach(function (s) {
      var item = add($('legend'), el('span'));
      var icon = add(item, svg('svg', { width: 16, height: 12 }));
      add(icon, svg('rect', { x: 0, y: 1, width: 16, height: 10, rx: 2,
        fill: COLOR[s[0]] }));
      item.appendChild(document.createTextNode(s[1]));
    });
  var item = add($('legend'), el('span'));
  var icon = add(item, svg('svg', { width: 14, height: 14 }));
  add(icon, svg('path', { d: 'M7 0L13 7L7 14L1 7Z', fill: 'var(--viol)' }));
  item.appendChild(document.createTextNode('violation'));
  item = add($('legend'), el('span'));
  icon = add(item, svg('svg', { width: 10, height: 14 }));
  add(icon, svg('line', { x1: 5, x2: 5, y1: 0, y2: 14, stroke: 'var(--session)',
    'stroke-dasharray': '3 2', 'stroke-width': 2 }));
  item.appendChild(document.createTextNode('start of the tool (session)'));

  var chart = $('chart'), root = null, pinned = null, plot = { left: 0, width: 1 };
  var span = t1 > t0 ? t1 - t0 : 1e6, full = [t0 - span * 0.02, t1 + span * 0.02];
  var view = full.slice();

  /* The first index of sorted @arr whose key(x) >= @t. */
  function lower(arr, t, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (key(arr[mid]) < t)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }
  var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4,
    1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8, 9e8,
    18e8, 36e8, 72e8, 108e8, 216e8, 432e8, 864e8, 1728e8, 6048e8, 24192e8];

  /*
   * The chart for the time window view[0]..view[1]: a band per row; a
   * cycle BIN px or wider is a bar of its own (its label #N is its anchor
   * #cycle-N); narrower ones are counted per BIN px column and drawn as
   * a column split by result, so that no result hides another.
   */
  function draw() {
    var W = Math.max(chart.clientWidth, 640), RIGHT = 16;
    var longest = rows.reduce(function (m, r) {
      return Math.max(m, devName(r.dev).length, multi ? r.origin.length * 0.8 : 0);
    }, 4);
    var LEFT = Math.min(Math.max(longest * 7.5 + 24, 110), 240);
    var H = AXIS + rows.length * ROW + 6, a = view[0], b = view[1];
    var scale = (W - LEFT - RIGHT) / (b - a);
    var x = function (t) { return LEFT + (t - a) * scale; };
    var want = (b - a) / Math.max(2, (W - LEFT - RIGHT) / 110);
    var step = steps.find(function (s) { return s >= want; }) || steps[steps.length - 1];
    var g, t;

    if (root)
      chart.removeChild(root);
    root = add(chart, svg('svg', { width: W, height: H, viewBox: [0, 0, W, H].join(' '),
      role: 'img', 'aria-label': 'swap cycles by host and device over time' }));
    rows.forEach(function (r, ri) {
      var y = AXIS + ri * ROW, mid = y + ROW / 2 + 5;
      if (ri % 2)
        add(root, svg('rect', { x: 0, y: y, width: W, height: ROW, fill: 'var(--band)' }));
      var label = add(root, svg('text', { x: 8, y: mid + (multi ? -3 : 3),
        'font-size': 13, 'font-weight': 600, fill: 'var(--fg)' }, cut(devName(r.dev), 30)));
      add(label, svg('title', null, devName(r.dev)));
      if (multi)
        add(root, svg('text', { x: 8, y: mid + 10, 'font-size': 10.5,
          fill: 'var(--muted)' }, cut(r.origin, 34)));
    });
    for (t = Math.ceil(a / step) * step; t <= b; t += step) {
      var tx = x(t), text = clock(t, step), half = text.length * 3.5;
      add(root, svg('line', { x1: tx, x2: tx, y1: AXIS - 5, y2: H - 6,
        stroke: 'var(--grid)' }));
      if (tx - half > LEFT - 10 && tx + half < W)
        add(root, svg('text', { x: tx, y: AXIS - 10, 'font-size': 11.5,
          fill: 'var(--muted)', 'text-anchor': 'middle' }, text));
    }
    add(root, svg('line', { x1: LEFT, x2: W - RIGHT, y1: AXIS - 5, y2: AXIS - 5,
      stroke: '#aab4be' }));
    add(root, svg('text', { x: 8, y: AXIS - 10, 'font-size': 11.5, fill: 'var(--muted)' },
      'UTC ' + clock(a, 864e8)));
    /*
     * The plot, clipped: a bar half out of the window is cut at its edge.
     * A nested svg, not a clip path: the page refers to no resource by URL.
     */
    plot = { left: LEFT, width: W - LEFT - RIGHT };
    g = add(root, svg('svg', { x: LEFT, y: 0, width: W - LEFT - RIGHT, height: H,
      viewBox: [LEFT, 0, W - LEFT - RIGHT, H].join(' '), overflow: 'hidden' }));
    /* Each start of the tool, on its host's rows. */
    D.sessions.forEach(function (s) {
      if (s.ts_us === null || s.ts_us < a || s.ts_us > b)
        return;
      rows.forEach(function (r, ri) {
        if (r.origin !== s.origin)
          return;
        var sx = x(s.ts_us), y = AXIS + ri * ROW;
        add(g, svg('line', { x1: sx, x2: sx, y1: y + 2, y2: y + ROW - 2,
          stroke: 'var(--session)', 'stroke-width': 2, 'stroke-dasharray': '3 2' }))
          .appendChild(svg('title', null, 'session ' + s.number + ' (' +
            (s.armed ? 'armed ' : 'first record ') + s.ts + ')'));
      });
    });
    rows.forEach(function (r, ri) { drawRow(g, r, ri, x, scale, a, b); });
    $('window').textContent = clock(a, 1) + ' \u2013 ' + clock(b, 1) + ' UTC (' +
      ms((b - a) * 1000) + ')';
    if (pinned)
      repin();
  }

  function drawRow(g, r, ri, x, scale, a, b) {
    var mid = AXIS + ri * ROW + ROW / 2 + 5, top = mid - BAR / 2;
    var i = lower(r.cycles, a - r.longest, function (c) { return c.start_us; });
    var bins = {}, last = -Infinity;
    for (; i < r.cycles.length && r.cycles[i].start_us <= b; i++) {
      var c = r.cycles[i], bx = x(c.start_us), bw = (c.end_us - c.start_us) * scale;
      if (c.end_us < a)
        continue;
      if (bw < BIN) {
        var k = Math.floor((bx - x(a)) / BIN), bin = bins[k];
        if (!bin)
          bin = bins[k] = { x: x(a) + k * BIN, ok: 0, failed: 0, noresume: 0, n: 0, c: c };
        bin[c.status]++;
        bin.n++;
        continue;
      }
      add(g, svg('rect', { x: bx, y: top, width: bw, height: BAR, rx: 2,
        fill: COLOR[c.status] || '#999', 'data-kind': 'cycle', 'data-label': c.label,
        id: 'cycle-' + c.label, tabindex: 0 }));
      if (bw > 30)
        add(g, svg('text', { x: bx + 4, y: mid + 4, 'font-size': 11, fill: '#fff',
          'pointer-events': 'none' }, cut('#' + c.label, Math.floor(bw / 7))));
    }
    Object.keys(bins).forEach(function (k) {
      var bin = bins[k], y = top + BAR;
      /* Stacked by result, each at least a pixel: a failure among many ok shows. */
      ORDER.forEach(function (s) {
        if (!bin[s])
          return;
        var h = Math.max(1.5, BAR * bin[s] / bin.n);
        y -= h;
        add(g, svg('rect', { x: bin.x, y: y, width: BIN - 0.4, height: h,
          fill: COLOR[s] }));
      });
      add(g, svg('rect', { x: bin.x, y: top, width: BIN, height: BAR, fill: 'transparent',
        'data-kind': 'bin', 'data-n': bin.n, 'data-ok': bin.ok, 'data-failed': bin.failed,
        'data-noresume': bin.noresume, 'data-label': bin.c.label }));
    });
    i = lower(r.viols, a, function (v) { return v.ts_us; });
    for (; i < r.viols.length && r.viols[i].ts_us <= b; i++) {
      var v = r.viols[i], vx = x(v.ts_us), n = 1;
      /*
       * Markers a pixel apart stay apart (the tooltip has the exact time),
       * up to a few markers' widths from their place; beyond, the rest of
       * the crowd is one count on the last marker: zoom in to see each.
       */
      if (vx < last + 2 * MARK - 2) {
        if (last + 2 * MARK - 2 - vx > 10 * MARK) {
          while (i + 1 < r.viols.length && x(r.viols[i + 1].ts_us) < last + 2 * MARK - 2) {
            i++;
            n++;
          }
          add(g, svg('text', { x: last + MARK + 1, y: top - 2 * MARK - 4, 'font-size': 10,
            fill: 'var(--viol)' }, '+' + n));
          continue;
        }
        vx = last + 2 * MARK - 2;
      }
      last = vx;
      var mt = top - MARK - 3;
      var d = ['M', vx, mt - MARK, 'L', vx + MARK, mt, 'L', vx + 1, mt + MARK - 1, 'V',
        mid + BAR / 2 + 2, 'H', vx - 1, 'V', mt + MARK - 1, 'L', vx - MARK, mt, 'Z'];
      add(g, svg('path', { d: d.join(' '), fill: 'var(--viol)', stroke: '#fff',
        'stroke-width': 1, 'data-kind': 'violation', 'data-n': v.number,
        id: 'violation-' + v.number, tabindex: 0 }));
    }
  }

  /* Zoom: the wheel, about the pointer; pan: drag; buttons and keys too. */
  function zoom(factor, at) {
    var a = view[0], b = view[1], w = (b - a) * factor;
    var min = 50, f = (at - a) / (b - a);
    if (w < min)
      w = min;
    if (w > full[1] - full[0])
      w = full[1] - full[0];
    a = at - f * w;
    set(a, a + w);
  }
  function set(a, b) {
    var w = b - a;
    if (a < full[0]) {
      a = full[0];
      b = a + w;
    }
    if (b > full[1]) {
      b = full[1];
      a = Math.max(full[0], b - w);
    }
    view = [a, b];
    schedule();
  }
  var frame = 0;
  function schedule() {
    if (!frame)
      frame = requestAnimationFrame(function () { frame = 0; draw(); });
  }
  function timeAt(clientX) {
    var box = root.getBoundingClientRect();
    return view[0] + (clientX - box.left - plot.left) / plot.width * (view[1] - view[0]);
  }
  function centre() { return (view[0] + view[1]) / 2; }
  chart.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX));
  }, { passive: false });
  var drag = null;
  chart.addEventListener('mousedown', function (e) {
    drag = { x: e.clientX, a: view[0], b: view[1] };
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag)
      return;
    var dt = (e.clientX - drag.x) / plot.width * (drag.b - drag.a);
    if (Math.abs(e.clientX - drag.x) > 2) {
      drag.moved = true;
      set(drag.a - dt, drag.b - dt);
    }
  });
  window.addEventListener('mouseup', function () {
    setTimeout(function () { drag = null; }, 0);
  });
  chart.addEventListener('dblclick', function (e) { zoom(0.5, timeAt(e.clientX)); });
  $('zoom-in').addEventListener('click', function () { zoom(0.5, centre()); });
  $('zoom-out').addEventListener('click', function () { zoom(2, centre()); });
  $('zoom-reset').addEventListener('click', function () { set(full[0], full[1]); });
  $('pan-left').addEventListener('click', function () {
    var w = view[1] - view[0];
    set(view[0] - w / 3, view[1] - w / 3);
  });
  $('pan-right').addEventListener('click', function () {
    var w = view[1] - view[0];
    set(view[0] + w / 3, view[1] + w / 3);
  });
  document.addEventListener('keydown', function (e) {
    if (e.target !== document.body)
      return;
    var k = { '+': function () { zoom(0.5, centre()); }, '-': function () { zoom(2, centre()); },
      '0': function () { set(full[0], full[1]); },
      ArrowLeft: function () { $('pan-left').click(); },
      ArrowRight: function () { $('pan-right').click(); } }[e.key];
    if (k)
      k();
  });

  /* The violations as a list in time order: #N is #violation-N. */
  if (D.violations.length)
    row($('viols'), ['#', 'Time (UTC)', 'Host', 'Device', 'Cycle', 'INV', 'Message',
      'Upstream fixes'], true);
  else
    row($('viols'), ['none']);
  D.violations.forEach(function (v) {
    var tr = row($('viols'), [num(v.number), mono(v.ts), mono(v.origin), mono(v.dev),
      v.cycle === null ? '-' : '#' + v.cycle, v.inv, v.message,
      { t: v.fixes.map(fixText).join('\n') || '-', cls: 'fixes' }]);
    tr.addEventListener('click', function () { location.hash = 'violation-' + v.number; });
  });

  /* Tooltips. */
  var tip = $('tip');
  function kv(table, k, v) {
    if (v !== undefined && v !== null && v !== '')
      row(table, [{ t: k, cls: 'k' }, v]);
  }
  function cycleTip(c) {
    var t, ol;
    add(tip, el('h3', null, devName(c.dev) + ' \u2014 cycle #' + c.label));
    t = add(tip, el('table'));
    kv(t, 'Result', c.result + ' (' + (STATUS[c.status] || c.status) + ')');
    kv(t, 'Targets', c.targets);
    kv(t, 'Sectors', c.sectors);
    kv(t, 'Start', c.start);
    kv(t, 'Duration', c.duration);
    kv(t, 'Session', c.session + ', swap ' + c.swap_id);
    kv(t, 'Host', c.origin);
    if (c.instance > 1)
      kv(t, 'Device', 're-created (instance ' + c.instance + ', ' + c.devt + ')');
    c.swaps.forEach(function (s, k) {
      kv(t, 'Swap ' + (k + 1) + ' of ' + (c.swaps.length + 1),
        s.targets + ' ' + s.sectors + ' ' + s.result);
    });
    if (!c.violations.length)
      return;
    add(tip, el('div', { class: 'sect' }, c.violations.length + ' violations'));
    ol = add(tip, el('ol'));
    c.violations.forEach(function (n) {
      var v = D.violations[n - 1];
      add(ol, el('li', null, '#' + n + ' ' + v.inv + ' ' + v.message));
    });
  }
  function binTip(target) {
    var n = +target.getAttribute('data-n');
    add(tip, el('h3', null, n + ' cycles in ' + BIN + ' px'));
    var t = add(tip, el('table'));
    ['ok', 'failed', 'noresume'].forEach(function (s) {
      kv(t, STATUS[s], target.getAttribute('data-' + s));
    });
    add(tip, el('div', { class: 'sect' }, 'zoom in (wheel, double-click) to see each'));
  }
  function violationTip(v) {
    var t, e, ol;
    add(tip, el('h3', null, '#' + v.number + ' ' + v.inv + (v.rule !== null ? ' rule ' +
      v.rule : '') + ' \u2014 ' + devName(v.dev)));
    add(tip, el('p', { class: 'msg' }, v.message));
    t = add(tip, el('table'));
    kv(t, 'Time', v.ts);
    kv(t, 'Cycle', v.cycle === null ? 'outside any cycle' : '#' + v.cycle);
    kv(t, 'Host', v.origin);
    if (v.comm !== null)
      kv(t, 'Task', v.comm + (v.pid === null ? '' : ' (' + v.pid + ')'));
    kv(t, 'Line', D.files[v.file].name + ':' + v.line);
    if (v.evidence.length) {
      add(tip, el('div', { class: 'sect' }, 'Evidence'));
      e = add(tip, el('table', { class: 'mono' }));
      row(e, ['field', 'before', 'after'], true);
      v.evidence.forEach(function (x) {
        if ('before' in x)
          row(e, [x.field, x.before, x.after]);
        else
          row(e, [x.field, { t: x.value, span: 2 }]);
      });
    }
    if (v.fixes.length) {
      add(tip, el('div', { class: 'sect' }, 'Upstream fixes'));
      ol = add(tip, el('ul', { class: 'mono' }));
      v.fixes.forEach(function (f) { add(ol, el('li', null, fixText(f))); });
    }
    if (v.stack.length) {
      add(tip, el('div', { class: 'sect' }, 'Stack'));
      ol = add(tip, el('ol', { class: 'mono' }));
      v.stack.slice(0, 5).forEach(function (f) { add(ol, el('li', null, f)); });
      if (v.stack.length > 5)
        add(tip, el('div', { class: 'mono' },
          '\u2026 ' + (v.stack.length - 5) + ' more frames'));
    }
  }
  function show(target) {
    var kind = target.getAttribute('data-kind'), r, w, h, left, top;
    tip.textContent = '';
    if (kind === 'cycle')
      cycleTip(byLabel[target.getAttribute('data-label')]);
    else if (kind === 'bin')
      binTip(target);
    else
      violationTip(D.violations[+target.getAttribute('data-n') - 1]);
    tip.hidden = false;
    r = target.getBoundingClientRect();
    w = tip.offsetWidth;
    h = tip.offsetHeight;
    left = r.right + 12;
    if (left + w > document.documentElement.clientWidth - 8)
      left = Math.max(8, r.left - w - 12);
    top = Math.max(8, Math.min(r.top - 6, window.innerHeight - h - 8));
    tip.style.left = left + window.scrollX + 'px';
    tip.style.top = top + window.scrollY + 'px';
  }
  function hide() {
    var target = pinned ? $(pinned) : null;
    if (target)
      show(target);
    else
      tip.hidden = true;
  }
  function on(type, fn) {
    chart.addEventListener(type, function (e) {
      if (e.target.getAttribute && e.target.getAttribute('data-kind'))
        fn(e.target);
    });
  }
  on('mouseover', show);
  on('focusin', show);
  on('mouseout', hide);
  on('focusout', hide);
  on('click', function (target) {
    if (drag && drag.moved)
      return;
    if (target.getAttribute('data-kind') === 'bin') {
      zoom(0.1, (timeAt(target.getBoundingClientRect().left) +
        timeAt(target.getBoundingClientRect().right)) / 2);
      return;
    }
    location.hash = target.id === location.hash.slice(1) ? '' : target.id;
  });
  /* The element of the pinned finding, drawn: its tooltip shown, outlined. */
  function repin() {
    var target = pinned ? $(pinned) : null;
    if (target)
      target.classList.add('pinned');
    hide();
  }
  /*
   * #cycle-LABEL or #violation-N pins that tooltip: a link to one finding.
   * Zoomed out, it may be in a bin: the window then narrows around it.
   */
  function pin() {
    var id = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;
    var m = id && /^(cycle|violation)-(.+)$/.exec(id), at = null, w;
    pinned = null;
    if (m && m[1] === 'cycle' && byLabel[m[2]] && byLabel[m[2]].start_us !== null) {
      at = byLabel[m[2]];
      w = (at.end_us - at.start_us) * 40;
      at = [at.start_us, at.end_us];
    } else if (m && m[1] === 'violation' && D.violations[+m[2] - 1] &&
               String(+m[2]) === m[2] && D.violations[+m[2] - 1].ts_us !== null) {
      at = D.violations[+m[2] - 1].ts_us;
      w = 2e6;
      at = [at, at];
    }
    if (at) {
      pinned = id;
      if (!$(id)) {
        w = Math.max(w, 1e3);
        set((at[0] + at[1]) / 2 - w / 2, (at[0] + at[1]) / 2 + w / 2);
        return;
      }
    }
    Array.prototype.forEach.call(chart.querySelectorAll('.pinned'), function (e) {
      e.classList.remove('pinned');
    });
    repin();
  }
  if (rows.length) {
    draw();
  } else {
    add(chart, el('p', { class: 'sub' }, 'No swap cycle in the logs.'));
    $('controls').hidden = true;
  }
  window.addEventListener('hashchange', pin);
  window.addEventListener('resize', schedule);
  pin();
})();
