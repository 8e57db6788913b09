// The one Drizzle schema: an append-only event log. Everything durable is an event; current state
// (kill switch, trading state) is the latest event of its type, read back at start-up.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
  },
  // (type, id) serves "the newest events of a type" (latest(), GET /v1/events?type=&order=desc) as an
  // index seek; without it SQLite sorts every event of the type to find the newest.
  (t) => [
    index('events_type_time').on(t.type, t.timeMs),
    index('events_time').on(t.timeMs),
    index('events_type_id').on(t.type, t.id),
  ],
);
