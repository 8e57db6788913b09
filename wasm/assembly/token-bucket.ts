// Token buckets for many limiters, state kept in linear memory (no allocation, numbers only).
// Each bucket owns SLOTS f64 cells: tokens, capacity, refill per ms, last refill ms, paused until ms.
// src/domain/resilience/token-bucket.ts is the TypeScript reference; both must agree bit for bit.

export const MAX_BUCKETS: i32 = 4096;
const SLOTS: i32 = 8; // 5 used, 3 spare, keeps each bucket 64-byte aligned
const TOKENS: i32 = 0;
const CAPACITY: i32 = 1;
const REFILL_PER_MS: i32 = 2;
const LAST_MS: i32 = 3;
const PAUSED_UNTIL_MS: i32 = 4;

const buckets: usize = memory.data(MAX_BUCKETS * SLOTS * 8, 64);

// Status codes shared with the reference (src/domain/resilience/token-bucket.ts).
export const GRANTED: i32 = 1;
export const THROTTLED: i32 = 0;
export const INVALID: i32 = -1;

@inline function cell(i: i32, slot: i32): usize {
  return buckets + (<usize>(i * SLOTS + slot) << 3);
}

@inline function validIndex(i: i32): bool {
  return i >= 0 && i < MAX_BUCKETS;
}

/** A finite, non-negative number; NaN and ±Infinity are not. */
@inline function isAmount(x: f64): bool {
  return x >= 0 && x < Infinity;
}

/** Brings a bucket's tokens up to nowMs. Time never runs backwards: an older nowMs adds nothing. */
@inline function refill(i: i32, nowMs: f64): void {
  const last = load<f64>(cell(i, LAST_MS));
  if (nowMs > last) {
    const capacity = load<f64>(cell(i, CAPACITY));
    const tokens = load<f64>(cell(i, TOKENS)) + (nowMs - last) * load<f64>(cell(i, REFILL_PER_MS));
    store<f64>(cell(i, TOKENS), tokens < capacity ? tokens : capacity);
    store<f64>(cell(i, LAST_MS), nowMs);
  }
}

/** Sets bucket i full, with capacity tokens refilled at refillPerSec. Returns GRANTED or INVALID. */
export function bucketInit(i: i32, capacity: f64, refillPerSec: f64, nowMs: f64): i32 {
  if (!validIndex(i) || !isAmount(capacity) || !isAmount(refillPerSec) || !isAmount(nowMs)) return INVALID;
  store<f64>(cell(i, TOKENS), capacity);
  store<f64>(cell(i, CAPACITY), capacity);
  store<f64>(cell(i, REFILL_PER_MS), refillPerSec / 1000);
  store<f64>(cell(i, LAST_MS), nowMs);
  store<f64>(cell(i, PAUSED_UNTIL_MS), 0);
  return GRANTED;
}

/** Takes cost tokens from bucket i if it holds them and is not paused. */
export function bucketAcquire(i: i32, cost: f64, nowMs: f64): i32 {
  if (!validIndex(i) || !isAmount(cost) || !isAmount(nowMs)) return INVALID;
  refill(i, nowMs);
  if (nowMs < load<f64>(cell(i, PAUSED_UNTIL_MS))) return THROTTLED;
  const tokens = load<f64>(cell(i, TOKENS));
  if (cost > tokens) return THROTTLED;
  store<f64>(cell(i, TOKENS), tokens - cost);
  return GRANTED;
}

/** Tokens in bucket i at nowMs (NaN for a bad index). */
export function bucketTokens(i: i32, nowMs: f64): f64 {
  if (!validIndex(i)) return NaN;
  if (isAmount(nowMs)) refill(i, nowMs);
  return load<f64>(cell(i, TOKENS));
}

/** Refuses every acquire until untilMs (an exchange's 429/418 Retry-After). */
export function bucketPause(i: i32, untilMs: f64): i32 {
  if (!validIndex(i) || !isAmount(untilMs)) return INVALID;
  if (untilMs > load<f64>(cell(i, PAUSED_UNTIL_MS))) store<f64>(cell(i, PAUSED_UNTIL_MS), untilMs);
  return GRANTED;
}

/** Overrides the token count (the exchange reported its own used weight), clamped to [0, capacity]. */
export function bucketSetTokens(i: i32, tokens: f64, nowMs: f64): i32 {
  if (!validIndex(i) || !isAmount(tokens) || !isAmount(nowMs)) return INVALID;
  refill(i, nowMs);
  const capacity = load<f64>(cell(i, CAPACITY));
  store<f64>(cell(i, TOKENS), tokens < capacity ? tokens : capacity);
  return GRANTED;
}

/** Paused-until time of bucket i, for stats and persistence. */
export function bucketPausedUntil(i: i32): f64 {
  return validIndex(i) ? load<f64>(cell(i, PAUSED_UNTIL_MS)) : NaN;
}
