// The reconciler's options: where it reads both sides and what it shares with the live account.
import type { EventStore } from '../../ports/event-store.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';

/** The worker's side: signed quantity per symbol and NAV. */
export interface InternalBook {
  /** Signed quantity per symbol. */
  positions: Readonly<Record<string, number>>;
  navUsd: number;
}

/** What reconciliation shares with the live account's bookkeeping. */
export interface AccountHooks {
  /** What the account ledger booked since start, by kind (quoted in the balance check). */
  ledgerUsd?: () => Readonly<Record<string, number>>;
  /** Every run's trades as read on REST (the user-data stream's silence check compares them). */
  onTradesRead?: (trades: readonly { id: string; timeMs: number }[]) => void;
  /** The exchange's own orders (liquidation, ADL): their trades are not foreign. */
  exchangeOrderKind?: (orderId: string) => 'liquidation' | 'adl' | undefined;
}

/** The worker's side of the comparison: its book, its orders and the symbols it trades. */
export interface WorkerSide {
  /**
   * The worker's own book, read right after the exchange's positions and balance; `marks` are the
   * exchange's mark prices by symbol, for valuing it (see bookOf).
   */
  internal: (marks: Readonly<Record<string, number>>) => InternalBook;
  /** True for the exchange order id of an order this worker (or one sharing its store) sent. */
  isOurOrder: (orderId: string) => boolean;
  /** Symbols with an order of ours whose outcome is not known yet: their divergences are DEFERRED. */
  inFlightSymbols?: () => ReadonlySet<string>;
  /** Symbols whose trades are checked (those with a position on either side are always added). */
  symbols: () => readonly string[];
}

/** How strictly and how patiently the reconciler compares; every field has a default. */
export interface ReconcilerTuning {
  tolerance?: number;
  /** How far back the first run reads trades; default 24 h. */
  tradeWindowMs?: number;
  settleMs?: number;
  /** 0 turns the second reading off. */
  confirmAfterMs?: number;
  /** Waits ms (setTimeout by default; tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** The monotonic clock (ms, epoch scale: clocks.ts) timing a run and the age of the last one; `nowMs` when absent. */
  monoMs?: () => number;
}

/** What createReconciler reads both sides from, where it records, and how it compares. */
export interface ReconcilerOptions {
  exchange: Pick<Exchange, 'name' | 'balance' | 'positions' | 'userTrades' | 'serverNowMs'>;
  /** The worker's book and orders; see WorkerSide. */
  worker: WorkerSide;
  /** The live account's hooks (issue #15); see AccountHooks. */
  account?: AccountHooks;
  store: EventStore;
  metrics: Metrics;
  /** The `ais.reconciliation` logger. */
  log: LogPort;
  nowMs: () => number;
  /** Tolerance and timings; see ReconcilerTuning. */
  tuning?: ReconcilerTuning;
}
