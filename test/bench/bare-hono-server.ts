// The HTTP baselines for the orders/check bench. Prints the same "Worker listening" line as the
// worker so the bench can find its port.
//   (no argument)    a bare Hono app that only parses the JSON body
//   durable <dir>    the same, plus one durable event-store append per request before the answer
//                    (the real store: libSQL file, writer thread, group commit, trail line): what a
//                    server that records each request durably costs on this machine with no
//                    validation, no risk check and no metrics — the floor the worker stands on
import { join } from 'node:path';
import { Hono } from 'hono';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { riskDecisionPayload, thirteenStoredChecks } from '../helpers/events.ts';

const [mode, dir] = process.argv.slice(2);
const store =
  mode === 'durable' && dir
    ? await createLibsqlEventStore({
        url: `file:${join(dir, 'floor.db')}`,
        nowMs: Date.now,
        trail: { path: join(dir, 'floor.jsonl') },
      })
    : undefined;
let n = 0;

const app = new Hono().post('/v1/orders/check', async (c) => {
  const body = await c.req.json();
  if (store)
    await store.append({
      type: 'risk_decision',
      stream: 'BTCUSDT',
      payload: riskDecisionPayload({
        order_id: `floor-${n++}`,
        checks: thirteenStoredChecks,
        duration_ms: 0.01,
      }),
    });
  return c.json({ ok: true, n: Object.keys(body).length });
});
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
console.log(JSON.stringify({ message: 'Worker listening', extra_json: { port: server.port } }));
