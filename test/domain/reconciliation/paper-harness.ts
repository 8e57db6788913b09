// A worker's reconciliation side on the real paper exchange: the HTTP test deps (in-memory libSQL,
// prom-client, the control and alert services), a seeded market, the paper exchange, the worker's
// own book, a reconciler and a loop, with a clock the test moves. `trade()` places an order and
// books (or deliberately mis-books) its fills the way the executor does.
import { createPaperExchange } from '../../../src/adapters/exchange/paper/paper-exchange.ts';
import { componentLogger } from '../../../src/adapters/logging/logger.ts';
import type { Env } from '../../../src/config/config.ts';
import { createSyntheticMarket } from '../../../src/domain/market/synthetic.ts';
import { applyFill, type Fill } from '../../../src/domain/portfolio/portfolio.ts';
import {
  createReconciliationLoop,
  type MismatchAction,
} from '../../../src/domain/reconciliation/loop.ts';
import {
  bookOf,
  createReconciler,
  type ReconcilerTuning,
} from '../../../src/domain/reconciliation/reconciler.ts';
import type { Exchange } from '../../../src/ports/exchange.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

export const T0 = 1_764_000_000_000;

export interface TradeOptions {
  /** Record the order id as ours (default true). */
  ours?: boolean;
  /** Book the fills into the worker's portfolio (default true). */
  booked?: boolean;
  /** Book this quantity instead of the filled one (a drift). */
  bookedQuantity?: number;
}

export async function paperHarness(
  o: {
    env?: Env;
    onMismatch?: MismatchAction;
    wrap?: (e: Exchange) => Exchange;
    /** Overrides of the reconciler's tolerance and timings. */
    reconciler?: ReconcilerTuning;
  } = {},
) {
  const t = await createTestDeps(o.env);
  let now = T0;
  const market = createSyntheticMarket({ seed: 7, startMs: T0 - 300 * 60_000, barMs: 60_000 });
  market.advanceTo(T0);
  const paper = createPaperExchange({
    market,
    initialBalanceUsd: t.deps.config.initialBalanceUsd,
    nowMs: () => now,
  });
  const exchange = o.wrap ? o.wrap(paper) : paper;
  const ourOrders = new Set<string>();
  const book = t.deps.risk.portfolio;
  const bookFill = (f: Fill) => book.update((p) => applyFill(p, f));
  /** Runs between the first and the second reading of a divergence. */
  let onConfirm: (() => void) | undefined;
  let seq = 0;

  async function trade(
    symbol: string,
    side: 'BUY' | 'SELL',
    quantity: number,
    opts: TradeOptions = {},
  ) {
    const order = await paper.placeOrder({
      clientOrderId: `cid-${++seq}`,
      symbol,
      side,
      type: 'MARKET',
      quantity,
    });
    if (opts.ours ?? true) ourOrders.add(order.orderId);
    const fills = (await paper.userTrades(symbol)).filter((x) => x.orderId === order.orderId);
    if (opts.booked ?? true) {
      for (const f of fills)
        bookFill({
          symbol,
          side,
          quantity: opts.bookedQuantity ?? f.quantity,
          price: f.price,
          feeUsd: f.feeUsd,
        });
    }
    return { order, fills };
  }

  const log = componentLogger(t.deps.logger, 'ais.reconciliation');
  const reconciler = createReconciler({
    exchange,
    worker: {
      internal: (marks) => bookOf(book.get(), marks),
      isOurOrder: (id) => ourOrders.has(id),
      symbols: () => market.symbols,
    },
    store: t.store,
    metrics: t.metrics,
    log,
    nowMs: () => now,
    tuning: {
      tolerance: t.deps.config.reconciliation.tolerance,
      sleep: async (ms) => {
        now += ms;
        onConfirm?.();
      },
      ...o.reconciler,
    },
  });
  const loop = createReconciliationLoop({
    reconciler,
    control: t.deps.risk.control,
    alerts: t.deps.alerts,
    log,
    intervalMs: t.deps.config.reconciliation.intervalMs,
    onMismatch: o.onMismatch ?? t.deps.config.reconciliation.onMismatch,
    schedule: () => () => {},
  });
  t.deps.trading.reconciliation = { run: loop.runNow };
  return {
    ...t,
    market,
    paper,
    ourOrders,
    bookFill,
    trade,
    reconciler,
    loop,
    /** Moves the clock (trades need DEFAULT_SETTLE_MS before they are judged). */
    tick: (ms: number) => (now += ms),
    now: () => now,
    onConfirm: (fn: (() => void) | undefined) => void (onConfirm = fn),
    alerts: async () =>
      (await t.store.query({ type: 'alert' })).map((e) => ({
        stream: e.stream,
        ...(e.payload as { severity: string; summary: string }),
      })),
  };
}
