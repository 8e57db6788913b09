import { describe, expect, it } from 'bun:test';
import { backoffMs, retry } from '../../../src/adapters/exchange/retry.ts';
import { ExchangeError } from '../../../src/ports/exchange.ts';

const noSleep = { sleep: async () => {} };

describe('retry', () => {
  it('tries outages again up to the attempt budget, then gives up with the last error', async () => {
    let calls = 0;
    const e = await retry(
      async () => {
        calls++;
        throw new ExchangeError('unavailable', 'down');
      },
      { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, ...noSleep },
    ).catch((x: unknown) => x);
    expect(calls).toBe(4);
    expect((e as ExchangeError).kind).toBe('unavailable');
  });

  it('returns the first success', async () => {
    let calls = 0;
    const r = await retry(
      async () => (++calls < 3 ? Promise.reject(new ExchangeError('timeout', 't')) : 'ok'),
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, ...noSleep },
    );
    expect([r, calls]).toEqual(['ok', 3]);
  });

  it('does not retry rejections, rate limits or bans', async () => {
    for (const kind of ['rejected', 'rate_limited', 'banned'] as const) {
      let calls = 0;
      await retry(
        async () => {
          calls++;
          throw new ExchangeError(kind, kind);
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, ...noSleep },
      ).catch(() => {});
      expect(calls).toBe(1);
    }
  });

  it('waits a jittered, doubling, capped delay', async () => {
    const waits: number[] = [];
    await retry(async () => Promise.reject(new ExchangeError('timeout', 't')), {
      attempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 500,
      random: () => 0.999,
      sleep: async (ms) => void waits.push(ms),
    }).catch(() => {});
    expect(waits).toEqual([99, 199, 399, 499]);
    expect(backoffMs(3, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0 })).toBe(0);
  });
});
