// The console's live view: one server-sent `snapshot` a second (GET /console/stream) redraws the
// state word, cards, positions, open orders, trades, timeline, alerts and components; the chart
// (chart.js) reads GET /console/history for the chosen range. Every value goes in through
// textContent: nothing from the server is parsed as HTML. Controls live in controls.js.
'use strict';
(function () {
  const $ = (s) => document.querySelector(s);
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) n.setAttribute(k, v);
    for (const k of kids) if (k != null) n.append(k);
    return n;
  };
  const time = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const usd = (x) =>
    x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const signed = (x) => (x > 0 ? '+' : '') + usd(x);

  /** A table whose cells carry their column's name (narrow screens show each row as a card). */
  function table(section, columns, rows, empty, rowAttrs) {
    const body = $(`#${section} .body`);
    body.textContent = '';
    if (!rows.length) return void body.append(el('p', { class: 'muted' }, empty));
    const head = el('tr', {}, ...columns.map(([, label]) => el('th', { scope: 'col' }, label)));
    const trs = rows.map((r) =>
      el(
        'tr',
        rowAttrs(r),
        ...columns.map(([key, label, cls]) =>
          el(
            'td',
            { 'data-label': label, class: typeof cls === 'function' ? cls(r) : cls },
            String(r[key] ?? ''),
          ),
        ),
      ),
    );
    body.append(el('table', {}, el('thead', {}, head), el('tbody', {}, ...trs)));
  }

  function renderState(s) {
    const word = $('[data-field="state"]');
    word.textContent = s.state.word;
    word.className = `state state-${s.state.word}`;
    document.title = `${s.state.word} · AIS Worker`;
    const since = s.state.sinceMs ? ` since ${time(s.state.sinceMs)} UTC` : '';
    $('[data-field="state-detail"]').textContent = s.state.reason
      ? `${s.state.reason}${since}`
      : since.trim();
  }

  function renderCards(s) {
    const root = $('#cards .cards');
    root.textContent = '';
    for (const c of s.cards) {
      const bar = el('div', { class: 'bar' }, el('span'));
      bar.firstChild.style.width = `${Math.min(100, c.used * 100).toFixed(1)}%`;
      root.append(
        el(
          'div',
          { class: `card level-${c.level}`, 'data-card': c.key },
          el('span', { class: 'label' }, c.label),
          el('b', { 'data-value': '' }, c.text),
          c.limitText ? el('span', { class: 'limit' }, `limit ${c.limitText}`) : null,
          c.sub ? el('span', { class: 'sub' }, c.sub) : null,
          c.limitText ? bar : null,
        ),
      );
    }
  }

  function renderTables(s) {
    table(
      'positions',
      [
        ['symbol', 'Symbol'],
        ['side', 'Side', (r) => (r.side === 'LONG' ? 'good' : 'bad')],
        ['quantity', 'Quantity', 'num'],
        ['entry', 'Entry', 'num'],
        ['mark', 'Mark', 'num'],
        ['notionalUsd', 'Notional USD', 'num'],
        ['unrealisedUsd', 'Unrealised USD', 'num'],
        ['weight', 'Weight (limit)', (r) => `num level-${r.weightLevel}`],
        ['stop', 'Stop (distance)', 'num'],
        ['liquidation', 'Liquidation (distance)', 'num'],
      ],
      s.positions,
      'No open positions.',
      (r) => ({ 'data-position': r.symbol }),
    );
    const orders = s.orders.rows.map((o) => ({
      ...o,
      kind: o.protective ? `${o.type} · protective` : o.type,
      at: o.stop_price ?? (o.price || 'market'),
      when: time(Date.parse(o.time)),
    }));
    table(
      'orders',
      [
        ['symbol', 'Symbol'],
        ['side', 'Side'],
        ['kind', 'Type'],
        ['quantity_text', 'Quantity', 'num'],
        ['at', 'Price / stop', 'num'],
        ['status', 'Status'],
        ['when', 'Placed (UTC)'],
        ['client_order_id', 'Client id', 'id'],
      ],
      orders,
      s.orders.error ? `Open orders not read: ${s.orders.error}` : 'No open orders.',
      (r) => ({ 'data-order': r.client_order_id, 'data-protective': String(r.protective) }),
    );
    const trades = s.trades.rows.map((t) => ({
      ...t,
      when: time(t.timeMs),
      pnl: t.realisedUsd ? signed(t.realisedUsd) : '—',
      fee: t.feeUsd.toFixed(4),
      what: t.foreign ? `${t.side} (${t.foreign})` : t.side,
    }));
    table(
      'trades',
      [
        ['when', 'Time (UTC)'],
        ['symbol', 'Symbol'],
        ['what', 'Side'],
        ['quantity', 'Quantity', 'num'],
        ['price', 'Price', 'num'],
        ['fee', 'Fee USD', 'num'],
        [
          'pnl',
          'Realised USD',
          (r) => `num ${r.realisedUsd < 0 ? 'bad' : r.realisedUsd > 0 ? 'good' : ''}`,
        ],
      ],
      trades,
      'No fills yet.',
      (r) => ({ 'data-trade': String(r.id) }),
    );
    $('#trades-h').textContent =
      `Trades · realised ${signed(s.trades.realisedUsd)} USD · fees ${usd(s.trades.feesUsd)} USD`;
    table(
      'health',
      [
        ['name', 'Component'],
        ['status', 'Status', (r) => `status-${r.status}`],
        ['detail', 'Detail', 'detail'],
      ],
      [
        ...s.health.components,
        ...s.breakers.map((b) => ({
          name: `breaker ${b.name}`,
          status: b.state === 'closed' ? 'ok' : b.state,
          detail: b.state,
        })),
      ],
      'No components.',
      (r) => ({ 'data-component': r.name }),
    );
  }

  function renderLists(s) {
    const tl = $('#timeline .body');
    tl.textContent = '';
    if (!s.timeline.length) tl.append(el('p', { class: 'muted' }, 'Nothing yet.'));
    else
      tl.append(
        el(
          'ol',
          { class: 'timeline' },
          ...s.timeline.map((r) =>
            el(
              'li',
              { 'data-kind': r.kind, class: `level-${r.level}` },
              el('time', {}, time(r.timeMs)),
              ' ',
              el('span', { class: 'kind' }, r.kind.replace('_', ' ')),
              ' ',
              r.text,
            ),
          ),
        ),
      );
    const al = $('#alerts .body');
    al.textContent = '';
    if (!s.alerts.length) al.append(el('p', { class: 'muted' }, 'No alerts.'));
    else
      al.append(
        el(
          'ul',
          { class: 'alerts' },
          ...s.alerts.map((a) =>
            el(
              'li',
              { 'data-alert': a.name, class: `sev-${a.severity}` },
              el('time', {}, time(a.timeMs)),
              ' ',
              el('b', {}, a.name),
              ` ${a.status} (${a.severity}): ${a.summary} `,
              a.runbook ? el('a', { href: a.runbook, rel: 'noopener' }, 'runbook') : null,
            ),
          ),
        ),
      );
    $('#health-h').textContent = `Components · ${s.health.status}`;
  }

  function render(s) {
    window.aisSnapshot = s;
    renderState(s);
    renderCards(s);
    renderTables(s);
    renderLists(s);
    document.dispatchEvent(new CustomEvent('ais:snapshot', { detail: s }));
    $('[data-field="live"]').textContent = `live · ${time(s.timeMs)} UTC`;
  }

  function connect() {
    const es = new EventSource('/console/stream');
    es.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
    es.onerror = () => ($('[data-field="live"]').textContent = 'disconnected · reconnecting…');
  }
  connect();
})();
