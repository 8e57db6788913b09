// A remote libSQL server (the Hrana stand-in) goes down under a running worker: calls to it go
// through the `libsql.remote` circuit breaker, which opens, so requests fail fast with 503
// store_unavailable and /health says the database is down; when the server is back, the breaker
// probes after its cool-down and the worker records again by itself.
import { afterAll, expect, it } from 'bun:test';
import { join } from 'node:path';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'remote-db-token-0123456789abcdef';
const sqld = await startFakeSqld(join(tempDir(), 'remote.db'));
let worker: WorkerProcess;
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await sqld.stop();
});

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const check = (id: string) =>
  fetch(`${worker.url}/v1/orders/check`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: 0.001,
      price: 60_000,
      client_order_id: id,
    }),
  });

it('opens the remote database breaker during an outage, fails fast, and recovers by itself', async () => {
  worker = await startWorker('bun', {
    AIS_DB_URL: sqld.url,
    AIS_API_TOKEN: TOKEN,
    AIS_LOOP_ENABLED: 'false',
    AIS_DECISION_LOG_PATH: 'store:',
    AIS_BREAKER_COOLDOWN_MS: '1000',
    AIS_CONTROL_SYNC_MS: '600000',
  });
  expect((await check('before')).status).toBe(200);

  sqld.down = true;
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await check(`down-${i}`)).status);
  expect(new Set(statuses)).toEqual(new Set([503]));
  const resilience = await (await fetch(`${worker.url}/v1/resilience`, { headers: auth })).json();
  expect(
    resilience.breakers.find((b: { name: string }) => b.name === 'libsql.remote'),
  ).toMatchObject({ state: 'open' });
  const t0 = performance.now();
  expect((await check('fast')).status).toBe(503);
  expect(performance.now() - t0).toBeLessThan(500); // refused by the open breaker, no round trip
  // Reads answer like writes: 503 with Retry-After, not 500.
  const read = await fetch(`${worker.url}/v1/events?type=risk_decision&limit=5`, { headers: auth });
  expect(read.status).toBe(503);
  expect((await read.json()).error.code).toBe('store_unavailable');
  expect(Number(read.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const health = await fetch(`${worker.url}/health`);
  expect(health.status).toBe(503);
  expect((await health.json()).components.db.status).toBe('down');

  sqld.down = false;
  let recovered = false;
  for (let i = 0; i < 50 && !recovered; i++) {
    await Bun.sleep(200);
    recovered = (await check(`after-${i}`)).status === 200;
  }
  expect(recovered).toBe(true);
  const stored = await (
    await fetch(`${worker.url}/v1/events?type=risk_decision&limit=100`, { headers: auth })
  ).json();
  const ids = stored.events.map((e: { payload: { order_id: string } }) => e.payload.order_id);
  expect(ids).toContain('before');
  expect(ids.some((id: string) => id.startsWith('down-') || id === 'fast')).toBe(false);
}, 60_000);
