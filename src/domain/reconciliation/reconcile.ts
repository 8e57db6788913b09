// Compares the worker's own book with what the exchange reports: position quantity per symbol,
// NAV against the exchange's equity, and trades from orders we never sent. Pure and linear: one
// pass over each input with Maps and Sets, so 10,000 positions and 100,000 trades stay cheap.
import { checkTrades } from './reconcile-trades.ts';
import {
  type CheckResult,
  isDivergent,
  type ReconciliationReport,
  summariseReport,
} from './report.ts';

export {
  type CheckResult,
  type CheckStatus,
  type CheckType,
  errorReport,
  type ReconciliationReport,
  reportPayload,
} from './report.ts';

/** The default relative tolerance (product.md: quantities agree within 0.1 %). */
export const DEFAULT_TOLERANCE = 0.001;

/**
 * Quantities smaller than this count as flat. Float sums of fills leave dust (0.1 + 0.2 - 0.3 is
 * 5.6e-17) and a relative tolerance is meaningless next to zero; exchange lot sizes are ≥ 1e-8.
 */
export const FLAT_EPSILON = 1e-9;

export interface InternalSnapshot {
  /** Signed quantity per symbol; flat symbols may be absent or 0. */
  positions: Readonly<Record<string, number>>;
  navUsd: number;
  /**
   * What the account ledger booked since start, by kind (USD): quoted in the balance check's
   * message, so that a report says how the wallet moved (funding, transfers, insurance clearance…).
   */
  ledgerUsd?: Readonly<Record<string, number>>;
  /** The exchange order ids of the orders we sent. */
  sentOrderIds: ReadonlySet<string> | ((orderId: string) => boolean);
  /**
   * The exchange's own orders (a liquidation, an ADL): their trades are neither ours nor foreign.
   * Undefined for an order that is not one of the exchange's.
   */
  exchangeOrderKind?: (orderId: string) => 'liquidation' | 'adl' | undefined;
  /**
   * Symbols with an order of ours whose outcome is not known yet (answer lost or late). What such
   * an order explains is not judged: a divergence on these symbols, and of the balance while any is
   * pending, is DEFERRED to the next run.
   */
  inFlightSymbols?: ReadonlySet<string>;
}

export interface ExchangeSnapshot {
  positions: readonly { symbol: string; quantity: number }[];
  equityUsd: number;
  trades: readonly { id: string; orderId: string; symbol: string }[];
}

interface ReconcileOptions {
  /** Relative tolerance for quantities and the balance; default 0.001. */
  tolerance?: number;
  nowMs: number;
}

const isFlat = (q: number) => Math.abs(q) < FLAT_EPSILON;
/** |a - b| within `tolerance` of the larger magnitude (so the check is symmetric). */
const withinTolerance = (a: number, b: number, tolerance: number) =>
  Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));

export function reconcile(
  internal: InternalSnapshot,
  exchange: ExchangeSnapshot,
  opts: ReconcileOptions,
): ReconciliationReport {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const results: CheckResult[] = [];
  checkPositions(internal.positions, exchange.positions, tolerance, results);
  const balance = checkBalance(internal.navUsd, exchange.equityUsd, tolerance);
  const explained = explainLedger(internal.ledgerUsd);
  results.push(explained ? { ...balance, message: `${balance.message}; ${explained}` } : balance);
  checkTrades(internal.sentOrderIds, exchange.trades, results, internal.exchangeOrderKind);
  if (internal.inFlightSymbols?.size) deferInFlight(results, internal.inFlightSymbols);
  return summariseReport(results, opts.nowMs);
}

/** Turns the divergences our own unfinished orders may explain into DEFERRED results, in place. */
function deferInFlight(results: CheckResult[], inFlight: ReadonlySet<string>): void {
  for (const [i, r] of results.entries()) {
    if (!isDivergent(r.status)) continue;
    // The balance moves with any fill, so any order in flight may explain it.
    if (r.symbol !== null && !inFlight.has(r.symbol)) continue;
    const pending = r.symbol ?? [...inFlight].sort().join(', ');
    results[i] = {
      ...r,
      status: 'DEFERRED',
      message: `${r.message}; not judged: an order on ${pending} is still in flight`,
    };
  }
}

function checkPositions(
  internal: Readonly<Record<string, number>>,
  exchange: ExchangeSnapshot['positions'],
  tolerance: number,
  out: CheckResult[],
): void {
  // Summed per symbol: an account in hedge mode reports a long and a short leg separately.
  const theirs = new Map<string, number>();
  for (const p of exchange) theirs.set(p.symbol, (theirs.get(p.symbol) ?? 0) + p.quantity);
  for (const [symbol, ours] of Object.entries(internal)) {
    const result = comparePosition(symbol, ours, theirs.get(symbol) ?? 0, tolerance);
    if (result) out.push(result);
  }
  for (const [symbol, q] of theirs) {
    if (Object.hasOwn(internal, symbol)) continue;
    const result = comparePosition(symbol, 0, q, tolerance);
    if (result) out.push(result);
  }
}

/** One symbol's verdict; undefined when both sides are flat (nothing to check). */
function comparePosition(
  symbol: string,
  ours: number,
  theirs: number,
  tolerance: number,
): CheckResult | undefined {
  const base = {
    checkType: 'position' as const,
    symbol,
    internalValue: ours,
    exchangeValue: theirs,
  };
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) {
    return {
      ...base,
      status: 'ERROR',
      message: `${symbol}: unusable quantity (internal ${ours}, exchange ${theirs})`,
    };
  }
  const flatOurs = isFlat(ours);
  const flatTheirs = isFlat(theirs);
  if (flatOurs && flatTheirs) return undefined;
  if (flatOurs)
    return {
      ...base,
      status: 'MISSING_INTERNAL',
      message: `${symbol}: the exchange holds ${theirs}, the worker's book is flat`,
    };
  if (flatTheirs)
    return {
      ...base,
      status: 'MISSING_EXCHANGE',
      message: `${symbol}: the worker's book holds ${ours}, the exchange is flat`,
    };
  if (withinTolerance(ours, theirs, tolerance))
    return { ...base, status: 'MATCH', message: `${symbol}: ${ours} on both sides` };
  const drift = Math.abs(ours - theirs) / Math.max(Math.abs(ours), Math.abs(theirs));
  return {
    ...base,
    status: 'MISMATCH',
    message: `${symbol}: internal ${ours}, exchange ${theirs} (off by ${(drift * 100).toPrecision(3)} %, tolerance ${tolerance * 100} %)`,
  };
}

/** "ledger since start: funding -120.00, transfer -20000.00 USD" (kinds with nothing booked left out), or ''. */
function explainLedger(ledgerUsd: InternalSnapshot['ledgerUsd']): string {
  const moved = Object.entries(ledgerUsd ?? {}).filter(([, v]) => v !== 0);
  if (moved.length === 0) return '';
  return `ledger since start: ${moved.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} USD`;
}

function checkBalance(navUsd: number, equityUsd: number, tolerance: number): CheckResult {
  const base = {
    checkType: 'balance' as const,
    symbol: null,
    internalValue: navUsd,
    exchangeValue: equityUsd,
  };
  if (!Number.isFinite(navUsd) || !Number.isFinite(equityUsd)) {
    return {
      ...base,
      status: 'ERROR',
      message: `unusable figure (internal NAV ${navUsd}, exchange equity ${equityUsd})`,
    };
  }
  if (withinTolerance(navUsd, equityUsd, tolerance))
    return {
      ...base,
      status: 'MATCH',
      message: `NAV ${navUsd.toFixed(2)} USD agrees with the exchange equity ${equityUsd.toFixed(2)} USD`,
    };
  return {
    ...base,
    status: 'MISMATCH',
    message: `internal NAV ${navUsd.toFixed(2)} USD, exchange equity ${equityUsd.toFixed(2)} USD (gap ${(equityUsd - navUsd).toFixed(2)} USD)`,
  };
}
