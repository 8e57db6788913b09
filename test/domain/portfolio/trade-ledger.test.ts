import { describe, expect, it } from 'bun:test';
import {
  bookFills,
  emptyLedgerBook,
  type LedgerFill,
} from '../../../src/domain/portfolio/trade-ledger.ts';

let id = 0;
const fill = (
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
  symbol = 'BTCUSDT',
): LedgerFill => ({
  id: ++id,
  timeMs: id,
  symbol,
  side,
  quantity,
  price,
  feeUsd: 0.1,
});

describe('bookFills', () => {
  it('realises nothing on opening fills and the closing part × (price − average entry) on closing ones', () => {
    const { rows } = bookFills(emptyLedgerBook(), [
      fill('BUY', 1, 100),
      fill('BUY', 1, 110), // average entry 105
      fill('SELL', 0.5, 120), // +7.5
      fill('SELL', 2.5, 90), // closes 1.5 at −15 each = −22.5, opens a short of 1 at 90
      fill('BUY', 1, 80), // the short closes at +10
    ]);
    expect(rows.map((r) => r.realisedUsd)).toEqual([0, 0, 7.5, -22.5, 10]);
    expect(rows.map((r) => r.positionAfter)).toEqual([1, 2, 1.5, -1, 0]);
    expect(rows.every((r) => r.feeUsd === 0.1)).toBe(true);
  });

  it('continues from the book it is given, symbol by symbol', () => {
    const first = bookFills(emptyLedgerBook(), [
      fill('SELL', 2, 50, 'ETHUSDT'),
      fill('BUY', 1, 10),
    ]);
    const next = bookFills(first.book, [fill('BUY', 2, 40, 'ETHUSDT'), fill('SELL', 1, 12)]);
    expect(next.rows.map((r) => r.realisedUsd)).toEqual([20, 2]);
  });
});
