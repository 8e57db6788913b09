// The edge figures: POST /v1/orders/check in workerd (the Cloudflare Workers entry, bundled by
// wrangler, run by Miniflare) and on Deno under an edge host's limits, beside the Bun worker, all
// three in the edge configuration (remote libSQL, trail in the store, no loop) on one stand-in
// libSQL server (test/fake-sqld, in this process): latency of one check at one connection, cold
// start to the first answer, and resident memory after 10,000 checks (Workers allows 128 MB).
// Deno runs with the V8 flags docs/deploy-edge.md tells an operator to set (DENO_EDGE_ENV), and
// once more without them, for the memory figure alone (what it costs to leave them out).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { startFakeSqld } from '../fake-sqld/server.ts';
import { DENO_EDGE_ENV, startWorker, tempDir } from '../helpers/worker-process.ts';
import { bundleWorkers, startWorkerd } from '../helpers/workerd.ts';
import { median, percentile, record, section } from './harness.ts';

const TOKEN = 'edge-bench-token-0123456789';
const CHECKS = 10_000;
const LATENCY_SAMPLES = 500;
/** Parallel clients for the 10,000 checks (the memory figure), so that a run stays short. */
const CLIENTS = 8;
const body = JSON.stringify({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 60_000 });

/** `deno-no-flags`: Deno under edge limits without DENO_EDGE_ENV's V8 flags (V8's default heap sizing). */
type Target = 'workerd' | 'deno' | 'bun' | 'deno-no-flags';

interface Running {
  url: string;
  pid(): number | undefined;
  /** workerd only: the isolate's V8 heap in MB, as allocated and what is alive after a collection. */
  heapMb?: () => Promise<{ allocated: number; live: number }>;
  stop(): Promise<unknown>;
}

async function start(target: Target, dbUrl: string): Promise<Running> {
  const env = {
    AIS_DB_URL: dbUrl,
    AIS_API_TOKEN: TOKEN,
    AIS_RISK_HMAC_SECRET: 'edge-bench-hmac-secret-0123456789abcdef',
    AIS_MAX_ORDERS_PER_MINUTE: '1000000000',
  };
  if (target === 'workerd') {
    const w = await startWorkerd(env);
    const mb = (bytes: number) => bytes / 2 ** 20;
    return {
      ...w,
      heapMb: async () => {
        const allocated = (await w.heapBytes()).total;
        return { allocated: mb(allocated), live: mb((await w.heapBytes({ gc: true })).used) };
      },
    };
  }
  const edgeEnv = {
    ...env,
    AIS_LOOP_ENABLED: 'false',
    AIS_DECISION_LOG_PATH: 'store:',
    ...(target === 'deno-no-flags' && { DENO_V8_FLAGS: undefined }),
  };
  const w = await startWorker(target === 'bun' ? 'bun' : 'deno-edge', edgeEnv, {
    dir: tempDir('ais-bench-edge-'),
  });
  return { url: w.url, pid: () => w.child.pid, stop: () => w.stop('SIGTERM') };
}

const check = async (url: string) => {
  const res = await fetch(`${url}/v1/orders/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};

/** Start to the first answered /health (the isolate built by it, for workerd), in ms. */
async function coldStartMs(target: Target, dbUrl: string): Promise<number> {
  const t0 = performance.now();
  const w = await start(target, dbUrl);
  for (;;) {
    const ok = await fetch(`${w.url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
  }
  const ms = performance.now() - t0;
  await w.stop();
  return ms;
}

/** p50 and p99 of single checks, one at a time (ms). */
async function latency(url: string): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await check(url);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t0 = performance.now();
    await check(url);
    samples.push(performance.now() - t0);
  }
  return { p50: median(samples), p99: percentile(samples, 99) };
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryMb(pid: number | undefined): { rss: number; peak: number } {
  const status = pid === undefined ? '' : readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function measure(target: Target, dbUrl: string) {
  const w = await start(target, dbUrl);
  try {
    const lat = await latency(w.url);
    const idle = memoryMb(w.pid());
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next++ < CHECKS) await check(w.url);
      }),
    );
    const perSecond = CHECKS / ((performance.now() - t0) / 1000);
    return { ...lat, idle, after: memoryMb(w.pid()), heapMb: await w.heapMb?.(), perSecond };
  } finally {
    await w.stop();
  }
}

export async function benchEdge() {
  const s = section(
    `edge: POST /v1/orders/check on a remote libSQL stand-in (fake sqld, same machine), ${CHECKS.toLocaleString('en-US')} checks`,
  );
  bundleWorkers();
  const sqld = await startFakeSqld(join(tempDir('ais-bench-edge-db-'), 'remote.db'));
  try {
    const migrated = await createLibsqlEventStore({ url: sqld.url, nowMs: Date.now });
    await migrated.close();
    const targets: Target[] = ['bun', 'workerd', 'deno'];
    const results = new Map<Target, Awaited<ReturnType<typeof measure>>>();
    for (const t of targets) results.set(t, await measure(t, sqld.url));
    const unflagged = await measure('deno-no-flags', sqld.url);
    const cold = new Map<Target, number>();
    for (const t of targets) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(await coldStartMs(t, sqld.url));
      cold.set(t, median(runs));
    }
    const bun = results.get('bun')!;
    const heap = results.get('workerd')!.heapMb!;
    record({
      section: s,
      name: `workerd: the isolate's V8 heap after ${CHECKS.toLocaleString('en-US')} checks, allocated (what Workers' 128 MB counts; ${heap.live.toFixed(1)} MB alive after a collection)`,
      value: heap.allocated,
      unit: 'MB',
      target: '<= 128 MB',
      met: heap.allocated <= 128,
    });
    for (const t of ['workerd', 'deno'] as const) {
      const r = results.get(t)!;
      record({
        section: s,
        name: `${t}: one check, p50 at 1 connection`,
        value: r.p50,
        unit: 'ms',
        baseline: { name: 'Bun worker', value: bun.p50 },
      });
      record({
        section: s,
        name: `${t}: one check, p99 at 1 connection`,
        value: r.p99,
        unit: 'ms',
        baseline: { name: 'Bun worker', value: bun.p99 },
      });
      record({
        section: s,
        name: `${t}: checks/s at ${CLIENTS} connections`,
        value: r.perSecond,
        unit: 'req/s',
        baseline: { name: 'Bun worker', value: bun.perSecond },
      });
      record({
        section: s,
        name: `${t}: cold start to the first answer (median of 3)`,
        value: cold.get(t)!,
        unit: 'ms',
        baseline: { name: 'Bun worker', value: cold.get('bun')! },
      });
      record({
        section: s,
        name: `${t}: process resident memory after ${CHECKS.toLocaleString('en-US')} checks (idle ${r.idle.rss.toFixed(0)} MB, peak ${r.after.peak.toFixed(0)} MB${t === 'workerd' ? '; the runtime and Miniflare included' : `; DENO_V8_FLAGS=${DENO_EDGE_ENV.DENO_V8_FLAGS}`})`,
        value: r.after.rss,
        unit: 'MB',
        baseline: { name: `Bun worker (idle ${bun.idle.rss.toFixed(0)} MB)`, value: bun.after.rss },
        // Deno Deploy counts the process; workerd's process is not what Cloudflare counts (above).
        ...(t === 'deno' ? { target: '<= 128 MB', met: r.after.rss <= 128 } : {}),
      });
    }
    record({
      section: s,
      name: `deno without V8 flags (V8's default heap sizing): process resident memory after ${CHECKS.toLocaleString('en-US')} checks (idle ${unflagged.idle.rss.toFixed(0)} MB, peak ${unflagged.after.peak.toFixed(0)} MB)`,
      value: unflagged.after.rss,
      unit: 'MB',
      baseline: { name: 'with the flags', value: results.get('deno')!.after.rss },
    });
  } finally {
    await sqld.stop();
  }
}
