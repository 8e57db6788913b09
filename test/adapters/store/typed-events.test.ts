// Both stores read payloads back through their type's schema: typed reads, old names renamed, and a
// malformed row skipped and reported rather than thrown (one bad old row must not stop a start-up).
import { describe, expect, it } from 'bun:test';
import { createClient } from '@libsql/client';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../src/adapters/store/libsql/event-store.ts';
import { createMemoryEventStore } from '../../../src/adapters/store/memory/event-store.ts';
import type { MalformedEvent, NewEvent } from '../../../src/ports/event-store.ts';
import { tempDir } from '../../helpers/worker-process.ts';

const kill = (reason: string): NewEvent => ({
  type: 'kill_switch',
  payload: { active: true, reason, by: 'operator' },
  timeMs: 1,
});

describe('typed events', () => {
  it('does not compile a payload that does not fit its type', () => {
    // @ts-expect-error: a kill_switch payload needs reason and by
    const wrong: NewEvent = { type: 'kill_switch', payload: { active: true } };
    // @ts-expect-error: an order's quantity is a number
    const alsoWrong: NewEvent = {
      type: 'order',
      payload: {
        order_id: 'a',
        exchange_order_id: '1',
        symbol: 'X',
        side: 'BUY',
        quantity: '1',
        status: 'NEW',
        agent_id: null,
      },
    };
    expect([wrong, alsoWrong]).toHaveLength(2);
  });

  it('skips a malformed libSQL row on read, reports it, and reads on past it to fill the limit', async () => {
    const url = `file:${join(tempDir(), 'ais.db')}`;
    const malformed: MalformedEvent[] = [];
    const store = await createLibsqlEventStore({
      url,
      nowMs: () => 1,
      onMalformed: (m) => malformed.push(m),
    });
    await store.appendBatch([kill('first'), kill('second')]);
    // A row as a hand edit or a corrupted write could leave it: no `by`.
    const raw = createClient({ url });
    await raw.execute({
      sql: 'INSERT INTO events (time_ms, type, stream, payload) VALUES (1, ?, ?, ?)',
      args: ['kill_switch', '', JSON.stringify({ active: false })],
    });
    raw.close();

    const latest = await store.latest('kill_switch');
    expect(latest?.payload.reason).toBe('second');
    expect(malformed).toEqual([
      { id: 3, type: 'kill_switch', error: expect.stringContaining('by') },
    ]);
    expect(
      (await store.query({ type: 'kill_switch', newestFirst: true, limit: 2 })).map(
        (e) => e.payload.reason,
      ),
    ).toEqual(['second', 'first']);
    await store.close();
  });

  it('reads a camelCase signal stored before the snake_case convention under its new names', async () => {
    const url = `file:${join(tempDir(), 'ais.db')}`;
    const store = await createLibsqlEventStore({ url, nowMs: () => 1 });
    const raw = createClient({ url });
    const old = {
      agentId: 'momentum',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 0.7,
      sizeHint: 0.1,
      rationale: 'up',
      timeMs: 5,
    };
    await raw.execute({
      sql: 'INSERT INTO events (time_ms, type, stream, payload) VALUES (1, ?, ?, ?)',
      args: ['signal', 'BTCUSDT', JSON.stringify(old)],
    });
    raw.close();
    expect((await store.latest('signal'))?.payload).toEqual({
      agent_id: 'momentum',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      confidence: 0.7,
      size_hint: 0.1,
      rationale: 'up',
      time_ms: 5,
    });
    await store.close();
  });

  it('skips and reports a malformed event in the memory store the same way', async () => {
    const malformed: MalformedEvent[] = [];
    const store = createMemoryEventStore(() => 1, { onMalformed: (m) => malformed.push(m) });
    await store.append(kill('first'));
    await store.append({ type: 'kill_switch', payload: { active: false } } as unknown as NewEvent);
    expect((await store.latest('kill_switch'))?.payload.reason).toBe('first');
    expect(malformed.map((m) => m.id)).toEqual([2]);
  });

  it.each([
    ['libSQL', () => createLibsqlEventStore({ url: ':memory:', nowMs: Date.now })],
    ['memory', async () => createMemoryEventStore(Date.now)],
  ] as const)(
    '%s: newestId names the newest row of a type even when latest skips it',
    async (_, open) => {
      const store = await open();
      expect(await store.newestId('kill_switch')).toBeUndefined();
      const good = await store.append({
        type: 'kill_switch',
        payload: { active: false, reason: null, by: 'ops' },
      });
      const bad = await store.append({
        type: 'kill_switch',
        payload: { active: 'maybe' } as never,
      });
      await store.append({
        type: 'trading_state',
        payload: { state: 'HALTED', previous: 'ACTIVE', reason: null, by: 'ops' },
      });
      expect(await store.newestId('kill_switch')).toBe(bad.id);
      expect((await store.latest('kill_switch'))?.id).toBe(good.id);
      await store.close();
    },
  );
});
