// The index of exchange order ids sent by any worker sharing the store, from stored `order` events
// (real libSQL, in memory).
import { orderPayload } from '../../helpers/events.ts';
import { describe, expect, it } from 'bun:test';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createSentOrderIndex } from '../../../src/domain/reconciliation/sent-orders.ts';

describe('createSentOrderIndex', () => {
  it('collects exchange_order_id of the order events since a time, ignoring other events and older orders', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    await store.appendBatch([
      { type: 'order', stream: 'BTCUSDT', timeMs: 1_000, payload: orderPayload('old', 'a') },
      { type: 'order', stream: 'BTCUSDT', timeMs: 5_000, payload: orderPayload('101', 'b') },
      {
        type: 'decision',
        stream: 'BTCUSDT',
        timeMs: 5_001,
        payload: { exchange_order_id: 'fill-only' },
      },
      { type: 'order', stream: 'ETHUSDT', timeMs: 6_000, payload: orderPayload('102', 'c') },
      { type: 'order', stream: 'ETHUSDT', timeMs: 7_000, payload: orderPayload('', 'd') },
    ]);
    const index = createSentOrderIndex(store, () => 8_000);
    expect(await index.refresh(2_000)).toBe(2);
    expect(['old', '101', '102', 'fill-only'].map((id) => index.has(id))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    await store.close();
  });

  it('reads only what was stored since the last refresh, including orders another worker stored', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const index = createSentOrderIndex(store, () => 10_000);
    await store.append({ type: 'order', timeMs: 5_000, payload: orderPayload('mine') });
    expect(await index.refresh(0)).toBe(1);
    // Another worker on the same database sends an order; this one learns it at its next refresh.
    await store.append({ type: 'order', timeMs: 6_000, payload: orderPayload('theirs') });
    expect(index.has('theirs')).toBe(false);
    expect(await index.refresh(0)).toBe(1);
    expect(index.has('theirs')).toBe(true);
    expect(await index.refresh(0)).toBe(0);
    await store.close();
  });

  it('forgets ids older than the window it serves, its own included', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const index = createSentOrderIndex(store, () => 1_000);
    index.add('early');
    index.add('later', 9_000);
    await index.refresh(5_000);
    expect([index.has('early'), index.has('later'), index.size]).toEqual([false, true, 1]);
    await store.close();
  });

  it('pages through more events than one query returns', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs: Date.now });
    const n = 10_050;
    await store.appendBatch(
      Array.from({ length: n }, (_, i) => ({
        type: 'order' as const,
        timeMs: 10_000 + i,
        payload: orderPayload(String(i)),
      })),
    );
    const index = createSentOrderIndex(store, Date.now);
    expect(await index.refresh(0)).toBe(n);
    expect(index.size).toBe(n);
    await store.close();
  });
});
