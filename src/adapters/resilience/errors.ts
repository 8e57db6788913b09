// The error a rate-limited call fails with when it is never sent, and which failures count against
// a breaker: outages (timeouts, network errors, 5xx, unreadable answers), never the caller's own
// 4xx. A breaker's own refusal is CircuitOpenError (src/ports/resilience.ts).
import { ExchangeError, isExchangeError } from '../../ports/exchange.ts';

/** A limiter had no tokens (or was paused) for longer than the caller would wait; nothing was sent. */
export function throttledError(
  limiter: string,
  retryAfterMs: number,
  operation?: string,
): ExchangeError {
  const wait = Number.isFinite(retryAfterMs)
    ? `${Math.ceil(retryAfterMs)} ms`
    : 'ever (cost over capacity)';
  return new ExchangeError('throttled', `rate limiter ${limiter} has no tokens; next in ${wait}`, {
    retryAfterMs,
    operation,
  });
}

/** Error codes of Node/Bun/undici network failures (nothing or not all of the answer arrived). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ConnectionRefused',
]);

const field = (e: unknown, key: string): unknown =>
  e && typeof e === 'object' ? (e as Record<string, unknown>)[key] : undefined;

export type Outcome = 'failure' | 'neutral';

/**
 * How a thrown error counts for a breaker. `failure`: ExchangeError outages, timeouts and aborts,
 * network errors, anything carrying a 5xx status (an ExchangeError's `details.status`, an
 * HttpStatusError's `status`, a driver's `status`/`statusCode`, on the error or its causes).
 * `neutral`: everything that says the service answered or the call never left (rejected 4xx,
 * rate_limited, banned, throttled, a CircuitOpenError, an answer off schema), and errors we cannot place
 * (InvalidArgumentError…), so that a bug of ours never opens a breaker.
 */
export function classifyError(e: unknown): Outcome {
  // An answer off schema is one bad read, not an outage: the service answered.
  if (isExchangeError(e)) return e.isOutage && !e.details.offSchema ? 'failure' : 'neutral';
  const name = field(e, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return 'failure';
  for (let x: unknown = e, depth = 0; x && depth < 4; x = field(x, 'cause'), depth++) {
    const code = field(x, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'failure';
    const status = field(x, 'status') ?? field(x, 'statusCode');
    if (typeof status === 'number' && status >= 500 && status <= 599) return 'failure';
  }
  // fetch() rejects with a bare TypeError when the connection fails ("fetch failed", "Unable to connect").
  if (e instanceof TypeError && /fetch failed|unable to connect|network|socket/i.test(e.message))
    return 'failure';
  return 'neutral';
}
