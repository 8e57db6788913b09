// `npm run soak -- [--minutes 5] [--rate 500] [--retention-days 30]`: the real worker (Bun, trading
// loop on, file database, JSONL decision trail) under a steady load of risk checks, event queries
// and /metrics scrapes for a bounded time. Samples every 5 s the worker's resident memory, database
// and WAL bytes, decision trail bytes and open file descriptors; prints them at the start, at each
// quarter and at the end as a Markdown table. Exits 1 when memory keeps growing (a leak), peaks past
// 150 MB, the open descriptors keep growing, the database grows over the last half of a run that
// outlasts its retention twice, or a request failed. Not part of CI (it takes minutes).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from '../src/main/cli-args.ts';
import { startWorker } from '../test/helpers/worker-process.ts';

const USAGE = `usage: npm run soak -- [--minutes 5] [--rate 500] [--retention-days 30]

Runs the default paper worker under a steady load of risk checks, event queries and scrapes for a
bounded time and prints its memory, database, WAL, trail and open descriptors each quarter. Exits
1 on a leak, a peak over 150 MB, growing descriptors or database, or a failed request.

  --minutes N          how long (default 5; up to 1440; decimals allowed)
  --rate N             requests per second (default 500; up to 100000)
  --retention-days N   the worker's AIS_RETENTION_DAYS (default the worker's; decimals allowed)
  -h, --help           this text`;

const cli = parseCli(
  {
    name: 'soak',
    usage: USAGE,
    options: {
      minutes: { type: 'string', default: '5' },
      rate: { type: 'string', default: '500' },
      'retention-days': { type: 'string' },
    },
  },
  process.argv.slice(2),
);
if (!cli.ok) process.exit(cli.exitCode);
const { values } = cli;
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const retentionDays = values['retention-days'];
const bad = !(minutes > 0 && minutes <= 24 * 60)
  ? `--minutes must be over 0 and at most 1440 (got ${values.minutes})`
  : !(rate > 0 && rate <= 100_000)
    ? `--rate must be over 0 and at most 100000 requests/s (got ${values.rate})`
    : retentionDays !== undefined && !(Number(retentionDays) >= 0)
      ? `--retention-days must be a number of days ≥ 0 (got ${retentionDays})`
      : undefined;
if (bad) {
  console.error(`soak: ${bad} (see --help)`);
  process.exit(2);
}

const TOKEN = 'soak-token-0123456789abcdef';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const env: Record<string, string> = {
  AIS_API_TOKEN: TOKEN,
  AIS_MAX_ORDERS_PER_MINUTE: '1000000000',
};
if (retentionDays !== undefined) env['AIS_RETENTION_DAYS'] = retentionDays;
const worker = await startWorker('bun', env);
worker.logs.length = 0; // the soak reads memory, not logs: keep this process small
setInterval(() => (worker.logs.length = 0), 10_000).unref();

interface Sample {
  s: number;
  rssMb: number;
  dbMb: number;
  walMb: number;
  trailMb: number;
  fds: number;
}
const mb = (path: string) => {
  try {
    return statSync(path).size / 2 ** 20;
  } catch {
    return 0;
  }
};
const sample = (s: number): Sample => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.child.pid}/status`, 'utf8'));
  const db = join(worker.dir, 'ais.db');
  return {
    s,
    rssMb: m ? Number(m[1]) / 1024 : Number.NaN,
    dbMb: mb(db),
    walMb: mb(`${db}-wal`),
    trailMb: mb(join(worker.dir, 'decisions.jsonl')),
    fds: readdirSync(`/proc/${worker.child.pid}/fd`).length,
  };
};

const samples: Sample[] = [];
const t0 = performance.now();
const endAt = t0 + minutes * 60_000;
let sent = 0;
let failed = 0;
const sampler = setInterval(() => {
  const last = sample((performance.now() - t0) / 1000);
  samples.push(last);
  process.stderr.write(
    `\r${last.s.toFixed(0).padStart(5)} s  rss ${last.rssMb.toFixed(1)} MB  db ${last.dbMb.toFixed(1)} MB  wal ${last.walMb.toFixed(1)} MB  fds ${last.fds}  requests ${sent}  failed ${failed}   `,
  );
}, 5_000);

// Steady load: `rate` requests a second in ticks of 10 ms (or one request a tick of 1000/rate ms
// below 100/s); a mix of checks, queries and scrapes.
const tickMs = Math.max(10, 1000 / rate);
while (performance.now() < endAt) {
  const tick = performance.now();
  const n = Math.max(1, Math.round((rate * tickMs) / 1000));
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const k = sent++;
    const req =
      k % 50 === 0
        ? fetch(`${worker.url}/metrics`)
        : k % 20 === 0
          ? fetch(`${worker.url}/v1/events?type=risk_decision&order=desc&limit=50`, { headers })
          : fetch(`${worker.url}/v1/orders/check`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                symbol: 'BTCUSDT',
                side: k % 2 ? 'BUY' : 'SELL',
                quantity: 0.001,
                price: 60_000,
              }),
            });
    calls.push(
      req.then(
        (r) => (r.ok ? r.arrayBuffer() : (failed++, undefined)),
        () => failed++,
      ),
    );
  }
  await Promise.all(calls);
  const wait = tickMs - (performance.now() - tick);
  if (wait > 0) await Bun.sleep(wait);
}
clearInterval(sampler);
samples.push(sample((performance.now() - t0) / 1000));
await worker.stop();

// The table: the first sample, each quarter, the last.
const rows = [
  ...new Set(
    [0, 0.25, 0.5, 0.75, 1].map(
      (q) => samples[Math.min(samples.length - 1, Math.round(q * (samples.length - 1)))]!,
    ),
  ),
];
const achieved = sent / Math.max(1e-9, samples.at(-1)!.s);
console.log(
  `\nsoak: ${minutes} min at ${rate} req/s asked, ${achieved.toFixed(0)} achieved${retentionDays !== undefined ? `, AIS_RETENTION_DAYS=${retentionDays}` : ''}: ${sent} requests, ${failed} failed\n`,
);
console.log('| time | resident memory | database | WAL | decision trail | open fds |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${(r.s / 60).toFixed(1)} min | ${r.rssMb.toFixed(1)} MB | ${r.dbMb.toFixed(1)} MB | ${r.walMb.toFixed(1)} MB | ${r.trailMb.toFixed(1)} MB | ${r.fds} |`,
  );
}

const quarter = Math.max(1, Math.floor(samples.length / 4));
const avg = (xs: Sample[], f: (x: Sample) => number) =>
  xs.reduce((a, x) => a + f(x), 0) / xs.length;
const first = avg(samples.slice(0, quarter), (x) => x.rssMb);
const last = avg(samples.slice(-quarter), (x) => x.rssMb);
const peak = Math.max(...samples.map((x) => x.rssMb));
const growthPerHour =
  ((last - first) / Math.max(1e-9, (samples.at(-1)!.s - samples[0]!.s) * 0.75)) * 3600;
console.log(
  `\nrss first quarter ${first.toFixed(1)} MB, last quarter ${last.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, growth ${growthPerHour.toFixed(1)} MB/h`,
);
const leak = last - first > Math.max(10, first * 0.2);
const fdLeak = samples.at(-1)!.fds > samples[0]!.fds + 10;
// With retention in force for the last half of the run, the database must level off there.
const retentionS = retentionDays === undefined ? Infinity : Number(retentionDays) * 86_400;
// Retention runs every minute, so the size is a saw-tooth: compare the peaks of the last two quarters.
const end = samples.at(-1)!.s;
const peakDb = (from: number, to: number) =>
  Math.max(...samples.filter((x) => x.s >= from * end && x.s <= to * end).map((x) => x.dbMb));
const dbGrows =
  Number(retentionDays) > 0 &&
  retentionS + 60 < end / 2 &&
  peakDb(0.75, 1) > peakDb(0.5, 0.75) * 1.25;
if (leak || peak > 150 || fdLeak || dbGrows || failed > 0) {
  const why = [
    leak && 'memory keeps growing',
    peak > 150 && 'peak over 150 MB',
    fdLeak && 'open file descriptors keep growing',
    dbGrows && 'the database keeps growing under retention',
    failed > 0 && 'failed requests',
  ];
  console.log(`soak: FAILED (${why.filter(Boolean).join(', ')})`);
  process.exit(1);
}
console.log(
  'soak: passed (no memory or descriptor growth beyond noise, peak within 150 MB, no failed request)',
);
