// logrotate's way with a real worker: rename the trail, send SIGHUP; the worker keeps running and
// writes new lines at the path. SIGTERM still shuts it down gracefully.
import { expect, it } from 'bun:test';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../monitoring/processes.ts';
import { startWorker } from '../helpers/worker-process.ts';

const TOKEN = 'rotation-token-0123456789';
const lines = (path: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];

it.each(['bun', 'node'] as const)(
  '%s: mv + kill -HUP reopens the trail at its path and the worker stays up',
  async (runtime) => {
    const worker = await startWorker(runtime, { AIS_API_TOKEN: TOKEN, AIS_LOOP_ENABLED: 'false' });
    const path = join(worker.dir, 'decisions.jsonl');
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
    try {
      expect((await check('before')).status).toBe(200);
      renameSync(path, `${path}.1`);
      worker.child.kill('SIGHUP');
      await waitFor(
        'the reopened trail',
        async () =>
          existsSync(path) &&
          worker.logs.some((l) => l['message'] === 'Reopened the decision trail (SIGHUP)'),
      );
      expect((await check('after')).status).toBe(200);
      // The trail line is written beside the answer, not before it: wait for it.
      await waitFor('the new line at the path', async () =>
        lines(path).join('\n').includes('"after"'),
      );
      expect(lines(`${path}.1`).join('\n')).toContain('"before"');
      expect(lines(`${path}.1`).join('\n')).not.toContain('"after"');
      expect(worker.child.exitCode).toBeNull();
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
    }
    expect(worker.logs.some((l) => l['message'] === 'Worker stopped')).toBe(true);
  },
  60_000,
);
