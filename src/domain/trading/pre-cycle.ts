// The jobs that run before each trading cycle, in order, and when each is due:
//   1. paper: move the market to now; a new bar may fill resting orders or trigger stops;
//   2. paper: book the liquidations that bar caused (paper-liquidations.ts);
//   3. look up the orders an outage left in flight (nothing to do usually);
//   4. sync the protective stops: on paper when a bar traded, against a real exchange every
//      `stopSyncMs` (each sync reads positions and each symbol's open orders: weight 5 + 1 a symbol).
// Stops are also synced after every fill (syncStopsLogged, from the executor's onBooked).
import type { AlertSink } from '../../ports/alerts.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Executor } from './executor.ts';
import type { InFlightOrders } from './in-flight.ts';
import { bookPaperLiquidations, type LiquidatingExchange } from './paper-liquidations.ts';
import type { StopKeeper } from './stop-keeper.ts';

/** How often the stops are checked against a real exchange outside fills and reconciliations. */
export const STOP_SYNC_MS = 5_000;

/** The paper venue: a market moved bar by bar and the exchange that fills on each bar. */
export interface PaperVenue {
  market: { advanceTo(nowMs: number): number };
  exchange: LiquidatingExchange & { onBar(): readonly unknown[] };
}

/** What the pre-cycle jobs act on. */
export interface PreCycleOptions {
  /** Present in paper mode. */
  paper?: PaperVenue;
  executor: Pick<Executor, 'adopt' | 'resolveInFlight'>;
  inFlight: Pick<InFlightOrders, 'size'>;
  /** Syncs the protective stops (absent when stops are off); never rejects. */
  syncStops?: () => Promise<unknown>;
  /** Where a paper liquidation is alerted; none in backtests. */
  alerts?: Pick<AlertSink, 'raise'>;
  log: Pick<LogPort, 'error'>;
  /** Wall clock (ms): the paper market's bar times. */
  nowMs: () => number;
  /** Monotonic clock (ms): the stop-sync interval, which a wall-clock step neither hurries nor stalls. */
  monoMs: () => number;
  /** STOP_SYNC_MS unless given. */
  stopSyncMs?: number;
}

/** Syncs the stops, logging a failure instead of rejecting (a sync may not stop a cycle). */
export function syncStopsLogged(stops: Pick<StopKeeper, 'sync'>, log: Pick<LogPort, 'error'>) {
  return stops.sync().catch((e) => log.error({ err: e }, 'Protective stops not synced'));
}

/** Returns the job list as one function, run by the trading loop before each cycle. */
export function createPreCycle(o: PreCycleOptions): () => Promise<void> {
  const stopSyncMs = o.stopSyncMs ?? STOP_SYNC_MS;
  let stopsSyncedMs = -Infinity;
  return async () => {
    const paper = o.paper;
    const paperTrades =
      paper && paper.market.advanceTo(o.nowMs()) > 0 ? paper.exchange.onBar() : [];
    if (paper && paperTrades.length > 0)
      await bookPaperLiquidations(paper.exchange, o.executor, o.log, o.alerts);
    if (o.inFlight.size > 0) await o.executor.resolveInFlight();
    const due = paper ? paperTrades.length > 0 : o.monoMs() - stopsSyncedMs >= stopSyncMs;
    if (o.syncStops && due) {
      stopsSyncedMs = o.monoMs();
      await o.syncStops();
    }
  };
}
