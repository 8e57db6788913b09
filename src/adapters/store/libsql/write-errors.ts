// What a failed write is answered as: nothing recorded (a retry makes the decision anew), or an
// unknown outcome (it may be stored: only a retry with the same idempotency key is safe).
import { OutcomeUnknownError, StoreUnavailableError } from '../../../ports/event-store.ts';
import { messageOf } from '../../../domain/error-message.mjs';
import { mayHaveCommitted } from './remote-calls.ts';

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
