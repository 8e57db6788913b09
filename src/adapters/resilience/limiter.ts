// One rate limiter: a token bucket in the WASM core (src/ports/risk-core.ts TokenBucketCore), plus
// the waiting, counting and pausing around it. The bucket math itself never runs in JavaScript.
import { BucketStatus } from '../../domain/resilience/token-bucket.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { LogPort } from '../../ports/log.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { TokenBucketCore } from '../../ports/risk-core.ts';
import { throttledError } from './errors.ts';

export interface LimiterOptions {
  capacity: number;
  refillPerSec: number;
  /** A fixed bucket index in the core; by default the registry hands out the next free one. */
  bucketIndex?: number;
  /** How long acquire() waits for tokens by default before failing `throttled`. */
  maxWaitMs?: number;
}

export interface LimiterStats {
  name: string;
  tokens: number;
  capacity: number;
  refillPerSec: number;
  /** Acquires granted and refused since start-up. */
  allowed: number;
  throttled: number;
  /** 0 when not paused. */
  pausedUntilMs: number;
  bucketIndex: number;
}

export interface Limiter {
  readonly name: string;
  readonly capacity: number;
  readonly refillPerSec: number;
  readonly bucketIndex: number;
  /** Takes cost tokens now if there are enough and the bucket is not paused. */
  tryAcquire(cost?: number): boolean;
  /**
   * Takes cost tokens, waiting for the refill (or a pause) up to maxWaitMs; else ExchangeError('throttled').
   * Answers GRANTED when the tokens were at hand. `atMs`: a clock read the caller made just before
   * (the breaker shares its one read per call with the bucket); default a read of its own.
   */
  acquire(cost?: number, maxWaitMs?: number, operation?: string, atMs?: number): Promise<void>;
  /** Gives back tokens taken for a call that was then not sent. */
  refund(cost: number): void;
  /** Milliseconds until cost tokens could be granted: 0 now, Infinity never (cost over capacity). */
  waitMs(cost?: number): number;
  tokens(): number;
  /** Refuses every acquire until untilMs (a 429/418 Retry-After). */
  pause(untilMs: number, reason: string): void;
  pausedUntilMs(): number;
  /** Sets the tokens left (clamped to [0, capacity]): the exchange's own count of what we used. */
  setTokens(tokens: number): void;
  stats(): LimiterStats;
}

interface LimiterDeps {
  core: TokenBucketCore;
  metrics: Metrics;
  log: LogPort;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Default wait for tokens: long enough to ride out a refill, short enough for a trading cycle. */
const DEFAULT_MAX_WAIT_MS = 5_000;

/** The tokens gauge is set at most this often on grants (a gauge set costs about as much as the acquire). */
const GAUGE_EVERY_MS = 1_000;
/** What acquire() answers when the tokens were at hand: callers may skip the await (breaker-handle.ts). */
export const GRANTED: Promise<void> = Promise.resolve();

export function createLimiter(
  name: string,
  index: number,
  options: LimiterOptions,
  deps: LimiterDeps,
): Limiter {
  const { core, metrics, log, nowMs, sleep } = deps;
  const { capacity, refillPerSec } = options;
  const maxWaitDefault = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  if (core.bucketInit(index, capacity, refillPerSec, nowMs()) !== BucketStatus.GRANTED) {
    throw new InvalidArgumentError(
      `limiter ${name}: capacity and refillPerSec must be finite numbers ≥ 0, bucket index in [0, ${core.maxBuckets})`,
    );
  }
  const refillPerMs = refillPerSec / 1000;
  let allowed = 0;
  let throttled = 0;
  let gaugeAtMs = nowMs();
  metrics.limiterTokens(name, capacity);
  const setGauge = (now: number) => {
    gaugeAtMs = now;
    metrics.limiterTokens(name, core.bucketTokens(index, now));
  };

  const waitAt = (cost: number, now: number): number => {
    if (cost > capacity) return Infinity;
    const paused = Math.max(0, core.bucketPausedUntil(index) - now);
    const deficit = cost - core.bucketTokens(index, now);
    if (deficit <= 0) return paused;
    return Math.max(paused, refillPerMs > 0 ? deficit / refillPerMs : Infinity);
  };

  const grant = (cost: number, now: number): boolean => {
    const status = core.bucketAcquire(index, cost, now);
    if (status === BucketStatus.INVALID)
      throw new InvalidArgumentError(`limiter ${name}: invalid cost ${cost}`);
    if (status !== BucketStatus.GRANTED) return false;
    allowed++;
    if (now - gaugeAtMs >= GAUGE_EVERY_MS) setGauge(now);
    return true;
  };

  const refuse = (now: number) => {
    throttled++;
    metrics.limiterThrottled(name);
    setGauge(now);
  };

  async function waitFor(cost: number, deadline: number, operation?: string): Promise<void> {
    for (;;) {
      const now = nowMs();
      const wait = waitAt(cost, now);
      if (now + wait > deadline) {
        refuse(now);
        throw throttledError(name, wait, operation);
      }
      // Whole milliseconds, at least one: a float refill can leave a hair short of `cost`.
      await sleep(Math.max(1, Math.ceil(wait)));
      if (grant(cost, nowMs())) return;
    }
  }

  const limiter: Limiter = {
    name,
    capacity,
    refillPerSec,
    bucketIndex: index,
    tryAcquire(cost = 1) {
      const now = nowMs();
      if (grant(cost, now)) return true;
      refuse(now);
      return false;
    },
    acquire(cost = 1, maxWaitMs = maxWaitDefault, operation, now = nowMs()) {
      // The common case, tokens at hand, costs no async frame.
      try {
        if (grant(cost, now)) return GRANTED;
      } catch (e) {
        return Promise.reject(e);
      }
      return waitFor(cost, now + maxWaitMs, operation);
    },
    refund(cost) {
      const now = nowMs();
      core.bucketSetTokens(index, Math.min(capacity, core.bucketTokens(index, now) + cost), now);
    },
    waitMs: (cost = 1) => waitAt(cost, nowMs()),
    tokens: () => core.bucketTokens(index, nowMs()),
    pause(untilMs, reason) {
      const before = core.bucketPausedUntil(index);
      core.bucketPause(index, untilMs);
      if (untilMs > before)
        log.warn(
          {
            limiter: name,
            paused_until: new Date(untilMs).toISOString(),
            pause_ms: untilMs - nowMs(),
            reason,
          },
          'Rate limiter paused',
        );
    },
    pausedUntilMs() {
      const until = core.bucketPausedUntil(index);
      return until > nowMs() ? until : 0;
    },
    setTokens(tokens) {
      const now = nowMs();
      core.bucketSetTokens(index, Math.max(0, Math.min(capacity, tokens)), now);
      setGauge(now);
    },
    stats() {
      setGauge(nowMs()); // a look at the limiter also refreshes the gauge
      return {
        name,
        tokens: limiter.tokens(),
        capacity,
        refillPerSec,
        allowed,
        throttled,
        pausedUntilMs: limiter.pausedUntilMs(),
        bucketIndex: index,
      };
    },
  };
  return limiter;
}
