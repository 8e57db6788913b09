// Token bucket: the pure TypeScript reference of wasm/assembly/token-bucket.ts.
// Same arithmetic in the same order, so both give bit-identical answers (test/contract/token-bucket).

export const BucketStatus = { GRANTED: 1, THROTTLED: 0, INVALID: -1 } as const;
export type BucketStatus = (typeof BucketStatus)[keyof typeof BucketStatus];

/** A bucket's whole state: plain numbers, storable and restorable. */
export interface BucketState {
  tokens: number;
  capacity: number;
  refillPerMs: number;
  lastMs: number;
  pausedUntilMs: number;
}

const isAmount = (x: number): boolean => x >= 0 && x < Infinity;

/** A full bucket; undefined when an argument is not a finite non-negative number. */
export function createBucket(
  capacity: number,
  refillPerSec: number,
  nowMs: number,
): BucketState | undefined {
  if (!isAmount(capacity) || !isAmount(refillPerSec) || !isAmount(nowMs)) return undefined;
  return {
    tokens: capacity,
    capacity,
    refillPerMs: refillPerSec / 1000,
    lastMs: nowMs,
    pausedUntilMs: 0,
  };
}

/** The state brought up to nowMs; an older nowMs adds nothing (time never runs backwards). */
export function refillBucket(s: BucketState, nowMs: number): BucketState {
  if (!(nowMs > s.lastMs)) return s;
  const tokens = s.tokens + (nowMs - s.lastMs) * s.refillPerMs;
  return { ...s, tokens: tokens < s.capacity ? tokens : s.capacity, lastMs: nowMs };
}

/** Takes cost tokens if the bucket holds them and is not paused. */
export function acquireTokens(
  s: BucketState,
  cost: number,
  nowMs: number,
): { state: BucketState; status: BucketStatus } {
  if (!isAmount(cost) || !isAmount(nowMs)) return { state: s, status: BucketStatus.INVALID };
  const r = refillBucket(s, nowMs);
  if (nowMs < r.pausedUntilMs || cost > r.tokens)
    return { state: r, status: BucketStatus.THROTTLED };
  return { state: { ...r, tokens: r.tokens - cost }, status: BucketStatus.GRANTED };
}

/** Refuses every acquire until untilMs (a 429/418 Retry-After). */
export function pauseBucket(s: BucketState, untilMs: number): BucketState | undefined {
  if (!isAmount(untilMs)) return undefined;
  return untilMs > s.pausedUntilMs ? { ...s, pausedUntilMs: untilMs } : s;
}

/** Overrides the token count (the exchange's own used-weight report), clamped to capacity. */
export function setBucketTokens(
  s: BucketState,
  tokens: number,
  nowMs: number,
): BucketState | undefined {
  if (!isAmount(tokens) || !isAmount(nowMs)) return undefined;
  const r = refillBucket(s, nowMs);
  return { ...r, tokens: tokens < r.capacity ? tokens : r.capacity };
}
