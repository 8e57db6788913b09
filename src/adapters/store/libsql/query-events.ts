// Reading events back: filtered by type, stream, time and id, oldest or newest first, each row
// parsed by its type's schema; a row that does not parse is skipped (and reported) and the page
// read on, so that a page is short only at the end.
import { and, asc, desc, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import type { EventQuery, EventType, StoredEvent } from '../../../ports/event-store.ts';
import { type OnMalformed, readEvent } from '../read-event.ts';
import { events } from './schema.ts';

export const MAX_QUERY_LIMIT = 10_000;
/** What a read returns: an event's fields, not the store's bookkeeping (idempotency_key, approved_at_ms). */
const EVENT_FIELDS = {
  id: events.id,
  timeMs: events.timeMs,
  type: events.type,
  stream: events.stream,
  payload: events.payload,
  schemaVersion: events.schemaVersion,
};

/** The query's events (at most MAX_QUERY_LIMIT); `guarded` wraps each page's read. */
export async function queryEvents<T extends EventType>(
  db: LibSQLDatabase,
  guarded: <R>(fn: () => Promise<R>) => Promise<R>,
  onMalformed: OnMalformed,
  q: EventQuery<T>,
): Promise<StoredEvent<T>[]> {
  const where: SQL[] = [];
  if (q.type) where.push(eq(events.type, q.type));
  if (q.stream !== undefined) where.push(eq(events.stream, q.stream));
  if (q.sinceMs !== undefined) where.push(gte(events.timeMs, q.sinceMs));
  if (q.afterId !== undefined) where.push(gt(events.id, q.afterId));
  const limit = Math.min(Math.max(1, Math.trunc(q.limit ?? 100)), MAX_QUERY_LIMIT);
  const found: StoredEvent<T>[] = [];
  // Rows past a skipped (malformed) one are read on, so that a page is short only at the end.
  for (let cursor: number | undefined; ;) {
    const want = limit - found.length;
    const page =
      cursor === undefined
        ? where
        : [...where, q.newestFirst ? lt(events.id, cursor) : gt(events.id, cursor)];
    const rows = await guarded(async () =>
      db
        .select(EVENT_FIELDS)
        .from(events)
        .where(and(...page))
        .orderBy(q.newestFirst ? desc(events.id) : asc(events.id))
        .limit(want),
    );
    for (const r of rows) {
      const e = readEvent<T>(r, onMalformed);
      if (e) found.push(e);
    }
    if (rows.length < want || found.length >= limit) return found;
    cursor = rows[rows.length - 1]!.id;
  }
}
