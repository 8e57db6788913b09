// The one place that turns failures into HTTP answers: JSON `{error: {code, message}}` always,
// 4xx for the client's mistakes, 503 with Retry-After when a dependency is unavailable (the store
// or the exchange: locked, down, its breaker open), for reads and writes alike, 500 (logged,
// details withheld) for ours. An expected refusal (409, 404 of a route) is a value the route answers
// itself with jsonError, never an exception. The worker's own errors (src/domain/errors.ts) are mapped by their
// `code`; anything else (a driver's or the runtime's error) by what it says.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../adapters/logging/logger.ts';
import { classifyError } from '../adapters/resilience/errors.ts';
import { isDiskFull } from '../adapters/store/libsql/transaction.mjs';
import { AisError } from '../domain/errors.ts';
import { redactDeep, redactText } from '../domain/redaction/redact.ts';
import { isExchangeError } from '../ports/exchange.ts';
import { type CircuitOpenError, isCircuitOpen } from '../ports/resilience.ts';

/** The error body; the message and details pass through redactText (they may quote a URL). */
export const errorBody = (code: string, message: string, details?: unknown) => ({
  error:
    details === undefined
      ? { code, message: redactText(message) }
      : { code, message: redactText(message), details: redactDeep(details) },
});

export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
) {
  return c.json(errorBody(code, message, details), status);
}

/** Hono's own exceptions (bad JSON, body too large) keep their status with a code of ours. */
const HTTP_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** A dependency that cannot serve now: which, and when to try again. */
interface Unavailable {
  code:
    | 'store_unavailable'
    | 'store_disk_full'
    | 'exchange_unavailable'
    | 'dependency_unavailable'
    | 'outcome_unknown';
  message: string;
  retryAfterS: number;
}

/** SQLite's "database is locked" / "busy" (another writer held the lock past busy_timeout). */
const LOCKED = /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i;
const seconds = (ms: unknown) =>
  Math.max(1, Math.ceil((typeof ms === 'number' && Number.isFinite(ms) ? ms : 1_000) / 1000));

const storeDown = (retryAfterMs: unknown): Unavailable => ({
  code: 'store_unavailable',
  message:
    'the event store could not record this request (database locked, slow or down); retry later',
  retryAfterS: seconds(retryAfterMs),
});

/** A write that reached the database and may be stored: never answered as "not recorded". */
const outcomeUnknown = (retryAfterMs: unknown): Unavailable => ({
  code: 'outcome_unknown',
  message:
    'the event store may or may not have recorded this request (the database did not confirm it); a retry with the same client_order_id or Idempotency-Key is safe and answers the stored decision, a retry without one may decide again',
  retryAfterS: seconds(retryAfterMs),
});

/** SQLITE_FULL / ENOSPC anywhere in the error's causes: said as such, not as a lock or a rollback. */
const DISK_FULL: Unavailable = {
  code: 'store_disk_full',
  message:
    "the event store's disk is full (SQLITE_FULL / ENOSPC): nothing of this request was recorded; free space on the database volume, then retry",
  retryAfterS: 30,
};

/** Which dependency a breaker guards, by its name: `libsql.remote`, `alert_<channel>`, else an exchange's `<exchange>.<group>`. */
function circuitOpen(err: CircuitOpenError): Unavailable {
  const service = err.service;
  const [code, what]: [Unavailable['code'], string] = service.startsWith('libsql')
    ? ['store_unavailable', 'the event store']
    : service.startsWith('alert_')
      ? ['dependency_unavailable', 'an alert channel']
      : ['exchange_unavailable', 'the exchange'];
  return {
    code,
    message: `${what} is unavailable: circuit breaker ${service} is open; retry later`,
    retryAfterS: seconds(err.retryAfterMs),
  };
}

/** One of our errors by its code: the store's, a breaker's, and every exchange failure but a refusal of the request. */
function unavailableByCode(err: AisError): Unavailable | undefined {
  const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
  if (err.code === 'store_unavailable') return storeDown(retryAfterMs);
  if (err.code === 'outcome_unknown') return outcomeUnknown(retryAfterMs);
  if (isCircuitOpen(err)) return circuitOpen(err);
  if (!isExchangeError(err) || err.code === 'exchange_rejected') return undefined;
  // Timeouts, unknown outcomes, 5xx, bad answers, rate limits, bans, an empty limiter.
  return {
    code: 'exchange_unavailable',
    message: `the exchange is unavailable (${err.kind}); retry later`,
    retryAfterS: seconds(err.details.retryAfterMs),
  };
}

/** Classifies a failure as a dependency being unavailable, or not. */
export function unavailable(err: unknown): Unavailable | undefined {
  if (isDiskFull(err)) return DISK_FULL;
  if (err instanceof AisError) {
    const down = unavailableByCode(err);
    if (down) return down;
  }
  const text =
    err instanceof Error ? `${err.message} ${String((err as { code?: unknown }).code ?? '')}` : '';
  if (LOCKED.test(text))
    return {
      code: 'store_unavailable',
      message: 'the event store is locked by another writer; retry later',
      retryAfterS: 1,
    };
  // Timeouts, network errors, 5xx of a service we call (a remote database read, say).
  if (classifyError(err) === 'failure')
    return {
      code: 'dependency_unavailable',
      message: 'a service the worker depends on did not answer; retry later',
      retryAfterS: 1,
    };
  return undefined;
}

export function createErrorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    const down = unavailable(err);
    if (down) {
      // No risk token went out; nothing was recorded unless the code is outcome_unknown.
      logger.error(
        { err, code: down.code, method: c.req.method, path: c.req.path },
        'Request failed: a dependency is unavailable',
      );
      c.header('Retry-After', String(down.retryAfterS));
      return jsonError(c, 503, down.code, down.message);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return jsonError(
        c,
        err.status as ContentfulStatusCode,
        HTTP_CODES[err.status] ?? 'http_error',
        err.message || 'request refused',
      );
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, 'Request failed');
    return jsonError(c, 500, 'internal_error', 'internal error; see the worker log');
  };
}
