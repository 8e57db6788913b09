// A stand-in for a libSQL server (sqld / Turso), which no registry here ships: it speaks Hrana v2
// over HTTP (POST /v2/pipeline, batons for streams, batches with conditions) in front of the real
// libSQL engine (the `libsql` package) on a local file, with bearer-token auth. Enough for
// @libsql/client's `http://` URLs: executes, batches (transactions), migrations.
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
  stop(): Promise<void>;
}

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

/** Starts the server on 127.0.0.1 (a free port) over the libSQL file at `path`. */
export function startFakeSqld(path: string, opts: { authToken?: string } = {}): FakeSqld {
  const streams = new Map<string, Stream>();
  let nextBaton = 1;
  let requests = 0;
  const closeStream = (baton: string) => {
    const s = streams.get(baton);
    if (!s) return;
    clearTimeout(s.idleTimer);
    if (s.db.inTransaction) s.db.exec('ROLLBACK');
    s.db.close();
    streams.delete(baton);
  };
  const state = { down: false };
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const { pathname } = new URL(req.url);
      if (req.method === 'GET' && pathname === '/v2') return new Response('ok');
      if (req.method === 'GET' && pathname === '/health') return new Response('ok');
      if (req.method !== 'POST' || pathname !== '/v2/pipeline')
        return new Response('not found', { status: 404 });
      if (state.down) return new Response('unavailable', { status: 503 });
      if (opts.authToken && req.headers.get('authorization') !== `Bearer ${opts.authToken}`) {
        return Response.json({ error: 'Unauthorized' }, { status: 401 });
      }
      requests++;
      const body = (await req.json()) as {
        baton?: string | null;
        requests: Parameters<typeof handle>[1][];
      };
      let baton = body.baton ?? undefined;
      if (baton !== undefined && !streams.has(baton))
        return Response.json({ error: 'unknown baton' }, { status: 400 });
      if (baton === undefined) {
        baton = `b${nextBaton++}`;
        const db = new Database(path);
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
      return Response.json({ baton: closed ? null : baton, base_url: null, results });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    get requests() {
      return requests;
    },
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    async stop() {
      for (const baton of [...streams.keys()]) closeStream(baton);
      await server.stop(true);
    },
  };
}
