// Differential test: the WASM token buckets and the TypeScript reference agree on every input.
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import { loadWasmCore } from '../../src/adapters/wasm/load.ts';
import { createReferenceCore } from '../../src/domain/resilience/reference-core.ts';

const wasm = await loadWasmCore();

const num = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, 1e308, Number.MIN_VALUE),
  },
  { weight: 1, arbitrary: fc.double() },
);
const index = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 7 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 4096, 4095, 2 ** 31 - 1) },
);
const op = fc.oneof(
  fc.tuple(fc.constant('bucketInit' as const), index, num, num, num),
  fc.tuple(fc.constant('bucketAcquire' as const), index, num, num),
  fc.tuple(fc.constant('bucketTokens' as const), index, num),
  fc.tuple(fc.constant('bucketPause' as const), index, num),
  fc.tuple(fc.constant('bucketSetTokens' as const), index, num, num),
  fc.tuple(fc.constant('bucketPausedUntil' as const), index),
);

describe('token bucket: WASM agrees with the reference', () => {
  it('exports the same bucket count', () => {
    expect(wasm.maxBuckets).toBe(createReferenceCore().maxBuckets);
  });

  it('gives identical answers over random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const ref = createReferenceCore();
        // Fresh WASM state per run: clear the buckets the run can touch.
        for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 4095]) {
          wasm.bucketInit(i, 0, 0, 0);
          ref.bucketInit(i, 0, 0, 0);
        }
        for (const [name, ...args] of ops) {
          const a = (wasm[name] as (...x: number[]) => number)(...args);
          const b = (ref[name] as (...x: number[]) => number)(...args);
          if (!Object.is(a, b))
            throw new Error(`${name}(${args.join(', ')}): wasm ${a} vs reference ${b}`);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
