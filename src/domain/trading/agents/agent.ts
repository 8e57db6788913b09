// The small interface every strategy agent implements: market bars in, at most one signal out.
// Agents are pure: the same bars give the same signal; time comes in with the bars.
import type { EventPayload } from '../../../ports/events.ts';

export type Direction = 'LONG' | 'SHORT' | 'FLAT';

/** Bars of one symbol, oldest first, all arrays the same length. */
export interface Bars {
  symbol: string;
  closes: readonly number[];
  highs: readonly number[];
  lows: readonly number[];
  /** Close time of the newest bar, ms since the epoch. */
  nowMs: number;
}

export interface Signal {
  agentId: string;
  symbol: string;
  direction: Direction;
  /** 0..1: how sure the agent is. */
  confidence: number;
  /** Suggested position size as a fraction of NAV (before risk limits). */
  sizeHint: number;
  rationale: string;
  timeMs: number;
}

/** The `signal` event's payload: the signal in the payloads' snake_case. */
export function signalPayload(s: Signal): EventPayload<'signal'> {
  return {
    agent_id: s.agentId,
    symbol: s.symbol,
    direction: s.direction,
    confidence: s.confidence,
    size_hint: s.sizeHint,
    rationale: s.rationale,
    time_ms: s.timeMs,
  };
}

export interface Agent {
  readonly id: string;
  /** Bars needed before the agent says anything. */
  readonly lookback: number;
  analyze(bars: Bars): Signal | undefined;
}

export const clamp01 = (x: number): number => (x > 1 ? 1 : x > 0 ? x : 0);

export function mean(xs: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += xs[i]!;
  return sum / (to - from);
}

export function stdDev(xs: readonly number[], from: number, to: number): number {
  const m = mean(xs, from, to);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (xs[i]! - m) ** 2;
  return Math.sqrt(sum / (to - from));
}

/** True when every bar is a finite positive price (an agent says nothing on bad data). */
export function isUsable(bars: Bars, lookback: number): boolean {
  const n = bars.closes.length;
  if (n < lookback || bars.highs.length !== n || bars.lows.length !== n) return false;
  const isPrice = (x: number) => x > 0 && x < Infinity;
  for (let i = n - lookback; i < n; i++) {
    if (!isPrice(bars.closes[i]!) || !isPrice(bars.highs[i]!) || !isPrice(bars.lows[i]!))
      return false;
  }
  return true;
}
