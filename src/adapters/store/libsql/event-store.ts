// The EventStore port on libSQL through Drizzle: migrations at open, WAL + synchronous=FULL for
// files, group commit so that concurrent appends share one transaction, and the decision trail
// projected from the committed rows (src/domain/records/trail.ts) by the writer thread.
import {
  type DecisionWrite,
  type DecisionWritten,
  EventType,
  type EventStore,
  type NewEvent,
  type StoreMaintenance,
  type StoredEvent,
} from '../../../ports/event-store.ts';
import type { OnMalformed } from '../read-event.ts';
import { createGroupCommit } from '../../shared/group-commit.ts';
import { createDecisionRecorder } from './decision-recorder.ts';
import { createRemoteCalls, deadlineFetch, type RemoteOptions } from './remote-calls.ts';
import { createStoreIo } from './store-io.ts';
import { createFlushTracker } from './write-errors.ts';
import {
  countByType,
  diskFreeBytes,
  fileBytes,
  PRUNE_SQL,
  VACUUM_PAGES_PER_STEP,
} from './maintenance.ts';
import { MIGRATIONS_DIR, openDatabase, type TrailOptions } from './open-database.ts';
import { MAX_QUERY_LIMIT, queryEvents } from './query-events.ts';
import { events } from './schema.ts';
import { COLUMNS, encodeRow } from './rows.mjs';
import { InvalidArgumentError } from '../../../domain/errors.ts';

export { MIGRATIONS_DIR, MAX_QUERY_LIMIT, type TrailOptions };
const EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(EventType));

/**
 * The hot INSERT is SQL over the schema's column names (rows.mjs), not Drizzle's query builder,
 * which costs more than the write itself here (45k vs 100k events/s in `npm run bench`). The names
 * are checked against the schema once, here.
 */
const SCHEMA_COLUMNS = [
  events.timeMs,
  events.type,
  events.stream,
  events.payload,
  events.schemaVersion,
].map((c) => c.name);
if (SCHEMA_COLUMNS.join() !== COLUMNS.join())
  throw new Error(
    `rows.mjs columns ${COLUMNS.join()} differ from the schema's ${SCHEMA_COLUMNS.join()}`,
  );

interface LibsqlStoreOptions {
  url: string;
  authToken?: string;
  nowMs: () => number;
  /** Called after each durable flush (metrics). */
  onFlush?: (events: readonly StoredEvent[], seconds: number) => void;
  /** Calls to a remote server: breaker, deadline, Retry-After. Not used for files and memory. */
  remote?: RemoteOptions;
  /** Told of each row a read skips because its payload does not parse as its type. */
  onMalformed?: OnMalformed;
  /** The decision trail's JSONL file, projected from the committed rows of the trail types; none when absent. */
  trail?: TrailOptions;
  /** Apply the migrations at open (default true); an edge isolate has no disk to read them from. */
  migrate?: boolean;
  /**
   * Remote and memory stores: flushes running at once (default 1, which commits in the order
   * written). An edge isolate passes more, so that a write waiting behind another request's flush
   * is flushed by its own request: workerd cancels the timers of a request that has answered, and
   * a flush scheduled by one would leave the other waiting for ever.
   */
  maxFlushesInFlight?: number;
  /** Told when rows were committed but their trail lines could not be written (the rows stand). */
  onTrailFailure?: (e: Error) => void;
}

/** The trail as the store writes it: what opening repaired, and a reopen for SIGHUP. */
interface StoreTrail {
  /** Bytes cut from a torn tail at open (0 when the file was whole). */
  readonly repairedBytes: number;
  /** Reopens the file at its path (after logrotate or `mv` renamed it): lines before go to the old file, after to the new. */
  reopen(): Promise<void>;
}

/** The event store plus what retention needs (pruning, vacuum, size), and its trail when it has one. */
export type LibsqlEventStore = EventStore & { maintenance: StoreMaintenance; trail?: StoreTrail };

export async function createLibsqlEventStore(opts: LibsqlStoreOptions): Promise<LibsqlEventStore> {
  const remote =
    opts.url.startsWith('file:') || opts.url === ':memory:'
      ? undefined
      : createRemoteCalls(opts.remote);
  const onTrailFailure = opts.onTrailFailure ?? (() => {});
  const { url, isFile, client, db, vacuumAtOpen, spec, writer, trailThread } = await openDatabase({
    url: opts.url,
    authToken: opts.authToken,
    trail: opts.trail,
    migrate: opts.migrate !== false,
    fetch: remote && deadlineFetch(remote.deadlineMs),
    onTrailFailure,
  });
  const onMalformed = opts.onMalformed ?? (() => {});
  const io = createStoreIo({ client, writer, trailThread, remote, onTrailFailure });
  const { write, insert } = io;
  /** A read: a remote one behind the breaker and deadline, failing as StoreUnavailableError. */
  const guarded = <T>(fn: () => Promise<T>): Promise<T> => (remote ? remote.read(fn) : fn());

  const eventsByType = await guarded(() => countByType(client));
  const countEvents = (type: string, n: number) =>
    eventsByType.set(type, (eventsByType.get(type) ?? 0) + n);

  const { tracked, health } = createFlushTracker(opts.nowMs, remote);
  // The writer thread commits the messages in its queue in order, together: a few may be in
  // flight. A client: one, unless the host needs more (maxFlushesInFlight).
  const maxInFlight = writer ? 4 : (opts.maxFlushesInFlight ?? 1);
  const commit = createGroupCommit<NewEvent, StoredEvent>(tracked(flushBatch), { maxInFlight });
  const decisions = createGroupCommit<DecisionWrite, DecisionWritten>(
    tracked(
      createDecisionRecorder({
        shared: !!remote,
        nowMs: opts.nowMs,
        run: io.runSteps,
        inserted: async (stored) => {
          for (const e of stored) countEvents(e.type, 1);
          opts.onFlush?.(stored, 0);
          await io.projectStored(stored);
        },
        onMalformed,
      }),
    ),
    { maxInFlight },
  );
  async function flushBatch(batch: NewEvent[]): Promise<StoredEvent[]> {
    const started = performance.now();
    const rows = batch.map((e) => ({
      timeMs: Math.trunc(e.timeMs ?? opts.nowMs()),
      type: e.type,
      stream: e.stream ?? '',
      payload: e.payload ?? null,
      schemaVersion: e.schemaVersion ?? 1,
    }));
    // Each payload serialised once: these bytes are the row and the trail line.
    let text = '';
    for (const r of rows) {
      // A row the table would refuse (NOT NULL) fails the whole flush, as the INSERT would.
      if (!EVENT_TYPES.has(r.type))
        throw new InvalidArgumentError(`not an event type: ${String(r.type)}`);
      text += encodeRow(r.timeMs, r.type, r.stream, JSON.stringify(r.payload), r.schemaVersion);
    }
    // One flush = one transaction: the whole flush commits or none of it does.
    const ids = await insert(text);
    const stored = rows.map((r, i) => ({ ...r, id: ids[i]! }) as StoredEvent);
    for (const r of rows) countEvents(r.type, 1);
    opts.onFlush?.(stored, (performance.now() - started) / 1000);
    return stored;
  }

  const maintenance: StoreMaintenance = {
    vacuumAtOpen,
    async pruneBefore(type, beforeMs, limit) {
      const ids = await write({
        sqls: [PRUNE_SQL],
        args: [[type, Math.trunc(beforeMs), type, Math.trunc(limit)]],
      });
      countEvents(type, -ids.length);
      return ids.length;
    },
    async vacuumStep() {
      // A remote server and :memory: manage their own pages.
      if (!writer) return false;
      // The checkpoint moves the step into the file, which then shrinks (journal_size_limit trims
      // the WAL). PASSIVE: it never waits for readers, so appends queued behind it never stall; a
      // busy moment only postpones the shrink to the next pass.
      await writer.exec(
        `PRAGMA incremental_vacuum(${VACUUM_PAGES_PER_STEP}); PRAGMA wal_checkpoint(PASSIVE);`,
      );
      return Number((await client.execute('PRAGMA freelist_count')).rows[0]?.[0] ?? 0) > 0;
    },
    footprint: () => ({
      bytes: isFile ? fileBytes(url.slice('file:'.length)) : undefined,
      diskFreeBytes: isFile ? diskFreeBytes(url.slice('file:'.length)) : undefined,
      eventsByType: Object.fromEntries(eventsByType),
    }),
  };

  const trailWriter = writer ?? trailThread;
  const trail: StoreTrail | undefined = spec &&
    trailWriter && {
      repairedBytes: trailWriter.repairedBytes,
      reopen: () => trailWriter.reopenTrail(),
    };
  const store: LibsqlEventStore = {
    maintenance,
    trail,
    async append(event) {
      const [stored] = await commit.submit([event]);
      return stored!;
    },
    appendBatch: (batch) => commit.submit(batch),
    recordDecisions(writes) {
      // A store this process owns, no keys: the fast path (its control state is the whole truth).
      if (!remote && writes.every((w) => w.key === undefined))
        return commit.submit(writes.map((w) => w.event)).then((stored) =>
          stored.map((e) => ({
            stored: e as StoredEvent<'risk_decision'>,
            outcome: 'as_decided',
          })),
        );
      return decisions.submit(writes);
    },
    query: (q) => queryEvents(db, guarded, onMalformed, q),
    async latest(type, stream) {
      const [e] = await store.query({ type, stream, limit: 1, newestFirst: true });
      return e;
    },
    async newestId(type) {
      const { rows } = await guarded(() =>
        client.execute({ sql: 'SELECT max("id") FROM "events" WHERE "type" = ?', args: [type] }),
      );
      const id = rows[0]?.[0];
      return id === null || id === undefined ? undefined : Number(id);
    },
    async ping() {
      await guarded(() => client.execute('SELECT 1'));
    },
    writeHealth: health,
    async close() {
      await commit.drain();
      await decisions.drain();
      await writer?.close();
      await trailThread?.close();
      client.close();
    },
  };
  return store;
}
