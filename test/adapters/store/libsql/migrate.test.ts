// Migrations run by several processes at once on one fresh remote database (the Hrana stand-in):
// every run succeeds, each migration is recorded once, and the events table is there.
import { afterAll, describe, expect, it } from 'bun:test';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql/web';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../../../src/adapters/store/libsql/event-store.ts';
import { migrateConcurrently } from '../../../../src/adapters/store/libsql/migrate.ts';
import { type FakeSqld, startFakeSqld } from '../../../fake-sqld/server.ts';
import { tempDir } from '../../../helpers/worker-process.ts';

const servers: FakeSqld[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});
const journal = (await Bun.file(join(MIGRATIONS_DIR, 'meta/_journal.json')).json()) as {
  entries: unknown[];
};

describe('migrateConcurrently', () => {
  it('lets four runs at once on a fresh remote database all succeed, each migration recorded once', async () => {
    let retried = 0;
    for (let trial = 0; trial < 5; trial++) {
      const sqld = await startFakeSqld(join(tempDir(), 'fresh.db'));
      servers.push(sqld);
      const clients = [0, 1, 2, 3].map(() => createClient({ url: sqld.url }));
      await Promise.all(
        clients.map((c) =>
          migrateConcurrently(drizzle(c), {
            migrationsFolder: MIGRATIONS_DIR,
            onRetry: () => retried++,
          }),
        ),
      );
      const recorded = await clients[0]!.execute('SELECT count(*) FROM "__drizzle_migrations"');
      expect(Number(recorded.rows[0]![0])).toBe(journal.entries.length);
      await clients[0]!.execute('SELECT count(*) FROM "events"');
      for (const c of clients) c.close();
    }
    // The race is real: at least one run of the twenty had to retry.
    expect(retried).toBeGreaterThan(0);
  });

  it('gives up with the error after five attempts when migrating cannot succeed', async () => {
    const sqld = await startFakeSqld(join(tempDir(), 'down.db'));
    servers.push(sqld);
    sqld.down = true;
    const client = createClient({ url: sqld.url });
    let attempts = 0;
    const run = migrateConcurrently(drizzle(client), {
      migrationsFolder: MIGRATIONS_DIR,
      sleep: async () => void attempts++,
    });
    await expect(run).rejects.toThrow();
    expect(attempts).toBe(4);
    client.close();
  });
});
