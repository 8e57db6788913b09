// Start-up to the first answered request: spawn the worker process, poll GET /health until it
// answers; median of several starts, Bun against Node (same entry code, same machine).
import { startWorker, tempDir, type Runtime } from '../helpers/worker-process.ts';
import { median, record, section } from './harness.ts';

async function timeToFirstAnswer(runtime: Runtime): Promise<number> {
  const t0 = performance.now();
  const w = await startWorker(
    runtime,
    { AIS_LOOP_ENABLED: 'false' },
    { dir: tempDir('ais-bench-start-') },
  );
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

export async function benchStartup() {
  const s = section('start-up to the first answered request (process spawn included)');
  const runs = 5;
  const bun: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    bun.push(await timeToFirstAnswer('bun'));
    node.push(await timeToFirstAnswer('node'));
  }
  const b = median(bun);
  record({
    section: s,
    name: `Bun worker (median of ${runs})`,
    value: b,
    unit: 'ms',
    baseline: { name: 'Node worker (tsx)', value: median(node) },
    target: '<= 500 ms',
    met: b <= 500,
  });
}
