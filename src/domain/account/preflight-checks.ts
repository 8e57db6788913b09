// The read-only pre-flight of a live Aster account (`npm run preflight`): what the adapters read
// (facts, each a value or the one-line reason it could not be read) in, one row per check out:
// keys and scheme, what the account may do, position mode, each symbol's status, rules, margin
// type, leverage and brackets, the balance, the clock, the stream and its network, open orders and
// positions, the worker's settings. Pure: no I/O, the reads happen in the adapter (preflight-reads.ts).
import type { AccountState, MarginType, PerSymbol } from './setup.ts';
import type { SymbolRules } from '../market/symbol-rules.ts';
import type { ExchangeBalance, ExchangePosition } from '../../ports/exchange.ts';
import type { NetworkSettings } from './network.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One row of the table: the check's name, its status and what it saw or what to do (one line). */
export interface PreflightCheck {
  check: string;
  status: CheckStatus;
  detail: string;
}

/** A read: its value, or the one-line reason it failed (the exchange's code and message). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/** An open order as the table lists it. */
export interface OpenOrderFact {
  symbol: string;
  side: string;
  type: string;
  quantity: number;
  price: number;
  stopPrice?: number;
  clientOrderId: string;
}

/** The first (lowest-notional) bracket of a symbol: the highest initial leverage it allows. */
export interface BracketFact {
  maxLeverage: number;
  maintMarginRatio: number;
}

/** What the account shows: each a read of one endpoint (Account Information's flags, positionSide/dual + positionRisk, balance, positions, open orders). */
export interface AccountFacts {
  permissions: Read<{ canTrade: boolean; canDeposit: boolean; canWithdraw: boolean }>;
  settings: Read<AccountState>;
  balance: Read<ExchangeBalance>;
  positions: Read<readonly ExchangePosition[]>;
  openOrders: Read<readonly OpenOrderFact[]>;
}

/** What the market shows: exchangeInfo by symbol, leverageBracket by symbol. */
export interface MarketFacts {
  rules: Read<ReadonlyMap<string, SymbolRules>>;
  brackets: Read<Readonly<Record<string, BracketFact>>>;
}

/** The clock (server minus local, ms, at the midpoint of a round trip) and the stream probe. */
export interface ConnectionFacts {
  clock: Read<{ offsetMs: number; roundTripMs: number }>;
  /** `confirmed`: the server answered as the docs show; false: it connected but answered otherwise. */
  stream: Read<{ detail: string; confirmed: boolean }>;
}

/** The worker's configuration as far as the pre-flight judges it. */
export interface WorkerFacts {
  keys: { scheme: 'v1' | 'v3'; user?: string; signer?: string };
  network: NetworkSettings;
  symbols: readonly string[];
  leverage?: PerSymbol<number>;
  marginType?: PerSymbol<MarginType>;
  agents: readonly string[];
  /** The risk limits by their variable's name (AIS_MAX_DRAWDOWN: 0.05, …). */
  limits: Readonly<Record<string, number>>;
  /** Per-position stop-loss fraction (0 = off) and whether it rests on the exchange. */
  stopLoss: { fraction: number; onExchange: boolean };
  /** Whether AIS_API_TOKEN is set (without it every control endpoint answers 503). */
  controlToken: boolean;
}

export interface PreflightFacts {
  worker: WorkerFacts;
  account: AccountFacts;
  market: MarketFacts;
  connection: ConnectionFacts;
}

/** The clock may differ from the exchange's by this much (ms) before the pre-flight fails: the
 *  worker corrects signed requests for any offset, but its logs, candles' ages and the kill
 *  switch's times assume a clock within a second (NTP keeps one within milliseconds). */
export const MAX_CLOCK_OFFSET_MS = 1_000;

const row = (check: string, status: CheckStatus, detail: string): PreflightCheck => ({
  check,
  status,
  detail,
});

/** Keys and scheme: which scheme signs, and whether a signed read succeeded (Account Information). */
export function checkKeys(w: WorkerFacts, a: AccountFacts): PreflightCheck {
  const who =
    w.keys.scheme === 'v3'
      ? `V3 API wallet ${w.keys.signer} for ${w.keys.user}`
      : 'V1 HMAC API key (ASTER_API_KEY)';
  if (!a.permissions.ok)
    return row('keys', 'fail', `${who}: a signed read failed: ${a.permissions.error}`);
  return row('keys', 'ok', `${who}: a signed read succeeded`);
}

/** What the account may do, where the exchange shows it (Account Information: canTrade, canDeposit, canWithdraw). */
export function checkPermissions(a: AccountFacts): PreflightCheck {
  if (!a.permissions.ok) return row('permissions', 'fail', `not read: ${a.permissions.error}`);
  const p = a.permissions.value;
  const flags = `canTrade ${p.canTrade}, canDeposit ${p.canDeposit}, canWithdraw ${p.canWithdraw}`;
  // The API wallet's own grants (perp trading, withdrawal, IP whitelist, expiry) have no read endpoint.
  const note =
    'the API wallet’s own permissions, IP whitelist and expiry show only on the API wallet page';
  if (!p.canTrade)
    return row('permissions', 'fail', `${flags}: the account may not trade; ${note}`);
  return row('permissions', 'ok', `${flags} (the account's); ${note}`);
}

/** One-way position mode expected (the worker keeps one net position per symbol). */
export function checkPositionMode(a: AccountFacts): PreflightCheck {
  if (!a.settings.ok) return row('position mode', 'fail', `not read: ${a.settings.error}`);
  const s = a.settings.value;
  if (!s.hedgeMode) return row('position mode', 'ok', 'one-way');
  const held = s.symbols.filter((r) => r.quantity !== 0);
  const why = held.length
    ? `with open positions (${held.map((r) => `${r.symbol} ${r.positionSide} ${r.quantity}`).join(', ')}): the worker would refuse to start; close them or switch the account on asterdex.com`
    : 'without positions: the worker would switch it to one-way at start-up (a change to the account); switch it on asterdex.com first to keep the pre-flight clean';
  return row('position mode', 'fail', `hedge mode, the worker trades only in one-way mode; ${why}`);
}

/** A non-zero available balance in the margin asset. */
export function checkBalance(a: AccountFacts): PreflightCheck {
  if (!a.balance.ok) return row('balance', 'fail', `not read: ${a.balance.error}`);
  const b = a.balance.value;
  const figures = `${b.asset} wallet ${b.walletUsd}, available ${b.availableUsd}`;
  if (!(b.availableUsd > 0))
    return row(
      'balance',
      'fail',
      `${figures}: nothing available to trade with; fund the futures account`,
    );
  return row('balance', 'ok', figures);
}

/** The local clock against the exchange's serverTime. */
export function checkClock(c: ConnectionFacts): PreflightCheck {
  if (!c.clock.ok) return row('clock', 'fail', `serverTime not read: ${c.clock.error}`);
  const { offsetMs, roundTripMs } = c.clock.value;
  const seen = `exchange clock ${offsetMs >= 0 ? 'ahead' : 'behind'} by ${Math.abs(Math.round(offsetMs))} ms (round trip ${Math.round(roundTripMs)} ms)`;
  if (Math.abs(offsetMs) > MAX_CLOCK_OFFSET_MS)
    return row(
      'clock',
      'fail',
      `${seen}, more than ${MAX_CLOCK_OFFSET_MS} ms: synchronise this host's clock (timedatectl set-ntp true; chronyc tracking)`,
    );
  return row('clock', 'ok', seen);
}

/** The stream's host answered (see stream-probe.ts for how it was asked). */
export function checkStream(w: WorkerFacts, c: ConnectionFacts): PreflightCheck {
  if (!c.stream.ok)
    return row(
      'stream',
      'fail',
      `${w.network.wsUrl} unreachable: ${c.stream.error} (check ASTER_WS_URL and the firewall's outbound wss)`,
    );
  const { detail, confirmed } = c.stream.value;
  if (!confirmed)
    return row(
      'stream',
      'warn',
      `${w.network.wsUrl}: ${detail}; the host is reachable: run npm run preflight -- --listen-key to open the user-data stream itself`,
    );
  return row('stream', 'ok', `${w.network.wsUrl}: ${detail}`);
}
