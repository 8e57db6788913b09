// The order side of buildTrading: the executor that sends orders, the index of the orders this
// worker (or one sharing its store) sent, the orders in flight, and who hears of a refusal.
import { createExecutor, type Executor } from '../domain/trading/executor.ts';
import { createInFlightOrders, type InFlightOrders } from '../domain/trading/in-flight.ts';
import type { Refusal } from '../domain/trading/refusals.ts';
import { createSentOrderIndex, type SentOrderIndex } from '../domain/reconciliation/sent-orders.ts';
import type { RiskDeps } from '../http/deps.ts';
import type { Exchange } from '../ports/exchange.ts';
import type { TradingBuildInput } from './build-trading.ts';

/** What sends orders and remembers them. */
export interface TradingOrders {
  executor: Executor;
  /** Exchange order ids placed by this worker and (refreshed from the store) by any worker sharing it. */
  ourOrders: SentOrderIndex;
  /** Orders whose outcome is not known yet (reconciliation defers their symbols). */
  inFlight: InFlightOrders;
  /** Subscribes to every refusal of an order sent (the settings watch listens for settings_changed). */
  onRefused(listener: (symbol: string, refusal: Refusal) => void): void;
}

/** The monotonic clock of the input; its wall clock when none is given. */
export const monoOf = (i: Pick<TradingBuildInput, 'nowMs' | 'monoMs'>) => i.monoMs ?? i.nowMs;

/** The executor's view of the symbol rules, read live (a change hourly releases held orders). */
export const rulesFrom = (risk: RiskDeps) => (symbol: string) =>
  risk.engine.symbolRules().get(symbol);

/** The executor over `exchange`, with its order index and in-flight set; `syncStops` after each booked fill. */
export function buildOrders(
  i: TradingBuildInput,
  exchange: Exchange,
  syncStops: () => Promise<void>,
): TradingOrders {
  const ourOrders = createSentOrderIndex(i.store, i.nowMs);
  const inFlight = createInFlightOrders();
  const refusalListeners: ((symbol: string, refusal: Refusal) => void)[] = [];
  const executor = createExecutor({
    exchange,
    tokens: i.risk.tokens,
    book: i.risk.portfolio,
    store: i.store,
    metrics: i.metrics,
    clock: { nowMs: i.nowMs, monoMs: monoOf(i) },
    orders: { ourOrders, inFlight },
    policy: { rulesOf: rulesFrom(i.risk) },
    onBooked: () => void syncStops(),
    onRefused: (symbol, refusal) => {
      for (const l of refusalListeners) l(symbol, refusal);
    },
  });
  return {
    executor,
    ourOrders,
    inFlight,
    onRefused: (listener) => void refusalListeners.push(listener),
  };
}
