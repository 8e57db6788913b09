// The console's snapshot source: fills booked once however builds overlap, realised P&L and fees
// summed, quantities and prices on the symbol's grid.
import { describe, expect, test } from 'bun:test';
import { createConsoleFeed } from '../../../src/http/console/feed.ts';
import { EventType } from '../../../src/ports/event-store.ts';
import { createTestDeps } from '../../helpers/test-deps.ts';

const fill = (i: number, side: 'BUY' | 'SELL', quantity: number, price: number) => ({
  type: EventType.fill,
  payload: {
    order_id: `o-${i}`,
    exchange_order_id: String(i),
    trade_id: String(i),
    symbol: 'BTCUSDT',
    side,
    quantity,
    price,
    fee_usd: 0.1,
    exchange: 'paper',
  },
});

describe('createConsoleFeed', () => {
  test('books each fill once when builds overlap, with realised P&L, fees and grid texts', async () => {
    const t = await createTestDeps();
    await t.store.appendBatch([
      fill(1, 'BUY', 0.1, 60_000),
      fill(2, 'BUY', 0.1, 62_000),
      fill(3, 'SELL', 0.15000000000000002, 63_000.123456),
    ]);
    const feed = createConsoleFeed(t.deps, new Set());
    await Promise.all([feed.build(), feed.build(), feed.build()]);
    const s = await feed.build();
    expect(s.trades.rows.map((r) => r.id)).toHaveLength(3);
    expect(s.trades.feesUsd).toBeCloseTo(0.3, 10);
    // 0.15 closed at 63,000.123456 against an average entry of 61,000.
    expect(s.trades.realisedUsd).toBeCloseTo(0.15 * 2_000.123456, 6);
    // BTCUSDT on the paper table: step 0.001, tick 0.1.
    expect(s.trades.rows[0]).toMatchObject({ quantity: '0.150', price: '63,000.1' });
  });
});
