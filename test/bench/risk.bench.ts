// Risk checks: one order through the WASM facade vs the TypeScript reference, batches of 4,096,
// and POST /v1/orders/check under wrk against the Bun worker, a bare Hono handler and the Node worker.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperSymbolRules } from '../../src/adapters/exchange/paper/symbol-table.ts';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { writeRuleNumbers } from '../../src/domain/market/rule-numbers.ts';
import { MARGIN_STRIDE, writeMarginNumbers } from '../../src/domain/risk/margin-numbers.ts';
import { createReferenceRiskCore } from '../../src/domain/risk/reference-core.ts';
import type { RiskCore } from '../../src/ports/risk-core.ts';
import { findBinary } from '../helpers/binaries.ts';
import { BUN_ENV, ROOT, startWorker, tempDir } from '../helpers/worker-process.ts';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { riskDecisionPayload, thirteenStoredChecks } from '../helpers/events.ts';
import { median, nsPerOp, record, section } from './harness.ts';
import { cpuBetween, threadCpuMs } from './thread-cpu.ts';

function prepare(core: RiskCore) {
  core.riskSetLimits(0.05, 0.02, 1, 1, 0.5, 0.05, 10_000);
  core.riskSetAccount(0, 0, 100_000, 100_000, 100_000, 20_000, 5_000);
  core.bucketInit(0, 1e15, 1e12, 0);
  // BTCUSDT's rules in slot 0: every order below is on its grids, so each check runs every filter.
  writeRuleNumbers(core.riskRules(), 0, paperSymbolRules('BTCUSDT'));
  // The margin guards run on every check: a long in slot 0 and another position in slot 1, each
  // with a liquidation price; the own-symbol estimate walks the maintenance brackets.
  writeMarginNumbers(core.riskMargins(), 0, {
    leverage: 20,
    liquidationPrice: 30_000,
    entryPrice: 59_000,
    markPrice: 60_000,
    quantity: 0.3,
  });
  writeMarginNumbers(core.riskMargins(), MARGIN_STRIDE, {
    leverage: 20,
    liquidationPrice: 4_000,
    entryPrice: 3_000,
    markPrice: 3_000,
    quantity: -2,
  });
  core.riskSetMargin(2, 90_000, 100_000, 1_200, 300, 0.1);
}

function batchRate(core: RiskCore, n: number, rounds: number): number {
  const v = core.riskBatch();
  for (let i = 0; i < n; i++) {
    v.posQty[i] = (i % 7) * 0.01 - 0.03;
    v.markPrice[i] = 60_000 + (i % 13);
    v.orderQty[i] = i % 2 ? 0.01 : -0.02;
    v.price[i] = 60_000 + (i % 11);
    v.bucket[i] = 0;
    v.ruleIndex[i] = 0;
  }
  core.riskCheckBatch(n, 1); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) core.riskCheckBatch(n, k + 2);
    samples.push((20 * n) / ((performance.now() - t0) / 1000));
  }
  return median(samples);
}

export async function benchRiskCore() {
  const s = section('risk core');
  const wasm = await loadWasmCore();
  const ref = createReferenceRiskCore();
  for (const core of [wasm, ref]) prepare(core);
  const single = (core: RiskCore) =>
    nsPerOp(
      (i) =>
        core.riskCheck((i & 7) * 0.01, 60_000, i & 1 ? 0.01 : -0.01, 60_000 + (i & 15), 0, 0, i),
      2_000_000,
    );
  const w = single(wasm);
  const r = single(ref);
  record({
    section: s,
    name: 'one check through the WASM facade',
    value: w,
    unit: 'ns/op',
    baseline: { name: 'TypeScript reference', value: r },
    target: '<= 100 ns',
    met: w <= 100,
  });
  const bw = batchRate(wasm, wasm.maxBatch, 9);
  const br = batchRate(ref, ref.maxBatch, 9);
  record({
    section: s,
    name: 'batch of 4,096 (WASM)',
    value: bw,
    unit: 'orders/s',
    baseline: { name: 'TypeScript reference', value: br },
    target: '>= 10 M/s, not slower than the reference',
    met: bw >= 10e6 && bw >= br,
  });
}

interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

const latencyMs = (out: string, pct: string) => {
  const m = new RegExp(`${pct}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
  return m ? Number(m[1]) * (m[2] === 'us' ? 1e-3 : m[2] === 's' ? 1e3 : 1) : NaN;
};

function runWrk(
  wrk: string,
  url: string,
  script: string,
  seconds: number,
  connections = 32,
): WrkResult {
  const out = execFileSync(
    wrk,
    [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      script,
      `${url}/v1/orders/check`,
    ],
    { encoding: 'utf8' },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  return { rps, p50Ms: latencyMs(out, '50'), p99Ms: latencyMs(out, '99') };
}

/** p50 (ms) of one awaited append of a risk decision to an event store on a file in `dir` (the commit's fsync included). */
async function durableAppendP50Ms(dir: string): Promise<number> {
  const store = await createLibsqlEventStore({
    url: `file:${join(dir, 'append.db')}`,
    nowMs: Date.now,
  });
  const times: number[] = [];
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await store.append({
      type: 'risk_decision',
      stream: 'BTCUSDT',
      payload: riskDecisionPayload({
        order_id: `append-${i}`,
        checks: thirteenStoredChecks,
        duration_ms: 0.01,
      }),
    });
    if (i >= 100) times.push(performance.now() - t0);
  }
  await store.close();
  return median(times);
}

/** The main thread's hottest functions by self time while wrk loads the Bun worker (32 connections, 4 s): bun's own profiler, its Markdown report read back. */
async function profileWorker(
  wrk: string,
  script: string,
  env: Record<string, string>,
  top = 12,
): Promise<{ selfPercent: number; fn: string; location: string }[]> {
  const dir = tempDir('ais-bench-profile-');
  const worker = await startWorker('bun', env, {
    dir,
    runtimeArgs: ['--cpu-prof-md', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'],
  });
  try {
    runWrk(wrk, worker.url, script, 4);
  } finally {
    await worker.stop(); // the profile is written at exit
  }
  const file = readdirSync(dir).find((f) => f.startsWith('CPU.') && f.endsWith('.md'));
  if (!file) throw new Error(`bun wrote no CPU profile in ${dir}`);
  const text = readFileSync(join(dir, file), 'utf8');
  const hot = text.slice(text.indexOf('## Hot Functions'));
  // Rows: | Self% | Self | Total% | Total | `Function` | `Location` |
  const rows = [
    ...hot.matchAll(
      /^\|\s*([\d.]+)%\s*\|[^|]*\|[^|]*\|[^|]*\|\s*`([^`]*)`\s*\|\s*`([^`]*)`\s*\|$/gm,
    ),
  ];
  return rows.slice(0, top).map((m) => ({
    selfPercent: Number(m[1]),
    fn: m[2]!,
    location: m[3]!.replace(`${ROOT}/`, ''),
  }));
}

/** bare-hono-server.ts: the bare handler, or with `durable <dir>` the bare handler plus one durable append per request. */
async function startBare(args: string[] = []) {
  const child = spawn(
    join(ROOT, 'node_modules/.bin/bun'),
    ['test/bench/bare-hono-server.ts', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...BUN_ENV } },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d) => resolve(JSON.parse(String(d)).extra_json.port)),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill(), child, mainThread: 'bun' };
}

export async function benchOrdersHttp() {
  const s = section('POST /v1/orders/check over HTTP (wrk, 1 thread, 32 connections unless named)');
  const wrk = findBinary('wrk');
  if (!wrk) {
    console.log('  skipped: wrk not found; install it with "apt-get install -y wrk" (Debian)');
    return;
  }
  const token = 'bench-token-0123456789abcdef';
  const dir = tempDir('ais-bench-http-');
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = '{"symbol":"BTCUSDT","side":"BUY","quantity":0.01,"price":60000,"agent_id":"bench"}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${token}"`,
    ].join('\n'),
  );
  // A rate limit the load cannot reach, so that every request is an approval (HMAC signed, recorded).
  // The trading loop is off: the figure is the API's, not the API's plus the agents'.
  const env = {
    AIS_API_TOKEN: token,
    AIS_MAX_ORDERS_PER_MINUTE: '1000000000',
    AIS_LOOP_ENABLED: 'false',
  };
  const seconds = 6;
  const measure = async (
    start: () => Promise<{
      url: string;
      stop: () => unknown;
      child?: { pid?: number };
      mainThread?: string;
    }>,
  ) => {
    const server = await start();
    try {
      runWrk(wrk, server.url, script, 1); // warm-up
      const pid = server.child?.pid;
      const before = pid ? threadCpuMs(pid) : undefined;
      const result = runWrk(wrk, server.url, script, seconds);
      const after = pid ? threadCpuMs(pid) : undefined;
      // CPU per answered request of the event loop and of the event store's writer thread.
      const requests = result.rps * seconds;
      const cpuUs = (name: string) =>
        before && after ? (cpuBetween(before, after, name) * 1000) / requests : Number.NaN;
      const cpu = { main: cpuUs(server.mainThread ?? 'bun'), writer: cpuUs('Worker') };
      // Every answer waits for a durable commit (fsync): throughput grows with concurrency.
      const at64 = runWrk(wrk, server.url, script, seconds, 64);
      // One connection: each check waits for its own commit.
      const at1 = runWrk(wrk, server.url, script, 4, 1);
      // Peak resident memory of the process over its life (VmHWM), load included.
      const status = server.child?.pid
        ? readFileSync(`/proc/${server.child.pid}/status`, 'utf8')
        : '';
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      return { ...result, at64, at1, cpu, peakRssMb: hwm ? Number(hwm[1]) / 1024 : Number.NaN };
    } finally {
      await server.stop();
    }
  };
  const bun = await measure(() => startWorker('bun', env, { dir: tempDir('ais-bench-bun-') }));
  const bare = await measure(() => startBare());
  // The floor: the bare handler plus one durable append per request (the real store), nothing else.
  const floor = await measure(() => startBare(['durable', tempDir('ais-bench-floor-')]));
  const node = await measure(async () => ({
    ...(await startWorker('node', env, { dir: tempDir('ais-bench-node-') })),
    mainThread: 'node',
  }));
  const append = await durableAppendP50Ms(dir);
  const profile = await profileWorker(wrk, script, env);
  rmSync(dir, { recursive: true, force: true });

  // The targets are the product spec's: the worker at the floor of one durable append per request
  // (bare Hono + one durable event-store append, measured beside it), at 32 and 64 connections.
  record({
    section: s,
    name: 'Bun worker throughput',
    value: bun.rps,
    unit: 'req/s',
    baseline: { name: 'bare Hono + one durable append per request (the floor)', value: floor.rps },
    target: '>= 0.9x the floor',
    met: bun.rps >= 0.9 * floor.rps,
  });
  record({
    section: s,
    name: 'Bun worker p99',
    value: bun.p99Ms,
    unit: 'ms',
    baseline: { name: 'the floor', value: floor.p99Ms },
  });
  record({
    section: s,
    name: 'Bun worker throughput at 64 connections',
    value: bun.at64.rps,
    unit: 'req/s',
    baseline: { name: 'the floor at 64 connections', value: floor.at64.rps },
    target: '>= 0.9x the floor',
    met: bun.at64.rps >= 0.9 * floor.at64.rps,
  });
  record({
    section: s,
    name: 'Bun worker p99 at 64 connections',
    value: bun.at64.p99Ms,
    unit: 'ms',
    baseline: { name: 'the floor at 64 connections', value: floor.at64.p99Ms },
  });
  record({
    section: s,
    name: 'Bun worker p50 at 1 connection (each check durable)',
    value: bun.at1.p50Ms,
    unit: 'ms',
    baseline: { name: 'one durable event-store append', value: append },
    target: '<= 1.3x the append',
    met: bun.at1.p50Ms <= 1.3 * append,
  });
  record({
    section: s,
    name: 'bare Hono + one durable append per request: throughput',
    value: floor.rps,
    unit: 'req/s',
    baseline: { name: 'bare Hono', value: bare.rps },
  });
  record({
    section: s,
    name: 'bare Hono + one durable append per request: p99',
    value: floor.p99Ms,
    unit: 'ms',
    baseline: { name: 'bare Hono', value: bare.p99Ms },
  });
  record({
    section: s,
    name: 'bare Hono + one durable append per request: p50 at 1 connection',
    value: floor.at1.p50Ms,
    unit: 'ms',
    baseline: { name: 'one durable event-store append', value: append },
  });
  record({
    section: s,
    name: 'Bun worker main-thread CPU per check',
    value: bun.cpu.main,
    unit: 'µs',
    baseline: { name: 'bare Hono per request', value: bare.cpu.main },
  });
  record({
    section: s,
    name: 'Bun worker writer-thread CPU per check',
    value: bun.cpu.writer,
    unit: 'µs',
  });
  record({
    section: s,
    name: 'Bun worker throughput vs Node',
    value: bun.rps,
    unit: 'req/s',
    baseline: { name: 'Node worker', value: node.rps },
  });
  record({ section: s, name: 'Node worker p99', value: node.p99Ms, unit: 'ms' });
  console.log(
    `  main-thread CPU profile of the Bun worker under this load (bun --cpu-prof-md, self time; a collection is counted against the function whose allocation started it, so native allocators such as stringify and Response carry the collector's share):`,
  );
  for (const row of profile)
    console.log(`    ${row.selfPercent.toFixed(1).padStart(5)} %  ${row.fn}  ${row.location}`);
  record({
    section: s,
    name: 'Bun worker peak resident memory under this load',
    value: bun.peakRssMb,
    unit: 'MB',
    baseline: { name: 'Node worker', value: node.peakRssMb },
    target: '<= 150 MB',
    met: bun.peakRssMb <= 150,
  });
}
