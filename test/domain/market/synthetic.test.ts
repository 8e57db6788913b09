import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { createSyntheticMarket, REGIMES } from '../../../src/domain/market/synthetic.ts';

describe('synthetic market', () => {
  test('the same seed gives the same bars; another seed gives others', () => {
    const bars = (seed: number) => {
      const m = createSyntheticMarket({ seed, startMs: 0 });
      for (let i = 0; i < 500; i++) m.step();
      return m.candles('BTCUSDT', 500).map((c) => c.close);
    };
    expect(bars(7)).toEqual(bars(7));
    expect(bars(7)).not.toEqual(bars(8));
  });

  test('bars are well formed: positive prices, low <= open/close <= high, contiguous times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const m = createSyntheticMarket({ seed, startMs: 1_000, barMs: 60_000 });
        for (let i = 0; i < 300; i++) m.step();
        for (const symbol of m.symbols) {
          const bars = m.candles(symbol, 300);
          expect(bars).toHaveLength(300);
          bars.forEach((b, i) => {
            expect(b.low).toBeGreaterThan(0);
            expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
            expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
            expect(b.openTimeMs).toBe(1_000 + i * 60_000);
            if (i > 0) expect(b.open).toBe(bars[i - 1]!.close);
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  test('regimes change over a long run and a shock moves the next bar by its fraction', () => {
    const m = createSyntheticMarket({ seed: 3, startMs: 0 });
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      m.step();
      seen.add(m.regime('ETHUSDT')!);
    }
    expect(seen.size).toBeGreaterThan(1);
    expect(REGIMES.map((r) => r.name)).toEqual(expect.arrayContaining([...seen]));
    const before = m.price('ETHUSDT')!;
    m.shock('ETHUSDT', -0.3);
    m.step();
    expect(m.price('ETHUSDT')! / before).toBeGreaterThan(0.65);
    expect(m.price('ETHUSDT')! / before).toBeLessThan(0.75);
  });

  test('advanceTo adds the bars that closed by then, and keeps memory bounded', () => {
    const m = createSyntheticMarket({ seed: 1, startMs: 0, barMs: 1_000, keep: 100 });
    expect(m.advanceTo(10_500)).toBe(10);
    expect(m.advanceTo(10_900)).toBe(0);
    m.advanceTo(1_000_000);
    expect(m.candles('BTCUSDT', 10_000).length).toBeLessThanOrEqual(200);
  });
});

test('rebase scales the whole path so that the last close is the given price', () => {
  const m = createSyntheticMarket({ seed: 4, startMs: 0 });
  for (let i = 0; i < 50; i++) m.step();
  const before = m.candles('BTCUSDT', 50);
  m.rebase('BTCUSDT', 12_345);
  const after = m.candles('BTCUSDT', 50);
  expect(m.price('BTCUSDT')).toBe(12_345);
  expect(after.at(-1)!.close).toBeCloseTo(12_345, 6);
  const k = 12_345 / before.at(-1)!.close;
  after.forEach((b, i) => expect(b.high / before[i]!.high).toBeCloseTo(k, 9));
  m.step();
  expect(m.candles('BTCUSDT', 1)[0]!.open).toBeCloseTo(12_345, 6);
});
