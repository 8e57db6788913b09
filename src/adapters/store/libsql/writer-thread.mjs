// The event store's writer thread for local files. libSQL's native engine is synchronous: run on
// the main thread, every commit's fsync would stall the event loop (and every HTTP request) for a
// millisecond or more. Here it stalls only this thread. Plain JavaScript on purpose: Bun, Node and
// Deno all start it as it is, with no TypeScript loader in the worker.
//
// Messages in:  { id, sqls: string[], args: unknown[][] }  one transaction, statements in order
//               { id, exec: string }  maintenance SQL run as it is (PRAGMA incremental_vacuum)
// Messages out: { id, ids: number[] } once committed (fsync'd), or { id, error: string }
import Database from 'libsql';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.path);
db.exec('PRAGMA busy_timeout=5000');
// WAL lets the main thread read while this thread writes; FULL syncs every commit to disk.
db.exec('PRAGMA journal_mode=WAL');
db.exec('PRAGMA synchronous=FULL');
// A checkpoint truncates the WAL back to 64 MiB: without a limit it keeps its largest size forever.
db.exec('PRAGMA journal_size_limit=67108864');

/** Prepared INSERTs by SQL text (one per distinct row count, a handful in practice). */
const statements = new Map();
function prepared(sql) {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    stmt.raw(true);
    if (statements.size < 64) statements.set(sql, stmt);
  }
  return stmt;
}

const writeAll = db.transaction((sqls, args) => {
  const ids = [];
  for (let i = 0; i < sqls.length; i++) {
    for (const row of prepared(sqls[i]).all(...args[i])) ids.push(Number(row[0]));
  }
  return ids;
});

parentPort.on('message', (msg) => {
  if (msg === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (typeof msg.exec === 'string') {
      db.exec(msg.exec);
      parentPort.postMessage({ id: msg.id, ids: [] });
      return;
    }
    // IMMEDIATE takes the write lock up front: no deadlock with another process's writer.
    parentPort.postMessage({ id: msg.id, ids: writeAll.immediate(msg.sqls, msg.args) });
  } catch (error) {
    parentPort.postMessage({ id: msg.id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
