import { describe, expect, it } from 'bun:test';
import { Hono } from 'hono';
import { paceRequests } from '../../../src/http/middleware/pace.ts';

function app(perSecond: number, maxWaitMs: number) {
  return new Hono()
    .use('/m', paceRequests({ perSecond, maxWaitMs }))
    .get('/m', (c) => c.text(String(performance.now())));
}

describe('paceRequests', () => {
  it('serves one request per slot, holds the next ones, and refuses past the longest wait', async () => {
    // 10 a second: slots 100 ms apart; a wait over 250 ms is refused.
    const a = app(10, 250);
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => a.request('/m')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 503, 503]);
    expect(answers[3]!.headers.get('retry-after')).toBe('1');
    const servedAt = await Promise.all(
      answers.slice(0, 3).map(async (r) => Number(await r.text())),
    );
    // The third waited for its slot, two gaps after the first.
    expect(servedAt[2]! - t0).toBeGreaterThanOrEqual(190);
    expect(servedAt[0]! - t0).toBeLessThan(100);
  });

  it('passes everything at once with 0 a second', async () => {
    const a = app(0, 0);
    const answers = await Promise.all(Array.from({ length: 20 }, () => a.request('/m')));
    expect(answers.every((r) => r.status === 200)).toBe(true);
  });
});
