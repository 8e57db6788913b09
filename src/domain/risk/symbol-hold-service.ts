// The symbol holds of the worker (symbol-holds.ts) kept in memory, stored as `symbol_hold` events
// (set and cleared), restored at start-up: a restart never lifts a hold by itself. Counted in
// ais_symbol_hold{symbol, cause}.
import { EventType, type EventStore } from '../../ports/event-store.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import {
  clearHold,
  type HoldCause,
  holdSymbol,
  type SymbolHold,
  type SymbolHolds,
} from './symbol-holds.ts';

export interface SymbolHoldService {
  /** The symbol's hold, if any. */
  of(symbol: string): SymbolHold | undefined;
  all(): SymbolHolds;
  /** Holds `symbol` (a stricter hold already in place stays); stored before it resolves. */
  hold(symbol: string, h: Omit<SymbolHold, 'sinceMs'>): Promise<void>;
  /** Clears the symbol's hold (an operator's action, or the cause gone); false when there was none. */
  clear(symbol: string, by: string, reason?: string): Promise<boolean>;
}

interface SymbolHoldServiceOptions {
  store: EventStore;
  metrics: Pick<Metrics, 'symbolHold'>;
  log: LogPort;
  nowMs: () => number;
}

/** Reads the stored holds (the newest event per symbol wins) and returns the service. */
export async function createSymbolHoldService(
  o: SymbolHoldServiceOptions,
): Promise<SymbolHoldService> {
  let holds: SymbolHolds = {};
  const stored = await o.store.query({ type: EventType.symbolHold, limit: 10_000 });
  for (const e of stored) {
    const p = e.payload;
    holds =
      p.state === 'CLEARED'
        ? clearHold(holds, p.symbol)
        : { ...holds, [p.symbol]: { ...p, state: p.state, cause: p.cause, sinceMs: e.timeMs } };
  }
  for (const [symbol, h] of Object.entries(holds)) o.metrics.symbolHold(symbol, h.cause, true);
  if (Object.keys(holds).length)
    o.log.warn({ holds }, 'Symbol holds restored: those symbols stay held until cleared');

  return {
    of: (symbol) => holds[symbol],
    all: () => holds,
    async hold(symbol, h) {
      const next = holdSymbol(holds, symbol, { ...h, sinceMs: o.nowMs() });
      if (next === holds) return;
      await o.store.append({
        type: EventType.symbolHold,
        stream: symbol,
        payload: { symbol, state: h.state, cause: h.cause, reason: h.reason, by: h.by },
      });
      holds = next;
      o.metrics.symbolHold(symbol, h.cause, true);
      o.log.warn({ symbol, ...h }, 'Symbol held');
    },
    async clear(symbol, by, reason) {
      const old = holds[symbol];
      if (!old) return false;
      await o.store.append({
        type: EventType.symbolHold,
        stream: symbol,
        payload: { symbol, state: 'CLEARED', cause: old.cause, reason: reason ?? 'cleared', by },
      });
      holds = clearHold(holds, symbol);
      o.metrics.symbolHold(symbol, old.cause, false);
      o.log.info({ symbol, by, cause: old.cause }, 'Symbol hold cleared');
      return true;
    },
  };
}
