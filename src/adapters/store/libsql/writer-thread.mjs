// The event store's writer thread for local files, and the decision trail's writer. libSQL's
// native engine is synchronous: run on the main thread, every commit's fsync would stall the event
// loop (and every HTTP request) for a millisecond or more. Here it stalls only this thread. Plain
// JavaScript on purpose: Bun, Node and Deno all start it as it is, with no TypeScript loader.
//
// workerData: { path?: database file, trail?: { path, maxBytes, keep, syncEveryMs, kinds } }
//   kinds: event type → trail kind (null: the payload names it) for the types projected
// Messages in:  { id, rows: string }  rows to insert (rows.mjs encoding), one transaction; the
//                 committed rows of trail types are then appended to the trail (their ids known)
//               { id, sqls: string[], args: unknown[][] }  one transaction of other statements
//                 (retention's DELETE … RETURNING), answering the first column of their rows
//               { id, project: string, ids: number[] }  rows committed elsewhere (a remote
//                 server), appended to the trail
//               { id, exec: string }  maintenance SQL run as it is (PRAGMA incremental_vacuum)
//               { id, reopen: true }  reopen the trail at its path (after logrotate's rename)
//               'close'
// Messages out: { id, ids: number[] } once committed (fsync'd) and the lines written, or
//               { id, error: string, committed?: true } (committed: the trail failed after the commit)
import Database from 'libsql';
import { parentPort, workerData } from 'node:worker_threads';
import { openTrailFile, trailLine } from '../../logging/trail-file.mjs';
import { decodeRows, insertStatements } from './rows.mjs';

const db = workerData.path ? openDatabase(workerData.path) : undefined;
const spec = workerData.trail;
let trail;
try {
  trail = spec ? openTrailFile(spec.path, spec) : undefined;
} catch (error) {
  parentPort.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
// Lines reach the page cache before an append is answered (a killed process loses none); they are
// fdatasync'd every syncEveryMs, at rotation and at close. The store's row is the durable record.
const syncTimer = trail && setInterval(() => trail.sync(), spec.syncEveryMs ?? 1_000);

function openDatabase(path) {
  const d = new Database(path);
  d.exec('PRAGMA busy_timeout=5000');
  // WAL lets the main thread read while this thread writes; FULL syncs every commit to disk.
  d.exec('PRAGMA journal_mode=WAL');
  d.exec('PRAGMA synchronous=FULL');
  // A checkpoint truncates the WAL back to 64 MiB: without a limit it keeps its largest size forever.
  d.exec('PRAGMA journal_size_limit=67108864');
  return d;
}

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

const writeAll =
  db &&
  db.transaction((sqls, args) => {
    const ids = [];
    for (let i = 0; i < sqls.length; i++) {
      for (const row of prepared(sqls[i]).all(...args[i])) ids.push(Number(row[0]));
    }
    return ids;
  });

/** Appends the trail lines of the committed rows ([timeMs, type, stream, payload, version], ids in the same order) whose type the trail projects. */
function project(rows, ids) {
  if (!trail) return;
  let text = '';
  for (let i = 0; i < rows.length; i++) {
    const [timeMs, type, , payload] = rows[i];
    const kind = spec.kinds[type];
    if (kind !== undefined) text += trailLine(ids[i], timeMs, payload, kind);
  }
  trail.append(text);
}

function handle(msg) {
  if (typeof msg.exec === 'string') {
    db.exec(msg.exec);
    return { ids: [] };
  }
  if (msg.reopen) {
    trail?.reopen();
    return { ids: [] };
  }
  if (typeof msg.project === 'string') {
    project(decodeRows(msg.project), msg.ids);
    return { ids: [] };
  }
  if (typeof msg.rows !== 'string') return { ids: writeAll.immediate(msg.sqls, msg.args) };
  const rows = decodeRows(msg.rows);
  const { sqls, args } = insertStatements(rows);
  // IMMEDIATE takes the write lock up front: no deadlock with another process's writer.
  const ids = writeAll.immediate(sqls, args);
  try {
    project(rows, ids);
  } catch (error) {
    return { error: `decision trail write failed: ${error instanceof Error ? error.message : String(error)}`, committed: true };
  }
  return { ids };
}

parentPort.on('message', (msg) => {
  if (msg === 'close') {
    clearInterval(syncTimer);
    trail?.close();
    db?.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: msg.id, ...handle(msg) });
  } catch (error) {
    parentPort.postMessage({ id: msg.id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true, repairedBytes: trail?.repairedBytes ?? 0 });
