import { describe, expect, it } from 'bun:test';
import type { Selection } from '../../../src/domain/trading/arbitration.ts';
import { paperSymbolRules } from '../../../src/adapters/exchange/paper/symbol-table.ts';
import { planOrder } from '../../../src/domain/trading/sizing.ts';

const BTC = paperSymbolRules('BTCUSDT');

const sel = (direction: 'LONG' | 'SHORT', confidence = 1, sizeHint = 0.04): Selection => ({
  symbol: 'BTCUSDT',
  direction,
  confidence,
  sizeHint,
  supporting: [],
});

describe('planOrder', () => {
  it('buys up to the target weight of NAV from flat', () => {
    // 4 % of 100,000 USD at 50,000 USD = 0.08 BTC
    expect(
      planOrder({
        selection: sel('LONG'),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0,
        rules: BTC,
      }),
    ).toMatchObject({ side: 'BUY', quantity: 0.08, targetQty: 0.08 });
  });

  it('scales the target by confidence and buys only the difference', () => {
    expect(
      planOrder({
        selection: sel('LONG', 0.5),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0.03,
        rules: BTC,
      })?.quantity,
    ).toBe(0.01);
  });

  it('sells from long through flat to the short target on a SHORT signal', () => {
    expect(
      planOrder({
        selection: sel('SHORT'),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0.05,
        rules: BTC,
      }),
    ).toMatchObject({ side: 'SELL', quantity: 0.13 });
  });

  it('does nothing when the position is already beyond the target in the signal direction', () => {
    expect(
      planOrder({
        selection: sel('LONG', 0.5),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0.1,
        rules: BTC,
      }),
    ).toBeUndefined();
  });

  it('skips orders below the minimum notional or lot size', () => {
    expect(
      planOrder({
        selection: sel('LONG'),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0.0799,
        rules: BTC,
      }),
    ).toBeUndefined();
    expect(
      planOrder({
        selection: sel('LONG', 0.001),
        navUsd: 100_000,
        price: 50_000,
        positionQty: 0,
        rules: BTC,
      }),
    ).toBeUndefined();
  });

  it.each([0, -1, NaN, Infinity])('refuses a NAV or price of %p', (bad) => {
    expect(
      planOrder({ selection: sel('LONG'), navUsd: bad, price: 50_000, positionQty: 0, rules: BTC }),
    ).toBeUndefined();
    expect(
      planOrder({
        selection: sel('LONG'),
        navUsd: 100_000,
        price: bad,
        positionQty: 0,
        rules: BTC,
      }),
    ).toBeUndefined();
  });

  it("rounds the issue's quantities down to the symbol's step and the price to its tick", () => {
    // NAV 100,000 × weight 0.05: 30,586.651 DOGE and 3.333 BNB before rounding (issue 9).
    const doge = { ...sel('LONG', 1, 0.05), symbol: 'DOGEUSDT' };
    expect(
      planOrder({
        selection: doge,
        navUsd: 100_000,
        price: 0.163470001,
        positionQty: 0,
        rules: paperSymbolRules('DOGEUSDT'),
      }),
    ).toMatchObject({ side: 'BUY', quantity: 30586, price: 0.16347 });
    const bnb = { ...sel('SHORT', 1, 0.05), symbol: 'BNBUSDT' };
    expect(
      planOrder({
        selection: bnb,
        navUsd: 100_000,
        price: 1500.004,
        positionQty: 0,
        rules: paperSymbolRules('BNBUSDT'),
      }),
    ).toMatchObject({ side: 'SELL', quantity: 3.33, price: 1500.01 });
  });

  it('does not send, but names the reason of, an order the exchange would refuse', () => {
    const big = (symbol: string) => ({ ...sel('LONG', 1, 0.05), symbol });
    // 10 % of 200 USD at 25 USD: 0.8 units, under a minimum quantity of 1.
    expect(
      planOrder({
        selection: { ...sel('LONG', 1, 0.1), symbol: 'DOGEUSDT' },
        navUsd: 200,
        price: 25,
        positionQty: 0,
        rules: paperSymbolRules('DOGEUSDT'),
      }),
    ).toMatchObject({ skipped: 'min_qty', bound: 1 });
    expect(
      planOrder({
        selection: big('BTCUSDT'),
        navUsd: 100_000,
        price: 60_000,
        positionQty: 0,
        rules: { ...BTC, minNotional: 5_000 },
      }),
    ).toMatchObject({ skipped: 'min_notional', bound: 5_000 });
    expect(
      planOrder({
        selection: big('BTCUSDT'),
        navUsd: 100_000,
        price: 60_000,
        positionQty: 0,
        rules: { ...BTC, status: 'BREAK' },
      }),
    ).toMatchObject({ skipped: 'symbol_not_trading' });
    expect(
      planOrder({
        selection: big('XYZUSDT'),
        navUsd: 100_000,
        price: 60_000,
        positionQty: 0,
        rules: undefined,
      }),
    ).toMatchObject({ skipped: 'symbol_unknown' });
  });
});
