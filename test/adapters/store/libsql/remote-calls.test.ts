// Deadlines on remote database calls, and which failed writes may have committed.
import { describe, expect, it } from 'bun:test';
import {
  DbDeadlineError,
  mayHaveCommitted,
  withDeadline,
} from '../../../../src/adapters/store/libsql/remote-calls.ts';
import { classifyError } from '../../../../src/adapters/resilience/errors.ts';
import { CircuitOpenError } from '../../../../src/ports/resilience.ts';

describe('withDeadline', () => {
  it('fails a call that does not answer within its deadline, as a failure a breaker counts', async () => {
    const t0 = performance.now();
    const hung = withDeadline(() => new Promise<never>(() => {}), 50);
    const err = await hung.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbDeadlineError);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(classifyError(err)).toBe('failure');
  });

  it('answers a call that answers in time', async () => {
    expect(await withDeadline(async () => 7, 1_000)).toBe(7);
  });
});

describe('mayHaveCommitted', () => {
  it.each([
    ['a deadline passed', new DbDeadlineError(2_000), true],
    [
      'a connection reset mid-request',
      Object.assign(new Error('socket'), { code: 'ECONNRESET' }),
      true,
    ],
    ['an aborted fetch', Object.assign(new Error('aborted'), { name: 'TimeoutError' }), true],
    ['the breaker refused it', new CircuitOpenError('libsql.remote', 3_000), false],
    ['the connection was refused', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), false],
    ['the server answered 503', Object.assign(new Error('x'), { status: 503 }), false],
    [
      'a statement failed (rolled back)',
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }) }),
      false,
    ],
  ])('%s: %p', (_, err, expected) => {
    expect(mayHaveCommitted(err)).toBe(expected);
  });
});
