import { describe, expect, it } from 'bun:test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../../../src/adapters/store/libsql/event-store.ts';
import { encodeRow } from '../../../../src/adapters/store/libsql/rows.mjs';
import { startWriterThread } from '../../../../src/adapters/store/libsql/writer.ts';
import { tempDir } from '../../../helpers/worker-process.ts';

/** A database file with the events table (migrations applied by the store), and its path. */
async function migratedFile(): Promise<string> {
  const path = join(tempDir(), 'writer.db');
  await (await createLibsqlEventStore({ url: `file:${path}`, nowMs: Date.now })).close();
  return path;
}

const row = (n: number) =>
  encodeRow(
    1_700_000_000_000 + n,
    'decision',
    'BTCUSDT',
    JSON.stringify({ kind: 'cycle_decision', n }),
    1,
  );
/** WAL frames written so far (32-byte header, then 24-byte frame headers before each 4 KiB page). */
const walFrames = (path: string) => Math.max(0, (statSync(`${path}-wal`).size - 32) / (24 + 4096));
/** Keeps the thread busy for a while (a recursive count), so that later messages wait in its queue. */
const BUSY_SQL =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c';

describe('writer thread', () => {
  it('commits the inserts waiting in its queue in one transaction, answering each with its own ids in send order', async () => {
    const path = await migratedFile();
    const writer = await startWriterThread(path);
    await writer.insert(row(0));
    const before = walFrames(path);
    await writer.insert(row(1));
    const oneTransaction = walFrames(path) - before;
    expect(oneTransaction).toBeGreaterThan(0);

    const busy = writer.exec(BUSY_SQL);
    const queued = [
      writer.insert(row(2) + row(3)),
      writer.insert(row(4)),
      writer.insert(row(5) + row(6) + row(7)),
    ];
    await busy;
    const start = walFrames(path);
    expect(await Promise.all(queued)).toEqual([[3, 4], [5], [6, 7, 8]]);
    // Three separate transactions would each rewrite the same pages; one writes them once.
    expect(walFrames(path) - start).toBeLessThanOrEqual(oneTransaction);
    await writer.close();
  });

  it("keeps one insert's failure its own when it shared the transaction, and writes the next ones", async () => {
    const path = await migratedFile();
    const writer = await startWriterThread(path);
    const busy = writer.exec(BUSY_SQL);
    // A time that is not a number binds as NULL: the NOT NULL column refuses the row, and the transaction with it.
    const bad = 'not-a-time\tdecision\tBTCUSDT\t1\t{"kind":"x"}\n';
    const queued = Promise.allSettled([
      writer.insert(row(1)),
      writer.insert(bad),
      writer.insert(row(2)),
    ]);
    await busy;
    const settled = await queued;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toContain('NOT NULL');
    // Retried one by one in send order, so the ids still follow it.
    expect(
      settled
        .filter((r) => r.status === 'fulfilled')
        .map((r) => (r as PromiseFulfilledResult<number[]>).value),
    ).toEqual([[1], [2]]);
    expect(await writer.insert(row(3))).toEqual([3]);
    // Rows that cannot be read (a stream that is broken JSON) are refused alone too.
    const refused = await writer.insert('1\tdecision\t"broken\t1\t{}\n').then(
      () => undefined,
      (e: unknown) => String(e),
    );
    expect(refused).toContain('unreadable rows');
    expect(await writer.insert(row(4))).toEqual([4]);
    await writer.close();
  });
});
