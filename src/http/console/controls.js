// The console's hands: log in (POST /console/login, the token sent once in a JSON body, never in
// a URL or in storage), log out, and the controls, each behind a confirm dialog that asks for a
// reason before it calls the worker's own /v1 control endpoint with the session cookie (same
// origin, so the Origin header passes the worker's CSRF check). The answer is shown under the controls.
'use strict';
(function () {
  const $ = (s) => document.querySelector(s);
  const post = (path, body) =>
    fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const errorOf = async (res) => {
    const b = await res.json().catch(() => ({}));
    return (b.error && b.error.message) || `HTTP ${res.status}`;
  };

  const login = $('#login');
  if (login)
    login.addEventListener('submit', async (e) => {
      e.preventDefault();
      const input = $('#login-token');
      const res = await post('/console/login', { token: input.value });
      input.value = '';
      if (res.ok) return location.reload();
      $('#login-error').textContent = await errorOf(res);
    });
  const logout = $('#logout');
  if (logout)
    logout.addEventListener('click', async () => {
      await post('/console/logout', {});
      location.reload();
    });
  if (document.body.dataset.session !== '1') return;

  /** What each control does: its dialog's words and its request. */
  const ACTIONS = {
    'kill-trigger': {
      title: 'Trigger the kill switch',
      what: () =>
        'Stops all trading and cancels every open order that could add exposure (protective stops stay).',
      flatten: true,
      send: (reason, flatten) =>
        post('/v1/control/kill-switch', {
          action: 'trigger',
          reason,
          flatten,
          operator: 'console',
        }),
    },
    'kill-reset': {
      title: 'Reset the kill switch',
      what: () => 'Trading resumes in its trading state.',
      send: (reason) =>
        post('/v1/control/kill-switch', { action: 'reset', reason, operator: 'console' }),
    },
    'trading-state': {
      title: 'Set the trading state',
      what: () => `Trading state → ${$('#trading-state').value}.`,
      send: (reason) =>
        post('/v1/control/trading-state', {
          state: $('#trading-state').value,
          reason,
          operator: 'console',
        }),
    },
    flatten: {
      title: 'Flatten',
      what: () =>
        `Closes ${$('#flatten-symbol').value || 'every position'} with reduce-only market orders.`,
      send: (reason) =>
        post('/v1/control/flatten', {
          reason,
          operator: 'console',
          ...($('#flatten-symbol').value ? { symbol: $('#flatten-symbol').value } : {}),
        }),
    },
    reconcile: {
      title: 'Reconcile now',
      what: () =>
        'Compares positions, NAV and trades with the exchange; a divergence stops trading.',
      send: (reason) => post('/v1/reconciliation/run', { reason, operator: 'console' }),
    },
    'breaker-reset': {
      title: 'Reset a circuit breaker',
      what: () => `Closes breaker ${$('#breaker-name').value}.`,
      send: (reason) =>
        post(`/v1/resilience/breakers/${encodeURIComponent($('#breaker-name').value)}/reset`, {
          reason,
          operator: 'console',
        }),
    },
  };

  const dialog = $('#confirm');
  let pending;
  for (const b of document.querySelectorAll('[data-action]'))
    b.addEventListener('click', () => {
      pending = ACTIONS[b.dataset.action];
      $('#confirm-title').textContent = pending.title;
      $('#confirm-what').textContent = pending.what();
      $('#flatten-too-label').hidden = !pending.flatten;
      $('#flatten-too').checked = false;
      $('#confirm-reason').value = '';
      $('#confirm-error').textContent = '';
      dialog.dataset.action = b.dataset.action;
      dialog.showModal();
      $('#confirm-reason').focus();
    });
  $('#confirm-form').addEventListener('submit', async (e) => {
    if (e.submitter && e.submitter.value === 'cancel') return;
    e.preventDefault();
    const reason = $('#confirm-reason').value.trim();
    if (!reason) return void ($('#confirm-error').textContent = 'Say why: the reason is recorded.');
    const res = await pending.send(reason, $('#flatten-too').checked);
    if (!res.ok) return void ($('#confirm-error').textContent = await errorOf(res));
    dialog.close();
    $('#result').textContent = `${pending.title}: done. ${summary(await res.json())}`;
  });

  /** One line of what the worker did. */
  function summary(b) {
    const parts = [];
    if (b.kill_switch)
      parts.push(`kill switch ${b.kill_switch.active ? 'on' : 'off'}, trading ${b.trading_state}`);
    if (b.orders)
      parts.push(
        `${b.orders.cancelled.length} order(s) cancelled, ${b.orders.kept.length} protective kept`,
      );
    if (b.flatten)
      parts.push(
        `${b.flatten.closed.length} position(s) closed${b.flatten.failed.length ? `, ${b.flatten.failed.length} failed` : ''}`,
      );
    if (b.status && b.totals) parts.push(`reconciliation ${b.status}`);
    if (b.breaker) parts.push(`breaker ${b.breaker.name} ${b.breaker.state}`);
    return parts.join('; ');
  }

  /** Keeps the symbol and breaker lists in step with the snapshots. */
  const fill = (select, values, keep) => {
    const want = [...keep, ...values].join('\n');
    if (select.dataset.values === want) return;
    const current = select.value;
    select.textContent = '';
    for (const [value, label] of [
      ...keep.map((k) => [k, 'all positions']),
      ...values.map((v) => [v, v]),
    ])
      select.append(new Option(label, value));
    select.value = current;
    select.dataset.values = want;
  };
  let shownState;
  document.addEventListener('ais:snapshot', (e) => {
    const s = e.detail;
    // Follow the worker's state only when it changes, never over an operator's pending choice.
    if (s.state.tradingState !== shownState)
      $('#trading-state').value = shownState = s.state.tradingState;
    fill(
      $('#flatten-symbol'),
      s.positions.map((p) => p.symbol),
      [''],
    );
    fill(
      $('#breaker-name'),
      s.breakers.map((b) => b.name),
      [],
    );
  });
})();
