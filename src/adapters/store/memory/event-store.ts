// An event store held in memory: for backtests, which replay weeks of cycles in seconds and keep
// nothing afterwards. Same contract as the libSQL store (ids ascending, query filters, latest),
// without durability: never use it for a live worker.
import type { EventQuery, EventStore, NewEvent, StoredEvent } from '../../../ports/event-store.ts';

export function createMemoryEventStore(nowMs: () => number, opts: { keep?: number } = {}): EventStore & { size(): number } {
  const keep = opts.keep ?? Infinity;
  let events: StoredEvent[] = [];
  let nextId = 1;
  const add = (e: NewEvent): StoredEvent => {
    const stored = { id: nextId++, timeMs: e.timeMs ?? nowMs(), type: e.type, stream: e.stream ?? '', payload: e.payload, schemaVersion: e.schemaVersion ?? 1 };
    events.push(stored);
    if (events.length > keep * 2) events = events.slice(events.length - keep);
    return stored;
  };
  const matches = (q: EventQuery) => (e: StoredEvent) =>
    (q.type === undefined || e.type === q.type) &&
    (q.stream === undefined || e.stream === q.stream) &&
    (q.sinceMs === undefined || e.timeMs >= q.sinceMs) &&
    (q.afterId === undefined || e.id > q.afterId);
  return {
    append: async (e) => add(e),
    appendBatch: async (batch) => batch.map(add),
    async query(q) {
      const found = events.filter(matches(q));
      if (q.newestFirst) found.reverse();
      return found.slice(0, q.limit ?? 100);
    },
    async latest(type, stream) {
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (e.type === type && (stream === undefined || e.stream === stream)) return e;
      }
      return undefined;
    },
    ping: async () => {},
    writeHealth: () => ({ flushingForMs: 0 }),
    close: async () => {},
    size: () => events.length,
  };
}
