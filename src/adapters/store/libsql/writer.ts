// Talks to writer-thread.mjs: each write() is one transaction on the writer thread, resolving with
// the new row ids once the commit is on disk. If the thread dies, pending and later writes fail.
import { Worker } from 'node:worker_threads';

export interface StatementBatch {
  sqls: string[];
  args: unknown[][];
}

export interface WriterThread {
  write(batch: StatementBatch): Promise<number[]>;
  /** Runs maintenance SQL (no rows back) in turn with the writes, e.g. PRAGMA incremental_vacuum. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const THREAD_URL = new URL('./writer-thread.mjs', import.meta.url);

export async function startWriterThread(path: string): Promise<WriterThread> {
  const worker = new Worker(THREAD_URL, { workerData: { path } });
  const pending = new Map<number, { resolve(ids: number[]): void; reject(e: Error): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  worker.on('message', (m: { id: number; ids?: number[]; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.ids!);
  });
  worker.on('error', (e) => failAll(new Error('event store writer thread failed', { cause: e })));
  worker.on('exit', (code) => failAll(new Error(`event store writer thread exited (${code})`)));

  const send = (message: object): Promise<number[]> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };
  return {
    write: (batch) => send(batch),
    exec: async (sql) => void (await send({ exec: sql })),
    async close() {
      if (failure) return;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}
