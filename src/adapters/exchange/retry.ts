// Retries for exchange reads: exponential back-off with full jitter (delay drawn uniformly from
// 0..min(maxDelayMs, baseDelayMs·2^n)), so many callers hitting one outage do not retry in step.
// Only failures that say nothing about the request (outages) are retried; a rejection, a 429 or a
// 418 is returned at once: the rate limiter and the caller decide how to wait for those.
import { isExchangeError } from '../../ports/exchange.ts';

export interface RetryOptions {
  /** Total tries, the first included (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether this failure is worth another try; default: ExchangeError outages. */
  retryable?: (e: unknown) => boolean;
  /** 0 ≤ x < 1; injectable so tests can pin the jitter. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Timeouts, 503s, 5xx/network failures and garbled bodies: another try may well succeed. */
export const isOutage = (e: unknown): boolean => isExchangeError(e) && e.isOutage;

/** The delay before retry number `n` (0-based). */
export function backoffMs(
  n: number,
  o: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** n);
  return Math.floor(cap * (o.random ?? Math.random)());
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const retryable = o.retryable ?? isOutage;
  const wait = o.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt + 1 >= o.attempts || !retryable(e)) throw e;
      await wait(backoffMs(attempt, o));
    }
  }
}
