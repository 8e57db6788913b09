// Scrapes cannot starve the checks: POST /v1/orders/check throughput of a Bun worker (wrk, 1
// thread, 32 connections) with no scraper, then beside 64 concurrent scrapers of GET /metrics
// (a second wrk, 64 connections, behind AIS_METRICS_TOKEN). Renders are shared and reused for
// AIS_METRICS_CACHE_MS (default 1,000 ms); the same load with 0 shows what sharing alone gives.
// Target: under the scrapers the checks keep at least half of their unloaded throughput.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from '../helpers/binaries.ts';
import { startWorker, tempDir } from '../helpers/worker-process.ts';
import { record, section } from './harness.ts';

const run = promisify(execFile);
const SECONDS = 5;

/** Requests per second wrk reached on `path`, with the Lua `script` (method, body, headers). */
async function wrk(bin: string, url: string, script: string, connections: number) {
  const { stdout } = await run(bin, [
    '-t1',
    `-c${connections}`,
    `-d${SECONDS}s`,
    '-s',
    script,
    url,
  ]);
  if (/Non-2xx/.test(stdout)) throw new Error(`wrk saw errors:\n${stdout}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
}

function scripts(dir: string, token: string, metricsToken: string) {
  const check = join(dir, 'check.lua');
  const scrape = join(dir, 'scrape.lua');
  writeFileSync(
    check,
    [
      'wrk.method = "POST"',
      `wrk.body = '{"symbol":"BTCUSDT","side":"BUY","quantity":0.01,"price":60000,"agent_id":"bench"}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${token}"`,
    ].join('\n'),
  );
  writeFileSync(scrape, `wrk.headers["Authorization"] = "Bearer ${metricsToken}"\n`);
  return { check, scrape };
}

/** Checks per second unloaded and under 64 scrapers, for one AIS_METRICS_CACHE_MS. */
async function measure(bin: string, cacheMs: string) {
  const token = 'bench-token-0123456789abcdef';
  const metricsToken = 'bench-metrics-token-0123456789';
  const dir = tempDir('ais-bench-scrape-');
  const { check, scrape } = scripts(dir, token, metricsToken);
  const worker = await startWorker(
    'bun',
    {
      AIS_API_TOKEN: token,
      AIS_METRICS_TOKEN: metricsToken,
      AIS_METRICS_CACHE_MS: cacheMs,
      AIS_MAX_ORDERS_PER_MINUTE: '1000000000',
      AIS_LOOP_ENABLED: 'false',
    },
    { dir },
  );
  try {
    const checkUrl = `${worker.url}/v1/orders/check`;
    await wrk(bin, checkUrl, check, 32); // warm-up
    const unloaded = await wrk(bin, checkUrl, check, 32);
    const [loaded, scrapes] = await Promise.all([
      wrk(bin, checkUrl, check, 32),
      wrk(bin, `${worker.url}/metrics`, scrape, 64),
    ]);
    return { unloaded, loaded, scrapes };
  } finally {
    await worker.stop('SIGKILL');
  }
}

export async function benchScrapeLoad() {
  const s = section('Checks under 64 concurrent /metrics scrapers (wrk, 5 s each)');
  const bin = findBinary('wrk');
  if (!bin) {
    console.log('  skipped: wrk not found; install it with "apt-get install -y wrk" (Debian)');
    return;
  }
  for (const cacheMs of ['1000', '0']) {
    const r = await measure(bin, cacheMs);
    record({
      section: s,
      name: `checks/s beside 64 scrapers (AIS_METRICS_CACHE_MS=${cacheMs}; ${Math.round(r.scrapes)} scrapes/s served)`,
      value: r.loaded,
      unit: 'req/s',
      baseline: { name: 'no scraper', value: r.unloaded },
      target: '>= 0.5x unloaded',
      met: r.loaded >= 0.5 * r.unloaded,
    });
  }
}
