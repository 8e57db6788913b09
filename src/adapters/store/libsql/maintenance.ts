// Keeping a long-running database small: incremental auto-vacuum (so that deleted pages go back to
// the file system), the batched DELETE that retention runs, and what the file weighs.
import type { Client } from '@libsql/client';
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * SQLite's auto_vacuum values (https://sqlite.org/pragma.html#pragma_auto_vacuum). Without it a
 * DELETE only puts pages on the free list and the file never shrinks.
 */
const INCREMENTAL = 2;

/**
 * Turns on `auto_vacuum=INCREMENTAL` for a local file. It can only be set before the first table
 * exists, so a new file gets it at once and a file made by an older worker is rewritten by one
 * `VACUUM` (a copy of the live data: seconds for a few hundred MB, and it needs that much free
 * disk). Answers what it did, for the start-up log.
 */
export async function enableIncrementalVacuum(
  client: Client,
): Promise<'already' | 'new' | 'vacuumed' | 'vacuum_failed'> {
  const mode = Number((await client.execute('PRAGMA auto_vacuum')).rows[0]?.[0] ?? 0);
  if (mode === INCREMENTAL) return 'already';
  await client.execute('PRAGMA auto_vacuum=INCREMENTAL');
  const tables = Number(
    (await client.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"))
      .rows[0]?.[0] ?? 0,
  );
  if (tables === 0) return 'new';
  try {
    await client.execute('VACUUM');
    return 'vacuumed';
  } catch {
    // Another worker on the same file held it past busy_timeout, or the disk lacks room for the
    // copy: start anyway (retention still deletes; the file shrinks once a later start succeeds).
    return 'vacuum_failed';
  }
}

/**
 * Deletes the oldest events of one type older than a cut-off, at most `limit` of them, always
 * keeping the newest event of the type (the newest `portfolio` snapshot is what a restart starts
 * from). Args: type, cut-off (epoch ms), type again, limit. `(type, time_ms)` is indexed, so each
 * batch is an index range scan however large the table is.
 */
export const PRUNE_SQL = `DELETE FROM "events" WHERE "id" IN (
  SELECT "id" FROM "events" WHERE "type" = ? AND "time_ms" < ?
    AND "id" < (SELECT max("id") FROM "events" WHERE "type" = ?)
  ORDER BY "time_ms" LIMIT ?) RETURNING "id"`;

/** Pages one vacuum step gives back (4 KiB pages: 32 MiB), so that a step stays a short write. */
export const VACUUM_PAGES_PER_STEP = 8_192;

/** Events per type, counted once at open; the store keeps the counts up to date afterwards. */
export async function countByType(client: Client): Promise<Map<string, number>> {
  const { rows } = await client.execute('SELECT "type", count(*) FROM "events" GROUP BY "type"');
  return new Map(rows.map((r) => [String(r[0]), Number(r[1])]));
}

/** Bytes on disk of a database file and its WAL (0 for a file that does not exist). */
export function fileBytes(path: string): number {
  let bytes = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      bytes += statSync(p).size;
    } catch {
      // no WAL yet
    }
  }
  return bytes;
}

/** Bytes free for an unprivileged writer on the file system holding `path`. */
export function diskFreeBytes(path: string): number {
  const fs = statfsSync(dirname(path));
  return fs.bavail * fs.bsize;
}
