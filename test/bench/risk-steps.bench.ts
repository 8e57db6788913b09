// POST /v1/orders/check step by step, in process (no sockets): the real composition's main-thread
// CPU per check with each stage added in turn, beside a bare Hono handler. This is the bench's
// profile of the hot path: what each step costs, measured rather than guessed.
//   bare Hono          parse the body, answer JSON
//   + HTTP layer       the worker's app: metrics, body limit, token, validation, answer (the risk service answers a fixed decision)
//   + risk check       the engine (WASM), the risk token, metrics, the record built and serialised (the store not called)
//   + durable record   the event store: group commit, the writer thread, the trail line
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { buildWorker } from '../../src/main/build-deps.ts';
import type { EventStore } from '../../src/ports/event-store.ts';
import { tempDir } from '../helpers/worker-process.ts';
import { median, record, section } from './harness.ts';
import { cpuBetween, threadCpuMs } from './thread-cpu.ts';

const TOKEN = 'bench-token-0123456789abcdef';
const BODY = '{"symbol":"BTCUSDT","side":"BUY","quantity":0.01,"price":60000,"agent_id":"bench"}';
const HEADERS = {
  'content-type': 'application/json',
  'content-length': String(BODY.length),
  authorization: `Bearer ${TOKEN}`,
};
const IN_FLIGHT = 32;

type Fetch = (req: Request) => Response | Promise<Response>;

/** Main-thread and writer-thread CPU µs per check over `n` checks, 32 in flight, median of 3 rounds. */
async function cpuPerCheck(fetch: Fetch, n: number): Promise<{ main: number; writer: number }> {
  const run = async (count: number) => {
    let left = count;
    const one = async () => {
      const res = await fetch(
        new Request('http://bench/v1/orders/check', {
          method: 'POST',
          body: BODY,
          headers: HEADERS,
        }),
      );
      if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (left-- > 0) await one();
      }),
    );
  };
  await run(Math.min(n, 5_000)); // warm-up (JIT tiers, caches)
  const main: number[] = [];
  const writer: number[] = [];
  for (let r = 0; r < 3; r++) {
    const before = threadCpuMs('self');
    await run(n);
    const after = threadCpuMs('self');
    main.push((cpuBetween(before, after, 'bun') * 1000) / n);
    writer.push((cpuBetween(before, after, 'Worker') * 1000) / n);
  }
  return { main: median(main), writer: median(writer) };
}

export async function benchRiskSteps() {
  const s = section('POST /v1/orders/check step by step (in process, 32 in flight, CPU per check)');
  const n = 20_000;
  const bareApp = new Hono().post('/v1/orders/check', async (c) =>
    c.json({ ok: true, n: Object.keys(await c.req.json()).length }),
  );
  const bare = await cpuPerCheck(bareApp.fetch, n);

  const dir = tempDir('ais-bench-steps-');
  const env = {
    AIS_API_TOKEN: TOKEN,
    AIS_MAX_ORDERS_PER_MINUTE: '1000000000',
    AIS_LOOP_ENABLED: 'false',
    AIS_DB_URL: `file:${join(dir, 'ais.db')}`,
    AIS_DECISION_LOG_PATH: join(dir, 'decisions.jsonl'),
    AIS_LOG_LEVEL: 'warn',
  };
  const worker = await buildWorker('bun', env);
  try {
    const service = worker.deps.risk.service;
    const store = worker.deps.store as EventStore;
    const check = service.check.bind(service);
    const appendBatch = store.appendBatch.bind(store);

    const full = await cpuPerCheck(worker.fetch, n);
    // The store not called: the record is still built and serialised, as the store would.
    store.appendBatch = async (events) => {
      for (const e of events) JSON.stringify(e.payload);
      return [];
    };
    const noStore = await cpuPerCheck(worker.fetch, n);
    // The risk service not called: one decision answered as it is.
    const [fixed] = await check(
      [{ orderId: 'fixed', symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 60_000 }],
      'bench',
    );
    service.check = async (orders) => orders.map((o) => ({ ...fixed!, orderId: o.orderId }));
    const httpOnly = await cpuPerCheck(worker.fetch, n);
    service.check = check;
    store.appendBatch = appendBatch;

    const step = (name: string, value: number, previous: { name: string; value: number }) =>
      record({ section: s, name, value, unit: 'µs', baseline: previous });
    step('+ HTTP layer (main thread)', httpOnly.main, { name: 'bare Hono', value: bare.main });
    step('+ risk check (main thread)', noStore.main, {
      name: '+ HTTP layer',
      value: httpOnly.main,
    });
    step('+ durable record (main thread)', full.main, {
      name: '+ risk check',
      value: noStore.main,
    });
    record({
      section: s,
      name: 'writer thread per check (commit, trail line)',
      value: full.writer,
      unit: 'µs',
      baseline: { name: 'main thread', value: full.main },
    });
  } finally {
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
