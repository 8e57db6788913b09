import { describe, expect, it } from 'bun:test';
import {
  acquireTokens,
  BucketStatus,
  createBucket,
  pauseBucket,
  setBucketTokens,
} from '../../../src/domain/resilience/token-bucket.ts';

describe('token bucket (reference)', () => {
  const full = createBucket(10, 5, 0)!; // 10 tokens, 5 per second

  it('grants while tokens last, then throttles', () => {
    let s = full;
    for (let i = 0; i < 10; i++) {
      const r = acquireTokens(s, 1, 0);
      expect(r.status).toBe(BucketStatus.GRANTED);
      s = r.state;
    }
    expect(acquireTokens(s, 1, 0).status).toBe(BucketStatus.THROTTLED);
  });

  it('refills at its rate and never above capacity', () => {
    const empty = acquireTokens(full, 10, 0).state;
    expect(acquireTokens(empty, 1, 199).status).toBe(BucketStatus.THROTTLED);
    expect(acquireTokens(empty, 1, 200).status).toBe(BucketStatus.GRANTED);
    expect(acquireTokens(empty, 0, 1_000_000).state.tokens).toBe(10);
  });

  it('ignores time running backwards', () => {
    const later = acquireTokens(full, 10, 1000).state;
    expect(acquireTokens(later, 0, 0).state).toEqual({ ...later });
  });

  it('refuses everything while paused by Retry-After, then resumes', () => {
    const paused = pauseBucket(full, 5000)!;
    expect(acquireTokens(paused, 1, 4999).status).toBe(BucketStatus.THROTTLED);
    expect(acquireTokens(paused, 1, 5000).status).toBe(BucketStatus.GRANTED);
    expect(pauseBucket(paused, 10)!.pausedUntilMs).toBe(5000);
  });

  it('takes the exchange reported count, clamped to capacity', () => {
    expect(setBucketTokens(full, 3, 0)!.tokens).toBe(3);
    expect(setBucketTokens(full, 99, 0)!.tokens).toBe(10);
  });

  it.each([NaN, -1, Infinity])('rejects a cost or time of %p as invalid', (bad) => {
    expect(acquireTokens(full, bad, 0).status).toBe(BucketStatus.INVALID);
    expect(acquireTokens(full, 1, bad).status).toBe(BucketStatus.INVALID);
    expect(createBucket(bad, 1, 0)).toBeUndefined();
  });
});
