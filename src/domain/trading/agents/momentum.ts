// Momentum: goes with the trend when a fast moving average leads a slow one by a margin.
import { type Agent, type Bars, clamp01, isUsable, mean } from './agent.ts';

export interface MomentumOptions {
  fast?: number;
  slow?: number;
  /** Relative gap between the averages that counts as full confidence (0.004 = 0.4 %). */
  fullGap?: number;
  /** Gaps below this are noise: no signal. */
  minGap?: number;
  sizeHint?: number;
}

export function createMomentumAgent(opts: MomentumOptions = {}): Agent {
  const fast = opts.fast ?? 10;
  const slow = opts.slow ?? 40;
  const fullGap = opts.fullGap ?? 0.004;
  const minGap = opts.minGap ?? 0.0005;
  const sizeHint = opts.sizeHint ?? 0.04;
  return {
    id: 'momentum',
    lookback: slow,
    analyze(bars: Bars) {
      if (!isUsable(bars, slow)) return undefined;
      const n = bars.closes.length;
      const fastAvg = mean(bars.closes, n - fast, n);
      const slowAvg = mean(bars.closes, n - slow, n);
      const gap = (fastAvg - slowAvg) / slowAvg;
      if (Math.abs(gap) < minGap) return undefined;
      return {
        agentId: 'momentum',
        symbol: bars.symbol,
        direction: gap > 0 ? 'LONG' : 'SHORT',
        confidence: clamp01(Math.abs(gap) / fullGap),
        sizeHint,
        rationale: `SMA${fast} ${gap > 0 ? 'above' : 'below'} SMA${slow} by ${(gap * 100).toFixed(3)}%`,
        timeMs: bars.nowMs,
      };
    },
  };
}
