// Two worker processes on one libSQL server (the Hrana stand-in for sqld): a kill switch triggered
// on one is enforced by the other within AIS_CONTROL_SYNC_MS (plus a request), and a reset and
// ACTIVE on the second reach the first the same way.
import { afterAll, describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'two-workers-token-0123456789';
const SYNC_MS = 300;
const workers: WorkerProcess[] = [];
const sqld = await startFakeSqld(join(tempDir(), 'shared.db'));
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await sqld.stop();
});

const post = (w: WorkerProcess, path: string, body: unknown) =>
  fetch(`${w.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());
const order = { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 60_000 };

/** Polls until `fn` is true; returns the milliseconds it took. */
async function within(limitMs: number, fn: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if (await fn()) return performance.now() - t0;
    await Bun.sleep(25);
  }
  throw new Error(`not true within ${limitMs} ms`);
}

describe('two workers on one shared database', () => {
  it('share the kill switch and the trading state within the sync interval', async () => {
    const env = {
      AIS_DB_URL: sqld.url,
      AIS_API_TOKEN: TOKEN,
      AIS_CONTROL_SYNC_MS: String(SYNC_MS),
      AIS_LOOP_ENABLED: 'false',
      AIS_DECISION_LOG_PATH: 'store:',
    };
    const a = await startWorker('bun', { ...env, AIS_INSTANCE_ID: 'worker-a' });
    workers.push(a);
    const b = await startWorker('bun', { ...env, AIS_INSTANCE_ID: 'worker-b' });
    workers.push(b);
    expect((await post(b, '/v1/orders/check', order)).approved).toBe(true);

    await post(a, '/v1/control/kill-switch', { action: 'trigger', reason: 'shared drill' });
    const took = await within(
      SYNC_MS * 3 + 2_000,
      async () => (await post(b, '/v1/orders/check', order)).guard === 'kill_switch',
    );
    expect(took).toBeLessThan(SYNC_MS * 3 + 2_000);
    expect((await (await fetch(`${b.url}/health`)).json()).kill_switch).toMatchObject({
      active: true,
      reason: 'shared drill',
    });
    expect(await (await fetch(`${b.url}/metrics`)).text()).toContain('ais_kill_switch_active 1');

    await post(b, '/v1/control/kill-switch', { action: 'reset' });
    await post(b, '/v1/control/trading-state', { state: 'ACTIVE' });
    await within(
      SYNC_MS * 3 + 2_000,
      async () => (await post(a, '/v1/orders/check', order)).approved === true,
    );
    expect((await (await fetch(`${a.url}/health`)).json()).trading_state).toBe('ACTIVE');
  });
});
