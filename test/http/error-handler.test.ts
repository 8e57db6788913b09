import { describe, expect, it } from 'bun:test';
import { Hono } from 'hono';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/adapters/logging/logger.ts';
import { CsvBarsError } from '../../src/adapters/market/csv-bars.ts';
import { throttledError } from '../../src/adapters/resilience/errors.ts';
import { createErrorHandler } from '../../src/http/error-handler.ts';
import { ConfigError } from '../../src/config/config.ts';
import { OutcomeUnknownError, StoreUnavailableError } from '../../src/ports/event-store.ts';
import { ExchangeError } from '../../src/ports/exchange.ts';
import { CircuitOpenError } from '../../src/ports/resilience.ts';
import { HttpStatusError, InvalidArgumentError } from '../../src/domain/errors.ts';

const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

/** An app whose GET and POST routes both throw `err`: reads and writes must answer alike. */
async function answer(err: unknown, method: 'GET' | 'POST') {
  const app = new Hono();
  app.onError(createErrorHandler(logger));
  app.on(['GET', 'POST'], '/x', () => {
    throw err;
  });
  const res = await app.request('/x', { method });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { error: { code: string; message: string; details?: unknown } },
  };
}

describe('createErrorHandler', () => {
  it.each([
    [
      'the remote database breaker open',
      new CircuitOpenError('libsql.remote', 12_300),
      'store_unavailable',
      '13',
    ],
    [
      'a write the store could not make durable',
      new StoreUnavailableError('event store write failed: the writer thread stopped'),
      'store_unavailable',
      '1',
    ],
    [
      'a store write refused while its breaker cools down for 27.2 s more',
      new StoreUnavailableError('event store write failed', { retryAfterMs: 27_200 }),
      'store_unavailable',
      '28',
    ],
    [
      'a remote write whose answer was lost (it may be stored)',
      new OutcomeUnknownError('the event store may or may not have recorded this write', {
        retryAfterMs: 1_000,
      }),
      'outcome_unknown',
      '1',
    ],
    [
      'a write refused for a full disk (SQLITE_FULL, as the cause)',
      new StoreUnavailableError('event store write failed', {
        cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      }),
      'store_disk_full',
      '30',
    ],
    [
      'a trail write refused for a full disk (ENOSPC)',
      new Error('decision trail write failed: ENOSPC: no space left on device, write'),
      'store_disk_full',
      '30',
    ],
    [
      'a read of a locked database',
      Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }),
      'store_unavailable',
      '1',
    ],
    [
      'an exchange breaker open',
      new CircuitOpenError('aster.orders', 4_000),
      'exchange_unavailable',
      '4',
    ],
    [
      'an exchange outage',
      new ExchangeError('unavailable', 'HTTP 502'),
      'exchange_unavailable',
      '1',
    ],
    [
      'a paused exchange limiter',
      throttledError('aster.weight', 2_500),
      'exchange_unavailable',
      '3',
    ],
    [
      'an exchange rate limit',
      new ExchangeError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 7_000 }),
      'exchange_unavailable',
      '7',
    ],
    [
      'an exchange ban',
      new ExchangeError('banned', 'HTTP 418', { status: 418, retryAfterMs: 60_000 }),
      'exchange_unavailable',
      '60',
    ],
    [
      'an exchange timeout',
      new ExchangeError('timeout', 'no answer within 5000 ms'),
      'exchange_unavailable',
      '1',
    ],
    [
      "an alert channel's breaker open",
      new CircuitOpenError('alert_slack', 30_000),
      'dependency_unavailable',
      '30',
    ],
    [
      'a service we call answering 503',
      new HttpStatusError('webhook', 503, 'HTTP 503: no_service'),
      'dependency_unavailable',
      '1',
    ],
    [
      'a remote read that failed on the network',
      new TypeError('fetch failed'),
      'dependency_unavailable',
      '1',
    ],
  ])(
    'answers 503 with Retry-After for %s, on reads and writes alike',
    async (_what, err, code, retryAfter) => {
      for (const method of ['GET', 'POST'] as const) {
        const r = await answer(err, method);
        expect(r).toEqual({
          status: 503,
          retryAfter,
          body: { error: { code, message: expect.any(String) } },
        });
      }
    },
  );

  it('keeps 500 without Retry-After for our own bugs and never leaks their message', async () => {
    const r = await answer(new Error('undefined is not a function at secret-path'), 'GET');
    expect(r.status).toBe(500);
    expect(r.retryAfter).toBeNull();
    expect(JSON.stringify(r.body)).not.toContain('secret-path');
  });

  it('names the breaker and its service in the answer', async () => {
    const r = await answer(new CircuitOpenError('libsql.remote', 1_000), 'GET');
    expect(r.body.error.message).toBe(
      'the event store is unavailable: circuit breaker libsql.remote is open; retry later',
    );
  });

  it('answers 500 for an error of ours that no dependency caused (a bad CSV, a config error)', async () => {
    expect(
      (await answer(new CsvBarsError('line 2: open must be a positive number'), 'GET')).status,
    ).toBe(500);
    expect(
      (await answer(new ConfigError('config: AIS_PORT expected a whole number'), 'GET')).status,
    ).toBe(500);
    expect((await answer(new InvalidArgumentError('bucket index 9 is taken'), 'GET')).status).toBe(
      500,
    );
  });

  it('keeps a 4xx of a service we call out of the 503 family', async () => {
    expect((await answer(new HttpStatusError('webhook', 400, 'HTTP 400'), 'POST')).status).toBe(
      500,
    );
  });

  it('keeps a 4xx exchange refusal out of the 503 family', async () => {
    expect((await answer(new ExchangeError('rejected', 'bad symbol'), 'POST')).status).toBe(500);
  });
});
