// `npm run soak -- [--minutes 5] [--rate 500]`: the real worker (Bun, trading loop on, file
// database, JSONL decision trail) under a steady load of risk checks, event queries and /metrics
// scrapes for a bounded time. Samples the worker's resident memory every 5 s and reports the growth
// between the first and the last quarter of the run; exits 1 when memory keeps growing (a leak) or
// past the 150 MB target. Not part of CI (it takes minutes); run it on an idle machine.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startWorker } from '../test/helpers/worker-process.ts';

const { values } = parseArgs({ args: process.argv.slice(2), options: { minutes: { type: 'string', default: '5' }, rate: { type: 'string', default: '500' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
if (!(minutes > 0 && minutes <= 24 * 60) || !(rate > 0 && rate <= 100_000)) {
  console.error('usage: npm run soak -- [--minutes 5] [--rate 500]   (minutes 0-1440, requests/s 1-100000)');
  process.exit(2);
}

const TOKEN = 'soak-token-0123456789abcdef';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const worker = await startWorker('bun', { AIS_API_TOKEN: TOKEN, AIS_MAX_ORDERS_PER_MINUTE: '1000000000' });
worker.logs.length = 0; // the soak reads memory, not logs: keep this process small
setInterval(() => (worker.logs.length = 0), 10_000).unref();
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const samples: { s: number; rss: number }[] = [];
const t0 = performance.now();
const endAt = t0 + minutes * 60_000;
let sent = 0;
let failed = 0;
const sampler = setInterval(() => {
  samples.push({ s: (performance.now() - t0) / 1000, rss: rssMb() });
  const last = samples.at(-1)!;
  process.stderr.write(`\r${last.s.toFixed(0).padStart(5)} s  rss ${last.rss.toFixed(1)} MB  requests ${sent}  failed ${failed}   `);
}, 5_000);

// Steady load: `rate` requests a second in ticks of 10 ms; a mix of checks, queries and scrapes.
while (performance.now() < endAt) {
  const tick = performance.now();
  const n = Math.max(1, Math.round(rate / 100));
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const k = sent++;
    const req =
      k % 50 === 0
        ? fetch(`${worker.url}/metrics`)
        : k % 20 === 0
          ? fetch(`${worker.url}/v1/events?type=risk_decision&order=desc&limit=50`, { headers })
          : fetch(`${worker.url}/v1/orders/check`, { method: 'POST', headers, body: JSON.stringify({ symbol: 'BTCUSDT', side: k % 2 ? 'BUY' : 'SELL', quantity: 0.001, price: 60_000 }) });
    calls.push(req.then((r) => (r.ok ? r.arrayBuffer() : (failed++, undefined)), () => failed++));
  }
  await Promise.all(calls);
  const wait = 10 - (performance.now() - tick);
  if (wait > 0) await Bun.sleep(wait);
}
clearInterval(sampler);
await worker.stop();

const quarter = Math.max(1, Math.floor(samples.length / 4));
const avg = (xs: { rss: number }[]) => xs.reduce((a, x) => a + x.rss, 0) / xs.length;
const first = avg(samples.slice(0, quarter));
const last = avg(samples.slice(-quarter));
const peak = Math.max(...samples.map((x) => x.rss));
const growthPerHour = ((last - first) / Math.max(1e-9, (samples.at(-1)!.s - samples[0]!.s) * 0.75)) * 3600;
console.log(
  `\nsoak: ${minutes} min at ${rate} req/s: ${sent} requests, ${failed} failed; rss first quarter ${first.toFixed(1)} MB, last quarter ${last.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, growth ${growthPerHour.toFixed(1)} MB/h`,
);
const leak = last - first > Math.max(10, first * 0.2);
if (leak || peak > 150 || failed > 0) {
  console.log(`soak: FAILED (${[leak && 'memory keeps growing', peak > 150 && 'peak over 150 MB', failed > 0 && 'failed requests'].filter(Boolean).join(', ')})`);
  process.exit(1);
}
console.log('soak: passed (no growth beyond noise, peak within 150 MB, no failed request)');
