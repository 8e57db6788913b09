import { describe, expect, it, test } from 'bun:test';
import {
  applyFill,
  createPortfolio,
  markPrice,
  navUsd,
  portfolioFigures,
  portfolioFromExchange,
  startDay,
  withRiskReferences,
} from '../../../src/domain/portfolio/portfolio.ts';
import {
  portfolioFromSnapshot,
  portfolioSnapshot,
} from '../../../src/domain/portfolio/portfolio-snapshot.ts';
import { parseEventPayload } from '../../../src/ports/events.ts';

describe('portfolio', () => {
  const start = createPortfolio(100_000);

  it('starts flat with the initial balance', () => {
    expect(portfolioFigures(start)).toMatchObject({
      navUsd: 100_000,
      pnlFraction: 0,
      drawdown: 0,
      leverage: 0,
      grossUsd: 0,
      netUsd: 0,
    });
  });

  it('averages entries, realises P&L on reductions and charges fees', () => {
    let p = applyFill(start, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 60_000 });
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 62_000, feeUsd: 10 });
    expect(p.positions['BTCUSDT']).toMatchObject({ quantity: 2, avgEntryPrice: 61_000 });
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'SELL', quantity: 1, price: 63_000 });
    expect(p.cashUsd).toBe(100_000 - 10 + 2_000);
    expect(p.positions['BTCUSDT']).toMatchObject({
      quantity: 1,
      avgEntryPrice: 61_000,
      markPrice: 63_000,
    });
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'SELL', quantity: 3, price: 60_000 }); // flips short 2 at 60,000
    expect(p.positions['BTCUSDT']).toMatchObject({ quantity: -2, avgEntryPrice: 60_000 });
    expect(p.cashUsd).toBe(100_000 - 10 + 2_000 - 1_000);
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 2, price: 59_000 });
    expect(p.positions['BTCUSDT']).toBeUndefined();
    expect(navUsd(p)).toBe(100_000 - 10 + 2_000 - 1_000 + 2_000);
  });

  it('marks positions, keeps the high-water mark and reports drawdown, exposure and daily loss', () => {
    let p = applyFill(start, { symbol: 'BTCUSDT', side: 'BUY', quantity: 1, price: 50_000 });
    p = applyFill(p, { symbol: 'ETHUSDT', side: 'SELL', quantity: 10, price: 3_000 });
    p = markPrice(p, 'BTCUSDT', 60_000); // +10,000
    expect(p.peakNavUsd).toBe(110_000);
    p = startDay(p);
    p = markPrice(p, 'BTCUSDT', 49_000); // -11,000 from the peak
    const f = portfolioFigures(p);
    expect(f.navUsd).toBe(99_000);
    expect(f.drawdown).toBeCloseTo(0.1, 12);
    expect(f.dailyLoss).toBeCloseTo(0.1, 12);
    expect(f.grossUsd).toBe(49_000 + 30_000);
    expect(f.netUsd).toBe(49_000 - 30_000);
    expect(f.leverage).toBeCloseTo(79_000 / 99_000, 12);
    expect(f.exposureBySymbol['ETHUSDT']).toBeCloseTo(-30_000 / 99_000, 12);
    expect(markPrice(p, 'XRPUSDT', 1)).toBe(p);
    expect(markPrice(p, 'BTCUSDT', NaN)).toBe(p);
  });
});

describe('portfolioFromExchange', () => {
  test('adopts the wallet, the positions and their prices; NAV references start at the equity', () => {
    const p = portfolioFromExchange(10_000, [
      { symbol: 'BTCUSDT', quantity: 0.1, entryPrice: 50_000, markPrice: 51_000 },
      { symbol: 'ETHUSDT', quantity: 0, entryPrice: 0, markPrice: 3_000 },
    ]);
    expect(Object.keys(p.positions)).toEqual(['BTCUSDT']);
    expect(navUsd(p)).toBeCloseTo(10_100, 9);
    expect(p).toMatchObject({
      cashUsd: 10_000,
      initialNavUsd: navUsd(p),
      peakNavUsd: navUsd(p),
      dayStartNavUsd: navUsd(p),
    });
    expect(portfolioFigures(p).drawdown).toBeCloseTo(0, 12);
  });
});

describe('withRiskReferences', () => {
  const day = 86_400_000;
  const p = portfolioFromExchange(95_000, []);
  test('keeps the stored high-water mark and, on the same day, the day-start NAV', () => {
    const r = withRiskReferences(
      p,
      { peakNavUsd: 100_000, dayStartNavUsd: 98_000, timeMs: 10 * day + 1_000 },
      10 * day + 5_000,
    );
    expect(r).toMatchObject({ peakNavUsd: 100_000, dayStartNavUsd: 98_000 });
    expect(portfolioFigures(r).drawdown).toBeCloseTo(0.05, 12);
  });
  test('a new day starts the daily loss at the current NAV; a NAV above the stored peak is the new peak', () => {
    expect(
      withRiskReferences(
        p,
        { peakNavUsd: 100_000, dayStartNavUsd: 98_000, timeMs: 9 * day },
        10 * day,
      ),
    ).toMatchObject({ peakNavUsd: 100_000, dayStartNavUsd: 95_000 });
    expect(
      withRiskReferences(
        p,
        { peakNavUsd: 90_000, dayStartNavUsd: 90_000, timeMs: 10 * day },
        10 * day,
      ).peakNavUsd,
    ).toBe(95_000);
  });
  test('ignores a missing or malformed snapshot', () => {
    expect(withRiskReferences(p, undefined, 0)).toBe(p);
    expect(withRiskReferences(p, { peakNavUsd: Number.NaN, dayStartNavUsd: 1, timeMs: 0 }, 0)).toBe(
      p,
    );
  });
});

describe('portfolioFromSnapshot', () => {
  test('rebuilds the book from its snapshot payload and refuses one that cannot be a book', () => {
    let p = createPortfolio(100_000);
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.5, price: 60_000, feeUsd: 10 });
    p = markPrice(p, 'BTCUSDT', 61_000);
    const payload = portfolioSnapshot(p, 7);
    expect(payload).toMatchObject({ cycle: 7, nav_usd: navUsd(p), cash_usd: p.cashUsd });
    expect(portfolioFromSnapshot(payload)).toEqual(p);
    expect(portfolioFromSnapshot({ ...payload, peak_nav_usd: 0 })).toBeUndefined();
    expect(
      portfolioFromSnapshot({
        ...payload,
        positions: { BTCUSDT: { ...payload.positions.BTCUSDT!, mark_price: Number.NaN } },
      }),
    ).toBeUndefined();
    expect(
      portfolioFromSnapshot({ ...payload, positions: { ETHUSDT: payload.positions.BTCUSDT! } }),
    ).toBeUndefined();
  });

  test('rebuilds the same book from a snapshot stored in camelCase before the snake_case convention', () => {
    let p = createPortfolio(100_000);
    p = applyFill(p, { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.5, price: 60_000, feeUsd: 10 });
    const old = JSON.parse(
      JSON.stringify({
        cycle: 7,
        ...portfolioFigures(p),
        cashUsd: p.cashUsd,
        initialNavUsd: p.initialNavUsd,
        peakNavUsd: p.peakNavUsd,
        dayStartNavUsd: p.dayStartNavUsd,
        positions: p.positions,
      }),
    );
    const parsed = parseEventPayload('portfolio', old);
    expect(parsed.ok && portfolioFromSnapshot(parsed.payload)).toEqual(p);
  });
});
