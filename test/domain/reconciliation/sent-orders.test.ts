// Rebuilding the set of our exchange order ids from stored `order` events (real libSQL, in memory).
import { describe, expect, it } from 'bun:test';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { loadSentOrderIds } from '../../../src/domain/reconciliation/sent-orders.ts';

describe('loadSentOrderIds', () => {
  it('collects exchange_order_id of the order events since a time, ignoring other events and older orders', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    await store.appendBatch([
      { type: 'order', stream: 'BTCUSDT', timeMs: 1_000, payload: { order_id: 'a', exchange_order_id: 'old' } },
      { type: 'order', stream: 'BTCUSDT', timeMs: 5_000, payload: { order_id: 'b', exchange_order_id: '101' } },
      { type: 'fill', stream: 'BTCUSDT', timeMs: 5_001, payload: { exchange_order_id: 'fill-only' } },
      { type: 'order', stream: 'ETHUSDT', timeMs: 6_000, payload: { order_id: 'c', exchange_order_id: '102' } },
      { type: 'order', stream: 'ETHUSDT', timeMs: 7_000, payload: { order_id: 'd' } },
    ]);
    expect(await loadSentOrderIds(store, 2_000)).toEqual(['101', '102']);
    await store.close();
  });

  it('pages through more events than one query returns', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const n = 10_050;
    await store.appendBatch(Array.from({ length: n }, (_, i) => ({ type: 'order' as const, timeMs: 10_000 + i, payload: { exchange_order_id: String(i) } })));
    const ids = await loadSentOrderIds(store, 0);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    await store.close();
  });
});
