import { describe, expect, it } from 'bun:test';
import {
  planStops,
  stopPriceFor,
  STOP_ID_PREFIX,
} from '../../../src/domain/trading/protective-stops.ts';
import type { ExchangeOrder } from '../../../src/ports/exchange.ts';

let n = 0;
const base = {
  roundStopPrice: (_s: string, _side: string, p: number) => Math.round(p * 10) / 10,
  newId: (s: string) => `${STOP_ID_PREFIX}t-${n++}-${s}`,
  stopLoss: 0.03,
};
const stop = (
  symbol: string,
  side: 'BUY' | 'SELL',
  stopPrice: number,
  clientOrderId = `${STOP_ID_PREFIX}old-${symbol}`,
): ExchangeOrder => ({
  orderId: String(n++),
  clientOrderId,
  symbol,
  side,
  type: 'STOP_MARKET',
  status: 'NEW',
  quantity: 0,
  executedQty: 0,
  avgPrice: 0,
  price: 0,
  timeMs: 0,
  stopPrice,
  closePosition: true,
  reduceOnly: false,
});

describe('stopPriceFor', () => {
  it('sits the stop-loss fraction below a long entry and above a short one', () => {
    expect(stopPriceFor({ symbol: 'X', quantity: 2, entryPrice: 100 }, 0.03)).toBeCloseTo(97, 9);
    expect(stopPriceFor({ symbol: 'X', quantity: -2, entryPrice: 100 }, 0.03)).toBeCloseTo(103, 9);
  });
});

describe('planStops', () => {
  it('places a Close-All STOP_MARKET on the opposite side for every position without one', () => {
    const plan = planStops({
      ...base,
      positions: [
        { symbol: 'BTCUSDT', quantity: 0.5, entryPrice: 60_000 },
        { symbol: 'ETHUSDT', quantity: -2, entryPrice: 3_000 },
      ],
      openOrders: [],
    });
    expect(plan.cancel).toEqual([]);
    expect(plan.place).toMatchObject([
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_MARKET',
        stopPrice: 58_200,
        closePosition: true,
        quantity: 0,
      },
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'STOP_MARKET',
        stopPrice: 3_090,
        closePosition: true,
      },
    ]);
    for (const p of plan.place) expect(p.clientOrderId.startsWith(STOP_ID_PREFIX)).toBe(true);
  });

  it('keeps a stop that matches, moves one whose entry changed, and cancels one whose position is gone', () => {
    const keep = stop('BTCUSDT', 'SELL', 58_200);
    const moved = stop('ETHUSDT', 'BUY', 3_000);
    const orphan = stop('SOLUSDT', 'SELL', 140);
    const duplicate = stop('BTCUSDT', 'SELL', 58_200, `${STOP_ID_PREFIX}dup`);
    const foreign = { ...stop('BTCUSDT', 'SELL', 50_000), clientOrderId: 'web_123' }; // someone else's: not ours to touch
    const plan = planStops({
      ...base,
      positions: [
        { symbol: 'BTCUSDT', quantity: 0.5, entryPrice: 60_000 },
        { symbol: 'ETHUSDT', quantity: -2, entryPrice: 3_000 },
      ],
      openOrders: [keep, moved, orphan, duplicate, foreign],
    });
    expect(plan.cancel).toEqual([moved, orphan, duplicate]);
    expect(plan.place).toMatchObject([{ symbol: 'ETHUSDT', side: 'BUY', stopPrice: 3_090 }]);
  });

  it('replaces a stop on the wrong side after the position flipped', () => {
    const old = stop('BTCUSDT', 'SELL', 58_200);
    const plan = planStops({
      ...base,
      positions: [{ symbol: 'BTCUSDT', quantity: -0.5, entryPrice: 60_000 }],
      openOrders: [old],
    });
    expect(plan.cancel).toEqual([old]);
    expect(plan.place).toMatchObject([{ symbol: 'BTCUSDT', side: 'BUY', stopPrice: 61_800 }]);
  });

  it('wants no stop with the stop-loss off, and cancels the ones left', () => {
    const old = stop('BTCUSDT', 'SELL', 58_200);
    const plan = planStops({
      ...base,
      stopLoss: 0,
      positions: [{ symbol: 'BTCUSDT', quantity: 0.5, entryPrice: 60_000 }],
      openOrders: [old],
    });
    expect(plan).toMatchObject({ cancel: [old], place: [] });
  });
});
