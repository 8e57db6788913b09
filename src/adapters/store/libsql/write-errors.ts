// How the store's flushes fare (for /health) and what a failed one is answered as: nothing recorded (a retry makes the decision anew), or an
// unknown outcome (it may be stored: only a retry with the same idempotency key is safe).
import { OutcomeUnknownError, StoreUnavailableError } from '../../../ports/event-store.ts';
import { messageOf } from '../../../domain/error-message.mjs';
import { mayHaveCommitted, type RemoteCalls } from './remote-calls.ts';

/**
 * The error of a failed flush. A local file's writer thread answers only after its transaction
 * committed or rolled back: known. A remote write that reached the server may have committed.
 * @param retryAfterMs the Retry-After to tell (the breaker's remaining cool-down, at least 1 s)
 */
export function writeError(e: unknown, remote: boolean, retryAfterMs: number): Error {
  const message = messageOf(e);
  if (remote && mayHaveCommitted(e))
    return new OutcomeUnknownError(
      `the event store may or may not have recorded this write: ${message}`,
      { cause: e, retryAfterMs },
    );
  return new StoreUnavailableError(`event store write failed: ${message}`, {
    cause: e,
    retryAfterMs,
  });
}

/**
 * Times the store's flushes for writeHealth and remembers the last failure; a failed flush is
 * answered as writeError says (`remote`: the server's calls, absent for files and memory).
 */
export function createFlushTracker(nowMs: () => number, remote: RemoteCalls | undefined) {
  /** Start times (ms) of the flushes running, oldest first. */
  const startedMs: number[] = [];
  let lastFailure: { timeMs: number; message: string } | undefined;
  return {
    tracked:
      <T, R>(flush: (items: T[]) => Promise<R[]>) =>
      async (items: T[]): Promise<R[]> => {
        const started = nowMs();
        startedMs.push(started);
        try {
          return await flush(items);
        } catch (e) {
          lastFailure = { timeMs: nowMs(), message: messageOf(e) };
          throw writeError(e, !!remote, remote?.retryAfterMs() ?? 1_000);
        } finally {
          startedMs.splice(startedMs.indexOf(started), 1);
        }
      },
    /** A flush waiting long (a locked or slow database) or the last failure. */
    health: (now: number) => ({
      flushingForMs: startedMs.length === 0 ? 0 : now - startedMs[0]!,
      lastFailure,
    }),
  };
}
