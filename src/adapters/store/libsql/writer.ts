// Talks to writer-thread.mjs: each insert() is written all or nothing by the writer thread (in one
// transaction with the other inserts waiting in its queue), resolving with the new row ids once the
// commit is on disk and the trail lines of its rows are written. If the thread dies, pending and
// later writes fail.
import { Worker } from 'node:worker_threads';
import { AisError } from '../../../domain/errors.ts';

export interface StatementBatch {
  sqls: string[];
  args: unknown[][];
}

/** The decision trail the thread writes: rows of the `kinds` types become lines (trail-file.mjs `trailLine`). */
export interface TrailSpec {
  path: string;
  /** Rotate before an append would take the file past this many bytes; 0 = never. */
  maxBytes: number;
  /** Rotated files kept (path.1 … path.<keep>). */
  keep: number;
  /** fdatasync the trail this often (ms) when lines were written. */
  syncEveryMs: number;
  /** Event type → the line's kind (null: the payload names it). */
  kinds: Readonly<Record<string, string | null>>;
}

export interface WriterThread {
  /** Bytes cut from the trail's torn tail at open (0 when whole or no trail). */
  readonly repairedBytes: number;
  /** Inserts rows (rows.mjs lines), answering their ids in order. */
  insert(rows: string): Promise<number[]>;
  /** One transaction of other statements, answering the first column of the rows they return. */
  write(batch: StatementBatch): Promise<number[]>;
  /** Appends the trail lines of rows (rows.mjs lines) committed elsewhere with `ids` (no database on this thread). */
  project(rows: string, ids: readonly number[]): Promise<void>;
  /** Runs maintenance SQL (no rows back) in turn with the writes, e.g. PRAGMA incremental_vacuum. */
  exec(sql: string): Promise<void>;
  /** Reopens the trail at its path, in turn with the writes. */
  reopenTrail(): Promise<void>;
  close(): Promise<void>;
}

const THREAD_URL = new URL('./writer-thread.mjs', import.meta.url);

/** A failure of the trail after the rows it follows were committed (the rows are durable, their lines are not). */
class TrailWriteError extends AisError {
  constructor(message: string) {
    super('trail_write_failed', message);
  }
}

/**
 * The writer thread could not open the database or the trail (`store_open_failed`), could not
 * commit (`store_write_failed`: the thread's message, which says when the database is locked),
 * or went away (`store_writer_failed`, its error as `cause`).
 */
class StoreWriteError extends AisError {}

/** Waits for the thread's first message: opened, or why not (the trail cannot be opened). */
async function threadReady(worker: Worker, trail: TrailSpec | undefined) {
  const ready = await new Promise<{ ready: boolean; error?: string; repairedBytes?: number }>(
    (resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', resolve);
    },
  );
  if (!ready.ready)
    throw new StoreWriteError(
      'store_open_failed',
      `cannot open the decision trail ${trail?.path}: ${ready.error}`,
    );
  return ready;
}

/**
 * Starts the thread for a database file (`path`), a trail (`trail`) or both.
 * @throws when the thread cannot open them (the message says which and why)
 */
export async function startWriterThread(
  path: string | undefined,
  trail?: TrailSpec,
): Promise<WriterThread> {
  const worker = new Worker(THREAD_URL, { workerData: { path, trail } });
  const pending = new Map<number, { resolve(ids: number[]): void; reject(e: Error): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };

  const ready = await threadReady(worker, trail);
  worker.on('message', (m: { id: number; ids?: number[]; error?: string; committed?: boolean }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error === undefined) p.resolve(m.ids!);
    else if (m.committed) p.reject(new TrailWriteError(m.error));
    else p.reject(new StoreWriteError('store_write_failed', m.error));
  });
  worker.on('error', (e) =>
    failAll(
      new StoreWriteError('store_writer_failed', 'event store writer thread failed', { cause: e }),
    ),
  );
  worker.on('exit', (code) =>
    failAll(
      new StoreWriteError('store_writer_failed', `event store writer thread exited (${code})`),
    ),
  );

  const send = (message: object): Promise<number[]> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };
  return {
    repairedBytes: ready.repairedBytes ?? 0,
    insert: (rows) => send({ rows }),
    write: (batch) => send(batch),
    project: async (rows, ids) => void (await send({ project: rows, ids })),
    exec: async (sql) => void (await send({ exec: sql })),
    reopenTrail: async () => void (await send({ reopen: true })),
    async close() {
      if (failure) return;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}
