// One reconciliation run: reads the exchange (balance, positions, then each symbol's trades since
// the last run), snapshots the worker's book, compares them (reconcile.ts), stores the report as
// one `reconciliation` event, feeds metrics and logs. Never throws: an exchange it cannot read
// (breaker open, timeout, a bad body) gives a report of status `error`.
import type { InternalBook, ReconcilerOptions } from './reconciler-options.ts';
import { EventType } from '../../ports/event-store.ts';
import { accountEquityUsd, type ExchangePosition, isExchangeError } from '../../ports/exchange.ts';
import { isCircuitOpen } from '../../ports/resilience.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import { DEFAULT_TOLERANCE, reconcile } from './reconcile.ts';
import { readAllTrades } from './trades.ts';
import {
  errorReport,
  isDivergent,
  mismatchesByCheckType,
  type ReconciliationReport,
  reportPayload,
  summariseReport,
} from './report.ts';

/** The first run (and a symbol never read before) looks this far back for trades. */
export const DEFAULT_TRADE_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Each window starts this much before the previous run's settled point: the exchange's clock as
 * this process estimates it (Exchange.serverNowMs) is off by up to half a round trip, and trades
 * may be listed a moment after their timestamp.
 */
const CLOCK_SKEW_MS = 5_000;
/**
 * Trades younger than this wait for the next run: the executor learns an order's exchange id (and
 * books its fills) one round trip after the exchange filled it, so a fresh trade may not be known yet.
 */
export const DEFAULT_SETTLE_MS = 2_000;
/**
 * A position or balance divergence is read again after this long before it counts: a fill the
 * exchange has made but the executor has not booked yet looks like a divergence for a moment.
 */
const DEFAULT_CONFIRM_AFTER_MS = 1_000;

export type {
  AccountHooks,
  InternalBook,
  ReconcilerOptions,
  ReconcilerTuning,
  WorkerSide,
} from './reconciler-options.ts';

export interface Reconciler {
  /** Runs now (or joins the run in progress) and resolves with its report; never rejects. */
  run(): Promise<ReconciliationReport>;
  /** The last report of this process, if any. */
  latest(): ReconciliationReport | undefined;
  /** Ms since the latest run started, on the monotonic clock; undefined before the first. */
  latestAgeMs(): number | undefined;
}

/**
 * The internal side from the worker's portfolio: signed quantity per symbol, and NAV with every
 * position valued at the exchange's mark when it has one (so the balance check compares books, not
 * the moments at which each side last saw a price).
 */
export function bookOf(p: Portfolio, marks: Readonly<Record<string, number>> = {}): InternalBook {
  const positions: Record<string, number> = {};
  let nav = p.cashUsd;
  for (const pos of Object.values(p.positions)) {
    positions[pos.symbol] = pos.quantity;
    const mark = marks[pos.symbol];
    nav +=
      pos.quantity * ((mark !== undefined && mark > 0 ? mark : pos.markPrice) - pos.avgEntryPrice);
  }
  return { positions, navUsd: nav };
}

/** A reason fit for a report and a log line: the error kind (or code) and message, never a stack. */
export function describeFailure(e: unknown): string {
  if (isCircuitOpen(e)) return `${e.code} in ${e.service}: ${e.message}`;
  if (isExchangeError(e))
    return `${e.kind}${e.details.operation ? ` in ${e.details.operation}` : ''}: ${e.message}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

const marksOf = (positions: readonly ExchangePosition[]) => {
  const marks: Record<string, number> = {};
  for (const p of positions) marks[p.symbol] = p.markPrice;
  return marks;
};

export function createReconciler(o: ReconcilerOptions): Reconciler {
  const w = o.worker;
  const tuning = o.tuning ?? {};
  const tolerance = tuning.tolerance ?? DEFAULT_TOLERANCE;
  const windowMs = tuning.tradeWindowMs ?? DEFAULT_TRADE_WINDOW_MS;
  const settleMs = tuning.settleMs ?? DEFAULT_SETTLE_MS;
  const confirmAfterMs = tuning.confirmAfterMs ?? DEFAULT_CONFIRM_AFTER_MS;
  const sleep =
    tuning.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Per symbol, when its trades were last read successfully. */
  const checkedSinceMs = new Map<string, number>();
  let last: ReconciliationReport | undefined;
  let lastMonoMs: number | undefined;
  const mono = tuning.monoMs ?? o.nowMs;
  let inFlight: Promise<ReconciliationReport> | undefined;

  const readAccount = () => Promise.all([o.exchange.balance(), o.exchange.positions()]);

  async function compare(startMs: number): Promise<ReconciliationReport> {
    const [balance, positions] = await readAccount();
    // Trade windows and the settle cut-off are in the exchange's clock, like the trades' timestamps:
    // with the local clock, one a few seconds ahead would judge trades the executor has not booked
    // yet (foreign, halting trading) and one behind would skip the newest trades. Read after the
    // account: the adapter measures its clock offset before its first signed request.
    const exchangeNowMs = o.exchange.serverNowMs();
    const book = w.internal(marksOf(positions));
    const symbols = new Set(w.symbols());
    for (const s of Object.keys(book.positions)) symbols.add(s);
    for (const p of positions) symbols.add(p.symbol);
    const settledMs = exchangeNowMs - settleMs;
    const read = await readAllTrades(
      o.exchange,
      [...symbols],
      (symbol) => (checkedSinceMs.get(symbol) ?? exchangeNowMs - windowMs) - CLOCK_SKEW_MS,
      o.log,
      describeFailure,
    );
    o.account?.onTradesRead?.(read.trades);
    const trades = read.trades.filter((t) => t.timeMs <= settledMs);
    const check = (b: InternalBook, equityUsd: number, ps: typeof positions) => {
      const r = reconcile(
        {
          ...b,
          sentOrderIds: w.isOurOrder,
          exchangeOrderKind: o.account?.exchangeOrderKind,
          ledgerUsd: o.account?.ledgerUsd?.(),
          inFlightSymbols: w.inFlightSymbols?.(),
        },
        { positions: ps, equityUsd, trades },
        { tolerance, nowMs: startMs },
      );
      return read.errors.length ? summariseReport([...r.results, ...read.errors], startMs) : r;
    };
    let report = check(book, accountEquityUsd(balance, positions), positions);
    if (
      confirmAfterMs > 0 &&
      report.results.some((r) => r.checkType !== 'unauthorized_trade' && isDivergent(r.status))
    ) {
      await sleep(confirmAfterMs);
      // A failed second reading keeps the first: an unconfirmed divergence still counts.
      const again = await readAccount().catch(() => undefined);
      if (again)
        report = check(
          w.internal(marksOf(again[1])),
          accountEquityUsd(again[0], again[1]),
          again[1],
        );
    }
    // The next run reads each symbol from here (minus the skew allowance), so no trade falls between runs.
    for (const s of read.done) checkedSinceMs.set(s, settledMs);
    return report;
  }

  async function runOnce(): Promise<ReconciliationReport> {
    const startMs = o.nowMs();
    const startMonoMs = mono();
    let report: ReconciliationReport;
    let readAll = false;
    try {
      report = await compare(startMs);
      readAll = true;
    } catch (e) {
      report = errorReport(describeFailure(e), startMs);
    }
    const seconds = Math.max(0, mono() - startMonoMs) / 1000;
    // A run that read nothing says nothing about mismatches: the gauge keeps its last values.
    o.metrics.reconciliation(
      report.status,
      readAll ? mismatchesByCheckType(report) : {},
      seconds,
      startMs / 1000,
    );
    try {
      await o.store.append({
        type: EventType.reconciliation,
        stream: o.exchange.name,
        payload: reportPayload(report),
        timeMs: startMs,
      });
    } catch (e) {
      o.log.error({ err: e }, 'Reconciliation report not stored');
    }
    const summary = {
      status: report.status,
      totals: report.totals,
      mismatched_symbols: report.mismatchedSymbols,
      duration_s: seconds,
    };
    if (report.status === 'passed') o.log.info(summary, 'Reconciliation passed');
    else if (report.status === 'deferred')
      o.log.info(
        summary,
        'Reconciliation deferred some checks until orders in flight are resolved',
      );
    else {
      const problems = report.results
        .filter((r) => r.status !== 'MATCH')
        .slice(0, 20)
        .map((r) => r.message);
      o.log.warn(
        { ...summary, problems, err: report.error },
        report.status === 'failed'
          ? 'Reconciliation found divergences'
          : 'Reconciliation could not check everything',
      );
    }
    last = report;
    lastMonoMs = startMonoMs;
    return report;
  }

  return {
    run() {
      inFlight ??= runOnce().finally(() => (inFlight = undefined));
      return inFlight;
    },
    latest: () => last,
    latestAgeMs: () => (lastMonoMs === undefined ? undefined : mono() - lastMonoMs),
  };
}
