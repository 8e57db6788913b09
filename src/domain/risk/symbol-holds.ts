// Trading stopped for one symbol while the others trade: after a liquidation (no exposure added
// until an operator clears it), and later for a delisted symbol or settings changed under the
// worker. Pure: holds are a plain, serialisable record; time comes in as a number. The order
// check takes the stricter of the account's trading state and the symbol's hold.
import type { TradingState } from '../../ports/metrics.ts';

/** Why a symbol is held. Bounded: it is a metric label. */
export type HoldCause = 'liquidation' | 'delisted' | 'settings';

export interface SymbolHold {
  /** REDUCING: only orders that cut the position pass; HALTED: none. */
  state: Exclude<TradingState, 'ACTIVE'>;
  cause: HoldCause;
  reason: string;
  by: string;
  sinceMs: number;
}

export type SymbolHolds = Readonly<Record<string, SymbolHold>>;

const RANK: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** The stricter of two trading states (`undefined`: no hold). */
export function stricterState(a: TradingState, b: TradingState | undefined): TradingState {
  return b !== undefined && RANK[b] > RANK[a] ? b : a;
}

/** `holds` with `symbol` held; an existing hold stays when it is stricter (never loosened by a new one). */
export function holdSymbol(holds: SymbolHolds, symbol: string, hold: SymbolHold): SymbolHolds {
  const old = holds[symbol];
  if (old && RANK[old.state] >= RANK[hold.state]) return holds;
  return { ...holds, [symbol]: hold };
}

/** `holds` without `symbol`. */
export function clearHold(holds: SymbolHolds, symbol: string): SymbolHolds {
  if (!(symbol in holds)) return holds;
  const { [symbol]: _cleared, ...rest } = holds;
  return rest;
}
