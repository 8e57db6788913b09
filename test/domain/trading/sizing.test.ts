import { describe, expect, it } from 'bun:test';
import type { Selection } from '../../../src/domain/trading/arbitration.ts';
import { planOrder } from '../../../src/domain/trading/sizing.ts';

const sel = (direction: 'LONG' | 'SHORT', confidence = 1, sizeHint = 0.04): Selection => ({
  symbol: 'BTCUSDT', direction, confidence, sizeHint, supporting: [],
});

describe('planOrder', () => {
  it('buys up to the target weight of NAV from flat', () => {
    // 4 % of 100,000 USD at 50,000 USD = 0.08 BTC
    expect(planOrder({ selection: sel('LONG'), navUsd: 100_000, price: 50_000, positionQty: 0 })).toMatchObject({ side: 'BUY', quantity: 0.08, targetQty: 0.08 });
  });

  it('scales the target by confidence and buys only the difference', () => {
    expect(planOrder({ selection: sel('LONG', 0.5), navUsd: 100_000, price: 50_000, positionQty: 0.03 })?.quantity).toBe(0.01);
  });

  it('sells from long through flat to the short target on a SHORT signal', () => {
    expect(planOrder({ selection: sel('SHORT'), navUsd: 100_000, price: 50_000, positionQty: 0.05 })).toMatchObject({ side: 'SELL', quantity: 0.13 });
  });

  it('does nothing when the position is already beyond the target in the signal direction', () => {
    expect(planOrder({ selection: sel('LONG', 0.5), navUsd: 100_000, price: 50_000, positionQty: 0.1 })).toBeUndefined();
  });

  it('skips orders below the minimum notional or lot size', () => {
    expect(planOrder({ selection: sel('LONG'), navUsd: 100_000, price: 50_000, positionQty: 0.0799 })).toBeUndefined();
    expect(planOrder({ selection: sel('LONG', 0.001), navUsd: 100_000, price: 50_000, positionQty: 0 })).toBeUndefined();
  });

  it.each([0, -1, NaN, Infinity])('refuses a NAV or price of %p', (bad) => {
    expect(planOrder({ selection: sel('LONG'), navUsd: bad, price: 50_000, positionQty: 0 })).toBeUndefined();
    expect(planOrder({ selection: sel('LONG'), navUsd: 100_000, price: bad, positionQty: 0 })).toBeUndefined();
  });
});
