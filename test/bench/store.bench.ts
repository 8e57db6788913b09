// Event store on a real libSQL file (WAL, synchronous=FULL): group-committed and batched appends vs
// one-at-a-time awaited appends, and the single-append latency.
import { riskDecisionPayload } from '../helpers/events.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLibsqlEventStore } from '../../src/adapters/store/libsql/event-store.ts';
import { tempDir } from '../helpers/worker-process.ts';
import { percentile, record, section } from './harness.ts';

const payload = (i: number) => riskDecisionPayload({ i });

export async function benchEventStore() {
  const s = section('event store (libSQL file, durable)');
  const dir = tempDir('ais-bench-');
  const store = await createLibsqlEventStore({
    url: `file:${join(dir, 'bench.db')}`,
    nowMs: Date.now,
  });

  // Concurrent single appends, grouped by the store into shared transactions.
  const concurrent = 50_000;
  let t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrent }, (_, i) =>
      store.append({ type: 'risk_decision', payload: payload(i) }),
    ),
  );
  const groupRate = concurrent / ((performance.now() - t0) / 1000);

  // Explicit batches of 1,000.
  const batches = 50;
  t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    await store.appendBatch(
      Array.from({ length: 1_000 }, (_, i) => ({
        type: 'risk_decision' as const,
        payload: payload(i),
      })),
    );
  }
  const batchRate = (batches * 1_000) / ((performance.now() - t0) / 1000);

  // One at a time: each append waits for its own commit.
  const singles: number[] = [];
  t0 = performance.now();
  for (let i = 0; i < 1_000; i++) {
    const t = performance.now();
    await store.append({ type: 'risk_decision', payload: payload(i) });
    singles.push(performance.now() - t);
  }
  const singleRate = singles.length / ((performance.now() - t0) / 1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const baseline = { name: 'one-at-a-time awaited appends', value: singleRate };
  record({
    section: s,
    name: 'concurrent appends (group commit)',
    value: groupRate,
    unit: 'events/s',
    baseline,
    target: '>= 50,000',
    met: groupRate >= 50_000,
  });
  record({
    section: s,
    name: 'appendBatch of 1,000',
    value: batchRate,
    unit: 'events/s',
    baseline,
    target: '>= 50,000',
    met: batchRate >= 50_000,
  });
  record({ section: s, name: 'single append p50', value: percentile(singles, 50), unit: 'ms' });
  const p99 = percentile(singles, 99);
  record({
    section: s,
    name: 'single append p99',
    value: p99,
    unit: 'ms',
    target: '<= 5 ms',
    met: p99 <= 5,
  });
}
