// The event store's writer thread for local files, and the decision trail's writer. libSQL's
// native engine is synchronous: run on the main thread, every commit's fsync would stall the event
// loop (and every HTTP request) for a millisecond or more. Here it stalls only this thread. Plain
// JavaScript on purpose: Bun, Node and Deno all start it as it is, with no TypeScript loader.
//
// workerData: { path?: database file, trail?: { path, maxBytes, keep, syncEveryMs, kinds } }
//   kinds: event type → trail kind (null: the payload names it) for the types projected
// Messages in:  { id, rows: string }  rows to insert (rows.mjs encoding). Every insert message that
//                 arrived while the previous transaction was written goes in one transaction (one
//                 fsync); the committed rows of trail types are then appended to the trail (their
//                 ids known), and each message is answered with its own rows' ids
//               { id, sqls: string[], args: unknown[][] }  one transaction of other statements
//                 (retention's DELETE … RETURNING), answering the first column of their rows
//               { id, steps: true, sqls, args }  one transaction answering every statement's rows
//                 ({ id, rows: unknown[][][] }): the conditional decision writes
//               { id, project: string, ids: number[] }  rows committed elsewhere (a remote
//                 server), appended to the trail
//               { id, exec: string }  maintenance SQL run as it is (PRAGMA incremental_vacuum)
//               { id, reopen: true }  reopen the trail at its path (after logrotate's rename)
//               'close'
// Messages out: { id, ids: number[] } once committed (fsync'd) and the lines written, or
//               { id, error: string } when nothing was committed, or
//               { id, ids, error, committed: true } when the rows were committed and only the trail failed
import Database from 'libsql';
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../../../domain/error-message.mjs';
import { openTrailFile, trailLine } from '../../logging/trail-file.mjs';
import { decodeRows, insertStatements } from './rows.mjs';
import { failureText, immediate } from './transaction.mjs';

const db = workerData.path ? openDatabase(workerData.path) : undefined;
const spec = workerData.trail;
let trail;
try {
  trail = spec ? openTrailFile(spec.path, spec) : undefined;
} catch (error) {
  parentPort.postMessage({ ready: false, error: messageOf(error) });
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

function runAll(sqls, args) {
  const ids = [];
  for (let i = 0; i < sqls.length; i++) {
    for (const row of prepared(sqls[i]).all(...args[i])) ids.push(Number(row[0]));
  }
  return ids;
}
/** The statements in one IMMEDIATE transaction; a disk-full failure keeps its own error (transaction.mjs). */
const writeAll = (sqls, args) => immediate(db, runAll, sqls, args);

/** The statements in one IMMEDIATE transaction, answering each one's rows (the conditional decision writes). */
const stepsAll = (sqls, args) =>
  immediate(db, (s, a) => s.map((sql, i) => prepared(sql).all(...a[i])), sqls, args);

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
  if (msg.steps) return { rows: stepsAll(msg.sqls, msg.args) };
  return { ids: writeAll(msg.sqls, msg.args) };
}

/**
 * Insert messages waiting for the next transaction. Every one that arrived while the last
 * transaction was written goes in one transaction: one commit, one fsync, however many flushes
 * the main thread sent meanwhile. Each message's rows are still all or nothing, and one message's
 * failure is its own: when a shared transaction fails, each message is tried again on its own.
 */
let queued = [];
let commitScheduled = false;

function commitQueued() {
  commitScheduled = false;
  const batch = queued;
  queued = [];
  if (batch.length > 0) commit(batch);
}

/** Commits insert messages in one transaction, appends their trail lines, and answers each with its ids (or the error). */
function commit(batch) {
  const counts = [];
  const rows = [];
  const kept = [];
  for (const m of batch) {
    let decoded;
    try {
      decoded = decodeRows(m.rows);
    } catch (error) {
      // A message that cannot be read is refused on its own; the others go on.
      parentPort.postMessage({ id: m.id, error: `unreadable rows: ${messageOf(error)}` });
      continue;
    }
    kept.push(m);
    counts.push(decoded.length);
    for (const r of decoded) rows.push(r);
  }
  batch = kept;
  if (batch.length === 0) return;
  let ids;
  try {
    const { sqls, args } = insertStatements(rows);
    ids = writeAll(sqls, args);
  } catch (error) {
    if (batch.length > 1) for (const m of batch) commit([m]);
    else parentPort.postMessage({ id: batch[0].id, error: failureText(error) });
    return;
  }
  let trailError;
  try {
    project(rows, ids);
  } catch (error) {
    trailError = `decision trail write failed: ${failureText(error)}`;
  }
  let at = 0;
  for (let i = 0; i < batch.length; i++) {
    const answer =
      trailError === undefined
        ? { id: batch[i].id, ids: ids.slice(at, at + counts[i]) }
        : {
            id: batch[i].id,
            ids: ids.slice(at, at + counts[i]),
            error: trailError,
            committed: true,
          };
    parentPort.postMessage(answer);
    at += counts[i];
  }
}

parentPort.on('message', (msg) => {
  if (db && msg !== 'close' && typeof msg.rows === 'string') {
    // Messages already delivered are handled before the immediate: they share the transaction.
    queued.push(msg);
    if (!commitScheduled) {
      commitScheduled = true;
      setImmediate(commitQueued);
    }
    return;
  }
  // Anything else runs after the inserts sent before it, in the order sent.
  commitQueued();
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
    parentPort.postMessage({ id: msg.id, error: failureText(error) });
  }
});
parentPort.postMessage({ ready: true, repairedBytes: trail?.repairedBytes ?? 0 });
