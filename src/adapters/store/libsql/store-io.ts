// How the event store's statements reach the database: a local file's through its writer thread
// (which also writes the trail lines of what it commits), a memory or remote database's through
// the client (a remote one behind its breaker and deadline), their trail lines then through a
// trail thread. A trail that fails after the commit is reported, and the rows stand.
import type { Client, InArgs } from '@libsql/client';
import type { SqlStep } from './decision-sql.ts';
import type { RemoteCalls } from './remote-calls.ts';
import type { StoredEvent } from '../../../ports/event-store.ts';
import { decodeRows, encodeRow, insertStatements } from './rows.mjs';
import type { StatementBatch, WriterThread } from './writer.ts';

interface StoreIoOptions {
  client: Client;
  /** The writer thread of a database file; absent for memory and remote databases. */
  writer?: WriterThread;
  /** The trail's thread when there is no writer thread. */
  trailThread?: WriterThread;
  /** A remote server's calls; absent for files and memory. */
  remote?: RemoteCalls;
  onTrailFailure: (e: Error) => void;
}

export function createStoreIo(o: StoreIoOptions) {
  const { client, writer, trailThread } = o;
  const run = <T>(fn: () => Promise<T>) => (o.remote ? o.remote.call(fn) : fn());
  const batch = (steps: { sql: string; args: unknown[] }[]) =>
    run(() =>
      client.batch(
        steps.map((s) => ({ sql: s.sql, args: s.args as InArgs })),
        'write',
      ),
    );
  /** One transaction of statements, answering the first column of their rows. */
  const write = async (b: StatementBatch): Promise<number[]> => {
    if (writer) return writer.write(b);
    const results = await batch(b.sqls.map((sql, i) => ({ sql, args: b.args[i]! })));
    return results.flatMap((r) => r.rows.map((row) => Number(row[0])));
  };
  /** Appends the trail lines of committed rows (rows.mjs lines) with their ids; a failure is reported, not thrown. */
  const project = async (rows: string, ids: readonly number[]): Promise<void> => {
    await (writer ?? trailThread)?.project(rows, ids).catch((e: unknown) => {
      o.onTrailFailure(e as Error);
    });
  };
  return {
    write,
    project,
    /** Appends the trail lines of events committed by other statements (the conditional decision writes). */
    projectStored: (stored: readonly StoredEvent[]) =>
      project(
        stored
          .map((e) => encodeRow(e.timeMs, e.type, e.stream, JSON.stringify(e.payload), 1))
          .join(''),
        stored.map((e) => e.id),
      ),
    /** Inserts rows (rows.mjs lines) in one transaction, their trail lines written, answering their ids in order. */
    async insert(rows: string): Promise<number[]> {
      if (writer) return writer.insert(rows);
      const ids = await write(insertStatements(decodeRows(rows)));
      if (trailThread) await project(rows, ids);
      return ids;
    },
    /** Statements in one transaction, each one's rows answered (arrays of column values). */
    async runSteps(steps: SqlStep[]): Promise<unknown[][][]> {
      if (writer)
        return writer.writeSteps({ sqls: steps.map((s) => s.sql), args: steps.map((s) => s.args) });
      const results = await batch(steps);
      return results.map((r) => r.rows.map((row) => Array.from(row)));
    },
  };
}
