'use strict';
(function () {
  var D = JSON.parse(document.getElementById('dmswap-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLOR = { ok: 'var(--ok)', failed: 'var(--failed)', noresume: 'var(--noresume)' };
  var STATUS = { ok: 'ok', failed: 'failed', noresume: 'no resume' };
  var ROW = 44, BAR = 18, AXIS = 30, MARK = 6, multi = D.files.length > 1;
  var $ = function (id) { return document.getElementById(id); };

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

  /* Header: what was read, and the counts of the text report. */
  var tot = { lines: 0, events: 0, violations: 0, read: 0 };
  D.files.forEach(function (f) {
    tot.lines += f.lines;
    tot.events += f.events;
    tot.violations += f.violations;
    tot.read += f.error ? 0 : 1;
  });
  $('summary').textContent = [tot.read + ' of ' + D.files.length + ' files read',
    tot.lines + ' lines', tot.events + ' events', tot.violations + ' violations',
    D.cycles.length + ' swap cycles'].join(' \u00b7 ');
  row($('files'), ['File', 'Lines', 'Events', 'Violations', 'Kernel', 'Notes'], true);
  D.files.forEach(function (f) {
    var notes = [];
    if (f.skipped)
      notes.push(f.skipped + ' lines skipped');
    if (f.torn)
      notes.push('last line torn');
    if (f.dropped)
      notes.push(f.dropped + ' events lost (ring buffer full)');
    if (f.error)
      notes.push((f.lines ? 'read error: ' : 'not read: ') + f.error);
    row($('files'), [mono(f.name), num(f.lines), num(f.events), num(f.violations),
      f.kernels.join(', ') || '-', { t: notes.join('; '), cls: 'warn' }]);
  });
  if (D.counts.length)
    row($('counts'), ['INV', 'Device', 'Count'], true);
  else
    row($('counts'), ['none']);
  D.counts.forEach(function (c) {
    row($('counts'), [c.inv, mono(c.dev), num(c.count)]);
  });

  /* Rows: one per device, per file too when there are several. */
  var rows = [], byKey = {}, t0 = Infinity, t1 = -Infinity, undrawn = 0;
  function rowOf(file, dev) {
    var key = (multi ? file + '/' : '') + dev;
    if (!byKey[key]) {
      byKey[key] = { dev: dev, file: file, cycles: [], viols: [] };
      rows.push(byKey[key]);
    }
    return byKey[key];
  }
  D.cycles.forEach(function (c, i) {
    c.i = i;
    if (c.start_us === null) {
      undrawn++;
      return;
    }
    rowOf(c.file, c.dev).cycles.push(c);
    t0 = Math.min(t0, c.start_us);
    t1 = Math.max(t1, c.end_us);
  });
  D.violations.forEach(function (v, i) {
    v.i = i;
    if (v.ts_us === null) {
      undrawn++;
      return;
    }
    rowOf(v.file, v.dev).viols.push(v);
    t0 = Math.min(t0, v.ts_us);
    t1 = Math.max(t1, v.ts_us);
  });
  rows.sort(function (a, b) {
    return a.dev < b.dev ? -1 : a.dev > b.dev ? 1 : a.file - b.file;
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

  var chart = $('chart');
  if (rows.length)
    draw();
  else
    add(chart, el('p', { class: 'sub' }, 'No swap cycle in the logs.'));

  /* The chart: a time axis on top, a band per row. */
  function draw() {
    var W = Math.max(chart.clientWidth, 640), RIGHT = 20;
    var longest = rows.reduce(function (m, r) {
      return Math.max(m, devName(r.dev).length);
    }, 4);
    var LEFT = Math.min(Math.max(longest * 7.5 + 24, 110), 260);
    var H = AXIS + rows.length * ROW + 6;
    var margin = t1 > t0 ? (t1 - t0) * 0.03 : 5e5, a = t0 - margin, b = t1 + margin;
    var x = function (t) { return LEFT + (t - a) / (b - a) * (W - LEFT - RIGHT); };
    var root = add(chart, svg('svg', { width: W, height: H,
      viewBox: [0, 0, W, H].join(' '), role: 'img',
      'aria-label': 'swap cycles by device over time' }));
    /* Ticks about every 110 px, at round times (microseconds). */
    var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4,
      1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8, 9e8,
      18e8, 36e8, 72e8, 108e8, 216e8, 432e8, 864e8, 1728e8, 6048e8, 24192e8];
    var want = (b - a) / Math.max(2, (W - LEFT - RIGHT) / 110);
    var step = steps.find(function (s) { return s >= want; }) || steps.pop();

    rows.forEach(function (r, ri) {
      var y = AXIS + ri * ROW, mid = y + ROW / 2 + 5;
      if (ri % 2)
        add(root, svg('rect', { x: 0, y: y, width: W, height: ROW,
          fill: 'var(--band)' }));
      var label = add(root, svg('text', { x: 8, y: mid + (multi ? -2 : 4),
        'font-size': 13, 'font-weight': 600, fill: 'var(--fg)' },
        cut(devName(r.dev), 32)));
      add(label, svg('title', null, devName(r.dev)));
      if (multi)
        add(root, svg('text', { x: 8, y: mid + 11, 'font-size': 10.5,
          fill: 'var(--muted)' }, cut(D.files[r.file].name, 36)));
    });
    for (var t = Math.ceil(a / step) * step; t <= b; t += step) {
      var tx = x(t), text = clock(t, step), half = text.length * 3.5;
      add(root, svg('line', { x1: tx, x2: tx, y1: AXIS - 5, y2: H - 6,
        stroke: 'var(--grid)' }));
      /* No label cut at the right edge, nor over the date. */
      if (tx - half > 110 && tx + half < W)
        add(root, svg('text', { x: tx, y: AXIS - 10, 'font-size': 11.5,
          fill: 'var(--muted)', 'text-anchor': 'middle' }, text));
    }
    add(root, svg('line', { x1: LEFT, x2: W - RIGHT, y1: AXIS - 5, y2: AXIS - 5,
      stroke: '#aab4be' }));
    add(root, svg('text', { x: 8, y: AXIS - 10, 'font-size': 11.5,
      fill: 'var(--muted)' }, 'UTC ' + clock(a, 864e8)));

    rows.forEach(function (r, ri) {
      var mid = AXIS + ri * ROW + ROW / 2 + 5, last = -Infinity;
      r.cycles.forEach(function (c) {
        var bx = x(c.start_us), bw = Math.max(x(c.end_us) - bx, 4);
        add(root, svg('rect', { x: bx, y: mid - BAR / 2, width: bw, height: BAR,
          rx: 3, fill: COLOR[c.status] || '#999', 'data-kind': 'cycle',
          'data-i': c.i, id: 'cycle-' + c.i, tabindex: 0 }));
        if (bw > 34)
          add(root, svg('text', { x: bx + 5, y: mid + 4, 'font-size': 11,
            fill: '#fff', 'pointer-events': 'none' },
            cut('#' + c.swap_id, Math.floor(bw / 7))));
      });
      /* Violations a pixel apart stay apart: the tooltip has the exact time. */
      r.viols.sort(function (p, q) { return p.ts_us - q.ts_us; });
      r.viols.forEach(function (v) {
        var vx = Math.max(x(v.ts_us), last + 2 * MARK - 2);
        var top = mid - BAR / 2 - MARK - 3;
        /* A pin: a diamond above the bar, its needle through it. */
        var d = ['M', vx, top - MARK, 'L', vx + MARK, top, 'L', vx + 1,
          top + MARK - 1, 'V', mid + BAR / 2 + 2, 'H', vx - 1, 'V',
          top + MARK - 1, 'L', vx - MARK, top, 'Z'];
        last = vx;
        add(root, svg('path', { d: d.join(' '), fill: 'var(--viol)',
          stroke: '#fff', 'stroke-width': 1, 'data-kind': 'violation',
          'data-i': v.i, id: 'violation-' + v.i, tabindex: 0 }));
      });
    });
  }

  /* The violations as a list in time order, each a link to its marker. */
  var list = D.violations.slice().sort(function (p, q) {
    var tp = p.ts_us === null ? Infinity : p.ts_us;
    var tq = q.ts_us === null ? Infinity : q.ts_us;
    return tp - tq || p.file - q.file || p.line - q.line;
  });
  if (list.length)
    row($('viols'), ['Time (UTC)', 'Device', 'Swap', 'INV', 'Message'], true);
  else
    row($('viols'), ['none']);
  list.forEach(function (v) {
    var tr = row($('viols'), [mono(v.ts), mono(v.dev),
      v.swap_id === null ? '-' : v.swap_id, v.inv, v.message]);
    tr.addEventListener('click', function () { location.hash = 'violation-' + v.i; });
  });

  /* Tooltips. */
  var tip = $('tip');
  function kv(table, k, v) {
    if (v !== undefined && v !== null && v !== '')
      row(table, [{ t: k, cls: 'k' }, v]);
  }
  function cycleTip(c) {
    var t, ol;
    add(tip, el('h3', null, devName(c.dev) + ' \u2014 swap ' + c.swap_id));
    t = add(tip, el('table'));
    kv(t, 'Result', c.result + ' (' + (STATUS[c.status] || c.status) + ')');
    kv(t, 'Targets', c.targets);
    kv(t, 'Sectors', c.sectors);
    kv(t, 'Start', c.start);
    kv(t, 'Duration', c.duration);
    if (multi)
      kv(t, 'File', D.files[c.file].name);
    c.swaps.forEach(function (s, k) {
      kv(t, 'Swap ' + (k + 1) + ' of ' + (c.swaps.length + 1),
        s.targets + ' ' + s.sectors + ' ' + s.result);
    });
    if (!c.violations.length)
      return;
    add(tip, el('div', { class: 'sect' }, c.violations.length + ' violations'));
    ol = add(tip, el('ol'));
    c.violations.forEach(function (i) {
      add(ol, el('li', null, D.violations[i].inv + ' ' + D.violations[i].message));
    });
  }
  function violationTip(v) {
    var t, e, ol;
    add(tip, el('h3', null, v.inv + (v.rule !== null ? ' rule ' + v.rule : '') +
      ' \u2014 ' + devName(v.dev)));
    add(tip, el('p', { class: 'msg' }, v.message));
    t = add(tip, el('table'));
    kv(t, 'Time', v.ts);
    kv(t, 'Swap', v.swap_id === null ? 'outside any cycle' : v.swap_id);
    if (v.comm !== null)
      kv(t, 'Task', v.comm + (v.pid === null ? '' : ' (' + v.pid + ')'));
    kv(t, 'Line', (multi ? D.files[v.file].name + ':' : '') + v.line);
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
    var i = +target.getAttribute('data-i'), r, w, h, left, top;
    tip.textContent = '';
    if (target.getAttribute('data-kind') === 'cycle')
      cycleTip(D.cycles[i]);
    else
      violationTip(D.violations[i]);
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
  var pinned = null;
  function hide() {
    if (pinned)
      show(pinned);
    else
      tip.hidden = true;
  }
  function on(type, fn) {
    chart.addEventListener(type, function (e) {
      if (e.target.dataset && e.target.dataset.kind)
        fn(e.target);
    });
  }
  on('mouseover', show);
  on('focusin', show);
  on('mouseout', hide);
  on('focusout', hide);
  on('click', function (target) {
    location.hash = target.id === location.hash.slice(1) ? '' : target.id;
  });
  /* #cycle-N or #violation-N pins that tooltip: a link to one finding. */
  function pin() {
    var target = location.hash.length > 1 ? $(location.hash.slice(1)) : null;
    if (pinned)
      pinned.classList.remove('pinned');
    pinned = target && target.dataset.kind ? target : null;
    if (pinned)
      pinned.classList.add('pinned');
    hide();
  }
  window.addEventListener('hashchange', pin);
  pin();
})();
