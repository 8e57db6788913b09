// A stand-in for a libSQL server (sqld / Turso), which no registry here ships: it speaks Hrana v2
// over HTTP (POST /v2/pipeline, batons for streams, batches with conditions) in front of the real
// libSQL engine (the `libsql` package) on a local file, with bearer-token auth. Enough for
// @libsql/client's `http://` URLs: executes, batches (transactions), migrations.
//
// Faults (`fault`), for the deadline and unknown-outcome drills: `hang` takes requests and never
// answers; `slow` answers after `delayMs`; `drop_before` closes the connection without running the
// request; `drop_after` runs it (commits) and closes the connection without an answer. Node's http
// server (Bun runs it too) because dropping a connection needs its socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Database from 'libsql';

type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
type Cond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: Cond }
  | { type: 'and' | 'or'; conds: Cond[] }
  | { type: 'is_autocommit' };
interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}
interface Stream {
  db: Database.Database;
  sqls: Map<number, string>;
  idleTimer?: ReturnType<typeof setTimeout>;
}

export interface FakeSqld {
  url: string;
  /** Number of pipeline requests served (tests use it to see traffic). */
  readonly requests: number;
  /** While true, every request answers 503 (an outage of the remote database). */
  down: boolean;
  /** A fault every pipeline request meets (see the header); `none` by default. */
  fault: Fault;
  /** The delay of `slow` (ms); default 500. */
  delayMs: number;
  stop(): Promise<void>;
}

export type Fault = 'none' | 'hang' | 'slow' | 'drop_before' | 'drop_after';

const decode = (v: Value): unknown => {
  switch (v.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(v.value);
    case 'float':
      return v.value;
    case 'text':
      return v.value;
    case 'blob':
      return Buffer.from(v.base64, 'base64');
  }
};

const encode = (x: unknown): Value => {
  if (x === null || x === undefined) return { type: 'null' };
  if (typeof x === 'bigint') return { type: 'integer', value: String(x) };
  if (typeof x === 'number')
    return Number.isInteger(x)
      ? { type: 'integer', value: String(x) }
      : { type: 'float', value: x };
  if (typeof x === 'string') return { type: 'text', value: x };
  return { type: 'blob', base64: Buffer.from(x as Uint8Array).toString('base64') };
};

function execute(stream: Stream, stmt: Stmt) {
  const sql = stmt.sql ?? stream.sqls.get(stmt.sql_id ?? -1);
  if (sql === undefined) throw new Error('statement has neither sql nor a known sql_id');
  const prepared = stream.db.prepare(sql);
  prepared.safeIntegers(true);
  const named = Object.fromEntries(
    (stmt.named_args ?? []).map((a) => [a.name.replace(/^[:@$]/, ''), decode(a.value)]),
  );
  const args = [...(stmt.args ?? []).map(decode), ...(stmt.named_args?.length ? [named] : [])];
  if (prepared.reader) {
    const cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
    const rows = (prepared.raw(true).all(...args) as unknown[][]).map((r) => r.map(encode));
    return {
      cols,
      rows: stmt.want_rows === false ? [] : rows,
      affected_row_count: 0,
      last_insert_rowid: null,
      rows_read: rows.length,
      rows_written: 0,
    };
  }
  const info = prepared.run(...args);
  return {
    cols: [],
    rows: [],
    affected_row_count: Number(info.changes),
    last_insert_rowid: String(info.lastInsertRowid),
    rows_read: 0,
    rows_written: Number(info.changes),
  };
}

function holds(cond: Cond | undefined, ok: (boolean | undefined)[], stream: Stream): boolean {
  if (!cond) return true;
  switch (cond.type) {
    case 'ok':
      return ok[cond.step] === true;
    case 'error':
      return ok[cond.step] === false;
    case 'not':
      return !holds(cond.cond, ok, stream);
    case 'and':
      return cond.conds.every((c) => holds(c, ok, stream));
    case 'or':
      return cond.conds.some((c) => holds(c, ok, stream));
    case 'is_autocommit':
      return !stream.db.inTransaction;
  }
}

const errorOf = (e: unknown) => ({
  message: e instanceof Error ? e.message : String(e),
  code: (e as { code?: string }).code ?? 'SQLITE_ERROR',
});

function handle(
  stream: Stream,
  req: {
    type: string;
    stmt?: Stmt;
    batch?: { steps: { condition?: Cond; stmt: Stmt }[] };
    sql?: string;
    sql_id?: number;
  },
) {
  switch (req.type) {
    case 'execute':
      return { type: 'execute', result: execute(stream, req.stmt!) };
    case 'batch': {
      const ok: (boolean | undefined)[] = [];
      const step_results: unknown[] = [];
      const step_errors: unknown[] = [];
      for (const [i, step] of req.batch!.steps.entries()) {
        if (!holds(step.condition, ok, stream)) {
          step_results.push(null);
          step_errors.push(null);
          continue;
        }
        try {
          step_results.push(execute(stream, step.stmt));
          step_errors.push(null);
          ok[i] = true;
        } catch (e) {
          step_results.push(null);
          step_errors.push(errorOf(e));
          ok[i] = false;
        }
      }
      return { type: 'batch', result: { step_results, step_errors } };
    }
    case 'sequence':
      stream.db.exec(req.sql ?? stream.sqls.get(req.sql_id ?? -1) ?? '');
      return { type: 'sequence' };
    case 'store_sql':
      stream.sqls.set(req.sql_id!, req.sql!);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(req.sql_id!);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !stream.db.inTransaction };
    case 'close':
      return { type: 'close' };
    default:
      throw new Error(`unsupported request type ${req.type}`);
  }
}

type PipelineBody = { baton?: string | null; requests: Parameters<typeof handle>[1][] };

/** Starts the server on 127.0.0.1 (a free port) over the libSQL file at `path`. */
export async function startFakeSqld(
  path: string,
  opts: { authToken?: string } = {},
): Promise<FakeSqld> {
  const streams = new Map<string, Stream>();
  let nextBaton = 1;
  let requests = 0;
  /** Connections of closed streams, reused by new ones (sqld keeps a pool too): opening one costs ms. */
  const idle: Database.Database[] = [];
  const closeStream = (baton: string) => {
    const s = streams.get(baton);
    if (!s) return;
    clearTimeout(s.idleTimer);
    if (s.db.inTransaction) s.db.exec('ROLLBACK');
    if (idle.length < 8) idle.push(s.db);
    else s.db.close();
    streams.delete(baton);
  };
  const state = { down: false, fault: 'none' as Fault, delayMs: 500 };

  /** Runs a pipeline on its stream (a new one without a baton): the status and body to answer. */
  function pipeline(body: PipelineBody): [number, unknown] {
    let baton = body.baton ?? undefined;
    if (baton !== undefined && !streams.has(baton)) return [400, { error: 'unknown baton' }];
    if (baton === undefined) {
      baton = `b${nextBaton++}`;
      const db = idle.pop() ?? new Database(path);
      db.exec('PRAGMA busy_timeout=5000');
      streams.set(baton, { db, sqls: new Map() });
    }
    const stream = streams.get(baton)!;
    clearTimeout(stream.idleTimer);
    const results = [];
    let closed = false;
    for (const r of body.requests) {
      try {
        results.push({ type: 'ok', response: handle(stream, r) });
      } catch (e) {
        results.push({ type: 'error', error: errorOf(e) });
      }
      if (r.type === 'close') closed = true;
    }
    if (closed) closeStream(baton);
    else stream.idleTimer = setTimeout(() => closeStream(baton!), 10_000);
    return [200, { baton: closed ? null : baton, base_url: null, results }];
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    });
    res.end(text);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && (pathname === '/v2' || pathname === '/health'))
      return send(res, 200, 'ok');
    if (req.method !== 'POST' || pathname !== '/v2/pipeline') return send(res, 404, 'not found');
    const text = await readBody(req);
    if (state.down) return send(res, 503, 'unavailable');
    if (opts.authToken && req.headers.authorization !== `Bearer ${opts.authToken}`)
      return send(res, 401, { error: 'Unauthorized' });
    requests++;
    const fault = state.fault;
    if (fault === 'hang') return; // never answered; stop() closes the socket
    if (fault === 'drop_before') return void req.socket.destroy();
    if (fault === 'slow') await new Promise((r) => setTimeout(r, state.delayMs));
    const [status, body] = pipeline(JSON.parse(text) as PipelineBody);
    if (fault === 'drop_after') return void req.socket.destroy();
    send(res, status, body);
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    serve(req, res).catch((e) => send(res, 500, { error: errorOf(e).message }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    get fault() {
      return state.fault;
    },
    set fault(v: Fault) {
      state.fault = v;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    async stop() {
      for (const baton of [...streams.keys()]) closeStream(baton);
      for (const db of idle.splice(0)) db.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
