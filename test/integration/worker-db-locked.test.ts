// The database locked by another process (a backup tool, a stray sqlite3 shell): the real worker
// keeps answering, /health says the database is degraded while writes wait, requests made during a
// short lock complete once it is released (nothing lost), and a lock longer than the busy timeout
// (5 s) gets 503 store_unavailable, not a 500; afterwards the worker records again by itself.
import { afterAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { startWorker, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'db-lock-token-0123456789abcdef';
let worker: WorkerProcess;
afterAll(() => worker?.stop('SIGKILL'));

const check = (id: string) =>
  fetch(`${worker.url}/v1/orders/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 0.001,
      price: 60_000,
      client_order_id: id,
    }),
  });
const health = async () => (await fetch(`${worker.url}/health`)).json();

describe('a locked database', () => {
  it('is reported, waited out, and refused cleanly when the lock outlasts the busy timeout', async () => {
    worker = await startWorker('bun', { AIS_API_TOKEN: TOKEN, AIS_LOOP_ENABLED: 'false' });
    const other = new Database(join(worker.dir, 'ais.db'));
    other.exec('PRAGMA busy_timeout=100');

    // A short lock: requests wait, /health says degraded meanwhile, then everything is recorded.
    other.exec('BEGIN IMMEDIATE');
    const waiting = ['short-1', 'short-2', 'short-3'].map((id) => check(id));
    await Bun.sleep(1_500);
    const during = await health();
    expect(during.components.db).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('database locked or slow'),
    });
    expect(during.status).toBe('degraded');
    other.exec('COMMIT');
    for (const res of await Promise.all(waiting)) expect(res.status).toBe(200);
    const stored = (await (
      await fetch(`${worker.url}/v1/events?type=risk_decision&limit=100`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { events: { payload: { order_id: string } }[] };
    expect(stored.events.map((e) => e.payload.order_id)).toEqual(
      expect.arrayContaining(['short-1', 'short-2', 'short-3']),
    );

    // A lock past the 5 s busy timeout: 503 store_unavailable, and /health names the failure.
    other.exec('BEGIN IMMEDIATE');
    const refused = check('long-1');
    await Bun.sleep(6_000);
    const res = await refused;
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('store_unavailable');
    other.exec('COMMIT');
    expect((await health()).components.db).toMatchObject({
      status: 'degraded',
      detail: expect.stringContaining('a write failed'),
    });
    // The trail is projected from committed rows: the refused check has no line, the waited-out ones do.
    const trail = readFileSync(join(worker.dir, 'decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trail.map((l) => l.order_id)).toEqual(
      expect.arrayContaining(['short-1', 'short-2', 'short-3']),
    );
    expect(trail.some((l) => l.order_id === 'long-1')).toBe(false);

    // Released: the worker records again without a restart.
    expect((await check('after-1')).status).toBe(200);
    other.close();
  }, 30_000);
});
