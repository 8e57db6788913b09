// The one place that turns failures into HTTP answers: JSON `{error: {code, message}}` always,
// 4xx for the client's mistakes, 503 when the store could not record a request, 500 (logged,
// details withheld) for ours.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../adapters/logging/logger.ts';
import { StoreUnavailableError } from '../ports/event-store.ts';

/** An expected client-facing failure with a stable machine-readable code. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const errorBody = (code: string, message: string, details?: unknown) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
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

export function createErrorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return jsonError(c, err.status, err.code, err.message, err.details);
    if (err instanceof StoreUnavailableError) {
      // The store recorded nothing of this request and no risk token went out: the client may retry.
      logger.error({ err: err.message, method: c.req.method, path: c.req.path }, 'Request failed: the event store could not record it');
      return jsonError(c, 503, 'store_unavailable', 'the event store could not record this request (database locked, slow or down); retry later');
    }
    if (err instanceof HTTPException && err.status < 500) {
      return jsonError(c, err.status as ContentfulStatusCode, HTTP_CODES[err.status] ?? 'http_error', err.message || 'request refused');
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, 'Request failed');
    return jsonError(c, 500, 'internal_error', 'internal error; see the worker log');
  };
}

export const notFound: NotFoundHandler = (c) => jsonError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
