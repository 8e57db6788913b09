// Volatility breakout: trades a close beyond the prior channel's high or low, scaled by the
// average true range so that a breakout in a quiet market counts for more.
import { type Agent, type Bars, clamp01, isUsable } from './agent.ts';

export interface BreakoutOptions {
  channel?: number;
  /** Breakout distance, in ATRs, at which confidence reaches 1. */
  fullAtr?: number;
  sizeHint?: number;
}

export function createVolatilityBreakoutAgent(opts: BreakoutOptions = {}): Agent {
  const channel = opts.channel ?? 20;
  const fullAtr = opts.fullAtr ?? 1;
  const sizeHint = opts.sizeHint ?? 0.03;
  return {
    id: 'volatility_breakout',
    lookback: channel + 1,
    analyze(bars: Bars) {
      if (!isUsable(bars, channel + 1)) return undefined;
      const { closes, highs, lows } = bars;
      const n = closes.length;
      let hi = -Infinity;
      let lo = Infinity;
      let trSum = 0;
      for (let i = n - 1 - channel; i < n - 1; i++) {
        hi = Math.max(hi, highs[i]!);
        lo = Math.min(lo, lows[i]!);
        const prev = closes[i - 1] ?? closes[i]!;
        trSum += Math.max(
          highs[i]! - lows[i]!,
          Math.abs(highs[i]! - prev),
          Math.abs(lows[i]! - prev),
        );
      }
      const atr = trSum / channel;
      const close = closes[n - 1]!;
      const above = close - hi;
      const below = lo - close;
      if (!(atr > 0) || (above <= 0 && below <= 0)) return undefined;
      const up = above > 0;
      return {
        agentId: 'volatility_breakout',
        symbol: bars.symbol,
        direction: up ? 'LONG' : 'SHORT',
        confidence: clamp01((up ? above : below) / (atr * fullAtr)),
        sizeHint,
        rationale: `close ${up ? 'above' : 'below'} the ${channel}-bar channel by ${((up ? above : below) / atr).toFixed(2)} ATR`,
        timeMs: bars.nowMs,
      };
    },
  };
}
