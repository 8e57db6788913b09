// A worker process under libfaketime: its wall clock (Date.now) steps while the monotonic clock
// (performance.now) runs on (FAKETIME_DONT_FAKE_MONOTONIC=1; Bun's clocks both honour
// libfaketime's LD_PRELOAD). The offset is read from a file the test rewrites, as an NTP step or
// `date -s` would move the clock of a running host.
//
// 40 days forward: the stored risk decisions are all kept (retention suspended), the step is
// exported and logged. One hour back: orders keep being approved (order_rate refills on the
// monotonic clock).
import { afterAll, describe, expect, it } from 'bun:test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../monitoring/processes.ts';
import { startWorker, tempDir, type WorkerProcess } from '../helpers/worker-process.ts';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const TOKEN = 'clock-step-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const started: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop('SIGKILL')));
});

/** A worker whose wall clock is offset by what `offsetFile` says ("+0", "+40d", "-1h"). */
async function workerUnderFaketime(env: Record<string, string>) {
  const offsetFile = join(tempDir(), 'faketime');
  writeFileSync(offsetFile, '+0\n');
  const worker = await startWorker('bun', {
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME_TIMESTAMP_FILE: offsetFile,
    FAKETIME_NO_CACHE: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    AIS_API_TOKEN: TOKEN,
    AIS_LOOP_ENABLED: 'false',
    ...env,
  });
  started.push(worker);
  const step = (offset: string) => writeFileSync(offsetFile, `${offset}\n`);
  const api = async (path: string, body?: unknown) =>
    (await fetch(`${worker.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json())) as any;
  return { worker, step, api };
}

const order = (i: number) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  quantity: 0.001,
  price: 60_000,
  client_order_id: `c-${i}`,
});

describe.skipIf(!existsSync(LIBFAKETIME))('a worker whose wall clock steps (libfaketime)', () => {
  it('keeps every stored risk decision across a 40-day step forward', async () => {
    const { worker, step, api } = await workerUnderFaketime({
      AIS_RETENTION_DAYS: '30',
      AIS_RETENTION_INTERVAL_MS: '1000',
      AIS_MAX_ORDERS_PER_MINUTE: '100000',
    });
    await api('/v1/orders/check', { orders: Array.from({ length: 130 }, (_, i) => order(i)) });
    const rows = async () =>
      (await api('/v1/events?type=risk_decision&limit=1000')).events.length as number;
    expect(await rows()).toBe(130);
    const wallBefore = Date.parse((await api('/v1/clock')).wall);

    step('+40d');
    const clock = await waitFor('the step seen', async () => {
      const c = await api('/v1/clock');
      return c.retention_suspended && c;
    });
    expect(Date.parse(clock.wall) - wallBefore).toBeGreaterThan(39 * 86_400_000);
    expect(Math.abs(clock.step_ms - 40 * 86_400_000)).toBeLessThan(60_000);
    // Several retention passes (one a second) under the stepped clock.
    await waitFor(
      'three skipped passes',
      async () =>
        worker.logs.filter(
          (l) => l.message === 'Retention pass skipped: the wall clock stepped (see GET /v1/clock)',
        ).length >= 3,
    );
    expect(await rows()).toBe(130);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    const stepS = Number(/^ais_clock_step_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(Math.abs(stepS - 40 * 86_400)).toBeLessThan(60);
    expect(metrics).toContain('ais_clock_steps_total{direction="forward"} 1');
    expect(
      worker.logs.find((l) => String(l.message).startsWith('Wall clock stepped')),
    ).toMatchObject({ level: 'ERROR', logger: 'ais.clock' });

    // The clock comes back: retention resumes, and the rows (recent again) stay.
    step('+0');
    await waitFor('the clock back', async () => !(await api('/v1/clock')).retention_suspended);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await rows()).toBe(130);
    console.log(`rows kept across a 40-day step forward: ${await rows()} of 130`);
  });

  it('keeps approving orders across a 1-hour step back', async () => {
    // 60 a minute: a bucket of 60 that refills one a second.
    const { step, api } = await workerUnderFaketime({ AIS_MAX_ORDERS_PER_MINUTE: '60' });
    const batch = await api('/v1/orders/check', {
      orders: Array.from({ length: 60 }, (_, i) => order(i)),
    });
    expect(batch.results.every((r: { approved: boolean }) => r.approved)).toBe(true);
    const refused = await api('/v1/orders/check', order(60));
    expect([refused.approved, refused.guard]).toEqual([false, 'order_rate']);

    step('-1h');
    await waitFor('the step seen', async () => (await api('/v1/clock')).step_ms < -3_500_000);
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await api('/v1/orders/check', order(61));
    expect(after.approved).toBe(true);
  });
});
