// How an exchange call fails: ExchangeError with a kind that retry, breakers, limiters and the
// error handler act on, the exchange's own code, and a bounded label for metrics (refusalCode).
import { AisError } from '../domain/errors.ts';

export type ExchangeErrorKind =
  /** No answer in time: the outcome of a write is unknown. */
  | 'timeout'
  /** HTTP 503 "unknown error, execution status unknown" (Binance/Aster semantics). */
  | 'unknown_outcome'
  /** 5xx or a network failure before the request was sent. */
  | 'unavailable'
  /** 429: slow down, `retryAfterMs`. */
  | 'rate_limited'
  /** 418: the IP is banned for `retryAfterMs`. */
  | 'banned'
  /** 4xx other than the above: the exchange refused the request (bad symbol, insufficient margin…). */
  | 'rejected'
  /** The body was not what the wire format promises. */
  | 'bad_response'
  /** A paused or empty rate-limit bucket refused the call without sending it (a breaker's refusal is CircuitOpenError, src/ports/resilience.ts). */
  | 'throttled';

/**
 * A failed exchange call. `kind` is what callers (retry, breaker, limiter, error handler) act on;
 * `code` is `exchange_<kind>`; `details` the context: HTTP `status`, the exchange's own error `code`
 * (e.g. -2019), `retryAfterMs`, the `operation` (new_order, klines…); `cause` the low-level error
 * (a network failure, an abort) when there was one. Messages never quote a signed request.
 */
export class ExchangeError extends AisError {
  constructor(
    readonly kind: ExchangeErrorKind,
    message: string,
    readonly details: {
      status?: number;
      code?: number;
      retryAfterMs?: number;
      operation?: string;
      /**
       * bad_response only: the answer was JSON but not of the documented shape (a field missing
       * or of another type). The exchange answered, so breakers do not count it as an outage; the
       * read (after its retries) fails on its own.
       */
      offSchema?: boolean;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(`exchange_${kind}`, message, options);
  }

  /** True for failures that say nothing about the request itself (the breaker counts these). */
  get isOutage(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'unknown_outcome' ||
      this.kind === 'unavailable' ||
      this.kind === 'bad_response'
    );
  }
}

export const isExchangeError = (e: unknown): e is ExchangeError => e instanceof ExchangeError;

/**
 * The `code` label of a refusal: the exchange's error code (Aster/Binance codes are negative
 * integers of at most four digits: -1022, -2019, -4225 …), else `http_<status>`, else `none`.
 * Anything else is `other`, so the label stays bounded whatever a server answers.
 */
export function refusalCode(e: ExchangeError): string {
  const { code, status } = e.details;
  if (code !== undefined)
    return Number.isInteger(code) && code < 0 && code > -10_000 ? String(code) : 'other';
  if (status !== undefined)
    return Number.isInteger(status) && status >= 400 && status < 500 ? `http_${status}` : 'other';
  return 'none';
}
