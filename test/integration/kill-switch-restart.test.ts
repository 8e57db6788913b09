// The kill switch and the trading state survive a real restart of the worker process: a restart
// never re-enables trading, not even after a reset (which leaves trading HALTED).
import { afterAll, describe, expect, it } from 'bun:test';
import { rmSync } from 'node:fs';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const TOKEN = 'restart-test-token-0123456789';
const dir = tempDir('ais-kill-');
const env = { AIS_API_TOKEN: TOKEN };
let worker: WorkerProcess | undefined;
afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (w: WorkerProcess, path: string, body?: unknown) => {
  const res = await fetch(`${w.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
};
const order = { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 60_000 };

describe('kill switch across a process restart', () => {
  it('stays triggered, and a reset stays HALTED after the next restart', async () => {
    worker = await startWorker('bun', env, { dir });
    expect(await call(worker, '/health')).toMatchObject({
      trading_state: 'ACTIVE',
      kill_switch: { active: false },
    });
    expect((await call(worker, '/v1/orders/check', order)).approved).toBe(true);
    await call(worker, '/v1/control/kill-switch', { action: 'trigger', reason: 'restart test' });
    await worker.stop('SIGKILL'); // no graceful shutdown: the answer came after the event was durable

    worker = await startWorker('bun', env, { dir });
    const health = await call(worker, '/health');
    expect(health).toMatchObject({
      status: 'halted',
      kill_switch: { active: true, reason: 'restart test' },
    });
    expect(health.kill_switch.since).toBeString();
    expect((await call(worker, '/v1/orders/check', order)).guard).toBe('kill_switch');
    expect(await call(worker, '/v1/control/kill-switch', { action: 'reset' })).toMatchObject({
      trading_state: 'HALTED',
    });
    await worker.stop();

    worker = await startWorker('bun', env, { dir });
    expect(await call(worker, '/health')).toMatchObject({
      status: 'halted',
      trading_state: 'HALTED',
      kill_switch: { active: false },
    });
    expect((await call(worker, '/v1/orders/check', order)).guard).toBe('trading_state');
    await call(worker, '/v1/control/trading-state', { state: 'ACTIVE', reason: 'checked' });
    expect((await call(worker, '/v1/orders/check', order)).approved).toBe(true);
  }, 60_000);
});
