// Concurrent first calls share one clock sync: a burst of signed calls sends one GET /fapi/v1/time
// (those requests pass no rate limiter, so one per call could overrun the weight budget).
import { afterAll, expect, test } from 'bun:test';
import { createAsterExchange } from '../../../src/adapters/exchange/aster/aster-exchange.ts';
import { startFakeAster } from '../../fake-aster/server.ts';

const fake = await startFakeAster({ symbols: ['BTCUSDT'] });
afterAll(() => fake.stop());

test('fourteen concurrent first calls send one clock sync', async () => {
  const ex = createAsterExchange({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    nowMs: Date.now,
  });
  await Promise.all(Array.from({ length: 14 }, (_, i) => (i % 2 ? ex.balance() : ex.positions())));
  expect(fake.requests.filter((r) => r.path === '/fapi/v1/time')).toHaveLength(1);
  expect(fake.requests.filter((r) => r.path !== '/fapi/v1/time')).toHaveLength(14);
});
