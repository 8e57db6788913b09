// The one family of the worker's own errors (style habit 4): a stable machine-readable `code`,
// context in typed fields of each subclass, and the low-level error kept as `cause`. Lives in the
// domain so that every layer (ports, adapters, config, http, main) may extend it.
// http/error-handler.ts is the one place that turns a `code` into an HTTP status.

/**
 * Base of every failure the worker throws on purpose.
 * - `code`: what kind of failure, in snake_case (`store_unavailable`, `exchange_timeout`,
 *   `config_invalid`…); stable, for the error handler, logs and tests, never a sentence.
 * - `message`: one line for a person; never holds credentials or a signed query string (build it
 *   from redacted parts: src/domain/redaction/).
 * - `cause`: the error this one wraps, passed through as given (may be undefined).
 * `name` is the subclass's own name (`ExchangeError`, `ConfigError`…), so logs and stacks say which.
 */
export class AisError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A caller broke a function's documented precondition (a bad option, an index out of range, a
 * method the configured scheme lacks): a bug of ours, never an outside failure, so a breaker
 * counts it neither way and the HTTP layer answers 500. `code` invalid_argument.
 */
export class InvalidArgumentError extends AisError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_argument', message, options);
  }
}

/**
 * An HTTP service we call (an alert channel's receiver…) answered an error status. `status` is
 * that status, so a breaker counts a 5xx as the service's outage and a 4xx as its refusal of our
 * request; `service` names it (`slack`, `webhook`). `code` http_status.
 */
export class HttpStatusError extends AisError {
  constructor(
    readonly service: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('http_status', message, options);
  }
}
