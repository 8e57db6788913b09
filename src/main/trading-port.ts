// The HTTP layer's view of the trading side (AppDeps.trading), built from what buildTrading made.
import type { TradingPort } from '../http/deps.ts';
import type { TradingDeps } from './build-trading.ts';

/** Builds AppDeps.trading over a built trading side (the worker and the HTTP tests share it). */
export function tradingPort(
  trading: Pick<TradingDeps, 'symbols' | 'loop' | 'coordinator' | 'stops' | 'exchange'>,
): TradingPort {
  return {
    symbols: trading.symbols,
    loopRunning: () => trading.loop.running,
    submitSignal: (signal) => trading.coordinator.submitSignal(signal),
    protectiveStops: () => trading.stops?.stops() ?? new Map(),
    // One read per traded symbol (Aster weight 1 each) rather than one without a symbol (weight 40).
    openOrders: async () =>
      (await Promise.all(trading.symbols.map((s) => trading.exchange.openOrders(s))))
        .flat()
        .sort((a, b) => a.timeMs - b.timeMs),
  };
}
