// The pre-flight's rows per configured symbol (status and rules from exchangeInfo; margin type and
// leverage against AIS_ASTER_MARGIN_TYPE / AIS_ASTER_LEVERAGE and the symbol's leverage bracket),
// the open orders and positions, and the worker's own settings. Pure, like checks.ts.
import { type AccountState, type MarginType, wishFor } from './setup.ts';
import type {
  AccountFacts,
  BracketFact,
  MarketFacts,
  PreflightCheck,
  WorkerFacts,
} from './preflight-checks.ts';

/** A fraction as a percentage without float noise (0.0065 → "0.65"). */
const pct = (x: number) => String(Number((x * 100).toPrecision(6)));

const row = (check: string, status: PreflightCheck['status'], detail: string) => ({
  check,
  status,
  detail,
});

/** The symbol is listed and TRADING; its filters, as the worker will size and check against them. */
export function checkSymbolRules(symbol: string, m: MarketFacts): PreflightCheck {
  const name = `symbol ${symbol}`;
  if (!m.rules.ok) return row(name, 'fail', `exchangeInfo not read: ${m.rules.error}`);
  const r = m.rules.value.get(symbol);
  if (!r) return row(name, 'fail', 'not listed by the exchange: remove it from AIS_SYMBOLS');
  const rules = `tick ${r.tickSize}, step ${r.stepSize} (market ${r.marketStepSize}), min qty ${r.minQty}, min notional ${r.minNotional}`;
  if (r.status !== 'TRADING')
    return row(
      name,
      'fail',
      `status ${r.status}, not TRADING: the exchange takes no order for it; remove it from AIS_SYMBOLS or wait until it trades (${rules})`,
    );
  return row(name, 'ok', `TRADING; ${rules}`);
}

type SettingsRow = AccountState['symbols'][number];

/** Margin type and leverage as the account holds them, against the wish and the bracket's maximum. */
export function checkSymbolSettings(
  symbol: string,
  w: WorkerFacts,
  a: AccountFacts,
  m: MarketFacts,
): PreflightCheck {
  const name = `margin ${symbol}`;
  if (!a.settings.ok) return row(name, 'fail', `positionRisk not read: ${a.settings.error}`);
  const rows = a.settings.value.symbols.filter((r) => r.symbol === symbol);
  const now = rows[0];
  if (!now)
    return row(
      name,
      'fail',
      'the exchange reports no position settings for it (is it listed for futures trading?)',
    );
  const seen = `${now.marginType}, leverage ${now.leverage}x`;
  if (!m.brackets.ok)
    return row(name, 'fail', `${seen}; leverageBracket not read: ${m.brackets.error}`);
  const bracket = m.brackets.value[symbol];
  if (!bracket) return row(name, 'fail', `${seen}; leverageBracket lists no bracket for it`);
  const wish = { leverage: wishFor(w.leverage, symbol), marginType: wishFor(w.marginType, symbol) };
  return judgeSettings(name, rows, bracket, wish);
}

/** The row for a symbol whose settings and bracket were read: fail, warn (start-up changes it) or ok. */
function judgeSettings(
  name: string,
  rows: readonly SettingsRow[],
  bracket: BracketFact,
  wish: { leverage?: number; marginType?: MarginType },
): PreflightCheck {
  const now = rows[0]!;
  const seen = `${now.marginType}, leverage ${now.leverage}x, bracket max ${bracket.maxLeverage}x, maintenance ${pct(bracket.maintMarginRatio)} %`;
  const leverage = wish.leverage ?? now.leverage;
  if (leverage > bracket.maxLeverage)
    return row(
      name,
      'fail',
      `${seen}: leverage ${leverage}x is above the first bracket's ${bracket.maxLeverage}x; lower AIS_ASTER_LEVERAGE`,
    );
  const newMargin = wish.marginType !== undefined && wish.marginType !== now.marginType;
  const held = rows.find((r) => r.quantity !== 0);
  if (newMargin && held)
    return row(
      name,
      'fail',
      `${seen}: AIS_ASTER_MARGIN_TYPE asks ${wish.marginType} but the exchange changes the margin type only without a position (${held.quantity} open): start-up would stop`,
    );
  const changes = [
    newMargin ? `margin type → ${wish.marginType}` : '',
    wish.leverage !== undefined && wish.leverage !== now.leverage
      ? `leverage → ${wish.leverage}x`
      : '',
  ].filter(Boolean);
  if (changes.length > 0)
    return row(
      name,
      'warn',
      `${seen}: start-up will set ${changes.join(', ')} (AIS_ASTER_MARGIN_TYPE / AIS_ASTER_LEVERAGE); set it on asterdex.com to avoid the change`,
    );
  const configured = wish.leverage !== undefined || wish.marginType !== undefined;
  return row(
    name,
    'ok',
    `${seen}${configured ? ' as configured' : ' (not configured: left as is)'}`,
  );
}

/** The account's open positions: listed; one outside AIS_SYMBOLS is a warning (the worker neither trades nor protects it). */
export function checkPositions(w: WorkerFacts, a: AccountFacts): PreflightCheck {
  if (!a.positions.ok) return row('positions', 'fail', `not read: ${a.positions.error}`);
  const open = a.positions.value;
  if (open.length === 0) return row('positions', 'ok', 'none open');
  const list = open.map((p) => `${p.symbol} ${p.quantity} @ ${p.entryPrice}`).join(', ');
  const stray = open.filter((p) => !w.symbols.includes(p.symbol)).map((p) => p.symbol);
  if (stray.length > 0)
    return row(
      'positions',
      'warn',
      `${list}; ${stray.join(', ')} not in AIS_SYMBOLS: the worker neither trades nor protects it, but counts it in the account's equity`,
    );
  return row(
    'positions',
    'ok',
    `${list}; the worker starts from them (its book is read from the exchange)`,
  );
}

/** The open orders of the configured symbols and of any open position: listed. */
export function checkOpenOrders(a: AccountFacts): PreflightCheck {
  if (!a.openOrders.ok) return row('open orders', 'fail', `not read: ${a.openOrders.error}`);
  const list = a.openOrders.value;
  if (list.length === 0) return row('open orders', 'ok', 'none');
  const shown = list
    .map(
      (o) =>
        `${o.symbol} ${o.side} ${o.type} ${o.quantity || 'close-all'}${o.price ? ` @ ${o.price}` : ''}${o.stopPrice ? ` stop ${o.stopPrice}` : ''} (${o.clientOrderId})`,
    )
    .join(', ');
  return row('open orders', 'ok', `${list.length}: ${shown}`);
}

/**
 * The worker's settings: symbols, agents, risk limits, stop-loss. Without AIS_API_TOKEN it fails
 * (a live worker starts HALTED and only a control call makes it ACTIVE or reaches the kill switch);
 * named demo agents on a live account warn.
 */
export function checkWorkerSettings(w: WorkerFacts): PreflightCheck {
  const limits = Object.entries(w.limits)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const stop =
    w.stopLoss.fraction > 0
      ? `stop-loss ${pct(w.stopLoss.fraction)} %${w.stopLoss.onExchange ? ' on the exchange' : ' in the worker'}`
      : 'no stop-loss';
  const agents =
    w.agents.length > 0
      ? `agents ${w.agents.join(',')}`
      : 'no agents (risk gate for external signals and checks)';
  const detail = `symbols ${w.symbols.join(',')}; ${agents}; ${stop}; ${limits}`;
  if (!w.controlToken)
    return row(
      'worker settings',
      'fail',
      `AIS_API_TOKEN unset: every control endpoint is disabled, so the worker would start HALTED with no way to make it ACTIVE or to trigger the kill switch; set AIS_API_TOKEN (openssl rand -hex 16); ${detail}`,
    );
  if (w.agents.length > 0)
    return row(
      'worker settings',
      'warn',
      `${detail}; the built-in demo agents will trade this account (AIS_AGENTS)`,
    );
  return row('worker settings', 'ok', detail);
}
