// The token-bucket part of the RiskCore port in plain TypeScript over the pure reference functions
// (src/domain/risk/reference-core.ts adds the risk checks to make the whole port).
import type { TokenBucketCore } from '../../ports/risk-core.ts';
import {
  acquireTokens,
  type BucketState,
  BucketStatus,
  createBucket,
  pauseBucket,
  refillBucket,
  setBucketTokens,
} from './token-bucket.ts';

/** Same bucket count as the WASM module (wasm/assembly/token-bucket.ts MAX_BUCKETS). */
export const MAX_BUCKETS = 4096;

const EMPTY: BucketState = { tokens: 0, capacity: 0, refillPerMs: 0, lastMs: 0, pausedUntilMs: 0 };

export function createReferenceCore(): TokenBucketCore & { readonly kind: 'reference' } {
  const buckets: BucketState[] = Array.from({ length: MAX_BUCKETS }, () => EMPTY);
  const valid = (i: number) => Number.isInteger(i) && i >= 0 && i < MAX_BUCKETS;
  const update = (i: number, next: BucketState | undefined): number => {
    if (!next) return BucketStatus.INVALID;
    buckets[i] = next;
    return BucketStatus.GRANTED;
  };
  return {
    kind: 'reference',
    maxBuckets: MAX_BUCKETS,
    bucketInit: (i, capacity, refillPerSec, nowMs) =>
      valid(i) ? update(i, createBucket(capacity, refillPerSec, nowMs)) : BucketStatus.INVALID,
    bucketAcquire(i, cost, nowMs) {
      if (!valid(i)) return BucketStatus.INVALID;
      const { state, status } = acquireTokens(buckets[i]!, cost, nowMs);
      buckets[i] = state;
      return status;
    },
    bucketTokens(i, nowMs) {
      if (!valid(i)) return NaN;
      if (nowMs >= 0 && nowMs < Infinity) buckets[i] = refillBucket(buckets[i]!, nowMs);
      return buckets[i]!.tokens;
    },
    bucketPause: (i, untilMs) =>
      valid(i) ? update(i, pauseBucket(buckets[i]!, untilMs)) : BucketStatus.INVALID,
    bucketSetTokens: (i, tokens, nowMs) =>
      valid(i) ? update(i, setBucketTokens(buckets[i]!, tokens, nowMs)) : BucketStatus.INVALID,
    bucketPausedUntil: (i) => (valid(i) ? buckets[i]!.pausedUntilMs : NaN),
  };
}
