// An event store held in memory: for backtests, which replay weeks of cycles in seconds and keep
// nothing afterwards. Same contract as the libSQL store (ids ascending, query filters, latest,
// payloads parsed on read), without durability: never use it for a live worker.
import type { EventQuery, EventStore, NewEvent, StoredEvent } from '../../../ports/event-store.ts';
import { type EventRow, type OnMalformed, readEvent } from '../read-event.ts';

interface MemoryStoreOptions {
  /** Keeps about this many newest events (a long backtest's memory bound). */
  keep?: number;
  /** Told of each event a read skips because its payload does not parse as its type. */
  onMalformed?: OnMalformed;
}

export function createMemoryEventStore(
  nowMs: () => number,
  opts: MemoryStoreOptions = {},
): EventStore & { size(): number } {
  const keep = opts.keep ?? Infinity;
  const onMalformed = opts.onMalformed ?? (() => {});
  let events: EventRow[] = [];
  let nextId = 1;
  const add = (e: NewEvent) => {
    const stored = {
      id: nextId++,
      timeMs: e.timeMs ?? nowMs(),
      type: e.type,
      stream: e.stream ?? '',
      payload: e.payload,
      schemaVersion: e.schemaVersion ?? 1,
    };
    events.push(stored);
    if (events.length > keep * 2) events = events.slice(events.length - keep);
    // Built from a NewEvent, so its payload fits its type (the union is lost in the spread).
    return stored as StoredEvent;
  };
  const matches = (q: EventQuery) => (e: EventRow) =>
    (q.type === undefined || e.type === q.type) &&
    (q.stream === undefined || e.stream === q.stream) &&
    (q.sinceMs === undefined || e.timeMs >= q.sinceMs) &&
    (q.afterId === undefined || e.id > q.afterId);
  /** Decisions by idempotency key (a process's own store: approvals are stored as decided). */
  const byKey = new Map<string, StoredEvent<'risk_decision'>>();
  const store: EventStore & { size(): number } = {
    append: async (e) => add(e),
    recordDecisions: async (writes) =>
      writes.map((w) => {
        const earlier = w.key === undefined ? undefined : byKey.get(w.key);
        if (earlier) return { stored: earlier, outcome: 'replayed' as const };
        const stored = add(w.event) as StoredEvent<'risk_decision'>;
        if (w.key !== undefined) byKey.set(w.key, stored);
        return { stored, outcome: 'as_decided' as const };
      }),
    appendBatch: async (batch) => batch.map(add),
    async query(q) {
      const match = matches(q);
      const limit = q.limit ?? 100;
      const found = [];
      for (let k = 0; k < events.length && found.length < limit; k++) {
        const row = events[q.newestFirst ? events.length - 1 - k : k]!;
        const e = match(row) ? readEvent<NonNullable<typeof q.type>>(row, onMalformed) : undefined;
        if (e) found.push(e);
      }
      return found;
    },
    async latest(type, stream) {
      const [e] = await store.query({ type, stream, limit: 1, newestFirst: true });
      return e;
    },
    async newestId(type) {
      for (let k = events.length - 1; k >= 0; k--)
        if (events[k]!.type === type) return events[k]!.id;
      return undefined;
    },
    ping: async () => {},
    writeHealth: () => ({ flushingForMs: 0 }),
    close: async () => {},
    size: () => events.length,
  };
  return store;
}
