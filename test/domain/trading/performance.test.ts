import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { performance } from '../../../src/domain/trading/performance.ts';

test('return, max drawdown and Sharpe of known series', () => {
  const p = performance([100, 110, 99, 120], 1);
  expect(p.totalReturn).toBeCloseTo(0.2, 12);
  expect(p.maxDrawdown).toBeCloseTo(0.1, 12);
  expect(performance([100, 100, 100], 252).sharpe).toBe(0);
  expect(performance([100], 252)).toEqual({ totalReturn: 0, maxDrawdown: 0, sharpe: 0 });
  // Alternating +1 % / -0.5 %: positive mean, so a positive Sharpe.
  const navs = [100];
  for (let i = 0; i < 100; i++) navs.push(navs.at(-1)! * (i % 2 ? 0.995 : 1.01));
  expect(performance(navs, 252).sharpe).toBeGreaterThan(0);
});

test('max drawdown is within [0, 1) and zero for a rising series', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 200 }),
      (navs) => {
        const p = performance(navs, 525_600);
        expect(p.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(p.maxDrawdown).toBeLessThan(1);
        expect(Number.isFinite(p.sharpe)).toBe(true);
        const sorted = [...navs].sort((a, b) => a - b);
        expect(performance(sorted, 1).maxDrawdown).toBe(0);
      },
    ),
  );
});
