import { describe, expect, it } from 'bun:test';
import { stopLossOrders } from '../../../src/domain/trading/stop-loss.ts';

const pos = (symbol: string, quantity: number, avgEntryPrice: number, markPrice: number) => ({
  symbol,
  quantity,
  avgEntryPrice,
  markPrice,
});

describe('stopLossOrders', () => {
  it('closes a long that fell and a short that rose past the stop', () => {
    const orders = stopLossOrders(
      { A: pos('A', 2, 100, 96), B: pos('B', -1, 100, 104), C: pos('C', 1, 100, 99) },
      0.03,
    );
    expect(orders.map((o) => [o.symbol, o.side, o.quantity])).toEqual([
      ['A', 'SELL', 2],
      ['B', 'BUY', 1],
    ]);
    expect(orders[0]!.loss).toBeCloseTo(0.04, 10);
  });

  it('leaves winners and bad data alone, and does nothing without a stop', () => {
    expect(
      stopLossOrders(
        { A: pos('A', 1, 100, 150), B: pos('B', 1, 0, 50), C: pos('C', 1, 100, NaN) },
        0.03,
      ),
    ).toEqual([]);
    expect(stopLossOrders({ A: pos('A', 1, 100, 10) }, 0)).toEqual([]);
  });
});
