// Mean reversion: fades a close stretched more than `entryZ` standard deviations from its mean.
import { type Agent, type Bars, clamp01, isUsable, mean, stdDev } from './agent.ts';

export interface MeanReversionOptions {
  window?: number;
  entryZ?: number;
  /** z-score at which confidence reaches 1. */
  fullZ?: number;
  sizeHint?: number;
}

export function createMeanReversionAgent(opts: MeanReversionOptions = {}): Agent {
  const window = opts.window ?? 30;
  const entryZ = opts.entryZ ?? 1.5;
  const fullZ = opts.fullZ ?? 3;
  const sizeHint = opts.sizeHint ?? 0.03;
  return {
    id: 'mean_reversion',
    lookback: window,
    analyze(bars: Bars) {
      if (!isUsable(bars, window)) return undefined;
      const n = bars.closes.length;
      const sd = stdDev(bars.closes, n - window, n);
      if (!(sd > 0)) return undefined;
      const z = (bars.closes[n - 1]! - mean(bars.closes, n - window, n)) / sd;
      if (Math.abs(z) < entryZ) return undefined;
      return {
        agentId: 'mean_reversion',
        symbol: bars.symbol,
        direction: z > 0 ? 'SHORT' : 'LONG',
        confidence: clamp01((Math.abs(z) - entryZ) / (fullZ - entryZ)),
        sizeHint,
        rationale: `close at z=${z.toFixed(2)} from its ${window}-bar mean`,
        timeMs: bars.nowMs,
      };
    },
  };
}
