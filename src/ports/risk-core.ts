// The numeric core the domain calls for hot paths. Two implementations: WASM (production) and the
// TypeScript reference (tests, and a fallback nobody should need). Numbers only across this line.

/** Many token buckets addressed by index; status codes as in BucketStatus. */
export interface TokenBucketCore {
  readonly maxBuckets: number;
  bucketInit(i: number, capacity: number, refillPerSec: number, nowMs: number): number;
  bucketAcquire(i: number, cost: number, nowMs: number): number;
  bucketTokens(i: number, nowMs: number): number;
  bucketPause(i: number, untilMs: number): number;
  bucketSetTokens(i: number, tokens: number, nowMs: number): number;
  bucketPausedUntil(i: number): number;
}

/** Everything the WASM module exports, as the domain sees it. */
export interface RiskCore extends TokenBucketCore {
  readonly kind: 'wasm' | 'reference';
}
