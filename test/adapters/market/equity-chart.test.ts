import { describe, expect, test } from 'bun:test';
import {
  drawdowns,
  equityChartHtml,
  MAX_POINTS,
  reduce,
  ticks,
} from '../../../src/adapters/market/equity-chart.ts';

const T0 = Date.UTC(2026, 0, 1);
const series = (navs: number[], stepMs = 60_000) =>
  navs.map((navUsd, i) => ({ timeMs: T0 + i * stepMs, navUsd }));

describe('drawdowns', () => {
  test('from the running peak, as fractions', () => {
    expect(drawdowns(series([100, 110, 99, 121, 110]))).toEqual([0, 0, 0.1, 0, 11 / 121]);
  });
});

describe('reduce', () => {
  test('keeps short series as they are', () => {
    const s = series([1, 2, 3]);
    expect(reduce(s).map((c) => c.navUsd)).toEqual([1, 2, 3]);
  });

  test('at most MAX_POINTS columns, and the deepest drawdown survives inside a column', () => {
    const navs = Array.from({ length: 43_200 }, (_, i) => 100_000 + (i % 7));
    navs[20_001] = 50_000; // one bar half down, hidden inside a column
    const cols = reduce(series(navs));
    expect(cols.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(Math.max(...cols.map((c) => c.drawdown))).toBeCloseTo(0.5, 3);
    expect(cols.at(-1)!.timeMs).toBe(T0 + 43_199 * 60_000);
  });
});

describe('ticks', () => {
  test('round values covering the range', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(98_950, 100_210)).toEqual([99_000, 99_500, 100_000]);
    expect(ticks(-0.0135, 0)).toEqual([-0.01, -0.005, 0]);
    expect(ticks(5, 5)).toEqual([5]);
  });
});

describe('equityChartHtml', () => {
  const html = equityChartHtml(series([100_000, 101_000, 99_000, 102_000], 3_600_000 * 6), {
    runId: 'seed1-<x>',
    totalReturn: 0.02,
    maxDrawdown: 0.0198,
  });

  test('self-contained: no script, no external resource', () => {
    expect(html).not.toMatch(/<script|src=|href=|url\(|@import/i);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  test('says the run, its return and drawdown, with the caption escaped', () => {
    expect(html).toContain(
      '<title>Backtest seed1-&#60;x&#62;: return 2.00 %, max drawdown 1.98 %</title>',
    );
  });

  test('UTC time labels and USD / % axis labels', () => {
    expect(html).toContain('>01-01 00:00<');
    expect(html).toContain('>01-01 12:00<');
    expect(html).toContain('>100,000<');
    expect(html).toContain('>0.0 %<');
  });

  test('refuses an empty series', () => {
    expect(() => equityChartHtml([], { runId: 'x', totalReturn: 0, maxDrawdown: 0 })).toThrow(
      'no points',
    );
  });
});
