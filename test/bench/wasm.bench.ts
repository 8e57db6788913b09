// Token-bucket acquire: WASM core vs the TypeScript reference, same calls.
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { createReferenceCore } from '../../src/domain/resilience/reference-core.ts';
import { nsPerOp, record, section } from './harness.ts';

export async function benchTokenBucket() {
  const s = section('token bucket');
  const wasm = await loadWasmCore();
  const ref = createReferenceCore();
  for (const core of [wasm, ref]) for (let b = 0; b < 64; b++) core.bucketInit(b, 1e12, 1e9, 0);
  const n = 2_000_000;
  const w = nsPerOp((i) => wasm.bucketAcquire(i & 63, 1, i), n);
  const r = nsPerOp((i) => ref.bucketAcquire(i & 63, 1, i), n);
  record({
    section: s,
    name: 'acquire (WASM)',
    value: w,
    unit: 'ns/op',
    baseline: { name: 'TypeScript reference', value: r },
    target: '<= 50 ns',
    met: w <= 50,
  });
}
