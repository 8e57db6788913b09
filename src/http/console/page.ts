// The console's HTML: a shell rendered on the server with the one state word already in it (so
// the page says KILLED / HALTED / REDUCING / ACTIVE before any script runs), the login form or the
// controls, and empty sections that app.js fills from the server-sent snapshots.
import type { StateWord } from '../../domain/risk/state-word.ts';

const esc = (v: unknown): string =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The page's Content-Security-Policy: its own scripts, styles and connections only. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const section = (id: string, title: string, extra = '') =>
  `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${extra}<div class="body"></div></section>`;

const controls = `<section id="controls" aria-labelledby="controls-h"><h2 id="controls-h">Controls</h2>
<div class="controls">
<button type="button" class="danger" data-action="kill-trigger">Trigger kill switch…</button>
<button type="button" data-action="kill-reset">Reset kill switch…</button>
<label>Trading state <select id="trading-state"><option>ACTIVE</option><option>REDUCING</option><option>HALTED</option></select></label>
<button type="button" data-action="trading-state">Set state…</button>
<label>Flatten <select id="flatten-symbol"><option value="">all positions</option></select></label>
<button type="button" class="danger" data-action="flatten">Flatten…</button>
<button type="button" data-action="reconcile">Reconcile now…</button>
<label>Breaker <select id="breaker-name"></select></label>
<button type="button" data-action="breaker-reset">Reset breaker…</button>
</div>
<p id="result" class="result" role="status"></p>
<dialog id="confirm"><form method="dialog" id="confirm-form">
<h3 id="confirm-title">Confirm</h3><p id="confirm-what"></p>
<label id="flatten-too-label" hidden><input type="checkbox" id="flatten-too"> also close every position (flatten)</label>
<label>Reason <textarea id="confirm-reason" required maxlength="500" rows="2"></textarea></label>
<p class="error" id="confirm-error" role="alert"></p>
<div class="row"><button value="cancel" formnovalidate type="submit">Cancel</button><button id="confirm-go" value="go" class="danger" type="submit">Confirm</button></div>
</form></dialog></section>`;

const login = `<form id="login" class="login" autocomplete="off">
<label>API token <input type="password" id="login-token" required minlength="16" autocomplete="current-password"></label>
<button type="submit">Log in</button><span class="error" id="login-error" role="alert"></span></form>`;

/** The console page for a state word, with or without a session. */
export function consolePage(o: {
  word: StateWord;
  instance: string;
  exchange: string;
  session: boolean;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.word)} · AIS Worker</title>
<link rel="stylesheet" href="/console/assets/uPlot.min.css"><link rel="stylesheet" href="/console/assets/app.css"><link rel="stylesheet" href="/console/assets/tables.css">
<script src="/console/assets/uPlot.iife.min.js" defer></script><script src="/console/assets/app.js" defer></script><script src="/console/assets/chart.js" defer></script><script src="/console/assets/controls.js" defer></script>
</head><body data-session="${o.session ? '1' : '0'}">
<header><div class="title"><h1>AIS Worker</h1><span class="muted">${esc(o.instance)} · ${esc(o.exchange)}</span></div>
<div class="state state-${esc(o.word)}" data-field="state" aria-live="polite">${esc(o.word)}</div>
<div class="state-detail muted" data-field="state-detail"></div>
<div class="session">${o.session ? '<span class="muted">operator session</span> <button type="button" id="logout">Log out</button>' : login}</div>
<div class="live muted" data-field="live">connecting…</div></header>
<main>
${o.session ? controls : '<p class="muted readonly">Read-only: log in with the API token to act.</p>'}
<section id="cards" aria-label="Figures against their limits"><div class="cards"></div></section>
${section('chart', 'Equity and drawdown', '<div class="ranges" role="group" aria-label="Range"><button data-range="1h">1 h</button><button data-range="6h">6 h</button><button data-range="24h" aria-pressed="true">24 h</button><button data-range="7d">7 d</button><button data-range="30d">30 d</button></div><div id="plot"></div>')}
${section('positions', 'Positions')}
${section('orders', 'Open orders on the exchange')}
${section('trades', 'Trades')}
${section('timeline', 'Timeline')}
${section('alerts', 'Alerts')}
${section('health', 'Components')}
</main>
<footer class="muted"><a href="/api">API reference</a> · <a href="/openapi.json">openapi.json</a> · <a href="/health">/health</a> · <a href="/metrics">/metrics</a></footer>
</body></html>`;
}
