// GET /: the operator's status page. One HTML page rendered on the server from the same state the
// API answers with (no build step, no script needed), refreshing itself every few seconds: trading
// state and kill switch first, then NAV and drawdown with a chart of recent history, exposure and
// margin ratio, positions (with their liquidation prices), breakers and limiters, the last reconciliation, recent alerts and events. Control stays
// in the API: the page shows the curl commands. Every value from outside is HTML-escaped.
import { Hono } from 'hono';
import { liquidationDistance } from '../../domain/portfolio/margin.ts';
import { portfolioFigures } from '../../domain/portfolio/portfolio.ts';
import { redactText } from '../../domain/redaction/redact.ts';
import { killSwitchView } from '../../domain/risk/trading-control.ts';
import { EventType, type StoredEvent } from '../../ports/event-store.ts';
import { marginRatio } from '../../ports/exchange.ts';
import type { AppDeps } from '../deps.ts';

const STATUS_REFRESH_SECONDS = 5;

const esc = (v: unknown): string =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const usd = (x: number) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : String(x);
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : String(x));
const num = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** An inline SVG line of `values` (oldest first), scaled to its own range. */
function sparkline(values: readonly number[], label: string): string {
  if (values.length < 2) return `<p class="muted">${esc(label)}: not enough history yet</p>`;
  const w = 320;
  const h = 60;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pts = values
    .map(
      (v, i) =>
        `${((i / (values.length - 1)) * w).toFixed(1)},${(h - ((v - min) / span) * (h - 4) - 2).toFixed(1)}`,
    )
    .join(' ');
  return `<figure><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${pts}"/></svg><figcaption>${esc(label)}: ${usd(min)} – ${usd(max)}</figcaption></figure>`;
}

const table = (head: string[], rows: string[][], empty: string) =>
  rows.length
    ? `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    : `<p class="muted">${esc(empty)}</p>`;

const summarise = (e: StoredEvent): string => {
  const text = JSON.stringify(e.payload);
  return esc(text.length > 140 ? `${text.slice(0, 140)}…` : text);
};

/** What the page shows of the breaker registry. */
interface ResilienceView {
  stats(): {
    breakers: { name: string; state: string }[];
    limiters: { name: string; tokens: number; capacity: number; throttled: number }[];
  };
}

export function statusPageRoutes(
  deps: Pick<AppDeps, 'risk' | 'store' | 'health' | 'nowMs' | 'config'> & {
    resilience?: ResilienceView;
  },
) {
  return new Hono().get('/', async (c) => {
    const [health, history, reconciliation, alerts, events] = await Promise.all([
      deps.health(),
      deps.store
        .query({ type: EventType.portfolio, newestFirst: true, limit: 120 })
        .catch(() => []),
      deps.store.latest(EventType.reconciliation).catch(() => undefined),
      deps.store.query({ type: EventType.alert, newestFirst: true, limit: 8 }).catch(() => []),
      deps.store.query({ newestFirst: true, limit: 300 }).catch(() => []),
    ]);
    // Signals and risk decisions come every cycle; the page lists what an operator acts on.
    const notable = events
      .filter(
        (e) =>
          e.type !== EventType.signal &&
          e.type !== EventType.riskDecision &&
          e.type !== EventType.portfolio,
      )
      .slice(0, 15);
    const p = deps.risk.portfolio.get();
    const f = portfolioFigures(p);
    const state = deps.risk.control.state();
    const kill = killSwitchView(state);
    const margin = deps.risk.engine.margin();
    // Each figure beside the limit in force (the same numbers as ais_risk_limit{guard}).
    const lim = deps.risk.engine.limits;
    const limitOf = (guard: string, text: string) =>
      `<span class="muted" data-field="${guard}_limit">limit ${esc(text)}</span>`;
    const liquidationOf = (symbol: string) => {
      const x = margin?.positions.find((m) => m.symbol === symbol);
      return !x
        ? '—'
        : x.liquidationPrice > 0
          ? `${usd(x.liquidationPrice)} (${pct(liquidationDistance(x.markPrice, x.liquidationPrice))})`
          : 'none';
    };
    const navs = history.map((e) => e.payload.nav_usd).reverse();
    const stats = deps.resilience?.stats();
    const rec = reconciliation?.payload;
    const tradingClass =
      kill.active || state.tradingState === 'HALTED'
        ? 'bad'
        : state.tradingState === 'REDUCING'
          ? 'warn'
          : 'good';
    const base = `http://${c.req.header('host') ?? `localhost:${deps.config.port}`}`;

    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${STATUS_REFRESH_SECONDS}">
<title>AIS Worker · ${esc(state.tradingState)}${kill.active ? ' · KILL SWITCH' : ''}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;max-width:72rem;color:#1d232a}
h1{font-size:1.3rem;margin:0 0 .5rem}h2{font-size:1rem;margin:1.5rem 0 .4rem}
.banner{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:1rem}
.pill{padding:.6rem 1rem;border-radius:.4rem;font-size:1.2rem;font-weight:600}
.good{background:#d9f2e1;color:#0b5d2a}.warn{background:#fff1c9;color:#6b4e00}.bad{background:#fbd5d5;color:#8a1010}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem}
.card{border:1px solid #d6dbe0;border-radius:.4rem;padding:.5rem .7rem}.card b{display:block;font-size:1.1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e4e7eb;font-variant-numeric:tabular-nums}
.muted{color:#6b7580}code,pre{background:#f3f5f7;padding:.1rem .3rem;border-radius:.2rem}pre{padding:.6rem;overflow:auto}
figure{margin:.5rem 0}svg{color:#1f6feb}
</style></head><body>
<h1>AIS Worker <span class="muted">${esc(deps.config.instanceId)} · ${esc(deps.config.exchange)} · ${esc(time(deps.nowMs()))} UTC</span></h1>
<div class="banner">
<div class="pill ${tradingClass}" data-field="trading_state">Trading ${esc(state.tradingState)}</div>
<div class="pill ${kill.active ? 'bad' : 'good'}" data-field="kill_switch">${kill.active ? `KILL SWITCH ACTIVE: ${esc(kill.reason)} (since ${esc(kill.since)})` : 'Kill switch off'}</div>
<div class="pill ${health.status === 'ok' ? 'good' : health.status === 'halted' ? 'warn' : 'bad'}" data-field="health">Health ${esc(health.status)}</div>
</div>
<div class="grid">
<div class="card">NAV (USD)<b data-field="nav_usd">${usd(f.navUsd)}</b></div>
<div class="card">P&amp;L<b data-field="pnl_fraction">${pct(f.pnlFraction)}</b></div>
<div class="card">Drawdown<b data-field="drawdown">${pct(f.drawdown)}</b>${limitOf('drawdown', pct(lim.maxDrawdown))}</div>
<div class="card">Daily loss<b data-field="daily_loss">${pct(f.dailyLoss)}</b>${limitOf('daily_loss', pct(lim.maxDailyLoss))}</div>
<div class="card">Leverage<b data-field="leverage">${num(f.leverage)}</b>${limitOf('leverage', num(lim.maxLeverage))}</div>
<div class="card">Gross exposure<b data-field="gross_exposure">${num(f.grossExposure)}</b>${limitOf('gross_exposure', num(lim.maxGrossExposure))}</div>
<div class="card">Net exposure<b data-field="net_exposure">${num(f.netExposure)}</b>${limitOf('net_exposure', num(lim.maxNetExposure))}</div>
<div class="card">Margin ratio<b data-field="margin_ratio">${margin ? pct(marginRatio(margin)) : '—'}</b></div>
</div>
${sparkline(navs, 'NAV, recent snapshots')}
<h2>Positions</h2>
${table(
  [
    'symbol',
    'quantity',
    'entry',
    'mark',
    'notional USD',
    'unrealised USD',
    'liquidation (distance)',
  ],
  Object.values(p.positions).map((pos) => [
    `<span data-position="${esc(pos.symbol)}">${esc(pos.symbol)}</span>`,
    esc(pos.quantity),
    usd(pos.avgEntryPrice),
    usd(pos.markPrice),
    usd(pos.quantity * pos.markPrice),
    usd(pos.quantity * (pos.markPrice - pos.avgEntryPrice)),
    esc(liquidationOf(pos.symbol)),
  ]),
  'No open positions.',
)}
<h2>Components</h2>
${table(
  ['component', 'status', 'detail'],
  Object.entries(health.components).map(([k, v]) => [
    esc(k),
    `<span data-component="${esc(k)}">${esc(v.status)}</span>`,
    esc(v.detail),
  ]),
  'No components.',
)}
<h2>Circuit breakers and rate limiters</h2>
${
  stats
    ? table(
        ['breaker', 'state'],
        stats.breakers.map((b) => [
          esc(b.name),
          `<span data-breaker="${esc(b.name)}">${esc(b.state)}</span>`,
        ]),
        'No circuit breakers.',
      ) +
      table(
        ['limiter', 'tokens', 'capacity', 'throttled'],
        stats.limiters.map((l) => [
          esc(l.name),
          num(l.tokens, 1),
          num(l.capacity, 0),
          esc(l.throttled),
        ]),
        'No rate limiters.',
      )
    : '<p class="muted">No breaker registry in this worker.</p>'
}
<h2>Last reconciliation</h2>
${
  reconciliation
    ? `<p data-field="reconciliation">${rec?.passed ? 'passed' : 'FAILED'} at ${esc(time(reconciliation.timeMs))} UTC${rec?.mismatched_symbols?.length ? ` · mismatched: ${esc(rec.mismatched_symbols.join(', '))}` : ''}</p>`
    : '<p class="muted" data-field="reconciliation">No reconciliation yet.</p>'
}
<h2>Recent alerts</h2>
${table(
  ['time (UTC)', 'alert'],
  alerts.map((e) => [esc(time(e.timeMs)), summarise(e)]),
  'No alerts.',
)}
<h2>Recent events <span class="muted">(orders, fills, control, breakers, reconciliation, alerts)</span></h2>
${table(
  ['time (UTC)', 'type', 'stream', 'payload'],
  notable.map((e) => [esc(time(e.timeMs)), esc(e.type), esc(e.stream), summarise(e)]),
  'No events.',
)}
<h2>Control (through the API)</h2>
<pre>export AIS=${esc(base)} AUTH="Authorization: Bearer $AIS_API_TOKEN"
curl -s -X POST $AIS/v1/control/kill-switch -H "$AUTH" -H 'content-type: application/json' -d '{"action":"trigger","reason":"..."}'
curl -s -X POST $AIS/v1/control/kill-switch -H "$AUTH" -H 'content-type: application/json' -d '{"action":"reset","reason":"..."}'
curl -s -X POST $AIS/v1/control/trading-state -H "$AUTH" -H 'content-type: application/json' -d '{"state":"REDUCING"}'
curl -s -X POST $AIS/v1/reconciliation/run -H "$AUTH"
curl -s $AIS/v1/portfolio -H "$AUTH"</pre>
<p class="muted">Refreshes every ${STATUS_REFRESH_SECONDS} s. API: <a href="/openapi.json">/openapi.json</a> · metrics: <a href="/metrics">/metrics</a> · health: <a href="/health">/health</a></p>
</body></html>`;
    c.header('cache-control', 'no-store');
    // Event payloads and details may quote a URL: none is shown with its credentials.
    return c.html(redactText(html));
  });
}
