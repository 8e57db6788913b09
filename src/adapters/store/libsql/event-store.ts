// The EventStore port on libSQL through Drizzle: migrations at open, WAL + synchronous=FULL for
// files, group commit so that concurrent appends share one transaction, and the decision trail
// projected from the committed rows (src/domain/records/trail.ts) by the writer thread.
import type { Client, Config as ClientConfig, InArgs } from '@libsql/client';
import { and, desc, asc, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
// The /web entry wraps a client we build; unlike 'drizzle-orm/libsql' it never loads the native engine.
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { drizzle } from 'drizzle-orm/libsql/web';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallGuard } from '../../../ports/resilience.ts';
import {
  EventType,
  type EventStore,
  type NewEvent,
  type StoreMaintenance,
  type StoredEvent,
  StoreUnavailableError,
} from '../../../ports/event-store.ts';
import { type OnMalformed, readEvent } from '../read-event.ts';
import { createGroupCommit } from '../../shared/group-commit.ts';
import {
  countByType,
  diskFreeBytes,
  enableIncrementalVacuum,
  fileBytes,
  PRUNE_SQL,
  VACUUM_PAGES_PER_STEP,
} from './maintenance.ts';
import { events } from './schema.ts';
import { TRAIL_KINDS } from '../../../domain/records/trail.ts';
import { COLUMNS, decodeRows, encodeRow, insertStatements } from './rows.mjs';
import {
  type StatementBatch,
  startWriterThread,
  type TrailSpec,
  type WriterThread,
} from './writer.ts';
import { messageOf } from '../../../domain/error-message.mjs';
import { InvalidArgumentError } from '../../../domain/errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

export const MAX_QUERY_LIMIT = 10_000;
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

/**
 * Local files need the native engine; remote URLs get the fetch/WebSocket client, which is all
 * an edge host (no native addons) can load. Each is imported only when used.
 */
async function openClient(config: ClientConfig, local: boolean): Promise<Client> {
  const { createClient } = local
    ? await import('@libsql/client')
    : await import('@libsql/client/web');
  return createClient(config);
}

interface LibsqlStoreOptions {
  url: string;
  authToken?: string;
  nowMs: () => number;
  /** Called after each durable flush (metrics). */
  onFlush?: (events: readonly StoredEvent[], seconds: number) => void;
  /**
   * Protects calls to a remote server (breaker `libsql.remote`): while it is down they fail fast
   * instead of each waiting for its own time-out. Not used for files and memory.
   */
  guard?: CallGuard;
  /** Told of each row a read skips because its payload does not parse as its type. */
  onMalformed?: OnMalformed;
  /** The decision trail's JSONL file, projected from the committed rows of the trail types; none when absent. */
  trail?: TrailOptions;
}

export interface TrailOptions {
  path: string;
  /** Rotate before an append would take the file past this many bytes; 0 = never (default). */
  maxBytes?: number;
  /** Rotated files kept (path.1 newest … path.<keep> oldest); default 10. */
  keep?: number;
  /** fdatasync the file this often when lines were written (ms); default 1,000. */
  syncEveryMs?: number;
}

/** The trail as the store writes it: what opening repaired, and a reopen for SIGHUP. */
interface StoreTrail {
  /** Bytes cut from a torn tail at open (0 when the file was whole). */
  readonly repairedBytes: number;
  /** Reopens the file at its path (after logrotate or `mv` renamed it): lines before go to the old file, after to the new. */
  reopen(): Promise<void>;
}

/** The breaker name of a remote libSQL server. */
const REMOTE_DB_BREAKER = 'libsql.remote';

/** The event store plus what retention needs (pruning, vacuum, size), and its trail when it has one. */
export type LibsqlEventStore = EventStore & { maintenance: StoreMaintenance; trail?: StoreTrail };

function trailSpec(t: TrailOptions): TrailSpec {
  return {
    path: t.path,
    maxBytes: t.maxBytes ?? 0,
    keep: t.keep ?? 10,
    syncEveryMs: t.syncEveryMs ?? 1_000,
    kinds: TRAIL_KINDS as Record<string, string | null>,
  };
}

export async function createLibsqlEventStore(opts: LibsqlStoreOptions): Promise<LibsqlEventStore> {
  const url = opts.url === ':memory:' ? 'file::memory:' : opts.url;
  const isFile = url.startsWith('file:') && !url.includes(':memory:');
  if (isFile) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  const client = await openClient({ url, authToken: opts.authToken }, url.startsWith('file:'));
  if (isFile) await client.execute('PRAGMA busy_timeout=5000');
  // Before migrations: auto_vacuum is fixed once the first table exists.
  const vacuumAtOpen = isFile ? await enableIncrementalVacuum(client) : 'not_applicable';
  if (isFile) {
    // WAL lets readers run beside the writer; FULL makes each commit durable against power loss.
    await client.execute('PRAGMA journal_mode=WAL');
    await client.execute('PRAGMA synchronous=FULL');
  }
  const db: LibSQLDatabase = drizzle(client);
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  // Files: writes go to a writer thread so that commits (fsync) never block the event loop; the
  // same thread appends the trail lines of what it committed. Memory and remote databases: writes
  // through the client (a remote write is async I/O already), and a thread for the trail alone.
  const spec = opts.trail && trailSpec(opts.trail);
  const writer = isFile ? await startWriterThread(url.slice('file:'.length), spec) : undefined;
  const trailThread: WriterThread | undefined = writer
    ? undefined
    : spec && (await startWriterThread(undefined, spec));
  const remote = !url.startsWith('file:');
  const onMalformed = opts.onMalformed ?? (() => {});
  const guarded = <T>(fn: () => Promise<T>): Promise<T> =>
    remote && opts.guard ? opts.guard(REMOTE_DB_BREAKER, fn) : fn();
  const write = async (batch: StatementBatch): Promise<number[]> => {
    if (writer) return writer.write(batch);
    const results = await guarded(() =>
      client.batch(
        batch.sqls.map((sql, i) => ({ sql, args: batch.args[i] as InArgs })),
        'write',
      ),
    );
    return results.flatMap((r) => r.rows.map((row) => Number(row[0])));
  };
  /** Inserts rows (rows.mjs lines) in one transaction, their trail lines written, answering their ids in order. */
  const insert = async (rows: string): Promise<number[]> => {
    if (writer) return writer.insert(rows);
    const ids = await write(insertStatements(decodeRows(rows)));
    await trailThread?.project(rows, ids);
    return ids;
  };

  const eventsByType = await guarded(() => countByType(client));
  const countEvents = (type: string, n: number) =>
    eventsByType.set(type, (eventsByType.get(type) ?? 0) + n);

  /** Start times (ms) of the flushes running, oldest first. */
  const flushesStartedMs: number[] = [];
  let lastFailure: { timeMs: number; message: string } | undefined;
  const commit = createGroupCommit<NewEvent, StoredEvent>(
    async (batch) => {
      const startedMs = opts.nowMs();
      flushesStartedMs.push(startedMs);
      try {
        return await flushBatch(batch);
      } catch (e) {
        const message = messageOf(e);
        lastFailure = { timeMs: opts.nowMs(), message };
        throw new StoreUnavailableError(`event store write failed: ${message}`, { cause: e });
      } finally {
        flushesStartedMs.splice(flushesStartedMs.indexOf(startedMs), 1);
      }
    },
    // The writer thread commits its messages in the order sent, and the flushes waiting in its
    // queue together, in one transaction: a few may be in flight. A client (memory, remote server)
    // may run two batches at once: one.
    { maxInFlight: writer ? 4 : 1 },
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
    async query(q) {
      const where: SQL[] = [];
      if (q.type) where.push(eq(events.type, q.type));
      if (q.stream !== undefined) where.push(eq(events.stream, q.stream));
      if (q.sinceMs !== undefined) where.push(gte(events.timeMs, q.sinceMs));
      if (q.afterId !== undefined) where.push(gt(events.id, q.afterId));
      const limit = Math.min(Math.max(1, Math.trunc(q.limit ?? 100)), MAX_QUERY_LIMIT);
      const found: StoredEvent<NonNullable<typeof q.type>>[] = [];
      // Rows past a skipped (malformed) one are read on, so that a page is short only at the end.
      for (let cursor: number | undefined; ;) {
        const want = limit - found.length;
        const page =
          cursor === undefined
            ? where
            : [...where, q.newestFirst ? lt(events.id, cursor) : gt(events.id, cursor)];
        const rows = await guarded(async () =>
          db
            .select()
            .from(events)
            .where(and(...page))
            .orderBy(q.newestFirst ? desc(events.id) : asc(events.id))
            .limit(want),
        );
        for (const r of rows) {
          const e = readEvent<NonNullable<typeof q.type>>(r, onMalformed);
          if (e) found.push(e);
        }
        if (rows.length < want || found.length >= limit) return found;
        cursor = rows[rows.length - 1]!.id;
      }
    },
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
    writeHealth: (nowMs) => ({
      flushingForMs: flushesStartedMs.length === 0 ? 0 : nowMs - flushesStartedMs[0]!,
      lastFailure,
    }),
    async close() {
      await commit.drain();
      await writer?.close();
      await trailThread?.close();
      client.close();
    },
  };
  return store;
}
