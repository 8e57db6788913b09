import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import type { Agent, Bars } from '../../../../src/domain/trading/agents/agent.ts';
import { createMeanReversionAgent } from '../../../../src/domain/trading/agents/mean-reversion.ts';
import { createMomentumAgent } from '../../../../src/domain/trading/agents/momentum.ts';
import { createVolatilityBreakoutAgent } from '../../../../src/domain/trading/agents/volatility-breakout.ts';

/** Bars from a list of closes, with highs and lows 0.1 % around each close. */
function bars(closes: number[], symbol = 'BTCUSDT'): Bars {
  return {
    symbol,
    closes,
    highs: closes.map((c) => c * 1.001),
    lows: closes.map((c) => c * 0.999),
    nowMs: 1_000,
  };
}
const flat = (n: number, price = 100) => Array.from({ length: n }, () => price);
const trend = (n: number, from: number, step: number) =>
  Array.from({ length: n }, (_, i) => from + i * step);
/** A gentle sine around 100 so that the standard deviation is not zero. */
const wobble = (n: number) => Array.from({ length: n }, (_, i) => 100 + Math.sin(i));

describe('momentum agent', () => {
  const agent = createMomentumAgent();
  it('goes long in an up-trend and short in a down-trend', () => {
    expect(agent.analyze(bars(trend(60, 100, 0.2)))).toMatchObject({
      direction: 'LONG',
      agentId: 'momentum',
      symbol: 'BTCUSDT',
    });
    expect(agent.analyze(bars(trend(60, 100, -0.2)))?.direction).toBe('SHORT');
  });
  it('says nothing on a flat market or with too few bars', () => {
    expect(agent.analyze(bars(flat(60)))).toBeUndefined();
    expect(agent.analyze(bars(trend(10, 100, 1)))).toBeUndefined();
  });
});

describe('mean reversion agent', () => {
  const agent = createMeanReversionAgent();
  it('fades a close far above its mean and buys one far below', () => {
    expect(agent.analyze(bars([...wobble(40), 110]))).toMatchObject({
      direction: 'SHORT',
      agentId: 'mean_reversion',
    });
    expect(agent.analyze(bars([...wobble(40), 90]))?.direction).toBe('LONG');
  });
  it('says nothing near the mean', () => {
    expect(agent.analyze(bars(wobble(41)))).toBeUndefined();
  });
});

describe('volatility breakout agent', () => {
  const agent = createVolatilityBreakoutAgent();
  it('goes with a close beyond the channel', () => {
    expect(agent.analyze(bars([...wobble(30), 103]))).toMatchObject({
      direction: 'LONG',
      agentId: 'volatility_breakout',
    });
    expect(agent.analyze(bars([...wobble(30), 97]))?.direction).toBe('SHORT');
  });
  it('says nothing inside the channel', () => {
    expect(agent.analyze(bars([...wobble(30), 100]))).toBeUndefined();
  });
});

describe('every agent', () => {
  const agents: Agent[] = [
    createMomentumAgent(),
    createMeanReversionAgent(),
    createVolatilityBreakoutAgent(),
  ];
  const price = fc.oneof(
    fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    fc.constantFrom(NaN, Infinity, -1, 0),
  );

  it('answers a well-formed signal or nothing for any bars, garbage included', () => {
    fc.assert(
      fc.property(fc.array(price, { minLength: 0, maxLength: 80 }), (closes) => {
        for (const agent of agents) {
          const s = agent.analyze(bars(closes));
          if (!s) continue;
          expect(['LONG', 'SHORT']).toContain(s.direction);
          expect(s.confidence).toBeGreaterThanOrEqual(0);
          expect(s.confidence).toBeLessThanOrEqual(1);
          expect(s.sizeHint).toBeGreaterThan(0);
          expect(s.rationale.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('says nothing when a bar in its window is not a positive finite price', () => {
    for (const agent of agents) {
      const closes = trend(60, 100, 0.5);
      closes[58] = NaN;
      expect(agent.analyze(bars(closes))).toBeUndefined();
    }
  });
});
