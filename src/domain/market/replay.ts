// A market replayed from recorded bars (a CSV file, say): the same face as the synthetic market,
// so the paper exchange and the agents cannot tell them apart. A bar becomes visible once the clock
// has reached its close. Pure: time comes in through advanceTo.
import type { Candle } from '../../ports/exchange.ts';
import { InvalidArgumentError } from '../errors.ts';

export interface SymbolBar extends Candle {
  symbol: string;
}

interface ReplayMarket {
  readonly symbols: readonly string[];
  /** The bar length, from the data (the smallest gap between two bars of one symbol). */
  readonly barMs: number;
  /** Open time of the first bar and close time of the last, over all symbols. */
  readonly startMs: number;
  readonly endMs: number;
  /** Reveals every bar that has closed by nowMs; returns how many were revealed. */
  advanceTo(nowMs: number): number;
  price(symbol: string): number | undefined;
  candles(symbol: string, limit: number): Candle[];
}

export function createReplayMarket(bars: readonly SymbolBar[]): ReplayMarket {
  if (bars.length === 0) throw new InvalidArgumentError('no bars to replay');
  const bySymbol = new Map<string, Candle[]>();
  for (const { symbol, ...c } of bars) {
    const list = bySymbol.get(symbol) ?? [];
    list.push(c);
    bySymbol.set(symbol, list);
  }
  let barMs = Infinity;
  for (const list of bySymbol.values()) {
    list.sort((a, b) => a.openTimeMs - b.openTimeMs);
    for (let i = 1; i < list.length; i++) {
      const gap = list[i]!.openTimeMs - list[i - 1]!.openTimeMs;
      if (gap <= 0)
        throw new InvalidArgumentError(
          `two bars of one symbol open at ${new Date(list[i]!.openTimeMs).toISOString()}`,
        );
      barMs = Math.min(barMs, gap);
    }
  }
  if (!Number.isFinite(barMs)) barMs = 60_000;
  const revealed = new Map<string, number>([...bySymbol.keys()].map((s) => [s, 0]));
  const all = [...bySymbol.values()].flat();
  return {
    symbols: [...bySymbol.keys()],
    barMs,
    startMs: Math.min(...all.map((c) => c.openTimeMs)),
    endMs: Math.max(...all.map((c) => c.closeTimeMs)),
    advanceTo(nowMs) {
      let n = 0;
      for (const [symbol, list] of bySymbol) {
        let i = revealed.get(symbol)!;
        while (i < list.length && list[i]!.closeTimeMs <= nowMs) i++;
        n += i - revealed.get(symbol)!;
        revealed.set(symbol, i);
      }
      return n;
    },
    price(symbol) {
      const i = revealed.get(symbol);
      return i ? bySymbol.get(symbol)![i - 1]!.close : undefined;
    },
    candles(symbol, limit) {
      const i = revealed.get(symbol) ?? 0;
      return (bySymbol.get(symbol) ?? []).slice(Math.max(0, i - Math.max(0, limit)), i);
    },
  };
}
