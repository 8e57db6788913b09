// Deadlines on the calls to a remote libSQL server, and what a failed write tells. A server that
// takes a request and never answers must not hold a check (or a slot of the client's request
// limit) forever: each HTTP request is aborted at the deadline, and each call is raced against it
// as well (a WebSocket URL has no fetch to abort).
import { AisError } from '../../../domain/errors.ts';
import { messageOf } from '../../../domain/error-message.mjs';
import { StoreUnavailableError } from '../../../ports/event-store.ts';
import { type CallGuard, unguarded } from '../../../ports/resilience.ts';

/** A database call that passed its deadline. `name` TimeoutError, so that a breaker counts it as a failure. */
export class DbDeadlineError extends AisError {
  constructor(readonly deadlineMs: number) {
    super('store_timeout', `the database did not answer within ${deadlineMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** A fetch for @libsql/client whose every request is aborted after `deadlineMs`. */
export function deadlineFetch(deadlineMs: number): typeof fetch {
  const deadlined = (input: RequestInfo | URL, init?: RequestInit) => {
    const timeout = AbortSignal.timeout(deadlineMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
  return deadlined as typeof fetch;
}

/** `fn()`, or a DbDeadlineError once `deadlineMs` has passed without its answer. */
export function withDeadline<T>(fn: () => Promise<T>, deadlineMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DbDeadlineError(deadlineMs)), deadlineMs);
  });
  return Promise.race([fn(), late]).finally(() => clearTimeout(timer));
}

/** Codes that say the request never reached the server (nothing can have been committed). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ConnectionRefused', 'ENOTFOUND', 'EAI_AGAIN']);

const field = (e: unknown, key: string): unknown =>
  e && typeof e === 'object' ? (e as Record<string, unknown>)[key] : undefined;

/**
 * Whether a failed remote write may have been committed. Known not recorded: the breaker refused it
 * (never sent), the connection was refused, the server answered 503 (it took no request), or it
 * answered a statement's SQL error (the transaction rolled back). Anything else (a deadline, a
 * connection dropped mid-request, an unreadable answer) may have committed: unknown.
 */
export function mayHaveCommitted(e: unknown): boolean {
  if (field(e, 'code') === 'circuit_open') return false;
  for (let x: unknown = e, depth = 0; x && depth < 4; x = field(x, 'cause'), depth++) {
    const code = field(x, 'code');
    if (typeof code === 'string' && NOT_SENT.has(code)) return false;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return false;
    if (field(x, 'status') === 503) return false;
  }
  return true;
}

/** How calls to a remote server are made (LibsqlStoreOptions.remote). */
export interface RemoteOptions {
  /**
   * Protects the calls (breaker `libsql.remote`): while the server is down they fail fast instead
   * of each waiting for its deadline.
   */
  guard?: CallGuard;
  /** Deadline of each call (ms, AIS_DB_TIMEOUT_MS); default 2,000. */
  deadlineMs?: number;
  /** The breaker's remaining cool-down (ms, 0 when closed): the Retry-After of a failed call. */
  coolDownLeftMs?: () => number;
}

/** The breaker name of a remote libSQL server. */
const REMOTE_DB_BREAKER = 'libsql.remote';

/** Calls to a remote server: `call` (the error as it came: writes classify it), `read` (failing as StoreUnavailableError). */
export function createRemoteCalls(o: RemoteOptions = {}) {
  const deadlineMs = o.deadlineMs ?? 2_000;
  const guard = o.guard ?? unguarded;
  /** How long a retry should wait: the breaker's remaining cool-down, at least 1 s. */
  const retryAfterMs = () => Math.max(1_000, o.coolDownLeftMs?.() ?? 0);
  const call = <T>(fn: () => Promise<T>): Promise<T> =>
    guard(REMOTE_DB_BREAKER, () => withDeadline(fn, deadlineMs));
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await call(fn);
    } catch (e) {
      throw new StoreUnavailableError(`event store read failed: ${messageOf(e)}`, {
        cause: e,
        retryAfterMs: retryAfterMs(),
      });
    }
  };
  return { deadlineMs, call, read, retryAfterMs };
}
export type RemoteCalls = ReturnType<typeof createRemoteCalls>;
