// The event store against a libSQL server URL (http://), through test/fake-sqld: the same
// migrations, group commit and queries as with a local file.
import { afterAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../../src/adapters/store/libsql/event-store.ts';
import { startFakeSqld } from '../../../fake-sqld/server.ts';
import { tempDir } from '../../../helpers/worker-process.ts';

const sqld = await startFakeSqld(join(tempDir(), 'remote.db'), { authToken: 'db-token' });
afterAll(() => sqld.stop());

describe('event store on a remote libSQL URL', () => {
  it('migrates, appends concurrently and reads back over HTTP with the auth token', async () => {
    const store = await createLibsqlEventStore({
      url: sqld.url,
      authToken: 'db-token',
      nowMs: Date.now,
    });
    const stored = await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.append({ type: 'decision', payload: { i } })),
    );
    expect(new Set(stored.map((e) => e.id)).size).toBe(300);
    await store.appendBatch([
      { type: 'kill_switch', payload: { active: true, reason: 'test', by: 'test' } },
    ]);
    expect((await store.latest('kill_switch'))?.payload).toEqual({
      active: true,
      reason: 'test',
      by: 'test',
    });
    expect((await store.query({ type: 'decision', limit: 1000 })).length).toBe(300);
    await store.ping();
    await store.close();

    const again = await createLibsqlEventStore({
      url: sqld.url,
      authToken: 'db-token',
      nowMs: Date.now,
    });
    expect((await again.query({ type: 'decision', limit: 1000 })).length).toBe(300);
    await again.close();
    expect(sqld.requests).toBeGreaterThan(0);
  });

  it('fails to open with a wrong token', async () => {
    await expect(
      createLibsqlEventStore({ url: sqld.url, authToken: 'wrong', nowMs: Date.now }),
    ).rejects.toThrow();
  });
});
