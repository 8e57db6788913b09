// The one Drizzle schema: an append-only event log. Everything durable is an event; current state
// (kill switch, trading state) is the latest event of its type, read back at start-up.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Milliseconds since the Unix epoch, from the injected clock. */
    timeMs: integer('time_ms').notNull(),
    type: text('type').notNull(),
    /** The aggregate the event belongs to (a symbol, a breaker name, an instance id). */
    stream: text('stream').notNull().default(''),
    payload: text('payload', { mode: 'json' }).notNull(),
    schemaVersion: integer('schema_version').notNull().default(1),
    /**
     * A decision's idempotency key (client_order_id or Idempotency-Key): at most one row per key,
     * so that a repeated check answers the stored decision. NULL for everything else.
     */
    idempotencyKey: text('idempotency_key'),
    /**
     * The time of an approval that counts against the order budget shared by the workers of one
     * server (set by the conditional decision write, decision-sql.ts); NULL for everything else,
     * so that a store one process owns never indexes it.
     */
    approvedAtMs: integer('approved_at_ms'),
  },
  // (type, id) serves "the newest events of a type" (latest(), GET /v1/events?type=&order=desc) as an
  // index seek; without it SQLite sorts every event of the type to find the newest.
  (t) => [
    index('events_type_time').on(t.type, t.timeMs),
    index('events_time').on(t.timeMs),
    index('events_type_id').on(t.type, t.id),
    // Partial: rows without a key (nearly all) add no index entry, so plain appends cost nothing more.
    uniqueIndex('events_idempotency_key')
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    // The shared budget's approvals by time (decision-sql.ts counts the last minute's); partial, so
    // rows without one (every row of a store one process owns) cost no index entry.
    index('events_approvals_time')
      .on(t.approvedAtMs)
      .where(sql`${t.approvedAtMs} IS NOT NULL`),
  ],
);
