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
  /** One transaction of statements, answering each one's rows (arrays of column values). */
  writeSteps(batch: StatementBatch): Promise<unknown[][][]>;
  /** Appends the trail lines of rows (rows.mjs lines) committed elsewhere with `ids` (no database on this thread). */
  project(rows: string, ids: readonly number[]): Promise<void>;
  /** Runs maintenance SQL (no rows back) in turn with the writes, e.g. PRAGMA incremental_vacuum. */
  exec(sql: string): Promise<void>;
  /** Reopens the trail at its path, in turn with the writes. */
  reopenTrail(): Promise<void>;
  close(): Promise<void>;
}

/** Resolved when a thread starts, not at load: a Workers bundle (no threads, no file URLs) imports this module too. */
const threadUrl = () => new URL('./writer-thread.mjs', import.meta.url);

/** A failure of the trail after the rows it follows were committed (the rows are durable, their lines are not). */
export class TrailWriteError extends AisError {
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

const threadGone = (message: string, options?: { cause?: unknown }) =>
  new StoreWriteError('store_writer_failed', message, options);

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
  onTrailFailure: (e: TrailWriteError) => void = () => {},
): Promise<WriterThread> {
  const worker = new Worker(threadUrl(), { workerData: { path, trail } });
  const pending = new Map<number, { resolve(answer: never): void; reject(e: Error): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };

  const ready = await threadReady(worker, trail);
  type Answer = { id: number; ids?: number[]; rows?: unknown[][][]; error?: string };
  worker.on('message', (m: Answer & { committed?: boolean }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    // Rows committed but their trail lines not written: the rows are the record, so the write
    // stands (its ids answered) and the trail's failure is reported on its own.
    if (m.committed) onTrailFailure(new TrailWriteError(m.error ?? 'decision trail write failed'));
    if (m.error !== undefined && !m.committed)
      p.reject(new StoreWriteError('store_write_failed', m.error));
    else p.resolve((m.ids ?? m.rows) as never);
  });
  worker.on('error', (e) => failAll(threadGone('event store writer thread failed', { cause: e })));
  worker.on('exit', (code) => failAll(threadGone(`event store writer thread exited (${code})`)));

  const send = <T = number[]>(message: object): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };
  return {
    repairedBytes: ready.repairedBytes ?? 0,
    insert: (rows) => send({ rows }),
    write: (batch) => send(batch),
    writeSteps: (batch) => send<unknown[][][]>({ steps: true, ...batch }),
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
