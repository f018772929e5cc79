// The ops page: polls GET {api}/ops/overview every 2 s, keeps a 10-minute history in memory for the charts, and drives
// the dead-letter routes of docs/ops-api.md. Nothing that came from Redis is ever parsed as HTML: every node is built
// with createElement and filled with textContent.
'use strict';

(() => {
  const POLL_MS = 2000;
  const HISTORY_MS = 10 * 60 * 1000;
  const KEY_STORAGE = 'ordersOps.masterKey';
  const PAGE_SIZE = 50;
  // Distinct on white at ≥ 3:1 (graphics contrast) and told apart by dash pattern too, not by colour alone.
  const SERIES_STYLES = [
    { color: '#0a55b8', dash: '' },
    { color: '#b3261e', dash: '6 3' },
    { color: '#1d6b34', dash: '2 3' },
    { color: '#6a3d9a', dash: '10 3 2 3' },
    { color: '#8a5a00', dash: '1 2' },
  ];

  // The API sits beside the page: /api/ops → /api/ops/overview, whatever the host's route prefix.
  const apiBase = location.pathname.replace(/\/+$/, '');
  const $ = (id) => document.getElementById(id);

  const state = {
    key: null,
    needsKey: false,
    pollTimer: null,
    history: [],             // [{ t, groups: { 'stream/group': { lag, rate } } }]
    lastEntriesRead: {},     // 'stream/group' → { t, entriesRead }
    seriesOrder: [],         // 'stream/group' in the order first seen, so colours stay put
    seriesGroups: {},        // 'stream/group' → { stream, group }, for the labels
    deadLetterMark: null,    // what the dead letters looked like at the last poll (see renderOverview)
    results: new Map(),      // dead-letter id → { text, ok, done, item }: results stay in place across reloads
    openDetails: new Set(),
    dlNext: null,
    bulkMatched: null,
    knownErrorTypes: new Set(),
  };

  // ---------- key handling ----------

  function readKey() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get('code');
    if (fromUrl) {
      sessionStorage.setItem(KEY_STORAGE, fromUrl);
      // The key never stays in the address bar, the history or a bookmark.
      url.searchParams.delete('code');
      history.replaceState(null, '', url.pathname + (url.search ? url.search : '') + url.hash);
    }
    state.key = sessionStorage.getItem(KEY_STORAGE);
  }

  function showKeyPanel() {
    state.needsKey = true;
    stopPolling();
    $('key-panel').hidden = false;
    $('main').setAttribute('aria-hidden', 'true');
    $('main').inert = true;
    setBanner(null);
    const problem = state.key ? 'The key this tab holds was refused: enter the master key.' : 'No key was given: enter the master key, or open this page with ?code=<master key>.';
    $('key-error').textContent = problem;
    setStatus(state.key ? 'The master key was refused.' : 'No master key given.');
    $('key-input').focus();
  }

  function hideKeyPanel() {
    state.needsKey = false;
    $('key-cancel').hidden = true;
    $('key-panel').hidden = true;
    $('main').removeAttribute('aria-hidden');
    $('main').inert = false;
  }

  // ---------- HTTP ----------

  class ApiError extends Error {
    constructor(status, title, detail) {
      super(detail || title || ('HTTP ' + status));
      this.status = status;
      this.title = title;
      this.detail = detail;
    }
  }

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (state.key) headers['x-functions-key'] = state.key;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(apiBase + path, {
        method: options.method || 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      throw new ApiError(0, 'The app is unreachable', 'The request did not reach the app (' + e.message + ').');
    }
    if (response.status === 401) {
      showKeyPanel();
      throw new ApiError(401, 'Master key required', 'The API answered 401: the master key is missing or wrong.');
    }
    let body = null;
    const text = await response.text();
    if (text) {
      try { body = JSON.parse(text); } catch { body = null; }
    }
    if (!response.ok) {
      const title = body && typeof body.title === 'string' ? body.title : 'HTTP ' + response.status;
      const detail = body && typeof body.detail === 'string' ? body.detail : null;
      throw new ApiError(response.status, title, detail);
    }
    return body;
  }

  // ---------- small DOM helpers (text only) ----------

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function cell(text, className) { return el('td', text, className); }

  function emptyRow(colspan, text) {
    const tr = document.createElement('tr');
    const td = cell(text, 'empty');
    td.colSpan = colspan;
    tr.append(td);
    return tr;
  }

  // Dates, times and numbers in the browser's locale (Intl with no locale given), which is also what the date pickers
  // (datetime-local) show: a time read in the table can be typed into a filter as it reads. Numeric fields, so the
  // table's dates line up and compare at a glance.
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const numberFormat = new Intl.NumberFormat(undefined);

  function fmtNumber(n) { return n === null || n === undefined ? '—' : numberFormat.format(Number(n)); }

  function fmtAge(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    const s = Number(seconds);
    if (s < 1) return s.toFixed(1) + ' s';
    if (s < 90) return Math.round(s) + ' s';
    if (s < 5400) return Math.round(s / 60) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  }

  // A lag Redis cannot tell is shown as what it is: '≥ 100' (a capped count) or '~6' (Redis's counters after deletions).
  function fmtLag(group) {
    if (group.lag === null || group.lag === undefined) return '—';
    if (group.lagKind === 'atLeast') return '≥ ' + fmtNumber(group.lag);
    if (group.lagKind === 'estimate') return '~' + fmtNumber(group.lag);
    return fmtNumber(group.lag);
  }

  function fmtRate(r) { return r === null || r === undefined ? '—' : r.toFixed(1) + '/s'; }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : dateTimeFormat.format(d);
  }

  // API texts may or may not end with a full stop; the page's own sentence follows them.
  function sentence(text) { const t = String(text || '').trim(); return /[.!?]$/.test(t) ? t : t + '.'; }

  function setStatus(text) { $('status-line').textContent = text; }

  function setBanner(text) {
    const banner = $('banner');
    if (text) {
      if (banner.textContent !== text) banner.textContent = text;
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
  }

  // ---------- overview polling ----------

  function stopPolling() {
    if (state.pollTimer) clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  function schedulePoll() {
    stopPolling();
    if (!state.needsKey) state.pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    try {
      const overview = await api('/overview');
      setBanner(null);
      renderOverview(overview);
      // The figures are the app's shared snapshot, read at most once per interval whatever the number of viewers.
      const read = overview && overview.generatedAt ? new Date(overview.generatedAt) : new Date();
      setStatus('Figures read ' + timeFormat.format(isNaN(read) ? new Date() : read) + ' · polling every 2 s');
    } catch (e) {
      if (e.status === 401) return; // the key panel took over
      if (e.status === 503) {
        setBanner('Redis cannot be used: the app answered 503 — ' + sentence(e.detail || e.title)
          + ' Retrying every 2 s; this page recovers by itself.');
      } else if (e.status === 0) {
        setBanner('The app is unreachable: ' + e.detail + ' Retrying every 2 s; this page recovers by itself.');
      } else if (e.status === 404) {
        setBanner('The operations API is not available in this app (GET ' + apiBase + '/overview answered 404). Retrying every 2 s.');
      } else {
        setBanner('The overview failed: ' + sentence(e.message) + ' Retrying every 2 s.');
      }
      setStatus('Last attempt ' + timeFormat.format(new Date()) + ' failed');
    } finally {
      schedulePoll();
    }
  }

  function renderOverview(overview) {
    const now = Date.now();
    const streams = Array.isArray(overview && overview.streams) ? overview.streams : [];
    const sample = { t: now, groups: {} };

    const streamRows = [];
    const groupRows = [];
    // Length and newest id per dead-letter stream: a discard and a new dead letter between two polls leave the total as
    // it was, but not this.
    const deadLetterMarks = [];
    const groupNames = [];
    for (const stream of streams) {
      deadLetterMarks.push(stream.name + '=' + Number(stream.deadLetterLength || 0) + '@' + (stream.deadLetterLastId || ''));
      const retention = stream.retention || {};
      const tr = document.createElement('tr');
      tr.append(
        cell(stream.name),
        cell(fmtNumber(stream.length), 'num'),
        cell(fmtAge(stream.oldestEntryAgeSeconds), 'num'),
        cell(retention.floorId || '—'),
        cell(retention.heldBy || (retention.floorId ? 'min-age window' : '—')),
        cell(fmtNumber(stream.deadLetterLength), 'num'),
      );
      streamRows.push(tr);

      for (const group of stream.groups || []) {
        const key = stream.name + '/' + group.name;
        groupNames.push({ stream: stream.name, group: group.name });
        if (!state.seriesOrder.includes(key)) state.seriesOrder.push(key);
        state.seriesGroups[key] = { stream: stream.name, group: group.name };
        const rate = throughput(key, group.entriesRead, now);
        sample.groups[key] = { lag: group.lag, rate };

        const consumers = el('ul', null, 'consumers');
        for (const c of group.consumers || []) {
          const li = document.createElement('li');
          li.append(el('span', c.state, 'state state-' + (['alive', 'idle', 'dead'].includes(c.state) ? c.state : 'idle')));
          li.append(document.createTextNode(' ' + c.name + ' · ' + fmtNumber(c.pending) + ' pending · seen ' + fmtAge(c.idleSeconds) + ' ago'));
          consumers.append(li);
        }
        if (group.consumersNotShown > 0) {
          const states = group.consumerStates || {};
          consumers.append(el('li', '+' + fmtNumber(group.consumersNotShown) + ' more (' + fmtNumber(states.alive) + ' alive, '
            + fmtNumber(states.idle) + ' idle, ' + fmtNumber(states.dead) + ' dead in all)', 'more'));
        }
        if (!consumers.childElementCount) consumers.append(el('li', 'no consumers'));
        const consumersCell = document.createElement('td');
        consumersCell.append(consumers);

        const row = document.createElement('tr');
        row.dataset.group = group.name;
        row.append(
          cell(stream.name),
          cell(group.name),
          cell(fmtLag(group), 'num'),
          cell(fmtNumber(group.pending), 'num'),
          cell(fmtAge(group.oldestPendingAgeSeconds), 'num'),
          // Kept counts; a lower bound while dead letters written before counts existed are still being counted.
          cell((stream.deadLetterCountsExact === false ? '≥ ' : '') + fmtNumber(group.deadLetters), 'num'),
          cell(fmtRate(rate), 'num'),
          consumersCell,
        );
        groupRows.push(row);
      }
    }

    $('streams-body').replaceChildren(...(streamRows.length ? streamRows : [emptyRow(6, 'No streams.')]));
    $('groups-body').replaceChildren(...(groupRows.length ? groupRows : [emptyRow(8, 'No consumer groups.')]));
    updateGroupFilter(groupNames);

    state.history.push(sample);
    while (state.history.length && state.history[0].t < now - HISTORY_MS) state.history.shift();
    renderCharts(now);

    // New dead letters (or fewer, after a discard elsewhere): reload the table, keeping results shown in place.
    const deadLetterMark = deadLetterMarks.join('\n');
    if (state.deadLetterMark !== deadLetterMark) loadDeadLetters(false);
    state.deadLetterMark = deadLetterMark;
  }

  function throughput(key, entriesRead, now) {
    if (entriesRead === null || entriesRead === undefined) return null;
    const previous = state.lastEntriesRead[key];
    state.lastEntriesRead[key] = { t: now, entriesRead: Number(entriesRead) };
    if (!previous || now <= previous.t) return null;
    // A recreated group restarts its counter: show 0 rather than a negative rate.
    return Math.max(0, (Number(entriesRead) - previous.entriesRead) / ((now - previous.t) / 1000));
  }

  function updateGroupFilter(groups) {
    const select = $('f-group');
    const wanted = [...new Set(groups.map((g) => g.group))].sort();
    const have = [...select.options].slice(1).map((o) => o.value);
    if (wanted.join('\n') === have.join('\n')) return;
    const chosen = select.value;
    const options = [el('option', 'All groups')];
    options[0].value = '';
    for (const name of wanted) {
      const option = el('option', name);
      option.value = name;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = wanted.includes(chosen) ? chosen : '';
  }

  // ---------- charts (plain SVG) ----------

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function styleOf(key) { return SERIES_STYLES[state.seriesOrder.indexOf(key) % SERIES_STYLES.length]; }

  // With one stream (the usual case) the group names alone tell the lines apart; 'stream/group' only when needed.
  function labelOf(key) {
    const streams = new Set(Object.values(state.seriesGroups).map((s) => s.stream));
    const names = state.seriesGroups[key];
    return streams.size === 1 && names ? names.group : key;
  }

  function renderCharts(now) {
    renderChart($('throughput-chart'), $('throughput-summary'), 'rate', now, (v) => v.toFixed(1) + '/s');
    renderChart($('lag-chart'), $('lag-summary'), 'lag', now, (v) => fmtNumber(Math.round(v)));
    const legend = state.seriesOrder.map((key) => {
      const li = document.createElement('li');
      const style = styleOf(key);
      const swatch = svg('svg', { width: 28, height: 10, 'aria-hidden': 'true' });
      swatch.append(svg('line', { x1: 0, y1: 5, x2: 28, y2: 5, stroke: style.color, 'stroke-width': 3, 'stroke-dasharray': style.dash }));
      li.append(swatch, document.createTextNode(labelOf(key)));
      return li;
    });
    $('legend').replaceChildren(...legend);
  }

  function renderChart(chart, summary, field, now, format) {
    const W = 600, H = 180, left = 48, right = 8, top = 8, bottom = 22;
    const start = now - HISTORY_MS;
    let highest = 0;
    for (const s of state.history) for (const g of Object.values(s.groups)) if (g[field] != null) highest = Math.max(highest, g[field]);
    let max = highest;
    // Lag is a count: at least 0–4 on the axis, so its labels are whole numbers.
    max = niceCeiling(field === 'lag' ? Math.max(max, 4) : max);
    const x = (t) => left + ((t - start) / HISTORY_MS) * (W - left - right);
    const y = (v) => top + (1 - v / max) * (H - top - bottom);

    const nodes = [];
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      nodes.push(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: i === 0 ? 'axis' : 'grid' }));
      nodes.push(svg('text', { x: left - 4, y: y(v) + 4, 'text-anchor': 'end' }, field === 'rate' ? String(+v.toFixed(2)) : fmtNumber(Math.round(v))));
    }
    for (let m = 10; m >= 0; m -= 2) {
      const t = now - m * 60000;
      nodes.push(svg('text', { x: x(t), y: H - 6, 'text-anchor': m === 0 ? 'end' : m === 10 ? 'start' : 'middle' }, m === 0 ? 'now' : '−' + m + ' min'));
    }
    const latest = [];
    for (const key of state.seriesOrder) {
      const points = [];
      for (const s of state.history) {
        const g = s.groups[key];
        if (g && g[field] != null) points.push(x(s.t).toFixed(1) + ',' + y(g[field]).toFixed(1));
      }
      const style = styleOf(key);
      if (points.length) {
        const line = svg('polyline', { points: points.join(' '), stroke: style.color, 'stroke-dasharray': style.dash });
        line.dataset.series = key;
        nodes.push(line);
      }
      const last = state.history.length ? state.history[state.history.length - 1].groups[key] : null;
      if (last && last[field] != null) latest.push(labelOf(key) + ' ' + format(last[field]));
    }
    chart.replaceChildren(...nodes);
    chart.dataset.points = String(state.history.length);
    chart.dataset.max = String(highest);
    summary.textContent = latest.length ? 'Now: ' + latest.join(' · ') : 'No data yet.';
  }

  // The top of the axis: four grid steps of a round size (1, 2, 2.5 or 5 × 10^n), so the labels stay readable.
  function niceCeiling(v) {
    if (v <= 0) return 1;
    const quarter = v / 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(quarter)));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= quarter) return 4 * step * magnitude;
    return 40 * magnitude;
  }

  // ---------- dead letters ----------

  function filters() {
    const body = {};
    const group = $('f-group').value;
    const errorType = $('f-error').value.trim();
    const from = $('f-from').value;
    const to = $('f-to').value;
    if (group) body.group = group;
    if (errorType) body.errorType = errorType;
    if (from) body.from = new Date(from).toISOString();
    if (to) body.to = new Date(to).toISOString();
    return body;
  }

  function filterQuery(after) {
    const query = new URLSearchParams(filters());
    query.set('limit', String(PAGE_SIZE));
    if (after) query.set('after', after);
    return query.toString();
  }

  // A reload asked for while one runs (a poll saw a change, the filters changed) must not be lost: it runs again once
  // the current one is done, since that one may have read the API before the change.
  let dlLoading = null;
  let dlReloadWanted = false;
  function loadDeadLetters(append) {
    if (state.needsKey) return Promise.resolve();
    if (append) return fetchDeadLetters(true);
    if (dlLoading) {
      dlReloadWanted = true;
      return dlLoading;
    }
    dlLoading = (async () => {
      do {
        dlReloadWanted = false;
        await fetchDeadLetters(false);
      } while (dlReloadWanted && !state.needsKey);
    })().finally(() => { dlLoading = null; });
    return dlLoading;
  }

  async function fetchDeadLetters(append) {
    try {
      const page = await api('/dead-letters?' + filterQuery(append ? state.dlNext : null));
      const items = Array.isArray(page && page.items) ? page.items : [];
      state.dlNext = page && page.next ? page.next : null;
      const shown = append ? items : withSettled(items, state.dlNext);
      const rows = [];
      for (const item of shown) rows.push(...deadLetterRows(item));
      const body = $('dl-body');
      // The API reads a bounded stretch of dead letters per page: a short page with a 'next' means it is still
      // searching, up to the time its cursor (a stream id, milliseconds first) names.
      const searching = state.dlNext && items.length < PAGE_SIZE ? searchedUpTo(state.dlNext) : null;
      if (append) {
        // A page that found nothing said so in a row of its own; what a later page finds takes its place.
        if (rows.length) for (const empty of body.querySelectorAll('td.empty')) empty.parentElement.remove();
        body.append(...rows);
      } else {
        const empty = searching ? 'Nothing matches yet: searched the dead letters up to ' + searching + '.' : 'No dead letters match.';
        body.replaceChildren(...(rows.length ? rows : [emptyRow(9, empty)]));
      }
      for (const item of items) if (item.errorType) state.knownErrorTypes.add(item.errorType);
      $('f-error-types').replaceChildren(...[...state.knownErrorTypes].sort().map((t) => { const o = document.createElement('option'); o.value = t; return o; }));
      $('dl-more').hidden = !state.dlNext;
      $('dl-more').textContent = searching ? 'Search further' : 'Load more';
      $('dl-message').textContent = searching && rows.length ? 'Still searching: searched up to ' + searching + '.' : '';
    } catch (e) {
      if (e.status === 401) return;
      $('dl-message').textContent = 'Could not load dead letters: ' + e.message;
    }
  }

  // A row the operator discarded (or found already gone) is no longer in the API's answer, but it stays in the table,
  // in its place and saying what happened, until the filters change: a reload must not make a result vanish.
  function withSettled(items, next) {
    const listed = new Set(items.map((item) => item.id));
    const last = items.length ? items[items.length - 1].id : null;
    const settled = [];
    for (const [id, result] of state.results) {
      if (!result.done || listed.has(id)) continue;
      if (next && last && compareIds(id, last) > 0) continue; // it belongs to a page not loaded
      settled.push(result.item);
    }
    return settled.length ? [...items, ...settled].sort((a, b) => compareIds(a.id, b.id)) : items;
  }

  // The time a dead-letter cursor (a stream id) stands for, in the page's date format.
  function searchedUpTo(cursor) {
    const ms = Number(String(cursor).split('-')[0]);
    return isNaN(ms) ? String(cursor) : dateTimeFormat.format(new Date(ms));
  }

  // Dead-letter ids are stream ids, "milliseconds-sequence"; the API lists them oldest first.
  function compareIds(a, b) {
    const [am, as] = String(a).split('-').map(Number);
    const [bm, bs] = String(b).split('-').map(Number);
    return am !== bm ? am - bm : as - bs;
  }

  function forgetSettled() {
    for (const [id, result] of state.results) if (result.done) state.results.delete(id);
  }

  function deadLetterRows(item) {
    const row = document.createElement('tr');
    row.dataset.id = item.id;
    const reason = document.createElement('td');
    reason.append(el('div', item.errorMessage || '—', 'reason'));

    const actions = document.createElement('td');
    const wrap = el('div', null, 'actions');
    const replay = el('button', 'Replay');
    replay.type = 'button';
    replay.setAttribute('aria-label', 'Replay ' + item.id + ' to ' + item.group);
    replay.addEventListener('click', () => replayOne(item, row, replay));
    const discard = el('button', 'Discard', 'danger');
    discard.type = 'button';
    discard.setAttribute('aria-label', 'Discard ' + item.id);
    discard.addEventListener('click', () => discardOne(item, row, discard));
    const details = el('button', state.openDetails.has(item.id) ? 'Hide' : 'Details');
    details.type = 'button';
    details.setAttribute('aria-expanded', state.openDetails.has(item.id) ? 'true' : 'false');
    details.setAttribute('aria-label', 'Fields of ' + item.id);
    details.addEventListener('click', () => toggleDetails(item, row, details));
    wrap.append(replay, discard, details);
    actions.append(wrap);

    const result = cell('');
    result.className = 'result-cell';
    result.setAttribute('role', 'status');
    const previous = state.results.get(item.id);
    if (previous) {
      result.textContent = previous.text;
      result.classList.add(previous.ok ? 'ok' : 'bad');
      if (previous.done) { replay.disabled = true; discard.disabled = true; }
    }

    row.append(
      cell(fmtTime(item.failedAt)),
      cell(item.group),
      cell(item.orderId || ('entry ' + (item.originalId || '?')), 'mono'),
      cell(item.errorType || '—'),
      reason,
      cell(fmtNumber(item.deliveryCount), 'num'),
      cell(fmtNumber(item.replays), 'num'),
      actions,
      result,
    );
    const rows = [row];
    if (state.openDetails.has(item.id)) {
      const detailRow = detailsRow(item.id);
      rows.push(detailRow);
      fillDetails(item.id, detailRow);
    }
    return rows;
  }

  function detailsRow(id) {
    const tr = document.createElement('tr');
    tr.className = 'details';
    tr.dataset.detailsFor = id;
    const td = cell('Loading the original entry…');
    td.colSpan = 9;
    tr.append(td);
    return tr;
  }

  async function fillDetails(id, tr) {
    const td = tr.firstChild;
    try {
      const item = await api('/dead-letters/' + encodeURIComponent(id));
      const list = el('dl', null, 'fields');
      const fields = item && item.fields && typeof item.fields === 'object' ? item.fields : {};
      for (const [name, value] of Object.entries(fields)) {
        const json = readableJson(value);
        list.append(el('dt', name), json === null ? el('dd', value) : el('dd', json, 'json'));
      }
      td.replaceChildren(el('strong', 'Original entry ' + (item.originalId || '') + ' in ' + (item.stream || '')), list);
    } catch (e) {
      td.textContent = 'Could not load the entry: ' + e.message;
    }
  }

  // The app writes payloads with JSON escapes (\u003C for '<', \u0022 …): shown raw, an operator reads escapes, not
  // the order. A JSON object or array is shown re-indented and unescaped, still as text only; anything else as stored.
  function readableJson(value) {
    const text = String(value);
    if (!/^\s*[{[]/.test(text)) return null;
    try {
      const parsed = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' ? JSON.stringify(parsed, null, 2) : null;
    } catch {
      return null;
    }
  }

  function toggleDetails(item, row, button) {
    const open = row.nextElementSibling && row.nextElementSibling.dataset.detailsFor === item.id;
    if (open) {
      row.nextElementSibling.remove();
      state.openDetails.delete(item.id);
      button.textContent = 'Details';
      button.setAttribute('aria-expanded', 'false');
    } else {
      const tr = detailsRow(item.id);
      row.after(tr);
      state.openDetails.add(item.id);
      button.textContent = 'Hide';
      button.setAttribute('aria-expanded', 'true');
      fillDetails(item.id, tr);
    }
  }

  function showResult(item, row, text, ok, done) {
    state.results.set(item.id, { text, ok, done, item });
    // The table may have been reloaded while the dialog was open or the request ran: write to the row shown now.
    const current = [...$('dl-body').querySelectorAll('tr[data-id]')].find((tr) => tr.dataset.id === item.id);
    if (current) row = current;
    else if (done) loadDeadLetters(false); // reloaded without it while the request ran: bring it back, settled
    const target = row.querySelector('.result-cell');
    target.textContent = text;
    target.classList.toggle('ok', ok);
    target.classList.toggle('bad', !ok);
    if (done) row.querySelectorAll('.actions button:not([aria-expanded])').forEach((b) => { b.disabled = true; });
  }

  async function replayOne(item, row, button) {
    if (!(await confirmAction('Replay dead letter', 'Replay entry ' + item.id + ' (order ' + (item.orderId || 'unknown') + ') to group "' + item.group + '" only? Other groups will not see it again.', 'Replay', button))) return;
    await act(item, row, '/dead-letters/' + encodeURIComponent(item.id) + '/replay', (r) => 'Replayed to ' + r.group + ' as ' + r.newEntryId);
  }

  async function discardOne(item, row, button) {
    if (!(await confirmAction('Discard dead letter', 'Discard entry ' + item.id + ' of group "' + item.group + '"? It will not be replayed.', 'Discard', button))) return;
    await act(item, row, '/dead-letters/' + encodeURIComponent(item.id) + '/discard', () => 'Discarded');
  }

  async function act(item, row, path, describe) {
    showResult(item, row, 'Working…', true, false);
    try {
      const result = await api(path, { method: 'POST', body: {} });
      showResult(item, row, describe(result || {}), true, true);
    } catch (e) {
      if (e.status === 401) { showResult(item, row, 'Master key required.', false, false); return; }
      showResult(item, row, (e.status ? e.status + ' ' : '') + (e.detail || e.title || e.message), false, e.status === 409 || e.status === 404);
    }
  }

  async function bulkCount() {
    const out = $('bulk-result');
    out.className = 'result';
    out.textContent = 'Counting…';
    $('bulk-replay').disabled = true;
    state.bulkMatched = null;
    try {
      const r = await api('/dead-letters/replay', { method: 'POST', body: { ...filters(), dryRun: true } });
      state.bulkMatched = { count: Number(r.matched), filters: JSON.stringify(filters()) };
      out.textContent = r.matched + ' dead letter(s) match the filters (dry run, nothing replayed).';
      out.classList.add('ok');
      $('bulk-replay').disabled = !(r.matched > 0);
      $('bulk-replay').textContent = 'Replay ' + r.matched + ' matching…';
    } catch (e) {
      if (e.status === 401) return;
      out.textContent = 'Dry run failed: ' + (e.detail || e.message);
      out.classList.add('bad');
    }
  }

  async function bulkReplay() {
    const out = $('bulk-result');
    const button = $('bulk-replay');
    if (!state.bulkMatched || state.bulkMatched.filters !== JSON.stringify(filters())) {
      out.className = 'result bad';
      out.textContent = 'The filters changed since the dry run: count again first.';
      button.disabled = true;
      return;
    }
    if (!(await confirmAction('Replay by filter', 'Replay the ' + state.bulkMatched.count + ' dead letter(s) that match the filters, each to its own group?', 'Replay all', button))) return;
    out.className = 'result';
    out.textContent = 'Replaying…';
    button.disabled = true;
    try {
      const r = await api('/dead-letters/replay', { method: 'POST', body: { ...filters(), dryRun: false } });
      out.textContent = 'Matched ' + r.matched + ': replayed ' + (r.replayed ?? 0) + ', skipped ' + (r.skipped ?? 0) + '.';
      out.classList.add('ok');
      state.bulkMatched = null;
      button.textContent = 'Replay matching…';
      loadDeadLetters(false);
    } catch (e) {
      if (e.status === 401) return;
      out.textContent = 'Bulk replay failed: ' + (e.detail || e.message);
      out.classList.add('bad');
    }
  }

  // ---------- confirmation dialog ----------

  function confirmAction(title, text, okLabel, opener) {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = okLabel;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => {
        // Focus goes back where the operator was (the button may have been disabled by the result: then its row).
        if (opener && !opener.disabled && opener.isConnected) opener.focus();
        resolve(dialog.returnValue === 'ok');
      }, { once: true });
      dialog.returnValue = 'cancel';
      dialog.showModal();
      $('confirm-cancel').focus(); // the safe choice has the focus
    });
  }

  // ---------- wiring ----------

  function start() {
    readKey();
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('key-input').value.trim();
      if (!value) return;
      sessionStorage.setItem(KEY_STORAGE, value);
      state.key = value;
      $('key-input').value = '';
      hideKeyPanel();
      setStatus('Trying the key…');
      state.deadLetterMark = null;
      begin();
    });
    $('change-key').addEventListener('click', () => {
      showKeyPanel();
      $('key-error').textContent = '';
      $('key-cancel').hidden = !state.key; // opened by choice, not by a 401: the current key may be kept
      setStatus('Enter a master key.');
    });
    $('key-cancel').addEventListener('click', () => {
      hideKeyPanel();
      $('change-key').focus();
      begin();
    });
    $('dl-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      state.bulkMatched = null;
      $('bulk-replay').disabled = true;
      forgetSettled();
      loadDeadLetters(false);
    });
    $('f-clear').addEventListener('click', () => {
      $('dl-filters').reset();
      state.bulkMatched = null;
      $('bulk-replay').disabled = true;
      forgetSettled();
      loadDeadLetters(false);
    });
    $('dl-more').addEventListener('click', () => loadDeadLetters(true));
    $('bulk-count').addEventListener('click', bulkCount);
    $('bulk-replay').addEventListener('click', bulkReplay);
    renderCharts(Date.now());
    begin();
  }

  // The key is checked first, on a data-free Admin route, so a missing or wrong key shows the key panel at once;
  // any other answer (even a failure) starts polling, and the overview's own answers drive the banner.
  async function begin() {
    try {
      await api('/key-check');
    } catch (e) {
      if (e.status === 401) return; // the key panel took over
    }
    poll();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
