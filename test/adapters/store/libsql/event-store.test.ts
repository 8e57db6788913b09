import { describe, expect, it } from 'bun:test';
import { createClient } from '@libsql/client';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../../src/adapters/store/libsql/event-store.ts';
import { tempDir } from '../../../helpers/worker-process.ts';

let clock = 1_700_000_000_000;
const nowMs = () => clock;

describe('createLibsqlEventStore', () => {
  it('appends and reads back events with ids, time, stream and payload', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs });
    const a = await store.append({ type: 'decision', stream: 'BTCUSDT', payload: { side: 'BUY' } });
    const b = await store.append({ type: 'decision', payload: { q: 1 }, timeMs: 5 });
    expect(a).toMatchObject({
      id: 1,
      type: 'decision',
      stream: 'BTCUSDT',
      payload: { side: 'BUY' },
      timeMs: clock,
      schemaVersion: 1,
    });
    expect(b).toMatchObject({ id: 2, stream: '', timeMs: 5 });
    expect(await store.query({})).toEqual([a, b]);
    await store.close();
  });

  it('filters by type, stream, time and id, with limits and newest-first order', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs });
    await store.appendBatch(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? {
              type: 'control_action' as const,
              stream: `s${i % 3}`,
              payload: { i, by: 'test', result: 'applied' },
              timeMs: 1000 + i,
            }
          : { type: 'decision' as const, stream: `s${i % 3}`, payload: { i }, timeMs: 1000 + i },
      ),
    );
    const payloads = (es: { payload: unknown }[]) => es.map((e) => (e.payload as { i: number }).i);
    expect(payloads(await store.query({ type: 'control_action' }))).toEqual([1, 3, 5, 7, 9]);
    expect(payloads(await store.query({ sinceMs: 1007 }))).toEqual([7, 8, 9]);
    expect(payloads(await store.query({ stream: 's0' }))).toEqual([0, 3, 6, 9]);
    expect(payloads(await store.query({ afterId: 8 }))).toEqual([8, 9]);
    expect(payloads(await store.query({ limit: 2, newestFirst: true }))).toEqual([9, 8]);
    expect((await store.latest('decision'))?.payload).toEqual({ i: 8 });
    expect(await store.latest('alert')).toBeUndefined();
    await store.close();
  });

  it('groups concurrent appends into few transactions (group commit)', async () => {
    let flushes = 0;
    const store = await createLibsqlEventStore({
      url: ':memory:',
      nowMs,
      onFlush: () => flushes++,
    });
    const stored = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) => store.append({ type: 'decision', payload: { i } })),
    );
    expect(stored.map((e) => e.id)).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
    expect(flushes).toBeLessThanOrEqual(2);
    await store.close();
  });

  it("commits a file's appends in the order they were made, with two flushes in flight", async () => {
    const store = await createLibsqlEventStore({
      url: `file:${join(tempDir(), 'order.db')}`,
      nowMs,
    });
    const appends: Promise<{ id: number; payload: unknown }>[] = [];
    // Appends over many ticks: the writer thread holds one flush while the next is sent.
    for (let tick = 0; tick < 40; tick++) {
      for (let j = 0; j < 3; j++)
        appends.push(store.append({ type: 'decision', payload: { n: tick * 3 + j } }));
      await new Promise((r) => setImmediate(r));
    }
    const stored = await Promise.all(appends);
    expect(stored.map((e) => e.id)).toEqual(stored.map((_, i) => i + 1));
    expect(
      (await store.query({ limit: 1_000 })).map((e) => (e.payload as { n: number }).n),
    ).toEqual(stored.map((_, i) => i));
    expect(store.writeHealth(nowMs()).flushingForMs).toBe(0);
    await store.close();
  });

  it('keeps events in a file across reopenings, in WAL mode, after applying migrations', async () => {
    const url = `file:${join(tempDir(), 'sub', 'ais.db')}`;
    const first = await createLibsqlEventStore({ url, nowMs });
    await first.appendBatch([
      { type: 'kill_switch', payload: { active: true, reason: 'test', by: 'test' } },
      { type: 'decision', payload: {} },
    ]);
    await first.close();
    const second = await createLibsqlEventStore({ url, nowMs });
    expect((await second.latest('kill_switch'))?.payload).toEqual({
      active: true,
      reason: 'test',
      by: 'test',
    });
    await second.close();
    const raw = createClient({ url });
    expect((await raw.execute('PRAGMA journal_mode')).rows[0]![0]).toBe('wal');
    expect((await raw.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok');
    const migrations = await raw.execute('SELECT count(*) FROM __drizzle_migrations');
    expect(Number(migrations.rows[0]![0])).toBeGreaterThanOrEqual(1);
    raw.close();
  });

  it('writes a whole batch or nothing', async () => {
    const store = await createLibsqlEventStore({ url: ':memory:', nowMs });
    const bad = [
      { type: 'decision' as const, payload: { ok: 1 } },
      { type: null as unknown as 'decision', payload: {} },
    ];
    await expect(store.appendBatch(bad)).rejects.toThrow();
    expect(await store.query({})).toEqual([]);
    await store.close();
  });
});
