// `npm run bench`: every benchmark, each figure beside its baseline from the same run; writes
// test/bench/results.json. Run it on an idle machine: the figures are wall-clock.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchBacktest } from './backtest.bench.ts';
import { benchStartup } from './startup.bench.ts';
import { figures } from './harness.ts';
import { benchMetricsRender } from './metrics.bench.ts';
import { benchReconcile } from './reconcile.bench.ts';
import { benchOrdersHttp, benchRiskCore } from './risk.bench.ts';
import { benchRiskSteps } from './risk-steps.bench.ts';
import { benchEventStore } from './store.bench.ts';
import { benchTokenBucket } from './wasm.bench.ts';
import { benchResilience } from './resilience.bench.ts';
import { benchSigning } from './signing.bench.ts';
import { benchScrapeLoad } from './scrape.bench.ts';
import { benchEdge } from './edge.bench.ts';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  'token-bucket': benchTokenBucket,
  resilience: benchResilience,
  store: benchEventStore,
  metrics: benchMetricsRender,
  risk: benchRiskCore,
  'risk-steps': benchRiskSteps,
  'risk-http': benchOrdersHttp,
  backtest: benchBacktest,
  startup: benchStartup,
  reconcile: benchReconcile,
  signing: benchSigning,
  scrape: benchScrapeLoad,
  edge: benchEdge,
};

for (const [name, run] of Object.entries(benches)) if (!only || only === name) await run();

const machine = {
  runtime: `bun ${Bun.version}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gib: Math.round(totalmem() / 2 ** 30),
};
if (!only) {
  writeFileSync(
    new URL('./results.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), machine, figures }, null, 2)}\n`,
  );
  console.log('\nwrote test/bench/results.json');
}
const missed = figures.filter((f) => f.met === false);
console.log(
  `\n${figures.length} figures, ${missed.length} targets missed${missed.length ? `: ${missed.map((f) => f.name).join('; ')}` : ''}`,
);
